"""The sound designer's offline craft at three time scales, each its own task, then the mix.

- Scene (`design_scene_sound`): ambience and score per block from the block's
  place, time, weather and mood, following the film's arc (tension can
  resolve into tenderness), with a crossfade or a hard cut into the next block
  and the reason for it. A calm dawn gets no storm unless the block says so.
- Shot (`design_shot_sound`): voice-over and dialogue per picture-locked
  shot, each with its speaker, packed so no line overruns its shot.
- Intra-shot (`design_intra_shot_sound`): foley and effects at the timecodes
  of the renderer's visible events and of the objects and actions the shot
  names (the bottle, the oars, the door, the crowd).

Library sounds are found with the `search_sounds` tool; what is found is
referenced as `asset:<id>`, what is not stays a text query.
"""

from __future__ import annotations

import re
from typing import Any

from filmcrew.agents.craft.reading import SOUND_OF_PLACE, note_flags
from filmcrew.agents.craft.voice import fit_words, pack_voice
from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.memory.models import (
    EffectRequest,
    IntraShotSoundPlan,
    SceneBlock,
    SceneSound,
    SceneSoundPlan,
    Script,
    ShotSoundPlan,
    ShotVoice,
)
from filmcrew.tools.clips.references import names_match

__all__ = [
    "TOOLS",
    "RULES",
    "design_scene_sound",
    "design_shot_sound",
    "design_intra_shot_sound",
    "scene_searches",
    "effect_searches",
]

SEARCH_SOUNDS = "search_sounds"
SEARCH_EFFECTS = "search_effects"
MIX_SOUNDTRACK = "mix_soundtrack"
#: The tools the sound designer calls, in `RoleSpec.tools`.
TOOLS = (SEARCH_SOUNDS, SEARCH_EFFECTS, MIX_SOUNDTRACK)

_VERBS_OF_EVENTS: tuple[tuple[str, str, str], ...] = (
    (r"thunder|lightning", "thunder", "sfx"),
    (r"gun|gunshot|shoots?|fires a", "gunshot", "sfx"),
    (r"explo\w*", "explosion", "sfx"),
    (r"applau\w*|clap\w*", "applause", "sfx"),
    (r"cheer\w*|crowd roars?", "crowd cheering", "sfx"),
    (r"laugh\w*", "people laughing", "sfx"),
    (r"gasps?", "a gasp of surprise", "sfx"),
    (r"dogs?|barks?", "a dog barking", "sfx"),
    (r"sirens?|police car|ambulance", "a siren", "sfx"),
    (r"phones? ring\w*|telephone", "a telephone ringing", "sfx"),
    (r"foghorn|horns?|honks?", "a horn", "sfx"),
    (r"bicycle|bike", "a bicycle bell", "sfx"),
    (r"bells?", "bell", "sfx"),
    (r"outboard|motorboat", "a boat's outboard motor", "sfx"),
    (r"engine|car|truck|motor\w*", "engine", "sfx"),
    (r"heart\w*", "heartbeat", "sfx"),
    (r"match|lights? a candle|ignit\w*", "a match struck", "sfx"),
    (r"fire|flames?|candle", "fire crackle", "sfx"),
    (r"crash\w*|impact|falls?|hits?", "impact", "sfx"),
    (r"whip\w*|whoosh", "whoosh", "sfx"),
    (r"oars?|rows?|rowing|paddl\w*", "rowing a boat with oars", "foley"),
    (r"splash\w*|dives?|jumps? into|throws? .* into the (?:sea|water|river|lake)", "a splash in water", "foley"),
    (r"sails?|flags?", "a sail flapping in the wind", "foley"),
    (r"ropes?|moor\w*", "a rope straining", "foley"),
    (r"slams?", "door slam", "foley"),
    (r"knocks?", "knock on a door", "foley"),
    (r"doors?", "door", "foley"),
    (r"footsteps?|walks?|steps?|runs?|running", "footsteps", "foley"),
    (r"bottles?", "a glass bottle", "foley"),
    (r"glass\w*|cups?|toasts?", "glass clink", "foley"),
    (r"pours?", "water poured into a glass", "foley"),
    (r"keys?", "keys jingle", "foley"),
    (r"letter|paper|page|message|note", "a letter unfolded", "foley"),
    (r"typ\w*|typewriter|keyboard", "typing", "foley"),
    (r"clock|ticks?", "a clock ticking", "foley"),
    (r"chains?", "a chain rattling", "foley"),
    (r"locks?|padlock", "a padlock", "foley"),
    (r"dig\w*|shovel|spade", "digging", "foley"),
    (r"chair", "a chair scraped back", "foley"),
    (r"zip\w*", "a zipper", "foley"),
)
# Bookkeeping events of the renderer that carry no sound of their own.
_SILENT_EVENTS = {"shot_start", "camera_move_start", "camera_move_end", "subject_enters"}


def _found(results: list[Any]) -> dict[str, str]:
    """query -> best asset id, from the search_sounds results."""
    found: dict[str, str] = {}
    for result in results:
        if isinstance(result, dict) and result.get("matches"):
            found[result["query"]] = result["matches"][0]["id"]
    return found


def _ref(query: str, found: dict[str, str]) -> str:
    return f"asset:{found[query]}" if query in found else query


def design_scene_sound(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> SceneSoundPlan:
    """Scene scale: a bed and a score per block, and how each block meets the next."""
    script = Script.model_validate(ctx["script"])
    flags = note_flags(notes)
    found = _found(results)
    scenes = []
    blocks = script.blocks
    for i, block in enumerate(blocks):
        amb_q, music_q, why = _scene_choice(block, blocks[i - 1] if i else None)
        transition, how = _transition(block, blocks[i + 1] if i + 1 < len(blocks) else None)
        scenes.append(SceneSound(
            block_id=block.id,
            ambience=_ref(amb_q, found),
            music="" if "no_music" in flags else _ref(music_q, found),
            music_gain_db=-3.0 if "quiet" in flags else 0.0,
            transition=transition,
            reason=f"{why}; {how}" if how else why,
        ))
    return SceneSoundPlan(scenes=scenes)


def design_shot_sound(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> ShotSoundPlan:
    """Shot scale: the script's dialogue on the shots that show its speakers, narration laid over the rest."""
    script = Script.model_validate(ctx["script"])
    cut = ctx["cut"]
    revoice = {n.get("target") for n in ctx.get("audio_notes", []) if n.get("action") == "revoice"}
    spoken: dict[str, tuple[str, str]] = {}
    for block in script.blocks:
        in_block = [s for s in cut["shots"] if s["block_id"] == block.id]
        free = [s for s in in_block if s.get("dialogue") and s.get("speaker")]
        for s in free:
            spoken[s["shot_id"]] = (s["speaker"], s["dialogue"])
        last = -1
        for line in block.dialogue:
            # Lines keep their order: the first free shot after the previous line that shows
            # the speaker, else the first free shot after it.
            open_shots = [(i, s) for i, s in enumerate(in_block) if i > last and s["shot_id"] not in spoken]
            if not open_shots:
                break
            i, shot = next(((i, s) for i, s in open_shots if any(names_match(line.speaker, c) for c in s.get("characters", []))),
                           open_shots[0])
            last = i
            spoken[shot["shot_id"]] = (line.speaker, fit_words(line.text, max(0.5, shot["duration"] - 0.4)))
    # Narration is re-laid over the picture-locked shots of each block that carry no
    # dialogue, so a trim moves words to the next shot instead of cutting them.
    lines: dict[str, str] = {}
    for block in cut["blocks"]:
        in_block = [s for s in cut["shots"] if s["block_id"] == block["block_id"]]
        text = block.get("voice_over") or " ".join(s.get("voice_over", "") for s in in_block)
        dense = block["block_id"] in revoice or any(s["shot_id"] in revoice for s in in_block)
        # Where the audience found the narration too dense, it gets a quarter less room.
        free = [s for s in in_block if s["shot_id"] not in spoken]
        rooms = [(s["duration"] - 0.4) * (0.75 if dense else 1.0) for s in free]
        lines.update({s["shot_id"]: line for s, line in zip(free, pack_voice(text, rooms))})
    voices: list[ShotVoice] = []
    for shot in cut["shots"]:
        if shot["shot_id"] in spoken:
            speaker, text = spoken[shot["shot_id"]]
            voices.append(ShotVoice(shot_id=shot["shot_id"], text=text, speaker=speaker, offset=0.2, kind="dialogue"))
        elif lines.get(shot["shot_id"]):
            voices.append(ShotVoice(shot_id=shot["shot_id"], text=lines[shot["shot_id"]], speaker=None, offset=0.2, kind="voice"))
    return ShotSoundPlan(voices=voices)


def _shot_effects(shot: dict[str, Any]) -> list[tuple[str, str, float, str]]:
    """(query, layer, seconds into the shot, what it syncs to): visible events first, then the
    objects and actions the shot's action names, at most three per shot, one per sound."""
    out: list[tuple[str, str, float, str]] = []
    seen: set[str] = set()
    for event in shot.get("events", []):
        query, layer = _effect_for(event)
        if query is None or query in seen:
            continue
        seen.add(query)
        at = max(0.0, min(float(event["t"]), shot["duration"] - 0.2))
        out.append((query, layer, at, f"{event['kind']}: {event.get('description', '')}".strip()))
    action = str(shot.get("action", ""))
    for pattern, query, layer in _VERBS_OF_EVENTS:
        if query in seen:
            continue
        m = re.search(rf"\b(?:{pattern})\b", action.lower())
        if m:
            seen.add(query)
            # Where the action names it: its position in the sentence stands in for its time.
            share = m.start() / max(1, len(action))
            at = round(min(shot["duration"] - 0.2, 0.3 + share * max(0.0, shot["duration"] - 0.8)), 3)
            out.append((query, layer, max(0.0, at), f"action: {m.group(0)} ({action[:60]})"))
    return out[:3]


def design_intra_shot_sound(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> IntraShotSoundPlan:
    """Intra-shot scale: foley and effects at the moments of visible events and named actions."""
    cut = ctx["cut"]
    found = _found(results)
    effects: list[EffectRequest] = []
    for shot in cut["shots"]:
        for query, layer, at, syncs_to in _shot_effects(shot):
            effects.append(EffectRequest(shot_id=shot["shot_id"], query=_ref(query, found), at=round(at, 3), layer=layer,
                                         syncs_to=syncs_to))
    if not effects and cut["shots"]:
        # Every film gets at least one intra-shot accent: a whoosh into the turning point.
        turn = cut["shots"][len(cut["shots"]) // 2]
        effects.append(EffectRequest(shot_id=turn["shot_id"], query="whoosh transition", at=0.0, layer="sfx", syncs_to="cut into the turning point"))
    return IntraShotSoundPlan(effects=effects)


_CALM_TIMES = {"dawn", "morning", "golden_hour", "afternoon", "day"}
_RESOLVING = ("reunite", "reunion", "embrace", "hug", "home", "safe", "return", "returns", "found", "finds", "together",
              "forgive", "rescue", "rescued", "saved", "peace", "dawn")
_WEATHER_WORDS = {"storm": "storm", "stormy": "storm", "thunder": "storm", "rain": "rain", "raining": "rain",
                  "rainy": "rain", "downpour": "storm", "fog": "fog", "foggy": "fog", "mist": "fog", "snow": "snow",
                  "wind": "wind", "windy": "wind", "gale": "storm"}
# The library's moods, and the score each block mood asks for.
_SCORE = {
    "tense": "tense suspense", "tender": "tender warm", "triumphant": "triumphant heroic", "melancholy": "melancholy sad",
    "playful": "playful light-hearted", "mysterious": "mysterious eerie", "hopeful": "hopeful uplifting",
    "peaceful": "peaceful calm", "urgent": "urgent action chase", "ominous": "ominous dark", "nostalgic": "nostalgic wistful",
    "romantic": "romantic love theme", "dreamy": "dreamy floating",
}


def _weather(block: SceneBlock) -> str | None:
    """What the block itself says about the weather (never what another block said)."""
    words = re.findall(r"[a-z]+", " ".join([block.prompt, block.rough_sound, *block.visual_elements]).lower())
    kinds = [_WEATHER_WORDS[w] for w in words if w in _WEATHER_WORDS]
    for kind in ("storm", "rain", "snow", "fog", "wind"):
        if kind in kinds:
            return kind
    return None


def _scene_choice(block: SceneBlock, before: SceneBlock | None) -> tuple[str, str, str]:
    """(ambience query, score query, why) for one block."""
    place = block.location.lower().replace("harbour", "harbor")
    bed = next((v for k, v in SOUND_OF_PLACE.items() if k in place), "quiet room tone")
    weather = _weather(block)
    if weather == "storm":
        bed = f"storm with heavy rain and wind, {bed}"
    elif weather == "rain":
        bed = f"rain, {bed}"
    elif weather in ("snow", "fog"):
        bed = f"quiet {weather}, {bed}"
    elif weather == "wind":
        bed = f"wind, {bed}"
    elif block.time_of_day in _CALM_TIMES:
        # No weather in the block: a calm bed, never the storm of an earlier scene.
        bed = f"calm {bed}" + (", dawn birdsong" if block.time_of_day == "dawn" else "")
    if block.time_of_day == "night" and "night" not in bed:
        bed += " at night"
    mood = block.mood if block.mood != "neutral" else "mysterious" if block.time_of_day == "night" else "tender"
    objective = f"{block.narrative_objective} {block.prompt}".lower()
    arc = ""
    if before is not None and before.mood in ("tense", "urgent", "ominous") and mood not in ("tense", "urgent", "ominous") \
            and any(w in objective for w in _RESOLVING):
        mood = "hopeful" if mood in ("triumphant", "hopeful") else "tender"
        arc = f", the tension of {before.id} resolving"
    score = f"{_SCORE.get(mood, mood)} music score"
    why = f"{block.location} at {block.time_of_day.replace('_', ' ')}" + (f" in {weather}" if weather else "") + f": {bed}; {mood} score{arc}"
    return f"{bed} ambience", score, why


def _transition(block: SceneBlock, after: SceneBlock | None) -> tuple[str, str]:
    if after is None:
        return "crossfade", ""
    sudden = after.mood in ("tense", "urgent", "ominous") and block.mood not in ("tense", "urgent", "ominous")
    if sudden:
        return "cut", f"hard cut into {after.id}: the turn to {after.mood} should land at once"
    return "crossfade", f"crossfade into {after.id}: one film breathing on"


def _effect_for(event: dict) -> tuple[str | None, str]:
    if event.get("kind") in _SILENT_EVENTS:
        return None, "sfx"
    for text in (str(event.get("kind", "")), str(event.get("description", ""))):
        for pattern, query, layer in _VERBS_OF_EVENTS:
            if re.search(rf"\b(?:{pattern})\b", text.lower()):
                return query, layer
    return None, "sfx"


def scene_searches(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """An ambience and a score search per block."""
    script = Script.model_validate(ctx["script"])
    calls = []
    for i, block in enumerate(script.blocks):
        amb, music, _why = _scene_choice(block, script.blocks[i - 1] if i else None)
        calls.append((SEARCH_SOUNDS, {"query": amb, "category": "ambience", "k": 3}))
        calls.append((SEARCH_SOUNDS, {"query": music, "category": "music", "k": 3}))
    return calls


def effect_searches(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """One search per distinct effect the shots call for."""
    queries: dict[str, str] = {}
    for shot in ctx["cut"]["shots"]:
        for query, layer, _at, _sync in _shot_effects(shot):
            queries.setdefault(query, layer)
    return [(SEARCH_EFFECTS, {"query": q, "category": layer, "k": 3}) for q, layer in queries.items()]


def report_mix(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> str:
    last = results[-1] if results else {}
    if not isinstance(last, dict):
        return "Done."
    stems = ", ".join(f"{s['layer']} {s['integrated_lufs']:.1f} LUFS" for s in last.get("stems", []) if s.get("integrated_lufs") is not None)
    return f"Mixed {len(last.get('stems', []))} stems ({stems}); master {last.get('master_lufs')} LUFS."


RULES: dict[str, OfflineRule] = {
    "design_scene_sound": OfflineToolRule(tools=(SEARCH_SOUNDS,), calls=scene_searches, answer=design_scene_sound),
    "design_shot_sound": design_shot_sound,
    "design_intra_shot_sound": OfflineToolRule(tools=(SEARCH_EFFECTS,), calls=effect_searches, answer=design_intra_shot_sound),
    "mix": OfflineToolRule(tools=(MIX_SOUNDTRACK,), calls=lambda ctx, notes: [(MIX_SOUNDTRACK, {})], answer=report_mix),
}
