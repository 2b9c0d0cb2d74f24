"""The production: the stage machine the group-chat manager walks.

It knows the professional workflow (the ordered stages), where the run
stands (the first stage whose outputs are missing or stale), and inside a
stage whose turn it is: the proposer, then the critic, then the proposer
again with the critic's notes, for a bounded number of rounds. The team's
`selector_func` asks it for the next speaker; each agent asks it for its
assignment and hands its typed output back.

It also owns the run's budgets and failure state. The cursor, the debate,
the turn count and the failure change only through its methods; stages see
only the typed `StageContext` (`Production.context`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from typing import Any

from autogen_core.tools import BaseTool
from pydantic import BaseModel

from filmcrew.agents.agent import Assignment, RejectedOutput
from filmcrew.agents.role import RoleSpec
from filmcrew.config import FilmcrewConfig
from filmcrew.errors import ConfigurationError
from filmcrew.memory.models import AudienceProfile, Brief, Critique
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration.context import Services, StageContext
from filmcrew.orchestration.events import CrewEvent, Progress, StageCompleted, StageSkipped, StageStarted
from filmcrew.orchestration.stages import StageSpec

__all__ = ["Production", "MAX_TURNS_PER_RUN"]

# Agent turns one production may take, all runs and resumes together, before it
# is stopped as stuck (the default film takes about 15).
MAX_TURNS_PER_RUN = 200


class Production:
    def __init__(
        self,
        run: RunDir,
        brief: Brief,
        audience: AudienceProfile,
        config: FilmcrewConfig,
        roles: dict[str, RoleSpec],
        stages: Sequence[StageSpec[Any]],
        services: Services,
        *,
        emit: Callable[[CrewEvent], None] | None = None,
        max_turns: int = MAX_TURNS_PER_RUN,
    ) -> None:
        self.roles = roles
        self.stages: tuple[StageSpec[Any], ...] = tuple(stages)
        self.max_turns = max_turns
        # Events raised before anyone listens (stages found up to date on resume)
        # wait here for the first listener.
        self._early: list[CrewEvent] = []
        self._emit = emit or self._early.append
        self.context = StageContext(run=run, brief=brief, audience=audience, config=config, services=services, progress=self.progress)
        self._failure: str | None = None
        self._failed_stage: str | None = None
        self._turns = 0
        self._index = 0
        self._phase = "propose"
        self._round = 0
        self._draft: BaseModel | None = None
        self._feedback = ""
        self._started: set[str] = set()
        self._check_roles()
        self._tools, self._offered = self._collect_tools()
        self.refresh()

    @property
    def run(self) -> RunDir:
        return self.context.run

    # -- wiring ----------------------------------------------------------------------
    def _check_roles(self) -> None:
        names = [s.name for s in self.stages]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ConfigurationError(f"stage names must be unique; repeated: {', '.join(doubled)}")
        for stage in self.stages:
            for role, task in [(stage.role, stage.task)] + ([stage.critic] if stage.critic else []):
                if role not in self.roles:
                    raise ConfigurationError(f"stage {stage.name!r} needs role {role!r}, which is not in the crew")
                self.roles[role].output_type(task)

    def _collect_tools(self) -> tuple[dict[str, BaseTool[Any, Any]], dict[str, set[str] | None]]:
        """Every stage's tools by name, and which names each stage offers (None: all)."""
        tools: dict[str, BaseTool[Any, Any]] = {}
        owner: dict[str, str] = {}
        offered: dict[str, set[str] | None] = {}
        for stage in self.stages:
            if stage.tools is None:
                offered[stage.name] = None
                continue
            names = set()
            for tool in stage.tools(self.context):
                if tool.name in tools:
                    raise ConfigurationError(f"stages {owner[tool.name]!r} and {stage.name!r} both define a tool named {tool.name!r}")
                tools[tool.name], owner[tool.name] = tool, stage.name
                names.add(tool.name)
            offered[stage.name] = names
        return tools, offered

    @property
    def tool_names(self) -> list[str]:
        return sorted(self._tools)

    def tools_for(self, role: str, stage: StageSpec[Any] | None = None) -> list[BaseTool[Any, Any]]:
        """The tools `role` may call: those its spec names (resolved among the stages'
        tools) or brings itself; inside `stage`, only those the stage offers."""
        spec = self.roles[role]
        offered = self._offered.get(stage.name) if stage is not None else None
        out: list[BaseTool[Any, Any]] = []
        for tool in spec.tools:
            if not isinstance(tool, str):
                out.append(tool)
                continue
            if tool not in self._tools:
                raise ConfigurationError(f"role {role!r} asks for unknown tool {tool!r}; known: {', '.join(self.tool_names)}")
            if offered is None or tool in offered:
                out.append(self._tools[tool])
        return out

    def set_emitter(self, emit: Callable[[CrewEvent], None]) -> None:
        self._emit = emit
        early, self._early = self._early, []
        for event in early:
            emit(event)

    def emit(self, event: CrewEvent) -> None:
        self._emit(event)

    def progress(self, stage: str, done: int, total: int, label: str = "") -> None:
        self._emit(Progress(stage=stage, done=done, total=total, label=label))

    # -- where the run stands ----------------------------------------------------------
    def stage_fingerprint(self, stage: StageSpec[Any]) -> str:
        from filmcrew import __version__

        # A new filmcrew release may answer the same inputs differently: recompute then.
        params = stage.params(self.context) if stage.params else None
        return self.run.fingerprint(stage.inputs, extra={"filmcrew": __version__, "params": params})

    def stage_is_fresh(self, stage: StageSpec[Any]) -> bool:
        if not self.run.stage_is_fresh(stage.name, self.stage_fingerprint(stage), stage.outputs):
            return False
        return stage.verify(self.context) if stage.verify else True

    def _rebuild_manifest(self) -> None:
        """A damaged manifest was set aside: record each stage whose outputs are all
        there, readable and verified, in workflow order, up to the first that is not."""
        for stage in self.stages:
            try:
                usable = all(self.run.exists(name) for name in stage.outputs) and all(
                    self.run.read_json(name) is not None for name in stage.outputs if name.endswith(".json")
                ) and (stage.verify(self.context) if stage.verify else True)
            except Exception:  # noqa: BLE001 - an output that cannot be read is redone, not trusted
                usable = False
            if not usable:
                break
            self.run.record_stage(stage.name, self.stage_fingerprint(stage), stage.outputs)
        self.run.manifest_damaged = False

    def refresh(self) -> None:
        """Move the cursor to the first stage whose outputs are missing or stale."""
        self.run.manifest()  # sets manifest_damaged when it had to set the file aside
        if self.run.manifest_damaged:
            self._rebuild_manifest()
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
        return self._index >= len(self.stages) and self._failure is None

    @property
    def current_stage(self) -> StageSpec[Any] | None:
        return self.stages[self._index] if self._index < len(self.stages) else None

    @property
    def phase(self) -> str:
        """"propose" or "critique": who of the current stage speaks next."""
        return self._phase

    @property
    def debate_round(self) -> int:
        """How many critiques the current stage's proposal has had."""
        return self._round

    def next_speaker(self) -> str | None:
        stage = self.current_stage
        if stage is None or self._failure:
            return None
        if stage.name not in self._started:
            self._started.add(stage.name)
            self._emit(StageStarted(stage=stage.name, role=stage.role, index=self._index + 1, total=len(self.stages)))
        if self._phase == "critique" and stage.critic:
            return stage.critic[0]
        return stage.role

    # -- budgets and failure --------------------------------------------------------------
    @property
    def failure(self) -> str | None:
        return self._failure

    @property
    def failed_stage(self) -> str | None:
        return self._failed_stage

    @property
    def turns(self) -> int:
        return self._turns

    def fail(self, error: str, stage: str | None = None) -> None:
        """Stop the run. The first failure is the cause; later ones are its echoes."""
        if self._failure is None:
            self._failure = error
            current = self.current_stage
            self._failed_stage = stage or (current.name if current else "")

    def count_turn(self) -> None:
        """One agent turn was taken (see `over_budget`)."""
        self._turns += 1

    def over_budget(self) -> bool:
        """True (and the run failed) when the turn budget is spent without finishing."""
        if self.done or self._failure:
            return False
        if self._turns >= self.max_turns:
            self.fail(f"stopped after {self.max_turns} turns without finishing")
            return True
        return False

    def restore_turns(self, turns: int) -> None:
        """Carry the turn count of an earlier run of this production over a resume."""
        if turns < 0:
            raise ValueError(f"a turn count cannot be negative, got {turns}")
        self._turns = turns

    # -- the assignment source the agents talk to ---------------------------------------
    def assignment_for(self, role: str) -> Assignment:
        stage = self.current_stage
        if stage is None:
            raise RuntimeError("the production is complete; no assignment")
        if self._phase == "critique" and stage.critic:
            critic_role, task = stage.critic
            if role != critic_role:
                raise RuntimeError(f"{role} spoke out of turn; {critic_role} critiques {stage.name}")
            assert self._draft is not None
            return Assignment(stage=stage.name, task=task, phase="critique", variables=stage.critic_variables(self.context, self._draft),
                              output_type=self.roles[role].output_type(task), tools=self.tools_for(role, stage))
        if role != stage.role:
            raise RuntimeError(f"{role} spoke out of turn; {stage.role} proposes {stage.name}")
        variables = stage.context(self.context)
        variables["feedback"] = self._feedback
        output_type = self.roles[role].output_type(stage.task)
        images = stage.images
        return Assignment(
            stage=stage.name, task=stage.task, phase="revise" if self._round else "propose", variables=variables,
            output_type=None if stage.result_tool else output_type, tools=self.tools_for(role, stage),
            result_tool=stage.result_tool, result_type=output_type if stage.result_tool else None,
            images=(lambda: images(self.context)) if images else None,
        )

    async def submit(self, role: str, assignment: Assignment, output: BaseModel) -> str:
        stage = self.current_stage
        assert stage is not None
        try:
            if assignment.phase == "critique":
                if not isinstance(output, Critique):
                    raise RejectedOutput(f"a critique of {stage.name} must be a Critique, not {type(output).__name__}")
                return await self._take_critique(stage, output)
            # Every proposal is checked, also in a stage without a critic and in a debate's
            # last round: what is finalised must pass the same checks as what is critiqued.
            if stage.check:
                stage.check(self.context, output)
            if stage.critic and self._round < self.context.config.debate_rounds:
                self._draft = output
                self.run.write_model(f"drafts/{stage.name}.round{self._round + 1}.json", output)
                self._phase = "critique"
                return f"[{stage.name}] proposal (round {self._round + 1}): {stage.summary_of(self.context, output)}"
            return await self._finalise(stage, output, proposals=self._round + 1)
        except RejectedOutput:
            raise
        except Exception as exc:  # noqa: BLE001 - kept as the run's failure, with its traceback on disk
            self.fail(f"{type(exc).__name__}: {exc}{self._disk_note(exc)}", assignment.stage)
            self.run.write_json("failure.json", {"stage": stage.name, "error": str(exc), "traceback": traceback.format_exc()})
            return f"[{stage.name}] failed: {exc}"

    def _disk_note(self, exc: BaseException) -> str:
        """Libraries report a full disk vaguely ("System error."); say it plainly, with the path."""
        import errno
        import shutil

        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return ""  # already says "No space left on device" and names the file
        try:
            free = shutil.disk_usage(self.run.root).free
        except OSError:
            return ""
        return f" (no space left on device: {free // 2**20} MiB free in {self.run.root})" if free < 64 * 2**20 else ""

    async def _take_critique(self, stage: StageSpec[Any], critique: Critique) -> str:
        self._round += 1
        if critique.approve:
            rounds = self._round
            assert self._draft is not None
            summary = await self._finalise(stage, self._draft, proposals=rounds)
            return f"[{stage.name}] approved after {rounds} round(s). {summary}"
        self._feedback = "; ".join(critique.notes)
        # The proposer revises; once the rounds are spent, that revision stands (see submit).
        self._phase = "propose"
        return f"[{stage.name}] notes for round {self._round + 1}: {self._feedback}"

    async def _finalise(self, stage: StageSpec[Any], output: BaseModel, *, proposals: int) -> str:
        summary = await stage.apply(self.context, output, proposals)
        self.run.record_stage(stage.name, self.stage_fingerprint(stage), stage.outputs)
        self._emit(StageCompleted(stage=stage.name, outputs=list(stage.outputs), summary=summary))
        self._phase, self._round, self._draft, self._feedback = "propose", 0, None, ""
        self._index += 1
        self.refresh()
        return f"[{stage.name}] {summary}"

    def report_failure(self, role: str, assignment: Assignment, error: str) -> None:
        self.fail(error, assignment.stage)

    # -- persistence of the cursor ----------------------------------------------------------
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
