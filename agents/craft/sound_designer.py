"""The sound designer's offline craft: ambience and score per block, narration per
shot, effects at the timecodes of visible events, then the mix.

Library sounds are found with the `search_sounds` tool (one ambience and one
score query per block); what is found is referenced as `asset:<id>`, what is
not stays a text query for the synthesiser.
"""

from __future__ import annotations

import re
from typing import Any

from filmcrew.agents.craft.reading import SOUND_OF_PLACE, note_flags
from filmcrew.agents.craft.voice import pack_voice
from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.memory.models import EffectRequest, SceneBlock, SceneSound, Script, ShotVoice, SoundPlan

__all__ = ["TOOLS", "RULES", "design_sound", "sound_searches"]

SEARCH_SOUNDS = "search_sounds"
MIX_SOUNDTRACK = "mix_soundtrack"
#: The tools the sound designer calls, in `RoleSpec.tools`.
TOOLS = (SEARCH_SOUNDS, MIX_SOUNDTRACK)

_VERBS_OF_EVENTS: tuple[tuple[str, str, str], ...] = (
    (r"thunder|lightning", "thunder", "sfx"),
    (r"gun|gunshot|shoots?|fires a", "gunshot", "sfx"),
    (r"explo\w*", "explosion", "sfx"),
    (r"crash\w*|impact|falls?|hits?", "impact", "sfx"),
    (r"whip\w*|whoosh", "whoosh", "sfx"),
    (r"bells?", "bell", "sfx"),
    (r"engine|car|truck|motor\w*", "engine", "sfx"),
    (r"heart\w*", "heartbeat", "sfx"),
    (r"fire|flames?|candle", "fire crackle", "sfx"),
    (r"slams?", "door slam", "foley"),
    (r"doors?", "door", "foley"),
    (r"knocks?", "knock on wood", "foley"),
    (r"footsteps?|walks?|steps?|runs?|running", "footsteps", "foley"),
    (r"glass\w*|bottle", "glass clink", "foley"),
    (r"keys?", "keys jingle", "foley"),
    (r"letter|paper|page|message", "paper rustle", "foley"),
)
# Bookkeeping events of the renderer that carry no sound of their own.
_SILENT_EVENTS = {"shot_start", "camera_move_start", "camera_move_end", "subject_enters"}


def design_sound(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> SoundPlan:
    script = Script.model_validate(ctx["script"])
    cut = ctx["cut"]
    flags = note_flags(notes)
    found: dict[str, str] = {}
    for result in results:
        if isinstance(result, dict) and result.get("matches"):
            found[result["query"]] = result["matches"][0]["id"]
    revoice = {n.get("target") for n in ctx.get("audio_notes", []) if n.get("action") == "revoice"}
    scenes = []
    for block in script.blocks:
        amb_q, music_q = _sound_queries(block)
        scenes.append(SceneSound(
            block_id=block.id,
            ambience=f"asset:{found[amb_q]}" if amb_q in found else amb_q,
            music="" if "no_music" in flags else (f"asset:{found[music_q]}" if music_q in found else music_q),
            music_gain_db=-3.0 if "quiet" in flags else 0.0,
        ))
    voices: list[ShotVoice] = []
    effects: list[EffectRequest] = []
    # Narration is re-laid over the picture-locked shots of each block, so a trim
    # moves words to the next shot instead of cutting them.
    lines: dict[str, str] = {}
    for block in cut["blocks"]:
        in_block = [s for s in cut["shots"] if s["block_id"] == block["block_id"]]
        text = block.get("voice_over") or " ".join(s.get("voice_over", "") for s in in_block)
        dense = block["block_id"] in revoice or any(s["shot_id"] in revoice for s in in_block)
        # Where the audience found the narration too dense, it gets a quarter less room.
        rooms = [(s["duration"] - 0.4) * (0.75 if dense else 1.0) for s in in_block]
        lines.update({s["shot_id"]: line for s, line in zip(in_block, pack_voice(text, rooms))})
    for shot in cut["shots"]:
        text = lines.get(shot["shot_id"], "")
        if text:
            voices.append(ShotVoice(shot_id=shot["shot_id"], text=text, speaker=shot.get("speaker"),
                                    offset=0.2, kind="dialogue" if shot.get("speaker") else "voice"))
        placed = 0
        for event in shot.get("events", []):
            query, layer = _effect_for(event)
            if query is None or placed >= 2:
                continue
            placed += 1
            at = max(0.0, min(float(event["t"]), shot["duration"] - 0.2))
            effects.append(EffectRequest(shot_id=shot["shot_id"], query=f"asset:{found[query]}" if query in found else query,
                                         at=round(at, 3), layer=layer, syncs_to=f"{event['kind']}: {event.get('description', '')}".strip()))
    if not effects and cut["shots"]:
        # Every film gets at least one intra-shot accent: a whoosh into the turning point.
        turn = cut["shots"][len(cut["shots"]) // 2]
        effects.append(EffectRequest(shot_id=turn["shot_id"], query="whoosh transition", at=0.0, layer="sfx", syncs_to="cut into the turning point"))
    return SoundPlan(scenes=scenes, voices=voices, effects=effects)


def _sound_queries(block: SceneBlock) -> tuple[str, str]:
    place = block.location.lower()
    ambience = next((v for k, v in SOUND_OF_PLACE.items() if k in place), "room tone")
    if "rain" in " ".join(block.visual_elements).lower() or "rain" in block.rough_sound:
        ambience = "rain " + ambience
    if block.time_of_day == "night" and "city" not in ambience:
        ambience += " at night"
    mood = block.mood if block.mood != "neutral" else "mysterious" if block.time_of_day == "night" else "tender"
    return f"{ambience} ambience", f"{mood} music score"


def _effect_for(event: dict) -> tuple[str | None, str]:
    if event.get("kind") in _SILENT_EVENTS:
        return None, "sfx"
    for text in (str(event.get("kind", "")), str(event.get("description", ""))):
        for pattern, query, layer in _VERBS_OF_EVENTS:
            if re.search(rf"\b(?:{pattern})\b", text.lower()):
                return query, layer
    return None, "sfx"


def sound_searches(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """An ambience and a score search per block."""
    script = Script.model_validate(ctx["script"])
    calls = []
    for block in script.blocks:
        amb, music = _sound_queries(block)
        calls.append((SEARCH_SOUNDS, {"query": amb, "category": "ambience", "k": 3}))
        calls.append((SEARCH_SOUNDS, {"query": music, "category": "music", "k": 3}))
    return calls


def report_mix(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> str:
    last = results[-1] if results else {}
    if not isinstance(last, dict):
        return "Done."
    stems = ", ".join(f"{s['layer']} {s['integrated_lufs']:.1f} LUFS" for s in last.get("stems", []) if s.get("integrated_lufs") is not None)
    return f"Mixed {len(last.get('stems', []))} stems ({stems}); master {last.get('master_lufs')} LUFS."


RULES: dict[str, OfflineRule] = {
    "design_sound": OfflineToolRule(tools=(SEARCH_SOUNDS,), calls=sound_searches, answer=design_sound),
    "mix": OfflineToolRule(tools=(MIX_SOUNDTRACK,), calls=lambda ctx, notes: [(MIX_SOUNDTRACK, {})], answer=report_mix),
}
