"""Reading a brief and the director's notes: names, places, light, weather, mood.

Plain word lists and regular expressions, so what the craft model reads off a
text is predictable and a different brief reads differently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["brief_facts", "note_flags", "split_sentences", "lower_words", "text_seed", "TIMES", "SOUND_OF_PLACE"]

_STOP_CAPS = {
    "the", "a", "an", "in", "at", "on", "when", "after", "before", "as", "but", "and", "then", "one", "once",
    "she", "he", "they", "it", "her", "his", "their", "there", "this", "that", "with", "while", "suddenly",
    "finally", "years", "every", "each", "all", "now", "later", "meanwhile", "soon", "inside", "outside",
    "under", "over", "through", "from", "into", "by", "during", "until", "i", "we", "you", "our", "my", "no",
    "not", "what", "who", "where", "why", "how", "if", "so", "for", "to", "of", "only", "even", "just",
}
_PLACES = (
    "lighthouse", "cafe", "café", "kitchen", "street", "alley", "forest", "woods", "beach", "sea", "ocean", "station",
    "train", "house", "room", "city", "village", "market", "rooftop", "roof", "desert", "mountain", "school",
    "office", "garden", "bridge", "river", "lake", "field", "church", "hospital", "bar", "car", "boat", "ship",
    "island", "cave", "park", "library", "shop", "apartment", "bedroom", "stage", "harbor", "harbour", "hill",
    "road", "corridor", "hallway", "attic", "basement", "farm", "barn", "factory", "warehouse", "museum",
    "laboratory", "lab", "studio", "workshop", "diner", "restaurant", "hotel", "castle", "tower", "valley",
    "shore", "dock", "pier", "subway", "bus", "plane", "airport", "cemetery", "temple", "palace", "classroom",
    "stadium", "theater", "theatre", "bakery", "square", "highway", "cliff", "jungle", "meadow", "orchard",
)
TIMES = {
    "dawn": "dawn", "sunrise": "dawn", "morning": "morning", "noon": "day", "afternoon": "afternoon",
    "sunset": "golden_hour", "golden": "golden_hour", "dusk": "dusk", "evening": "dusk", "twilight": "dusk",
    "night": "night", "midnight": "night", "moon": "night", "moonlight": "night", "dark": "night", "day": "day",
}
_WEATHER = {"rain": "rain", "raining": "rain", "rainy": "rain", "storm": "rain", "stormy": "rain", "thunder": "rain",
            "fog": "fog", "foggy": "fog", "mist": "fog", "misty": "fog", "snow": "snow", "snowy": "snow", "blizzard": "snow"}
_MOODS = {
    "tense": ("chase", "danger", "threat", "gun", "escape", "afraid", "fear", "storm", "fight", "hunt", "trap", "missing", "alarm", "run", "runs", "flee", "enemy", "dead", "kill"),
    "tender": ("love", "kiss", "hug", "mother", "father", "child", "together", "gentle", "care", "friend", "wedding", "letter", "home", "daughter", "son"),
    "triumphant": ("win", "wins", "victory", "triumph", "celebrate", "succeed", "finally", "champion", "saves", "rescue", "rescues", "hope"),
    "melancholy": ("alone", "lost", "loss", "grief", "funeral", "goodbye", "memory", "memories", "old", "last", "empty", "forgotten", "rain", "lonely", "dies"),
    "playful": ("dog", "cat", "game", "play", "plays", "dance", "dances", "joke", "funny", "festival", "party", "balloon", "robot", "kids"),
    "mysterious": ("secret", "hidden", "strange", "mystery", "shadow", "key", "door", "map", "unknown", "whisper", "discover", "discovers", "finds", "ghost"),
}

SOUND_OF_PLACE = {
    "sea": "waves and gulls", "ocean": "surf and wind", "beach": "gentle surf", "lighthouse": "wind and surf against rocks",
    "harbor": "water lapping, distant gulls", "city": "city traffic", "street": "city traffic and footsteps",
    "alley": "distant traffic, dripping water", "forest": "birds and wind in leaves", "woods": "birds and wind in leaves",
    "cafe": "crowd murmur, cups", "café": "crowd murmur, cups", "market": "crowd murmur", "station": "crowd and distant trains",
    "kitchen": "room tone, a kettle", "room": "quiet room tone", "house": "quiet room tone", "field": "wind over grass",
    "desert": "dry wind", "night": "night insects", "party": "crowd murmur and music", "festival": "crowd cheering",
    "island": "surf and wind", "boat": "water lapping against a hull", "ship": "waves and wind at sea", "ferry": "waves and a ship's engine",
    "storm": "storm wind and rain", "shore": "gentle surf", "bakery": "room tone, a busy kitchen", "market": "crowd murmur",
}


def text_seed(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    return [p.strip() for p in parts if len(p.strip()) > 1]


def lower_words(text: str) -> list[str]:
    return re.findall(r"[a-zA-Z']+", text.lower())



def brief_facts(text: str, references: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Names, places, time, weather and mood read off a brief."""
    sentences = split_sentences(text)
    names: list[str] = []
    for ref in references:
        if ref.get("kind") == "character" and ref["name"] not in names:
            names.append(ref["name"])
    for match in re.finditer(r"\b(?:named|called)\s+([A-Z][a-z]+)", text):
        if match.group(1) not in names:
            names.append(match.group(1))
    for sentence in sentences:
        tokens = re.findall(r"[A-Za-z][A-Za-z'-]*", sentence)
        for i, token in enumerate(tokens):
            if not token[0].isupper() or token.lower() in _STOP_CAPS or len(token) < 3:
                continue
            if token.lower() in _PLACES or token.lower() in TIMES:
                continue
            # A sentence-initial capital is a name only if it is not a common word elsewhere in lower case.
            if i == 0 and re.search(rf"\b{token.lower()}\b", text):
                continue
            if token not in names:
                names.append(token)
    places: list[str] = []
    for ref in references:
        if ref.get("kind") == "location" and ref["name"] not in places:
            places.append(ref["name"])
    lowered = text.lower()
    for match in re.finditer(r"\b((?:[a-z]+\s)?)(" + "|".join(_PLACES) + r")s?\b", lowered):
        adjective = match.group(1).strip()
        place = match.group(2)
        phrase = f"{adjective} {place}".strip() if adjective and adjective not in _STOP_CAPS and adjective not in ("into", "toward", "towards") else place
        if not any(place in p.lower() for p in places):
            places.append(phrase)
    words = lower_words(text)
    # The most specific light wins: "every morning at dawn" is dawn.
    found_times = {TIMES[w] for w in words if w in TIMES}
    time = next((t for t in ("dawn", "golden_hour", "dusk", "night", "afternoon", "morning", "day") if t in found_times), None)
    weather = next((_WEATHER[w] for w in words if w in _WEATHER), "clear")
    scores = {mood: sum(1 for w in words for key in keys if w.startswith(key)) for mood, keys in _MOODS.items()}
    mood = max(scores, key=lambda m: (scores[m], m)) if max(scores.values()) > 0 else "neutral"
    return {"sentences": sentences, "names": names, "places": places, "time": time, "weather": weather, "mood": mood, "words": len(words)}


def note_flags(notes: Sequence[str]) -> set[str]:
    text = " ".join(notes).lower()
    flags = set()
    for key, words in {
        "tighter": ("close-up", "closer", "close up", "intimate", "tighter"),
        "wider": ("wider", "wide shot", "epic", "scale"),
        "night": ("night", "darker", "dark"),
        "rain": ("rain", "storm"),
        "fog": ("fog", "mist"),
        "faster": ("faster", "shorter", "tighter cut", "pace up", "speed up", "quicker"),
        "slower": ("slower", "breathe", "linger"),
        "steady": ("steady", "no shaky", "tripod", "locked"),
        "handheld": ("handheld", "shaky", "documentary feel"),
        "no_music": ("no music", "without music"),
        "quiet": ("quiet", "silence", "sparse"),
    }.items():
        if any(w in text for w in words):
            flags.add(key)
    return flags
