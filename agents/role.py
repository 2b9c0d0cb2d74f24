"""A role is data: a name, a description, a prompt file, the tools it may call,
and the typed output each of its tasks must produce.

The loop that makes a role speak lives in `filmcrew.agents.agent` and the
workflow that decides when it speaks lives in `filmcrew.orchestration`.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from filmcrew.errors import ConfigurationError
from filmcrew.prompts.loader import RolePrompt, load_prompt, prompt_from_text

__all__ = ["RoleSpec", "OfflineRule", "OfflineToolRule", "ToolCallPlan", "normalise_role_name", "tool_name"]

# An offline rule answers one task for the craft model: (context, tool results,
# director notes) -> the typed output (or, for a task whose output is a tool's
# result, a one-line report). Every role, built-in or custom, brings its own in
# `RoleSpec.offline_rules`, so the offline default can play it.
OfflineRule = Callable[[dict[str, Any], list[Any], list[str]], BaseModel | dict[str, Any] | str]

# Which tools the craft model calls before it answers: (context, notes) ->
# [(tool name, arguments)], all sent in one reply.
ToolCallPlan = Callable[[dict[str, Any], list[str]], list[tuple[str, dict[str, Any]]]]


@dataclass(frozen=True)
class OfflineToolRule:
    """An offline rule that calls tools first and answers from their results.

    `tools` names every tool `calls` may ask for; each must be one of the
    role's `RoleSpec.tools`, which is checked when the role is built. The rule
    is itself callable like a plain `OfflineRule` (it answers).
    """

    tools: tuple[str, ...]
    calls: ToolCallPlan
    answer: OfflineRule

    def __call__(self, ctx: dict[str, Any], results: list[Any], notes: list[str]) -> BaseModel | dict[str, Any] | str:
        return self.answer(ctx, results, notes)


def tool_name(tool: Any) -> str:
    """The name of a tool given by name or as a tool object (autogen `BaseTool`)."""
    return tool if isinstance(tool, str) else str(tool.name)


def normalise_role_name(name: str) -> str:
    """autogen needs agent names to be Python identifiers: 'Sound designer' -> 'sound_designer'."""
    candidate = re.sub(r"[^0-9a-zA-Z_]+", "_", name.strip()).strip("_").lower()
    if not candidate or candidate[0].isdigit() or keyword.iskeyword(candidate):
        raise ConfigurationError(f"role name {name!r} cannot become a Python identifier; use letters, digits and _")
    return candidate


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str
    prompt: str | Path | RolePrompt
    outputs: Mapping[str, type[BaseModel] | None]
    tools: Sequence[str | Any] = ()
    offline_rules: Mapping[str, OfflineRule] = field(default_factory=dict)
    # Roles may use a model other than the crew's default (e.g. a multimodal audience).
    model: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", normalise_role_name(self.name))
        if not self.outputs:
            raise ConfigurationError(f"role {self.name!r} declares no tasks: give `outputs` as {{task: OutputModel}}")
        unknown = sorted(set(self.offline_rules) - set(self.outputs))
        if unknown:
            raise ConfigurationError(f"role {self.name!r} has offline rules for task(s) it does not declare: {', '.join(unknown)}")
        own = {tool_name(t) for t in self.tools}
        for task, rule in self.offline_rules.items():
            missing = sorted(set(getattr(rule, "tools", ())) - own)
            if missing:
                raise ConfigurationError(
                    f"the offline rule of {self.name}.{task} calls {', '.join(missing)}, which the role does not list in `tools`"
                )

    def load_prompt(self) -> RolePrompt:
        if isinstance(self.prompt, RolePrompt):
            prompt = self.prompt
        elif isinstance(self.prompt, Path) or str(self.prompt).endswith((".yaml", ".yml")):
            prompt = load_prompt(Path(self.prompt))
        elif "\n" in str(self.prompt):
            prompt = prompt_from_text(str(self.prompt), role=self.name, origin=f"<prompt of {self.name}>")
        else:
            prompt = load_prompt(str(self.prompt))
        missing = sorted(set(self.outputs) - set(prompt.tasks))
        if missing:
            raise ConfigurationError(f"prompt {prompt.origin} of role {self.name!r} has no template for task(s) {', '.join(missing)}")
        return prompt

    def output_type(self, task: str) -> type[BaseModel] | None:
        if task not in self.outputs:
            raise ConfigurationError(f"role {self.name!r} has no task {task!r}")
        return self.outputs[task]

    def with_model(self, model: Any) -> "RoleSpec":
        return replace(self, model=model)
