"""The screenwriter's offline craft: brief -> screenplay, and the check of a shot plan.

A short brief is expanded into setup / event / outcome; a long one keeps every
name and sentence, distributed over the scene blocks in order. The check of a
shot plan insists on establishing shots, on the block's characters being seen,
and on a close enough shot for an emotional beat.
"""

from __future__ import annotations

import re
from typing import Any

from filmcrew.agents.craft.cinematographer import SIZE_INDEX
from filmcrew.agents.craft.reading import SOUND_OF_PLACE, TIMES, brief_facts, lower_words, note_flags, text_seed
from filmcrew.agents.craft.voice import fit_words
from filmcrew.agents.role import OfflineRule
from filmcrew.memory.models import (
    Character,
    Critique,
    DetailedStoryboard,
    SceneBlock,
    Script,
    ShotPlan,
    SimplifiedStoryboard,
    StoryboardShot,
    Synopsis,
)

__all__ = ["TOOLS", "RULES", "structure_script", "check_shot_plan"]

#: The screenwriter calls no tools.
TOOLS: tuple[str, ...] = ()

_METAPHORS = {
    "tense": "a taut rope fraying strand by strand",
    "tender": "two cups steaming side by side on a windowsill",
    "triumphant": "sunlight breaking through heavy clouds",
    "melancholy": "a candle guttering out in a dark room",
    "playful": "a paper boat spinning in a puddle",
    "mysterious": "a key turning slowly in darkness",
    "neutral": "a clock's second hand sweeping on",
}
_DEFAULT_NAMES = ("Mara", "Jonah", "Elena", "Theo", "Iris", "Sami", "Noor", "Felix", "Ada", "Ravi")


def structure_script(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Script:
    brief = ctx["brief"]
    text = brief["text"].strip()
    facts = brief_facts(text, brief.get("references", []))
    flags = note_flags(notes)
    seed = text_seed(text)
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
        voice = fit_words(_narration(beat, chunk, hero, current_place, mood), block_seconds * 0.8)
        visual = [current_place, time.replace("_", " ")] + ([weather] if weather != "clear" else []) + present[:2]
        sound = "; ".join(filter(None, [
            next((v for k, v in SOUND_OF_PLACE.items() if k in current_place.lower()), "room tone"),
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
        logline=fit_words(sentences[0], 8),
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
        words = lower_words(" ".join(chunk))
        named = {TIMES[w] for w in words if w in TIMES}
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
        "event": f"Show the event that changes {who}'s situation: {fit_words(text, 5)}",
        "development": f"Raise the stakes for {who}: {fit_words(text, 5)}",
        "twist": f"Turn the story: {fit_words(text, 5)}",
        "outcome": f"Resolve what happened to {who} and leave the viewer with its meaning.",
    }.get(beat, f"Advance {who}'s story.")



def check_shot_plan(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Critique:
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
        if block.location != previous_location and SIZE_INDEX[first.shot_size] > 2:
            found.append(f"{first.id}: establish the {block.location} with a wide shot before going close")
            targets.append(first.id)
        if block.characters and not any(s.characters for s in shots):
            found.append(f"{shots[-1].id}: show {', '.join(block.characters[:2])}; the block is about them")
            targets.append(shots[-1].id)
        primaries = [s for s in shots if s.characters]
        if block.mood not in ("neutral",) and primaries and all(SIZE_INDEX[s.shot_size] < 5 for s in primaries):
            found.append(f"{primaries[-1].id}: closer on the character so the beat ({block.mood}) reads")
            targets.append(primaries[-1].id)
        previous_location = block.location
    total = sum(s.duration for s in plan.shots)
    target = float(ctx.get("target_duration", total))
    if abs(total - target) > 0.25 * target:
        found.append(f"the plan runs {total:.1f} s against a target of {target:.0f} s")
    return Critique(approve=not found, notes=found, targets=targets)


RULES: dict[str, OfflineRule] = {"structure_script": structure_script, "check_shot_plan": check_shot_plan}
