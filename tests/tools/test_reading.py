"""One test per extraction rule of tools/reading, with the cases issue 13 names."""

import time

import pytest

from filmcrew.memory.models import MAX_BRIEF_CHARS
from filmcrew.tools.reading import detect_language, present_tense, read_brief


def _names(reading):
    return [p.name for p in reading.people]


def _person(reading, word):
    return next(p for p in reading.people if word.lower() in p.name.lower())


def test_a_full_name_is_one_person_and_a_surname_alone_is_the_same_person():
    r = read_brief("Captain Ana Reyes searches the harbor. Later Reyes finds the boat.")
    named = [p for p in r.people if p.named]
    assert len(named) == 1 and "Ana Reyes" in named[0].name
    assert "Reyes" in named[0].aliases


def test_a_reference_image_of_a_named_character_keeps_the_role_with_the_name():
    """A user's --ref Elias=... is read before the text: "a keeper named Elias" is still one person, Elias."""
    text = "A lighthouse keeper named Elias finds a bottle. At dawn he rows out to sea."
    plain, with_ref = read_brief(text), read_brief(text, [("Elias", "character")])
    for r in (plain, with_ref):
        assert [p.name for p in r.people if p.kind != "group"] == ["Elias"]
        assert "keeper" in r.people[0].role


def test_a_pronoun_says_the_gender_the_description_does_not():
    """The renderer and the voice caster see only the script: "he rows" must reach them."""
    r = read_brief("A lighthouse keeper named Elias finds a bottle. It is from his daughter Nora. At dawn he rows out.")
    assert _person(r, "Elias").description.endswith("(he)")
    assert "(she)" not in _person(r, "Nora").description  # "daughter" already says it
    r = read_brief("A nervous young pianist in a black dress walks on stage. The lights go out, and she plays on.")
    assert _person(r, "pianist").description.endswith("(she)")


def test_unnamed_people_go_by_their_role_noun():
    r = read_brief("A firefighter, an astronaut and a grandmother wait in the station.")
    assert {"the firefighter", "the astronaut", "the grandmother"} <= set(_names(r))
    assert all(p.kind == "role" for p in r.people)


def test_groups_are_one_character():
    r = read_brief("The passengers sing while the guests dance on the deck.")
    groups = {p.name for p in r.people if p.kind == "group"}
    assert {"the passengers", "the guests"} <= groups


def test_animals_that_act_are_characters():
    r = read_brief("A polar bear climbs aboard the ship and a dog barks at it.")
    animals = {p.name for p in r.people if p.kind == "animal"}
    assert "the polar bear" in animals and "the dog" in animals


def test_a_named_role_is_one_person_with_that_role():
    r = read_brief("A lighthouse keeper named Elias finds a bottle. It is from his daughter Nora.")
    assert _names(r) == ["Elias", "Nora"]
    assert _person(r, "Elias").role == "keeper" and _person(r, "Nora").role == "daughter"


def test_never_a_name_that_is_not_in_the_brief():
    text = "A lost astronaut follows a radio signal across a frozen moon."
    r = read_brief(text)
    assert all(p.name.replace("the ", "") in text for p in r.people)


@pytest.mark.parametrize("text, place", [
    ("A lost astronaut follows a radio signal across a frozen moon.", "frozen moon"),
    ("An old boxer trains a girl in a basement gym.", "basement gym"),
    ("The guests wait on the chapel steps.", "chapel steps"),
    ("Passengers escape through the flooded subway tunnels.", "flooded subway tunnels"),
])
def test_places_from_any_phrasing(text, place):
    assert read_brief(text).scenes[0].place.name == place


def test_regions_and_cities_are_settings_never_characters():
    r = read_brief("A hacker named Kenji steals a chip in Tokyo. Then he flies to Lisbon.")
    assert _names(r) == ["Kenji"]
    assert [s.place.name for s in r.scenes] == ["Tokyo", "Lisbon"]


def test_a_place_only_named_is_not_a_setting():
    r = read_brief("Mara reads a letter in the kitchen. Her brother left the island years ago.")
    assert [s.place.name for s in r.scenes] == ["kitchen"]


def test_one_scene_per_place_or_time_change_in_story_order():
    r = read_brief("Tom repairs a boat in the boathouse. At dusk he climbs the tower. At dawn he rows out to sea.")
    assert [(s.place.head, s.time_of_day) for s in r.scenes] == [("boathouse", "day"), ("tower", "dusk"), ("sea", "dawn")]


def test_key_objects_keep_their_compounds():
    r = read_brief("She opens a violin case, a tin box and a bottle, then plugs a memory chip into a radio.")
    assert {"violin case", "tin box", "bottle", "memory chip", "radio"} <= set(r.objects)


@pytest.mark.parametrize("text, effect", [
    ("A firefighter searches a burning warehouse.", "fire"),
    ("The villagers escape the flood on rafts.", "flood"),
    ("A blizzard traps the climbers.", "blizzard"),
    ("The lights go out in the hospital during a power cut.", "power cut"),
])
def test_physical_effects(text, effect):
    assert effect in read_brief(text).effects


def test_time_of_day_from_the_briefs_words_and_day_otherwise():
    assert read_brief("Ana walks her dog in the park.").scenes[0].time_of_day == "day"
    assert read_brief("At sunset Ana walks her dog in the park.").scenes[0].time_of_day == "golden_hour"
    assert read_brief("That night Ana walks her dog in the park.").scenes[0].time_of_day == "night"
    # the most specific light wins
    assert read_brief("Every morning at dawn, Mara bakes bread.").scenes[0].time_of_day == "dawn"
    # a moon is a place, not a time
    assert read_brief("An astronaut walks across the moon.").scenes[0].time_of_day == "day"


def test_weather_only_where_the_brief_puts_it():
    r = read_brief("Elias finds a bottle during a storm at night. At dawn he rows out to meet her boat.")
    assert r.scenes[0].weather == ("storm",) and r.scenes[-1].weather == ()
    assert r.scenes[-1].time_of_day == "dawn"


def test_someone_only_talked_about_is_not_present():
    r = read_brief("A soldier reads a letter from his mother in a muddy trench.")
    scene = r.scenes[0]
    assert "the soldier" in scene.present and "the mother" in scene.mentioned


def test_someone_looked_for_is_sought():
    r = read_brief("A firefighter and her dog search a burning warehouse for a trapped kitten.")
    assert r.scenes[0].sought == ("the kitten",)
    assert set(r.scenes[0].present) == {"the firefighter", "the dog"}


@pytest.mark.parametrize("text, kind", [
    ("At the station, a mother calls out to her son.", "call"),
    ("The groom argues with his best man.", "argue"),
    ("A student confesses to her teacher that she cheated.", "confess"),
    ("The grandmother tells her grandson a story.", "tell"),
])
def test_implied_speech(text, kind):
    acts = [a for s in read_brief(text).scenes for a in s.speech]
    assert acts and acts[0].kind == kind and acts[0].speaker


def test_events_are_present_tense_screen_action_not_the_sentence():
    r = read_brief("The old fisherman followed the whale through the storm, which had raged for days.")
    action = r.events[0].action
    assert action.startswith("The fisherman follows the whale through the storm")
    assert "raged" not in action


def test_present_tense_forms():
    assert [present_tense(v) for v in ("follow", "carry", "watch", "go", "be")] == ["follows", "carries", "watches", "goes", "is"]
    assert present_tense("run", plural=True) == "run"


@pytest.mark.parametrize("text, lang", [
    ("A lighthouse keeper finds a bottle.", "en"),
    ("Un farero encuentra una botella en la playa durante la tormenta.", "es"),
    ("Une gardienne de phare trouve une lettre dans une bouteille.", "fr"),
    ("Die Wärterin findet in der Nacht eine Flasche am Strand.", "de"),
    ("Смотритель маяка находит бутылку с письмом.", "ru"),
    ("灯台守は瓶に入った手紙を見つける。", "ja"),
])
def test_language_detection(text, lang):
    assert detect_language(text) == lang


def test_non_english_briefs_keep_names_and_their_own_words():
    r = read_brief("Lucía tiene una panadería en el puerto. Una noche hay un apagón y su perro ladra.")
    assert r.language == "es"
    assert _names(r)[0] == "Lucía" and "el perro" in _names(r)
    assert "apagón" in r.effects
    assert [s.time_of_day for s in r.scenes] == ["day", "night"]


def test_a_brief_without_words_or_too_long_is_refused_quickly():
    with pytest.raises(ValueError, match="no words"):
        read_brief("?!… 🎬🔥")
    start = time.process_time()
    with pytest.raises(ValueError, match=f"{MAX_BRIEF_CHARS:,}"):
        read_brief("x" * (MAX_BRIEF_CHARS + 1))
    assert time.process_time() - start < 1


def test_a_brief_of_many_scenes_is_told_in_at_most_max_scenes():
    from filmcrew.tools.reading.reader import MAX_SCENES

    story = " ".join(["The keeper climbs the tower at night. At dawn he rows to the island."] * 40)
    r = read_brief(story)
    assert len(r.scenes) == MAX_SCENES
    assert sum(len(s.sentences) for s in r.scenes) == len(r.sentences)


def test_english_gloss_of_spanish_french_german_words():
    from filmcrew.tools.reading import english_gloss

    assert english_gloss("el muelle, la noche, linterna", "es") == "pier lantern"
    assert english_gloss("pescador viejo", "es") == "fisherman old"
    assert english_gloss("une vieille femme près du phare", "fr") == "old woman lighthouse"
    assert english_gloss("der Fuchs in der Scheune", "de") == "fox barn"
    # English text is never glossed, and a short stem takes no long ending ("mar" is not "market")
    assert english_gloss("the rainy market", "en") == ""
    assert english_gloss("la marca", "es") == ""


def test_a_person_keeps_the_brief_words_that_describe_them():
    from filmcrew.tools.reading import read_brief

    people = {p.name: p.description for p in read_brief(
        "A girl named Noor in a yellow raincoat chases her runaway dog. An old man selling umbrellas "
        "catches the dog. Mr. Okafor in a green sweater waits with a firefighter.").people}
    assert people["Noor"] == "a girl in a yellow raincoat"
    assert people["the man"] == "an old man selling umbrellas"
    assert people["Mr. Okafor"] == "Mr. Okafor in a green sweater"
    assert people["the firefighter"] == ""  # nothing beyond the role noun: no description


def test_reported_speech_becomes_the_speakers_line():
    from filmcrew.tools.reading import read_brief

    reading = read_brief("Tom tells his wife that he has lost his job. The twins shout that they are hungry.")
    spoken = [a.spoken for s in reading.scenes for a in s.speech]
    assert "I have lost my job." in spoken
    assert "We are hungry." in spoken


def test_she_and_he_are_one_person_of_their_gender_never_a_group():
    from filmcrew.tools.reading import read_brief

    actions = [e.action for e in read_brief(
        "A nervous young pianist waits at a concert hall. The audience holds up their phones, and she plays on by "
        "their glow. A girl named Mia and her grandfather walk to the lake. He carries the fishing rods.").events]
    assert "The pianist plays on by their glow" in actions
    assert "The grandfather carries the fishing rods" in actions


def test_what_happens_before_a_move_in_one_sentence_stays_where_the_story_was():
    from filmcrew.tools.reading import read_brief

    scenes = read_brief("At midnight, a stray cat watches a burglar climb into a dark bakery. The cat knocks a tray of "
                        "cups off the shelf, and the burglar runs out into the snowy street.").scenes
    where = {e.action: s.place.name for s in scenes for e in s.events}
    assert where["The cat knocks a tray of cups off the shelf"] == "dark bakery"
    assert where["The burglar runs out into the snowy street"] == "snowy street"


def test_the_small_models_noun_for_verb_slips_are_repaired():
    from filmcrew.tools.reading import read_brief

    reading = read_brief("In the afternoon a stray goat wanders into the bakery. At noon the village gathers in the "
                         "square, and Greta watches from her balcony.")
    assert [p.name for p in reading.people if p.kind == "animal"] == ["the goat"]
    assert not any(p.name.lower() in ("goat", "stray") for p in reading.people if p.named)
    assert "Greta watches from her balcony" in [e.action for e in reading.events]
    assert "watches" not in reading.objects


def test_the_morning_of_an_event_is_a_time_not_a_place():
    from filmcrew.tools.reading import read_brief

    places = [s.place.name for s in read_brief("On the morning of the festival the village gathers in the square.").scenes]
    assert "festival" not in places and "square" in places


def test_burning_a_thing_is_no_fire_in_the_frame():
    from filmcrew.tools.reading import read_brief

    assert read_brief("At dawn he lights the oven in the bakery and burns the first three batches.").effects == ()
    assert read_brief("Rebels burn the warehouse at night.").effects == ("fire",)
