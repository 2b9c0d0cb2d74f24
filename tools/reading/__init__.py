"""Reading a film brief offline: who is in it, where and when each scene happens, what the camera must see.

`read_brief(text)` returns a typed `BriefReading`: people (named characters as
one person per full name, unnamed ones by role noun, groups, acting animals),
settings in story order (regions and cities are settings, never characters),
key objects and physical effects, time of day and weather per scene from the
brief's own words, who is on screen versus only mentioned, implied speech, and
the events as present-tense screen action. English is parsed with spaCy's small
English pipeline (installed from PyPI, nothing downloads at run time);
Spanish, French, German and Russian are read with word lists. The screenwriter
builds scripts from it; `synopsis_problems`, `storyboard_problems` and
`block_problems` say where a script (from any model) departs from its brief,
which the screenwriter's steps and FilmEval both use. `english_gloss` gives the
English words for a Spanish, French or German script's places, people and things,
for stages whose vocabularies are English (the previz).
"""

from filmcrew.tools.reading.english import present_tense
from filmcrew.tools.reading.gloss import english_gloss
from filmcrew.tools.reading.faithfulness import block_problems, matches_person, reading_facts, singular, storyboard_problems, synopsis_problems
from filmcrew.tools.reading.language import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, detect_language
from filmcrew.tools.reading.reader import MAX_BRIEF_CHARS, read_brief
from filmcrew.tools.reading.types import BriefReading, Event, Person, PersonKind, Place, Scene, SpeechAct

__all__ = [
    "read_brief",
    "reading_facts",
    "synopsis_problems",
    "storyboard_problems",
    "block_problems",
    "matches_person",
    "singular",
    "detect_language",
    "present_tense",
    "english_gloss",
    "MAX_BRIEF_CHARS",
    "LANGUAGE_NAMES",
    "SUPPORTED_LANGUAGES",
    "BriefReading",
    "Person",
    "PersonKind",
    "Place",
    "Scene",
    "SpeechAct",
    "Event",
]
