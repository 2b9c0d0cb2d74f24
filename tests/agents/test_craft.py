"""The craft model must give sensible, input-dependent answers, not canned text."""

from filmcrew.agents.craft import CRAFT_RULES, brief_facts
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.models import Critique, Script, ShotPlan

SHORT = "A lonely robot finds a flower growing in the ruins of a city."
LONG = (
    "Mara runs the last bakery in Porto Velho. Every morning at dawn she bakes bread for the fishermen. "
    "One winter a stranger named Tomas arrives on the ferry with an old photograph of her mother. "
    "He says her mother did not drown in the storm but sailed to Lisbon. Mara closes the bakery for the first time in years. "
    "She buys a ticket for the night ferry. On deck, Tomas hands her a letter in her mother's handwriting. "
    "As the lights of Lisbon appear, Mara reads the first line and smiles."
)


def _script(text: str, duration: float = 30) -> Script:
    ctx = {"brief": {"text": text, "target_duration": duration, "references": [], "style": "cinematic", "audience": "general"},
           "audience": get_audience("general").model_dump()}
    return CRAFT_RULES["structure_script"](ctx, [], [])


def test_brief_facts_reads_names_places_time_and_mood():
    facts = brief_facts(LONG)
    assert "Mara" in facts["names"] and "Tomas" in facts["names"]
    assert any("bakery" in p for p in facts["places"])
    assert facts["time"] == "dawn"


def test_different_briefs_give_different_scripts():
    a, b = _script(SHORT), _script(LONG)
    assert a.synopsis.title != b.synopsis.title
    assert [blk.prompt for blk in a.blocks] != [blk.prompt for blk in b.blocks]


def test_long_brief_is_kept_faithful():
    script = _script(LONG)
    text = " ".join(b.prompt for b in script.blocks)
    for name in ("Mara", "Tomas", "Lisbon", "ferry", "photograph", "letter"):
        assert name in text
    assert all(b.narrative_objective and b.rough_sound for b in script.blocks)


def test_short_brief_is_expanded_into_setup_event_outcome():
    script = _script(SHORT)
    assert len(script.blocks) >= 3
    assert any(s.kind == "contextual" for s in script.detailed.shots)
    assert any(s.kind == "metaphorical" for s in script.detailed.shots)
    assert "flower" in " ".join(b.prompt for b in script.blocks)


def test_duration_changes_the_pace_not_the_story():
    # Every scene of the brief keeps its block (issue 13); a shorter film narrates less per block.
    short, long = _script(LONG, 20), _script(LONG, 50)
    assert [b.location for b in short.blocks] == [b.location for b in long.blocks]
    words = lambda s: sum(len(b.voice_over.split()) for b in s.blocks)  # noqa: E731
    assert words(short) < words(long)


def test_a_short_target_wins_over_a_long_storyboard():
    """A long brief asked for 20 s is a 20 s plan: each block keeps the shots its share can hold."""
    for text, target in ((LONG, 20), (LONG, 12), (SHORT, 10)):
        script = _script(text, target)
        plan = CRAFT_RULES["plan_camera"]({"script": script.model_dump(), "target_duration": target, "use_references": False,
                                           "feedback": ""}, [], [])
        assert abs(sum(s.duration for s in plan.shots) - target) <= 2, (target, [s.duration for s in plan.shots])
        assert {s.block_id for s in plan.shots} == {b.id for b in script.blocks}  # every scene still told
        story = {s.id: s.kind for s in script.detailed.shots}
        kept = [story[s.id.split("-", 1)[1]] for s in plan.shots if s.id.split("-", 1)[1] in story]
        assert "primary" in kept


def test_plan_follows_retrieved_reference_sequence_and_fits_target():
    script = _script(SHORT)
    ctx = {"script": script.model_dump(), "target_duration": 30, "use_references": True, "feedback": ""}
    refs = [{"block_id": b.id, "matches": [
        {"ref_id": "chase-street-1", "score": 0.5, "shot_size": "wide", "movement": "whip_pan", "angle": "eye_level", "summary": ""},
        {"ref_id": "chase-street-2", "score": 0.45, "shot_size": "medium", "movement": "handheld", "angle": "eye_level", "summary": ""},
    ]} for b in script.blocks]
    with_refs = CRAFT_RULES["plan_camera"](ctx, refs, [])
    without = CRAFT_RULES["plan_camera"]({**ctx, "use_references": False}, [], [])
    assert any(s.movement == "handheld" for s in with_refs.shots)
    assert [s.movement for s in with_refs.shots] != [s.movement for s in without.shots]
    assert abs(sum(s.duration for s in with_refs.shots) - 30) < 4
    # no jump cuts inside a block
    for a, b in zip(with_refs.shots, with_refs.shots[1:]):
        if a.block_id == b.block_id:
            assert (a.shot_size, a.angle) != (b.shot_size, b.angle)


def test_screenwriter_asks_for_an_establishing_shot_and_the_revision_delivers_it():
    script = _script(SHORT)
    ctx = {"script": script.model_dump(), "target_duration": 30, "use_references": False, "feedback": ""}
    plan = CRAFT_RULES["plan_camera"](ctx, [], [])
    first = plan.shots[0]
    plan.shots[0] = first.model_copy(update={"shot_size": "close_up"})
    critique: Critique = CRAFT_RULES["check_shot_plan"]({"script": script.model_dump(), "shot_plan": plan.model_dump(), "target_duration": 30}, [], [])
    assert not critique.approve and first.id in critique.targets
    revised: ShotPlan = CRAFT_RULES["plan_camera"]({**ctx, "feedback": "; ".join(critique.notes)}, [], [])
    assert revised.shots[0].shot_size in ("extreme_wide", "wide", "full")


def test_director_note_for_close_ups_tightens_the_plan():
    script = _script(SHORT)
    ctx = {"script": script.model_dump(), "target_duration": 30, "use_references": False, "feedback": ""}
    base = CRAFT_RULES["plan_camera"](ctx, [], [])
    tight = CRAFT_RULES["plan_camera"](ctx, [], ["more close-ups please"])
    order = ["extreme_wide", "wide", "full", "medium_wide", "medium", "medium_close_up", "close_up", "extreme_close_up"]
    assert sum(order.index(s.shot_size) for s in tight.shots) > sum(order.index(s.shot_size) for s in base.shots)


def _cut(durations, sizes):
    shots = [{"shot_id": f"b{i // 2 + 1}-s{i + 1}", "block_id": f"b{i // 2 + 1}", "duration": d, "shot_size": s, "angle": "eye_level",
              "movement": "static", "voice_over": "words " * 4, "brightness": 0.5, "events": []} for i, (d, s) in enumerate(zip(durations, sizes))]
    blocks = {}
    for s in shots:
        b = blocks.setdefault(s["block_id"], {"block_id": s["block_id"], "duration": 0.0, "shot_ids": [], "voice_words": 8})
        b["duration"] += s["duration"]
        b["shot_ids"].append(s["shot_id"])
    total = sum(durations)
    return {"duration": total, "shot_count": len(shots), "average_shot_length": total / len(shots), "shots": shots, "blocks": list(blocks.values())}


def test_review_depends_on_the_audience_archetype():
    cut = _cut([6, 7, 6, 7], ["wide", "medium", "close_up", "medium"])
    teen = CRAFT_RULES["review_cut"]({"audience": get_audience("teen-social").model_dump()}, [cut], [])
    arthouse = CRAFT_RULES["review_cut"]({"audience": get_audience("arthouse").model_dump()}, [cut], [])
    assert len(teen.notes) > len(arthouse.notes)
    assert teen.engagement < arthouse.engagement
    assert any(n.category == "timing" for n in teen.notes)


def test_analysis_and_fine_cut_turn_notes_into_valid_edits():
    cut = _cut([6, 7, 6, 7], ["wide", "medium", "close_up", "medium"])
    profile = get_audience("teen-social").model_dump()
    review = CRAFT_RULES["review_cut"]({"audience": profile}, [cut], [])
    analysis = CRAFT_RULES["analyze_review"]({"review": review.model_dump(), "cut": cut, "attention_span_s": profile["attention_span_s"]}, [], [])
    assert analysis.timing
    edl = CRAFT_RULES["fine_cut"]({"analysis": analysis.model_dump(), "cut": cut, "audience": profile}, [], [])
    ops = {d.op for d in edl.decisions}
    assert ops & {"trim", "accelerate"}
    assert {d.shot_id for d in edl.decisions} == {s["shot_id"] for s in cut["shots"]}
    assert all(d.reason for d in edl.decisions)


def test_narration_is_laid_over_shots_by_phrase_and_never_overruns():
    from filmcrew.agents.craft import WORDS_PER_SECOND, pack_voice

    text = "It is from his daughter Nora, who left the island years ago."
    lines = pack_voice(text, [2.0, 3.0, 2.0])
    assert lines[0] == "It is from his"  # a phrase longer than a shot continues on the next
    assert lines[1].startswith("daughter Nora,")
    assert " ".join(filter(None, lines)).split() == text.split()
    for line, room in zip(lines, [2.0, 3.0, 2.0]):
        assert len(line.split()) <= int(room * WORDS_PER_SECOND)
    # whole phrases move to the next shot instead of breaking when they fit there
    assert pack_voice("At dawn, he rows out to meet her boat.", [1.5, 4.0]) == ["At dawn,", "he rows out to meet her boat."]


def test_a_rule_may_call_only_the_tools_its_role_lists():
    import pytest

    from filmcrew.agents.role import OfflineToolRule, RoleSpec
    from filmcrew.errors import ConfigurationError
    from filmcrew.memory.models import Review

    rule = OfflineToolRule(tools=("watch_cut",), calls=lambda ctx, notes: [("watch_cut", {})], answer=lambda ctx, results, notes: {})
    with pytest.raises(ConfigurationError, match="calls watch_cut, which the role does not list"):
        RoleSpec(name="critic", description="x", prompt="audience", outputs={"review_cut": Review}, offline_rules={"review_cut": rule})
    with pytest.raises(ConfigurationError, match="does not declare: grade"):
        RoleSpec(name="critic", description="x", prompt="audience", outputs={"review_cut": Review}, tools=("watch_cut",),
                 offline_rules={"review_cut": rule, "grade": rule})


def test_built_in_roles_carry_their_rules_and_the_craft_model_uses_them():
    from filmcrew.agents.builtin import BUILTIN_ROLES
    from filmcrew.agents.craft import CRAFT_RULES

    assert {task for spec in BUILTIN_ROLES for task in spec.outputs} == set(CRAFT_RULES)
    for spec in BUILTIN_ROLES:
        assert set(spec.offline_rules) == set(spec.outputs), spec.name
