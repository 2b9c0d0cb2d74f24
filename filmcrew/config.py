"""Which provider sits behind each seam, from a YAML file and the environment.

Nothing here imports a provider SDK: the config only names providers. The
offline defaults need no keys, so an empty config makes a film.

Precedence: built-in defaults < `filmcrew.yaml` (or the file named by
`FILMCREW_CONFIG`, or `--config`) < environment variables.

Environment variables understood:
- `FILMCREW_CHAT_PROVIDER` (craft | openai | gemini), `FILMCREW_CHAT_MODEL`,
  `FILMCREW_CHAT_BASE_URL`, and `FILMCREW_<ROLE>_MODEL` as `provider:model`
  for one role, built-in or custom (e.g. `FILMCREW_AUDIENCE_MODEL=gemini:gemini-2.5-flash`,
  `FILMCREW_COLORIST_MODEL=openai:gpt-4o-mini` for a role named "colorist"),
  and `FILMCREW_TASK_<TASK>_MODEL` for one task of a role (e.g.
  `FILMCREW_TASK_DESIGN_INTRA_SHOT_SOUND_MODEL=openai:gpt-4o`); a task's model
  wins over its role's. In YAML: `tasks: {design_scene_sound: {provider: ..., model: ...}}`.
- `FILMCREW_CLIP_PROVIDER` (previz | veo | sora | kling),
  `FILMCREW_SPEECH_PROVIDER` (espeak | elevenlabs).
- API keys stay in the provider's usual variable (`OPENAI_API_KEY`,
  `GEMINI_API_KEY`/`GOOGLE_API_KEY`, `ELEVENLABS_API_KEY`,
  `KLING_ACCESS_KEY` + `KLING_SECRET_KEY`); the config names the variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filmcrew.errors import ConfigurationError
from filmcrew.inputs import describe_validation, load_yaml_mapping

__all__ = [
    "ModelConfig",
    "ClipConfig",
    "SpeechConfig",
    "FilmcrewConfig",
    "load_config",
    "ROLE_NAMES",
    "role_model_env",
    "task_model_env",
]

#: The built-in roles, in workflow order (listed first by `filmcrew doctor`).
#: Environment settings do not depend on it: any role's model can be set.
ROLE_NAMES = ("screenwriter", "cinematographer", "audience", "editor", "sound_designer")


class _Section(BaseModel):
    # validate_assignment: a command-line override is checked like a file value.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ModelConfig(_Section):
    """A chat model for one role (or the default for all roles)."""

    provider: Literal["craft", "openai", "gemini", "scripted"] = "craft"
    model: str = "filmcrew-craft-1"
    base_url: str | None = None
    api_key_env: str | None = None
    # Passed to autogen as model_info for servers it does not know (vLLM, Ollama...).
    model_info: dict[str, Any] | None = None
    temperature: float | None = None
    timeout: float = Field(default=120.0, gt=0, le=86400, allow_inf_nan=False)
    max_retries: int = Field(default=3, ge=0, le=20)


class ClipConfig(_Section):
    provider: Literal["previz", "veo", "sora", "kling"] = "previz"
    model: str | None = None
    base_url: str | None = None
    # Up to 4096 a side (DCI 4K): past that a frame no longer fits a sane memory budget.
    width: int = Field(default=1280, ge=64, le=4096, multiple_of=2)
    height: int = Field(default=720, ge=64, le=4096, multiple_of=2)
    fps: int = Field(default=24, ge=1, le=120)
    concurrency: int = Field(default=2, ge=1, le=64)
    timeout: float = Field(default=600.0, gt=0, le=86400, allow_inf_nan=False)
    poll_interval: float = Field(default=5.0, gt=0, le=3600, allow_inf_nan=False)


class SpeechConfig(_Section):
    provider: Literal["espeak", "elevenlabs"] = "espeak"
    base_url: str | None = None
    voice: str | None = None
    # Character name (or "narrator") -> the provider's voice name or id, overriding the casting.
    cast: dict[str, str] = Field(default_factory=dict)


class FilmcrewConfig(_Section):
    chat: ModelConfig = Field(default_factory=ModelConfig)
    roles: dict[str, ModelConfig] = Field(default_factory=dict)
    # One task on its own model (the paper used different models per sound scale):
    # task name -> model, ahead of the role's model.
    tasks: dict[str, ModelConfig] = Field(default_factory=dict)
    clips: ClipConfig = Field(default_factory=ClipConfig)
    speech: SpeechConfig = Field(default_factory=SpeechConfig)
    debate_rounds: int = Field(default=2, ge=0, le=10)
    max_output_retries: int = Field(default=3, ge=0, le=10)
    use_camera_rag: bool = True
    # Audience-centric rhythm control (review, analysis, fine cut from the critique);
    # off for the ablation, when the rough cut is locked as it is.
    use_rhythm_control: bool = True
    source: str = "defaults"

    def model_for(self, role: str) -> ModelConfig:
        return self.roles.get(role, self.chat)

    def task_models(self, tasks: Iterable[str]) -> dict[str, ModelConfig]:
        """The configured models of those of `tasks` that have their own."""
        return {task: self.tasks[task] for task in tasks if task in self.tasks}


def role_model_env(role: str) -> str:
    """The variable that sets one role's model: `FILMCREW_<ROLE>_MODEL`."""
    return f"FILMCREW_{role.upper()}_MODEL"


def task_model_env(task: str) -> str:
    """The variable that sets one task's model: `FILMCREW_TASK_<TASK>_MODEL`."""
    return f"FILMCREW_TASK_{task.upper()}_MODEL"


# FILMCREW_<ROLE>_MODEL is read for any role, so the crew's own names (a
# plugin's "colorist") work without a list here; these are not roles.
_ROLE_MODEL_RE = re.compile(r"^FILMCREW_([A-Z][A-Z0-9_]*)_MODEL$")
_TASK_MODEL_RE = re.compile(r"^FILMCREW_TASK_([A-Z][A-Z0-9_]*)_MODEL$")
_NOT_ROLES = {"CHAT"}


def _role_models_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """{role: "provider:model"} for every `FILMCREW_<ROLE>_MODEL` set in `env`."""
    found: dict[str, str] = {}
    for var, value in env.items():
        match = _ROLE_MODEL_RE.match(var)
        if match and not _TASK_MODEL_RE.match(var) and match.group(1) not in _NOT_ROLES and value:
            found[match.group(1).lower()] = value
    return found


def _task_models_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """{task: "provider:model"} for every `FILMCREW_TASK_<TASK>_MODEL` set in `env`."""
    return {m.group(1).lower(): value for var, value in env.items() if (m := _TASK_MODEL_RE.match(var)) and value}


def _parse_role_model(value: str, base: ModelConfig, *, var: str) -> ModelConfig:
    provider, _, model = value.partition(":")
    if provider not in ("craft", "openai", "gemini", "scripted") or not model:
        raise ConfigurationError(
            f"cannot read {var}={value[:80]!r}: write it as provider:model, e.g. openai:gpt-4o-mini"
        )
    return base.model_copy(update={"provider": provider, "model": model})


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> FilmcrewConfig:
    env = dict(os.environ if env is None else env)
    data: dict[str, Any] = {}
    source = "defaults"
    candidate = Path(path) if path else (Path(env["FILMCREW_CONFIG"]) if env.get("FILMCREW_CONFIG") else None)
    if candidate is None and Path("filmcrew.yaml").exists():
        candidate = Path("filmcrew.yaml")
    if candidate is not None:
        if not candidate.exists():
            raise ConfigurationError(f"config file {candidate} does not exist: fix the path or remove the setting")
        # Bounded, UTF-8, no YAML aliases, a mapping at the top: one line otherwise.
        data = load_yaml_mapping(candidate, "config file")
        source = str(candidate)
    try:
        cfg = FilmcrewConfig.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise ConfigurationError(f"config {source} is invalid: {describe_validation(exc)}") from exc

    chat_updates: dict[str, Any] = {}
    if env.get("FILMCREW_CHAT_PROVIDER"):
        chat_updates["provider"] = env["FILMCREW_CHAT_PROVIDER"]
    if env.get("FILMCREW_CHAT_MODEL"):
        chat_updates["model"] = env["FILMCREW_CHAT_MODEL"]
    if env.get("FILMCREW_CHAT_BASE_URL"):
        chat_updates["base_url"] = env["FILMCREW_CHAT_BASE_URL"]
    if chat_updates:
        try:
            cfg.chat = ModelConfig.model_validate({**cfg.chat.model_dump(), **chat_updates})
        except ValidationError as exc:
            raise ConfigurationError(f"FILMCREW_CHAT_* settings are invalid: {describe_validation(exc)}") from exc
        cfg.source += " + env"
    for role, value in sorted(_role_models_from_env(env).items()):
        cfg.roles[role] = _parse_role_model(value, cfg.roles.get(role, cfg.chat), var=role_model_env(role))
    for task, value in sorted(_task_models_from_env(env).items()):
        cfg.tasks[task] = _parse_role_model(value, cfg.tasks.get(task, cfg.chat), var=task_model_env(task))
    for var, section in (("FILMCREW_CLIP_PROVIDER", cfg.clips), ("FILMCREW_SPEECH_PROVIDER", cfg.speech)):
        if env.get(var):
            try:
                # validate_assignment checks the name against the section's Literal.
                section.provider = env[var]  # type: ignore[assignment]
            except ValidationError:
                choices = get_args(type(section).model_fields["provider"].annotation)
                raise ConfigurationError(f"{var}={env[var][:40]!r} is not a provider: choose one of {', '.join(choices)}") from None
    return cfg
