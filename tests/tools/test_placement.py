"""Placing the sound designer's decisions on the picture lock: scene beds over whole
blocks, lines that fit their shots, effects inside their shots and inside the film."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.sound import ShelfLibrary, WordClockSpeech
from filmcrew.memory.models import EffectRequest, SceneSound, ShotVoice, SoundPlan
from filmcrew.tools.sound.placement import block_spans, place_sound, resolve_sound
from filmcrew.tools.timeline import ShotSpan


SPANS = [
    ShotSpan(shot_id="s1", block_id="b1", start=0.0, duration=2.0, speed=1.0, source_start=0.0, source_duration=2.0),
    ShotSpan(shot_id="s2", block_id="b1", start=2.0, duration=1.5, speed=1.0, source_start=0.0, source_duration=1.5),
    ShotSpan(shot_id="s3", block_id="b2", start=3.5, duration=0.4, speed=1.0, source_start=0.0, source_duration=0.4),
]
DURATION = 3.9


def test_a_block_spans_from_its_first_shot_to_its_last():
    assert block_spans(SPANS) == {"b1": (0.0, 3.5), "b2": (3.5, 3.9)}


async def test_scene_beds_cover_their_blocks_and_asset_ids_resolve_without_a_search(tmp_path: Path):
    shelf = ShelfLibrary(tmp_path)
    plan = SoundPlan(scenes=[SceneSound(block_id="b1", ambience="asset:ambience-1", music="asset:no-such-track", music_gain_db=-3),
                             SceneSound(block_id="b9", ambience="wind", music="")], voices=[], effects=[])
    design = await place_sound(plan, SPANS, DURATION, shelf, WordClockSpeech(), tmp_path)
    beds = {c.layer: c for c in design.cues}
    assert set(beds) == {"ambience", "music"} and all(c.scale == "scene" for c in design.cues)
    assert (beds["ambience"].start, beds["ambience"].duration) == (0.0, 3.5) and beds["music"].gain_db == -3
    # A named asset is taken as is; an id that does not exist is searched for by its words.
    assert shelf.searches == [("no such track", "music")]


async def test_a_line_too_long_for_its_shot_is_shortened_and_a_shot_without_room_gets_none(tmp_path: Path):
    speech = WordClockSpeech()
    long_line = " ".join(["word"] * 20)
    plan = SoundPlan(scenes=[], effects=[], voices=[ShotVoice(shot_id="s1", text=long_line, offset=0.2),
                                                     ShotVoice(shot_id="s3", text="too short a shot", offset=0.2)])
    design = await place_sound(plan, SPANS, DURATION, ShelfLibrary(tmp_path), speech, tmp_path)
    (cue,) = design.cues
    room = 2.0 - 0.2 - 0.05
    assert cue.shot_id == "s1" and cue.start == pytest.approx(0.2) and cue.duration <= room
    assert len(cue.text.split()) < 20 and cue.text.endswith(".") and speech.said[0] == long_line and len(speech.said) > 1


async def test_effects_land_inside_their_shot_and_inside_the_film(tmp_path: Path):
    plan = SoundPlan(scenes=[], voices=[], effects=[
        EffectRequest(shot_id="s2", query="door", at=0.5, syncs_to="the door", layer="foley"),
        EffectRequest(shot_id="s2", query="late", at=1.6, syncs_to="after the cut"),
        EffectRequest(shot_id="s3", query="last", at=0.1, syncs_to="the end"),
    ])
    design = await place_sound(plan, SPANS, DURATION, ShelfLibrary(tmp_path, length=3.0), WordClockSpeech(), tmp_path)
    by_shot = {c.shot_id: c for c in design.cues}
    assert set(by_shot) == {"s2", "s3"}
    assert (by_shot["s2"].layer, by_shot["s2"].start, by_shot["s2"].syncs_to) == ("foley", 2.5, "the door")
    # Three seconds of sound starting 0.3 s before the end is cut at the end of the film.
    assert by_shot["s3"].start + by_shot["s3"].duration == pytest.approx(DURATION)


async def test_cues_on_shots_not_in_the_cut_are_refused(tmp_path: Path):
    plan = SoundPlan(scenes=[], voices=[ShotVoice(shot_id="gone", text="hello")], effects=[])
    with pytest.raises(ValueError, match="not in the picture lock: gone"):
        await place_sound(plan, SPANS, DURATION, ShelfLibrary(tmp_path), WordClockSpeech(), tmp_path)


def test_resolve_sound_searches_the_words_of_a_query(tmp_path: Path):
    shelf = ShelfLibrary(tmp_path)
    asset = resolve_sound(shelf, "gulls over a harbour", "ambience")
    assert asset is not None and asset.category == "ambience" and shelf.searches == [("gulls over a harbour", "ambience")]
