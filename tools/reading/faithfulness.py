"""Does a screenplay keep its brief? The checks behind the screenwriter's four steps.

Each function compares one step's output (a synopsis, a detailed storyboard,
scene blocks) with the `BriefReading` of the brief and returns the problems as
short sentences a model can act on ("keep every named character: Nora is
missing"). An empty list means the step is faithful. The checks are deliberately
about what a reader of the brief would notice, not about wording: every named
character, creature, place, key object and scene kept; no invented named
people; someone only talked about is not on screen unless the story is heading
for them; each change of place or time its own block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from filmcrew.memory.models import DetailedStoryboard, SceneBlock, Synopsis
from filmcrew.tools.reading.language import SUPPORTED_LANGUAGES
from filmcrew.tools.reading.lexicon import TITLES
from filmcrew.tools.reading.types import BriefReading, Person

__all__ = ["reading_facts", "synopsis_problems", "storyboard_problems", "block_problems", "matches_person", "singular"]

_ARTICLES = re.compile(r"^(the|a|an|el|la|los|las|un|una|le|les|l'|un|une|der|die|das|ein|eine)\s+", re.I)


def _bare(text: str) -> str:
    return _ARTICLES.sub("", text.strip().lower())


def singular(word: str) -> str:
    """A crude English singular ("kittens" -> "kitten", "stories" -> "story"), enough to match a word to its plural."""
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def matches_person(person: Person, name: str) -> bool:
    """Whether a script's character `name` is this person of the brief ("Ana" for "Ana Reyes",
    "firefighter" for "the firefighter")."""
    said = _bare(name)
    if not said:
        return False
    if person.named:
        tokens = {t.lower().rstrip(".") for t in [person.name, *person.aliases] for t in t.split()} - TITLES
        return bool(tokens & {t.lower().rstrip(".") for t in said.split()})
    # "the night watchman" is "the watchman"; "the seal pup" is not "the seal": the head noun decides.
    keys = [_bare(person.name), *(_bare(a) for a in person.aliases), person.role.lower()]
    return any(k and (k == said or singular(k.split()[-1]) == singular(said.split()[-1])) for k in keys)


def _on_screen(reading: BriefReading) -> set[str]:
    return {n for s in reading.scenes for n in s.present}


def _sought(reading: BriefReading) -> set[str]:
    return {n for s in reading.scenes for n in s.sought}


def reading_facts(reading: BriefReading) -> dict[str, Any]:
    """The reading as plain JSON for a model's prompt: what it must keep. The events are left
    out: they are the brief's own sentences, which the prompt already gives once."""
    present = _on_screen(reading)
    return {
        "language": reading.language,
        "people": [{"name": p.name, "kind": p.kind, "role": p.role, "on_screen": p.name in present,
                    **({"looks": p.description} if p.description else {})} for p in reading.people],
        "scenes": [
            {"place": s.place.name if s.place else None, "time_of_day": s.time_of_day, "weather": list(s.weather),
             "on_screen": list(s.present), "only_mentioned": list(s.mentioned), "objects": list(s.objects),
             "effects": list(s.effects),
             "speech": [{"speaker": a.speaker, "kind": a.kind, "to": a.addressee, **({"says": a.spoken} if a.spoken else {})}
                        for a in s.speech]}
            for s in reading.scenes
        ],
        "objects": list(reading.objects),
        "effects": list(reading.effects),
    }


def _invented(reading: BriefReading, names: Iterable[str], references: Sequence[str]) -> list[str]:
    """Capitalised names that the brief (and the user's reference images) never say."""
    text = reading.text.lower()
    known = " ".join(references).lower()
    out = []
    for name in names:
        words = [w for w in re.findall(r"[^\W\d_][\w'-]*", name) if w[:1].isupper() and w.lower() not in TITLES]
        words = [w for w in words if not _ARTICLES.match(w + " ")]
        if any(w.lower() not in text and w.lower() not in known for w in words):
            out.append(name)
    return out


def _must_keep(reading: BriefReading) -> list[Person]:
    # Named characters and the creatures that act; a role or group only talked about may go.
    present = _on_screen(reading)
    return [p for p in reading.people if p.named or (p.kind == "animal" and p.name in present)]


def synopsis_problems(reading: BriefReading, synopsis: Synopsis, references: Sequence[str] = ()) -> list[str]:
    problems: list[str] = []
    cast = [c.name for c in synopsis.characters]
    for person in _must_keep(reading):
        if not any(matches_person(person, n) for n in cast):
            problems.append(f"keep every named character and creature of the brief: {person.name} is missing from the characters")
    for name in _invented(reading, cast, references):
        problems.append(f"invent no named people: {name!r} is not in the brief")
    settings = " ".join(synopsis.settings).lower()
    for scene in reading.scenes:
        if scene.place is not None and scene.place.head.lower() not in settings and scene.place.name.lower() not in settings:
            problems.append(f"keep every place of the brief: {scene.place.name!r} is missing from the settings")
    if reading.language in SUPPORTED_LANGUAGES and synopsis.language != reading.language:
        problems.append(f"the brief is written in {reading.language!r}: write the script in it (language={reading.language!r})")
    return list(dict.fromkeys(problems))


def storyboard_problems(reading: BriefReading, synopsis: Synopsis, detailed: DetailedStoryboard) -> list[str]:
    problems: list[str] = []
    cast = [c.name for c in synopsis.characters]
    for shot in detailed.shots:
        for name in shot.characters:
            if not any(_bare(name) == _bare(c) or name.lower() in c.lower() or c.lower() in name.lower() for c in cast):
                problems.append(f"shot {shot.id} shows {name!r}, who is not a character of the synopsis")
    kinds = {s.kind for s in detailed.shots}
    for kind in ("primary", "contextual"):
        if kind not in kinds:
            problems.append(f"the detailed storyboard needs {kind} shots")
    return list(dict.fromkeys(problems))


def block_problems(reading: BriefReading, synopsis: Synopsis, blocks: Sequence[SceneBlock],
                   references: Sequence[str] = ()) -> list[str]:
    problems: list[str] = []
    if not blocks:
        return ["write at least one scene block"]
    cast = [c.name for c in synopsis.characters]
    shown = [c for b in blocks for c in b.characters]
    talked = [c for b in blocks for c in b.mentioned]
    for person in _must_keep(reading):
        if not any(matches_person(person, n) for n in shown + talked):
            problems.append(f"keep every named character and creature: {person.name} appears in no block")
    for name in _invented(reading, shown, references):
        problems.append(f"invent no named people: {name!r} is not in the brief")
    for block in blocks:
        for name in block.characters:
            if not any(_bare(name) == _bare(c) or name.lower() in c.lower() or c.lower() in name.lower() for c in cast):
                problems.append(f"{block.id}: {name!r} is on screen but is not a character of the synopsis")
        for line in block.dialogue:
            if not any(_bare(line.speaker) == _bare(c) or line.speaker.lower() in c.lower() for c in block.characters):
                problems.append(f"{block.id}: {line.speaker!r} speaks but is not on screen in this block")
    present, sought = _on_screen(reading), _sought(reading)
    for person in reading.people:
        if person.name in present:
            continue
        where = [b.id for i, b in enumerate(blocks) if any(matches_person(person, n) for n in b.characters)
                 and not (person.name in sought and i == len(blocks) - 1)]
        if where:
            problems.append(f"{person.name} is only talked about in the brief; do not show them on screen in "
                            f"{', '.join(where)} (list them under mentioned)")
    # Places in story order, each scene its own block.
    locations = [b.location.lower() for b in blocks]
    at = 0
    for scene in reading.scenes:
        if scene.place is None:
            continue
        head = scene.place.head.lower()
        hit = next((i for i in range(at, len(locations)) if head in locations[i] or scene.place.name.lower() in locations[i]), None)
        if hit is None:
            problems.append(f"a change of place starts a new block: no block at {scene.place.name!r} (after block {at + 1})")
        else:
            at = hit
    if len(blocks) < len(reading.scenes):
        problems.append(f"the brief has {len(reading.scenes)} scenes (a place or time change each); write at least that many blocks")
    stated = [s.time_of_day for s in reading.scenes if s.time_stated]
    times = {b.time_of_day for b in blocks}
    for t in dict.fromkeys(stated):
        if t not in times:
            problems.append(f"the brief sets a scene at {t.replace('_', ' ')}; no block has time_of_day {t!r}")
    words = " ".join(" ".join([b.prompt, " ".join(b.visual_elements), b.voice_over, b.narrative_objective,
                               " ".join(d.text for d in b.dialogue)]) for b in blocks).lower()
    for thing in list(reading.objects) + list(reading.effects):
        head = thing.split()[-1].lower()
        if head not in words and singular(head) not in words:
            problems.append(f"keep the brief's key objects and effects: {thing!r} is in no block")
    return list(dict.fromkeys(problems))
