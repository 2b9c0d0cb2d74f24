"""The built-in audience archetypes and custom profiles from YAML files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from filmcrew.errors import InputError
from filmcrew.memory.models import AudienceProfile

__all__ = ["builtin_audiences", "get_audience", "load_audience_file"]


@lru_cache(maxsize=1)
def builtin_audiences() -> dict[str, AudienceProfile]:
    text = resources.files("filmcrew.memory").joinpath("data/audiences.yaml").read_text(encoding="utf-8")
    return {item["name"]: AudienceProfile.model_validate(item) for item in yaml.safe_load(text)}


def get_audience(name: str) -> AudienceProfile:
    profiles = builtin_audiences()
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in profiles:
        raise InputError(f"unknown audience {name!r}: choose one of {', '.join(profiles)} or pass --audience-file PROFILE.yaml")
    return profiles[key]


def load_audience_file(path: str | Path) -> AudienceProfile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return AudienceProfile.model_validate(data)
    except OSError as exc:
        raise InputError(f"cannot read audience file {path}: {exc.strerror}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise InputError(f"audience file {path} is not a valid profile: {str(exc).splitlines()[0]}") from exc
