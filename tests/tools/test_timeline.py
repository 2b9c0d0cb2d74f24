"""The OTIO edit: rough cut, edit operations, final timeline, exports."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import opentimelineio as otio
import pytest

from filmcrew.errors import InputError
from filmcrew.memory.models import (
    ClipAsset,
    DetailedStoryboard,
    EditDecision,
    SceneBlock,
    Script,
    Shot,
    ShotPlan,
    SimplifiedStoryboard,
    SoundCue,
    SoundDesign,
    Synopsis,
)
from filmcrew.tools import timeline as T

FPS = 24


def _script() -> Script:
    def block(i: int, vo: str = "") -> SceneBlock:
        return SceneBlock(
            id=f"B{i}", prompt="p", time_of_day="night", location="harbour", characters=["Mara"],
            visual_elements=["lamp"], narrative_objective=f"objective {i}", rough_sound="waves", voice_over=vo,
        )

    return Script(
        synopsis=Synopsis(title="Lamp", logline="A keeper waits.", settings=["harbour"], characters=[], plot="..."),
        simplified=SimplifiedStoryboard(background="b", causal_chain=[], developments=[], twist="t", outcome="o"),
        detailed=DetailedStoryboard(shots=[]),
        blocks=[block(1, "The lamp had not been lit in years."), block(2)],
    )


def _plan() -> ShotPlan:
    def shot(sid: str, block: str, vo: str = "") -> Shot:
        return Shot(id=sid, block_id=block, shot_size="wide", movement="static", angle="eye_level",
                    action=f"action {sid}", voice_over=vo, duration=2.0)

    return ShotPlan(shots=[shot("S1", "B1"), shot("S2", "B1"), shot("S3", "B2", "She climbs."), shot("S4", "B2", "It glows.")])


def _clips(root: Path, frames: int = 48) -> list[ClipAsset]:
    # The rough cut never opens the files, so names are enough here.
    return [
        ClipAsset(shot_id=s, block_id=b, path=str(root / f"{s}.mp4"), duration=frames / FPS, frames=frames, fps=FPS,
                  width=160, height=90, provider="test", input_hash="x")
        for s, b in [("S1", "B1"), ("S2", "B1"), ("S3", "B2"), ("S4", "B2")]
    ]


@pytest.fixture
def tl(tmp_path: Path) -> otio.schema.Timeline:
    return T.build_rough_cut(_clips(tmp_path), _plan(), _script(), fps=FPS)


def _snapshot(tl: otio.schema.Timeline) -> str:
    return otio.adapters.write_to_string(tl, "otio_json")


def _names(tl) -> list[str]:
    return [s.shot_id for s in T.shot_spans(tl)]


def _history(tl, shot_id: str) -> list[dict]:
    clip = next(c for c in T.picture_track(tl).find_clips() if c.name == shot_id)
    return [dict(h) for h in clip.metadata["filmcrew"]["edit_history"]]


# -- rough cut ------------------------------------------------------------------


def test_rough_cut_clips_in_plan_order_with_absolute_uris_and_metadata(tl, tmp_path):
    track = T.picture_track(tl)
    assert track.name == T.PICTURE_TRACK and track.kind == otio.schema.TrackKind.Video
    clips = list(track.find_clips())
    assert [c.name for c in clips] == ["S1", "S2", "S3", "S4"]
    for c in clips:
        assert c.media_reference.target_url == (tmp_path / f"{c.name}.mp4").resolve().as_uri()
        assert c.media_reference.target_url.startswith("file:///")
        assert c.media_reference.available_range.duration == otio.opentime.RationalTime(48, FPS)
        assert c.source_range == c.media_reference.available_range
    meta = clips[2].metadata["filmcrew"]
    assert meta["shot_id"] == "S3" and meta["block_id"] == "B2" and meta["shot_size"] == "wide"
    assert meta["voice_over"] == "She climbs." and meta["duration_planned"] == 2.0
    assert list(meta["edit_history"]) == []
    assert tl.duration() == otio.opentime.RationalTime(4 * 48, FPS)


def test_rough_cut_carries_block_voice_over_as_markers_and_track_metadata(tl):
    clips = list(T.picture_track(tl).find_clips())
    (m1,) = clips[0].markers
    assert m1.metadata["filmcrew"]["voice_over"] == "The lamp had not been lit in years."
    assert m1.marked_range.duration == otio.opentime.RationalTime(96, FPS)  # spans S1+S2
    assert not clips[1].markers
    (m2,) = clips[2].markers
    # A block without its own voice-over reads its shots' lines in order.
    assert m2.metadata["filmcrew"]["voice_over"] == "She climbs. It glows."
    blocks = T.picture_track(tl).metadata["filmcrew"]["blocks"]
    assert [b["block_id"] for b in blocks] == ["B1", "B2"]
    assert blocks[1]["narrative_objective"] == "objective 2"


def test_rough_cut_names_missing_clips(tmp_path):
    with pytest.raises(InputError, match="S4"):
        T.build_rough_cut(_clips(tmp_path)[:3], _plan(), _script())


def test_timeline_round_trips_through_otio_file(tl, tmp_path):
    T.trim(tl, "S2", 0.5, 0.0, "slow start")
    path = T.write_timeline(tl, tmp_path / "cut" / "rough.otio")
    assert path.exists() and not list(path.parent.glob(".*tmp*"))
    back = T.read_timeline(path)
    assert _snapshot(back) == _snapshot(tl)
    assert _history(back, "S2")[0]["reason"] == "slow start"


# -- edit operations ------------------------------------------------------------


def test_reorder_moves_shot_and_records_reason(tl):
    T.reorder(tl, "S4", 0, "open on the payoff")
    assert _names(tl) == ["S4", "S1", "S2", "S3"]
    (h,) = _history(tl, "S4")
    assert h["op"] == "reorder" and h["params"]["position"] == 0 and h["reason"] == "open on the payoff"
    # B2 is now split in two runs; each run gets its voice-over marker.
    clips = list(T.picture_track(tl).find_clips())
    assert [bool(c.markers) for c in clips] == [True, True, False, True]


def test_remove_takes_shot_out_and_remembers_it(tl):
    T.remove(tl, "S2", "redundant")
    assert _names(tl) == ["S1", "S3", "S4"]
    removed = T.picture_track(tl).metadata["filmcrew"]["removed"]
    assert removed[0]["shot_id"] == "S2" and removed[0]["reason"] == "redundant"
    assert removed[0]["metadata"]["edit_history"][-1]["op"] == "remove"
    assert tl.duration().to_seconds() == pytest.approx(6.0)


def test_trim_cuts_head_and_tail_of_source(tl):
    T.trim(tl, "S1", 0.5, 0.25, "get in late")
    span = T.shot_spans(tl)[0]
    assert span.source_start == pytest.approx(0.5)
    assert span.duration == pytest.approx(1.25)
    assert T.shot_spans(tl)[1].start == pytest.approx(1.25)
    (h,) = _history(tl, "S1")
    assert h["op"] == "trim" and h["params"] == {"head": 0.5, "tail": 0.25} and h["reason"] == "get in late"


def test_accelerate_2x_halves_timeline_duration_with_a_time_warp(tl):
    T.accelerate(tl, "S2", 2.0, "drags")
    clip = next(c for c in tl.find_clips() if c.name == "S2")
    (fx,) = clip.effects
    assert isinstance(fx, otio.schema.LinearTimeWarp) and fx.time_scalar == 2.0
    # OTIO convention: source_range.duration is the time on the track.
    assert clip.source_range.duration == otio.opentime.RationalTime(24, FPS)
    span = T.shot_spans(tl)[1]
    assert (span.duration, span.speed, span.source_duration) == (1.0, 2.0, 2.0)
    assert tl.duration().to_seconds() == pytest.approx(7.0)
    # A second speed replaces the first over the same media.
    T.accelerate(tl, "S2", 1.0, "actually fine")
    assert not clip.effects and clip.source_range.duration.value == 48
    assert [h["op"] for h in _history(tl, "S2")] == ["accelerate", "accelerate"]


def test_trim_on_accelerated_clip_counts_source_seconds(tl):
    T.accelerate(tl, "S3", 2.0, "faster")
    T.trim(tl, "S3", 1.0, 0.0, "late in")
    span = T.shot_spans(tl)[2]
    assert span.source_start == pytest.approx(1.0) and span.duration == pytest.approx(0.5)


def test_retain_records_decision_only(tl):
    before = T.shot_spans(tl)
    T.retain(tl, "S3", "the beat needs room")
    assert T.shot_spans(tl) == before
    assert _history(tl, "S3") == [{"op": "retain", "params": {}, "reason": "the beat needs room"}]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda tl: T.reorder(tl, "S9", 0, "r"), "no shot 'S9'"),
        (lambda tl: T.reorder(tl, "S1", 4, "r"), "0..3"),
        (lambda tl: T.trim(tl, "S1", 1.5, 0.6, "r"), "past the shot's media"),
        (lambda tl: T.trim(tl, "S1", 1.0, 0.6, "r"), "at least 0.5s"),
        (lambda tl: T.trim(tl, "S1", -1, 0, "r"), ">= 0"),
        (lambda tl: T.accelerate(tl, "S1", 0, "r"), "speed must be > 0"),
        (lambda tl: T.accelerate(tl, "S1", 5, "r"), "<= 4"),
        (lambda tl: T.remove(tl, "S9", "r"), "no shot"),
    ],
)
def test_invalid_edits_raise_and_leave_timeline_unchanged(tl, edit, message):
    before = _snapshot(tl)
    with pytest.raises(T.TimelineEditError, match=message):
        edit(tl)
    assert _snapshot(tl) == before


def test_removing_the_last_shot_is_refused(tl):
    for sid in ("S1", "S2", "S3"):
        T.remove(tl, sid, "r")
    before = _snapshot(tl)
    with pytest.raises(T.TimelineEditError, match="last shot"):
        T.remove(tl, "S4", "r")
    assert _snapshot(tl) == before


def test_apply_decisions_works_on_a_copy_and_collects_errors(tl):
    before = _snapshot(tl)
    decisions = [
        EditDecision(shot_id="S3", op="accelerate", params={"speed": 2.0}, reason="pace"),
        EditDecision(shot_id="S9", op="remove", reason="no such shot"),
        EditDecision(shot_id="S1", op="reorder", params={}, reason="no position"),
        EditDecision(shot_id="S2", op="remove", reason="redundant"),
        EditDecision(shot_id="S4", op="reorder", params={"position": 0}, reason="hook"),
    ]
    out, errors = T.apply_decisions(tl, decisions)
    assert _snapshot(tl) == before
    assert _names(out) == ["S4", "S1", "S3"]
    assert len(errors) == 2
    assert errors[0].startswith("remove S9") and "position" in errors[1]


# -- final timeline and exports ---------------------------------------------------


def _wav(path: Path, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes(b"\x00\x00" * int(48000 * seconds))
    return path


def _design(root: Path) -> SoundDesign:
    def cue(cid, layer, scale, start, dur, **kw):
        _wav(root / "audio" / f"{cid}.wav", dur)
        return SoundCue(id=cid, layer=layer, scale=scale, start=start, duration=dur, asset=f"audio/{cid}.wav", **kw)

    return SoundDesign(
        duration=8.0,
        cues=[
            cue("vo1", "voice", "shot", 0.5, 2.0, text="The lamp had not been lit.", block_id="B1", shot_id="S1"),
            cue("vo2", "voice", "shot", 4.25, 1.5, text="She climbs.", shot_id="S3"),
            cue("mus", "music", "scene", 0.0, 8.0, gain_db=-6.0, block_id="B1"),
            cue("door", "sfx", "intra_shot", 1.0, 0.5, syncs_to="door slams"),
            cue("bell", "sfx", "intra_shot", 1.25, 0.5, syncs_to="bell"),
        ],
    )


def test_final_timeline_places_cues_exactly_per_layer(tl, tmp_path):
    mix = _wav(tmp_path / "mix.wav", 8.0)
    final = T.build_final_timeline(tl, _design(tmp_path), tmp_path, mix_path=mix, fps=FPS)
    names = [t.name for t in final.tracks]
    assert names == ["Picture", "Voice", "Music", "SFX", "SFX 2", "Mix"]
    assert all(t.kind == otio.schema.TrackKind.Audio for t in final.tracks[1:])
    voice = final.tracks[1]
    vo2 = next(c for c in voice.find_clips() if c.name == "vo2")
    rng = vo2.range_in_parent()
    assert rng.start_time == otio.opentime.RationalTime(102, FPS)  # 4.25 s
    assert rng.duration == otio.opentime.RationalTime(36, FPS)
    assert vo2.metadata["filmcrew"]["text"] == "She climbs."
    assert vo2.media_reference.target_url == (tmp_path / "audio" / "vo2.wav").resolve().as_uri()
    door = final.tracks[3].find_clips()[0]
    assert door.metadata["filmcrew"]["syncs_to"] == "door slams"
    bell = final.tracks[4].find_clips()[0]
    assert bell.range_in_parent().start_time.to_seconds() == pytest.approx(1.25)
    assert final.tracks[-1].duration() == T.picture_track(final).duration()
    # The picture-locked cut is copied, not changed.
    assert len(tl.tracks) == 1


def test_exports_read_back_with_same_cut(tl, tmp_path):
    T.trim(tl, "S1", 0.5, 0.0, "late in")
    T.accelerate(tl, "S2", 2.0, "pace")
    T.remove(tl, "S4", "redundant")
    final = T.build_final_timeline(tl, _design(tmp_path), tmp_path, fps=FPS)
    out = T.export_interchange(final, tmp_path / "export")

    expected = [(s.shot_id, round(s.duration * FPS)) for s in T.shot_spans(tl)]

    xml = otio.adapters.read_from_file(str(out["fcp_xml"]))
    video = [t for t in xml.tracks if t.kind == otio.schema.TrackKind.Video]
    assert len(video) == 1
    assert [(c.name, c.duration().value) for c in video[0].find_clips()] == expected
    assert sum(1 for t in xml.tracks if t.kind == otio.schema.TrackKind.Audio) >= 3

    edl = otio.adapters.read_from_file(str(out["edl"]))
    clips = list(edl.find_clips())
    assert [(c.name, c.duration().value) for c in clips] == expected
    assert clips[0].source_range.start_time.value == 12
    assert [round(T.clip_speed(c), 3) for c in clips] == [1.0, 2.0, 1.0]

    notes = json.loads(out["notes"].read_text())
    assert any("S2" in n for n in notes["fcp_xml"])  # the speed FCP XML cannot carry
    assert any("Voice" in n for n in notes["edl"])


def test_edits_work_on_an_imported_timeline_without_filmcrew_metadata(tl, tmp_path):
    out = T.export_interchange(tl, tmp_path / "export")
    imported = otio.adapters.read_from_file(str(out["edl"]))
    before = _snapshot(imported)
    with pytest.raises(T.TimelineEditError):
        T.trim(imported, "S9", 0.5, 0.0, "r")
    assert _snapshot(imported) == before
    T.trim(imported, "S2", 0.5, 0.0, "late in")
    assert T.shot_spans(imported)[1].duration == pytest.approx(1.5)
