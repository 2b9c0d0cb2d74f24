"""What a shot must show: its block's setting, props, creatures, effects, cast and action.

The renderer receives a `Shot` and a `look` dict. Besides grading keys, the
look may carry the block's context (set by the clip stage): `location` (the
block's location words), `elements` (its key visual elements, comma
separated) and `cast` ("Name: description; ..." from the synopsis). All are
optional: without them the shot's own words decide.

`read_story` turns those words into a `_Story`: the setting (from the
block's location, so every shot of a block shares it), the effects named
(fire, smoke, flood, snow, lightning, neon, sparks, dust, rain, fog), the
props and creatures matched to icons, the action verbs drawn as motion, and
each character's age, gender and clothing where the cast description says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from filmcrew.memory.models import Shot
from filmcrew.tools.reading.gloss import english_gloss
from filmcrew.tools.reading.language import detect_language

from .icons import IconMatch, match_icon
from .settings import Setting, pick_setting

# Effects and the words that ask for them. Weather (rain, fog, snow) is the look's; these are drawn on top.
_EFFECT_WORDS: dict[str, str] = {
    "fire": r"fire|fires|flames?|flaming|burn\w*|blaz\w*|inferno|ablaze|bonfire|campfire|torch(?:es|lit)?",
    "smoke": r"smoke|smoky|smoking|smoulder\w*|smolder\w*|fumes|ash",
    "flood": r"flood\w*|flooded|deluge|submerged|water\s+rises|rising\s+water|waist-deep|knee-deep",
    "snow": r"snow\w*|blizzard|snowstorm|snowfall",
    "blizzard": r"blizzards?|snowstorms?|whiteout",
    "lightning": r"lightning|thunder\w*",
    "neon": r"neon|signs?\s+glow\w*",
    "sparks": r"sparks?|sparkl\w*|welding|fireworks?|embers?",
    "dust": r"dust\w*|sandstorm|dusty",
}
# Icons that an effect already draws; a phrase matched to one of them is the effect, not a prop.
_EFFECT_ICONS = {"fire": "fire", "cloud-with-lightning": "lightning", "snowflake": "snow",
                 "cloud-with-snow": "snow", "droplet": "", "water-wave": "flood", "dashing-away": "dust",
                 "fog": "", "foggy": "", "cloud": "", "cloud-with-rain": "", "high-voltage": "lightning",
                 "sparkles": "sparks", "sparkle": "sparks", "sparkler": "sparks", "fireworks": "sparks",
                 "collision": "sparks", "cloud-with-lightning-and-rain": "lightning"}

_ACTIONS: list[tuple[str, str]] = [
    ("embrace", r"embrac\w*|hugs?|hugging|hugged|holds?\s+(?:her|him|each\s+other)\s+close|in\s+each\s+other'?s\s+arms"),
    ("give", r"gives?|giving|gave|hands?\s+(?:her|him|them|over)|hands\s+\w+\s+(?:the|a|an|her|his|their)|passes|offers?|offering"),
    ("row", r"rows?|rowing|rowed|paddl\w*|oars?"),
    ("climb", r"climb\w*|clamber\w*|scal(?:es|ing)|ladder"),
    ("fall", r"falls?|fell|falling|collaps\w*|trips?|tumbl\w*|stumbl\w*|slips?"),
    ("run", r"runs?|running|ran|sprint\w*|races?|racing|dash(?:es|ing)|flees?|fleeing|chas\w*|rush\w*"),
    ("walk", r"walks?|walking|walked|strolls?|strides?|wanders?|steps?\s+(?:out|in|into|forward)|paces|approach\w*|crosses"),
    ("hold", r"holds?|holding|held|carr(?:y|ies|ying|ied)|clutch\w*|grips?|cradl\w*|lifts?|raises?|picks?\s+up|reads?|reading"),
]

_AGE_WORDS = [("child", r"child|kid|boy|girl|little|young\s+(?:boy|girl)|aged?\s+(?:[4-9]|1[0-2])\b|\b(?:[4-9]|1[0-2])-year-old"),
              ("old", r"old|elderly|aged|grandmother|grandfather|grandma|grandpa|granny|retired|grey-haired|gray-haired|widow\w*"),
              ("teen", r"teen\w*|adolescent|\b1[3-9]-year-old|grandson|granddaughter")]
_GENDER_WORDS = [("female", r"she|her|woman|girl|mother|grandmother|granddaughter|wife|daughter|sister|lady|actress|queen|aunt|niece|widow\b|fisherwoman|"
                            r"waitress|nun|witch|priestess|heroine|businesswoman|policewoman|sailor\s+girl|ballerina|seamstress"),
                 ("male", r"he|his|him|man|boy|father|grandfather|grandson|husband|son|brother|gentleman|king|uncle|nephew|widower|"
                          r"fisherman|waiter|monk|priest|wizard|businessman|policeman|fireman")]
_COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (190, 40, 40), "scarlet": (200, 30, 40), "crimson": (170, 20, 40), "blue": (40, 80, 180),
    "navy": (30, 40, 90), "green": (50, 130, 60), "yellow": (230, 200, 50), "orange": (230, 120, 30),
    "purple": (110, 50, 150), "pink": (230, 130, 170), "black": (30, 30, 34), "white": (236, 236, 230),
    "grey": (130, 130, 134), "gray": (130, 130, 134), "brown": (120, 80, 50), "beige": (210, 190, 150),
    "gold": (212, 170, 60), "silver": (190, 190, 196),
}
_GARMENTS = r"coat|jacket|dress|raincoat|sweater|jumper|scarf|shirt|hoodie|uniform|suit|cloak|gown|overalls|parka|spacesuit|apron|cardigan"


@dataclass(frozen=True)
class CastNote:
    """What the script says a character looks like."""

    age: str | None = None  # child, teen, old
    gender: str | None = None  # female, male
    clothes: tuple[int, int, int] | None = None
    garment: str | None = None  # coat, dress, spacesuit ...


@dataclass
class _Story:
    setting: Setting
    setting_score: float
    setting_from: str  # "block location", "location reference", "shot words"
    effects: list[str]
    things: list[IconMatch]  # props and creatures, in the order the script names them
    actions: list[str]
    cast: dict[str, CastNote] = field(default_factory=dict)
    insert: bool = False  # no one on screen: the shot is its object (an insert or a metaphor)
    action_icons: frozenset[str] = frozenset()  # icons the action itself names (what is held or given)


def _text(look: dict[str, Any], key: str) -> str:
    value = look.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise ValueError(f"look[{key!r}] must be text or a list of text, got {value!r}")
        return ", ".join(value)
    if not isinstance(value, str):
        raise ValueError(f"look[{key!r}] must be text, got {value!r}")
    return value


def _phrases(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;/]|\band\b|\bwith\b", text) if p.strip()]


def effects_in(text: str) -> list[str]:
    found = []
    for kind, pattern in _EFFECT_WORDS.items():
        if re.search(rf"\b(?:{pattern})\b", text):
            found.append(kind)
    return found


def actions_in(text: str) -> list[str]:
    found = [kind for kind, pattern in _ACTIONS if re.search(rf"\b(?:{pattern})\b", text)]
    # the most specific verb leads; walking is implied by running
    if "run" in found and "walk" in found:
        found.remove("walk")
    return found


def title_gender(name: str) -> str | None:
    """Mr. Okafor is a man and Mrs. Lin a woman, whatever else the script says or leaves out."""
    m = re.match(r"\s*(mr|sir|lord|mister|mrs|ms|miss|madam|lady|dame)\b", name.casefold())
    if not m:
        return None
    return "male" if m.group(1) in ("mr", "sir", "lord", "mister") else "female"


def cast_note(description: str) -> CastNote:
    d = description.casefold()
    age = next((a for a, p in _AGE_WORDS if re.search(rf"\b(?:{p})\b", d)), None)
    gender = next((g for g, p in _GENDER_WORDS if re.search(rf"\b(?:{p})\b", d)), None)
    m = re.search(rf"\b({'|'.join(_COLOURS)})\s+(?:\w+\s+)?({_GARMENTS})\b", d)
    clothes, garment = (_COLOURS[m.group(1)], m.group(2)) if m else (None, None)
    if garment is None:
        g = re.search(rf"\b({_GARMENTS})\b", d)
        garment = g.group(1) if g else None
    # a trade implies its clothes when nothing else is said
    job = next((v for k, v in _WORK_CLOTHES.items() if re.search(rf"\b{k}\b", d)), None)
    if job is not None:
        garment = garment or job[0]
        clothes = clothes or job[1]
    return CastNote(age=age, gender=gender, clothes=clothes, garment=garment)


_WORK_CLOTHES: dict[str, tuple[str, tuple[int, int, int]]] = {
    "astronauts?|cosmonauts?": ("spacesuit", (232, 234, 238)),
    "firefighters?|fireman|firemen": ("jacket", (214, 150, 40)),
    "nurses?|doctors?|surgeons?|scientists?": ("coat", (236, 238, 240)),
    "soldiers?": ("uniform", (88, 100, 60)),
    "sailors?|captain": ("uniform", (30, 40, 90)),
    r"police\w*|officers?|detectives?": ("uniform", (30, 44, 90)),
    "chefs?|cooks?": ("apron", (240, 240, 236)),
    "farmers?": ("overalls", (60, 90, 150)),
}


_KIN = (r"grandmother|grandma|granny|grandfather|grandpa|grandson|granddaughter|old\s+woman|old\s+man|little\s+girl|"
        r"little\s+boy|girl|boy|woman|man|mother|father|daughter|son|sister|brother|wife|husband|widow|widower|"
        r"child|kid|teenager|astronaut|farmer|firefighter|sailor|soldier|nurse|doctor|fisherman|fisherwoman")


def _described_in(text: str, name: str) -> str:
    """What the words around a name say about the person: "grandmother Edna",
    "Edna, an old woman in a red coat", "Edna in a red coat"."""
    n = re.escape(name.casefold())
    found = [m.group(1) for m in re.finditer(rf"\b((?:{_KIN}))\s+(?:named\s+|called\s+)?{n}\b", text)]
    found += [m.group(1) for m in re.finditer(rf"\b{n},\s+((?:an?|the)\s+[^,.;:]+)", text)]
    found += [m.group(1) for m in re.finditer(rf"\b{n}\s+((?:in|wearing)\s+[^,.;:]+)", text)]
    return "; ".join(found)


def _merge(given: CastNote | None, inferred: CastNote) -> CastNote:
    if given is None:
        return inferred
    return CastNote(age=given.age or inferred.age, gender=given.gender or inferred.gender,
                    clothes=given.clothes or inferred.clothes, garment=given.garment or inferred.garment)


def _parse_cast(text: str) -> dict[str, tuple[str, str]]:
    """"Name: description (in the script: sentences)" per line (or per ";" when on one line)
    -> {name: (description, sentences)}."""
    out: dict[str, tuple[str, str]] = {}
    for part in text.split("\n") if "\n" in text else text.split(";"):
        if ":" in part:
            name, desc = part.split(":", 1)
            desc, _, said = desc.partition(" (in the script:")
            if name.strip():
                out[name.strip()] = (desc.strip(), said.rstrip(") ").strip())
    return out


_GLOSSED = frozenset({"es", "fr", "de"})


def _language_of(text: str) -> str:
    return detect_language(text)


def read_story(shot: Shot, look: dict[str, Any] | None, location_ref_name: str = "") -> _Story:
    look = look or {}
    location, elements, cast_text = _text(look, "location"), _text(look, "elements"), _text(look, "cast")
    # A Spanish, French or German script keeps the brief's words ("el muelle", "linterna"); the
    # settings, icons and cast notes below know English ones, so each phrase is read with its gloss.
    language = _language_of(f"{shot.action} {location} {elements}")
    if language in _GLOSSED:
        location = f"{location} {english_gloss(location, language)}".strip()
        elements = ", ".join(f"{p} ({g})" if (g := english_gloss(p, language)) else p for p in _phrases(elements))
    action = shot.action.casefold()
    if language in _GLOSSED:
        action = f"{action} {english_gloss(action, language)}".strip()
    if location.strip():
        setting, score = pick_setting(f"{location} {elements}" if len(location.split()) < 2 else location)
        source = "block location"
    elif location_ref_name.strip():
        setting, score = pick_setting(location_ref_name)
        source = "location reference"
    else:
        setting, score = pick_setting(f"{shot.action} {shot.composition}")
        source = "shot words"

    weather_words = f"{shot.lighting} {elements}".casefold()
    effects = effects_in(f"{action} {weather_words}")

    things: list[IconMatch] = []
    seen: set[str] = set()
    insert = not shot.characters

    def add(m: IconMatch | None) -> None:
        if m is None or m.icon in seen:
            return
        if m.icon in _EFFECT_ICONS:
            if _EFFECT_ICONS[m.icon] and _EFFECT_ICONS[m.icon] not in effects:
                effects.append(_EFFECT_ICONS[m.icon])
            # an insert with no one in it draws its clouds or drops as the image itself
            if not (insert and not _EFFECT_ICONS[m.icon]):
                return
        if m.icon == setting.landmark or m.icon in _PLACE_ICONS:
            return  # a place is the setting's to draw, not a prop to stand beside someone
        seen.add(m.icon)
        things.append(m)

    place_words = set(re.findall(r"[a-z]+", location.casefold()))
    for phrase in _phrases(elements):
        words = set(re.findall(r"[a-z]+", phrase.casefold()))
        # the block's place and its time of day are listed among its elements; they are the setting, not props
        if (words and words <= place_words) or words & _SCENERY:
            continue
        add(match_icon(phrase))
    # the action's nouns: only names and aliases (single verbs would match too loosely by embedding)
    tokens = re.findall(r"[a-z][a-z'-]*", action)
    action_icons: set[str] = set()
    i = 0
    while i < len(tokens):
        hit, used = None, 1
        for size in (2, 1):
            gram = " ".join(tokens[i:i + size])
            if len(tokens[i:i + size]) < size or set(tokens[i:i + size]) & _NOT_THINGS:
                continue
            hit = match_icon(gram, embed=False)
            if hit is not None:
                used = size
                break
        if hit is not None:
            hit = replace(hit, phrase=hit.word)  # "the dog runs" draws and records "dog"
            add(hit)
            action_icons.add(hit.icon)
        i += used
    cast: dict[str, CastNote] = {}
    for name, (desc, said) in _parse_cast(cast_text).items():
        # the description is all about them; of the script's sentences, only the words next to their name
        if language in _GLOSSED:
            desc = f"{desc} {english_gloss(f'{name} {desc}', language)}"  # "la vieille femme" names her looks
        cast[name] = _merge(cast_note(desc), cast_note(_described_in(said.casefold(), name)))
    things.sort(key=lambda m: m.icon not in action_icons)
    return _Story(setting=setting, setting_score=score, setting_from=source, effects=effects, things=things[:4],
                  actions=actions_in(action) if shot.characters else [], cast=cast, insert=insert,
                  action_icons=frozenset(action_icons))


# Icons of whole places: what the setting is, never a prop.
_PLACE_ICONS = frozenset({
    "mountain", "desert", "station", "stadium", "tent", "church", "castle", "hospital", "school", "house", "houses",
    "house-with-garden", "office-building", "factory", "hotel", "classical-building", "circus-tent", "national-park",
    "desert-island", "cityscape", "cityscape-at-dusk", "night-with-stars", "sunrise-over-mountains", "sunrise",
    "sunset", "snow-capped-mountain", "volcano", "mount-fuji", "beach-with-umbrella", "camping", "bank",
    "post-office", "department-store", "convenience-store", "love-hotel", "japanese-castle", "mosque", "synagogue",
    "hindu-temple", "shinto-shrine", "kaaba", "wedding", "derelict-house", "hut", "bridge-at-night", "milky-way",
    "motorway", "railway-track", "building-construction", "place-of-worship", "japanese-post-office", "tokyo-tower",
    "statue-of-liberty", "moai", "cinema", "playground-slide", "ferris-wheel", "roller-coaster", "fountain",
    "door", "window",
})

# Elements that are the place, the light or the weather, not a thing to stand in it.
_SCENERY = frozenset({
    "night", "day", "dawn", "dusk", "morning", "afternoon", "evening", "golden", "hour", "rain", "fog", "snow",
    "clear", "storm", "ice", "water", "sea", "ocean", "sky", "earth", "stars", "waves", "sand", "mud", "grass",
    "trees", "clouds", "wind", "darkness", "light", "sunlight", "moonlight", "shadows", "silence", "city", "mist",
    "crowd", "crowds", "people", "horizon", "sunset", "sunrise", "heat", "cold", "frost", "lights",
})

# Words of an action that name an icon but are mostly verbs or scenery there.
_NOT_THINGS = frozenset({
    "watch", "watches", "watching", "fly", "flies", "rock", "rocks", "seal", "seals", "star", "stars", "sun", "wood",
    "woods", "ice", "hole", "link", "label", "pick", "picks", "hook", "plus", "moon", "ring", "rings", "cross",
    "crosses", "fire", "fires", "light", "wave", "waves", "train", "trains", "present", "row", "rows", "rowing",
    "bears", "drums", "bells", "faces", "door", "doors", "window", "windows",
})
