"""The crew as a Python API: stepping, director notes, state, custom roles, plugins."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from support import first_step_with_screenwriter_at, small_config
from filmcrew import Crew, RoleSpec
from filmcrew.errors import ConfigurationError
from filmcrew.memory.models import Brief, Script, ShotPlan
from filmcrew.orchestration import StageContext, StageSpec

BRIEF = Brief(text="A street cat named Pixel steals a fish from the night market and is chased across the rooftops.", target_duration=8)


async def test_step_runs_one_agent_turn_and_notes_reach_the_next_speaker(tmp_path: Path):
    crew = Crew.default(config=small_config())
    await crew.start(BRIEF, tmp_path / "run")
    first = await crew.step()
    turns = [e for e in first if e.type == "agent_turn"]
    assert [t.speaker for t in turns] == ["screenwriter"]
    assert (tmp_path / "run" / "synopsis.json").exists()
    assert not (tmp_path / "run" / "script.json").exists()
    for _ in range(3):  # the rest of the screenwriter's four-step chain, a turn each
        await crew.step()
    assert (tmp_path / "run" / "script.json").exists()
    assert not (tmp_path / "run" / "shot_plan.json").exists()
    second = await crew.step("more close-ups please")
    assert second[0].type == "director_note"
    assert [e.speaker for e in second if e.type == "agent_turn"] == ["cinematographer"]
    transcript = [json.loads(line) for line in (tmp_path / "run" / "transcript.jsonl").read_text().splitlines()]
    assert any(r["speaker"] == "director" and r["content"] == "more close-ups please" for r in transcript)
    assert any(r["type"] == "ToolCallRequestEvent" and r["speaker"] == "cinematographer" for r in transcript)
    with_note = ShotPlan.model_validate_json((tmp_path / "run" / "drafts" / "camera.round1.json").read_text())
    plain = Crew.default(config=small_config())
    await plain.start(BRIEF, tmp_path / "plain")
    for _ in range(5):
        await plain.step()
    without = ShotPlan.model_validate_json((tmp_path / "plain" / "drafts" / "camera.round1.json").read_text())
    order = ["extreme_wide", "wide", "full", "medium_wide", "medium", "medium_close_up", "close_up", "extreme_close_up"]
    # The note tightened the framing.
    assert sum(order.index(s.shot_size) for s in with_note.shots) > sum(order.index(s.shot_size) for s in without.shots)


async def test_saved_conversation_resumes_where_it_stopped(tmp_path: Path):
    run = tmp_path / "run"
    crew = Crew.default(config=small_config())
    await crew.start(BRIEF, run)
    for _ in range(4):  # synopsis, storyboard, shots, scene blocks
        await crew.step()
    await crew.step("keep the rooftops in view")
    state = await crew.save_state()
    assert state["cursor"]["phase"] == "critique"

    resumed = await Crew.resume(run)
    events = await resumed.step()
    turn = next(e for e in events if e.type == "agent_turn")
    # The debate continues: the screenwriter critiques the proposal made before the stop.
    assert turn.speaker == "screenwriter" and turn.stage == "camera" and turn.phase == "critique"
    assert "keep the rooftops in view" in resumed._agents["screenwriter"].notes


def _grade_rule(ctx, results, notes):
    return {"grades": [{"block_id": b["id"], "warmth": 0.5} for b in ctx["blocks"]]}


async def test_a_custom_role_speaks_where_its_stage_is_placed(tmp_path: Path):
    from pydantic import BaseModel

    class Grades(BaseModel):
        grades: list[dict]

    prompt = "system: You grade.\ntasks:\n  grade:\n    requires: [blocks, notes]\n    template: 'Grade {{ blocks | length }} blocks'\n"

    async def apply(ctx: StageContext, output: Grades, proposals: int) -> str:
        ctx.run.write_json("looks.json", {g["block_id"]: {"temperature": g["warmth"]} for g in output.grades})
        return f"graded {len(output.grades)} blocks"

    colorist = RoleSpec(name="Colorist", description="grades", prompt=prompt, outputs={"grade": Grades}, offline_rules={"grade": _grade_rule})
    stage = StageSpec(name="grade", role="colorist", task="grade", inputs=("script.json",), outputs=("looks.json",),
                      context=lambda ctx: {"blocks": [b.model_dump() for b in ctx.run.read_model("script.json", Script).blocks]},
                      apply=apply, after="camera")
    crew = Crew.default(config=small_config()).add_role(colorist, stage=stage)
    assert [s.name for s in crew.stages][:7] == ["synopsis", "storyboard", "shots", "script", "camera", "grade", "clips"]
    await crew.start(BRIEF, tmp_path / "run")
    speakers = []
    while not (tmp_path / "run" / "looks.json").exists():
        speakers += [e.speaker for e in await crew.step() if e.type == "agent_turn"]
    assert speakers[-1] == "colorist"
    assert json.loads((tmp_path / "run" / "looks.json").read_text())


def test_role_names_become_identifiers_and_bad_ones_fail_early():
    spec = RoleSpec(name="Sound designer 2", description="x", prompt="screenwriter", outputs={"structure_script": None})
    assert spec.name == "sound_designer_2"
    with pytest.raises(ConfigurationError):
        RoleSpec(name="123", description="x", prompt="screenwriter", outputs={"structure_script": None})
    with pytest.raises(ConfigurationError, match="no template"):
        Crew.default(config=small_config()).add_role(
            RoleSpec(name="composer", description="x", prompt="screenwriter", outputs={"write_score": None}))


def test_role_plugins_load_and_a_broken_one_is_skipped(tmp_path: Path, monkeypatch):
    pkg = tmp_path / "site"
    (pkg / "myroles").mkdir(parents=True)
    (pkg / "myroles" / "__init__.py").write_text(
        "from filmcrew import RoleSpec\n"
        "from filmcrew.memory.models import Critique\n"
        "CONTINUITY = RoleSpec(name='continuity', description='flags continuity breaks', prompt='screenwriter',\n"
        "                      outputs={'check_shot_plan': Critique})\n"
    )
    dist = pkg / "myroles-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: myroles\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[filmcrew.roles]\ncontinuity = myroles:CONTINUITY\nbroken = myroles:DOES_NOT_EXIST\n")
    monkeypatch.syspath_prepend(str(pkg))
    crew = Crew.default(config=small_config())
    assert "continuity" in crew.roles
    assert len(crew.plugin_problems) == 1 and "broken" in crew.plugin_problems[0]


async def test_a_multimodal_audience_model_watches_frames_of_the_rough_cut(tmp_path: Path):
    from autogen_core import Image
    from autogen_core.models import ModelFamily

    from filmcrew.agents.builtin import AUDIENCE
    from filmcrew.memory.models import Review
    from filmcrew.testing import ScriptedChatCompletionClient, tool_call

    def viewer(messages, tools, json_output):
        request = messages[1].content
        if not any(m.__class__.__name__ == "FunctionExecutionResultMessage" for m in messages):
            return [tool_call("watch_cut")]
        frames = [part for part in request if isinstance(part, Image)]
        return Review(audience="general", summary=f"I watched {len(frames)} frames", engagement=0.7, notes=[])

    vision = {"vision": True, "function_calling": True, "json_output": True, "structured_output": True, "family": ModelFamily.UNKNOWN}
    client = ScriptedChatCompletionClient(viewer, model_info=vision)
    crew = Crew.default(config=small_config())
    crew.roles["audience"] = AUDIENCE.with_model(client)
    await crew.start(BRIEF, tmp_path / "run")
    while not (tmp_path / "run" / "review.json").exists():
        await crew.step()
    review = Review.model_validate_json((tmp_path / "run" / "review.json").read_text())
    shots = len(ShotPlan.model_validate_json((tmp_path / "run" / "shot_plan.json").read_text()).shots)
    assert review.summary == f"I watched {shots} frames"


# autogen 0.7.5 itself warns when it dumps an OpenAI structured-output result.
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
async def test_a_role_on_an_openai_compatible_server_goes_over_the_wire(tmp_path: Path, monkeypatch):
    """The screenwriter talks to a local OpenAI-compatible server; a first invalid answer is re-asked."""
    from fakes.chat_servers import FakeOpenAIServer

    from filmcrew.agents.craft import CRAFT_RULES
    from filmcrew.memory.audiences import get_audience

    script = CRAFT_RULES["structure_script"](
        {"brief": BRIEF.model_dump(), "audience": get_audience("general").model_dump()}, [], [])
    with FakeOpenAIServer() as server:
        server.reply_text('{"title": "too short"}')
        server.reply_text(script.synopsis.model_dump_json())
        events = await first_step_with_screenwriter_at(server, BRIEF, tmp_path / "run")
        requests = list(server.requests)
    assert [e.speaker for e in events if e.type == "agent_turn"] == ["screenwriter"]
    # The screenwriter's first step (the synopsis) went over the wire.
    assert json.loads((tmp_path / "run" / "synopsis.json").read_text()) == script.synopsis.model_dump(mode="json")
    assert len(requests) == 2
    assert "could not be used" in json.dumps(requests[1].json["messages"][-1])
