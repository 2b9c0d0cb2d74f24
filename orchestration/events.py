"""Typed events of a run: what a console view, a notebook or a test consumes."""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, Field

__all__ = [
    "StageStarted",
    "StageSkipped",
    "StageCompleted",
    "AgentTurn",
    "DirectorNote",
    "Progress",
    "RunCompleted",
    "RunFailed",
    "CrewEvent",
]


class _Event(BaseModel):
    pass


class StageStarted(_Event):
    type: Literal["stage_started"] = "stage_started"
    stage: str
    role: str
    index: int
    total: int


class StageSkipped(_Event):
    type: Literal["stage_skipped"] = "stage_skipped"
    stage: str
    reason: str


class StageCompleted(_Event):
    type: Literal["stage_completed"] = "stage_completed"
    stage: str
    outputs: list[str]
    summary: str


class AgentTurn(_Event):
    type: Literal["agent_turn"] = "agent_turn"
    speaker: str
    stage: str
    task: str
    phase: str
    summary: str
    tool_calls: list[str] = Field(default_factory=list)
    usage: dict[str, int] = Field(default_factory=dict)
    error: bool = False


class DirectorNote(_Event):
    type: Literal["director_note"] = "director_note"
    text: str


class Progress(_Event):
    type: Literal["progress"] = "progress"
    stage: str
    done: int
    total: int
    label: str = ""


class RunCompleted(_Event):
    type: Literal["run_completed"] = "run_completed"
    run_dir: str
    film: str
    timeline: str
    duration: float


class RunFailed(_Event):
    type: Literal["run_failed"] = "run_failed"
    stage: str
    error: str


CrewEvent = Union[StageStarted, StageSkipped, StageCompleted, AgentTurn, DirectorNote, Progress, RunCompleted, RunFailed]
