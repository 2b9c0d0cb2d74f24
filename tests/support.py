"""Helpers shared by test modules (import as `support`; tests/ is on sys.path)."""

from __future__ import annotations


def small_config():
    """A config for fast end-to-end runs: small frames, same pipeline."""
    from filmcrew.config import load_config

    cfg = load_config(env={})
    cfg.clips.width, cfg.clips.height = 320, 180
    return cfg
