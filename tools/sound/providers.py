"""Choosing a speech provider: the config's choice built, and what `filmcrew doctor` shows.

Kept apart from the providers themselves so that `speech.py` and
`elevenlabs.py` never import each other: this module sits above both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from filmcrew.config import SpeechConfig
from filmcrew.errors import ConfigurationError
from filmcrew.status import ProviderStatus, provider_status
from filmcrew.tools.sound.elevenlabs import ElevenLabsSynthesizer
from filmcrew.tools.sound.speech import EspeakSynthesizer, SpeechSynthesizer, espeak_voices

__all__ = ["SPEECH_PROVIDERS", "describe_speech_providers", "make_speech_synthesizer"]

SPEECH_PROVIDERS: tuple[str, ...] = ("espeak", "elevenlabs")
_ELEVENLABS_KEY = "ELEVENLABS_API_KEY"


def make_speech_synthesizer(cfg: SpeechConfig, env: Mapping[str, str] | None = None) -> SpeechSynthesizer:
    """The synthesiser the config names; keys come from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    if cfg.provider == "espeak":
        return EspeakSynthesizer(default_voice=cfg.voice)
    if cfg.provider == "elevenlabs":
        key = env.get(_ELEVENLABS_KEY, "").strip()
        if not key:
            raise ConfigurationError(
                "speech provider 'elevenlabs' needs an API key: set ELEVENLABS_API_KEY "
                "(or use FILMCREW_SPEECH_PROVIDER=espeak for offline speech)"
            )
        return ElevenLabsSynthesizer(key, base_url=cfg.base_url, voice=cfg.voice)
    raise ConfigurationError(f"unknown speech provider {cfg.provider!r}: use {' or '.join(SPEECH_PROVIDERS)}")


def describe_speech_providers(
    cfg: SpeechConfig | None = None, env: Mapping[str, str] | None = None
) -> list[ProviderStatus]:
    """For `filmcrew doctor`: each speech provider, whether it can run here, why, and whether `cfg` uses it."""
    env = os.environ if env is None else env
    chosen = (cfg or SpeechConfig()).provider
    rows: list[ProviderStatus] = []
    try:
        voices = espeak_voices()
        rows.append(provider_status(
            "speech", "espeak", configured=bool(voices), in_use=chosen == "espeak",
            reason=f"libespeak-ng from espeakng-loader, {len(voices)} voices (offline)",
        ))
    except Exception as exc:  # noqa: BLE001 - doctor reports any failure to load
        rows.append(provider_status("speech", "espeak", configured=False, in_use=chosen == "espeak", reason=str(exc)))
    has_key = bool(env.get(_ELEVENLABS_KEY, "").strip())
    rows.append(provider_status(
        "speech", "elevenlabs", configured=has_key, in_use=chosen == "elevenlabs",
        base_url=cfg.base_url if cfg and chosen == "elevenlabs" else None,
        reason="ELEVENLABS_API_KEY is set (not verified until used)" if has_key
        else "set ELEVENLABS_API_KEY to use ElevenLabs voices",
    ))
    return rows
