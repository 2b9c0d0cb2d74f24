"""The craft model: the offline default chat model of every role.

It is a real `ChatCompletionClient` that answers each role's structured
request with built-in film-craft rules instead of a neural network. It reads
the request block the agent appends to its prompt (role, task, context),
calls the tools a crew member would call (film-reference search, clip
rendering, sound search, timeline edits, mixing, export), and answers with
JSON for the requested type. Everything it says is computed from its input:
a different brief gives a different script, plan, review and soundtrack.

The rules are deliberately legible craft heuristics (see each `_rule_*`):
expand a short brief into setup / event / outcome, keep every name of a long
one; adopt the camera pattern of the best-matching reference sequence; let
the screenwriter insist on establishing shots and on the characters being
seen; cut what runs past the audience's attention span; time effects to the
events the renderer reports.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import FunctionExecutionResultMessage, LLMMessage, UserMessage
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from filmcrew.agents.agent import REQUEST_FENCE
from filmcrew.agents.offline_client import OfflineChatCompletionClient
from filmcrew.agents.role import OfflineRule
from filmcrew.memory.models import (
    SHOT_SIZES,
    Analysis,
    BlockVoiceOver,
    Character,
    Critique,
    DetailedStoryboard,
    EditDecision,
    EditDecisionList,
    EffectRequest,
    Recommendation,
    ReferenceMatch,
    Review,
    ReviewNote,
    RoughCutPlan,
    SceneBlock,
    SceneSound,
    Script,
    Shot,
    ShotPlan,
    ShotVoice,
    SimplifiedStoryboard,
    SoundPlan,
    StoryboardShot,
    Synopsis,
)

__all__ = ["CraftChatCompletionClient", "CRAFT_RULES", "brief_facts"]

WORDS_PER_SECOND = 2.4  # comfortable narration pace
_FENCE_RE = re.compile(r"```" + REQUEST_FENCE + r"\n(.*?)\n```", re.S)

# ---------------------------------------------------------------------------
# Reading a brief
# ---------------------------------------------------------------------------

_STOP_CAPS = {
    "the", "a", "an", "in", "at", "on", "when", "after", "before", "as", "but", "and", "then", "one", "once",
    "she", "he", "they", "it", "her", "his", "their", "there", "this", "that", "with", "while", "suddenly",
    "finally", "years", "every", "each", "all", "now", "later", "meanwhile", "soon", "inside", "outside",
    "under", "over", "through", "from", "into", "by", "during", "until", "i", "we", "you", "our", "my", "no",
    "not", "what", "who", "where", "why", "how", "if", "so", "for", "to", "of", "only", "even", "just",
}
_PLACES = (
    "lighthouse", "cafe", "café", "kitchen", "street", "alley", "forest", "woods", "beach", "sea", "ocean", "station",
    "train", "house", "room", "city", "village", "market", "rooftop", "roof", "desert", "mountain", "school",
    "office", "garden", "bridge", "river", "lake", "field", "church", "hospital", "bar", "car", "boat", "ship",
    "island", "cave", "park", "library", "shop", "apartment", "bedroom", "stage", "harbor", "harbour", "hill",
    "road", "corridor", "hallway", "attic", "basement", "farm", "barn", "factory", "warehouse", "museum",
    "laboratory", "lab", "studio", "workshop", "diner", "restaurant", "hotel", "castle", "tower", "valley",
    "shore", "dock", "pier", "subway", "bus", "plane", "airport", "cemetery", "temple", "palace", "classroom",
    "stadium", "theater", "theatre", "bakery", "square", "highway", "cliff", "jungle", "meadow", "orchard",
)
_TIMES = {
    "dawn": "dawn", "sunrise": "dawn", "morning": "morning", "noon": "day", "afternoon": "afternoon",
    "sunset": "golden_hour", "golden": "golden_hour", "dusk": "dusk", "evening": "dusk", "twilight": "dusk",
    "night": "night", "midnight": "night", "moon": "night", "moonlight": "night", "dark": "night", "day": "day",
}
_WEATHER = {"rain": "rain", "raining": "rain", "rainy": "rain", "storm": "rain", "stormy": "rain", "thunder": "rain",
            "fog": "fog", "foggy": "fog", "mist": "fog", "misty": "fog", "snow": "snow", "snowy": "snow", "blizzard": "snow"}
_MOODS = {
    "tense": ("chase", "danger", "threat", "gun", "escape", "afraid", "fear", "storm", "fight", "hunt", "trap", "missing", "alarm", "run", "runs", "flee", "enemy", "dead", "kill"),
    "tender": ("love", "kiss", "hug", "mother", "father", "child", "together", "gentle", "care", "friend", "wedding", "letter", "home", "daughter", "son"),
    "triumphant": ("win", "wins", "victory", "triumph", "celebrate", "succeed", "finally", "champion", "saves", "rescue", "rescues", "hope"),
    "melancholy": ("alone", "lost", "loss", "grief", "funeral", "goodbye", "memory", "memories", "old", "last", "empty", "forgotten", "rain", "lonely", "dies"),
    "playful": ("dog", "cat", "game", "play", "plays", "dance", "dances", "joke", "funny", "festival", "party", "balloon", "robot", "kids"),
    "mysterious": ("secret", "hidden", "strange", "mystery", "shadow", "key", "door", "map", "unknown", "whisper", "discover", "discovers", "finds", "ghost"),
}
_METAPHORS = {
    "tense": "a taut rope fraying strand by strand",
    "tender": "two cups steaming side by side on a windowsill",
    "triumphant": "sunlight breaking through heavy clouds",
    "melancholy": "a candle guttering out in a dark room",
    "playful": "a paper boat spinning in a puddle",
    "mysterious": "a key turning slowly in darkness",
    "neutral": "a clock's second hand sweeping on",
}
_SOUND_OF_PLACE = {
    "sea": "waves and gulls", "ocean": "surf and wind", "beach": "gentle surf", "lighthouse": "wind and surf against rocks",
    "harbor": "water lapping, distant gulls", "city": "city traffic", "street": "city traffic and footsteps",
    "alley": "distant traffic, dripping water", "forest": "birds and wind in leaves", "woods": "birds and wind in leaves",
    "cafe": "crowd murmur, cups", "café": "crowd murmur, cups", "market": "crowd murmur", "station": "crowd and distant trains",
    "kitchen": "room tone, a kettle", "room": "quiet room tone", "house": "quiet room tone", "field": "wind over grass",
    "desert": "dry wind", "night": "night insects", "party": "crowd murmur and music", "festival": "crowd cheering",
    "island": "surf and wind", "boat": "water lapping against a hull", "ship": "waves and wind at sea", "ferry": "waves and a ship's engine",
    "storm": "storm wind and rain", "shore": "gentle surf", "bakery": "room tone, a busy kitchen", "market": "crowd murmur",
}
_DEFAULT_NAMES = ("Mara", "Jonah", "Elena", "Theo", "Iris", "Sami", "Noor", "Felix", "Ada", "Ravi")
# Visible events a sound is made for, matched as whole words in an event's kind or description.
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


def _seed(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [p.strip() for p in parts if len(p.strip()) > 1]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zA-Z']+", text.lower())


def _fit_words(text: str, seconds: float) -> str:
    """Cut narration to what can be said in `seconds` at a comfortable pace."""
    limit = max(3, int(seconds * WORDS_PER_SECOND))
    words = text.split()
    if len(words) <= limit:
        return text
    clipped = " ".join(words[:limit]).rstrip(",;:")
    return clipped if clipped.endswith((".", "!", "?")) else clipped + "."


def brief_facts(text: str, references: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Names, places, time, weather and mood read off a brief."""
    sentences = _sentences(text)
    names: list[str] = []
    for ref in references:
        if ref.get("kind") == "character" and ref["name"] not in names:
            names.append(ref["name"])
    for match in re.finditer(r"\b(?:named|called)\s+([A-Z][a-z]+)", text):
        if match.group(1) not in names:
            names.append(match.group(1))
    for sentence in sentences:
        tokens = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)
        for i, token in enumerate(tokens):
            if not token[0].isupper() or token.lower() in _STOP_CAPS or len(token) < 3:
                continue
            if token.lower() in _PLACES or token.lower() in _TIMES:
                continue
            # A sentence-initial capital is a name only if it is not a common word elsewhere in lower case.
            if i == 0 and re.search(rf"\b{token.lower()}\b", text):
                continue
            if token not in names:
                names.append(token)
    places: list[str] = []
    for ref in references:
        if ref.get("kind") == "location" and ref["name"] not in places:
            places.append(ref["name"])
    lowered = text.lower()
    for match in re.finditer(r"\b((?:[a-z]+\s)?)(" + "|".join(_PLACES) + r")s?\b", lowered):
        adjective = match.group(1).strip()
        place = match.group(2)
        phrase = f"{adjective} {place}".strip() if adjective and adjective not in _STOP_CAPS and adjective not in ("into", "toward", "towards") else place
        if not any(place in p.lower() for p in places):
            places.append(phrase)
    words = _words(text)
    # The most specific light wins: "every morning at dawn" is dawn.
    found_times = {_TIMES[w] for w in words if w in _TIMES}
    time = next((t for t in ("dawn", "golden_hour", "dusk", "night", "afternoon", "morning", "day") if t in found_times), None)
    weather = next((_WEATHER[w] for w in words if w in _WEATHER), "clear")
    scores = {mood: sum(1 for w in words for key in keys if w.startswith(key)) for mood, keys in _MOODS.items()}
    mood = max(scores, key=lambda m: (scores[m], m)) if max(scores.values()) > 0 else "neutral"
    return {"sentences": sentences, "names": names, "places": places, "time": time, "weather": weather, "mood": mood, "words": len(words)}


# ---------------------------------------------------------------------------
# Rules, one per task
# ---------------------------------------------------------------------------


def _note_flags(notes: Sequence[str]) -> set[str]:
    text = " ".join(notes).lower()
    flags = set()
    for key, words in {
        "tighter": ("close-up", "closer", "close up", "intimate", "tighter"),
        "wider": ("wider", "wide shot", "epic", "scale"),
        "night": ("night", "darker", "dark"),
        "rain": ("rain", "storm"),
        "fog": ("fog", "mist"),
        "faster": ("faster", "shorter", "tighter cut", "pace up", "speed up", "quicker"),
        "slower": ("slower", "breathe", "linger"),
        "steady": ("steady", "no shaky", "tripod", "locked"),
        "handheld": ("handheld", "shaky", "documentary feel"),
        "no_music": ("no music", "without music"),
        "quiet": ("quiet", "silence", "sparse"),
    }.items():
        if any(w in text for w in words):
            flags.add(key)
    return flags


def _rule_structure_script(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Script:
    brief = ctx["brief"]
    text = brief["text"].strip()
    facts = brief_facts(text, brief.get("references", []))
    flags = _note_flags(notes)
    seed = _seed(text)
    target = float(brief.get("target_duration", 30))
    sentences = facts["sentences"] or [text]
    names = facts["names"] or [_DEFAULT_NAMES[seed % len(_DEFAULT_NAMES)]]
    places = facts["places"] or [("quiet street", "small apartment", "rooftop")[seed % 3]]
    mood = facts["mood"]
    base_time = "night" if "night" in flags else (facts["time"] or ("night" if mood in ("tense", "mysterious") else "day"))
    weather = "rain" if "rain" in flags else ("fog" if "fog" in flags else facts["weather"])
    hero = names[0]

    n_blocks = max(2, min(5, round(target / 10)))
    short = facts["words"] <= 30
    beats: list[tuple[str, list[str]]] = []
    if short or len(sentences) < n_blocks:
        # A short brief is expanded: set up the world, play the brief's event, show what it leaves behind.
        core = sentences
        beats.append(("setup", [f"{hero} goes about an ordinary {base_time.replace('_', ' ')} in the {places[0]}."]))
        beats.append(("event", core))
        outcome = {
            "tense": f"{hero} stands still as the danger passes.",
            "tender": f"{hero} holds on to the moment.",
            "triumphant": f"{hero} looks up, changed by the victory.",
            "melancholy": f"{hero} is left alone with the memory.",
            "playful": f"{hero} laughs as the day settles.",
            "mysterious": f"{hero} looks back at what is still unexplained.",
        }.get(mood, f"{hero} takes in what has changed.")
        beats.append(("outcome", [outcome]))
        while len(beats) < n_blocks:
            beats.insert(-1, ("development", [f"{hero} follows what the event set in motion."]))
    else:
        # A long brief is kept faithful: its sentences are distributed over the blocks in order.
        per = len(sentences) / n_blocks
        for b in range(n_blocks):
            chunk = sentences[round(b * per) : round((b + 1) * per)] or [sentences[-1]]
            label = "setup" if b == 0 else ("outcome" if b == n_blocks - 1 else ("twist" if b == n_blocks - 2 else "development"))
            beats.append((label, chunk))

    times = _block_times(beats, base_time, "night" in flags)
    blocks: list[SceneBlock] = []
    story_shots: list[StoryboardShot] = []
    current_place = places[0]
    for b, (beat, chunk) in enumerate(beats):
        block_id = f"b{b + 1}"
        joined = " ".join(chunk)
        mentioned = [p for p in places if _is_setting(p, joined)]
        if mentioned:
            current_place = mentioned[0]
        present = [n for n in names if n.lower() in joined.lower()] or [hero]
        block_mood = mood if beat != "setup" else ("mysterious" if mood == "mysterious" else "neutral" if mood != "tender" else "tender")
        time = times[b]
        shot_ids: list[str] = []
        sid = len(story_shots)

        def add(kind: str, description: str, chars: list[str]) -> None:
            nonlocal sid
            sid += 1
            shot_id = f"s{sid}"
            story_shots.append(StoryboardShot(id=shot_id, kind=kind, description=description, characters=chars, location=current_place))
            shot_ids.append(shot_id)

        if b == 0 or mentioned:
            add("contextual", f"Establishing view of the {current_place} at {time.replace('_', ' ')}{', ' + weather if weather != 'clear' else ''}.", [])
        for sentence in chunk:
            add("primary", sentence.rstrip("."), [n for n in names if n.lower() in sentence.lower()] or [hero])
        if beat in ("twist", "event") or (beat == "outcome" and len(chunk) == 1):
            add("primary", f"Close on {present[0]}'s face as the moment lands.", [present[0]])
        if beat in ("twist", "event") and b == len(beats) - 2:
            add("metaphorical", _METAPHORS.get(mood, _METAPHORS["neutral"]).capitalize() + ".", [])
        block_seconds = target / len(beats)
        voice = _fit_words(_narration(beat, chunk, hero, current_place, mood), block_seconds * 0.8)
        visual = [current_place, time.replace("_", " ")] + ([weather] if weather != "clear" else []) + present[:2]
        sound = "; ".join(filter(None, [
            next((v for k, v in _SOUND_OF_PLACE.items() if k in current_place.lower()), "room tone"),
            "rain" if weather == "rain" else "",
            f"{block_mood} score" if block_mood != "neutral" else "sparse score",
        ]))
        blocks.append(SceneBlock(
            id=block_id,
            prompt=f"{joined} ({current_place}, {time.replace('_', ' ')})",
            time_of_day=time,
            location=current_place,
            characters=present,
            visual_elements=visual,
            narrative_objective=_objective(beat, present[0], current_place, joined),
            rough_sound=sound,
            storyboard_shots=shot_ids,
            voice_over=voice,
            mood=block_mood,
        ))

    title_word = (places[0].split()[-1] if facts["places"] else hero)
    synopsis = Synopsis(
        title=f"The {title_word.title()}" if facts["places"] else f"{hero}'s {('Night' if base_time == 'night' else 'Day')}",
        logline=_fit_words(sentences[0], 8),
        settings=[f"{p}, {t.replace('_', ' ')}" for p, t in zip([b.location for b in blocks], times)],
        characters=[Character(name=n, description=f"{'the protagonist' if n == hero else 'a figure in ' + hero + chr(39) + 's story'}", reference=next((r["name"] for r in brief.get("references", []) if r["name"].lower() == n.lower()), None)) for n in names],
        plot=" ".join(sentences),
    )
    simplified = SimplifiedStoryboard(
        background=f"{hero} in {places[0]}.",
        causal_chain=[b.narrative_objective for b in blocks],
        developments=[" ".join(chunk) for beat, chunk in beats if beat in ("development", "event", "twist")] or [sentences[0]],
        twist=next((" ".join(chunk) for beat, chunk in beats if beat in ("twist", "event")), sentences[-1]),
        outcome=" ".join(beats[-1][1]),
    )
    return Script(synopsis=synopsis, simplified=simplified, detailed=DetailedStoryboard(shots=story_shots), blocks=blocks)


_LOCATIVE = r"(?:in|at|on|inside|into|onto|across|through|near|by|under|over|along|outside|behind|around)"


def _is_setting(place: str, text: str) -> bool:
    """A place is where a block happens when the text puts someone there
    ("in the old lighthouse"), not when it is only named ("left the island")."""
    noun = re.escape(place.split()[-1].lower())
    return bool(re.search(rf"\b{_LOCATIVE}\s+(?:the|a|an|his|her|their|its|our|my|this|that)?\s*(?:[a-z'-]+\s){{0,2}}{noun}s?\b", text.lower()))


def _block_times(beats: list[tuple[str, list[str]]], base: str, force_night: bool) -> list[str]:
    """Each block's time: its own words when it names one ("At dawn he rows out"),
    else the time of the block before it; the first block takes the brief's."""
    times: list[str] = []
    for _beat, chunk in beats:
        words = _words(" ".join(chunk))
        named = {_TIMES[w] for w in words if w in _TIMES}
        own = next((t for t in ("dawn", "golden_hour", "dusk", "night", "afternoon", "morning", "day") if t in named), None)
        times.append("night" if force_night else (own or (times[-1] if times else base)))
    return times


def _narration(beat: str, chunk: list[str], hero: str, place: str, mood: str) -> str:
    if beat == "setup" and chunk and chunk[0].startswith(hero + " goes about an ordinary"):
        return f"This is the {place}, and this is {hero}."
    return " ".join(chunk)


def _objective(beat: str, who: str, place: str, text: str) -> str:
    return {
        "setup": f"Establish {who} and the {place} so the viewer knows where and with whom we are.",
        "event": f"Show the event that changes {who}'s situation: {_fit_words(text, 5)}",
        "development": f"Raise the stakes for {who}: {_fit_words(text, 5)}",
        "twist": f"Turn the story: {_fit_words(text, 5)}",
        "outcome": f"Resolve what happened to {who} and leave the viewer with its meaning.",
    }.get(beat, f"Advance {who}'s story.")


_SIZE_INDEX = {s: i for i, s in enumerate(SHOT_SIZES)}
_LENS = {"extreme_wide": "18mm", "wide": "24mm", "full": "28mm", "medium_wide": "35mm", "medium": "50mm",
         "medium_close_up": "65mm", "close_up": "85mm", "extreme_close_up": "100mm macro"}


def _shift_size(size: str, steps: int) -> str:
    return SHOT_SIZES[max(0, min(len(SHOT_SIZES) - 1, _SIZE_INDEX[size] + steps))]


def _lighting(time: str, mood: str, weather: str) -> str:
    light = {
        "dawn": "soft cool dawn light, low sun", "morning": "clean morning light", "day": "bright daylight",
        "afternoon": "warm afternoon light", "golden_hour": "golden backlight, long shadows",
        "dusk": "blue dusk, practicals on", "night": "low-key night, pools of practical light",
    }[time]
    tone = {"tense": ", hard contrast", "melancholy": ", desaturated", "tender": ", soft warm key",
            "mysterious": ", deep shadows", "triumphant": ", bright and warm", "playful": ", saturated colour"}.get(mood, "")
    return light + tone + (f", {weather}" if weather != "clear" else "")


def _rule_plan_camera(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> ShotPlan:
    script = Script.model_validate(ctx["script"])
    target = float(ctx["target_duration"])
    use_refs = bool(ctx.get("use_references", True))
    feedback = " ".join(filter(None, [ctx.get("feedback", "")] + [n for n in notes if n.startswith("[feedback]")]))
    flags = _note_flags([n for n in notes if not n.startswith("[feedback]")])
    refs_by_block: dict[str, list[dict]] = {}
    for result in results:
        if isinstance(result, dict) and "block_id" in result:
            refs_by_block[result["block_id"]] = result.get("matches", [])
    story = {s.id: s for s in script.detailed.shots}
    shots: list[Shot] = []
    block_seconds = target / max(1, len(script.blocks))
    previous_location = None
    for block in script.blocks:
        refs = refs_by_block.get(block.id, []) if use_refs else []
        board = [story[sid] for sid in block.storyboard_shots if sid in story] or [
            StoryboardShot(id=f"{block.id}-x", kind="primary", description=block.prompt, characters=block.characters, location=block.location)
        ]
        weights = [{"contextual": 1.25, "primary": 1.0, "metaphorical": 0.75}[s.kind] for s in board]
        weather = next((w for w in ("rain", "fog", "snow") if w in " ".join(block.visual_elements).lower()), "clear")
        if "rain" in flags:
            weather = "rain"
        sequence = _best_sequence(refs)
        block_shots: list[Shot] = []
        for i, sb in enumerate(board):
            size, movement, angle = _draft_camera(sb.kind, i, len(board), block.mood)
            reason = "draft from storyboard role"
            if sequence:
                ref = sequence[min(i, len(sequence) - 1)]
                # Adopt the reference pattern, but keep inserts and establishing shots recognisable.
                if sb.kind == "primary" or (sb.kind == "contextual" and _SIZE_INDEX[ref["shot_size"]] <= 2):
                    size = ref["shot_size"]
                movement, angle = ref["movement"], ref["angle"]
                reason = f"from reference {ref['ref_id']} (score {ref['score']:.2f})"
            if "tighter" in flags and sb.kind != "contextual":
                size = _shift_size(size, 1)
            if "wider" in flags:
                size = _shift_size(size, -1)
            if "steady" in flags and movement in ("handheld", "whip_pan"):
                movement = "static"
            if "handheld" in flags and movement == "static":
                movement = "handheld"
            # No cut between two shots of nearly the same size and angle: a jump cut.
            if block_shots and block_shots[-1].shot_size == size and block_shots[-1].angle == angle:
                size = _shift_size(size, 1 if _SIZE_INDEX[size] < 6 else -2)
                reason += "; size changed to avoid a jump cut"
            duration = _snap(block_seconds * weights[i] / sum(weights))
            block_shots.append(Shot(
                id=f"{block.id}-{sb.id}",
                block_id=block.id,
                shot_size=size,
                movement=movement,
                angle=angle,
                lens=_LENS[size],
                composition="centred, symmetrical" if angle == "overhead" else ("subject on the left third, looking right" if i % 2 == 0 else "subject on the right third, looking left"),
                lighting=_lighting("night" if "night" in flags else block.time_of_day, block.mood, weather),
                action=sb.description,
                characters=list(sb.characters),
                voice_over="",
                duration=duration,
                references=[ReferenceMatch.model_validate(r) for r in refs[:5]],
                rationale=reason,
            ))
        _apply_screenwriter_feedback(block, block_shots, feedback, previous_location)
        _distribute_voice(block, block_shots)
        shots.extend(block_shots)
        previous_location = block.location
    return ShotPlan(shots=shots, used_references=bool(use_refs and refs_by_block), rounds=1)


def _best_sequence(refs: list[dict]) -> list[dict]:
    """The highest-scoring reference sequence, in shot order (a multi-shot pattern)."""
    if not refs:
        return []
    totals: dict[str, float] = {}
    for r in refs:
        seq = r["ref_id"].rsplit("-", 1)[0]
        totals[seq] = totals.get(seq, 0.0) + r["score"]
    best = max(totals, key=lambda s: (totals[s], s))
    return sorted((r for r in refs if r["ref_id"].rsplit("-", 1)[0] == best), key=lambda r: int(r["ref_id"].rsplit("-", 1)[1]))


def _draft_camera(kind: str, i: int, n: int, mood: str) -> tuple[str, str, str]:
    if kind == "contextual":
        return "wide", ("crane" if mood == "triumphant" else "pan"), "eye_level"
    if kind == "metaphorical":
        return "extreme_close_up", "static", "eye_level"
    sizes = ["medium", "medium_close_up", "close_up"]
    size = sizes[min(i, len(sizes) - 1)]
    movement = {"tense": "handheld", "tender": "dolly_in", "mysterious": "dolly_in", "playful": "tracking",
                "triumphant": "crane", "melancholy": "dolly_out"}.get(mood, "static")
    angle = {"tense": "low", "mysterious": "dutch"}.get(mood, "eye_level") if i == n - 1 else "eye_level"
    return size, movement, angle


def _snap(seconds: float) -> float:
    # Multiples of 1/8 s are whole frames at 24 fps and exact in binary.
    return max(1.5, min(8.0, round(seconds * 8) / 8))


def _apply_screenwriter_feedback(block: SceneBlock, shots: list[Shot], feedback: str, previous_location: str | None) -> None:
    if not feedback:
        return
    for shot in shots:
        if shot.id not in feedback and block.id not in feedback:
            continue
        if f"{shot.id}: establish" in feedback and _SIZE_INDEX[shot.shot_size] > 1:
            shot.shot_size, shot.lens = "wide", _LENS["wide"]
            shot.rationale += "; widened to establish the place (screenwriter)"
        if f"{shot.id}: show" in feedback and not shot.characters:
            shot.characters = list(block.characters[:2])
            shot.rationale += "; characters brought into frame (screenwriter)"
        if f"{shot.id}: closer" in feedback and _SIZE_INDEX[shot.shot_size] < 5:
            shot.shot_size = "close_up"
            shot.lens = _LENS["close_up"]
            shot.rationale += "; pushed in for the narrative beat (screenwriter)"


def _phrases(text: str) -> list[list[str]]:
    """Narration split where a speaker would breathe: after , ; : . ! ?"""
    out: list[list[str]] = []
    for piece in re.split(r"(?<=[,;:.!?])\s+", text.strip()):
        if piece:
            out.append(piece.split())
    return out


def pack_voice(text: str, rooms: Sequence[float]) -> list[str]:
    """Lay narration over consecutive shots: whole phrases while they fit a
    shot's room (seconds), a phrase longer than a shot split across shots,
    words that fit nowhere dropped from the end."""
    capacities = [max(0, int(room * WORDS_PER_SECOND)) for room in rooms]
    lines: list[list[str]] = [[] for _ in rooms]
    i = 0
    for phrase in _phrases(text):
        words = list(phrase)
        while words and i < len(rooms):
            free = capacities[i] - len(lines[i])
            if len(words) <= free:
                lines[i] += words
                words = []
            elif lines[i] and i + 1 < len(rooms) and len(words) <= capacities[i + 1]:
                i += 1  # start the phrase on the next shot rather than break it
            else:
                lines[i] += words[:free]
                words = words[free:]
                i += 1
        if i < len(rooms) and len(lines[i]) >= capacities[i]:
            i += 1
    return [" ".join(line) for line in lines]


def _distribute_voice(block: SceneBlock, shots: list[Shot]) -> None:
    """Spread the block's voice-over over its shots, never more than a shot can hold."""
    for shot, line in zip(shots, pack_voice(block.voice_over, [s.duration - 0.4 for s in shots])):
        shot.voice_over = line
        shot.speaker = next((c for c in shot.characters if c.lower() in block.prompt.lower() and '"' in block.prompt), None)


def _rule_check_shot_plan(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Critique:
    script = Script.model_validate(ctx["script"])
    plan = ShotPlan.model_validate(ctx["shot_plan"])
    found: list[str] = []
    targets: list[str] = []
    previous_location = None
    for block in script.blocks:
        shots = [s for s in plan.shots if s.block_id == block.id]
        if not shots:
            found.append(f"{block.id}: the block has no shots; its objective is lost")
            targets.append(block.id)
            continue
        first = shots[0]
        if block.location != previous_location and _SIZE_INDEX[first.shot_size] > 2:
            found.append(f"{first.id}: establish the {block.location} with a wide shot before going close")
            targets.append(first.id)
        if block.characters and not any(s.characters for s in shots):
            found.append(f"{shots[-1].id}: show {', '.join(block.characters[:2])}; the block is about them")
            targets.append(shots[-1].id)
        primaries = [s for s in shots if s.characters]
        if block.mood not in ("neutral",) and primaries and all(_SIZE_INDEX[s.shot_size] < 5 for s in primaries):
            found.append(f"{primaries[-1].id}: closer on the character so the beat ({block.mood}) reads")
            targets.append(primaries[-1].id)
        previous_location = block.location
    total = sum(s.duration for s in plan.shots)
    target = float(ctx.get("target_duration", total))
    if abs(total - target) > 0.25 * target:
        found.append(f"the plan runs {total:.1f} s against a target of {target:.0f} s")
    return Critique(approve=not found, notes=found, targets=targets)


def _rule_assemble_rough_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> RoughCutPlan:
    script = Script.model_validate(ctx["script"])
    plan = ShotPlan.model_validate(ctx["shot_plan"])
    lines = []
    for block in script.blocks:
        seconds = sum(s.duration for s in plan.shots if s.block_id == block.id)
        lines.append(BlockVoiceOver(block_id=block.id, text=_fit_words(block.voice_over or block.narrative_objective, seconds * 0.85)))
    return RoughCutPlan(voice_over=lines, note="clips in plan order; placeholder voice-over per block")


def _rule_review_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Review:
    audience = ctx["audience"]
    cut = next((r for r in results if isinstance(r, dict) and "shots" in r), None)
    if cut is None:
        raise ValueError("watch_cut result missing")
    review_notes: list[ReviewNote] = []
    span = float(audience["attention_span_s"])
    preferred = float(audience["preferred_shot_length_s"])
    for block in cut["blocks"]:
        if block["duration"] > span * 1.1:
            review_notes.append(ReviewNote(category="timing", target=block["block_id"], severity="high",
                text=f"{block['block_id']} runs {block['duration']:.1f} s; a {audience['name']} viewer drifts after about {span:.0f} s"))
        if block["voice_words"] == 0:
            review_notes.append(ReviewNote(category="audio", target=block["block_id"], severity="medium",
                text=f"{block['block_id']} has no voice-over; I lose the thread there"))
        elif block["voice_words"] / max(block["duration"], 0.1) > 2.8:
            review_notes.append(ReviewNote(category="audio", target=block["block_id"], severity="medium",
                text=f"the voice-over in {block['block_id']} is too dense to follow ({block['voice_words']} words in {block['duration']:.1f} s)"))
    asl = cut["average_shot_length"]
    if asl > preferred * 1.3:
        slowest = max(cut["shots"], key=lambda s: s["duration"])
        review_notes.append(ReviewNote(category="timing", target=slowest["shot_id"], severity="medium",
            text=f"shots average {asl:.1f} s where I expect about {preferred:.1f} s; {slowest['shot_id']} drags most"))
    elif asl < preferred * 0.6:
        review_notes.append(ReviewNote(category="timing", target=cut["shots"][0]["shot_id"], severity="low",
            text=f"cutting every {asl:.1f} s feels hurried for me"))
    for a, b in zip(cut["shots"], cut["shots"][1:]):
        if a["shot_size"] == b["shot_size"] and a["angle"] == b["angle"]:
            review_notes.append(ReviewNote(category="structure", target=b["shot_id"], severity="medium",
                text=f"{a['shot_id']} to {b['shot_id']} feels like a jump: same size and angle"))
    first = cut["shots"][0]
    if audience["pacing"] == "fast" and first["duration"] > 3.0 and first["shot_size"] in ("extreme_wide", "wide"):
        review_notes.append(ReviewNote(category="structure", target=first["shot_id"], severity="high",
            text=f"the opening {first['shot_id']} is a {first['duration']:.1f} s wide shot; I need a hook sooner"))
    for shot in cut["shots"]:
        if shot.get("brightness", 0.5) < 0.12 and audience["name"] in ("family", "older-general"):
            review_notes.append(ReviewNote(category="structure", target=shot["shot_id"], severity="low",
                text=f"{shot['shot_id']} is too dark for me to read"))
    if audience["name"] == "horror" and not any(s["angle"] in ("low", "dutch") for s in cut["shots"]):
        review_notes.append(ReviewNote(category="structure", target=cut["shots"][-1]["shot_id"], severity="medium",
            text="nothing feels off-kilter; I expected an unsettling angle before the scare"))
    penalty = sum({"low": 0.04, "medium": 0.08, "high": 0.15}[n.severity] for n in review_notes)
    engagement = round(max(0.05, min(0.95, 0.9 - penalty)), 2)
    summary = (f"As a {audience['name']} viewer I followed {len(cut['blocks'])} scenes over {cut['duration']:.0f} s; "
               + (f"{len(review_notes)} things pulled me out." if review_notes else "it held me throughout."))
    return Review(audience=audience["name"], summary=summary, engagement=engagement, notes=review_notes)


def _rule_analyze_review(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Analysis:
    review = Review.model_validate(ctx["review"])
    cut = ctx["cut"]
    shots = {s["shot_id"]: s for s in cut["shots"]}
    structure: list[Recommendation] = []
    timing: list[Recommendation] = []
    audio: list[Recommendation] = []
    for note in review.notes:
        if note.category == "timing" and note.target in {b["block_id"] for b in cut["blocks"]}:
            block = next(b for b in cut["blocks"] if b["block_id"] == note.target)
            excess = block["duration"] - float(ctx.get("attention_span_s", block["duration"]))
            block_shots = [shots[s] for s in block["shot_ids"]]
            longest = max(block_shots, key=lambda s: s["duration"])
            if longest["movement"] in ("static", "pan", "dolly_in", "dolly_out", "zoom_in", "zoom_out") and excess > 1.5:
                timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="accelerate", params={"speed": 1.25}))
            cut_tail = round(min(longest["duration"] * 0.3, max(0.5, excess)) * 8) / 8
            timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="trim", params={"head": 0.0, "tail": cut_tail}))
        elif note.category == "timing":
            shot = shots.get(note.target)
            if shot and shot["duration"] > 2.0:
                timing.append(Recommendation(target=note.target, issue=note.text, action="trim",
                    params={"head": 0.0, "tail": round(shot["duration"] * 0.2 * 8) / 8}))
        elif note.category == "structure" and "hook" in note.text:
            structure.append(Recommendation(target=note.target, issue=note.text, action="trim",
                params={"head": round(shots[note.target]["duration"] * 0.35 * 8) / 8, "tail": 0.0}))
        elif note.category == "structure" and "jump" in note.text:
            if len(shots) > 3:
                structure.append(Recommendation(target=note.target, issue=note.text, action="remove"))
        elif note.category == "structure":
            structure.append(Recommendation(target=note.target, issue=note.text, action="retain"))
        elif note.category == "audio":
            audio.append(Recommendation(target=note.target, issue=note.text, action="revoice"))
    return Analysis(structure=structure, timing=timing, audio=audio)


def _rule_fine_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> EditDecisionList:
    analysis = Analysis.model_validate(ctx["analysis"])
    cut = ctx["cut"]
    flags = _note_flags(notes)
    applied = next((r for r in results if isinstance(r, dict) and "applied" in r), None)
    if applied is not None:
        return EditDecisionList(decisions=[EditDecision.model_validate(d) for d in applied["applied"]])
    rejected = " ".join(n for n in notes if n.startswith("[feedback]"))
    decisions: list[EditDecision] = []
    touched: set[str] = set()
    shots = {s["shot_id"]: s for s in cut["shots"]}
    removed = 0
    for rec in analysis.structure + analysis.timing:
        if rec.target not in shots or rec.target in rejected:
            continue
        if rec.action == "remove":
            if removed >= max(1, len(shots) // 5):
                continue
            removed += 1
        if rec.action == "revoice":
            continue
        params = {k: float(v) for k, v in rec.params.items() if isinstance(v, (int, float))}
        decisions.append(EditDecision(shot_id=rec.target, op=rec.action, params=params, reason=rec.issue))
        touched.add(rec.target)
    if "faster" in flags:
        for shot in cut["shots"]:
            if shot["shot_id"] not in touched and shot["duration"] > 2.5:
                decisions.append(EditDecision(shot_id=shot["shot_id"], op="trim", params={"head": 0.0, "tail": round(shot["duration"] * 0.2 * 8) / 8},
                                              reason="director asked for a faster pace"))
                touched.add(shot["shot_id"])
    for shot in cut["shots"]:
        if shot["shot_id"] not in touched:
            decisions.append(EditDecision(shot_id=shot["shot_id"], op="retain", params={}, reason="serves its block as cut"))
    return EditDecisionList(decisions=decisions)


def _rule_design_sound(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> SoundPlan:
    script = Script.model_validate(ctx["script"])
    cut = ctx["cut"]
    flags = _note_flags(notes)
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
    ambience = next((v for k, v in _SOUND_OF_PLACE.items() if k in place), "room tone")
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


CRAFT_RULES: dict[str, OfflineRule] = {
    "structure_script": _rule_structure_script,
    "check_shot_plan": _rule_check_shot_plan,
    "plan_camera": _rule_plan_camera,
    "assemble_rough_cut": _rule_assemble_rough_cut,
    "review_cut": _rule_review_cut,
    "analyze_review": _rule_analyze_review,
    "fine_cut": _rule_fine_cut,
    "design_sound": _rule_design_sound,
}

# ---------------------------------------------------------------------------
# Which tools a crew member calls before answering
# ---------------------------------------------------------------------------


def _calls_plan_camera(ctx: dict[str, Any]) -> list[tuple[str, dict]]:
    if not ctx.get("use_references", True):
        return []
    script = Script.model_validate(ctx["script"])
    story = {s.id: s.description for s in script.detailed.shots}
    calls = []
    for block in script.blocks:
        # The query is the whole block: place, time, people, objective and all its shot prompts together.
        query = " ".join([block.prompt, block.location, block.time_of_day, ", ".join(block.characters), block.mood,
                          block.narrative_objective, ", ".join(block.visual_elements)]
                         + [story.get(s, "") for s in block.storyboard_shots])
        calls.append(("search_film_references", {"query": query, "k": 8, "block_id": block.id}))
    return calls


def _calls_design_sound(ctx: dict[str, Any]) -> list[tuple[str, dict]]:
    script = Script.model_validate(ctx["script"])
    calls = []
    for block in script.blocks:
        amb, music = _sound_queries(block)
        calls.append(("search_sounds", {"query": amb, "category": "ambience", "k": 3}))
        calls.append(("search_sounds", {"query": music, "category": "music", "k": 3}))
    return calls


def _calls_fine_cut(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict]]:
    decisions = _rule_fine_cut(ctx, [], notes)
    return [("edit_timeline", {"decisions": [d.model_dump() for d in decisions.decisions]})]


_TOOL_FIRST: dict[str, Any] = {
    "plan_camera": lambda ctx, notes: _calls_plan_camera(ctx),
    "design_sound": lambda ctx, notes: _calls_design_sound(ctx),
    "fine_cut": _calls_fine_cut,
    "review_cut": lambda ctx, notes: [("watch_cut", {})],
    "generate_clips": lambda ctx, notes: [("render_clips", {})],
    "mix": lambda ctx, notes: [("mix_soundtrack", {})],
    "export": lambda ctx, notes: [("export_film", {})],
}
_REPORT_ONLY = {"generate_clips", "mix", "export"}


def _tool_name(tool: Tool | ToolSchema) -> str:
    return tool.name if isinstance(tool, Tool) else tool["name"]


def _parse_result(content: str) -> Any:
    try:
        return json.loads(content)
    except (json.JSONDecodeError, TypeError):
        return content


class CraftChatCompletionClient(OfflineChatCompletionClient):
    """Deterministic film-craft rules behind the chat-model interface."""

    def __init__(self, extra_rules: Mapping[str, OfflineRule] | None = None, *, model: str = "filmcrew-craft-1"):
        super().__init__(model=model)
        self._rules: dict[str, OfflineRule] = {**CRAFT_RULES, **(extra_rules or {})}
        self._calls = 0

    def add_rules(self, rules: Mapping[str, OfflineRule]) -> None:
        self._rules.update(rules)

    def respond(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema],
        json_output: bool | type[BaseModel] | None,
    ) -> str | list[FunctionCall]:
        index, request = _last_request(messages)
        if request is None:
            return "I answer the crew's structured requests; this message had none."
        later = list(messages[index + 1 :])
        results = [
            _parse_result(r.content) for m in later if isinstance(m, FunctionExecutionResultMessage) for r in m.content if not r.is_error
        ]
        tool_errors = [r.content for m in later if isinstance(m, FunctionExecutionResultMessage) for r in m.content if r.is_error]
        feedback = [f"[feedback] {m.content}" for m in later if isinstance(m, UserMessage) and isinstance(m.content, str)]
        task = request["task"]
        ctx = request["context"]
        notes = list(ctx.get("notes", [])) + feedback
        available = {_tool_name(t) for t in tools}
        planner = _TOOL_FIRST.get(task)
        called = any(isinstance(m, FunctionExecutionResultMessage) for m in later)
        if planner and not called:
            calls = [(name, args) for name, args in planner(ctx, notes) if name in available]
            if calls:
                self._calls += len(calls)
                return [FunctionCall(id=f"craft_{self._calls - len(calls) + i + 1}", name=name, arguments=json.dumps(args))
                        for i, (name, args) in enumerate(calls)]
        if tool_errors and not results:
            # Say what went wrong instead of inventing an answer without the tool's data.
            return f"The tool failed: {tool_errors[-1]}"
        if task in _REPORT_ONLY:
            return _report(task, results)
        rule = self._rules.get(task)
        if rule is None:
            raise ValueError(f"the craft model has no rule for task {task!r}; give the role an offline rule for it")
        output = rule(ctx, results, notes)
        if isinstance(output, BaseModel):
            return output.model_dump_json()
        return json.dumps(output)


def _report(task: str, results: list[Any]) -> str:
    last = results[-1] if results else {}
    if task == "generate_clips" and isinstance(last, dict):
        clips = last.get("clips", [])
        return f"Rendered {len(clips)} clips, {sum(c.get('duration', 0) for c in clips):.1f} s of picture."
    if task == "mix" and isinstance(last, dict):
        stems = ", ".join(f"{s['layer']} {s['integrated_lufs']:.1f} LUFS" for s in last.get("stems", []) if s.get("integrated_lufs") is not None)
        return f"Mixed {len(last.get('stems', []))} stems ({stems}); master {last.get('master_lufs')} LUFS."
    if task == "export" and isinstance(last, dict):
        return f"Exported {last.get('film')} ({last.get('duration', 0):.2f} s) and {last.get('timeline')}."
    return "Done."


def _last_request(messages: Sequence[LLMMessage]) -> tuple[int, dict[str, Any] | None]:
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if isinstance(message, UserMessage) and isinstance(message.content, str):
            found = _FENCE_RE.findall(message.content)
            if found:
                return index, json.loads(found[-1])
    return -1, None
