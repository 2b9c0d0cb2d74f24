"""The sound designer's offline craft at its three scales: scene beds that follow the
block and the arc, dialogue in order on the shots that show its speakers, effects
at visible events and at the objects and actions shots name."""

from __future__ import annotations

from typing import Any

from filmcrew.agents.craft.sound_designer import design_intra_shot_sound, design_scene_sound, design_shot_sound
from filmcrew.memory.models import (
    Character,
    DetailedStoryboard,
    DialogueLine,
    SceneBlock,
    Script,
    SimplifiedStoryboard,
    StoryboardShot,
    Synopsis,
)


def _block(id_: str, *, time: str, location: str, mood: str, prompt: str, objective: str = "", dialogue=(), rough: str = "") -> SceneBlock:
    return SceneBlock(id=id_, prompt=prompt, time_of_day=time, location=location, characters=["Mara", "Tom"],
                      visual_elements=[], narrative_objective=objective or prompt, rough_sound=rough, mood=mood,
                      dialogue=[DialogueLine(speaker=s, text=t) for s, t in dialogue])


SCRIPT = Script(
    synopsis=Synopsis(title="Bottle", logline="A bottle at sea.", settings=["harbour"], plot="...",
                      characters=[Character(name="Mara", description="a young fisherwoman"),
                                  Character(name="Tom", description="her grandfather, an old keeper")]),
    simplified=SimplifiedStoryboard(background="", causal_chain=[], developments=[], twist="", outcome=""),
    detailed=DetailedStoryboard(shots=[StoryboardShot(id="s1", kind="primary", description="x", location="harbour")]),
    blocks=[
        _block("b1", time="night", location="lighthouse", mood="tense", prompt="A storm breaks over the lighthouse; rain lashes the glass."),
        _block("b2", time="dawn", location="harbour", mood="tender", prompt="At dawn Mara and Tom are reunited on the quay.",
               objective="The reunion: they embrace, safe at last.",
               dialogue=[("Tom", "You came back."), ("Mara", "I found the bottle."), ("Tom", "Then read it.")]),
        _block("b3", time="day", location="harbour", mood="tense", prompt="A boat is missing."),
    ],
)


def _shot(id_: str, block: str, start: float, characters: list[str], action: str, events=()) -> dict[str, Any]:
    return {"shot_id": id_, "block_id": block, "start": start, "duration": 3.0, "action": action, "characters": characters,
            "voice_over": "", "dialogue": "", "speaker": None, "events": list(events)}


CUT = {
    "shots": [
        _shot("b1-s1", "b1", 0.0, [], "Lightning over the lighthouse.", [{"t": 1.2, "kind": "lightning", "description": "lightning flash"}]),
        _shot("b2-s1", "b2", 3.0, ["Mara"], "Mara rows the boat to the quay."),
        _shot("b2-s2", "b2", 6.0, ["Tom"], "Tom waits on the quay."),
        _shot("b2-s3", "b2", 9.0, ["Mara"], "Mara holds up the bottle."),
        _shot("b2-s4", "b2", 12.0, ["Tom", "Mara"], "They embrace."),
        _shot("b3-s1", "b3", 15.0, [], "An empty mooring."),
    ],
    "blocks": [{"block_id": "b1", "voice_over": "The storm came at night."}, {"block_id": "b2", "voice_over": "By dawn it was over."},
               {"block_id": "b3", "voice_over": ""}],
}
CTX = {"script": SCRIPT.model_dump(mode="json"), "cut": CUT, "audio_notes": []}


def test_scene_scale_follows_the_block_and_the_arc():
    plan = design_scene_sound(CTX, [], [])
    storm, dawn, missing = plan.scenes
    assert "storm" in storm.ambience and "tense" in storm.music
    # The calm dawn after the storm: no storm, no rain, and the tension resolves into tenderness.
    assert "storm" not in dawn.ambience and "rain" not in dawn.ambience and "calm" in dawn.ambience
    assert "tender" in dawn.music and "resolving" in dawn.reason
    # Into the tense block: a hard cut, and it says why; otherwise a crossfade.
    assert storm.transition == "crossfade" and dawn.transition == "cut" and "tense" in dawn.reason


def test_shot_scale_keeps_dialogue_in_order_on_shots_that_show_the_speaker():
    voices = design_shot_sound(CTX, [], []).voices
    dialogue = [(v.shot_id, v.speaker, v.text) for v in voices if v.kind == "dialogue"]
    assert dialogue == [("b2-s2", "Tom", "You came back."), ("b2-s3", "Mara", "I found the bottle."), ("b2-s4", "Tom", "Then read it.")]
    narration = [v for v in voices if v.kind == "voice"]
    assert narration and all(v.speaker is None for v in narration)
    assert {v.shot_id for v in narration} & {s for s, _, _ in dialogue} == set()


def test_intra_shot_scale_syncs_to_events_and_named_actions():
    effects = design_intra_shot_sound(CTX, [], []).effects
    by_shot = {(e.shot_id, e.query): e for e in effects}
    thunder = by_shot[("b1-s1", "thunder")]
    assert thunder.at == 1.2 and thunder.syncs_to.startswith("lightning")
    oars = by_shot[("b2-s1", "rowing a boat with oars")]
    assert oars.layer == "foley" and "rows" in oars.syncs_to and 0 < oars.at < 3.0
    assert ("b2-s3", "a glass bottle") in by_shot
