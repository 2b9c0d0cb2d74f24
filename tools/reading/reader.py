"""From a brief's text to a `BriefReading`: sentences read one by one, then grouped into scenes.

A new scene starts where the brief moves to another place, names another
time of day, or lets time pass ("years later"). A scene that names no place
stays where the story was; the first takes the brief's first place. Time is
day unless the brief says otherwise, and carries on until the brief changes it
(a jump in time resets it to day); weather belongs only to the scenes whose
sentences put it there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from filmcrew.tools.reading.english import EnglishReader, EnglishSentence
from filmcrew.tools.reading.foreign import read_foreign
from filmcrew.tools.reading.language import detect_language
from filmcrew.tools.reading.lexicon import FOREIGN
from filmcrew.memory.models import MAX_BRIEF_CHARS
from filmcrew.tools.reading.types import BriefReading, Event, Person, Place, Scene

__all__ = ["read_brief", "MAX_BRIEF_CHARS", "MAX_SCENES"]

# A short film holds a couple of dozen scenes at most; a brief with more (a
# chapter, a treatment) is told in this many, neighbouring scenes merged.
MAX_SCENES = 24



def _references(refs: Iterable[Any]) -> list[tuple[str, str]]:
    out = []
    for r in refs:
        if isinstance(r, Mapping):
            out.append((str(r["name"]), str(r["kind"])))
        elif isinstance(r, tuple):
            out.append((str(r[0]), str(r[1])))
        else:
            out.append((str(r.name), str(r.kind)))
    return out


def _plain_sentences(text: str) -> list[EnglishSentence]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?。！？…])\s*", " ".join(text.split())) if any(c.isalnum() for c in p)]
    out = []
    for i, p in enumerate(parts):
        s = EnglishSentence(i, p)
        s.events.append(Event(action=p.rstrip(".!?。！？… "), actors=(), sentence=i))
        out.append(s)
    return out


def read_brief(text: str, references: Sequence[Any] = ()) -> BriefReading:
    """Read a brief. `references` are the user's reference images (ReferenceImage records,
    {"name", "kind"} mappings or (name, kind) pairs) that name
    characters and locations the script must use. Raises ValueError for text with no words
    or longer than MAX_BRIEF_CHARS."""
    if len(text) > MAX_BRIEF_CHARS:
        raise ValueError(f"the brief is {len(text):,} characters; the limit is {MAX_BRIEF_CHARS:,}")
    if not any(c.isalpha() for c in text):
        raise ValueError("the brief has no words, only punctuation or symbols")
    refs = _references(references)
    language = detect_language(text)
    notes: list[str] = []
    if language == "en":
        sentences, people = EnglishReader(text, refs).read()
    elif language in FOREIGN:
        sentences, people = read_foreign(text, language)
        for name, kind in refs:
            if kind == "character" and not any(p.name == name for p in people):
                people.insert(0, Person(name, "named"))
    else:
        sentences, people = _plain_sentences(text), [Person(n, "named") for n, k in refs if k == "character"]
        notes.append(f"no word lists for language {language!r}: people and places are not read")
    location_refs = [Place(n, n.lower(), False, proper=True) for n, k in refs if k == "location"]
    scenes = _merge(_scenes(sentences, people, location_refs), MAX_SCENES)
    people = _protagonist_first(people, scenes)
    scenes = [_with_lead(s, people) for s in scenes]
    places = list(dict.fromkeys(s.place for s in scenes if s.place is not None))
    for s in sentences:
        for p in s.settings + s.regions:
            if p.head not in {q.head for q in places} and p.name not in {q.name for q in places}:
                places.append(p)
    objects = list(dict.fromkeys(o for s in sentences for o in s.objects))
    effects = list(dict.fromkeys(e for s in sentences for e in s.effects))
    words = len(re.findall(r"[^\W\d_]+", text))
    return BriefReading(
        text=text, language=language, sentences=tuple(s.text for s in sentences), people=tuple(people),
        places=tuple(places), objects=tuple(objects), effects=tuple(effects), scenes=tuple(scenes),
        words=words, notes=tuple(notes),
    )


def _sentence_places(s: EnglishSentence) -> list[Place]:
    """The settings of a sentence in the order it visits them; a region joins the first."""
    settings: list[Place] = []
    for p in s.settings or s.implied_places:
        if not any(p.head == q.head for q in settings):
            settings.append(p)
    region = s.regions[0] if s.regions else None
    if region is not None and settings and region.name.lower() not in settings[0].name.lower():
        settings[0] = Place(f"{settings[0].name}, {region.name}", settings[0].head, settings[0].indoor)
    return settings or ([region] if region is not None else [])


class _Draft:
    def __init__(self, place: Place | None, time: str | None):
        self.place = place
        self.time = time
        self.sentences: list[EnglishSentence] = []
        self.continued = False  # opened by a later place of the previous scene's last sentence
        # Sentences whose last clause moves on: their earlier actions happen here, their weather
        # ("into the snowy street") belongs to where they move to.
        self.left: set[int] = set()


def _scenes(sentences: list[EnglishSentence], people: list[Person], location_refs: list[Place]) -> list[Scene]:
    drafts: list[_Draft] = []
    for s in sentences:
        places = _sentence_places(s)
        place = places[0] if places else None
        cur = drafts[-1] if drafts else None
        if cur is None:
            drafts.append(_Draft(place, s.time))
        else:
            moved = place is not None and cur.place is not None and place.head != cur.place.head and not _inside(place, cur.place)
            # A time the brief names after an opening that named none is a new scene too ("One evening...").
            new_time = s.time is not None and s.time != cur.time and (cur.time is not None or bool(cur.sentences))
            if moved or new_time or s.later:
                time = s.time if s.time is not None else (None if s.later else cur.time)
                if moved and not new_time and not s.later and len(s.events) > 1 and place.head not in s.events[0].action.lower():
                    # "The cat knocks the cups off the shelf, and the burglar runs out into the street":
                    # what happens before the move stays where the story was.
                    cur.sentences.append(s)
                    cur.left.add(s.index)
                drafts.append(_Draft(place or cur.place if not s.later else place, time))
            elif cur.place is None and place is not None:
                cur.place = place
        drafts[-1].sentences.append(s)
        # "rides a bus to the harbor": each further place of the sentence is a scene of its own.
        for extra in places[1:]:
            if extra.head != drafts[-1].place.head if drafts[-1].place else True:
                d = _Draft(extra, drafts[-1].time)
                d.sentences.append(s)
                d.continued = True
                drafts.append(d)
    named = [p for s in sentences for p in s.named_places]
    first_place = next((d.place for d in drafts if d.place is not None), location_refs[0] if location_refs else (named[0] if named else None))
    if drafts and drafts[0].place is None and named and first_place is not named[0]:
        # The opening names its place without standing in it ("A lighthouse keeper finds...").
        first_place = named[0]
    # A sentence split over several places gives each event to the first scene whose place it names.
    holders: dict[int, list[_Draft]] = {}
    for d in drafts:
        for s in d.sentences:
            holders.setdefault(s.index, []).append(d)
    owner: dict[int, _Draft] = {}
    for s in sentences:
        for e in s.events:
            ds = holders.get(s.index, [])
            low = e.action.lower()
            owner[id(e)] = next((d for d in ds if d.place is not None and d.place.head in low), ds[0] if ds else drafts[0])
    scenes: list[Scene] = []
    previous_place, previous_time = first_place, "day"
    for i, d in enumerate(drafts):
        place = d.place or previous_place
        stated = d.time is not None
        time = d.time or (previous_time if i and not d.sentences[0].later else "day")
        status: dict[str, str] = {}
        for s in d.sentences:
            for name, state in s.people:
                if status.get(name) != "present":
                    status[name] = state
        sought = tuple(n for n, st in status.items() if st == "sought")
        scenes.append(Scene(
            index=i,
            sentences=tuple(s.text for s in d.sentences),
            place=place,
            time_of_day=time,
            time_stated=stated,
            weather=tuple(dict.fromkeys(w for s in d.sentences if s.index not in d.left for w in s.weather)),
            present=tuple(n for n, st in status.items() if st == "present"),
            mentioned=tuple(n for n, st in status.items() if st in ("mentioned", "sought")),
            objects=tuple(dict.fromkeys(o for s in d.sentences for o in s.objects)),
            effects=tuple(dict.fromkeys(e for s in d.sentences for e in s.effects)),
            speech=tuple(a for s in d.sentences for a in s.speech),
            events=tuple(e for s in d.sentences for e in s.events if owner.get(id(e)) is d),
            sought=sought,
        ))
        previous_place, previous_time = place, time
    return scenes


def _merge(scenes: list[Scene], limit: int) -> list[Scene]:
    """At most `limit` scenes: evenly sized runs of neighbours become one, at the first one's place and time."""
    if len(scenes) <= limit:
        return scenes
    n = len(scenes)
    out: list[Scene] = []
    for i in range(limit):
        run = scenes[round(i * n / limit) : round((i + 1) * n / limit)]
        first = run[0]
        present = tuple(dict.fromkeys(p for s in run for p in s.present))
        out.append(Scene(
            index=i, sentences=tuple(x for s in run for x in s.sentences), place=first.place,
            time_of_day=first.time_of_day, time_stated=first.time_stated,
            weather=tuple(dict.fromkeys(w for s in run for w in s.weather)), present=present,
            mentioned=tuple(dict.fromkeys(m for s in run for m in s.mentioned if m not in present)),
            objects=tuple(dict.fromkeys(o for s in run for o in s.objects)),
            effects=tuple(dict.fromkeys(e for s in run for e in s.effects)),
            speech=tuple(a for s in run for a in s.speech), events=tuple(e for s in run for e in s.events),
            sought=tuple(dict.fromkeys(x for s in run for x in s.sought)),
        ))
    return out


def _inside(place: Place, current: Place) -> bool:
    """"the deck" of "the ship" or "the kitchen" of "the bakery" is where we already are only
    when the brief says so; otherwise any new head moves the story."""
    return place.name.lower() in current.name.lower()


def _protagonist_first(people: list[Person], scenes: list[Scene]) -> list[Person]:
    present = [n for s in scenes for n in s.present]
    lead = next((p for p in people if p.name in present and p.kind != "group"), None)
    if lead is None:
        lead = next((p for p in people if p.name in present), None)
    if lead is None or lead is people[0]:
        return people
    return [lead] + [p for p in people if p is not lead]


def _with_lead(scene: Scene, people: list[Person]) -> Scene:
    """A scene where nobody is said to act still shows the lead, unless the lead is only talked about."""
    if scene.present or not people or people[0].name in scene.mentioned:
        return scene
    return Scene(**{**scene.__dict__, "present": (people[0].name,)})
