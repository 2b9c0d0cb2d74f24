"""The audience finds measured problems in a cut, and the editor's fine cut answers them.

One small film is made from clips synthesised here (a dark clip, still grey
clips, moving test patterns) with a script whose causal chain the cut breaks,
a character no clip draws, a shot that repeats the one before, a stray shot
and voice-over longer than its scene. A short-drama viewer and an arthouse
viewer watch the same cut: the problems, the analysis and the fine cut differ,
and the problems the edit addressed are gone when the fine cut is measured.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from filmcrew.agents.craft.audience import review_cut
from filmcrew.agents.craft.editor import analyze_review, fine_cut
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.models import (
    Character,
    ClipAsset,
    ClipSet,
    DetailedStoryboard,
    Drawn,
    SceneBlock,
    Script,
    Shot,
    ShotPlan,
    SimplifiedStoryboard,
    Synopsis,
)
from filmcrew.tools.cut_problems import find_problems, problem_key
from filmcrew.tools.cut_review import describe_cut
from filmcrew.tools.media import ffmpeg_exe
from filmcrew.tools.timeline import apply_decisions, build_rough_cut, shot_spans

FPS = 24
CHAIN = [
    "Establish Ada in her kitchen so we know where we are.",
    "Show the event that changes Ada's situation: the kettle explodes.",
    "Resolve it: Ben brings Ada a letter and she laughs.",
]
LONG_VOICE = " ".join(["Ada reads the letter Ben brought and remembers every summer they spent by the sea"] * 3)

# shot id, block, size, angle, seconds, picture, what the clip draws
SHOTS: list[tuple[str, str, str, str, float, str, Drawn]] = [
    ("b1-s1", "b1", "wide", "eye_level", 4.0, "color=c=0x808080", Drawn(setting="kitchen", characters=["Ada"], props=["kettle"])),
    ("b1-s2", "b1", "medium", "eye_level", 2.0, "testsrc2", Drawn(setting="kitchen", characters=["Ada"], props=["kettle"])),
    ("b2-s3", "b2", "medium", "high", 2.0, "color=c=0x0c0c0c", Drawn(setting="kitchen", characters=["Ada"])),
    ("b2-s4", "b2", "medium", "eye_level", 2.0, "testsrc2", Drawn(setting="kitchen", characters=["Ada"])),
    ("b3-s5", "b3", "close_up", "eye_level", 2.0, "color=c=0x9a7050", Drawn(setting="kitchen", characters=["Ada"], props=["letter"])),
    ("b3-s6", "b3", "close_up", "eye_level", 2.0, "color=c=0x9a7050", Drawn(setting="kitchen", characters=["Ada"], props=["letter"])),
    ("b3-s7", "b3", "medium", "low", 2.0, "testsrc2", Drawn(setting="kitchen", props=["spoon"])),
]


def _block(bid: str, objective: str, characters: list[str], elements: list[str], voice: str) -> SceneBlock:
    return SceneBlock(id=bid, prompt=objective, time_of_day="morning", location="kitchen", characters=characters,
                      visual_elements=elements, narrative_objective=objective, rough_sound="kitchen hum", voice_over=voice)


def _script() -> Script:
    # Told b1, b2, b3, but b1 (the explosion) needs b2 (establishing Ada) first.
    blocks = [
        _block("b1", CHAIN[1], ["Ada"], ["kettle"], "The kettle explodes."),
        _block("b2", CHAIN[0], ["Ada"], ["kitchen"], "This is Ada."),
        _block("b3", CHAIN[2], ["Ada", "Ben"], ["letter"], LONG_VOICE),
    ]
    return Script(
        synopsis=Synopsis(title="Kettle", logline="A kettle, a letter.", settings=["kitchen"], plot="",
                          characters=[Character(name="Ada", description="a cook"), Character(name="Ben", description="a postman")]),
        simplified=SimplifiedStoryboard(background="", causal_chain=CHAIN, developments=[], twist="", outcome=""),
        detailed=DetailedStoryboard(shots=[]), blocks=blocks)


def _clip(path: Path, picture: str, seconds: float) -> None:
    source = f"{picture}:s=160x90:r={FPS}:d={seconds}" if picture.startswith("color") else f"testsrc2=s=160x90:r={FPS}:d={seconds}"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                    "-pix_fmt", "yuv420p", str(path)], check=True)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("cut")
    shots, clips = [], []
    for sid, bid, size, angle, seconds, picture, drawn in SHOTS:
        path = root / f"{sid}.mp4"
        _clip(path, picture, seconds)
        shots.append(Shot(id=sid, block_id=bid, shot_size=size, movement="static", angle=angle, action="", duration=seconds,  # type: ignore[arg-type]
                          characters=list(drawn.characters)))
        clips.append(ClipAsset(shot_id=sid, block_id=bid, path=str(path), duration=seconds, frames=int(seconds * FPS), fps=FPS,
                               width=160, height=90, provider="test", input_hash="", drawn=drawn))
    plan, clip_set, script = ShotPlan(shots=shots), ClipSet(clips=clips), _script()
    timeline = build_rough_cut(clips, plan, script, fps=FPS, root=root)
    voice = {b.id: b.voice_over for b in script.blocks}
    cut = describe_cut(timeline, plan, clip_set, voice)
    return {"timeline": timeline, "plan": plan, "clips": clip_set, "script": script, "cut": cut, "voice": voice}


def _by_kind(problems: list[Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for p in problems:
        found.setdefault(p["kind"], set()).add(p["target"])
    return found


def test_perception_measures_what_each_shot_shows(film: dict[str, Any]):
    shots = {s["shot_id"]: s for s in film["cut"]["shots"]}
    assert shots["b2-s3"]["measured"]["luma"] < 20 < shots["b1-s1"]["measured"]["luma"]
    assert shots["b1-s1"]["measured"]["motion"] < 0.0015 < shots["b1-s2"]["measured"]["motion"]
    # The same picture twice is alike; a test pattern after grey is not.
    assert shots["b3-s6"]["measured"]["likeness_to_previous"] > 0.95
    assert shots["b1-s2"]["measured"]["likeness_to_previous"] < 0.6
    assert shots["b3-s5"]["drawn"]["props"] == ["letter"]


def test_problems_are_tied_to_shots_blocks_and_timecodes(film: dict[str, Any]):
    problems = find_problems(film["cut"], film["script"], get_audience("short-drama"), "Ada and Ben share a kitchen.")
    kinds = _by_kind(problems)
    assert kinds["dark"] == {"b2-s3"}
    assert kinds["repeat"] == {"b3-s6"}
    assert kinds["stray"] == {"b3-s7"}
    assert kinds["order"] == {"b1"}  # the explosion is told before Ada is established
    assert kinds["overrun"] == {"b3"}
    assert "b1-s1" in kinds["static"]  # 4 s of a still picture for a viewer who gives it 2.5 s
    missing = [p for p in problems if p["kind"] == "missing"]
    assert [p["target"] for p in missing] == ["b3"] and "Ben" in missing[0]["evidence"]
    dark = next(p for p in problems if p["kind"] == "dark")
    assert dark["at"] == pytest.approx(6.0, abs=1 / FPS) and dark["evidence"].startswith("00:06.00")


def test_the_same_cut_shows_different_problems_to_different_viewers(film: dict[str, Any]):
    fast = {problem_key(p) for p in find_problems(film["cut"], film["script"], get_audience("short-drama"))}
    slow = {problem_key(p) for p in find_problems(film["cut"], film["script"], get_audience("arthouse"))}
    assert "static:b1-s1" in fast and "static:b1-s1" not in slow
    assert {"dark:b2-s3", "order:b1", "missing:b3"} <= fast & slow


def _edit(film: dict[str, Any], audience_name: str) -> tuple[Any, Any, Any]:
    audience = get_audience(audience_name)
    problems = find_problems(film["cut"], film["script"], audience)
    watched = {**film["cut"], "problems": problems}
    profile = audience.model_dump(mode="json")
    review = review_cut({"audience": profile}, [watched], [])
    analysis = analyze_review({"review": review.model_dump(), "cut": film["cut"], "problems": problems, "audience": profile,
                               "attention_span_s": audience.attention_span_s}, [], [])
    edits = fine_cut({"analysis": analysis.model_dump(), "cut": film["cut"], "audience": profile}, [], [])
    return review, analysis, edits


def test_fine_cut_removes_reorders_and_accelerates_and_the_problems_are_gone(film: dict[str, Any]):
    review, analysis, edits = _edit(film, "short-drama")
    assert all(n.problem and n.at is not None for n in review.notes if n.problem)
    ops = {(d.shot_id, d.op) for d in edits.decisions if d.op != "retain"}
    assert ("b1-s1", "accelerate") in ops  # the still establishing shot keeps its view, only faster
    assert {("b2-s3", "remove"), ("b3-s6", "remove")} <= ops
    assert {("b1-s1", "reorder"), ("b1-s2", "reorder")} <= ops  # the explosion's block moves after Ada's
    assert all(d.reason for d in edits.decisions)
    assert any(r.action == "regenerate" and r.target == "b3" for r in analysis.structure)  # no cut can show Ben
    assert [r.target for r in analysis.audio] == ["b3"]
    fine, errors = apply_decisions(film["timeline"], edits.decisions)
    assert errors == []
    order = [s.shot_id for s in shot_spans(fine)]
    assert order.index("b2-s4") < order.index("b1-s1")  # Ada is established before the kettle explodes
    after = describe_cut(fine, film["plan"], film["clips"], film["voice"])
    left = {problem_key(p) for p in find_problems(after, film["script"], get_audience("short-drama"))}
    for key in ("order:b1", "dark:b2-s3", "repeat:b3-s6", "static:b1-s1"):
        assert key not in left
    assert "missing:b3" in left  # what the edit cannot fix is still reported


def test_two_audiences_get_visibly_different_cuts(film: dict[str, Any]):
    _, _, fast = _edit(film, "short-drama")
    _, _, slow = _edit(film, "arthouse")
    fast_ops = {(d.shot_id, d.op) for d in fast.decisions if d.op != "retain"}
    slow_ops = {(d.shot_id, d.op) for d in slow.decisions if d.op != "retain"}
    assert fast_ops != slow_ops
    assert ("b1-s1", "accelerate") in fast_ops and ("b1-s1", "accelerate") not in slow_ops
    fast_cut, _ = apply_decisions(film["timeline"], fast.decisions)
    slow_cut, _ = apply_decisions(film["timeline"], slow.decisions)
    assert sum(s.duration for s in shot_spans(fast_cut)) < sum(s.duration for s in shot_spans(slow_cut))


def test_a_character_whose_face_drifts_is_flagged_and_sent_for_regeneration(film: dict[str, Any]):
    cut = {**film["cut"], "shots": [dict(s) for s in film["cut"]["shots"]]}
    for shot, likeness in zip(cut["shots"][:2], (1.0, 0.12)):
        shot["measured"] = {**shot["measured"], "face_of": "Ada", "face_likeness": likeness}
    problems = find_problems(cut, film["script"], get_audience("arthouse"))
    drift = [p for p in problems if p["kind"] == "drift"]
    assert [p["target"] for p in drift] == ["b1-s2"] and "Ada" in drift[0]["evidence"]
    profile = get_audience("arthouse").model_dump(mode="json")
    review = review_cut({"audience": profile}, [{**cut, "problems": problems}], [])
    analysis = analyze_review({"review": review.model_dump(), "cut": cut, "problems": problems, "audience": profile,
                               "attention_span_s": 45}, [], [])
    assert any(r.target == "b1-s2" and r.action == "regenerate" for r in analysis.structure)


def test_faces_are_compared_with_the_reference_or_the_first_appearance(film: dict[str, Any], monkeypatch):
    from filmcrew.tools import cut_review

    faces = {"b1-s1": [1.0, 0.0], "b1-s2": [0.0, 1.0]}  # the second shot's face has nothing in common with the first

    def measure(clip, span):  # noqa: ANN001, ANN202 - stands in for perception
        m = {"luma": 120.0, "motion": 0.01, "movement": "static", "face_share": 1.0, "people_share": 0.0, "size": "close",
             "likeness_to_previous": None, "face_of": None, "face_likeness": None, "seen": []}
        return m, [], faces.get(clip.shot_id, [])

    monkeypatch.setattr(cut_review, "_measure", measure)
    first = describe_cut(film["timeline"], film["plan"], film["clips"], film["voice"])
    by_id = {s["shot_id"]: s["measured"] for s in first["shots"]}
    assert by_id["b1-s1"]["face_likeness"] == 1.0 and by_id["b1-s2"]["face_likeness"] == 0.0
    assert by_id["b3-s7"]["face_of"] is None  # no one drawn: no face to compare
    referenced = describe_cut(film["timeline"], film["plan"], film["clips"], film["voice"], faces={"Ada": [0.0, 1.0]})
    by_id = {s["shot_id"]: s["measured"] for s in referenced["shots"]}
    assert by_id["b1-s1"]["face_likeness"] == 0.0 and by_id["b1-s2"]["face_likeness"] == 1.0


def test_hinted_events_move_to_where_perception_saw_them_and_unhinted_clips_get_perceived_ones(film: dict[str, Any], monkeypatch):
    from filmcrew.tools import cut_review

    seen = {"b1-s1": [{"kind": "flash", "t": 1.3, "strength": 80.0}], "b1-s2": [{"kind": "motion_peak", "t": 0.8, "strength": 0.02}]}

    def measure(clip, span):  # noqa: ANN001, ANN202 - stands in for perception
        m = {"luma": 120.0, "motion": 0.01, "movement": "static", "face_share": 0.0, "people_share": 0.0, "size": "unknown",
             "likeness_to_previous": None, "face_of": None, "face_likeness": None, "seen": seen.get(clip.shot_id, [])}
        return m, [], []

    monkeypatch.setattr(cut_review, "_measure", measure)
    clips = film["clips"].model_copy(deep=True)
    clips.clips[0].metadata["events"] = [{"t": 1.0, "kind": "lightning", "description": "lightning strikes"}]
    cut = describe_cut(film["timeline"], film["plan"], clips, film["voice"])
    first, second = cut["shots"][0]["events"], cut["shots"][1]["events"]
    assert first == [{"t": 1.3, "kind": "lightning", "description": "lightning strikes", "measured": "flash"}]
    assert second == [{"t": 0.8, "kind": "motion_peak", "description": "a sudden movement", "measured": "motion_peak"}]
