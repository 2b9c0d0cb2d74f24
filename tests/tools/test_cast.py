"""Casting: one voice per character for the whole film, distinct, fitting, in the script's language."""

from __future__ import annotations

import pytest

from filmcrew.memory.models import Cast, CastVoice
from filmcrew.tools.sound.cast import build_cast, character_traits, voice_of
from filmcrew.tools.sound.speech import EspeakSynthesizer, SpeechSynthesizer, VoiceOption

CHARACTERS = [
    ("Mara", "a young fisherwoman, 19, stubborn and brave; she rows out alone"),
    ("Old Tom", "her grandfather, an elderly lighthouse keeper"),
    ("Inspector Vale", "a man in his fifties, tired and polite"),
    ("Little Ana", "Mara's sister, a 7-year-old girl"),
]


class Offered(SpeechSynthesizer):
    """A provider with a fixed, described set of voices."""

    name = "fake"

    def __init__(self, options: list[VoiceOption]):
        self.options = options

    def voices(self) -> list[str]:
        return [o.name for o in self.options]

    def voices_for(self, language: str) -> list[VoiceOption]:
        return list(self.options)

    async def synthesize(self, text, out_path, *, voice=None):  # pragma: no cover - casting never speaks
        raise NotImplementedError


OPTIONS = [
    VoiceOption("narr", "male", "adult"), VoiceOption("f-young", "female", "young"), VoiceOption("m-old", "male", "old"),
    VoiceOption("m-adult", "male", "adult"), VoiceOption("f-child", "female", "child"), VoiceOption("f-adult", "female", "adult"),
]


def test_descriptions_say_gender_and_age():
    assert character_traits(CHARACTERS[0][1]) == ("female", "young")
    assert character_traits(CHARACTERS[1][1]) == ("male", "old")
    assert character_traits(CHARACTERS[2][1]) == ("male", "unknown")
    assert character_traits(CHARACTERS[3][1]) == ("female", "child")
    assert character_traits("a stranger") == ("unknown", "unknown")
    assert character_traits("a 72-year-old woman") == ("female", "old")
    assert character_traits("a man aged 30, her husband") == ("male", "adult")


def test_each_character_gets_a_fitting_voice_of_its_own():
    cast = build_cast(CHARACTERS, Offered(OPTIONS), "en")
    by_name = {m.name: m.voice for m in cast.characters}
    assert cast.narrator.voice == "narr"
    assert by_name == {"Mara": "f-young", "Old Tom": "m-old", "Inspector Vale": "m-adult", "Little Ana": "f-child"}
    assert len(set(by_name.values()) | {cast.narrator.voice}) == 5
    assert voice_of(cast, "Tom").voice == "m-old"  # a line may name a character by part of the name
    assert voice_of(cast, None) is cast.narrator and voice_of(cast, "Narrator") is cast.narrator
    with pytest.raises(KeyError, match="not in the cast"):
        voice_of(cast, "Nobody")


def test_casting_is_stable_and_kept_on_resume():
    first = build_cast(CHARACTERS, Offered(OPTIONS), "en")
    assert build_cast(list(reversed(CHARACTERS)), Offered(OPTIONS), "en") == first
    # A resumed run keeps every voice even if the provider now lists its voices differently,
    # and casts only the newcomer.
    shuffled = Offered(list(reversed(OPTIONS)))
    again = build_cast(CHARACTERS + [("Dock Worker", "a man hauling nets")], shuffled, "en",
                       previous=Cast.model_validate_json(first.model_dump_json()))
    assert again.narrator == first.narrator
    kept = {m.name: m.voice for m in again.characters}
    assert {k: kept[k] for k in ("Mara", "Old Tom", "Inspector Vale", "Little Ana")} == {m.name: m.voice for m in first.characters}
    assert kept["Dock Worker"] not in {m.voice for m in first.characters} | {"narr"}
    # ...but not a cast made for another language or provider
    assert build_cast(CHARACTERS, shuffled, "es", previous=first).language == "es"


def test_speakers_outside_the_script_and_overrides():
    cast = build_cast(CHARACTERS[:1], Offered(OPTIONS), "en", speakers=["Mara", "Ferryman", None, "narrator"],
                      overrides={"ferryman": "m-old", "Narrator": "f-adult"})
    assert [m.name for m in cast.characters] == ["Ferryman", "Mara"]
    assert voice_of(cast, "Ferryman").voice == "m-old" and cast.narrator.voice == "f-adult"


def test_more_characters_than_voices_share_as_evenly_as_they_can():
    names = [(f"Person {i}", "") for i in range(9)]
    cast = build_cast(names, Offered(OPTIONS[:3]), "en")
    counts = {cast.narrator.voice: 1}
    for m in cast.characters:
        counts[m.voice] = counts.get(m.voice, 0) + 1
    assert max(counts.values()) - min(counts.values()) <= 1 and sum(counts.values()) == 10


def test_espeak_casts_in_the_script_language():
    speech = EspeakSynthesizer()
    cast = build_cast(CHARACTERS, speech, "es")
    voices = [cast.narrator.voice] + [m.voice for m in cast.characters]
    assert all(v == "es" or v.startswith("es+") for v in voices) and len(set(voices)) == 5
    assert voice_of(cast, "Old Tom").voice in ("es+grandpa", "es+m7")
    samples, rate = speech.render("¿Dónde está el faro?", voice_of(cast, "Mara").voice)
    assert rate == 48000 and len(samples) / rate > 0.5
    english = build_cast(CHARACTERS, speech, "en")
    assert all(not v.voice.startswith("es") for v in english.characters)
    with pytest.raises(Exception, match="no voice for language"):
        build_cast(CHARACTERS, speech, "xx")


def test_cast_round_trips_as_a_run_file():
    cast = build_cast(CHARACTERS, Offered(OPTIONS), "fr")
    again = Cast.model_validate_json(cast.model_dump_json())
    assert again == cast and isinstance(again.characters[0], CastVoice) and again.provider == "fake"


def test_what_the_story_says_around_a_name_fills_a_thin_description():
    from filmcrew.tools.sound.cast import mentions

    story = ('At dawn Mara, a young fisherwoman, rows out. She shows it to her grandfather Tom, an old keeper. '
             '"It\'s from your mother," Tom says.')
    assert character_traits("a character of the story. " + mentions("Mara", [story])) == ("female", "young")
    # the quote before "Tom says" is someone else's words: its "mother" does not make Tom a woman
    assert character_traits("a character of the story. " + mentions("Tom", [story])) == ("male", "old")
    assert mentions("Nobody", [story]) == ""


def test_the_description_wins_over_a_pronoun_near_the_name():
    """"Elias ... rows out to meet her boat": the "her" is Nora's; the script says Elias is "he"."""
    assert character_traits("a lighthouse keeper (he)", "rows out to meet her boat") == ("male", "unknown")
    assert character_traits("a lighthouse keeper", "his grandfather, an old man") == ("male", "old")
    cast = build_cast([("Elias", "a lighthouse keeper (he)", "rows out to meet her boat")], Offered(OPTIONS), "en")
    assert next(c for c in cast.characters if c.name == "Elias").gender == "male"
