"""The built-in audience archetypes and custom profiles from YAML files."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from filmcrew.errors import InputError
from filmcrew.inputs import describe_validation, load_yaml_mapping
from filmcrew.memory.models import AudienceProfile

__all__ = ["MAX_AUDIENCE_FILE_BYTES", "builtin_audiences", "get_audience", "load_audience_file"]

#: A profile is a dozen short lines; 64 KiB leaves room for long descriptions.
MAX_AUDIENCE_FILE_BYTES = 64 * 1024


@lru_cache(maxsize=1)
def builtin_audiences() -> dict[str, AudienceProfile]:
    text = resources.files("filmcrew.memory").joinpath("data/audiences.yaml").read_text(encoding="utf-8")
    return {item["name"]: AudienceProfile.model_validate(item) for item in yaml.safe_load(text)}


def get_audience(name: str) -> AudienceProfile:
    profiles = builtin_audiences()
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in profiles:
        raise InputError(f"unknown audience {name[:60]!r}: choose one of {', '.join(profiles)} or pass --audience-file PROFILE.yaml")
    return profiles[key]


def load_audience_file(path: str | Path) -> AudienceProfile:
    """A custom profile from YAML: bounded in size, no aliases, every missing field named."""
    path = Path(path)
    data = load_yaml_mapping(path, "audience file", limit=MAX_AUDIENCE_FILE_BYTES)
    try:
        return AudienceProfile.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"audience file {path} is not a valid profile: {describe_validation(exc)}") from None
