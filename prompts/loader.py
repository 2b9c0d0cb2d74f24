"""Load a role's prompt file and render its task templates.

A prompt file is YAML with a `system` text and `tasks`, each task a Jinja2
template with the list of variables it `requires`. Templates render with
`StrictUndefined`, and at load time the variables a template uses are checked
against what it declares, so a typo fails when the crew is built, not an hour
into a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, meta

from filmcrew.errors import ConfigurationError

__all__ = ["RolePrompt", "TaskTemplate", "load_prompt", "prompt_from_text"]

_ENV = Environment(undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@dataclass(frozen=True)
class TaskTemplate:
    name: str
    requires: tuple[str, ...]
    source: str

    def render(self, variables: dict[str, Any]) -> str:
        missing = [key for key in self.requires if key not in variables]
        if missing:
            raise ConfigurationError(f"task {self.name!r} needs {', '.join(missing)} to render its prompt")
        return _ENV.from_string(self.source).render(**variables)


@dataclass(frozen=True)
class RolePrompt:
    role: str
    system: str
    tasks: dict[str, TaskTemplate] = field(default_factory=dict)
    origin: str = ""

    def task(self, name: str) -> TaskTemplate:
        try:
            return self.tasks[name]
        except KeyError:
            raise ConfigurationError(
                f"prompt {self.origin or self.role} has no task {name!r}; it has {', '.join(sorted(self.tasks)) or 'none'}"
            ) from None


def _check_template(origin: str, name: str, source: str, requires: list[str]) -> None:
    try:
        used = meta.find_undeclared_variables(_ENV.parse(source))
    except TemplateSyntaxError as exc:
        raise ConfigurationError(f"{origin}: task {name!r} is not a valid template: {exc}") from exc
    undeclared = sorted(used - set(requires))
    if undeclared:
        raise ConfigurationError(
            f"{origin}: task {name!r} uses {', '.join(undeclared)} but does not list it under `requires`"
        )


def prompt_from_text(text: str, *, role: str, origin: str = "<inline>") -> RolePrompt:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("system"), str):
        raise ConfigurationError(f"{origin} must be a mapping with a `system` text and `tasks`")
    tasks: dict[str, TaskTemplate] = {}
    for name, spec in (data.get("tasks") or {}).items():
        if not isinstance(spec, dict) or "template" not in spec:
            raise ConfigurationError(f"{origin}: task {name!r} needs a `template`")
        requires = list(spec.get("requires") or [])
        _check_template(origin, name, spec["template"], requires)
        tasks[name] = TaskTemplate(name=name, requires=tuple(requires), source=spec["template"])
    _check_template(origin, "system", data["system"], [])
    return RolePrompt(role=role, system=data["system"].strip(), tasks=tasks, origin=origin)


def load_prompt(role_or_path: str | Path) -> RolePrompt:
    """Load `prompts/<role>.yaml` from the package, or a YAML file by path."""
    path = Path(role_or_path)
    if path.suffix in (".yaml", ".yml"):
        if not path.exists():
            raise ConfigurationError(f"prompt file {path} does not exist")
        return prompt_from_text(path.read_text(encoding="utf-8"), role=path.stem, origin=str(path))
    resource = resources.files("filmcrew.prompts").joinpath(f"{role_or_path}.yaml")
    if not resource.is_file():
        raise ConfigurationError(f"no built-in prompt for role {role_or_path!r}: pass a prompt file path")
    return prompt_from_text(resource.read_text(encoding="utf-8"), role=str(role_or_path), origin=f"prompts/{role_or_path}.yaml")
