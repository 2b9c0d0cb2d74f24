"""The look of a clip: time of day, weather and grade.

`resolve_look` combines the words of a shot with a `look` dict from another
role (e.g. a colorist) into a `Look`; the grading helpers turn a `Look` into
the lookup table every plate and overlay colour is passed through.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageEnhance

from filmcrew.memory.models import TIMES_OF_DAY, Shot

from .common import Color

# What each time of day looks like on screen: sky colours (top, horizon) and how
# bright the world is; the painters and the weather read them too.
_SKY: dict[str, tuple[Color, Color]] = {
    "dawn": ((62, 78, 140), (250, 178, 150)),
    "morning": ((96, 150, 222), (206, 226, 245)),
    "day": ((60, 122, 212), (182, 214, 245)),
    "afternoon": ((80, 136, 210), (222, 220, 212)),
    "golden_hour": ((84, 100, 165), (255, 176, 88)),
    "dusk": ((34, 36, 88), (214, 112, 104)),
    "night": ((14, 22, 54), (44, 60, 108)),
}
# Rooms are lit: never darker than this, however late it is outside.
_ROOM_LIGHT = 0.6
_LIGHT = {
    "dawn": 0.8, "morning": 0.95, "day": 1.0, "afternoon": 0.95, "golden_hour": 0.85, "dusk": 0.66, "night": 0.5,
}

# (temperature, exposure, saturation, contrast) that a time of day implies.
_TOD_GRADE = {
    "dawn": (0.1, -0.1, 0.9, 0.95),
    "morning": (0.05, 0.08, 1.0, 1.0),
    "day": (0.0, 0.15, 1.0, 1.0),
    "afternoon": (0.1, 0.08, 1.05, 1.0),
    "golden_hour": (0.45, -0.05, 1.15, 1.05),
    "dusk": (-0.2, -0.05, 0.9, 1.05),
    "night": (-0.4, 0.0, 0.8, 1.05),
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
