"""Offline previz: animatic clips in which a shot's camera language is visible.

`PrevizRenderer` is the default provider of the clip-generation seam. It needs
no network and no model: each shot becomes a real H.264 clip that shows the
planned shot size (how large the subject is in frame), the camera movement
(pan, dolly, crane, whip pan, dolly zoom ...), the angle (high/low
perspective, dutch roll, over-the-shoulder, overhead, point of view), the lens
(depth of field) and the atmosphere (time of day, weather, grade). The
picture is drawn over the user's reference images -- a location image as the
background plate, character images as cut-outs -- or over procedural
stand-ins when there are none. Each clip carries a caption of the action, a
slate, and a list of timed visual events a sound designer can sync to.

Speed comes from doing once per clip everything that does not change within
a shot: the background, the characters, the grade, the vignette, caption and
slate are drawn into "plates"; each frame is then one sub-pixel crop-and-scale
of a plate (two when the subject moves against the background), a few cheap
overlays, and raw RGB piped to ffmpeg.
"""

from __future__ import annotations

import asyncio
import colorsys
import hashlib
import math
import os
import re
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from filmcrew.errors import FilmcrewError, InputError
from filmcrew.memory.models import TIMES_OF_DAY, ClipAsset, ReferenceImage, Shot
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash
from filmcrew.tools.media import ffmpeg_exe

__all__ = ["PrevizRenderer", "render_previz", "Look", "resolve_look", "PREVIZ_VERSION"]

#: Bumped whenever the same inputs would render different pixels.
PREVIZ_VERSION = "1"

Color = tuple[int, int, int]
Rect = tuple[float, float, float, float]

# ---------------------------------------------------------------------------
# The craft tables: how each word of the shot vocabulary looks on screen.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Framing:
    figure: float  # standing height of the subject, in frame heights
    eye: float  # eye line, as a fraction of the frame height from the top
    cutout: float  # height of a character reference cut-out, in frame heights
    background: float  # magnification of the background relative to a full shot
    focus: float  # background blur radius at 35mm, in frame heights
    offset: float  # horizontal distance of the subject from the centre, in frame widths


# Heights follow the usual cut lines: a medium shot cuts at the waist, a close
# up under the shoulders, an extreme close up across the forehead and chin.
_FRAMING: dict[str, _Framing] = {
    "extreme_wide": _Framing(0.11, 0.62, 0.14, 0.55, 0.0, 1 / 6),
    "wide": _Framing(0.30, 0.56, 0.32, 0.75, 0.0, 1 / 6),
    "full": _Framing(0.80, 0.17, 0.78, 1.0, 0.002, 1 / 6),
    "medium_wide": _Framing(1.25, 0.27, 0.95, 1.1, 0.004, 1 / 6),
    "medium": _Framing(1.9, 0.33, 1.2, 1.25, 0.007, 1 / 6),
    "medium_close_up": _Framing(2.7, 0.36, 1.45, 1.4, 0.010, 0.14),
    "close_up": _Framing(4.2, 0.40, 1.85, 1.6, 0.014, 0.10),
    "extreme_close_up": _Framing(9.0, 0.45, 2.7, 1.9, 0.020, 0.04),
}
_WIDE_FAMILY = {"extreme_wide", "wide", "full"}

# Movements in which the subject and the background must move differently
# (parallax, a walking subject, a dolly zoom) get a separate subject layer;
# the rest bake the characters into the background and sample once per frame.
_TWO_LAYER = {"dolly_in", "dolly_out", "truck", "pedestal", "crane", "tracking", "arc", "dolly_zoom"}

_SKY: dict[str, tuple[Color, Color]] = {
    "dawn": ((62, 78, 140), (250, 178, 150)),
    "morning": ((96, 150, 222), (206, 226, 245)),
    "day": ((60, 122, 212), (182, 214, 245)),
    "afternoon": ((80, 136, 210), (222, 220, 212)),
    "golden_hour": ((84, 100, 165), (255, 176, 88)),
    "dusk": ((34, 36, 88), (214, 112, 104)),
    "night": ((6, 10, 30), (26, 36, 74)),
}
_LIGHT = {
    "dawn": 0.75, "morning": 0.95, "day": 1.0, "afternoon": 0.95, "golden_hour": 0.85, "dusk": 0.55, "night": 0.32,
}

# (temperature, exposure, saturation, contrast) that a time of day implies.
_TOD_GRADE = {
    "dawn": (0.1, -0.1, 0.9, 0.95),
    "morning": (0.05, 0.0, 1.0, 1.0),
    "day": (0.0, 0.0, 1.0, 1.0),
    "afternoon": (0.1, 0.0, 1.05, 1.0),
    "golden_hour": (0.45, -0.05, 1.15, 1.05),
    "dusk": (-0.2, -0.2, 0.9, 1.05),
    "night": (-0.45, -0.25, 0.75, 1.1),
}

_TOD_WORDS: list[tuple[str, str]] = [
    (r"golden[ _-]?hour|sunset|magic hour", "golden_hour"),
    (r"dawn|sunrise|daybreak|first light", "dawn"),
    (r"dusk|twilight|evening|blue hour", "dusk"),
    (r"night|midnight|moon\w*|starlit|after dark", "night"),
    (r"afternoon", "afternoon"),
    (r"morning", "morning"),
    (r"noon|midday|daylight|daytime|\bday\b|sunny|sunlit", "day"),
]
_WEATHER_WORDS: list[tuple[str, str]] = [
    (r"snow\w*|blizzard|sleet", "snow"),
    (r"rain\w*|storm\w*|downpour|drizzl\w*|thunder\w*|lightning|wet", "rain"),
    (r"fog\w*|mist\w*|haze|hazy|smok\w*", "fog"),
    (r"clear|cloudless", "clear"),
]

_LOCATION_WORDS: dict[str, str] = {
    "interior": r"room|kitchen|office|bedroom|hall|hallway|corridor|apartment|flat|bar|cafe|café|restaurant|"
    r"inside|interior|indoors?|house|home|library|classroom|studio|shop|store|lab|laboratory|diner|attic|basement",
    "coast": r"beach|sea|ocean|shore|coast\w*|harbou?r|pier|dock|lake|river|lighthouse|cliff\w*|waves?|bay|"
    r"island|boats?|ships?|ferry|sail\w*|rows?|rowing|bottle",
    "forest": r"forest|woods?|woodland|trees?|jungle|park|garden|grove",
    "mountain": r"mountains?|peaks?|summit|ridge|alpine|glacier",
    "desert": r"desert|dunes?|sand\w*|canyon",
    "countryside": r"field|farm\w*|meadow|countryside|village|hills?|valley|road\s+trip|prairie",
    "city": r"street|city|alley\w*|road|town|avenue|downtown|buildings?|rooftops?|market|square|station|sidewalk",
}

_GROUND: dict[str, tuple[Color, Color]] = {
    "city": ((128, 128, 132), (74, 74, 80)),
    "interior": ((150, 110, 72), (112, 78, 48)),
    "forest": ((90, 122, 70), (50, 84, 42)),
    "coast": ((222, 204, 160), (196, 176, 128)),
    "countryside": ((124, 152, 82), (78, 118, 50)),
    "desert": ((232, 202, 150), (204, 168, 112)),
    "mountain": ((122, 132, 112), (80, 96, 70)),
}

_SKIN: list[Color] = [(241, 206, 180), (224, 172, 135), (198, 140, 100), (160, 108, 72), (120, 78, 52), (88, 58, 40)]
_HAIR: list[Color] = [(24, 20, 18), (60, 40, 26), (110, 72, 40), (200, 160, 90), (150, 62, 30), (150, 150, 150)]

# Action words a sound designer syncs effects to: (pattern, kind, description).
_ACTION_SOUNDS: list[tuple[str, str, str]] = [
    (r"thunder\w*|lightning", "thunder", "thunder after a lightning flash"),
    (r"slam\w*", "impact", "a slam"),
    (r"doors?|gate", "door", "a door"),
    (r"falls?|fell|falling|drops?|dropped|collaps\w*|trips?|tumbl\w*|topples?", "impact", "something falls and hits"),
    (r"runs?|running|ran|sprint\w*|races?|racing|dash\w*|chas\w*|flees?", "footsteps", "running footsteps"),
    (r"walks?|walking|walked|steps?|strides?|paces?|climbs?|enters?|approach\w*", "footsteps", "footsteps"),
    (r"crash\w*|smash\w*|shatter\w*", "crash", "a crash"),
    (r"glass\w*|window\s+breaks", "glass", "breaking glass"),
    (r"gunshots?|shoots?|shot\s+fired|fires\s+a|guns?|pistol", "gunshot", "a gunshot"),
    (r"explo\w*|blasts?", "explosion", "an explosion"),
    (r"knock\w*", "knock", "knocking"),
    (r"scream\w*|shout\w*|yell\w*|cries|gasps?", "vocal", "a vocal reaction"),
    (r"phones?|rings?|ringing|buzz\w*", "phone", "a phone rings"),
    (r"cars?|engines?|brakes?|horns?|drives?|taxi|bus", "vehicle", "a vehicle"),
    (r"splash\w*|dives?|plunges?", "splash", "a splash"),
    (r"punch\w*|hits?|strikes?|kicks?|slaps?", "hit", "a hit"),
    (r"bells?|chimes?", "bell", "a bell"),
    (r"barks?|dogs?", "dog_bark", "a dog barks"),
    (r"claps?|applause", "clap", "clapping"),
]
# Events the camera reacts to with a jolt, and how hard (fraction of frame height).
_JOLTS = {"impact": 0.018, "crash": 0.02, "explosion": 0.035, "gunshot": 0.012, "hit": 0.01, "door_slam": 0.016}

# ---------------------------------------------------------------------------
# Look: time of day, weather and grade, from `look` and from the shot's words.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """The atmosphere one clip is rendered with, after combining the shot's
    lighting words with a `look` dict from another role (e.g. a colorist)."""

    time_of_day: str = "day"
    weather: str = "clear"
    temperature: float = 0.0  # -1 cool .. 1 warm
    saturation: float = 1.0  # 0 .. 2
    contrast: float = 1.0  # 0.5 .. 1.5
    exposure: float = 0.0  # -1 .. 1 stops
    vignette: float = 0.35  # 0 .. 1
    storm: bool = False
    silhouette: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _find_word(patterns: list[tuple[str, str]], text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, value in patterns:
        m = re.search(rf"\b(?:{pattern})", text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    return best[1] if best else None


def _number(look: dict[str, Any], key: str, lo: float, hi: float) -> float | None:
    if key not in look or look[key] is None:
        return None
    value = look[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"look[{key!r}] must be a number in {lo}..{hi}, got {value!r}")
    return min(hi, max(lo, float(value)))


def resolve_look(shot: Shot, look: dict[str, Any] | None = None) -> Look:
    """The atmosphere of `shot`: `look` keys win; otherwise time of day and
    weather come from the words of `shot.lighting` and `shot.action`.

    Numeric `look` keys grade on top of what the time of day and lighting
    imply: `temperature` and `exposure` add, `saturation` and `contrast`
    multiply, so a colorist's neutral grade (0, 0, 1, 1) changes nothing.
    """
    look = dict(look or {})
    words = f"{shot.lighting} {shot.action}".casefold()

    tod = look.get("time_of_day")
    if tod is not None:
        tod = str(tod).strip().casefold().replace(" ", "_").replace("-", "_")
        if tod not in TIMES_OF_DAY:
            raise ValueError(
                f"look['time_of_day'] must be one of {', '.join(TIMES_OF_DAY)}, got {look['time_of_day']!r}"
            )
    else:
        tod = _find_word(_TOD_WORDS, words) or "day"

    weather_word = look.get("weather")
    if weather_word is not None:
        weather = _find_word(_WEATHER_WORDS, str(weather_word).casefold()) or "clear"
    else:
        weather = _find_word(_WEATHER_WORDS, words) or "clear"
    storm = bool(re.search(r"\b(storm\w*|thunder\w*|lightning)", f"{words} {str(weather_word or '').casefold()}"))

    temp, exposure, sat, contrast = _TOD_GRADE[tod]
    vignette = 0.35 + (0.1 if tod in ("night", "dusk") else 0.0)
    if weather == "rain":
        temp, exposure, sat, contrast = temp - 0.1, exposure - 0.1, sat * 0.75, contrast * 0.95
    elif weather == "fog":
        exposure, sat, contrast = exposure + 0.05, sat * 0.7, contrast * 0.8
    elif weather == "snow":
        temp, exposure, sat = temp - 0.15, exposure + 0.1, sat * 0.8

    light = shot.lighting.casefold()
    if re.search(r"low[ -]?key|noir|moody|dark|shadow\w*|chiaroscuro", light):
        contrast, exposure, vignette = contrast * 1.2, exposure - 0.2, vignette + 0.2
    if re.search(r"high[ -]?key|bright|airy", light):
        contrast, exposure, vignette = contrast * 0.9, exposure + 0.2, vignette - 0.1
    if re.search(r"warm|candle\w*|tungsten|fire\w*|golden|amber|lamp\w*", light):
        temp += 0.3
    if re.search(r"cool|cold|blue|moonlight|fluorescent|steel\w*", light):
        temp -= 0.3
    if re.search(r"desaturat\w*|bleak|muted|grey|gray|washed", light):
        sat *= 0.6
    if re.search(r"vivid|saturated|neon|colou?rful", light):
        sat *= 1.3
    if re.search(r"harsh|hard", light):
        contrast *= 1.15
    if re.search(r"soft|diffuse\w*|overcast", light):
        contrast *= 0.9
    silhouette = bool(re.search(r"silhouett\w*|backlit|backlight\w*|contre[- ]?jour", light))

    if (v := _number(look, "temperature", -1.0, 1.0)) is not None:
        temp += v
    if (v := _number(look, "exposure", -1.0, 1.0)) is not None:
        exposure += v
    if (v := _number(look, "saturation", 0.0, 2.0)) is not None:
        sat *= v
    if (v := _number(look, "contrast", 0.5, 1.5)) is not None:
        contrast *= v
    if (v := _number(look, "vignette", 0.0, 1.0)) is not None:
        vignette = v

    return Look(
        time_of_day=tod,
        weather=weather,
        temperature=min(1.0, max(-1.0, temp)),
        saturation=min(2.0, max(0.0, sat)),
        contrast=min(1.5, max(0.5, contrast)),
        exposure=min(1.0, max(-1.0, exposure)),
        vignette=min(1.0, max(0.0, vignette)),
        storm=storm and weather == "rain",
        silhouette=silhouette,
    )


def _grade_lut(look: Look) -> list[int]:
    x = np.arange(256, dtype=np.float64) / 255.0
    gains = (1 + 0.2 * look.temperature, 1 + 0.03 * look.temperature, 1 - 0.2 * look.temperature)
    lut: list[int] = []
    for gain in gains:
        v = x * (2.0 ** look.exposure) * gain
        v = 0.45 + (v - 0.45) * look.contrast
        lut.extend(np.clip(np.round(v * 255), 0, 255).astype(int).tolist())
    return lut


def _grade(img: Image.Image, look: Look, lut: list[int]) -> Image.Image:
    img = img.point(lut)
    if abs(look.saturation - 1.0) > 1e-3:
        img = ImageEnhance.Color(img).enhance(look.saturation)
    return img


def _grade_color(color: Color, look: Look, lut: list[int]) -> Color:
    return _grade(Image.new("RGB", (1, 1), color), look, lut).getpixel((0, 0))  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# Small helpers.
# ---------------------------------------------------------------------------


def _seed(*parts: Any) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def _rng(*parts: Any) -> np.random.Generator:
    return np.random.default_rng(_seed(*parts))


def _mix(a: Sequence[float], b: Sequence[float], t: float) -> Color:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def _shade(c: Sequence[float], k: float) -> Color:
    return tuple(int(max(0, min(255, round(x * k)))) for x in c)  # type: ignore[return-value]


def _smooth(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3 - 2 * u)


def _lens_mm(lens: str) -> float:
    m = re.search(r"(\d+(?:\.\d+)?)\s*mm", lens or "")
    return float(m.group(1)) if m else 35.0


def _names_match(ref_name: str, character: str) -> bool:
    a, b = ref_name.casefold().strip(), character.casefold().strip()
    if not a or not b:
        return False
    if a == b:
        return True
    wa, wb = re.findall(r"\w+", a), re.findall(r"\w+", b)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    return n > 0 and any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow < 10.1 or no FreeType: fixed bitmap font
        return ImageFont.load_default()


def _homography_apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.c_[pts, np.ones(len(pts))] @ m.T
    return p[:, :2] / p[:, 2:3]


def _bbox(pts: np.ndarray) -> Rect:
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())


# ---------------------------------------------------------------------------
# Characters.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Palette:
    clothes: Color
    trousers: Color
    skin: Color
    hair: Color
    long_hair: bool
    build: float
    stature: float


def _palette(name: str) -> _Palette:
    """The same name always gives the same person, in every shot and film."""
    h = hashlib.sha256(name.casefold().strip().encode()).digest()
    hue = h[0] / 255.0
    clothes = colorsys.hsv_to_rgb(hue, 0.6 + 0.3 * h[1] / 255, 0.6 + 0.35 * h[2] / 255)
    trousers = colorsys.hsv_to_rgb((hue + 0.45 + 0.2 * h[3] / 255) % 1.0, 0.35, 0.28 + 0.22 * h[4] / 255)
    return _Palette(
        clothes=_shade(clothes, 255),
        trousers=_shade(trousers, 255),
        skin=_SKIN[h[5] % len(_SKIN)],
        hair=_HAIR[h[6] % len(_HAIR)],
        long_hair=bool(h[7] % 2),
        build=0.9 + 0.22 * h[8] / 255,
        stature=0.95 + 0.1 * h[9] / 255,
    )


@dataclass
class _Figure:
    name: str
    x: float  # centre, world units
    eye: float  # eye line (front view) or centre (overhead), world units
    height: float  # standing height, world units
    palette: _Palette
    cutout: Image.Image | None = None  # RGBA reference cut-out
    cutout_height: float = 0.0
    cutout_top: float = 0.0

    def bbox(self, overhead: bool) -> Rect:
        if self.cutout is not None:
            w = self.cutout_height * self.cutout.width / self.cutout.height
            return self.x - w / 2, self.cutout_top, self.x + w / 2, self.cutout_top + self.cutout_height
        u = self.height
        if overhead:
            half = 0.2 * u * self.palette.build
            return self.x - half, self.eye - 0.12 * u, self.x + half, self.eye + 0.12 * u
        top = self.eye - 0.065 * u
        half = 0.2 * u * self.palette.build
        return self.x - half, top - 0.01 * u, self.x + half, top + u


def _load_cutout(path: str, max_height: int) -> Image.Image:
    try:
        with Image.open(path) as src:
            img = src.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise InputError(f"character reference {path} is not a readable image: {exc}") from None
    if img.height > max_height:
        img = img.resize((max(1, round(img.width * max_height / img.height)), max_height), Image.Resampling.LANCZOS)
    alpha = np.asarray(img.getchannel("A"))
    if alpha.min() < 250:
        return img  # the user already cut it out
    # A rectangular photo gets a feathered oval matte so it reads as a figure.
    w, h = img.size
    matte = Image.new("L", (w, h), 0)
    ImageDraw.Draw(matte).ellipse((w * 0.06, h * 0.03, w * 0.94, h * 0.99), fill=255)
    matte = matte.filter(ImageFilter.GaussianBlur(max(1.0, min(w, h) * 0.04)))
    img.putalpha(matte)
    return img


def _draw_figure(rgb: ImageDraw.ImageDraw, mask: ImageDraw.ImageDraw, fig: _Figure, to_px: Callable, r: float,
                 swing: float, overhead: bool, darken: float, shadow: Color = (40, 40, 40)) -> None:
    pal = fig.palette
    u = fig.height
    b = pal.build
    clothes, trousers, skin, hair = (_shade(c, darken) for c in (pal.clothes, pal.trousers, pal.skin, pal.hair))
    line = max(1, int(round(0.004 * u * r)))
    edge = _shade(clothes, 0.45)

    def poly(points: list[tuple[float, float]], fill: Color, outline: Color | None = None) -> None:
        pts = [to_px(x, y) for x, y in points]
        rgb.polygon(pts, fill=fill, outline=outline, width=line if outline else 0)
        mask.polygon(pts, fill=255)

    def oval(x0: float, y0: float, x1: float, y1: float, fill: Color, outline: Color | None = None,
             in_mask: int = 255) -> None:
        (a, c), (bb, d) = to_px(x0, y0), to_px(x1, y1)
        box = (min(a, bb), min(c, d), max(a, bb), max(c, d))
        rgb.ellipse(box, fill=fill, outline=outline, width=line if outline else 0)
        if in_mask:
            mask.ellipse(box, fill=in_mask)

    cx = fig.x
    if overhead:
        cy = fig.eye
        sx, sy = cx + 0.03 * u, cy + 0.04 * u  # the shadow falls down and to the right
        oval(sx - 0.16 * u * b, sy - 0.06 * u, sx + 0.16 * u * b, sy + 0.08 * u, shadow)
        oval(cx - 0.17 * u * b, cy - 0.045 * u, cx - 0.11 * u * b, cy + 0.045 * u, _shade(clothes, 0.8), edge)
        oval(cx + 0.11 * u * b, cy - 0.045 * u, cx + 0.17 * u * b, cy + 0.045 * u, _shade(clothes, 0.8), edge)
        oval(cx - 0.14 * u * b, cy - 0.06 * u, cx + 0.14 * u * b, cy + 0.06 * u, clothes, edge)
        oval(cx - 0.055 * u, cy - 0.06 * u, cx + 0.055 * u, cy + 0.05 * u, skin)
        oval(cx - 0.056 * u, cy - 0.066 * u, cx + 0.056 * u, cy + 0.035 * u, hair)
        return

    top = fig.eye - 0.065 * u
    X = lambda f: cx + f * u * b  # noqa: E731 - local shorthand for body proportions
    Y = lambda f: top + f * u  # noqa: E731
    s = swing * u
    if pal.long_hair:
        poly([(X(-0.065), Y(0.03)), (X(0.065), Y(0.03)), (X(0.07), Y(0.21)), (X(-0.07), Y(0.21))], _shade(hair, 0.85))
    seam = _shade(trousers, 0.5)
    poly([(X(-0.085), Y(0.5)), (X(-0.005), Y(0.5)), (X(-0.02) + s, Y(0.97)), (X(-0.085) + s, Y(0.97))], trousers, seam)
    poly([(X(0.005), Y(0.5)), (X(0.085), Y(0.5)), (X(0.085) - s, Y(0.97)), (X(0.02) - s, Y(0.97))], trousers, seam)
    oval(X(-0.1) + s, Y(0.955), X(-0.01) + s, Y(1.0), (30, 28, 30))
    oval(X(0.01) - s, Y(0.955), X(0.1) - s, Y(1.0), (30, 28, 30))
    sleeve = _shade(clothes, 0.82)
    a = 0.4 * s  # arms swing against the legs
    poly([(X(-0.12), Y(0.19)), (X(-0.16), Y(0.2)), (X(-0.17) - a, Y(0.48)), (X(-0.125) - a, Y(0.48))], sleeve, edge)
    poly([(X(0.12), Y(0.19)), (X(0.16), Y(0.2)), (X(0.17) + a, Y(0.48)), (X(0.125) + a, Y(0.48))], sleeve, edge)
    oval(X(-0.172) - a, Y(0.47), X(-0.122) - a, Y(0.53), skin)
    oval(X(0.122) + a, Y(0.47), X(0.172) + a, Y(0.53), skin)
    torso = [(X(-0.135), Y(0.19)), (X(0.135), Y(0.19)), (X(0.1), Y(0.47)), (X(0.108), Y(0.54)), (X(-0.108), Y(0.54)),
             (X(-0.1), Y(0.47))]
    poly(torso, clothes, edge)
    oval(X(-0.14), Y(0.165), X(0.14), Y(0.235), clothes)
    neck = [(cx - 0.024 * u, Y(0.1)), (cx + 0.024 * u, Y(0.1)), (cx + 0.026 * u, Y(0.19)), (cx - 0.026 * u, Y(0.19))]
    poly(neck, _shade(skin, 0.88))
    oval(cx - 0.05 * u, Y(0.0), cx + 0.05 * u, Y(0.13), skin, _shade(skin, 0.6))
    # hair cap: the upper part of the head oval, drawn as a chord so the face stays clear
    (a, c), (bb, d) = to_px(cx - 0.054 * u, Y(-0.012)), to_px(cx + 0.054 * u, Y(0.1))
    rgb.chord((a, c, bb, d), 180, 360, fill=hair)
    mask.chord((a, c, bb, d), 180, 360, fill=255)
    if 0.13 * u * r >= 14:
        ey = Y(0.068)
        for side in (-1, 1):
            ex = cx + side * 0.019 * u
            white, pupil = _shade((245, 245, 240), darken), _shade((35, 28, 24), darken)
            oval(ex - 0.0095 * u, ey - 0.006 * u, ex + 0.0095 * u, ey + 0.006 * u, white, in_mask=0)
            oval(ex - 0.0045 * u, ey - 0.0045 * u, ex + 0.0045 * u, ey + 0.0045 * u, pupil, in_mask=0)
            brow = [to_px(ex - 0.011 * u, ey - 0.013 * u), to_px(ex + 0.011 * u, ey - 0.015 * u)]
            rgb.line(brow, fill=_shade(hair, 0.8), width=max(1, int(0.004 * u * r)))
        rgb.line([to_px(cx, Y(0.075)), to_px(cx - 0.004 * u, Y(0.09)), to_px(cx + 0.003 * u, Y(0.092))],
                 fill=_shade(skin, 0.7), width=max(1, int(0.0025 * u * r)))
        (a, c), (bb, d) = to_px(cx - 0.014 * u, Y(0.095)), to_px(cx + 0.014 * u, Y(0.108))
        rgb.arc((a, c, bb, d), 20, 160, fill=_shade((150, 70, 70), darken), width=max(1, int(0.003 * u * r)))


# ---------------------------------------------------------------------------
# The scene: background painter and character painter, in world units.
# World units are pixels of the output frame at the base framing (zoom 1).
# ---------------------------------------------------------------------------


@dataclass
class _Scene:
    W: int
    H: int
    location: str
    look: Look
    horizon: float  # world y of the horizon (the floor line indoors)
    bg_scale: float
    overhead: bool
    blur_px: float  # background blur radius in world units
    seed: int
    figures: list[_Figure]
    plate: Image.Image | None  # location reference image

    # -- background ---------------------------------------------------------
    def paint_background(self, region: Rect, r: float) -> Image.Image:
        x0, y0, x1, y1 = region
        w, h = max(1, int(math.ceil((x1 - x0) * r))), max(1, int(math.ceil((y1 - y0) * r)))
        if self.plate is not None:
            img = self._paint_reference(region, r, w, h)
        else:
            img = self._paint_procedural(region, r, w, h)
        if self.look.weather == "fog":
            img = self._haze(img, region, r)
        if self.blur_px * r >= 0.6:
            img = img.filter(ImageFilter.GaussianBlur(self.blur_px * r))
        return img

    def _paint_reference(self, region: Rect, r: float, w: int, h: int) -> Image.Image:
        """The location image covers the base frame; beyond it, mirrored copies
        continue the world so long pans never run off the picture."""
        assert self.plate is not None
        src = self.plate
        scale = max(self.W / src.width, self.H / src.height)  # world units per source pixel
        img_w, img_h = src.width * scale, src.height * scale
        ox, oy = (self.W - img_w) / 2, (self.H - img_h) / 2
        mirrored = Image.new("RGB", (src.width * 2, src.height * 2))
        mirrored.paste(src, (0, 0))
        mirrored.paste(src.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (src.width, 0))
        mirrored.paste(src.transpose(Image.Transpose.FLIP_TOP_BOTTOM), (0, src.height))
        mirrored.paste(src.transpose(Image.Transpose.ROTATE_180), (src.width, src.height))
        arr = np.asarray(mirrored)
        x0, y0, _, _ = region
        sx0, sy0 = (x0 - ox) / scale, (y0 - oy) / scale
        sx1, sy1 = sx0 + w / r / scale, sy0 + h / r / scale
        ix0, iy0 = int(math.floor(sx0)) - 1, int(math.floor(sy0)) - 1
        ix1, iy1 = int(math.ceil(sx1)) + 2, int(math.ceil(sy1)) + 2
        # the 2x2 mirror tile repeats seamlessly, so any window of the world is a wrapped crop
        xi = np.mod(np.arange(ix0, ix1), 2 * src.width)
        yi = np.mod(np.arange(iy0, iy1), 2 * src.height)
        canvas = Image.fromarray(np.ascontiguousarray(arr[yi[:, None], xi[None, :]]))
        box = (sx0 - ix0, sy0 - iy0, sx1 - ix0, sy1 - iy0)
        return canvas.resize((w, h), Image.Resampling.BICUBIC, box=box)

    def _rows(self, y0: float, h: int, r: float, stops: list[tuple[float, Color]]) -> np.ndarray:
        ys = y0 + (np.arange(h) + 0.5) / r
        pos = np.array([s[0] for s in stops])
        cols = np.array([s[1] for s in stops], dtype=np.float64)
        return np.stack([np.interp(ys, pos, cols[:, c]) for c in range(3)], axis=1)

    def _sky_colors(self) -> tuple[Color, Color]:
        top, hor = _SKY[self.look.time_of_day]
        if self.look.weather in ("rain", "snow", "fog"):
            grey = _shade((168, 172, 178), 0.35 + 0.65 * _LIGHT[self.look.time_of_day])
            top, hor = _mix(top, grey, 0.75), _mix(hor, grey, 0.7)
        return top, hor

    def _ground_colors(self) -> tuple[Color, Color]:
        far, near = _GROUND[self.location]
        if self.look.weather == "snow" and self.location != "interior":
            far, near = (230, 234, 240), (212, 218, 228)
        light = _LIGHT[self.look.time_of_day]
        if self.location == "interior":
            light = max(0.55, light)  # rooms are lit
        return _shade(far, light), _shade(near, light)

    def _paint_procedural(self, region: Rect, r: float, w: int, h: int) -> Image.Image:
        x0, y0, x1, y1 = region
        H, s = self.H, self.bg_scale
        hy = self.horizon
        far, near = self._ground_colors()
        if self.overhead:
            rows = self._rows(y0, h, r, [(y0, far), (y1, far)])
        elif self.location == "interior":
            light = max(0.55, _LIGHT[self.look.time_of_day])
            wall_top, wall_low = _shade((196, 186, 170), light), _shade((214, 204, 186), light)
            stops = [(hy - 1.5 * H * s, wall_top), (hy - 0.001, wall_low), (hy, far), (hy + H * s, near)]
            rows = self._rows(y0, h, r, stops)
        else:
            top, hor = self._sky_colors()
            stops = [(hy - 1.2 * H * s, top), (hy - 0.001, hor), (hy, far), (hy + 1.2 * H * s, near)]
            rows = self._rows(y0, h, r, stops)
        arr = np.broadcast_to(rows[:, None, :], (h, w, 3)).round().astype(np.uint8)
        img = Image.fromarray(np.ascontiguousarray(arr))
        draw = ImageDraw.Draw(img)

        def to_px(x: float, y: float) -> tuple[float, float]:
            return (x - x0) * r, (y - y0) * r

        ctx = _Painter(self, draw, to_px, r, region)
        if self.overhead:
            ctx.overhead_ground()
        else:
            ctx.sky_objects()
            ctx.ground_detail()
            getattr(ctx, f"loc_{self.location}")()
        return img

    def _haze(self, img: Image.Image, region: Rect, r: float) -> Image.Image:
        """Fog thickens with distance, so it gathers at the horizon."""
        x0, y0, x1, y1 = region
        h = img.height
        ys = y0 + (np.arange(h) + 0.5) / r
        dist = np.abs(ys - self.horizon) / (0.35 * self.H * self.bg_scale)
        a = 0.12 + 0.5 * np.exp(-dist)
        if self.overhead:
            a = np.full_like(ys, 0.3)
        fog = np.array(_shade((200, 204, 210), 0.4 + 0.6 * _LIGHT[self.look.time_of_day]), dtype=np.float64)
        arr = np.asarray(img).astype(np.float32)
        arr = arr * (1 - a[:, None, None]) + fog[None, None, :] * a[:, None, None]
        return Image.fromarray(arr.round().astype(np.uint8))

    # -- characters ---------------------------------------------------------
    def paint_characters(self, region: Rect, r: float, swing: float = 0.0, with_background: Image.Image | None = None
                         ) -> tuple[Image.Image, Image.Image]:
        x0, y0, x1, y1 = region
        w, h = max(1, int(math.ceil((x1 - x0) * r))), max(1, int(math.ceil((y1 - y0) * r)))
        rgb = with_background if with_background is not None else Image.new("RGB", (w, h), (24, 22, 26))
        mask = Image.new("L", (w, h), 0)

        def to_px(x: float, y: float) -> tuple[float, float]:
            return (x - x0) * r, (y - y0) * r

        light = max(0.55, _LIGHT[self.look.time_of_day])
        darken = 0.16 if self.look.silhouette else light
        shadow = _shade(self._ground_colors()[0], 0.55)
        # back to front: the primary subject (first) is drawn last
        for fig in reversed(self.figures):
            bx0, by0, bx1, by1 = fig.bbox(self.overhead)
            if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
                continue
            if fig.cutout is not None:
                self._paste_cutout(rgb, mask, fig, region, r, darken)
                continue
            _draw_figure(ImageDraw.Draw(rgb), ImageDraw.Draw(mask), fig, to_px, r, swing, self.overhead, darken, shadow)
        return rgb, mask

    def _paste_cutout(self, rgb: Image.Image, mask: Image.Image, fig: _Figure, region: Rect, r: float,
                      darken: float) -> None:
        assert fig.cutout is not None
        x0, y0, _, _ = region
        bx0, by0, bx1, by1 = fig.bbox(False)
        dx0, dy0 = (bx0 - x0) * r, (by0 - y0) * r
        dx1, dy1 = (bx1 - x0) * r, (by1 - y0) * r
        ix0, iy0 = max(0, int(math.floor(dx0))), max(0, int(math.floor(dy0)))
        ix1, iy1 = min(rgb.width, int(math.ceil(dx1))), min(rgb.height, int(math.ceil(dy1)))
        if ix1 <= ix0 or iy1 <= iy0:
            return
        k = fig.cutout.width / (dx1 - dx0)
        box = ((ix0 - dx0) * k, (iy0 - dy0) * k, (ix1 - dx0) * k, (iy1 - dy0) * k)
        box = (max(0.0, box[0]), max(0.0, box[1]), min(fig.cutout.width, box[2]), min(fig.cutout.height, box[3]))
        part = fig.cutout.resize((ix1 - ix0, iy1 - iy0), Image.Resampling.BICUBIC, box=box)
        color = part.convert("RGB")
        if darken < 0.999:
            color = color.point(lambda v: int(v * darken))
        alpha = part.getchannel("A")
        rgb.paste(color, (ix0, iy0), alpha)
        mask.paste(ImageChops.lighter(mask.crop((ix0, iy0, ix1, iy1)), alpha), (ix0, iy0))


class _Painter:
    """Procedural stand-ins for a location. Props sit on a fixed world grid,
    so any region of the world, painted for any shot, shows the same street."""

    def __init__(self, scene: _Scene, draw: ImageDraw.ImageDraw, to_px: Callable, r: float, region: Rect):
        self.s, self.d, self.p, self.r, self.region = scene, draw, to_px, r, region
        self.light = _LIGHT[scene.look.time_of_day]
        self.night = scene.look.time_of_day in ("night", "dusk")
        self.unit = scene.H * scene.bg_scale  # size of things near the horizon

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None:
        (a, b), (c, d) = self.p(x0, y0), self.p(x1, y1)
        if c - a >= 0.5 and d - b >= 0.5:
            self.d.rectangle((a, b, c, d), fill=fill)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None:
        (a, b), (c, d) = self.p(x0, y0), self.p(x1, y1)
        self.d.ellipse((a, b, max(a + 0.5, c), max(b + 0.5, d)), fill=fill)

    def polygon(self, pts: list[tuple[float, float]], fill: Color) -> None:
        self.d.polygon([self.p(x, y) for x, y in pts], fill=fill)

    def cells(self, width: float, tag: str):
        x0, _, x1, _ = self.region
        for k in range(int(math.floor(x0 / width)) - 2, int(math.ceil(x1 / width)) + 2):
            yield k, k * width, _rng(self.s.seed, tag, k)

    def haze(self, c: Color, amount: float) -> Color:
        return _mix(c, self.s._sky_colors()[1], amount)

    # -- sky ------------------------------------------------------------------
    def sky_objects(self) -> None:
        s, u, hy = self.s, self.unit, self.s.horizon
        tod = s.look.time_of_day
        if s.location == "interior" or s.look.weather != "clear":
            return
        sun_x = s.W * 0.78
        if tod == "night":
            for k, cx, rng in self.cells(u * 0.25, "stars"):
                for _ in range(3):
                    x, y = cx + rng.random() * u * 0.25, hy - rng.random() * u * 1.4
                    rad = max(0.6 / self.r, u * 0.0015 * (0.5 + rng.random()))
                    self.ellipse(x - rad, y - rad, x + rad, y + rad, _shade((255, 250, 230), 0.6 + 0.4 * rng.random()))
            rad = u * 0.045
            my = hy - u * 0.62
            self.ellipse(sun_x - rad * 3, my - rad * 3, sun_x + rad * 3, my + rad * 3, (34, 44, 82))
            self.ellipse(sun_x - rad, my - rad, sun_x + rad, my + rad, (236, 236, 214))
        elif tod in ("golden_hour", "dawn", "dusk"):
            rad = u * 0.07
            y = hy - u * (0.1 if tod != "dusk" else 0.02)
            glow = _mix(_SKY[tod][1], (255, 240, 200), 0.35)
            self.ellipse(sun_x - rad * 2.6, y - rad * 2.6, sun_x + rad * 2.6, y + rad * 2.6, glow)
            disc = (255, 224, 150) if tod != "dusk" else (240, 120, 90)
            self.ellipse(sun_x - rad, y - rad, sun_x + rad, y + rad, disc)
        else:
            rad = u * 0.035
            y = hy - u * 0.75
            halo = _mix(_SKY[tod][0], (255, 255, 240), 0.35)
            self.ellipse(sun_x - rad * 2.2, y - rad * 2.2, sun_x + rad * 2.2, y + rad * 2.2, halo)
            self.ellipse(sun_x - rad, y - rad, sun_x + rad, y + rad, (255, 252, 228))

    def ground_lines(self, color: Color, spread: float, count: int, width: float) -> None:
        """Lines converging on a vanishing point at the horizon: the ground's depth."""
        s, hy = self.s, self.s.horizon
        _, y0, _, y1 = self.region
        if y1 <= hy:
            return
        vp = s.W / 2
        depth = max(y1 - hy, s.H) * 3
        for i in range(-count, count + 1):
            x_far = vp + i * spread * self.unit * 0.02
            x_near = vp + i * spread * self.unit * 3.0
            w = max(1, int(round(width * self.unit * self.r)))
            self.d.line([self.p(x_far, hy), self.p(x_near, hy + depth)], fill=color, width=w)

    def ground_detail(self) -> None:
        """Marks on the ground that shrink toward the horizon: they show the
        ground's perspective and make any camera move over it readable."""
        s, hy = self.s, self.s.horizon
        x0, y0, x1, y1 = self.region
        if y1 <= hy:
            return
        far, near = self.s._ground_colors()
        loc = s.location
        k = 0
        y = hy + self.unit * 0.012
        while y < y1 and k < 60:
            depth = y - hy
            nxt = y * 1.0 + depth * 0.3
            if nxt > y0:
                step = depth * 1.3
                size = depth * 0.09
                ground = _mix(far, near, min(1.0, depth / (1.2 * self.unit)))
                if size * self.r >= 0.7:
                    for i in range(int(math.floor(x0 / step)) - 1, int(math.ceil(x1 / step)) + 1):
                        rng = _rng(s.seed, "ground", k, i)
                        gx = (i + rng.random()) * step
                        gy = y + rng.random() * (nxt - y)
                        col = _shade(ground, 0.8 + 0.35 * rng.random())
                        if loc in ("city", "interior"):
                            self.rect(gx, gy, gx + size * 3, gy + max(size * 0.12, 0.6 / self.r), col)
                        elif loc in ("coast", "desert"):
                            ripple = max(size * 0.18, 0.6 / self.r)
                            self.rect(gx, gy, gx + size * 2.5, gy + ripple, _shade(ground, 1.12))
                        else:
                            tuft = _shade(ground, 0.75 + 0.2 * rng.random())
                            self.ellipse(gx, gy, gx + size * 1.4, gy + size * 0.55, tuft)
                if loc == "city":
                    self.rect(x0, y, x1, y + max(depth * 0.006, 0.5 / self.r), _shade(ground, 0.85))
            y = nxt
            k += 1

    # -- locations ------------------------------------------------------------
    def building_row(self, tag: str, cell: float, hmin: float, hmax: float, haze: float, base: float) -> None:
        s, u, hy = self.s, self.unit, self.s.horizon
        palette = [(150, 92, 76), (176, 168, 156), (120, 126, 138), (196, 178, 140), (98, 104, 112), (160, 132, 110)]
        lit = (255, 214, 130)
        for k, cx, rng in self.cells(cell, tag):
            if rng.random() < 0.12:
                continue
            bw = cell * (0.72 + 0.26 * rng.random())
            bh = u * (hmin + (hmax - hmin) * rng.random())
            bx = cx + (cell - bw) * rng.random()
            by = hy + base * u
            col = self.haze(_shade(palette[int(rng.integers(len(palette)))], self.light), haze)
            self.rect(bx, by - bh, bx + bw, by, col)
            self.rect(bx - bw * 0.02, by - bh - u * 0.01, bx + bw * 1.02, by - bh, _shade(col, 0.8))
            win = u * 0.028
            if win * self.r < 1.5:
                continue
            cols = max(1, int(bw / (win * 2.0)))
            rows = max(1, int(bh / (win * 2.4)))
            gx = bw / cols
            gy = bh / rows
            for i in range(cols):
                for j in range(rows - 1):
                    on = self.night and rng.random() < 0.45
                    wc = lit if on else self.haze(_shade((70, 88, 110), 0.5 + 0.5 * self.light), haze)
                    wx, wy = bx + i * gx + gx * 0.28, by - bh + j * gy + gy * 0.35
                    self.rect(wx, wy, wx + gx * 0.44, wy + gy * 0.42, wc)

    def tree(self, x: float, base: float, size: float, rng: np.random.Generator, haze: float) -> None:
        trunk = self.haze(_shade((86, 62, 42), self.light), haze)
        self.rect(x - size * 0.05, base - size * 0.45, x + size * 0.05, base, trunk)
        green = [(52, 104, 52), (70, 122, 58), (40, 86, 50), (92, 128, 62)][int(rng.integers(4))]
        if self.s.look.weather == "snow":
            green = _mix(green, (230, 235, 240), 0.45)
        col = self.haze(_shade(green, self.light), haze)
        for j in range(3):
            cx = x + size * (rng.random() - 0.5) * 0.35
            cy = base - size * (0.6 + 0.22 * j)
            rad = size * (0.32 - 0.06 * j)
            self.ellipse(cx - rad, cy - rad, cx + rad, cy + rad, _shade(col, 0.9 + 0.1 * j))

    def loc_city(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.building_row("far", u * 0.3, 0.35, 0.9, 0.45, 0.0)
        self.building_row("near", u * 0.42, 0.22, 0.6, 0.1, 0.035)
        self.rect(self.region[0], hy + u * 0.035, self.region[2], hy + u * 0.06, _shade((150, 150, 150), self.light))
        self.ground_lines(_shade((210, 205, 170), self.light), 2.2, 1, 0.004)
        self.ground_lines(_shade((105, 105, 110), self.light), 7.0, 1, 0.006)
        for k, cx, rng in self.cells(u * 0.9, "lamps"):
            x = cx + u * 0.45
            base = hy + u * 0.06
            self.rect(x - u * 0.006, base - u * 0.42, x + u * 0.006, base, _shade((50, 52, 56), self.light))
            glow = (255, 226, 160) if self.night else _shade((220, 220, 210), self.light)
            if self.night:
                halo = _mix(glow, self.s._sky_colors()[1], 0.6)
                self.ellipse(x - u * 0.05, base - u * 0.47, x + u * 0.05, base - u * 0.37, halo)
            self.ellipse(x - u * 0.016, base - u * 0.44, x + u * 0.016, base - u * 0.41, glow)

    def loc_forest(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.12, "far-trees"):
            self.tree(cx + rng.random() * u * 0.1, hy + u * 0.01, u * (0.25 + 0.15 * rng.random()), rng, 0.45)
        for k, cx, rng in self.cells(u * 0.3, "near-trees"):
            self.tree(cx + rng.random() * u * 0.2, hy + u * 0.06, u * (0.55 + 0.35 * rng.random()), rng, 0.08)
        self.ground_lines(_shade((70, 100, 55), self.light), 3.0, 2, 0.004)

    def loc_countryside(self) -> None:
        u, hy, x0, x1 = self.unit, self.s.horizon, self.region[0], self.region[2]
        xs = np.linspace(x0 - u, x1 + u, 160)
        rng = _rng(self.s.seed, "hills")
        ph = rng.random(3) * 6.28
        ys = hy - u * (0.06 + 0.04 * np.sin(xs / u * 2.1 + ph[0]) + 0.03 * np.sin(xs / u * 5.3 + ph[1]))
        col = self.haze(_shade((96, 136, 84) if self.s.look.weather != "snow" else (220, 226, 232), self.light), 0.35)
        self.polygon([(xs[0], hy + 1)] + list(zip(xs, ys)) + [(xs[-1], hy + 1)], col)
        for k, cx, rng in self.cells(u * 0.5, "farm-trees"):
            if rng.random() < 0.5:
                self.tree(cx + rng.random() * u * 0.4, hy + u * 0.02, u * (0.15 + 0.1 * rng.random()), rng, 0.25)
        for k, cx, rng in self.cells(u * 0.18, "fence"):
            self.rect(cx, hy + u * 0.12, cx + u * 0.012, hy + u * 0.2, _shade((110, 84, 60), self.light))
        x_a, x_b = self.region[0], self.region[2]
        self.rect(x_a, hy + u * 0.135, x_b, hy + u * 0.143, _shade((110, 84, 60), self.light))
        self.ground_lines(_shade((150, 150, 110), self.light), 1.4, 1, 0.005)

    def loc_desert(self) -> None:
        u, hy, x0, x1 = self.unit, self.s.horizon, self.region[0], self.region[2]
        xs = np.linspace(x0 - u, x1 + u, 160)
        for j, (amp, shade) in enumerate([(0.08, 0.85), (0.05, 0.95)]):
            rng = _rng(self.s.seed, "dunes", j)
            ph = rng.random(2) * 6.28
            wave = np.sin(xs / u * (1.3 + j) + ph[0]) * 0.6 + 0.3 * np.sin(xs / u * 3.7 + ph[1])
            ys = hy + u * 0.02 * j - u * amp * (1 + wave)
            sand = _shade((222, 186, 130), self.light * shade)
            self.polygon([(xs[0], hy + u)] + list(zip(xs, ys)) + [(xs[-1], hy + u)], sand)
        self.ground_lines(_shade((190, 156, 104), self.light), 2.5, 2, 0.003)

    def loc_mountain(self) -> None:
        u, hy = self.unit, self.s.horizon
        for j, (cell, hmax, haze) in enumerate([(u * 0.9, 0.75, 0.5), (u * 0.6, 0.45, 0.25)]):
            for k, cx, rng in self.cells(cell, f"peaks{j}"):
                peak_x = cx + cell * rng.random()
                ph = u * hmax * (0.5 + 0.5 * rng.random())
                col = self.haze(_shade((96, 104, 124), self.light), haze)
                self.polygon([(peak_x - cell * 0.9, hy + 1), (peak_x, hy - ph), (peak_x + cell * 0.9, hy + 1)], col)
                cap = (236, 240, 246)
                snow_line = hy - ph * 0.8
                snowcap = [(peak_x - cell * 0.18, snow_line), (peak_x, hy - ph), (peak_x + cell * 0.18, snow_line)]
                self.polygon(snowcap, _shade(cap, 0.5 + 0.5 * self.light))
        self.ground_lines(_shade((90, 110, 80), self.light), 2.0, 1, 0.004)

    def loc_coast(self) -> None:
        u, hy = self.unit, self.s.horizon
        x_a, x_b = self.region[0], self.region[2]
        sea_far, sea_near = _shade((64, 118, 168), self.light), _shade((40, 92, 140), self.light)
        band = u * 0.14
        steps = 12
        for i in range(steps):
            y_a, y_b = hy + band * i / steps, hy + band * (i + 1) / steps + 1 / self.r
            self.rect(x_a, y_a, x_b, y_b, _mix(sea_far, sea_near, i / steps))
        for k, cx, rng in self.cells(u * 0.2, "waves"):
            y = hy + band * (0.15 + 0.8 * rng.random())
            foam = _shade((220, 236, 246), 0.5 + 0.5 * self.light)
            self.rect(cx, y, cx + u * (0.04 + 0.08 * rng.random()), y + u * 0.004, foam)
        self.rect(x_a, hy + band, x_b, hy + band + u * 0.012, _shade((240, 240, 236), self.light))
        head_x = self.s.W * 0.1
        self.polygon([(head_x - u * 1.2, hy + 1), (head_x - u * 0.6, hy - u * 0.12), (head_x - u * 0.1, hy - u * 0.09),
                      (head_x + u * 0.2, hy + 1)], self.haze(_shade((70, 90, 76), self.light), 0.4))

    def loc_interior(self) -> None:
        s, u, hy = self.s, self.unit, self.s.horizon
        x_a, x_b = self.region[0], self.region[2]
        light = max(0.55, self.light)
        self.rect(x_a, hy - u * 0.04, x_b, hy, _shade((120, 100, 80), light))  # skirting board
        sky_top, sky_hor = _SKY[s.look.time_of_day]
        for k, cx, rng in self.cells(u * 0.85, "room"):
            kind = rng.random()
            if kind < 0.45:  # a window: the time of day, seen from inside
                wx, ww, wh = cx + u * 0.2, u * 0.42, u * 0.55
                wy = hy - u * 0.95
                steps = 8
                for i in range(steps):
                    y_a, y_b = wy + wh * i / steps, wy + wh * (i + 1) / steps + 1 / self.r
                    self.rect(wx, y_a, wx + ww, y_b, _mix(sky_top, sky_hor, i / steps))
                frame = _shade((236, 232, 222), light)
                t = u * 0.018
                self.rect(wx - t, wy - t, wx + ww + t, wy, frame)
                self.rect(wx - t, wy + wh, wx + ww + t, wy + wh + t * 1.5, frame)
                self.rect(wx - t, wy, wx, wy + wh, frame)
                self.rect(wx + ww, wy, wx + ww + t, wy + wh, frame)
                self.rect(wx + ww / 2 - t / 2, wy, wx + ww / 2 + t / 2, wy + wh, frame)
                self.rect(wx, wy + wh / 2 - t / 2, wx + ww, wy + wh / 2 + t / 2, frame)
            elif kind < 0.7:  # a door
                dx = cx + u * 0.25
                self.rect(dx - u * 0.02, hy - u * 0.82, dx + u * 0.32, hy, _shade((230, 226, 216), light))
                self.rect(dx, hy - u * 0.8, dx + u * 0.3, hy, _shade((120, 82, 52), light))
                self.ellipse(dx + u * 0.25, hy - u * 0.42, dx + u * 0.27, hy - u * 0.40, (210, 180, 90))
            else:  # a picture and a lamp
                px = cx + u * 0.2
                self.rect(px, hy - u * 0.85, px + u * 0.3, hy - u * 0.6, _shade((90, 70, 50), light))
                self.rect(px + u * 0.02, hy - u * 0.83, px + u * 0.28, hy - u * 0.62,
                          _shade([(80, 120, 150), (150, 110, 80), (90, 130, 90)][int(rng.integers(3))], light))
                if self.night:
                    lx = px + u * 0.55
                    pool = _mix((255, 220, 160), _shade((214, 204, 186), light), 0.55)
                    self.ellipse(lx - u * 0.16, hy - u * 0.62, lx + u * 0.16, hy - u * 0.3, pool)
                    self.rect(lx - u * 0.006, hy - u * 0.45, lx + u * 0.006, hy, (60, 50, 40))
                    shade_y0, shade_y1 = hy - u * 0.44, hy - u * 0.52
                    lampshade = [(lx - u * 0.05, shade_y0), (lx + u * 0.05, shade_y0), (lx + u * 0.03, shade_y1),
                                 (lx - u * 0.03, shade_y1)]
                    self.polygon(lampshade, (250, 226, 170))
        self.ground_lines(_shade((96, 66, 40), light), 1.2, 6, 0.003)

    def overhead_ground(self) -> None:
        s, u = self.s, self.s.H * self.s.bg_scale
        x0, y0, x1, y1 = self.region
        loc = s.location
        if loc == "city":
            for k, cx, rng in self.cells(u * 0.3, "dash"):
                lane = s.H * 0.5 + u * 0.55
                self.rect(cx, lane, cx + u * 0.15, lane + u * 0.02, _shade((220, 214, 170), self.light))
            self.rect(x0, s.H * 0.5 - u * 0.2, x1, s.H * 0.5 - u * 0.17, _shade((170, 170, 170), self.light))
            step = u * 0.22
            joint = _shade((100, 100, 104), self.light)
            kerb = s.H * 0.5 - u * 0.2
            for j in range(int(math.floor(y0 / step)), int(math.ceil(y1 / step)) + 1):
                if j * step < kerb:
                    self.rect(x0, j * step, x1, j * step + u * 0.004, joint)
            for k, cx, rng in self.cells(step, "paving"):
                self.rect(cx, y0, cx + u * 0.004, min(y1, kerb), joint)
        else:
            step = u * (0.12 if loc == "interior" else 0.25)
            col = _shade(_GROUND[loc][1], 0.8 * (max(0.55, self.light) if loc == "interior" else self.light))
            if loc == "interior":
                for k, cx, rng in self.cells(step, "boards"):
                    self.rect(cx, y0, cx + u * 0.004, y1, col)
        cell = u * 0.09
        base = self.s._ground_colors()[0]
        for j in range(int(math.floor(y0 / cell)), int(math.ceil(y1 / cell)) + 1):
            for i in range(int(math.floor(x0 / cell)), int(math.ceil(x1 / cell)) + 1):
                rng = _rng(s.seed, "top", i, j)
                if rng.random() < 0.5:
                    continue
                gx, gy = (i + rng.random()) * cell, (j + rng.random()) * cell
                size = cell * (0.15 + 0.25 * rng.random())
                self.ellipse(gx, gy, gx + size, gy + size * 0.6, _shade(base, 0.78 + 0.3 * rng.random()))
            if loc in ("forest", "countryside"):
                for k, cx, rng in self.cells(u * 0.5, "crowns"):
                    y = s.H * 0.5 + (rng.random() - 0.5) * u * 1.6
                    rad = u * (0.12 + 0.1 * rng.random())
                    self.ellipse(cx - rad, y - rad, cx + rad, y + rad, _shade((50, 100, 50), self.light))


# ---------------------------------------------------------------------------
# Plates and sprites: drawn once per clip, sampled once per frame.
# ---------------------------------------------------------------------------


class _Plate:
    """An RGB raster of a world region at `r` pixels per world unit.

    `softness` is how blurred the plate already is (world units): a plate that
    is soft on screen is sampled at half resolution, because its detail
    survives that and it halves the cost of the frame's largest step.
    """

    def __init__(self, image: Image.Image, x0: float, y0: float, r: float, softness: float = 0.0):
        self.image, self.x0, self.y0, self.r, self.softness = image, x0, y0, r, softness

    def _unscaled(self, bx: float, by: float, W: int, H: int) -> Image.Image:
        """1:1 sampling: a crop, plus a sub-pixel shift only along the axes that need one."""
        fx, fy = bx - math.floor(bx), by - math.floor(by)
        snap_x, snap_y = min(fx, 1 - fx) < 1e-4, min(fy, 1 - fy) < 1e-4
        ix = int(round(bx)) if snap_x else int(math.floor(bx))
        iy = int(round(by)) if snap_y else int(math.floor(by))
        pw, ph = self.image.size
        cw = W if snap_x else min(W + 1, pw - ix)
        ch = H if snap_y else min(H + 1, ph - iy)
        crop = self.image.crop((ix, iy, ix + cw, iy + ch))
        if snap_x and snap_y:
            return crop
        # Pillow skips the resampling pass of an axis whose box matches the image exactly
        box = (0.0 if snap_x else fx, 0.0 if snap_y else fy, W if snap_x else fx + W, H if snap_y else fy + H)
        return crop.resize((W, H), Image.Resampling.BILINEAR, box=box)

    def sample(self, ox: float, oy: float, z: float, size: tuple[int, int], blur: float = 0.0) -> Image.Image:
        W, H = size
        r = self.r
        bw, bh = W / z * r, H / z * r
        bx, by = (ox - self.x0) * r, (oy - self.y0) * r
        pw, ph = self.image.size
        # keep the box inside the plate by shifting, never by squashing
        bx = min(max(bx, 0.0), max(0.0, pw - bw))
        by = min(max(by, 0.0), max(0.0, ph - bh))
        box = (bx, by, min(pw, bx + bw), min(ph, by + bh))
        if blur <= 1.5 and abs(bw - W) < 1e-6 and abs(bh - H) < 1e-6 and bx + W <= pw and by + H <= ph:
            return self._unscaled(bx, by, W, H)
        if blur > 1.5:
            # a horizontal motion blur: averaging while shrinking, then stretching back
            small = max(8, int(round(W / blur)))
            smeared = self.image.resize((small, H), Image.Resampling.BILINEAR, box=box)
            return smeared.resize((W, H), Image.Resampling.BILINEAR)
        if self.softness * z >= 3.0:
            half = self.image.resize((W // 2, H // 2), Image.Resampling.BILINEAR, box=box)
            return half.resize((W, H), Image.Resampling.NEAREST)
        return self.image.resize((W, H), Image.Resampling.BILINEAR, box=box)


class _Sprite:
    """The subject layer: colour and matte per pose, placed in world units.

    Kept at up to two resolutions, so that a subject growing through a dolly
    is always scaled from the level nearest its size on screen (scaling down
    by a large factor costs more than the frame's other steps together).
    """

    def __init__(self, rgbs: list[Image.Image], masks: list[Image.Image], x0: float, y0: float, r: float,
                 zooms: np.ndarray):
        self.x0, self.y0 = x0, y0
        self.extent = (rgbs[0].width / r, rgbs[0].height / r)  # world units
        self.levels: list[tuple[float, list[Image.Image], list[Image.Image]]] = [(r, rgbs, masks)]
        zmin = float(zooms.min())
        if r / zmin > 1.15:
            f = max(zmin, r / 1.7) / r
            size = (max(1, int(round(rgbs[0].width * f))), max(1, int(round(rgbs[0].height * f))))
            small_rgbs = [im.resize(size, Image.Resampling.BOX) for im in rgbs]
            small_masks = [im.resize(size, Image.Resampling.BOX) for im in masks]
            self.levels.insert(0, (size[0] / self.extent[0], small_rgbs, small_masks))
        self.fixed_zoom = float(zooms[0]) if float(np.ptp(zooms)) < 1e-9 else None
        self.scaled: list[tuple[Image.Image, Image.Image]] = []
        if self.fixed_zoom is not None:
            # the subject never changes size: scale it once, then each frame is a plain paste
            size = (max(1, round(self.extent[0] * self.fixed_zoom)), max(1, round(self.extent[1] * self.fixed_zoom)))
            for rgb, mask in zip(rgbs, masks):
                if size != rgb.size:
                    rgb = rgb.resize(size, Image.Resampling.BILINEAR)
                    mask = mask.resize(size, Image.Resampling.BILINEAR)
                self.scaled.append((rgb, mask))

    def screen_rect(self, ox: float, oy: float, z: float, dx: float, dy: float) -> Rect:
        X0 = (self.x0 + dx - ox) * z
        Y0 = (self.y0 + dy - oy) * z
        return X0, Y0, X0 + self.extent[0] * z, Y0 + self.extent[1] * z

    def composite(self, frame: Image.Image, ox: float, oy: float, z: float, dx: float, dy: float, pose: int) -> None:
        W, H = frame.size
        X0, Y0, X1, Y1 = self.screen_rect(ox, oy, z, dx, dy)
        if self.scaled and abs(z - self.fixed_zoom) < 1e-9:  # type: ignore[operator]
            rgb, mask = self.scaled[pose]
            frame.paste(rgb, (int(round(X0)), int(round(Y0))), mask)
            return
        ix0, iy0 = max(0, int(math.floor(X0))), max(0, int(math.floor(Y0)))
        ix1, iy1 = min(W, int(math.ceil(X1))), min(H, int(math.ceil(Y1)))
        if ix1 <= ix0 or iy1 <= iy0:
            return
        # the smallest level that is not magnified by more than 10%
        r, rgbs, masks = next((lv for lv in self.levels if lv[0] >= z / 1.1), self.levels[-1])
        w, h = rgbs[pose].size
        k = r / z
        box = (max(0.0, (ix0 - X0) * k), max(0.0, (iy0 - Y0) * k), min(w, (ix1 - X0) * k), min(h, (iy1 - Y0) * k))
        size = (ix1 - ix0, iy1 - iy0)
        color = rgbs[pose].resize(size, Image.Resampling.BILINEAR, box=box)
        matte = masks[pose].resize(size, Image.Resampling.BILINEAR, box=box)
        frame.paste(color, (ix0, iy0), matte)


@dataclass
class _Cam:
    """Per-frame view of one layer: world point at the screen's top-left, and zoom."""

    ox: np.ndarray
    oy: np.ndarray
    z: np.ndarray

    def about(self, pivot: tuple[float, float], z: np.ndarray) -> None:
        """Zoom about a world point that keeps its place on screen."""
        self.z = z
        self.ox = pivot[0] - pivot[0] / z
        self.oy = pivot[1] - pivot[1] / z

    def region(self, W: int, H: int, margin: float = 2.0) -> Rect:
        x1 = self.ox + W / self.z
        y1 = self.oy + H / self.z
        return (float(self.ox.min()) - margin, float(self.oy.min()) - margin,
                float(x1.max()) + margin, float(y1.max()) + margin)


def _warp_matrix(angle: str, W: int, H: int, seed: int,
                 y_range: tuple[float, float]) -> tuple[np.ndarray | None, float]:
    """Camera-aligned -> scene coordinates for angles that bend the picture.

    Low angles make verticals converge upward, high angles downward (a
    keystone about the frame centre); dutch rolls the horizon. `y_range` is
    how far up and down the camera looks during the shot: the keystone is
    eased off where it would fold the picture over.
    """
    cx, cy = W / 2, H / 2
    if angle in ("high", "low"):
        reach = (cy - y_range[0]) if angle == "low" else (y_range[1] - cy)
        k = min(0.32, 0.65 / max(1e-6, reach / H))
        k = k if angle == "low" else -k
        h = k / H
        # x_s - cx = (u - cx) / D, y_s - cy = (v - cy) / D, D = 1 + h (v - cy)
        m = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]]) @ np.array([[1, 0, 0], [0, 1, 0], [0, h, 1]]) @ np.array(
            [[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
        return m, 0.0
    if angle == "dutch":
        roll = math.radians(13.0) * (1 if _seed(seed, "roll") % 2 else -1)
        c, s = math.cos(roll), math.sin(roll)
        m = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]]) @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]) @ np.array(
            [[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
        return m, math.degrees(roll)
    return None, 0.0


def _rasterize(region: Rect, r: float, warp: np.ndarray | None, paint: Callable[[Rect, float], list[Image.Image]]
               ) -> list[Image.Image]:
    """Paint `region` (camera-aligned world units) at `r` px/unit, through the warp."""
    if warp is None:
        return paint(region, r)
    x0, y0, x1, y1 = region
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)
    sx0, sy0, sx1, sy1 = _bbox(_homography_apply(warp, corners))
    pad = 2.0 / r
    scene_region = (sx0 - pad, sy0 - pad, sx1 + pad, sy1 + pad)
    images = paint(scene_region, r)
    w, h = max(1, int(math.ceil((x1 - x0) * r))), max(1, int(math.ceil((y1 - y0) * r)))
    pix_to_cam = np.array([[1 / r, 0, x0], [0, 1 / r, y0], [0, 0, 1]])
    scene_to_pix = np.array([[r, 0, -scene_region[0] * r], [0, r, -scene_region[1] * r], [0, 0, 1]])
    m = scene_to_pix @ warp @ pix_to_cam
    m = m / m[2, 2]
    coeffs = tuple(float(v) for v in m.flatten()[:8])
    return [img.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC) for img in images]


# ---------------------------------------------------------------------------
# Screen-space overlays.
# ---------------------------------------------------------------------------


def _wrap(text: str, font: Any, width: float, max_lines: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + " …") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return lines


def _static_overlay(shot: Shot, W: int, H: int, look: Look, pov: bool, caption: bool,
                    slate: bool) -> Image.Image | None:
    """Vignette, caption band and slate folded into one RGBA image: a single
    alpha paste per frame applies all three."""
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    d = np.sqrt(((xx + 0.5) / W - 0.5) ** 2 * 4 + ((yy + 0.5) / H - 0.5) ** 2 * 4)  # 0 centre, ~1.41 corners
    strength = min(0.9, look.vignette + (0.25 if pov else 0.0))
    inner = 0.55 if pov else 0.7
    alpha = strength * _smooth((d - inner) / (1.45 - inner))
    premult = np.zeros((H, W, 3), dtype=np.float32)

    def over(color: Color, a: np.ndarray, box: tuple[int, int, int, int]) -> None:
        x0, y0, x1, y1 = box
        sub_a = alpha[y0:y1, x0:x1]
        c = np.asarray(color, dtype=np.float32)
        premult[y0:y1, x0:x1] = c * a[..., None] + premult[y0:y1, x0:x1] * (1 - a[..., None])
        alpha[y0:y1, x0:x1] = a + sub_a * (1 - a)

    def text_mask(lines: list[str], font: Any, size: tuple[int, int], centre: bool, pad: int, gap: float) -> np.ndarray:
        img = Image.new("L", size, 0)
        draw = ImageDraw.Draw(img)
        y = pad
        for line in lines:
            w = font.getlength(line)
            x = (size[0] - w) / 2 if centre else pad
            draw.text((x, y), line, fill=255, font=font)
            y += gap
        return np.asarray(img, dtype=np.float32) / 255.0

    if caption and shot.action.strip():
        fs = max(9, int(round(H * 0.04)))
        font = _font(fs)
        lines = _wrap(shot.action.strip(), font, W * 0.9, 2)
        gap = fs * 1.25
        band_h = min(H // 2, int(round(len(lines) * gap + fs * 0.7)))
        box = (0, H - band_h, W, H)
        over((0, 0, 0), np.full((band_h, W), 0.55, dtype=np.float32), box)
        over((250, 250, 246), text_mask(lines, font, (W, band_h), True, int(fs * 0.3), gap), box)
    if slate:
        fs = max(8, int(round(H * 0.026)))
        font = _font(fs)
        words = [shot.id, shot.shot_size, shot.movement, shot.angle, shot.lens]
        label = "  ".join(w.replace("_", " ").upper() if i in (1, 2, 3) else w for i, w in enumerate(words))
        pad = max(2, fs // 3)
        sw = min(W, int(font.getlength(label) + pad * 2) + 1)
        sh = min(H, int(fs * 1.35 + pad))
        m = max(2, int(H * 0.02))
        box = (m, m, min(W, m + sw), min(H, m + sh))
        bw, bh = box[2] - box[0], box[3] - box[1]
        over((0, 0, 0), np.full((bh, bw), 0.6, dtype=np.float32), box)
        over((255, 214, 110), text_mask([label], font, (bw, bh), False, pad, 0), box)
    if float(alpha.max()) < 1e-3:
        return None
    safe = np.maximum(alpha, 1e-6)[..., None]
    rgb = np.clip(premult / safe, 0, 255)
    rgba = np.concatenate([rgb, alpha[..., None] * 255], axis=2).round().astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def _shoulder(W: int, H: int, color: Color, hair: Color, side: int) -> tuple[Image.Image, tuple[int, int]]:
    """An out-of-focus shoulder and the back of a head, in a bottom corner."""
    w, h = int(W * 0.46), int(H * 0.8)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    body = (*_shade(color, 0.22), 255)
    head = (*_shade(hair, 0.35), 255)
    draw.ellipse((-w * 0.5, h * 0.48, w * 1.05, h * 1.7), fill=body)
    draw.ellipse((w * 0.0, h * 0.1, w * 0.5, h * 0.8), fill=head)
    img = img.filter(ImageFilter.GaussianBlur(max(1.0, H * 0.02)))
    if side > 0:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        return img, (W - w + int(W * 0.02), H - h + int(H * 0.08))
    return img, (-int(W * 0.02), H - h + int(H * 0.08))


def _wrap_copies(x: float, y: float, w: float, h: float, W: int, H: int) -> list[tuple[int, int]]:
    """Offsets at which a mark near the tile's edge must be drawn again so the tile repeats seamlessly."""
    xs = [0] + ([W] if x - w < 0 else []) + ([-W] if x + w > W else [])
    ys = [0] + ([H] if y - h < 0 else []) + ([-H] if y + h > H else [])
    return [(ox, oy) for ox in xs for oy in ys]


class _Weather:
    """Animated rain, snow or fog: a periodic tile shifted per frame."""

    def __init__(self, look: Look, W: int, H: int, n: int, fps: int, seed: int, lut: list[int]):
        self.kind = look.weather
        self.W, self.H = W, H
        rng = _rng(seed, "weather")
        t = np.arange(n) / fps
        light = 0.45 + 0.55 * _LIGHT[look.time_of_day]
        self.tile: Image.Image | None = None
        self.offsets: list[tuple[int, int]] = []
        if self.kind == "rain":
            tile = Image.new("RGB", (W, H))
            draw = ImageDraw.Draw(tile)
            slant = 0.18 * (1 if rng.random() < 0.5 else -1)
            # streaks are at least a pixel wide, so small frames need more of them for the same coverage
            count = int(W * H / 5000 * max(1.0, 720 / H))
            for _ in range(count):
                x, y = rng.random() * W, rng.random() * H
                length = H * (0.04 + 0.06 * rng.random())
                v = int((50 + 80 * rng.random()) * light)
                width = max(1, int(round(H / 720 * (1 + (rng.random() < 0.2)))))
                for ox, oy in _wrap_copies(x, y, abs(slant) * length + width, length + width, W, H):
                    streak = [(x + ox, y + oy), (x + ox + slant * length, y + oy + length)]
                    draw.line(streak, fill=(v, v, v + 8), width=width)
            self.tile = self._double(tile.filter(ImageFilter.GaussianBlur(max(0.4, H / 1400))))
            # fresh streaks every frame: rain moves too fast to follow a drop
            self.offsets = [(int(rng.integers(W)), int(rng.integers(H))) for _ in range(n)]
        elif self.kind == "snow":
            tile = Image.new("RGB", (W, H))
            draw = ImageDraw.Draw(tile)
            for _ in range(int(W * H / 2500)):
                x, y = rng.random() * W, rng.random() * H
                rad = max(0.7, H * (0.0015 + 0.004 * rng.random() ** 2))
                v = int((150 + 100 * rng.random()) * light)
                for ox, oy in _wrap_copies(x - rad, y - rad, 2 * rad, 2 * rad, W, H):
                    draw.ellipse((x + ox - rad, y + oy - rad, x + ox + rad, y + oy + rad), fill=(v, v, v))
            self.tile = self._double(tile.filter(ImageFilter.GaussianBlur(max(0.5, H / 900))))
            fall = 0.16 * H * t
            sway = 0.03 * W * np.sin(2 * np.pi * 0.25 * t + rng.random() * 6.28)
            self.offsets = [(int(round(-sx)) % W, int(round(-fy)) % H) for sx, fy in zip(sway, fall)]
        elif self.kind == "fog":
            yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
            acc = np.zeros((H, W), dtype=np.float32)
            for k in range(1, 6):
                ph, tilt = rng.random() * 6.28, (rng.random() - 0.5) * 4
                acc += np.cos(2 * np.pi * k * xx / W + ph + tilt * yy / H * k) / k
            acc = (acc - acc.min()) / max(1e-6, float(acc.max() - acc.min()))
            vertical = 0.5 + 0.5 * (yy / H)
            # the plate already carries the haze; this only adds light wisps that drift
            a = (0.03 + 0.2 * acc) * vertical
            fog = _grade_color(_shade((206, 210, 216), 0.4 + 0.6 * _LIGHT[look.time_of_day]), look, lut)
            wisps = (a[..., None] * np.asarray(fog, np.float32)[None, None, :]).round().astype(np.uint8)
            self.tile = self._double(Image.fromarray(wisps, "RGB"))
            drift = 0.05 * W * t
            self.offsets = [(int(round(d)) % W, 0) for d in drift]

    @staticmethod
    def _double(tile: Image.Image) -> Image.Image:
        # a 2x2 copy of a periodic tile lets any W x H window be one crop
        big = Image.new(tile.mode, (tile.width * 2, tile.height * 2))
        for x in (0, tile.width):
            for y in (0, tile.height):
                big.paste(tile, (x, y))
        return big

    def apply(self, frame: Image.Image, i: int) -> Image.Image:
        if not self.offsets:
            return frame
        x, y = self.offsets[i]
        box = (x, y, x + self.W, y + self.H)
        assert self.tile is not None
        return ImageChops.add(frame, self.tile.crop(box))


# ---------------------------------------------------------------------------
# Camera paths and events.
# ---------------------------------------------------------------------------


@dataclass
class _Event:
    t: float
    kind: str
    description: str


def _action_events(shot: Shot, duration: float, start: float, end: float) -> list[_Event]:
    text = shot.action.casefold()
    if not text.strip():
        return []
    found: dict[str, _Event] = {}
    has_door = bool(re.search(r"\bdoors?\b", text))
    for pattern, kind, desc in _ACTION_SOUNDS:
        m = re.search(rf"\b(?:{pattern})\b", text)
        if not m:
            continue
        if kind == "impact" and m.group(0).startswith("slam") and has_door:
            kind, desc = "door_slam", "a door slams"
        if kind == "door" and "door_slam" in found:
            continue
        frac = m.start() / max(1, len(text))
        t = start + frac * max(0.0, end - start)
        key = kind if kind != "impact" else f"impact:{m.group(0)}"
        if kind not in found and key not in found:
            found[key] = _Event(t, kind, f"{desc} ({m.group(0)!r} in the action)")
    return sorted(found.values(), key=lambda e: e.t)[:8]


@dataclass
class _Motion:
    subject: _Cam
    background: _Cam | None  # None: characters are baked into the background
    blur: np.ndarray  # horizontal motion blur, px
    sprite_dx: np.ndarray
    sprite_dy: np.ndarray
    pose: np.ndarray
    flash: np.ndarray  # 0..1 lightning brightness
    events: list[_Event]


def _plan_motion(shot: Shot, look: Look, n: int, fps: int, W: int, H: int, pivot: tuple[float, float],
                 direction: int, figure_half_width: float, feet_visible: bool) -> _Motion:
    t = np.arange(n, dtype=np.float64) / fps
    dur = n / fps
    span = max(1, n - 1) / fps
    u = t / span if n > 1 else np.zeros(n)
    e = _smooth(u)
    one = np.ones(n)
    move = shot.movement
    rng = _rng(shot.id, "motion")
    subj = _Cam(np.zeros(n), np.zeros(n), one.copy())
    bg: _Cam | None = _Cam(np.zeros(n), np.zeros(n), one.copy()) if move in _TWO_LAYER else None
    blur = np.zeros(n)
    sdx, sdy, pose = np.zeros(n), np.zeros(n), np.zeros(n, dtype=np.int64)
    words = [w.replace("_", " ") for w in (shot.shot_size, move, shot.angle)]
    events: list[_Event] = [_Event(0.0, "shot_start", f"first frame: {words[0]} shot, {words[1]}, {words[2]} angle")]
    last = (n - 1) / fps
    action_window = (0.2 * dur, 0.85 * dur)
    down = bool(re.search(r"\b(down|downward\w*|descend\w*|lower\w*)\b", shot.action.casefold()))
    vdir = -1 if down else 1

    def move_events(what: str) -> None:
        events.append(_Event(0.0, "camera_move_start", f"{what} begins"))
        events.append(_Event(_snap(last, fps), "camera_move_end", f"{what} settles"))

    if move == "pan":
        subj.ox = (-0.25 + 0.5 * e) * W * direction
        move_events(f"pan {'right' if direction > 0 else 'left'}")
    elif move == "tilt":
        subj.oy = (0.22 - 0.44 * e) * H * vdir
        move_events("tilt down" if down else "tilt up")
    elif move == "zoom_in":
        subj.about(pivot, 1 + 0.5 * e)
        move_events("zoom in")
    elif move == "zoom_out":
        subj.about(pivot, 1.5 - 0.5 * e)
        move_events("zoom out")
    elif move in ("dolly_in", "dolly_out"):
        z = 1 + 0.45 * e if move == "dolly_in" else 1.45 - 0.45 * e
        subj.about(pivot, z)
        assert bg is not None
        bg.about(pivot, 1 + (z - 1) * 0.25)
        move_events(move.replace("_", " "))
    elif move == "truck":
        subj.ox = (-0.2 + 0.4 * e) * W * direction
        assert bg is not None
        bg.ox = subj.ox * 0.3
        move_events(f"truck {'right' if direction > 0 else 'left'}")
    elif move == "pedestal":
        subj.oy = (0.14 - 0.28 * e) * H * vdir
        assert bg is not None
        bg.oy = subj.oy * 0.3
        move_events("pedestal down" if down else "pedestal up")
    elif move == "crane":
        c = 1 - e if down else e  # a crane down is the crane up played backwards
        subj.about(pivot, 1.18 - 0.22 * c)
        subj.oy = subj.oy + (0.05 - 0.1 * c) * H
        assert bg is not None
        # rising while tilting down to hold the subject: the horizon climbs the frame
        bg.about(pivot, 1.04 - 0.04 * c)
        bg.oy = bg.oy + (-0.2 + 0.45 * c) * H
        move_events("crane down" if down else "crane up")
    elif move == "arc":
        subj.about(pivot, 1 + 0.05 * np.sin(np.pi * e))
        subj.ox = subj.ox + 0.04 * W * np.sin(np.pi * (e - 0.5)) * direction
        assert bg is not None
        bg.ox = (-0.32 + 0.64 * e) * W * direction
        move_events(f"arc {'right' if direction > 0 else 'left'} around the subject")
    elif move == "dolly_zoom":
        assert bg is not None
        bg.about(pivot, 1 + 0.65 * e)
        move_events("dolly zoom (background stretches, subject holds)")
    elif move == "handheld":
        for arr, amp in ((subj.ox, 0.007 * W), (subj.oy, 0.008 * H)):
            for k in range(3):
                f = 0.4 + 2.2 * rng.random()
                arr += amp / (k + 1) * np.sin(2 * np.pi * f * t + rng.random() * 6.28)
        for k in range(1 if dur < 3 else 2):
            tj = dur * (0.3 + 0.45 * rng.random()) if k == 0 else dur * (0.55 + 0.3 * rng.random())
            _add_jolt(subj, None, t, tj, 0.022 * H)
            events.append(_Event(_snap(tj, fps), "camera_jolt", "handheld jolt"))
        # a shaky camera on whole pixels looks the same, and each frame becomes a crop
        subj.ox, subj.oy = np.round(subj.ox), np.round(subj.oy)
    elif move == "whip_pan":
        t1 = dur * 0.35
        length = min(0.5, max(0.25, dur * 0.15))
        t2 = min(last, t1 + length)
        dist = 2.4 * W * direction
        w = _smooth((t - t1) / max(1e-6, t2 - t1))
        subj.ox = dist * w
        speed = np.abs(np.gradient(subj.ox)) if n > 1 else np.zeros(n)
        blur = speed * 0.5
        events.append(_Event(_snap(t1, fps), "whip_pan_start", "whip pan starts (whoosh)"))
        events.append(_Event(_snap(t2, fps), "whip_pan_end", "whip pan lands on the new subject"))
        action_window = (min(last, t2 + 0.1 * dur), max(min(last, t2 + 0.1 * dur), 0.9 * dur))
    elif move == "tracking":
        assert bg is not None
        start_x = -(pivot[0] + figure_half_width + 0.08 * W)  # subject starts just off the left edge
        dist = 0.4 * W + figure_half_width + 0.08 * W
        speed = dist / (0.35 * dur)
        sdx = start_x + speed * t
        ramp = _smooth((t - 0.25 * dur) / (0.2 * dur))
        cam_x = np.concatenate([[0.0], np.cumsum(speed * ramp[:-1] / fps)]) if n > 1 else np.zeros(n)
        subj.ox = cam_x
        bg.ox = cam_x * 0.6
        runs = bool(re.search(r"\b(runs?|running|ran|sprint\w*|races?|dash\w*|flees?)\b", shot.action.casefold()))
        steps = (2.6 if runs else 1.8) * t
        if feet_visible:
            pose = (np.floor(steps * 4).astype(np.int64)) % 4
        sdy = -np.abs(np.sin(np.pi * steps * 2)) * 0.006 * H
        edge = sdx + pivot[0] + figure_half_width - subj.ox
        inside = np.nonzero(edge >= 0)[0]
        t_in = float(inside[0] / fps) if len(inside) else 0.0
        events.append(_Event(_snap(t_in, fps), "subject_enters", "the subject enters frame left"))
        steps_what = "running footsteps" if runs else "footsteps as the subject walks"
        events.append(_Event(_snap(t_in, fps), "footsteps", steps_what))
        events.append(_Event(_snap(0.25 * dur, fps), "camera_move_start", "camera starts tracking the subject"))
        action_window = (max(t_in + 0.15 * dur, 0.3 * dur), 0.9 * dur)

    if shot.angle == "point_of_view":
        bob_y = np.round(0.008 * H * np.sin(2 * np.pi * 1.7 * t))
        bob_x = np.round(0.005 * W * np.sin(2 * np.pi * 0.85 * t))
        for cam in (subj, bg):
            if cam is not None:
                cam.ox = cam.ox + bob_x / cam.z
                cam.oy = cam.oy + bob_y / cam.z

    flash = np.zeros(n)
    acts = _action_events(shot, dur, *action_window)
    if move == "tracking":
        acts = [a for a in acts if a.kind != "footsteps"]
    for ev in acts:
        ev.t = _snap(ev.t, fps)
        if ev.kind in _JOLTS:
            _add_jolt(subj, bg, t, ev.t, _JOLTS[ev.kind] * H)
        if ev.kind == "thunder":
            _add_flash(flash, t, ev.t)
            events.append(_Event(ev.t, "lightning", "lightning flash"))
            ev.t = _snap(min(last, ev.t + 0.35), fps)
    if look.storm and not any(a.kind == "thunder" for a in acts):
        tf = _snap(0.6 * dur, fps)
        _add_flash(flash, t, tf)
        events.append(_Event(tf, "lightning", "lightning flash"))
        events.append(_Event(_snap(min(last, tf + 0.35), fps), "thunder", "thunder after the flash"))
    events.extend(acts)
    events.sort(key=lambda ev: ev.t)  # stable: at equal times the shot's first frame stays first
    return _Motion(subj, bg, blur, sdx, sdy, pose, flash, events)


def _snap(t: float, fps: int) -> float:
    return round(round(t * fps) / fps, 3)


def _add_jolt(subj: _Cam, bg: _Cam | None, t: np.ndarray, at: float, amp: float) -> None:
    dt = np.maximum(t - at, 0.0)
    hit = np.where(t >= at, amp * np.exp(-dt / 0.12) * np.sin(2 * np.pi * 9 * dt + 1.2), 0.0)
    # a jolt is a shake: whole pixels read the same and let a held shot settle back exactly
    hit = np.round(hit)
    for cam in (subj, bg):
        if cam is not None:
            cam.oy = cam.oy + hit / cam.z
            cam.ox = cam.ox + np.round(0.4 * hit) / cam.z


def _add_flash(flash: np.ndarray, t: np.ndarray, at: float) -> None:
    dt = t - at
    pulse = np.where(dt >= 0, np.exp(-np.maximum(dt, 0) / 0.07), 0.0)
    second = np.where(dt >= 0.12, 0.7 * np.exp(-np.maximum(dt - 0.12, 0) / 0.06), 0.0)
    np.maximum(flash, np.clip(pulse + second, 0, 1), out=flash)


# ---------------------------------------------------------------------------
# The clip: build once, then render frames.
# ---------------------------------------------------------------------------


_PLATE_PIXELS = 14_000_000  # beyond this a plate is drawn at a lower resolution


def _plate_resolution(region: Rect, zmax: float, cap: float) -> float:
    r = min(max(zmax, 0.25), cap)
    area = (region[2] - region[0]) * (region[3] - region[1])
    if area * r * r > _PLATE_PIXELS:
        r = math.sqrt(_PLATE_PIXELS / area)
    return r


_TRANSLATIONS = {"pan", "tilt", "truck", "pedestal", "tracking", "whip_pan", "arc"}


def _roll_path(m: _Motion, theta: float) -> None:
    c, s = math.cos(theta), math.sin(theta)
    for cam in (m.subject, m.background):
        if cam is None:
            continue
        dx, dy = cam.ox - cam.ox[0], cam.oy - cam.oy[0]
        cam.ox, cam.oy = cam.ox[0] + c * dx + s * dy, cam.oy[0] - s * dx + c * dy
    dx, dy = m.sprite_dx, m.sprite_dy
    m.sprite_dx, m.sprite_dy = c * dx + s * dy, -s * dx + c * dy


class _Clip:
    """Everything one clip needs, precomputed; `frame(i)` is cheap and thread-safe."""

    def __init__(self, shot: Shot, references: Sequence[ReferenceImage], n: int, fps: int, size: tuple[int, int],
                 look: Look, caption: bool, slate: bool):
        W, H = size
        self.W, self.H, self.n, self.fps = W, H, n, fps
        self.look = look
        framing = _FRAMING[shot.shot_size]
        seed = _seed(shot.block_id)  # one place per block: every shot of it sees the same street
        overhead = shot.angle == "overhead"

        location_ref = next((ref for ref in references if ref.kind == "location"), None)
        plate_img = None
        if location_ref is not None:
            try:
                with Image.open(location_ref.path) as src:
                    plate_img = src.convert("RGB")
            except (OSError, ValueError) as exc:
                raise InputError(f"location reference {location_ref.name!r} ({location_ref.path}) "
                                 f"is not a readable image: {exc}") from None
            # a camera never magnifies the plate more than ~1.7x: a big photo is shrunk first
            cover = max(W / plate_img.width, H / plate_img.height)
            if cover * 1.7 < 1:
                f = cover * 1.7
                plate_img = plate_img.resize((max(1, round(plate_img.width * f)), max(1, round(plate_img.height * f))),
                                             Image.Resampling.LANCZOS)
        words = [shot.action, shot.lighting, shot.composition, location_ref.name if location_ref else ""]
        location = _pick_location(" ".join(words).casefold())

        # -- composition: who stands where -------------------------------------
        comp = shot.composition.casefold()
        side = 1 if _seed(shot.id, "side") % 2 else -1
        if re.search(r"\bleft\b", comp):
            side = -1
        elif re.search(r"\bright\b", comp):
            side = 1
        offset = 0.0 if re.search(r"cent(er|re)|symmetr|middle", comp) else framing.offset
        fig_h = framing.figure * H
        eye = framing.eye * H
        horizon = eye
        if shot.angle == "high":
            horizon, eye, fig_h = eye - 0.45 * H, eye + 0.04 * H, fig_h * 0.94
        elif shot.angle == "low":
            # the camera sits below the eyes: the horizon crosses the subject near the knees
            horizon, eye, fig_h = eye + min(0.38 * H, 0.7 * fig_h), eye - 0.05 * H, fig_h * 1.06
        if overhead:
            eye = 0.5 * H
            fig_h *= 1.4  # seen from above a person is only shoulders and a head
        elif location == "interior":
            horizon += 0.25 * H * framing.background  # the floor line sits below the eye line
        subject_x = W * (0.5 + side * offset)

        names = list(shot.characters)
        shoulder_owner: str | None = None
        self.character_sources: list[dict[str, str]] = []
        if shot.angle == "over_the_shoulder" and len(names) >= 2:
            # the second character is the one we look past: a shoulder, not a figure
            shoulder_owner = names.pop(1)
            self.character_sources.append({"name": shoulder_owner, "source": "foreground shoulder"})
        direction = 1 if _seed(shot.id, "direction") % 2 else -1
        if re.search(r"\bleft\b", shot.action.casefold()):
            direction = -1
        elif re.search(r"\bright\b", shot.action.casefold()):
            direction = 1
        figures: list[_Figure] = []
        for idx, name in enumerate(names):
            ref = next((r for r in references if r.kind == "character" and _names_match(r.name, name)), None)
            pal = _palette(name)
            scale = 1.0 if idx == 0 else 0.95 * pal.stature / _palette(names[0]).stature
            x = subject_x
            if idx > 0:
                slot = (idx + 1) // 2 * (1 if idx % 2 else -1) * (-side if side else 1)
                x = subject_x + slot * 0.36 * fig_h
                if shot.movement == "whip_pan" and idx == 1:
                    x = subject_x + 2.4 * W * direction  # the whip lands on them
            fig = _Figure(name=name, x=x, eye=eye, height=fig_h * scale, palette=pal)
            if ref is not None:
                ch = framing.cutout * H * scale * (fig_h / (framing.figure * H))
                cut = _load_cutout(ref.path, max_height=int(ch * 1.7) + 2)
                fig.cutout, fig.cutout_height = cut, ch
                if shot.shot_size in _WIDE_FAMILY:
                    feet = eye + 0.935 * fig_h * scale
                    fig.cutout_top = feet - ch
                else:
                    fig.cutout_top = eye - 0.3 * ch
                if overhead:
                    fig.cutout_top = eye - ch / 2
            figures.append(fig)
            self.character_sources.append({"name": name, "source": "reference" if ref is not None else "procedural",
                                           **({"reference": ref.name} if ref is not None else {})})

        if figures:
            f0 = figures[0]
            if shot.shot_size in _WIDE_FAMILY and not overhead:
                pivot = (f0.x, f0.eye + 0.4 * f0.height)
            else:
                pivot = (f0.x, f0.eye)
            # how far the group reaches ahead of its leader: a tracked group enters leading edge first
            half_w = max(f.bbox(overhead)[2] for f in figures if abs(f.x - f0.x) < 2 * W) - f0.x
        else:
            pivot = (W / 2, H / 2)
            half_w = 0.1 * W

        lens = _lens_mm(shot.lens)
        blur = framing.focus * H * min(2.5, max(0.5, lens / 35.0))
        self.scene = _Scene(W=W, H=H, location=location, look=look, horizon=horizon, bg_scale=framing.background,
                            overhead=overhead, blur_px=blur, seed=seed, figures=figures, plate=plate_img)
        self.location = location

        # -- motion --------------------------------------------------------------
        feet_visible = bool(figures) and (figures[0].eye - 0.065 * fig_h + fig_h) < H * 1.05
        self.motion = _plan_motion(shot, look, n, fps, W, H, pivot, direction, half_w, feet_visible)
        m = self.motion
        regions = [c.region(W, H) for c in (m.subject, m.background) if c is not None]
        y_range = (min(r[1] for r in regions), max(r[3] for r in regions))
        self.warp, self.roll = _warp_matrix(shot.angle, W, H, _seed(shot.id), y_range)
        if self.roll and shot.movement in _TRANSLATIONS:
            # a rolled camera pans along the world's horizon, not the frame's
            _roll_path(m, math.radians(self.roll))

        lut = _grade_lut(look)
        self.lut = lut
        two_layer = m.background is not None and bool(figures)
        bg_cam = m.background if m.background is not None else m.subject
        bg_region = bg_cam.region(W, H)
        zmax_bg = float(bg_cam.z.max())
        # a defocused background needs no more pixels than it shows
        bg_cap = 0.75 if blur >= 4 else 1.25

        if two_layer:
            r_bg = _plate_resolution(bg_region, zmax_bg, bg_cap)
            (bg_img,) = _rasterize(bg_region, r_bg, self.warp, lambda reg, r: [self.scene.paint_background(reg, r)])
            self.bg = _Plate(_grade(bg_img, look, lut), bg_region[0], bg_region[1], r_bg, softness=blur)
            self.sprite = self._build_sprite(m, feet_visible)
        else:
            # without characters the scene itself is the subject: it takes the full move,
            # except in a dolly zoom, where only the background moves
            cam = m.background if (m.background is not None and shot.movement == "dolly_zoom") else m.subject
            m.subject = cam
            bg_region = cam.region(W, H)
            r_bg = _plate_resolution(bg_region, float(cam.z.max()), 1.25 if figures else bg_cap)

            def paint(reg: Rect, r: float) -> list[Image.Image]:
                img = self.scene.paint_background(reg, r)
                if figures:
                    img, _ = self.scene.paint_characters(reg, r, with_background=img)
                return [img]

            (img,) = _rasterize(bg_region, r_bg, self.warp, paint)
            self.bg = _Plate(_grade(img, look, lut), bg_region[0], bg_region[1], r_bg)
            self.sprite = None
        self.bg_cam = bg_cam if two_layer else m.subject

        # -- overlays ------------------------------------------------------------
        self.overlay = _static_overlay(shot, W, H, look, shot.angle == "point_of_view", caption, slate)
        # indoors the rain stays outside: it shows in the grade, not falling through the room
        outside = look if location != "interior" else replace(look, weather="clear")
        self.weather = _Weather(outside, W, H, n, fps, _seed(shot.id), lut)
        self.shoulder: tuple[Image.Image, tuple[int, int]] | None = None
        self.shoulder_shift = np.zeros(n)
        if shot.angle == "over_the_shoulder":
            pal = _palette(shoulder_owner) if shoulder_owner else _Palette((60, 60, 70), (40, 40, 40), (200, 160, 130),
                                                                            (40, 30, 25), False, 1.0, 1.0)
            clothes, hair = _grade_color(pal.clothes, look, lut), _grade_color(pal.hair, look, lut)
            self.shoulder = _shoulder(W, H, clothes, hair, -side)
            # the foreground sits nearer than the subject, so it slides further
            s = m.subject
            screen_x = (pivot[0] - s.ox) * s.z
            self.shoulder_shift = np.clip(1.6 * (screen_x - screen_x[0]), -0.3 * W, 0.3 * W)
        self.flash_luts: dict[int, list[int]] = {}
        self._lock = threading.Lock()
        self._pictures: dict[tuple, Image.Image] = {}
        self._last_bytes: tuple[tuple, bytes] | None = None
        self.camera = {"size": shot.shot_size, "movement": shot.movement, "angle": shot.angle, "lens": shot.lens}
        self.layers = 2 if two_layer else 1

    def _build_sprite(self, m: _Motion, feet_visible: bool) -> _Sprite:
        W, H = self.W, self.H
        scene = self.scene
        overhead = scene.overhead
        s = m.subject
        views = s.region(W, H)
        boxes = [f.bbox(overhead) for f in scene.figures]
        fx0, fy0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        fx1, fy1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        pad = 0.01 * H
        if m.sprite_dx.any() or m.sprite_dy.any():
            # a walking subject: keep its whole width, it will cross the frame
            region = (fx0 - pad, max(fy0, views[1] - 0.02 * H) - pad, fx1 + pad, min(fy1, views[3] + 0.02 * H) + pad)
        else:
            region = (max(fx0, views[0]) - pad, max(fy0, views[1]) - pad,
                      min(fx1, views[2]) + pad, min(fy1, views[3]) + pad)
        if region[2] <= region[0] or region[3] <= region[1]:
            region = (fx0, fy0, fx0 + 1, fy0 + 1)
        if self.warp is not None:
            inv = np.linalg.inv(self.warp)
            x0, y0, x1, y1 = region
            region = _bbox(_homography_apply(inv, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])))
        r = _plate_resolution(region, float(s.z.max()), 1.25)
        swings = [0.0, 0.06, 0.0, -0.06] if int(m.pose.max()) > 0 else [0.0]
        rgbs, masks = [], []
        for swing in swings:
            rgb, mask = _rasterize(region, r, self.warp,
                                   lambda reg, rr, sw=swing: list(scene.paint_characters(reg, rr, sw)))
            rgbs.append(_grade(rgb, self.look, self.lut))
            masks.append(mask)
        return _Sprite(rgbs, masks, region[0], region[1], r, s.z)

    def _keys(self, i: int) -> tuple[tuple, tuple]:
        m, cam, s = self.motion, self.bg_cam, self.motion.subject
        def q(v: Any, digits: int = 4) -> float:
            return round(float(v), digits)

        subject = None
        if self.sprite is not None:
            subject = (q(s.ox[i]), q(s.oy[i]), q(s.z[i], 7), q(m.sprite_dx[i]), q(m.sprite_dy[i]), int(m.pose[i]))
        shoulder = int(round(self.shoulder_shift[i]))
        picture = (q(cam.ox[i]), q(cam.oy[i]), q(cam.z[i], 7), q(m.blur[i], 3), subject, shoulder)
        weather = self.weather.offsets[i] if self.weather.offsets else None
        return picture, (weather, int(round(float(m.flash[i]) * 8)))

    def _picture(self, i: int, key: tuple) -> Image.Image:
        """Background, subject and foreground at frame i; held shots reuse it."""
        with self._lock:
            cached = self._pictures.get(key)
        if cached is not None:
            return cached.copy()
        m = self.motion
        cam = self.bg_cam
        img = self.bg.sample(cam.ox[i], cam.oy[i], cam.z[i], (self.W, self.H), float(m.blur[i]))
        if self.sprite is not None:
            s = m.subject
            self.sprite.composite(img, s.ox[i], s.oy[i], s.z[i], m.sprite_dx[i], m.sprite_dy[i], int(m.pose[i]))
        if self.shoulder is not None:
            layer, (x, y) = self.shoulder
            img.paste(layer, (x + int(round(self.shoulder_shift[i])), y), layer)
        with self._lock:
            if len(self._pictures) >= 4:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[key] = img.copy()
        return img

    def frame(self, i: int) -> Image.Image:
        picture_key, (_, level) = self._keys(i)
        img = self._picture(i, picture_key)
        img = self.weather.apply(img, i)
        if level:
            img = img.point(self._flash_lut(level))
        if self.overlay is not None:
            img.paste(self.overlay, (0, 0), self.overlay)
        return img

    def frame_bytes(self, i: int) -> bytes:
        """Raw RGB of frame i; a frame identical to an earlier one is not redrawn."""
        key = self._keys(i)
        with self._lock:
            if self._last_bytes is not None and self._last_bytes[0] == key:
                return self._last_bytes[1]
        data = self.frame(i).tobytes()
        with self._lock:
            self._last_bytes = (key, data)
        return data

    def _flash_lut(self, level: int) -> list[int]:
        lut = self.flash_luts.get(level)
        if lut is None:
            g = level / 8
            x = np.arange(256)
            lut = np.clip(x * (1 + 0.9 * g) + 70 * g, 0, 255).astype(int).tolist() * 3
            self.flash_luts[level] = lut
        return lut


def _pick_location(words: str) -> str:
    best, best_count = "city", 0
    for kind, pattern in _LOCATION_WORDS.items():
        count = len(re.findall(rf"\b(?:{pattern})\b", words))
        if count > best_count:
            best, best_count = kind, count
    return best


# ---------------------------------------------------------------------------
# Encoding.
# ---------------------------------------------------------------------------


class _Cancelled(FilmcrewError):
    """The caller gave up on the clip (a timeout or a cancelled task)."""


def _container(path: Path) -> str:
    return {".mov": "mov", ".mkv": "matroska", ".m4v": "mp4"}.get(path.suffix.lower(), "mp4")


def _encode(clip: _Clip, tmp: Path, final: Path, preset: str, crf: int, workers: int,
            cancel: threading.Event | None) -> None:
    """Render the frames on `workers` threads, in order, into ffmpeg's stdin.

    Frames are rendered a few ahead of the one being written, so drawing and
    encoding overlap; ffmpeg is killed if anything goes wrong on our side.
    """
    W, H, n, fps = clip.W, clip.H, clip.n, clip.fps
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(fps), "-i", "-",
        "-an", "-vf", "scale=out_color_matrix=bt709:out_range=tv",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-movflags", "+faststart", "-fflags", "+bitexact", "-f", _container(final), str(tmp),
    ]
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        except OSError as exc:
            raise FilmcrewError(f"cannot start ffmpeg for the previz clip: {exc}") from exc
        ok = False
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="previz") as pool:
                pending: deque = deque()
                next_i = 0
                for _ in range(n):
                    while next_i < n and len(pending) < workers * 2:
                        pending.append(pool.submit(clip.frame_bytes, next_i))
                        next_i += 1
                    if cancel is not None and cancel.is_set():
                        for fut in pending:
                            fut.cancel()
                        raise _Cancelled("previz render cancelled")
                    data = pending.popleft().result()
                    try:
                        assert proc.stdin is not None
                        proc.stdin.write(data)
                    except (BrokenPipeError, OSError):
                        for fut in pending:
                            fut.cancel()
                        break
            assert proc.stdin is not None
            try:
                proc.stdin.close()
            except OSError:
                pass
            rc = proc.wait()
            if rc != 0:
                log.seek(0)
                tail = "\n".join(log.read().decode(errors="replace").strip().splitlines()[-12:])
                raise FilmcrewError(
                    f"ffmpeg failed ({rc}) while encoding the previz clip {final.name}: {tail or 'no output'}"
                )
            ok = True
        finally:
            if not ok and proc.poll() is None:
                proc.kill()
                proc.wait()


def _count_packets(path: Path) -> int:
    """Frames in the file without decoding them: one H.264 packet per frame."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy",
                           "-f", "null", "-"], capture_output=True, text=True)
    found = re.findall(r"frame=\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise FilmcrewError(f"the previz clip {path} cannot be read back: {proc.stderr.strip()[-300:]}")
    return int(found[-1])


def _check_request(duration: float, resolution: tuple[int, int], fps: int) -> tuple[int, int, int]:
    try:
        W, H = (int(v) for v in resolution)
    except (TypeError, ValueError):
        raise ValueError(f"resolution must be (width, height), got {resolution!r}") from None
    if W < 16 or H < 16 or W % 2 or H % 2:
        raise ValueError(f"resolution must be even and at least 16x16 for H.264 yuv420p, got {W}x{H}")
    if not isinstance(fps, int) or fps <= 0 or fps > 120:
        raise ValueError(f"fps must be a whole number in 1..120, got {fps!r}")
    if not duration > 0:
        raise ValueError(f"duration must be positive, got {duration!r}")
    return W, H, max(1, int(round(duration * fps)))


def render_previz(
    shot: Shot,
    references: Sequence[ReferenceImage],
    duration: float,
    resolution: tuple[int, int],
    out_path: str | Path,
    *,
    fps: int = 24,
    look: dict[str, Any] | None = None,
    preset: str = "veryfast",
    crf: int = 23,
    workers: int | None = None,
    caption: bool = True,
    slate: bool = True,
    cancel: threading.Event | None = None,
) -> ClipAsset:
    """Render `shot` into an H.264 clip of exactly round(duration * fps) frames.

    Blocking (CPU and ffmpeg); `PrevizRenderer.generate` runs it in a thread.
    `out_path` appears only when the clip is complete. Setting `cancel` stops
    the render at the next frame and leaves nothing behind.
    """
    W, H, n = _check_request(duration, resolution, fps)
    out = Path(out_path)
    resolved = resolve_look(shot, look)
    clip = _Clip(shot, references, n, fps, (W, H), resolved, caption, slate)
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    with atomic_path(out) as tmp:
        _encode(clip, tmp, out, preset, crf, workers, cancel)
        frames = _count_packets(tmp)
        if frames != n:
            raise FilmcrewError(f"previz clip {out.name} has {frames} frames, expected {n}")
    events = [{"t": ev.t, "kind": ev.kind, "description": ev.description} for ev in clip.motion.events]
    return ClipAsset(
        shot_id=shot.id,
        block_id=shot.block_id,
        path=str(out),
        duration=n / fps,
        frames=n,
        fps=fps,
        width=W,
        height=H,
        provider=PrevizRenderer.name,
        input_hash=clip_input_hash(PrevizRenderer.name, shot, references, duration, (W, H), fps, look),
        metadata={
            "camera": clip.camera,
            "events": events,
            "look": resolved.as_dict(),
            "location": clip.location,
            "characters": clip.character_sources,
            "layers": clip.layers,
            "dutch_roll_degrees": round(clip.roll, 2),
            "renderer": f"previz/{PREVIZ_VERSION}",
        },
    )


class PrevizRenderer(ClipGenerator):
    """Offline animatic renderer: the clip-generation seam's default provider.

    `preset`/`crf` are libx264's; `workers` is how many frames render at once
    (default: up to 4, one per core); `caption` and `slate` switch the burnt-in
    text off for clean plates.
    """

    name = "previz"

    def __init__(self, *, preset: str = "veryfast", crf: int = 23, workers: int | None = None,
                 caption: bool = True, slate: bool = True):
        self.preset, self.crf, self.workers = preset, crf, workers
        self.caption, self.slate = caption, slate

    async def generate(
        self,
        shot: Shot,
        references: Sequence[ReferenceImage],
        duration: float,
        resolution: tuple[int, int],
        out_path: Path,
        *,
        fps: int = 24,
        look: dict[str, Any] | None = None,
    ) -> ClipAsset:
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(
                render_previz, shot, references, duration, resolution, out_path, fps=fps, look=look,
                preset=self.preset, crf=self.crf, workers=self.workers, caption=self.caption, slate=self.slate,
                cancel=cancel,
            )
        except asyncio.CancelledError:
            # the worker thread cannot be interrupted; tell it to stop at its next frame
            cancel.set()
            raise

    def describe(self) -> str:
        return "previz (offline animatic renderer)"
