"""Props and creatures: a vendored set of flat colour icons, matched by name.

The icons are a subset of Microsoft's Fluent Emoji (flat), MIT, vendored in
`assets/` with the licence (see `assets/SOURCES.md`). Each is an SVG body,
rendered to pixels by `resvg-py` once per size and trimmed to its visible
extent, so it can stand on the ground like a real object.

Matching a phrase of the script ("a stray kitten", "message in a bottle")
to an icon goes, in order: a curated alias table (script words that name an
icon differently), an icon named by a word of the phrase, and finally
embedding similarity between the phrase and the icon names (WordLlama, the
project's offline embedder). The fallback when nothing clears the threshold
is to draw nothing for that phrase: the clip's `drawn` record then leaves it
out, so nobody downstream believes the viewer saw it.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

_ASSETS = Path(__file__).with_name("assets")
ICON_SET = "Fluent Emoji Flat (Microsoft, MIT)"

# Script words -> icon. Only words whose icon is not simply named by the word.
_ALIASES: dict[str, str] = {
    "kitten": "cat", "kitty": "cat", "cats": "cat", "puppy": "dog", "dogs": "dog", "hound": "dog", "pup": "dog",
    "letter": "envelope", "letters": "envelope", "mail": "envelope", "message": "scroll", "note": "memo",
    "bottle": "bottle-with-popping-cork", "wine": "wine-glass", "beer": "beer-mug", "coffee": "hot-beverage",
    "tea": "teapot", "cup": "hot-beverage", "mug": "hot-beverage",
    "boat": "canoe", "rowboat": "canoe", "rowing": "canoe", "dinghy": "canoe", "kayak": "canoe", "raft": "canoe",
    "yacht": "sailboat", "sail": "sailboat", "steamer": "ship", "ferry": "ferry", "liner": "passenger-ship",
    "bike": "bicycle", "car": "automobile", "cars": "automobile", "truck": "delivery-truck", "lorry": "articulated-lorry",
    "cake": "birthday-cake", "chess": "chess-pawn", "chessboard": "chess-pawn", "lamp": "diya-lamp",
    "lantern": "red-paper-lantern", "torch": "flashlight", "phone": "mobile-phone", "smartphone": "mobile-phone",
    "cellphone": "mobile-phone", "telephone": "telephone", "violin": "violin", "fiddle": "violin", "cello": "violin",
    "suitcase": "luggage", "bag": "handbag", "handbag": "clutch-bag", "map": "world-map", "book": "closed-book",
    "diary": "notebook", "journal": "notebook", "photo": "framed-picture", "photograph": "framed-picture",
    "painting": "framed-picture", "portrait": "framed-picture", "picture": "framed-picture", "flowers": "bouquet",
    "flower": "tulip", "roses": "rose", "gift": "wrapped-gift", "present": "wrapped-gift", "parcel": "package",
    "box": "package", "crate": "package", "crates": "package", "boxes": "package", "barrel": "oil-drum",
    "barrels": "oil-drum", "drum": "drum", "sword": "dagger", "knife": "kitchen-knife", "gun": "water-pistol",
    "pistol": "water-pistol", "key": "old-key", "keys": "old-key", "coins": "coin", "money": "money-bag",
    "treasure": "gem-stone", "jewel": "gem-stone", "diamond": "gem-stone", "necklace": "prayer-beads",
    "locket": "ring", "ring": "ring", "crown": "crown", "hat": "top-hat", "umbrella": "umbrella",
    "computer": "laptop", "laptop": "laptop", "tv": "television", "camera": "camera", "guitar": "guitar",
    "piano": "musical-keyboard", "trumpet": "trumpet", "radio": "radio", "clock": "alarm-clock", "watch": "watch",
    "candle": "candle", "candles": "candle", "bell": "bell", "balloon": "balloon", "kite": "kite", "ball": "soccer-ball",
    "football": "soccer-ball", "robot": "robot", "droid": "robot", "android": "robot", "spaceship": "rocket",
    "rocket": "rocket", "ufo": "flying-saucer", "satellite": "satellite", "telescope": "telescope", "plane": "airplane",
    "aeroplane": "airplane", "helicopter": "helicopter", "train": "locomotive", "locomotive": "locomotive",
    "tram": "tram", "bus": "bus", "taxi": "taxi", "ambulance": "ambulance", "motorbike": "motorcycle",
    "scooter": "motor-scooter", "tractor": "tractor", "anchor": "anchor", "lifebuoy": "ring-buoy", "net": "fishing-pole",
    "rod": "fishing-pole", "ladder": "ladder", "rope": "knot", "chain": "chains", "chains": "chains", "tent": "tent",
    "campfire": "fire", "bread": "bread", "apple": "red-apple", "apples": "red-apple", "pizza": "pizza",
    "skull": "skull", "coffin": "coffin", "grave": "headstone", "tombstone": "headstone", "cross": "latin-cross",
    "sunlight": "sun-behind-large-cloud", "sunshine": "sun-behind-large-cloud", "clouds": "cloud",
    "puddle": "droplet", "tears": "droplet", "flag": "triangular-flag", "flags": "triangular-flag", "bird": "bird", "birds": "bird", "gull": "bird", "seagull": "bird", "crow": "blackbird", "raven": "blackbird",
    "pigeon": "dove", "dove": "dove", "owl": "owl", "eagle": "eagle", "parrot": "parrot", "chick": "baby-chick",
    "hen": "chicken", "chicken": "chicken", "rooster": "rooster", "duck": "duck", "swan": "swan", "penguin": "penguin",
    "horse": "horse", "pony": "horse", "stallion": "horse", "mare": "horse", "cow": "cow", "cattle": "cow",
    "sheep": "ewe", "lamb": "ewe", "goat": "goat", "pig": "pig", "bear": "bear", "bears": "bear",
    "polar bear": "polar-bear", "wolf": "wolf", "fox": "fox", "deer": "deer", "stag": "deer", "rabbit": "rabbit",
    "bunny": "rabbit", "hare": "rabbit", "mouse": "mouse", "rat": "rat", "squirrel": "chipmunk", "elephant": "elephant",
    "lion": "lion", "tiger": "tiger", "monkey": "monkey", "ape": "gorilla", "gorilla": "gorilla", "giraffe": "giraffe",
    "zebra": "zebra", "camel": "two-hump-camel", "whale": "whale", "dolphin": "dolphin", "shark": "shark",
    "fish": "fish", "octopus": "octopus", "crab": "crab", "turtle": "turtle", "tortoise": "turtle", "snake": "snake",
    "frog": "frog", "lizard": "lizard", "dragon": "dragon", "dinosaur": "t-rex", "unicorn": "unicorn",
    "butterfly": "butterfly", "bee": "honeybee", "bees": "honeybee", "spider": "spider", "ghost": "ghost",
    "alien": "alien", "seal": "seal", "otter": "otter", "bat": "bat", "snail": "snail", "ant": "ant",
    "teddy": "teddy-bear", "doll": "nesting-dolls", "toy": "teddy-bear", "newspaper": "newspaper",
    "wheelchair": "manual-wheelchair", "bed": "bed", "chair": "chair", "sofa": "couch-and-lamp",
    "couch": "couch-and-lamp", "door": "door", "window": "window", "mirror": "mirror", "bench": "seat",
}

# Creatures walk or fly beside people; everything else is a prop.
CREATURES = frozenset({
    "cat", "black-cat", "dog", "service-dog", "guide-dog", "poodle", "bear", "polar-bear", "panda", "koala", "bird",
    "blackbird", "dove", "owl", "eagle", "parrot", "baby-chick", "chicken", "rooster", "duck", "swan", "penguin",
    "flamingo", "peacock", "goose", "turkey", "horse", "cow", "ox", "water-buffalo", "ewe", "ram", "goat", "pig",
    "boar", "wolf", "fox", "deer", "moose", "rabbit", "mouse", "rat", "hamster", "chipmunk", "hedgehog", "elephant",
    "mammoth", "lion", "tiger", "leopard", "monkey", "gorilla", "orangutan", "giraffe", "zebra", "two-hump-camel",
    "camel", "llama", "kangaroo", "whale", "spouting-whale", "dolphin", "shark", "fish", "tropical-fish", "blowfish",
    "octopus", "squid", "crab", "lobster", "turtle", "snake", "frog", "lizard", "crocodile", "dragon", "t-rex",
    "sauropod", "unicorn", "butterfly", "honeybee", "spider", "ghost", "alien", "seal", "otter", "bat", "snail",
    "ant", "beetle", "lady-beetle", "sloth", "skunk", "raccoon", "badger", "beaver", "bison", "donkey", "hippopotamus",
    "rhinoceros", "robot", "dodo", "phoenix-bird", "swan", "jellyfish", "worm", "fly", "mosquito", "cockroach",
})
FLYERS = frozenset({"bird", "blackbird", "dove", "owl", "eagle", "parrot", "bat", "butterfly", "honeybee", "dragon",
                    "phoenix-bird", "fly", "mosquito", "ghost"})
# Things that belong in the sky rather than on the ground.
AIRBORNE = FLYERS | frozenset({"kite", "balloon", "airplane", "small-airplane", "helicopter", "flying-saucer",
                               "parachute", "comet", "satellite", "shooting-star"})

# Real-world height in metres, for scale against a person (1.7 m). Unlisted: by kind.
_HEIGHT_M: dict[str, float] = {
    "cat": 0.3, "black-cat": 0.3, "dog": 0.6, "service-dog": 0.7, "guide-dog": 0.7, "poodle": 0.5, "bear": 1.3,
    "polar-bear": 1.4, "horse": 1.7, "cow": 1.5, "elephant": 3.0, "giraffe": 4.5, "mammoth": 3.3, "whale": 3.0,
    "spouting-whale": 3.0, "rabbit": 0.3, "mouse": 0.12, "rat": 0.15, "lion": 1.2, "tiger": 1.1, "wolf": 0.8,
    "fox": 0.45, "deer": 1.4, "moose": 1.9, "camel": 2.0, "two-hump-camel": 2.0, "zebra": 1.4, "gorilla": 1.6,
    "monkey": 0.6, "penguin": 0.8, "robot": 1.2, "t-rex": 4.0, "dragon": 3.0, "unicorn": 1.7, "pig": 0.8,
    "goat": 0.8, "ewe": 0.8, "donkey": 1.3, "ghost": 1.6, "alien": 1.3, "snail": 0.1, "ant": 0.06, "spider": 0.1,
    "canoe": 0.8, "sailboat": 3.0, "motor-boat": 1.6, "speedboat": 1.4, "ship": 6.0, "passenger-ship": 6.0,
    "ferry": 4.0, "automobile": 1.5, "taxi": 1.5, "police-car": 1.5, "ambulance": 2.2, "bus": 3.0, "tractor": 2.5,
    "delivery-truck": 2.8, "articulated-lorry": 3.2, "locomotive": 3.5, "bicycle": 1.0, "motorcycle": 1.1,
    "motor-scooter": 1.0, "rocket": 6.0, "helicopter": 3.0, "airplane": 4.0, "tent": 1.6, "bed": 0.9,
    "couch-and-lamp": 1.4, "chair": 0.95, "seat": 0.9, "door": 2.1, "window": 1.2, "ladder": 2.5,
    "christmas-tree": 2.2, "deciduous-tree": 5.0, "evergreen-tree": 6.0, "palm-tree": 6.0, "potted-plant": 0.8,
    "oil-drum": 0.9, "package": 0.6, "luggage": 0.7, "file-cabinet": 1.3, "desktop-computer": 0.5,
    "television": 0.6, "fountain": 2.0, "telescope": 1.5, "manual-wheelchair": 1.0, "coffin": 0.7,
    "headstone": 0.9, "anchor": 1.2, "ring-buoy": 0.7, "fire-extinguisher": 0.6, "teddy-bear": 0.4,
    "violin": 0.6, "guitar": 1.0, "musical-keyboard": 1.0, "drum": 0.6, "flying-saucer": 3.0, "satellite": 3.0,
}


@dataclass(frozen=True)
class IconMatch:
    """The icon drawn for a phrase of the script, and how it was found."""

    phrase: str
    icon: str
    how: str  # "alias", "name" or "embedding"
    score: float
    word: str = ""  # the words of the phrase that named the icon

    @property
    def creature(self) -> bool:
        return self.icon in CREATURES


def height_m(icon: str) -> float:
    if icon in _HEIGHT_M:
        return _HEIGHT_M[icon]
    if icon in FLYERS:
        return 0.35
    if icon in CREATURES:
        return 0.6
    return 0.4


@lru_cache(maxsize=1)
def _icon_set() -> dict:
    with gzip.open(_ASSETS / "fluent-emoji-flat.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def icon_names() -> list[str]:
    return sorted(_icon_set()["icons"])


def _svg(name: str) -> str:
    data = _icon_set()
    icon = data["icons"][name]
    w, h = icon.get("width", data["width"]), icon.get("height", data["height"])
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">{icon["body"]}</svg>'


_render_lock = threading.Lock()


@lru_cache(maxsize=512)
def icon_image(name: str, height_px: int) -> Image.Image:
    """The icon as RGBA, trimmed to its visible pixels, `height_px` tall (aspect kept)."""
    import resvg_py

    height_px = max(2, int(height_px))
    # render a little larger than needed: the trim removes the set's padding
    size = max(8, int(height_px * 1.25) + 2)
    with _render_lock:
        png = resvg_py.svg_to_bytes(svg_string=_svg(name), width=size, height=size)
    img = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
    box = img.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    if box:
        img = img.crop(box)
    w = max(1, round(img.width * height_px / img.height))
    return img.resize((w, height_px), Image.Resampling.LANCZOS) if img.height != height_px else img


@lru_cache(maxsize=1)
def _name_vectors() -> tuple[list[str], np.ndarray]:
    from filmcrew.memory.embeddings import default_embedder

    names = icon_names()
    return names, default_embedder().embed([n.replace("-", " ") for n in names])


_ARTICLES = re.compile(r"\b(a|an|the|his|her|their|its|my|our|your|some|old|small|little|tiny|big|large|"
                       r"huge|red|blue|green|white|black|yellow|wooden|broken|lost|single|one|two|three)\b")


def _words(phrase: str) -> list[str]:
    return [re.sub(r"'s?$", "", w) for w in re.findall(r"[a-z][a-z'-]*", phrase.casefold())]


def match_icon(phrase: str, *, embed: bool = True, threshold: float = 0.72) -> IconMatch | None:
    """The icon that draws `phrase`, or None (then nothing is drawn for it)."""
    text = phrase.casefold().strip()
    words = _words(text)
    if not words:
        return None
    names = _icon_set()["icons"]
    # the head noun of an English noun phrase is usually its last word: try from the end
    for size in (2, 1):
        for i in range(len(words) - size, -1, -1):
            gram = " ".join(words[i:i + size])
            if gram in _ALIASES and _ALIASES[gram] in names:
                return IconMatch(phrase, _ALIASES[gram], "alias", 1.0, gram)
            hyphen = gram.replace(" ", "-")
            if hyphen in names:
                return IconMatch(phrase, hyphen, "name", 1.0, gram)
            if size == 1 and gram.endswith("s"):
                single = gram[:-2] if gram.endswith("es") and gram[:-2] in _ALIASES else gram[:-1]
                if single in _ALIASES and _ALIASES[single] in names:
                    return IconMatch(phrase, _ALIASES[single], "alias", 1.0, gram)
                if single in names:
                    return IconMatch(phrase, single, "name", 1.0, gram)
    if not embed:
        return None
    core = _ARTICLES.sub(" ", text).strip()
    if not core:
        return None
    from filmcrew.memory.embeddings import default_embedder

    icon_list, vectors = _name_vectors()
    v = default_embedder().embed([core])[0]
    scores = vectors @ v
    best = int(np.argmax(scores))
    score = float(scores[best])
    # a similar-looking but unrelated name ("locket" ~ "rocket") scores high in
    # static embeddings; below a clear margin, a shared word is also required
    stems = {w[:4] for w in _words(core) if len(w) >= 4}
    shares = any(part[:4] in stems for part in icon_list[best].split("-") if len(part) >= 4)
    if score >= threshold + 0.1 or (score >= threshold and shares):
        return IconMatch(phrase, icon_list[best], "embedding", round(score, 3), core)
    return None
