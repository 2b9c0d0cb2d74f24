"""What a brief says, as plain frozen records.

A `BriefReading` is everything the screenwriter (or FilmEval) needs to know
about a brief without re-reading its text: who is in it, where and when each
scene happens, what the camera must see, who speaks, and what happens in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["PersonKind", "Person", "Place", "SpeechAct", "Event", "Scene", "BriefReading"]

PersonKind = Literal["named", "role", "group", "animal"]


@dataclass(frozen=True)
class Person:
    """Someone (or some animal) the story is about.

    `name` is how the script refers to them: the full name for a named
    character ("Ana Reyes"), else the role noun with its article ("the
    firefighter", "the passengers", "the dog"). `role` keeps the role noun of a
    named character when the brief gives one ("daughter" for "his daughter Nora").
    `description` is how the brief shows them, in its own words ("a girl in a
    yellow raincoat", "an old man selling umbrellas"); empty when it gives
    nothing beyond the name.
    """

    name: str
    kind: PersonKind
    role: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def named(self) -> bool:
        return self.kind == "named"


@dataclass(frozen=True)
class Place:
    """A setting. `name` is the phrase as the brief gives it, without article."""

    name: str
    head: str
    indoor: bool
    proper: bool = False


@dataclass(frozen=True)
class SpeechAct:
    """Speech the brief implies: someone calls, argues, confesses, tells."""

    speaker: str
    kind: Literal["call", "argue", "confess", "tell", "ask", "answer", "sing", "quote"]
    addressee: str | None = None
    content: str = ""
    verb: str = ""
    # What the speaker says, in their own voice, when the brief reports it
    # ("Ana shouts that she needs the money" -> "I need the money").
    spoken: str = ""


@dataclass(frozen=True)
class Event:
    """One thing that happens, as present-tense screen action."""

    action: str
    actors: tuple[str, ...]
    sentence: int


@dataclass(frozen=True)
class Scene:
    """One place and one time, holding the brief's sentences that happen there."""

    index: int
    sentences: tuple[str, ...]
    place: Place | None
    time_of_day: str
    time_stated: bool
    weather: tuple[str, ...]
    present: tuple[str, ...]
    mentioned: tuple[str, ...]
    objects: tuple[str, ...]
    effects: tuple[str, ...]
    speech: tuple[SpeechAct, ...]
    events: tuple[Event, ...]
    # Mentioned because someone looks or waits for them ("search the warehouse for a kitten"):
    # the story may bring them on screen when it resolves.
    sought: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefReading:
    text: str
    language: str
    sentences: tuple[str, ...]
    people: tuple[Person, ...]
    places: tuple[Place, ...]
    objects: tuple[str, ...]
    effects: tuple[str, ...]
    scenes: tuple[Scene, ...]
    words: int
    notes: tuple[str, ...] = field(default=())

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(e for s in self.scenes for e in s.events)

    def person(self, name: str) -> Person | None:
        low = name.lower()
        return next((p for p in self.people if p.name.lower() == low or low in (a.lower() for a in p.aliases)), None)

    @property
    def protagonist(self) -> Person | None:
        return self.people[0] if self.people else None
