"""The production: the stage machine the group-chat manager walks.

It knows the professional workflow (the ordered stages), where the run
stands (the first stage whose outputs are missing or stale), and inside a
stage whose turn it is: the proposer, then the critic, then the proposer
again with the critic's notes, for a bounded number of rounds. The team's
`selector_func` asks it for the next speaker; each agent asks it for its
assignment and hands its typed output back.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from filmcrew.agents.agent import Assignment, RejectedOutput
from filmcrew.agents.role import RoleSpec
from filmcrew.config import FilmcrewConfig
from filmcrew.errors import ConfigurationError
from filmcrew.memory.film_references import cache_root
from filmcrew.memory.models import AudienceProfile, Brief, Critique
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration.events import CrewEvent, Progress, StageCompleted, StageSkipped, StageStarted

__all__ = ["Production", "Services"]


@dataclass
class Services:
    """The providers behind the seams, created lazily so a run only loads what it uses."""

    clip_generator: Callable[[], Any]
    speech: Callable[[], Any]
    sound_library: Callable[[], Any]
    reference_index: Callable[[], Any]
    _made: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name not in self._made:
            self._made[name] = getattr(self, name)()
        return self._made[name]


class Production:
    def __init__(
        self,
        run: RunDir,
        brief: Brief,
        audience: AudienceProfile,
        config: FilmcrewConfig,
        roles: dict[str, RoleSpec],
        stages: list[Any],
        services: Services,
        *,
        emit: Callable[[CrewEvent], None] | None = None,
    ) -> None:
        self.run = run
        self.brief = brief
        self.audience = audience
        self.config = config
        self.roles = roles
        self.stages = stages
        self.services = services
        # Events raised before anyone listens (stages found up to date on resume)
        # wait here for the first listener.
        self._early: list[CrewEvent] = []
        self._emit = emit or self._early.append
        self._tools: dict[str, Any] = {}
        self.failure: str | None = None
        self.failed_stage: str | None = None
        self.scratch: dict[str, Any] = {}
        # Clips are cached across runs: an unchanged shot is never generated twice.
        self.clip_cache_dir = cache_root() / "clips"
        self._index = 0
        self._phase = "propose"
        self._round = 0
        self._draft: BaseModel | None = None
        self._feedback = ""
        self._started: set[str] = set()
        self._check_roles()
        self.refresh()

    # -- wiring ----------------------------------------------------------------
    def _check_roles(self) -> None:
        for stage in self.stages:
            for role, task in [(stage.role, stage.task)] + ([stage.critic] if stage.critic else []):
                if role not in self.roles:
                    raise ConfigurationError(f"stage {stage.name!r} needs role {role!r}, which is not in the crew")
                self.roles[role].output_type(task)

    def set_emitter(self, emit: Callable[[CrewEvent], None]) -> None:
        self._emit = emit
        early, self._early = self._early, []
        for event in early:
            emit(event)

    def emit(self, event: CrewEvent) -> None:
        self._emit(event)

    def progress(self, stage: str, done: int, total: int, label: str = "") -> None:
        self._emit(Progress(stage=stage, done=done, total=total, label=label))

    def register_tools(self, tools: dict[str, Any]) -> None:
        self._tools.update(tools)

    def tools_for(self, role: str) -> list[Any]:
        spec = self.roles[role]
        out = []
        for tool in spec.tools:
            if isinstance(tool, str):
                if tool not in self._tools:
                    raise ConfigurationError(f"role {role!r} asks for unknown tool {tool!r}; known: {', '.join(sorted(self._tools))}")
                out.append(self._tools[tool])
            else:
                out.append(tool)
        return out

    # -- where the run stands ----------------------------------------------------
    def stage_fingerprint(self, stage: Any) -> str:
        from filmcrew import __version__

        # A new filmcrew release may answer the same inputs differently: recompute then.
        return self.run.fingerprint(stage.inputs, extra={"filmcrew": __version__, "params": stage.params(self) if stage.params else None})

    def stage_is_fresh(self, stage: Any) -> bool:
        if not self.run.stage_is_fresh(stage.name, self.stage_fingerprint(stage), stage.outputs):
            return False
        return stage.verify(self) if stage.verify else True

    def refresh(self) -> None:
        """Move the cursor to the first stage whose outputs are missing or stale."""
        for i, stage in enumerate(self.stages):
            if not self.stage_is_fresh(stage):
                if i != self._index or stage.name not in self._started:
                    self._index, self._phase, self._round, self._draft, self._feedback = i, "propose", 0, None, ""
                return
            if stage.name not in self._started and i >= self._index:
                self._started.add(stage.name)
                self._emit(StageSkipped(stage=stage.name, reason="outputs are up to date"))
        self._index = len(self.stages)

    @property
    def done(self) -> bool:
        return self._index >= len(self.stages) and self.failure is None

    @property
    def current_stage(self) -> Any | None:
        return self.stages[self._index] if self._index < len(self.stages) else None

    def next_speaker(self) -> str | None:
        stage = self.current_stage
        if stage is None or self.failure:
            return None
        if stage.name not in self._started:
            self._started.add(stage.name)
            self._emit(StageStarted(stage=stage.name, role=stage.role, index=self._index + 1, total=len(self.stages)))
        return stage.critic[0] if self._phase == "critique" else stage.role

    # -- the assignment source the agents talk to ----------------------------------
    def assignment_for(self, role: str) -> Assignment:
        stage = self.current_stage
        if stage is None:
            raise RuntimeError("the production is complete; no assignment")
        if self._phase == "critique":
            critic_role, task = stage.critic
            if role != critic_role:
                raise RuntimeError(f"{role} spoke out of turn; {critic_role} critiques {stage.name}")
            variables = stage.critic_context(self, self._draft)
            return Assignment(stage=stage.name, task=task, phase="critique", variables=variables,
                              output_type=self.roles[role].output_type(task), tools=self.tools_for(role))
        if role != stage.role:
            raise RuntimeError(f"{role} spoke out of turn; {stage.role} proposes {stage.name}")
        variables = stage.context(self)
        variables["feedback"] = self._feedback
        output_type = self.roles[role].output_type(stage.task)
        return Assignment(
            stage=stage.name, task=stage.task, phase="revise" if self._round else "propose", variables=variables,
            output_type=None if stage.result_tool else output_type, tools=self.tools_for(role),
            result_tool=stage.result_tool, result_type=output_type if stage.result_tool else None,
            images=(lambda: stage.images(self)) if stage.images else None,
        )

    async def submit(self, role: str, assignment: Assignment, output: BaseModel) -> str:
        stage = self.current_stage
        assert stage is not None
        try:
            if assignment.phase == "critique":
                return await self._take_critique(stage, output)  # type: ignore[arg-type]
            if stage.critic and self._round < self.config.debate_rounds:
                if stage.check:
                    stage.check(self, output)
                self._draft = output
                self.run.write_model(f"drafts/{stage.name}.round{self._round + 1}.json", output)
                self._phase = "critique"
                return f"[{stage.name}] proposal (round {self._round + 1}): {stage.summarise(self, output)}"
            return await self._finalise(stage, output, proposals=self._round + 1)
        except RejectedOutput:
            raise
        except Exception as exc:  # noqa: BLE001 - kept as the run's failure, with its traceback on disk
            self.report_failure(role, assignment, f"{type(exc).__name__}: {exc}")
            self.run.write_json("failure.json", {"stage": stage.name, "error": str(exc), "traceback": traceback.format_exc()})
            return f"[{stage.name}] failed: {exc}"

    async def _take_critique(self, stage: Any, critique: Critique) -> str:
        self._round += 1
        if critique.approve:
            rounds = self._round
            summary = await self._finalise(stage, self._draft, proposals=rounds)
            return f"[{stage.name}] approved after {rounds} round(s). {summary}"
        self._feedback = "; ".join(critique.notes)
        # The proposer revises; once the rounds are spent, that revision stands (see submit).
        self._phase = "propose"
        return f"[{stage.name}] notes for round {self._round + 1}: {self._feedback}"

    async def _finalise(self, stage: Any, output: BaseModel, *, proposals: int) -> str:
        summary = await stage.apply(self, output, proposals)
        self.run.record_stage(stage.name, self.stage_fingerprint(stage), stage.outputs)
        self._emit(StageCompleted(stage=stage.name, outputs=list(stage.outputs), summary=summary))
        self._phase, self._round, self._draft, self._feedback = "propose", 0, None, ""
        self._index += 1
        self.refresh()
        return f"[{stage.name}] {summary}"

    def report_failure(self, role: str, assignment: Assignment, error: str) -> None:
        self.failure = error
        self.failed_stage = assignment.stage

    # -- persistence of the cursor --------------------------------------------------
    def cursor_state(self) -> dict[str, Any]:
        return {"index": self._index, "phase": self._phase, "round": self._round, "feedback": self._feedback,
                "draft": self._draft.model_dump(mode="json") if self._draft is not None else None,
                "draft_type": type(self._draft).__name__ if self._draft is not None else None}

    def restore_cursor(self, state: dict[str, Any]) -> None:
        """Continue a debate where it stopped, if the stage is still the current one."""
        stage = self.current_stage
        if stage is None or state.get("index") != self._index or not state.get("draft"):
            return
        output_type = self.roles[stage.role].output_type(stage.task)
        if output_type is None or state.get("draft_type") != output_type.__name__:
            return
        self._phase = state.get("phase", "propose")
        self._round = int(state.get("round", 0))
        self._feedback = state.get("feedback", "")
        self._draft = output_type.model_validate(state["draft"])
