"""Which language a brief is written in, from its script and its function words.

Non-Latin scripts decide by themselves (Cyrillic, Greek, Arabic, Hebrew,
Devanagari, Hangul, kana, Han); Latin-script text is scored by how many of its
words are the commonest function words of each language, which separates
English, Spanish, French, German, Italian and Portuguese on a dozen words.
"""

from __future__ import annotations

import re

__all__ = ["detect_language", "LANGUAGE_NAMES", "SUPPORTED_LANGUAGES"]

LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese",
    "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi",
    "ko": "Korean", "ja": "Japanese", "zh": "Chinese",
}
# Languages the readers understand beyond detecting them.
SUPPORTED_LANGUAGES = ("en", "es", "fr", "de", "ru")

_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")

_FUNCTION_WORDS = {
    "en": "the a an and of to in on at is his her their with from who that it he she they for as by into was",
    "es": "el la los las un una y de del en con por para que se su sus al es lo le muy pero cuando",
    "fr": "le la les un une et de des du en dans avec pour que qui se sa son ses au aux est sur il elle ne pas",
    "de": "der die das den dem des ein eine einen einem und zu im in mit von auf ist sich sie er nicht am beim seine ihre",
    "it": "il lo la gli le un una e di del della in con per che si suo sua è nel nella alla",
    "pt": "o a os as um uma e de do da em com por para que se seu sua é no na ao",
}
_FUNCTION_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the brief's language; English when nothing else wins."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    for code, pattern in _SCRIPTS:
        # A few foreign letters (a name, a quoted word) do not make the brief foreign.
        if len(pattern.findall(text)) >= max(2, len(letters) // 5):
            if code == "ru" and _UKRAINIAN.search(text):
                return "uk"
            return code
    words = [w.lower() for w in _WORD_RE.findall(text)]
    scores = {lang: sum(w in fw for w in words) for lang, fw in _FUNCTION_SETS.items()}
    # Accents no English word carries tip close calls.
    scores["es"] += 2 * len(re.findall(r"[ñ¿¡]", text))
    scores["fr"] += 2 * len(re.findall(r"[çœèêàù]", text))
    scores["de"] += 2 * len(re.findall(r"[äöüß]", text))
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    return best if scores[best] > 0 else "en"
