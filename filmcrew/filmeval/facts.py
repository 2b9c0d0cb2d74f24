"""The brief's facts: its people, places, objects and events.

Script faithfulness needs to know what the brief asks for. Two readers are
joined: the project's brief reader (`filmcrew.tools.reading`, spaCy-based:
people with their names and roles, settings, key objects) and a small
rule-based reader here (named and role nouns for people, a
place lexicon, determiner-led nouns for objects, the verb after a subject for
events, which come from it alone), which also stands alone when the brief
reader cannot read the text.
Every fact is kept as a crude stem so it can be looked up in what a film says
and shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["BriefFacts", "brief_facts", "stem", "words"]

_STOP = set("""a an the and or but if then of to in on at by for with from into onto over under across through up down out off
he she they it his her their its him them we you i me my our your this that these those there here who whom which what when
where why how is are was were be been being am has have had do does did not no so as than too very just also only even still
one two three some any all each every both few many much more most other another such own same while after before during
until again once about against between around near far away back now soon later tonight today yesterday tomorrow named called""".split())

_PEOPLE = set("""man woman men women boy girl child children kid kids baby mother father mom dad son daughter brother sister wife
husband friend friends keeper king queen prince princess soldier doctor nurse teacher student detective robot astronaut pilot
fisherman farmer sailor captain officer thief stranger neighbour neighbor grandmother grandfather grandma grandpa widow
widower chef cook painter musician singer dancer hero villain guard monk witch wizard knight girlfriend boyfriend mechanic
driver courier runner climber diver scientist baker gardener barber postman bride groom twins orphan uncle aunt cousin""".split())

_PLACES = set("""lighthouse sea ocean beach shore coast island harbour harbor port city town village street road alley forest wood
woods mountain hill valley river lake desert moon planet station kitchen house home room hall school church market cafe bar
restaurant office hospital garden park field farm bridge tunnel train bus car ship boat deck cave castle tower roof rooftop
basement attic apartment shop store library museum stage studio airport platform square cemetery jungle canyon cliff bay
dock pier space sky camp tent hut cabin barn mill factory warehouse lab laboratory classroom""".split())

_TIMES = set("night dawn dusk morning evening noon midnight sunset sunrise day afternoon storm rain snow winter summer".split())

_SUBJECTS = {"he", "she", "they", "it", "who", "we", "i"}


def words(text: str) -> list[str]:
    """Words without a possessive ending ("mother's" -> "mother")."""
    return [re.sub(r"'s?$", "", w) for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text)]


def stem(word: str) -> str:
    """A crude English stem so 'finds', 'found'... compare; enough for coverage, not linguistics."""
    w = word.lower().strip("'")
    irregular = {"found": "find", "met": "meet", "ran": "run", "saw": "see", "took": "take", "came": "come", "went": "go",
                 "left": "leave", "fell": "fall", "gave": "give", "made": "make", "told": "tell", "rode": "ride",
                 "wrote": "write", "broke": "break", "held": "hold", "knew": "know", "threw": "throw", "flew": "fly",
                 "swam": "swim", "sang": "sing", "drew": "draw", "lost": "lose", "kept": "keep", "sent": "send",
                 "built": "build", "stood": "stand", "woke": "wake", "rose": "rise", "hid": "hide", "children": "child",
                 "men": "man", "women": "woman"}
    if w in irregular:
        return irregular[w]
    if w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh", "o")) and len(w) >= 4:
        return w[:-2]  # watches, goes; but wakes -> wake below
    for suffix in ("ing", "ies", "ied", "ed", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            elif len(base) > 3 and base[-1] == base[-2] and suffix in ("ing", "ed"):
                base = base[:-1]
            return base
    return w


@dataclass
class BriefFacts:
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def all(self) -> list[tuple[str, str]]:
        return ([("person", p) for p in self.people] + [("place", p) for p in self.places]
                + [("object", o) for o in self.objects] + [("event", e) for e in self.events])

    def __len__(self) -> int:
        return len(self.all())


def _add(bucket: list[str], value: str) -> None:
    if value and value not in bucket:
        bucket.append(value)


@lru_cache(maxsize=64)
def brief_facts(text: str) -> BriefFacts:
    """People, places, objects and events of a brief; each a lower-case stem (events: 'verb')."""
    facts = _rule_facts(text)
    try:
        from filmcrew.tools.reading import read_brief

        reading = read_brief(text)
    except Exception:  # noqa: BLE001 - the rule reader alone still gives usable facts
        return facts
    for person in reading.people:
        name = [w for w in words(person.name) if w.lower() not in _STOP]
        # A name's capitalised words and its head noun ("the sleeping stranger" -> stranger), and the role.
        for w in [w for w in name if w[0].isupper()] + name[-1:] + words(person.role or "")[-1:]:
            _add(facts.people, w.lower() if w[0].isupper() else stem(w))
    # Only what the brief itself says: the reader may infer a setting ("sea" for a boat) the brief never names.
    said = {stem(w) for w in words(text)}
    for place in reading.places:
        if stem(place.head) in said:
            _add(facts.places, stem(place.head))
    for thing in reading.objects:
        toks = words(thing)
        if toks and stem(toks[-1]) in said:
            _add(facts.objects, stem(toks[-1]))
    seen: set[str] = set()
    for bucket in (facts.people, facts.places, facts.events, facts.objects):
        bucket[:] = [v for v in bucket if not (v in seen or seen.add(v))]
    return facts


def _rule_facts(text: str) -> BriefFacts:
    facts = BriefFacts()
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        toks = words(sentence)
        for i, tok in enumerate(toks):
            low = tok.lower()
            if low in _STOP and low not in _SUBJECTS:
                continue
            s = stem(tok)
            prev = toks[i - 1].lower() if i else ""
            if tok[0].isupper() and i > 0 and low not in _STOP:
                _add(facts.people if s not in _PLACES else facts.places, low)
            elif _is_person(s):
                _add(facts.people, s)
            elif s in _PLACES or s in _TIMES:
                _add(facts.places, s)
            elif prev in ("a", "an", "the", "his", "her", "their", "its", "my", "our", "your") and low not in _STOP:
                # Adjective + noun: keep the last word before a non-noun (the head noun).
                j = i
                while (j + 1 < len(toks) and toks[j + 1].lower() not in _STOP and not _verbish(toks[j + 1])
                       and not toks[j].lower().endswith("s")):  # a plural ends the phrase: "the bells | ring"
                    j += 1
                head = stem(toks[j])
                if _is_person(head):
                    _add(facts.people, head)
                elif head in _PLACES or head in _TIMES:
                    _add(facts.places, head)
                else:
                    _add(facts.objects, head)
        # Events: the word right after a subject (a name, a person noun, a pronoun), skipping adverbs.
        for i, tok in enumerate(toks[:-1]):
            low, s = tok.lower(), stem(tok)
            is_subject = low in _SUBJECTS or _is_person(s) or (tok[0].isupper() and low not in _STOP)
            if not is_subject or re.search(rf"\b{re.escape(tok)}'s?\b", sentence):  # "mother's ashes": an owner, not a subject
                continue
            j = i + 1
            while j < len(toks) and (toks[j].lower().endswith("ly") or toks[j].lower() in ("then", "finally", "still", "also", "slowly")):
                j += 1
            if j < len(toks):
                verb = toks[j].lower()
                if verb not in _STOP and not toks[j][0].isupper() and stem(verb) not in _PEOPLE:
                    _add(facts.events, stem(verb))
    # A word found as an event is not also an object.
    facts.objects = [o for o in facts.objects if o not in facts.events and o not in facts.people and o not in facts.places]
    return facts


def _is_person(word: str) -> bool:
    return word in _PEOPLE or word.endswith(_PERSON_ENDINGS)


_PERSON_ENDINGS = ("maker", "keeper", "smith", "worker", "seller", "villager", "player", "fighter", "writer", "rider")


def _verbish(tok: str) -> bool:
    low = tok.lower()
    return low.endswith(("ed", "ing")) and len(low) > 4
