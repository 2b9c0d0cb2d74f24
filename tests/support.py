"""Helpers shared by test modules (import as `support`; tests/ is on sys.path)."""

from __future__ import annotations


def small_config():
    """A config for fast end-to-end runs: small frames, same pipeline."""
    from filmcrew.config import load_config

    cfg = load_config(env={})
    cfg.clips.width, cfg.clips.height = 320, 180
    return cfg


async def first_step_with_screenwriter_at(server, brief, run_dir):
    """Start the default crew on `brief` with the screenwriter on `server` (OpenAI
    wire, no client retries, so each reply the test queued is one request) and
    return the events of its first step."""
    from filmcrew import Crew
    from filmcrew.config import ModelConfig

    config = small_config()
    config.roles["screenwriter"] = ModelConfig(provider="openai", model="local-llm", base_url=server.base_url, max_retries=0)
    crew = Crew.default(config=config)
    await crew.start(brief, run_dir)
    return await crew.step()
