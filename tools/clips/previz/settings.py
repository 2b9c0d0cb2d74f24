"""The settings library: where a block takes place, and how to dress it.

A `Setting` is one kind of place (a kitchen, a harbour, the surface of the
moon): the base painter that lays out its sky or walls and ground, its own
colours, the set dressing drawn along the back (procedural pieces and icons),
and the landmark an establishing shot shows. `pick_setting` chooses one from
the block's location words by embedding similarity (WordLlama, the project's
offline embedder) between those words and each setting's description; a
setting named outright by a word of the text wins at once.

Every shot of a block is given the block's location, so they all share one
setting; the shot's own words only decide when the block has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .common import Color

# Base painters (methods `loc_<base>` of the painter) and whether they are indoors.
INDOOR_BASES = frozenset({"interior"})


@dataclass(frozen=True)
class Setting:
    name: str
    base: str  # city, interior, forest, countryside, desert, mountain, coast, sea, snow, moon, space
    words: str  # what the place is called, for the embedding and the keyword match
    ground: tuple[Color, Color] | None = None  # (far, near); None: the base's
    wall: Color | None = None  # interiors only
    dressing: str = ""  # painter method `dress_<dressing>` that draws the set pieces
    icons: tuple[str, ...] = ()  # icons along the back wall / horizon, repeated on a world grid
    landmark: str | None = None  # what an establishing shot shows: an icon or a procedural landmark
    sky_lit: bool = True  # False: space and moon skies stay black by day
    extra: dict = field(default_factory=dict)

    @property
    def indoor(self) -> bool:
        return self.base in INDOOR_BASES


_S = Setting
SETTINGS: tuple[Setting, ...] = (
    _S("room", "interior", "room apartment flat bedroom living room home house hotel room lounge attic",
       wall=(206, 190, 168), dressing="room", icons=("couch-and-lamp", "potted-plant", "framed-picture")),
    _S("kitchen", "interior", "kitchen cooking stove galley pantry bakery oven bakehouse",
       wall=(226, 222, 204), ground=((176, 168, 150), (150, 140, 122)), dressing="kitchen",
       icons=("cooking", "teapot", "pot-of-food", "kitchen-knife", "bread")),
    _S("office", "interior", "office desk workplace boardroom cubicle newsroom bank",
       wall=(190, 198, 206), ground=((120, 124, 134), (92, 96, 106)), dressing="office",
       icons=("desktop-computer", "file-cabinet", "potted-plant", "printer")),
    _S("hospital ward", "interior", "hospital ward clinic infirmary sickbed doctor nurse operating theatre",
       wall=(204, 228, 214), ground=((196, 204, 200), (170, 180, 176)), dressing="ward",
       icons=("bed", "stethoscope", "syringe", "pill")),
    _S("classroom", "interior", "classroom school lesson lecture hall pupils teacher blackboard",
       wall=(222, 208, 170), dressing="classroom", icons=("books", "globe-showing-europe-africa", "triangular-ruler")),
    _S("gym", "interior", "gym gymnasium fitness boxing ring sports hall training",
       wall=(150, 172, 204), ground=((196, 152, 96), (170, 124, 74)), dressing="gym",
       icons=("boxing-glove", "basketball", "stopwatch")),
    _S("chapel", "interior", "chapel church cathedral temple abbey monastery altar pews shrine",
       wall=(176, 166, 150), ground=((132, 120, 104), (104, 94, 80)), dressing="chapel", icons=("candle",),
       landmark="latin-cross"),
    _S("theatre", "interior", "theatre theater stage hall auditorium concert opera ballroom cinema",
       wall=(120, 40, 44), ground=((120, 78, 48), (96, 60, 36)), dressing="theatre", icons=("performing-arts",)),
    _S("circus tent", "interior", "circus tent big top ring clown acrobat carnival",
       wall=(214, 58, 52), ground=((196, 160, 110), (170, 130, 84)), dressing="circus",
       icons=("carousel-horse", "balloon"), landmark="circus-tent"),
    _S("warehouse", "interior", "warehouse depot storage hangar factory floor loading bay docks shed",
       wall=(118, 112, 104), ground=((110, 106, 100), (84, 80, 76)), dressing="warehouse",
       icons=("package", "oil-drum", "package")),
    _S("workshop", "interior", "workshop garage shed workbench carpenter mechanic forge studio",
       wall=(150, 118, 84), ground=((120, 110, 98), (96, 88, 78)), dressing="workshop",
       icons=("toolbox", "hammer-and-wrench", "carpentry-saw", "gear")),
    _S("shop", "interior", "shop store boutique grocery bookshop pharmacy supermarket counter",
       wall=(230, 214, 186), dressing="shop", icons=("shopping-cart", "bread", "red-apple", "shopping-bags")),
    _S("cafe", "interior", "cafe café coffee shop bar pub tavern diner restaurant saloon nightclub club",
       wall=(120, 86, 62), ground=((110, 74, 50), (84, 56, 38)), dressing="cafe",
       icons=("hot-beverage", "wine-glass", "beer-mug", "croissant")),
    _S("train carriage", "interior", "train carriage railway car compartment sleeper car aboard the train wagon",
       wall=(120, 130, 150), ground=((90, 86, 90), (70, 66, 70)), dressing="carriage", icons=("seat",)),
    _S("tunnel", "interior", "tunnel underpass sewer mine shaft cave cavern bunker corridor passage",
       wall=(74, 70, 66), ground=((70, 66, 62), (50, 48, 46)), dressing="tunnel"),
    _S("subway", "interior", "subway metro underground platform tube station", wall=(200, 206, 196),
       ground=((120, 120, 124), (96, 96, 100)), dressing="subway", icons=("metro",), landmark="metro"),
    _S("laboratory", "interior", "laboratory lab research facility experiment science",
       wall=(214, 224, 228), ground=((186, 190, 194), (160, 164, 168)), dressing="office",
       icons=("microscope", "test-tube", "alembic", "petri-dish")),
    _S("library", "interior", "library archive study bookshelves reading room",
       wall=(140, 100, 70), dressing="library", icons=("books", "open-book")),
    _S("station", "city", "railway station train station platform terminal depot", dressing="station",
       icons=("station",), landmark="locomotive"),
    _S("street", "city", "street city road avenue downtown town sidewalk crossroads boulevard", dressing="street"),
    _S("alley", "city", "alley alleyway back street lane behind the club dumpster", dressing="alley",
       icons=("wastebasket",)),
    _S("rooftop", "city", "rooftop roof skyline terrace top of the building", dressing="rooftop",
       icons=("satellite-antenna",)),
    _S("market", "city", "market marketplace bazaar stalls night market fair", dressing="market",
       icons=("red-apple", "tangerine", "bread", "watermelon")),
    _S("park", "countryside", "park garden playground lawn city park bench", ground=((112, 160, 86), (76, 128, 56)),
       dressing="park", icons=("deciduous-tree", "seat"), landmark="fountain"),
    _S("village square", "countryside", "village square town square plaza hamlet village green piazza",
       ground=((170, 160, 140), (140, 130, 112)), dressing="village", icons=("house", "house-with-garden"),
       landmark="church"),
    _S("field", "countryside", "field farm meadow countryside pasture wheat prairie barn orchard vineyard",
       dressing="field", icons=("sheaf-of-rice",), landmark="tractor"),
    _S("forest", "forest", "forest woods woodland jungle grove trees wilderness", dressing="forest",
       icons=("evergreen-tree",)),
    _S("mountain", "mountain", "mountain peak summit ridge cliff alpine pass valley hills",
       dressing="mountain", landmark="snow-capped-mountain"),
    _S("desert", "desert", "desert dunes sand canyon oasis wasteland badlands", dressing="desert", icons=("cactus",)),
    _S("beach", "coast", "beach coast shore seaside cove bay island sand and waves", dressing="beach",
       icons=("palm-tree",), landmark="umbrella-on-ground"),
    _S("lighthouse", "coast", "lighthouse cliff top beacon headland rocky point", dressing="lighthouse",
       landmark="lighthouse"),
    _S("harbour", "coast", "harbour harbor port pier dock quay wharf marina fishing village",
       dressing="harbour", icons=("sailboat",), landmark="passenger-ship"),
    _S("sea", "sea", "sea ocean open water waves boat ship deck sailing voyage", dressing="sea", landmark="ship"),
    _S("ship deck", "sea", "ship deck aboard the ship ferry deck sailing ship cruise liner", dressing="deck",
       ground=((150, 110, 72), (120, 84, 52)), landmark="ring-buoy"),
    _S("snow plain", "snow", "snow ice frozen tundra glacier arctic antarctic polar snowfield frozen lake",
       ground=((234, 240, 246), (212, 222, 232)), dressing="snow"),
    _S("moon surface", "moon", "moon lunar surface planet crater mars alien world asteroid",
       ground=((150, 150, 154), (118, 118, 122)), dressing="moon", landmark="ringed-planet", sky_lit=False),
    _S("space", "space", "space outer space orbit stars galaxy spaceship station in space nebula zero gravity",
       ground=((20, 22, 30), (14, 16, 24)), dressing="space", landmark="ringed-planet", sky_lit=False,
       icons=("satellite",)),
    _S("cemetery", "countryside", "cemetery graveyard churchyard grave funeral tombs",
       ground=((96, 120, 80), (70, 96, 58)), dressing="cemetery", icons=("headstone",)),
    _S("castle", "countryside", "castle fortress palace courtyard kingdom keep", dressing="field",
       landmark="castle"),
)
_BY_NAME = {s.name: s for s in SETTINGS}
DEFAULT = _BY_NAME["street"]


def setting_named(name: str) -> Setting:
    return _BY_NAME[name]


@lru_cache(maxsize=1)
def _vectors() -> np.ndarray:
    from filmcrew.memory.embeddings import default_embedder

    return default_embedder().embed([f"{s.name}: {s.words}" for s in SETTINGS])


@lru_cache(maxsize=256)
def pick_setting(text: str) -> tuple[Setting, float]:
    """The setting `text` (a block's location, or a shot's words) describes, and the match score.

    A setting whose name appears in the text wins (the longest name, so
    "ship deck" beats "sea"); otherwise the nearest description by
    embedding; with no text, the street.
    """
    text = " ".join(text.casefold().split())
    if not re.search(r"[a-z]", text):
        return DEFAULT, 0.0
    named = [s for s in SETTINGS if re.search(rf"\b{re.escape(s.name)}s?\b", text)]
    if named:
        return max(named, key=lambda s: len(s.name)), 1.0
    # "the frozen moon": the first word of a two-word setting ("moon surface") names it well enough
    named = [s for s in SETTINGS if " " in s.name and re.search(rf"\b{re.escape(s.name.split()[0])}s?\b", text)]
    if len(named) == 1:
        return named[0], 0.9
    from filmcrew.memory.embeddings import default_embedder

    v = default_embedder().embed([text])[0]
    scores = _vectors() @ v
    # a word of a setting's vocabulary in the text is strong evidence: it adds to the similarity
    words = set(re.findall(r"[a-z]+", text))
    bonus = np.array([0.25 * len(words & set(s.words.split())) ** 0.5 for s in SETTINGS])
    total = scores + bonus
    best = int(np.argmax(total))
    if total[best] < 0.15:  # nothing in the words is a place we know: a street is the most neutral
        return DEFAULT, round(float(scores[best]), 3)
    return SETTINGS[best], round(float(scores[best]), 3)
