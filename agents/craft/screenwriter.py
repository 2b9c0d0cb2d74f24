"""The screenwriter's offline craft: the four-step chain from brief to scene blocks, and the check of a shot plan.

The brief is read with `filmcrew.tools.reading` (people, settings per scene,
objects and effects, time and weather, who is on screen, implied speech, the
events as present-tense action). Each scene of the brief becomes one block (one
place, one time); a short brief (40 words or fewer) is expanded into a whole
arc with a setup block before its events and a resolution after them. Shots
are written as screen action, not copied sentences; dialogue is written where
the brief implies speech; a brief in Spanish, French, German or Russian gives a
script in that language with its names kept. Nothing is invented: no name, no
place that the brief does not give (a brief with no place at all gets one
implied by its people's trade, or "home").

The four steps are four tasks (`write_synopsis`, `write_storyboard`,
`write_shots`, `write_scene_blocks`) so each is its own turn with its own typed
output; `structure_script` answers the whole chain in one turn for crews that
want it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from filmcrew.agents.craft.cinematographer import SIZE_INDEX
from filmcrew.agents.craft.phrases import phrases_for, resolution, theme, time_word
from filmcrew.agents.craft.reading import SOUND_OF_PLACE, brief_facts, note_flags
from filmcrew.agents.craft.voice import WORDS_PER_SECOND, fit_words
from filmcrew.agents.role import OfflineRule
from filmcrew.memory.models import (
    Character,
    Critique,
    DetailedStoryboard,
    DialogueLine,
    SceneBlock,
    SceneBlocks,
    Script,
    ShotPlan,
    SimplifiedStoryboard,
    StoryboardShot,
    Synopsis,
)
from filmcrew.tools.reading import BriefReading, Person, SpeechAct, read_brief

__all__ = [
    "TOOLS", "RULES", "SHORT_BRIEF_WORDS", "story_script", "structure_script", "write_synopsis", "write_storyboard",
    "write_shots", "write_scene_blocks", "check_shot_plan",
]

#: The screenwriter calls no tools.
TOOLS: tuple[str, ...] = ()

_MAX_ACTIONS = 8

#: A brief of at most this many words is expanded into setup, event(s) and resolution.
SHORT_BRIEF_WORDS = 40

# Where a story with no stated place happens, from its lead's trade.
_PLACE_OF_ROLE = {
    "firefighter": "burning building", "astronaut": "spacecraft", "cosmonaut": "spacecraft", "sailor": "ship",
    "fisherman": "fishing boat", "chef": "kitchen", "cook": "kitchen", "baker": "bakery", "teacher": "classroom",
    "student": "classroom", "farmer": "farm", "doctor": "hospital", "nurse": "hospital", "surgeon": "hospital",
    "soldier": "battlefield", "miner": "mine", "pilot": "cockpit", "musician": "stage", "dancer": "stage",
    "ballerina": "stage", "librarian": "library", "scientist": "laboratory", "keeper": "lighthouse",
    "shepherd": "hillside", "diver": "sea", "monk": "monastery", "priest": "church", "judge": "courtroom",
    "clockmaker": "workshop", "carpenter": "workshop", "painter": "studio", "detective": "office",
}
_HOME = {"en": "home", "es": "casa", "fr": "la maison", "de": "Zuhause", "ru": "дом"}
_SOMEONE = {"en": "someone", "es": "alguien", "fr": "quelqu'un", "de": "jemand", "ru": "кто-то"}
_SOUND_OF_EFFECT = {
    "fire": "fire crackle and roar", "smoke": "crackling embers", "flood": "rushing water", "blizzard": "howling blizzard wind",
    "power cut": "electric hum dying out", "earthquake": "deep rumble", "explosion": "distant explosion",
    "avalanche": "avalanche roar", "sandstorm": "sandstorm wind", "eruption": "volcanic rumble",
    "fireworks": "fireworks bursts", "alarm": "alarm bell", "siren": "siren", "collapse": "collapsing debris",
}
_SOUND_OF_WEATHER = {"rain": "rain", "storm": "storm wind and rain", "snow": "soft wind over snow", "wind": "strong wind",
                     "fog": "muffled foghorn", "hail": "hail on roofs"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


@dataclass
class _Beat:
    kind: str  # setup, event, development, twist, outcome
    place: str
    time: str
    weather: list[str]
    present: list[str]
    mentioned: list[str]
    things: list[str]
    effects: list[str]
    actions: list[str]
    speech: list[SpeechAct] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    mood: str = "neutral"


@dataclass
class _Story:
    reading: BriefReading
    language: str
    hero: str
    cast: list[Person]
    beats: list[_Beat]
    mood: str
    target: float
    references: list[tuple[str, str]]


def _fallback_place(reading: BriefReading, language: str) -> str:
    for person in reading.people:
        if person.role in _PLACE_OF_ROLE and language == "en":
            return _PLACE_OF_ROLE[person.role]
    return _HOME.get(language, "home")


def _mood_of(text: str, language: str, default: str = "neutral") -> str:
    if language != "en":
        return default
    mood = brief_facts(text)["mood"]
    return mood if mood != "neutral" else default


def _plan(brief: Mapping[str, Any], notes: Sequence[str]) -> _Story:
    text = str(brief["text"]).strip()
    references = [(str(r["name"]), str(r["kind"])) for r in brief.get("references") or []]
    reading = read_brief(text, references)
    language = reading.language
    flags = note_flags(notes)
    mood = _mood_of(text, language)
    hero = reading.people[0].name if reading.people else _SOMEONE.get(language, "someone")
    fallback = _fallback_place(reading, language)
    beats: list[_Beat] = []
    for scene in reading.scenes:
        place = scene.place.name if scene.place else fallback
        present = list(scene.present) or [hero]
        for act in scene.speech:
            if act.speaker and act.speaker not in present and act.speaker not in scene.mentioned:
                present.append(act.speaker)
        actions = [_cap(e.action) + ("" if e.action.endswith((".", "!", "?", "…")) else ".") for e in scene.events]
        if not actions:
            actions = [_cap(phrases_for(language)["arrive"].format(who=_who_names(present, hero, language), place=_the(place, language)))]
        beats.append(_Beat(
            kind="event", place=place, time=scene.time_of_day, weather=list(scene.weather),
            present=present, mentioned=[m for m in scene.mentioned if m not in present],
            things=list(scene.objects), effects=list(scene.effects), actions=actions, speech=list(scene.speech),
            sentences=list(scene.sentences), mood=_mood_of(" ".join(scene.sentences), language, mood),
        ))
    if not beats:  # a brief of words but no sentence the reader could use
        beats.append(_Beat("event", fallback, "day", [], [hero], [], [], [], [_cap(text.strip())], sentences=[text]))
    P = phrases_for(language)
    if reading.words <= SHORT_BRIEF_WORDS or len(beats) == 1:
        # A short brief (or one that never leaves its one scene) is expanded: set up the world,
        # play the brief's events, show what they leave behind.
        first, last = beats[0], beats[-1]
        lead = first.present[:1] or [hero]
        setup = _Beat("setup", first.place, first.time, list(first.weather), list(lead), [], [], [],
                      [_cap(P["setup"].format(who=_who_names(lead, hero, language), place=_the(first.place, language)))], mood="neutral")
        found = [n for s in reading.scenes for n in s.sought if n not in last.present]
        if found:
            ending = _cap(P["resolve_found"].format(who=_who_names(last.present, hero, language), other=_who_names(found, hero, language)))
        else:
            ending = _cap(resolution(language, last.mood).format(who=_who_names(last.present[:1], hero, language)))
        outcome = _Beat("outcome", last.place, last.time, list(last.weather), list(dict.fromkeys(last.present + found)), [],
                        list(last.things[:1]), [], [ending], mood=last.mood)
        beats = [setup, *beats, outcome]
    else:
        beats[0].kind = "setup"
        if len(beats) > 1:
            beats[-1].kind = "outcome"
        if len(beats) > 3:
            beats[-2].kind = "twist"
        for b in beats[1:-1]:
            if b.kind == "event":
                b.kind = "development"
    for b in beats:
        if "night" in flags:
            b.time = "night"
        for w in ("rain", "fog"):
            if w in flags and w not in b.weather:
                b.weather.append(w)
    # A person who never stands on screen in the brief and is not looked for stays off screen.
    present_somewhere = {n for b in beats for n in b.present}
    cast = [p for p in reading.people if p.name in present_somewhere or p.named or p.name in {m for b in beats for m in b.mentioned}]
    for name, kind in references:
        if kind == "character" and not any(p.name == name for p in cast):
            cast.insert(0, Person(name, "named"))
    if not any(p.name == hero for p in cast):
        cast.insert(0, Person(hero, "role"))  # a brief whose reader found nobody still has its "someone"
    target = float(brief.get("target_duration") or 30.0)
    return _Story(reading, language, hero, cast, beats, mood, target, references)


def _who_names(names: Sequence[str], hero: str, language: str) -> str:
    names = [n for n in names if n] or [hero]
    joiner = {"es": " y ", "fr": " et ", "de": " und ", "ru": " и "}.get(language, " and ")
    return joiner.join(names[:2])


def _the(place: str, language: str) -> str:
    """English common-noun places take "the" in running text; proper names and other
    languages keep the brief's own words (which carry their article)."""
    if language != "en" or place[:1].isupper() or place.lower().startswith(("the ", "a ", "an ")) or place == "home":
        return place
    return "the " + place


def _key(brief: Mapping[str, Any], notes: Sequence[str]) -> str:
    wanted = {k: brief.get(k) for k in ("text", "references", "target_duration")}
    return json.dumps([wanted, list(notes)], sort_keys=True, default=str)


@lru_cache(maxsize=64)
def _story_for(key: str) -> Script:
    brief, notes = json.loads(key)
    return _write(_plan(brief, notes))


def story_script(brief: Mapping[str, Any], notes: Sequence[str] = ()) -> Script:
    """The whole offline screenplay of a brief (all four steps), as a `Script`."""
    return _story_for(_key(brief, notes)).model_copy(deep=True)


def _speech_lines(story: _Story, act: SpeechAct, present: list[str]) -> list[DialogueLine]:
    P = phrases_for(story.language)
    speaker = act.speaker
    addressee = act.addressee
    other = addressee if addressee in present else next((n for n in present if n != speaker), None)
    display = lambda n: _cap(n)  # noqa: E731 - names as the cast lists them
    content = act.content.strip().rstrip(".")
    if act.kind == "quote":
        return [DialogueLine(speaker=speaker, text=act.content)]
    if act.spoken:
        return [DialogueLine(speaker=speaker, text=act.spoken)]  # the brief's reported words, in the speaker's voice
    if act.kind == "call" and addressee and addressee not in present:
        return [DialogueLine(speaker=speaker, text=P["say_phone"])]  # the other end of a call is elsewhere
    if act.kind == "call":
        target = story.reading.person(addressee) if addressee else None
        word = None
        if target is not None:
            # a name, or the role as a form of address ("Grandmother!", "¡Abuela!")
            word = target.name.split()[0] if target.named else _cap(target.name.split()[-1]) if target.kind == "role" else None
        return [DialogueLine(speaker=speaker, text=P["say_call"].format(name=word) if word else P["say_call_none"])]
    if act.kind == "argue":
        lines = [DialogueLine(speaker=speaker, text=P["say_argue"])]
        if other:
            lines.append(DialogueLine(speaker=other, text=P["say_argue_back"]))
        return lines
    if act.kind == "confess":
        lines = [DialogueLine(speaker=speaker, text=P["say_confess"])]
        if other:
            lines.append(DialogueLine(speaker=other, text=P["say_confess_back"]))
        return lines
    if act.kind == "ask":
        return [DialogueLine(speaker=speaker, text=P["say_ask"].format(content=_cap(content)) if content else P["say_ask_none"])]
    if act.kind == "answer":
        return [DialogueLine(speaker=speaker, text=P["say_answer"])]
    if act.kind == "sing":
        return [DialogueLine(speaker=speaker, text=P["say_sing"])]
    return [DialogueLine(speaker=speaker, text=P["say_tell"].format(content=_cap(content) + ".") if content else P["say_tell_none"])]


def _write(story: _Story) -> Script:
    P = phrases_for(story.language)
    lang = story.language
    n = len(story.beats)
    seconds = story.target / n
    shots: list[StoryboardShot] = []
    blocks: list[SceneBlock] = []
    previous_place: str | None = None
    metaphor_at = max(range(n), key=lambda i: (story.beats[i].kind in ("twist", "event"), i if i < n - 1 else -1))
    story_things = [t for b in story.beats for t in b.things + b.effects]
    for i, beat in enumerate(story.beats):
        block_id = f"b{i + 1}"
        ids: list[str] = []
        tw = time_word(lang, beat.time)
        weather = "".join(f", {w}" for w in beat.weather)

        def add(kind: str, description: str, chars: list[str]) -> None:
            shot = StoryboardShot(id=f"s{len(shots) + 1}", kind=kind, description=description,  # type: ignore[arg-type]
                                  characters=chars, location=beat.place, block=block_id)
            shots.append(shot)
            ids.append(shot.id)

        where = _the(beat.place, lang)
        if beat.place != previous_place or i == 0:
            if beat.effects:
                add("contextual", P["establish_effect"].format(place=where, time=tw, weather=weather, effect=", ".join(beat.effects)), [])
            else:
                add("contextual", P["establish"].format(place=where, time=tw, weather=weather), [])
        # A block stages a handful of actions; a merged run of many scenes keeps its first ones
        # on screen and the rest in the narration.
        for action in beat.actions[:_MAX_ACTIONS]:
            low = action.lower()
            chars = [p for p in beat.present if p.lower() in low or any(a.lower() in low for a in _aliases(story, p))]
            add("primary", action, chars or beat.present[:1])
        shown = " ".join(s.description.lower() for s in shots if s.block == block_id)
        for thing in beat.things + beat.effects:
            if thing.lower() not in shown:
                add("primary", _cap(P["detail"].format(thing=thing)), [])
        dialogue: list[DialogueLine] = []
        # When the brief gives the words ("Ana shouts that she needs the money"), they are the
        # scene's lines; stock lines for the acts it only names ("argue") would come first.
        worded = [a for a in beat.speech if a.speaker in beat.present and (a.spoken or a.kind == "quote")]
        for act in worded or beat.speech:
            if act.speaker in beat.present:  # a voice at the other end of a phone is not on screen
                dialogue += _speech_lines(story, act, beat.present)
        speakers = list(dict.fromkeys(d.speaker for d in dialogue))
        if len(speakers) >= 2:
            add("primary", _cap(P["two_shot"].format(a=speakers[0], b=speakers[1])), speakers[:2])
        if beat.kind in ("event", "twist", "outcome") and beat.present:
            lead = story.hero if story.hero in beat.present else beat.present[0]
            add("primary", _cap(P["close"].format(who=lead)), [lead])
        if i == metaphor_at:
            image = next((t for t in beat.things + beat.effects), None) or next(iter(story_things), None)
            if image:
                add("metaphorical", _cap(P["metaphor"].format(thing=image, theme=theme(lang, beat.mood))), [])
            else:
                add("metaphorical", _cap(P["metaphor_place"].format(place=where, time=tw, theme=theme(lang, beat.mood))), [])
        block_shots = [s for s in shots if s.block == block_id]
        first_action = beat.actions[0] if beat.actions else ""
        who = beat.present[0] if beat.present else story.hero
        objective = _cap(P[f"obj_{beat.kind}"].format(who=who, place=where, action=fit_words(first_action, 5)))
        if beat.kind == "setup" and beat.sentences == []:
            narration = _cap(P["narrate_setup"].format(place=where, who=who))
        elif not beat.sentences:
            narration = " ".join(beat.actions)  # the resolution a short brief is given
        else:
            narration = " ".join(beat.sentences)
        voice = "" if dialogue else _narration_for(narration, seconds * 0.8, beat.actions)
        visual = list(dict.fromkeys([beat.place, tw, *beat.weather, *beat.things, *beat.effects, *beat.present[:3]]))
        place_sound = next((v for k, v in SOUND_OF_PLACE.items() if k in beat.place.lower()), "room tone")
        sound = "; ".join(dict.fromkeys(filter(None, [
            place_sound,
            *(_SOUND_OF_WEATHER.get(w, "") for w in beat.weather),
            *(_SOUND_OF_EFFECT.get(e, "") for e in beat.effects),
            f"{beat.mood} score" if beat.mood != "neutral" else "sparse score",
        ])))
        blocks.append(SceneBlock(
            id=block_id,
            prompt=" ".join(s.description for s in block_shots) + f" ({beat.place}, {tw})",
            time_of_day=beat.time,  # type: ignore[arg-type]
            location=beat.place,
            characters=list(beat.present),
            visual_elements=visual,
            narrative_objective=objective,
            rough_sound=sound,
            storyboard_shots=ids,
            voice_over=voice,
            mood=beat.mood,
            dialogue=dialogue,
            mentioned=list(beat.mentioned),
        ))
        previous_place = beat.place
    return Script(synopsis=_synopsis(story, blocks), simplified=_simplified(story, blocks),
                  detailed=DetailedStoryboard(shots=shots), blocks=blocks, language=story.language)


def _narration_for(text: str, seconds: float, actions: Sequence[str] = ()) -> str:
    """As many whole sentences as can be said in `seconds`; a first sentence too long for it
    ends at its last clause that fits, else the block's shortest screen action that fits,
    else nothing: narration never stops mid-phrase ("At dawn he lights the.")."""
    limit = max(6, int(seconds * WORDS_PER_SECOND))
    sentences = [p for p in re.split(r"(?<=[.!?…])\s+", text.strip()) if p]
    if not sentences:
        return ""
    kept: list[str] = []
    for sentence in sentences:
        if sum(len(k.split()) for k in kept) + len(sentence.split()) > limit:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    first = sentences[0] if sentences else text
    clauses = re.split(r"(?<=[,;:])\s+", first)
    out: list[str] = []
    for clause in clauses:
        if sum(len(c.split()) for c in out) + len(clause.split()) > limit:
            break
        out.append(clause)
    if out:
        return " ".join(out).rstrip(",;:") + "…"
    fitting = [a for a in actions if len(a.split()) <= limit]
    return min(fitting, key=lambda a: len(a.split())) if fitting else ""


def _aliases(story: _Story, name: str) -> tuple[str, ...]:
    person = story.reading.person(name)
    return person.aliases if person is not None else ()


def _synopsis(story: _Story, blocks: list[SceneBlock]) -> Synopsis:
    P = phrases_for(story.language)
    reading = story.reading
    text = reading.text.lower()
    recurring = [o for o in reading.objects if text.count(o.split()[-1].lower()) >= 2]
    if story.language == "en" and recurring:
        # The object the story keeps returning to names it; else its first place.
        title = P["title"].format(thing=recurring[0].title())
    elif story.language == "en" and reading.places:
        title = P["title"].format(thing=reading.places[0].name.split(",")[0].title())
    else:
        title = _cap(story.hero)
    on_screen = {c for b in blocks for c in b.characters}
    characters = []
    for person in story.cast:
        if person.name not in on_screen:
            desc = P["mentioned_desc"]
        elif person.named:
            desc = P["named_desc"] if person.name == story.hero else (person.role or P["role_desc"])
        else:
            desc = P[{"role": "role_desc", "group": "group_desc", "animal": "animal_desc"}.get(person.kind, "role_desc")]
        if person.description:
            # The brief's own words for how they look reach every later stage (the renderer
            # draws age, gender and clothes from them); the story role stays in front.
            desc = f"{desc}: {person.description}" if person.name == story.hero or person.name not in on_screen \
                else person.description
        ref = next((n for n, k in story.references if k == "character" and n.lower() == person.name.lower()), None)
        characters.append(Character(name=person.name, description=desc, reference=ref))
    actions = [a for b in story.beats for a in b.actions]
    settings = list(dict.fromkeys(f"{b.location}, {time_word(story.language, b.time_of_day)}" for b in blocks))
    logline_source = next((a for b in story.beats if b.kind != "setup" for a in b.actions), actions[0])
    return Synopsis(title=title, logline=fit_words(logline_source, 10), settings=settings, characters=characters,
                    plot=" ".join(actions), language=story.language)


def _simplified(story: _Story, blocks: list[SceneBlock]) -> SimplifiedStoryboard:
    beats = story.beats
    middle = [a for b in beats[1:-1] for a in b.actions] or [a for b in beats for a in b.actions]
    twist_beat = next((b for b in reversed(beats) if b.kind in ("twist", "event")), beats[len(beats) // 2])
    return SimplifiedStoryboard(
        background=" ".join(beats[0].actions),
        causal_chain=[b.narrative_objective for b in blocks],
        developments=middle,
        twist=" ".join(twist_beat.actions),
        outcome=" ".join(beats[-1].actions),
    )


# -- the four steps, each its own task ------------------------------------------------------


def write_synopsis(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Synopsis:
    return story_script(ctx["brief"], notes).synopsis


def write_storyboard(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> SimplifiedStoryboard:
    return story_script(ctx["brief"], notes).simplified


def write_shots(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> DetailedStoryboard:
    return story_script(ctx["brief"], notes).detailed


def write_scene_blocks(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> SceneBlocks:
    """Blocks stage the detailed storyboard the crew accepted: each block's prompt and shot
    list come from the storyboard shots of that block, so a revised storyboard flows on."""
    script = story_script(ctx["brief"], notes)
    detailed = ctx.get("detailed")
    if detailed:
        board = DetailedStoryboard.model_validate(detailed)
        for block in script.blocks:
            own = [s for s in board.shots if s.block == block.id]
            if own:
                block.storyboard_shots = [s.id for s in own]
                block.prompt = " ".join(s.description for s in own) + f" ({block.location}, {time_word(script.language, block.time_of_day)})"
    return SceneBlocks(blocks=script.blocks)


def structure_script(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Script:
    """The whole chain in one turn."""
    return story_script(ctx["brief"], notes)


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


RULES: dict[str, OfflineRule] = {
    "write_synopsis": write_synopsis,
    "write_storyboard": write_storyboard,
    "write_shots": write_shots,
    "write_scene_blocks": write_scene_blocks,
    "structure_script": structure_script,
    "check_shot_plan": check_shot_plan,
}
