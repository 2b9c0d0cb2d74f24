"""Casting voices: one voice per speaking character for the whole film, and a narrator of its own.

The cast is decided once, from the script's characters (their descriptions
say gender and age where the writer stated them) and the speakers of the
voice lines, in the script's language, from the voices the speech provider
offers for that language. Distinct characters get distinct voices as far as
the provider's voices go; a voice whose gender and age match the character
is preferred, and ties are broken by a stable hash of the name, so the same
script casts the same way on every machine. A cast from an earlier run is
kept (the stage stores it as `cast.json`): on resume, characters keep their
voices and only new ones are cast. Names in the config's `speech.cast`
override the choice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

from filmcrew.memory.models import Cast, CastVoice
from filmcrew.tools.clips.references import names_match
from filmcrew.tools.sound.speech import SpeechSynthesizer, VoiceOption

__all__ = ["NARRATOR", "build_cast", "character_traits", "mentions", "voice_of"]

NARRATOR = "narrator"

_PRONOUNS = {"she", "her", "hers", "herself", "he", "him", "his", "himself"}
_FEMALE = {
    "she", "her", "hers", "herself", "woman", "fisherwoman", "policewoman", "women", "girl", "mother", "mum", "mom", "daughter", "sister", "wife",
    "grandmother", "grandma", "queen", "lady", "aunt", "niece", "actress", "princess", "widow", "bride", "girlfriend",
    "female", "heroine", "nun", "waitress", "mrs", "ms", "miss", "madame", "señora", "frau",
}
_MALE = {
    "he", "him", "his", "himself", "man", "men", "boy", "father", "dad", "son", "brother", "husband", "grandfather",
    "grandpa", "king", "gentleman", "uncle", "nephew", "prince", "widower", "groom", "boyfriend", "male", "hero",
    "monk", "waiter", "mr", "sir", "señor", "herr", "fisherman", "sailor",
}
_CHILD = {"child", "kid", "toddler", "baby", "little", "schoolgirl", "schoolboy", "infant"}
_YOUNG = {"young", "teen", "teenage", "teenager", "youth", "student", "adolescent", "girl", "boy"}
_OLD = {"old", "elderly", "aged", "grandmother", "grandfather", "grandma", "grandpa", "retired", "ageing", "aging", "veteran", "ancient", "widow", "widower"}
_AGE_NUMBER = re.compile(r"\b(\d{1,3})[- ]?(?:year|yr)s?[- ]?old\b|\b(?:aged?)\s+(\d{1,3})\b|\b(\d{1,2})s\b")


def character_traits(description: str, around: str = "") -> tuple[str, str]:
    """(gender, age) as a description states them; 'unknown' where it does not. What
    the story says `around` the name only fills what the description leaves unknown:
    the description is about the character, a nearby "her" may be about someone else."""
    gender, age = _traits(description)
    if around and "unknown" in (gender, age):
        near_gender, near_age = _traits(around)
        gender = near_gender if gender == "unknown" else gender
        age = near_age if age == "unknown" else age
    return gender, age


def _traits(description: str) -> tuple[str, str]:
    words = re.findall(r"[\w']+", description.casefold())
    # A noun says who the character is; a pronoun may be about someone else ("her grandfather").
    female = sum((1 if w in _PRONOUNS else 2) for w in words if w in _FEMALE)
    male = sum((1 if w in _PRONOUNS else 2) for w in words if w in _MALE)
    gender = "female" if female > male else "male" if male > female else "unknown"
    age = "unknown"
    m = _AGE_NUMBER.search(description.casefold())
    if m:
        years = int(next(g for g in m.groups() if g))
        age = "child" if years < 13 else "young" if years < 25 else "adult" if years < 60 else "old"
    elif any(w in _CHILD for w in words):
        age = "child"
    elif any(w in _OLD for w in words):
        age = "old"
    elif any(w in _YOUNG for w in words):
        age = "young"
    return gender, age


def mentions(name: str, texts: Iterable[str]) -> str:
    """What the texts say right around `name`: a few words before it and the rest of its
    clause ("her grandfather Tom, an old lighthouse keeper"), for `character_traits`
    when the script's own description of the character is thin."""
    words = [re.escape(w) for w in re.findall(r"\w+", name)]
    if not words:
        return ""
    # Up to two words right before the name, with no punctuation between (a quote that
    # ends just before the name is someone else's line), then the rest of the clause.
    pattern = re.compile(r"((?:[\w']+ ){0,2})\b" + r"\W+".join(words) + r"\b([^.;!?\"“”]*)", re.IGNORECASE)
    found = []
    for text in texts:
        for m in pattern.finditer(text or ""):
            # The clause after the name, up to the next one that is about someone else.
            after = re.split(r"\b(?:and|but|while|who)\b", m.group(2))[0]
            found.append(f"{m.group(1)}{after}".strip())
    return " ".join(found)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _rank(name: str, voice: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{_key(name)}|{voice}".encode(), digest_size=4).digest(), "little")


def _fit(gender: str, age: str, option: VoiceOption) -> int:
    score = 0
    if gender != "unknown" and option.gender != "unknown":
        score += 4 if option.gender == gender else -4
    if age != "unknown" and option.age != "unknown":
        ages = ("child", "young", "adult", "old")
        score += 2 - min(2, abs(ages.index(age) - ages.index(option.age)))
    return score


def _find(cast: Iterable[CastVoice], name: str) -> CastVoice | None:
    for member in cast:
        if _key(member.name) == _key(name):
            return member
    for member in cast:
        if names_match(member.name, name):
            return member
    return None


def build_cast(
    characters: Sequence[tuple[str, str] | tuple[str, str, str]],
    speech: SpeechSynthesizer,
    language: str = "en",
    *,
    speakers: Iterable[str | None] = (),
    previous: Cast | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Cast:
    """The film's cast: `characters` are (name, description) from the script, optionally with
    what the story says around the name; `speakers` adds anyone a voice line names who is
    not among them."""
    options = speech.voices_for(language)
    if not options:
        raise ValueError(f"the speech provider {speech.name} offers no voice for language {language!r}")
    overrides = {_key(k): v for k, v in (overrides or {}).items()}
    keep = previous if previous is not None and previous.provider == speech.name and previous.language == language else None

    described: dict[str, tuple[str, str, str]] = {}
    for name, description, *around in characters:
        if name.strip() and _key(name) != NARRATOR:
            described.setdefault(name.strip(), (name.strip(), description, around[0] if around else ""))
    for speaker in speakers:
        if speaker and speaker.strip() and _key(speaker) != NARRATOR and not any(names_match(speaker, n) for n in described):
            described.setdefault(speaker.strip(), (speaker.strip(), "", ""))

    if keep is not None:
        narrator = keep.narrator
    else:
        first = options[0]
        narrator = CastVoice(name=NARRATOR, voice=overrides.get(NARRATOR, first.name), gender=first.gender, age=first.age)  # type: ignore[arg-type]
    taken = {narrator.voice: 1}
    members: list[CastVoice] = []
    pending: list[tuple[str, str, str]] = []
    for name, description, around_name in sorted(described.values(), key=lambda nd: _key(nd[0])):
        kept = _find(keep.characters, name) if keep is not None else None
        if kept is not None:
            members.append(kept)
            taken[kept.voice] = taken.get(kept.voice, 0) + 1
            continue
        gender, age = character_traits(description, around_name)
        if _key(name) in overrides:
            members.append(CastVoice(name=name, voice=overrides[_key(name)], gender=gender, age=age))  # type: ignore[arg-type]
            taken[overrides[_key(name)]] = taken.get(overrides[_key(name)], 0) + 1
            continue
        pending.append((name, gender, age))
    # Characters whose description says the most are cast first: they have the most to lose.
    pending.sort(key=lambda p: (-((p[1] != "unknown") + (p[2] != "unknown")), _key(p[0])))
    for name, gender, age in pending:
        best = max(
            options,
            key=lambda o: (-taken.get(o.name, 0), _fit(gender, age, o), _rank(name, o.name)),
        )
        taken[best.name] = taken.get(best.name, 0) + 1
        members.append(CastVoice(name=name, voice=best.name, gender=gender, age=age))  # type: ignore[arg-type]
    members.sort(key=lambda m: _key(m.name))
    return Cast(provider=speech.name, language=language, narrator=narrator, characters=members)


def voice_of(cast: Cast, speaker: str | None) -> CastVoice:
    """The cast member who speaks as `speaker` (None or 'narrator': the narrator)."""
    if speaker is None or _key(speaker) == NARRATOR:
        return cast.narrator
    member = _find(cast.characters, speaker)
    if member is None:
        raise KeyError(f"{speaker!r} is not in the cast ({', '.join(m.name for m in cast.characters) or 'no characters'})")
    return member
