"""`StageSpec`: one step of the workflow as data, and how custom steps are placed."""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from autogen_core.tools import BaseTool, FunctionTool
from pydantic import BaseModel

from filmcrew.orchestration.context import StageContext

__all__ = ["StageSpec", "insert_stage", "function_tool", "no_tools", "StageTools"]

OutputT = TypeVar("OutputT", bound=BaseModel)

StageTools = Callable[[StageContext], Sequence[BaseTool[Any, Any]]]


@dataclass(frozen=True, kw_only=True)
class StageSpec(Generic[OutputT]):
    """One step of the workflow: who proposes it, who critiques it, what it
    reads and writes, and what happens to the accepted output.

    A step whose work takes several turns of the same role (the screenwriter's
    synopsis, then storyboards, then scene blocks) is several consecutive
    `StageSpec`s, each with its own task, typed output and files: the second
    lists the first's outputs among its `inputs`, so it is fresh only while
    the first is.
    """

    name: str
    role: str
    task: str
    # Run files whose contents make this stage's fingerprint (with `params`).
    inputs: tuple[str, ...]
    # Run files `apply` writes; the stage is stale when one is missing or changed.
    outputs: tuple[str, ...]
    # The variables of the role's prompt template for `task`.
    context: Callable[[StageContext], dict[str, Any]]
    # Turns the accepted output into files; returns a one-line summary.
    apply: Callable[[StageContext, OutputT, int], Awaitable[str]]
    # (role, task) of the critic who may send the proposal back for revision.
    critic: tuple[str, str] | None = None
    critic_context: Callable[[StageContext, OutputT], dict[str, Any]] | None = None
    # For tool stages: the stage's output is what this tool returned.
    result_tool: str | None = None
    # The tools this stage defines. When given, the stage's roles are offered only
    # those of their tools that this stage defines (so a model planning the camera
    # cannot render clips yet); when None, a role gets all of its tools.
    tools: StageTools | None = None
    # Settings that change the outcome; part of the fingerprint.
    params: Callable[[StageContext], Any] | None = None
    # Beyond the fingerprint: are the outputs still usable (e.g. media files exist)?
    verify: Callable[[StageContext], bool] | None = None
    # Rejects a proposal before the critic sees it (raise `RejectedOutput`).
    check: Callable[[StageContext, OutputT], None] | None = None
    # How a proposal is shown in the conversation.
    summarise: Callable[[StageContext, OutputT], str] | None = None
    # Frames a vision-capable model of the proposing role gets to see.
    images: Callable[[StageContext], list[Path]] | None = None
    # For custom stages: the name of the stage this one follows.
    after: str | None = None

    def __post_init__(self) -> None:
        if not self.name or not self.role or not self.task:
            raise ValueError("a stage needs a name, a role and a task")
        overlap = set(self.inputs) & set(self.outputs)
        if overlap:
            raise ValueError(f"stage {self.name!r} lists {', '.join(sorted(overlap))} as both input and output")

    def summary_of(self, ctx: StageContext, output: OutputT) -> str:
        return self.summarise(ctx, output) if self.summarise else type(output).__name__

    def critic_variables(self, ctx: StageContext, draft: OutputT) -> dict[str, Any]:
        return self.critic_context(ctx, draft) if self.critic_context else {}


def insert_stage(stages: Sequence[StageSpec[Any]], stage: StageSpec[Any]) -> list[StageSpec[Any]]:
    """`stages` with `stage` placed after the stage it names in `after` (or at the end)."""
    names = [s.name for s in stages]
    if stage.name in names:
        raise ValueError(f"there already is a stage named {stage.name!r}")
    if stage.after is None:
        return [*stages, stage]
    if stage.after not in names:
        raise ValueError(f"stage {stage.name!r} wants to follow {stage.after!r}, which is not a stage: {', '.join(names)}")
    i = names.index(stage.after) + 1
    return [*stages[:i], stage, *stages[i:]]


def no_tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    """For a stage whose roles call no tools: they answer from the context alone."""
    return []


def function_tool(func: Callable[..., Awaitable[Any]], *, name: str | None = None) -> FunctionTool:
    """An autogen tool named `name` (default: after `func`), described by its
    docstring, whose dict results reach the model as JSON (autogen would send
    Python repr)."""

    @functools.wraps(func)
    async def as_json(*args: Any, **kwargs: Any) -> Any:
        value = await func(*args, **kwargs)
        if isinstance(value, dict):
            return json.dumps(value, default=str)
        return value

    # autogen reads the annotations in the wrapper's module; resolve them in the tool's own.
    as_json.__annotations__ = typing.get_type_hints(func)
    return FunctionTool(as_json, description=(func.__doc__ or "").strip(), name=name or func.__name__)
