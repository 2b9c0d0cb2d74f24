"""Choosing a clip provider: the config's choice built, and what `filmcrew doctor` shows.

`make_clip_generator` builds the provider `clips.provider` names, importing
its SDK only then; `describe_clip_providers` reports which providers can
run here. This module sits above the providers and the service, so none of
them imports another in a circle.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filmcrew.config import ClipConfig
from filmcrew.errors import ConfigurationError
from filmcrew.status import ProviderStatus, provider_status
from filmcrew.tools.clips.base import ClipGenerator
from filmcrew.tools.clips.service import ClipService

__all__ = ["CLIP_PROVIDERS", "clip_service_from_config", "describe_clip_providers", "make_clip_generator"]

CLIP_PROVIDERS: tuple[str, ...] = ("previz", "veo", "sora", "kling")


_VEO_KEYS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
_SORA_KEY = "OPENAI_API_KEY"
_KLING_KEYS = ("KLING_ACCESS_KEY", "KLING_SECRET_KEY")


def _require_sdk(module: str, message: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise ConfigurationError(message) from exc


def _has_module(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def make_clip_generator(cfg: ClipConfig, env: Mapping[str, str] | None = None) -> ClipGenerator:
    """The provider `cfg.provider` names, with its key from `env` (default: the
    process environment); its SDK is imported only here."""
    env = os.environ if env is None else env
    options: dict[str, Any] = {"poll_interval": cfg.poll_interval}
    if cfg.model:
        options["model"] = cfg.model
    if cfg.base_url:
        options["base_url"] = cfg.base_url

    if cfg.provider == "previz":
        from filmcrew.tools.clips.previz import PrevizRenderer

        return PrevizRenderer()

    if cfg.provider == "veo":
        key = next((env[k] for k in _VEO_KEYS if env.get(k)), None)
        if not key:
            raise ConfigurationError(
                "clips.provider is veo but no API key is set: set GEMINI_API_KEY (or GOOGLE_API_KEY) "
                "to a key with Vertex AI access, or use clips.provider: previz"
            )
        _require_sdk("google.genai", "the veo clip provider needs google-genai: pip install 'filmcrew[gemini]'")
        from filmcrew.tools.clips.veo import VeoGenerator

        return VeoGenerator(api_key=key, **options)

    if cfg.provider == "sora":
        key = env.get(_SORA_KEY)
        if not key:
            raise ConfigurationError(
                "clips.provider is sora but OPENAI_API_KEY is not set: set it, or use clips.provider: previz"
            )
        _require_sdk("openai", "the sora clip provider needs the openai SDK: pip install 'openai>=1.93'")
        from filmcrew.tools.clips.sora import SoraGenerator

        return SoraGenerator(api_key=key, **options)

    if cfg.provider == "kling":
        missing = [k for k in _KLING_KEYS if not env.get(k)]
        if missing:
            raise ConfigurationError(
                f"clips.provider is kling but {' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set: set KLING_ACCESS_KEY and KLING_SECRET_KEY, "
                "or use clips.provider: previz"
            )
        _require_sdk("httpx", "the kling clip provider needs httpx: pip install 'httpx>=0.27'")
        from filmcrew.tools.clips.kling import KlingGenerator

        return KlingGenerator(access_key=env["KLING_ACCESS_KEY"], secret_key=env["KLING_SECRET_KEY"], **options)

    raise ConfigurationError(
        f"unknown clip provider {cfg.provider!r}: choose one of {', '.join(CLIP_PROVIDERS)}"
    )


def describe_clip_providers(
    cfg: ClipConfig | None = None, env: Mapping[str, str] | None = None
) -> list[ProviderStatus]:
    """For `filmcrew doctor`: each clip provider, whether it can run, why, and whether `cfg` uses it."""
    env = os.environ if env is None else env
    cfg = cfg or ClipConfig()

    def row(name: str, configured: bool, why: str) -> ProviderStatus:
        chosen = name == cfg.provider
        return provider_status(
            "clips", name, configured=configured, reason=why, in_use=chosen,
            model=cfg.model if chosen else None, base_url=cfg.base_url if chosen else None,
        )

    rows = [
        row("previz", True, "offline default, always available")
        if _has_module("filmcrew.tools.clips.previz")
        else row("previz", False, "the previz renderer is missing from this install of filmcrew")
    ]

    veo_key = next((k for k in _VEO_KEYS if env.get(k)), None)
    if not veo_key:
        rows.append(row("veo", False, "needs GEMINI_API_KEY (or GOOGLE_API_KEY) with Vertex AI access"))
    elif not _has_module("google.genai"):
        rows.append(row("veo", False, f"{veo_key} is set but google-genai is missing: pip install 'filmcrew[gemini]'"))
    else:
        rows.append(row("veo", True, f"{veo_key} is set"))

    if not env.get(_SORA_KEY):
        rows.append(row("sora", False, "needs OPENAI_API_KEY"))
    elif not _has_module("openai"):
        rows.append(row("sora", False, "OPENAI_API_KEY is set but the openai SDK is missing: pip install openai"))
    else:
        # The key alone does not prove the endpoint still serves videos.
        why = "OPENAI_API_KEY is set (OpenAI scheduled the Sora API to shut down on 2026-09-24)"
        rows.append(row("sora", True, why))

    if any(not env.get(k) for k in _KLING_KEYS):
        rows.append(row("kling", False, "needs KLING_ACCESS_KEY and KLING_SECRET_KEY"))
    else:
        rows.append(row("kling", True, "KLING_ACCESS_KEY and KLING_SECRET_KEY are set"))
    return rows


def clip_service_from_config(
    cfg: ClipConfig,
    cache_dir: str | Path,
    *,
    generator: ClipGenerator | None = None,
    env: Mapping[str, str] | None = None,
) -> ClipService:
    """A `ClipService` with the config's provider, size, fps, concurrency and timeout."""
    return ClipService(
        generator or make_clip_generator(cfg, env),
        cache_dir,
        resolution=(cfg.width, cfg.height),
        fps=cfg.fps,
        concurrency=cfg.concurrency,
        timeout=cfg.timeout,
    )
