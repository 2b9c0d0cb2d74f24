"""The production's stage machine on its own: debate rounds, freshness, the saved
cursor, budgets and which tools a stage offers, with no crew and no model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from support import small_config
from filmcrew.agents.agent import Assignment, RejectedOutput
from filmcrew.agents.role import RoleSpec
from filmcrew.errors import ConfigurationError
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.models import Brief, Critique
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration import Production, Services, StageContext, StageSpec, function_tool, insert_stage
from filmcrew.orchestration.events import CrewEvent, StageCompleted, StageSkipped


class Draft(BaseModel):
    text: str


PROMPT = ("system: test\ntasks:\n  write:\n    requires: []\n    template: w\n  polish:\n    requires: []\n    template: p\n"
          "  judge:\n    requires: []\n    template: j\n")
WRITER = RoleSpec(name="writer", description="writes", prompt=PROMPT, outputs={"write": Draft, "polish": Draft})
JUDGE = RoleSpec(name="judge", description="judges", prompt=PROMPT, outputs={"judge": Critique})


def _no_service() -> Any:
    raise AssertionError("these stages use no provider")


def _services() -> Services:
    return Services(clip_generator=_no_service, speech=_no_service, sound_library=_no_service, reference_index=_no_service)


class Recorder:
    """Stage callables that write what they are given and remember how they were called."""

    def __init__(self) -> None:
        self.applied: list[tuple[str, str, int]] = []
        self.fresh = True

    def stage(self, name: str, *, inputs: tuple[str, ...], output: str, critic: bool = False, **extra: Any) -> StageSpec[Draft]:
        async def apply(ctx: StageContext, out: Draft, proposals: int) -> str:
            ctx.run.path(output).write_text(out.text)
            self.applied.append((name, out.text, proposals))
            return f"wrote {output}"

        def check(ctx: StageContext, out: Draft) -> None:
            if not out.text:
                raise RejectedOutput("say something")

        return StageSpec(name=name, role="writer", task="write" if name == "draft" else "polish", inputs=inputs, outputs=(output,),
                         context=lambda ctx: {"brief": ctx.brief.text}, apply=apply, check=check,
                         critic=("judge", "judge") if critic else None,
                         critic_context=lambda ctx, draft: {"draft": draft.text},
                         verify=lambda ctx: self.fresh, **extra)


def _production(root: Path, stages: list[StageSpec[Any]], *, rounds: int = 2, events: list[CrewEvent] | None = None,
                max_turns: int = 200, writer: RoleSpec = WRITER) -> Production:
    config = small_config()
    config.debate_rounds = rounds
    run = RunDir(root).ensure()
    brief = Brief(text="A lighthouse keeper finds a message in a bottle.", target_duration=8)
    run.write_model("brief.json", brief)
    return Production(run, brief, get_audience("general"), config, {"writer": writer, "judge": JUDGE}, stages, _services(),
                      emit=(events.append if events is not None else None), max_turns=max_turns)


async def _say(p: Production, role: str, output: BaseModel) -> str:
    assert p.next_speaker() == role
    assignment = p.assignment_for(role)
    return await p.submit(role, assignment, output)


def _two_stages(rec: Recorder, *, critic: bool = True) -> list[StageSpec[Any]]:
    return [rec.stage("draft", inputs=("brief.json",), output="draft.txt", critic=critic),
            rec.stage("polish", inputs=("draft.txt",), output="polished.txt")]


async def test_the_critic_sends_the_draft_back_until_the_rounds_are_spent(tmp_path: Path):
    rec = Recorder()
    p = _production(tmp_path, _two_stages(rec), rounds=2)
    assert p.assignment_for("writer").phase == "propose"
    await _say(p, "writer", Draft(text="v1"))
    critique = p.assignment_for("judge")
    assert critique.phase == "critique" and critique.variables == {"draft": "v1"}
    await _say(p, "judge", Critique(approve=False, notes=["shorter"]))
    revise = p.assignment_for("writer")
    assert revise.phase == "revise" and revise.variables["feedback"] == "shorter"
    await _say(p, "writer", Draft(text="v2"))
    await _say(p, "judge", Critique(approve=False, notes=["warmer"]))
    # Both rounds spent: the second revision stands without another critique.
    await _say(p, "writer", Draft(text="v3"))
    assert rec.applied == [("draft", "v3", 3)]
    assert p.current_stage is not None and p.current_stage.name == "polish"
    assert (tmp_path / "drafts" / "draft.round1.json").exists() and (tmp_path / "drafts" / "draft.round2.json").exists()


async def test_an_approved_draft_is_applied_at_once_and_no_critic_means_no_debate(tmp_path: Path):
    rec = Recorder()
    p = _production(tmp_path / "a", _two_stages(rec), rounds=2)
    await _say(p, "writer", Draft(text="good"))
    summary = await _say(p, "judge", Critique(approve=True, notes=[]))
    assert "approved after 1 round(s)" in summary and rec.applied == [("draft", "good", 1)]
    rec2 = Recorder()
    q = _production(tmp_path / "b", _two_stages(rec2), rounds=0)
    await _say(q, "writer", Draft(text="first"))
    assert rec2.applied == [("draft", "first", 1)]


async def test_a_proposal_the_check_rejects_goes_back_to_the_model(tmp_path: Path):
    p = _production(tmp_path, _two_stages(Recorder()))
    with pytest.raises(RejectedOutput, match="say something"):
        await _say(p, "writer", Draft(text=""))
    assert p.phase == "propose" and p.next_speaker() == "writer"


async def test_finished_stages_are_skipped_until_an_input_changes(tmp_path: Path):
    rec = Recorder()
    p = _production(tmp_path, _two_stages(rec, critic=False))
    await _say(p, "writer", Draft(text="one"))
    await _say(p, "writer", Draft(text="two"))
    assert p.done
    events: list[CrewEvent] = []
    again = _production(tmp_path, _two_stages(rec, critic=False), events=events)
    assert again.done and [e.stage for e in events if isinstance(e, StageSkipped)] == ["draft", "polish"]
    # The draft changed on disk: the stage that read it is stale, the one before is not.
    (tmp_path / "draft.txt").write_text("edited by hand")
    assert _production(tmp_path, _two_stages(rec, critic=False)).current_stage.name == "draft"  # type: ignore[union-attr]
    # An output that fails its own verification (media gone) makes its stage run again.
    rec.fresh = False
    assert _production(tmp_path, _two_stages(rec, critic=False)).current_stage.name == "draft"  # type: ignore[union-attr]


async def test_a_change_of_params_makes_a_stage_stale(tmp_path: Path):
    rec = Recorder()
    setting = {"value": 1}
    stages = [rec.stage("draft", inputs=("brief.json",), output="draft.txt", params=lambda ctx: dict(setting))]
    p = _production(tmp_path, stages)
    await _say(p, "writer", Draft(text="x"))
    assert _production(tmp_path, stages).done
    setting["value"] = 2
    assert not _production(tmp_path, stages).done


async def test_restore_cursor_continues_a_debate_only_where_it_stopped(tmp_path: Path):
    rec = Recorder()
    p = _production(tmp_path, _two_stages(rec))
    await _say(p, "writer", Draft(text="v1"))
    await _say(p, "judge", Critique(approve=False, notes=["more light"]))
    state = p.cursor_state()
    assert state["phase"] == "propose" and state["round"] == 1 and state["draft_type"] == "Draft"

    resumed = _production(tmp_path, _two_stages(rec))
    resumed.restore_cursor(state)
    assignment = resumed.assignment_for("writer")
    assert assignment.phase == "revise" and assignment.variables["feedback"] == "more light"
    # A cursor saved at another stage, or for another output type, is ignored.
    other = _production(tmp_path, _two_stages(rec))
    other.restore_cursor({**state, "index": 1})
    assert other.assignment_for("writer").phase == "propose"
    other.restore_cursor({**state, "draft_type": "Script"})
    assert other.debate_round == 0


async def test_the_first_failure_stands_and_the_turn_budget_stops_a_stuck_run(tmp_path: Path):
    p = _production(tmp_path, _two_stages(Recorder()), max_turns=2)
    assert not p.over_budget()
    p.count_turn()
    p.count_turn()
    assert p.over_budget() and p.failure == "stopped after 2 turns without finishing" and p.failed_stage == "draft"
    p.fail("a later echo", "polish")
    assert p.failure == "stopped after 2 turns without finishing" and not p.done
    q = _production(tmp_path / "q", _two_stages(Recorder()))
    q.restore_turns(5)
    assert q.turns == 5
    with pytest.raises(ValueError):
        q.restore_turns(-1)


async def test_an_apply_that_crashes_fails_the_run_with_its_traceback_on_disk(tmp_path: Path):
    async def broken(ctx: StageContext, out: Draft, proposals: int) -> str:
        raise OSError("disk full")

    stage = StageSpec(name="draft", role="writer", task="write", inputs=(), outputs=("x",), context=lambda ctx: {}, apply=broken)
    p = _production(tmp_path, [stage])
    summary = await _say(p, "writer", Draft(text="x"))
    assert "failed: disk full" in summary and p.failed_stage == "draft" and p.next_speaker() is None
    assert "OSError" in (tmp_path / "failure.json").read_text()


async def test_a_stage_offers_only_the_tools_it_defines(tmp_path: Path):
    async def look_up(term: str) -> str:
        """Look a word up."""
        return term

    async def stamp() -> str:
        """Stamp the page."""
        return "ok"

    rec = Recorder()
    drafting = rec.stage("draft", inputs=(), output="draft.txt", tools=lambda ctx: [function_tool(look_up)])
    polishing = rec.stage("polish", inputs=("draft.txt",), output="polished.txt", tools=lambda ctx: [function_tool(stamp)])
    writer = replace(WRITER, tools=("look_up", "stamp"))
    p = _production(tmp_path, [drafting, polishing], writer=writer)
    assert [t.name for t in p.assignment_for("writer").tools] == ["look_up"]
    await _say(p, "writer", Draft(text="x"))
    assert [t.name for t in p.assignment_for("writer").tools] == ["stamp"]
    # Outside a stage (or in one that defines no tools) a role gets all of its tools.
    assert [t.name for t in p.tools_for("writer")] == ["look_up", "stamp"]
    with pytest.raises(ConfigurationError, match="both define a tool named 'look_up'"):
        _production(tmp_path / "x", [drafting, rec.stage("polish", inputs=(), output="p.txt", tools=lambda ctx: [function_tool(look_up)])],
                    writer=writer)
    with pytest.raises(ConfigurationError, match="unknown tool 'stamp'"):
        _production(tmp_path / "y", [drafting], writer=writer).tools_for("writer")


def test_stage_lists_are_checked_when_the_production_is_built(tmp_path: Path):
    rec = Recorder()
    with pytest.raises(ConfigurationError, match="repeated: draft"):
        _production(tmp_path, [rec.stage("draft", inputs=(), output="a"), rec.stage("draft", inputs=(), output="b")])
    unknown = StageSpec(name="grade", role="colorist", task="grade", inputs=(), outputs=("g",), context=lambda ctx: {},
                        apply=rec.stage("draft", inputs=(), output="a").apply)
    with pytest.raises(ConfigurationError, match="needs role 'colorist'"):
        _production(tmp_path, [unknown])
    with pytest.raises(TypeError):
        StageSpec("draft", "writer", "write", (), ("a",), lambda ctx: {}, rec.stage("d", inputs=(), output="a").apply)  # type: ignore[misc]
    with pytest.raises(ValueError, match="both input and output"):
        rec.stage("draft", inputs=("a",), output="a")


def test_insert_stage_places_a_custom_stage_after_the_one_it_names():
    rec = Recorder()
    base = _two_stages(rec)
    extra = rec.stage("review", inputs=("draft.txt",), output="notes.txt", after="draft")
    assert [s.name for s in insert_stage(base, extra)] == ["draft", "review", "polish"]
    with pytest.raises(ValueError, match="not a stage"):
        insert_stage(base, rec.stage("late", inputs=(), output="l", after="nowhere"))
    with pytest.raises(ValueError, match="already is a stage"):
        insert_stage(base, rec.stage("draft", inputs=(), output="again"))


async def test_stage_completed_events_name_the_outputs(tmp_path: Path):
    events: list[CrewEvent] = []
    p = _production(tmp_path, _two_stages(Recorder(), critic=False), events=events)
    await _say(p, "writer", Draft(text="x"))
    done = [e for e in events if isinstance(e, StageCompleted)]
    assert [(e.stage, e.outputs) for e in done] == [("draft", ["draft.txt"])]


def test_assignment_is_refused_to_a_role_out_of_turn(tmp_path: Path):
    p = _production(tmp_path, _two_stages(Recorder()))
    with pytest.raises(RuntimeError, match="out of turn"):
        p.assignment_for("judge")
    assert isinstance(p.assignment_for("writer"), Assignment)
