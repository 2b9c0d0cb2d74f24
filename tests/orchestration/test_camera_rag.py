"""Multi-shot camera RAG in the crew: whole sequences re-planned per block, continuity kept,
citations honest, a revision round that searches anew, and the ablation."""

from pathlib import Path

import pytest
import yaml

from support import small_config
from filmcrew.agents.agent import RejectedOutput
from filmcrew.agents.craft import CRAFT_RULES
from filmcrew.agents.craft.cinematographer import reference_searches
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.camera_continuity import citation_problems, continuity_problems, cited_reference_ids
from filmcrew.memory.film_references import default_reference_index
from filmcrew.memory.models import Brief, ReferenceMatch, SceneBlock, Script, Shot, ShotPlan, StoryboardShot
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration import Services, StageContext
from filmcrew.orchestration.stages import camera

BRIEFS = Path(__file__).resolve().parents[1] / "data" / "briefs"


def _script(text: str, duration: float = 30) -> Script:
    ctx = {"brief": {"text": text, "target_duration": duration, "references": [], "style": "cinematic", "audience": "general"},
           "audience": get_audience("general").model_dump()}
    return CRAFT_RULES["structure_script"](ctx, [], [])


def _searched(ctx: dict, notes: list[str] = ()) -> list[dict]:
    """What the camera stage's search tool returns for each call the cinematographer makes."""
    out = []
    for _tool, args in reference_searches(ctx, list(notes)):
        matches, sequences = camera.search_block(default_reference_index(), args["query"], args["k"])
        out.append({"block_id": args["block_id"], "query": args["query"], "matches": [m.model_dump() for m in matches], "sequences": sequences})
    return out


def _plan(script: Script, rag: bool = True, feedback: str = "") -> tuple[ShotPlan, list[dict]]:
    ctx = {"script": script.model_dump(), "target_duration": 30, "use_references": rag, "feedback": feedback}
    results = _searched(ctx) if rag else []
    return CRAFT_RULES["plan_camera"](ctx, results, []), results


def _briefs() -> list[str]:
    short = yaml.safe_load((BRIEFS / "short.yaml").read_text())
    long = yaml.safe_load((BRIEFS / "long.yaml").read_text())
    return [b["text"] for b in short[:6]] + [b["text"] for b in long[:2]]


@pytest.mark.parametrize("text", _briefs())
def test_plans_for_the_test_briefs_keep_continuity_and_cite_only_what_they_retrieved(text):
    script = _script(text)
    plan, results = _plan(script)
    assert continuity_problems(plan.shots, script.blocks) == []
    index = default_reference_index()
    assert citation_problems(plan.shots, known=index) == []
    for shot in plan.shots:
        # The reference a shot follows is saved beside it, with its score, and its rationale cites it.
        assert shot.references and all(isinstance(r.score, float) for r in shot.references)
        cited = cited_reference_ids(shot.rationale, index)
        assert cited and cited <= {r.ref_id for r in shot.references}
    # Whole sequences shaped each block: every shot of a block follows the same sequence.
    for block in script.blocks:
        seqs = {next(iter(cited_reference_ids(s.rationale))).rsplit("-", 1)[0] for s in plan.shots if s.block_id == block.id}
        assert len(seqs) == 1


def test_a_dialogue_keeps_the_line_and_eyelines_meet():
    block = SceneBlock(id="b1", prompt="Ana and Ben talk across the kitchen table about the letter", time_of_day="night",
                       location="the kitchen", characters=["Ana", "Ben"], visual_elements=[], narrative_objective="they decide",
                       rough_sound="", storyboard_shots=["s1", "s2", "s3", "s4"], mood="tense")
    script = _script("Ana and Ben talk in the kitchen at night about a letter.")
    board = [StoryboardShot(id=f"s{i}", kind=k, description=d, characters=c, location="the kitchen") for i, (k, d, c) in enumerate(
        [("contextual", "the kitchen at night", []), ("primary", "Ana speaks", ["Ana"]), ("primary", "Ben answers", ["Ben"]),
         ("primary", "Ana again, closer", ["Ana"])], start=1)]
    script = script.model_copy(update={"blocks": [block], "detailed": script.detailed.model_copy(update={"shots": board})})
    script = Script.model_validate(script.model_dump())
    plan, _ = _plan(script)
    facing = {s.characters[0]: s.facing for s in plan.shots if s.characters}
    assert facing["Ana"] != facing["Ben"] and {facing["Ana"], facing["Ben"]} == {"left", "right"}
    assert continuity_problems(plan.shots, script.blocks) == []


def test_two_different_briefs_are_shaped_by_different_references():
    calm = _script("An old widow sits alone in her quiet kitchen at dawn, remembering her husband.")
    wild = _script("Police cars chase a getaway car through the city at night, sirens wailing.")
    refs = lambda plan: {r.ref_id for s in plan.shots for r in s.references}  # noqa: E731
    a, b = refs(_plan(calm)[0]), refs(_plan(wild)[0])
    assert len(a & b) <= 0.1 * min(len(a), len(b))


def test_the_revision_round_searches_with_the_critique():
    script = _script("A lonely robot finds a flower growing in the ruins of a city.")
    first = _searched({"script": script.model_dump(), "use_references": True, "feedback": ""})
    target = script.blocks[-1]
    shot_id = f"{target.id}-{target.storyboard_shots[-1]}"
    feedback = f"{shot_id}: closer on the character so the beat (tender) reads"
    second = _searched({"script": script.model_dump(), "use_references": True, "feedback": feedback})
    by_block = lambda rs: {r["block_id"]: r for r in rs}  # noqa: E731
    before, after = by_block(first)[target.id], by_block(second)[target.id]
    assert before["query"] != after["query"] and "closer" in after["query"]
    assert [m["ref_id"] for m in before["matches"]] != [m["ref_id"] for m in after["matches"]]
    # Blocks the critique does not name keep their query.
    for block in script.blocks[:-1]:
        assert by_block(first)[block.id]["query"] == by_block(second)[block.id]["query"]


def test_ablation_plans_without_references_and_still_keeps_continuity():
    script = _script("A firefighter and her dog search a burning warehouse for a trapped kitten.")
    plan, _ = _plan(script, rag=False)
    assert all(not s.references for s in plan.shots) and not plan.used_references
    assert continuity_problems(plan.shots, script.blocks) == []


def _shot(**kw) -> Shot:
    base = {"id": "b1-s1", "block_id": "b1", "shot_size": "wide", "movement": "static", "angle": "eye_level", "action": "x", "duration": 2}
    return Shot.model_validate({**base, **kw})


def test_continuity_rules_name_the_broken_shot():
    block = SceneBlock(id="b1", prompt="p", time_of_day="day", location="a street", characters=["A", "B"], visual_elements=[],
                       narrative_objective="o", rough_sound="")
    close_first = [_shot(id="b1-s1", shot_size="close_up", characters=["A"])]
    assert "b1-s1: close shot in a new place" in continuity_problems(close_first, [block])[0]
    jump = [_shot(id="b1-s1"), _shot(id="b1-s2", shot_size="full")]
    assert "b1-s2: cut from b1-s1 is a jump cut" in continuity_problems(jump, [block])[0]
    crossed = [_shot(id="b1-s1"), _shot(id="b1-s2", shot_size="close_up", characters=["A"], speaker="A", facing="right"),
               _shot(id="b1-s3", shot_size="medium", characters=["A"], speaker="A", facing="left", angle="high")]
    assert any("b1-s3: A looks screen left" in p for p in continuity_problems(crossed, [block]))
    same_side = [_shot(id="b1-s1"), _shot(id="b1-s2", shot_size="close_up", characters=["A"], dialogue="hi", facing="right"),
                 _shot(id="b1-s3", shot_size="close_up", characters=["B"], dialogue="hello", facing="right", angle="low")]
    assert any("eyelines must meet" in p for p in continuity_problems(same_side, [block]))
    reverse = [_shot(id="b1-s1"), _shot(id="b1-s2", shot_size="medium_close_up", angle="over_the_shoulder", characters=["A"], facing="right"),
               _shot(id="b1-s3", shot_size="medium_close_up", angle="over_the_shoulder", characters=["B"], facing="left")]
    assert continuity_problems(reverse, [block]) == []


def test_camera_stage_rejects_a_plan_citing_a_reference_it_did_not_retrieve(tmp_path):
    script = _script("A lonely robot finds a flower growing in the ruins of a city.")
    run = RunDir(tmp_path / "run").ensure()
    run.write_model("script.json", script)
    services = Services(clip_generator=lambda: None, speech=lambda: None, sound_library=lambda: None,
                        reference_index=default_reference_index)
    ctx = StageContext(run=run, brief=Brief(text="A lonely robot finds a flower."), audience=get_audience("general"),
                       config=small_config(), services=services, progress=lambda *a, **k: None)
    plan, _ = _plan(script)
    camera.check(ctx, plan)
    shot = plan.shots[1]
    elsewhere = next(r for r in default_reference_index().shots if r.id not in {m.ref_id for m in shot.references})
    lying = shot.model_copy(update={"rationale": f"after reference {elsewhere.id}"})
    with pytest.raises(RejectedOutput, match=f"{shot.id}: its rationale cites {elsewhere.id}"):
        camera.check(ctx, plan.model_copy(update={"shots": [plan.shots[0], lying, *plan.shots[2:]]}))
    honest = shot.model_copy(update={"references": [*shot.references[:4], ReferenceMatch(ref_id=elsewhere.id, score=0.3, shot_size=elsewhere.shot_size,
                                     movement=elsewhere.movement, angle=elsewhere.angle, summary="")], "rationale": f"after [ref:{elsewhere.id}]"})
    camera.check(ctx, plan.model_copy(update={"shots": [plan.shots[0], honest, *plan.shots[2:]]}))
