"""Characters: procedural stand-in people and reference cut-outs.

A character without a reference image is drawn from a palette derived from
their name, so the same person looks the same in every shot; a character
image is loaded as a cut-out, with a matte when it is a plain photo.
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from filmcrew.errors import InputError

from .common import Color, Rect, _shade

_SKIN: list[Color] = [(241, 206, 180), (224, 172, 135), (198, 140, 100), (160, 108, 72), (120, 78, 52), (88, 58, 40)]
# Grey hair is not among the chances: it says "old", and only the script may say that (`_dressed`).
_HAIR: list[Color] = [(24, 20, 18), (60, 40, 26), (110, 72, 40), (200, 160, 90), (150, 62, 30)]


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


def _dressed(pal: _Palette, note: object) -> _Palette:
    """The palette as the script describes the person: clothing colour, age (a child
    is small, the old are grey) and gender (a hint only: long hair or short)."""
    from dataclasses import replace

    age, gender, clothes, garment = (getattr(note, k, None) for k in ("age", "gender", "clothes", "garment"))
    changes: dict = {}
    if clothes is not None:
        changes["clothes"] = clothes
    if garment == "spacesuit":
        changes["clothes"], changes["trousers"] = (232, 234, 238), (214, 216, 222)
    elif garment in ("dress", "gown") and clothes is not None:
        changes["trousers"] = _shade(clothes, 0.85)
    if age == "child":
        changes["stature"] = 0.62
    elif age == "teen":
        changes["stature"] = 0.92
    elif age == "old":
        changes["hair"] = (196, 196, 200)
    if gender is None and garment in ("dress", "gown", "skirt", "blouse"):
        gender = "female"  # a hint, as the script gives it
    if gender == "female":
        changes["long_hair"] = True
    elif gender == "male":
        changes["long_hair"] = False
    return replace(pal, **changes) if changes else pal


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
    arms: str = "down"  # down, forward (holding, giving, embracing), up (climbing)
    facing: int = 1  # which way the forward arms reach: 1 screen right, -1 left

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
    a = 0.4 * swing / b  # arms swing against the legs (a fraction of the height, like the rest)
    for side in (-1, 1):
        if fig.arms == "up":  # reaching up: a climb, a cheer
            hx, hy = side * 0.15 + side * a, -0.06
        elif fig.arms == "forward" and side == fig.facing:
            hx, hy = side * 0.27, 0.33  # the hand that holds or gives, reaching out
        elif fig.arms == "forward":
            hx, hy = side * 0.2, 0.42
        else:
            hx, hy = side * 0.147 + side * a, 0.5
        shoulder = [(X(side * 0.12), Y(0.19)), (X(side * 0.16), Y(0.2))]
        hand = [(X(hx + side * 0.022), Y(hy - 0.02)), (X(hx - side * 0.022), Y(hy - 0.02))]
        poly(shoulder + hand, sleeve, edge)
        oval(X(hx - 0.025), Y(hy - 0.03), X(hx + 0.025), Y(hy + 0.03), skin)
    torso = [(X(-0.135), Y(0.19)), (X(0.135), Y(0.19)), (X(0.1), Y(0.47)), (X(0.108), Y(0.54)), (X(-0.108), Y(0.54)),
             (X(-0.1), Y(0.47))]
    poly(torso, clothes, edge)
    oval(X(-0.14), Y(0.165), X(0.14), Y(0.235), clothes)
    neck = [(cx - 0.024 * u, Y(0.1)), (cx + 0.024 * u, Y(0.1)), (cx + 0.026 * u, Y(0.19)), (cx - 0.026 * u, Y(0.19))]
    poly(neck, _shade(skin, 0.88))
    # hair behind the head shows at the temples; the fringe on top leaves a forehead
    oval(cx - 0.058 * u, Y(-0.014), cx + 0.058 * u, Y(0.095), hair)
    oval(cx - 0.05 * u, Y(0.0), cx + 0.05 * u, Y(0.13), skin, _shade(skin, 0.6))
    (a, c), (bb, d) = to_px(cx - 0.053 * u, Y(-0.012)), to_px(cx + 0.053 * u, Y(0.066))
    cap = (min(a, bb), min(c, d), max(a, bb), max(c, d))  # a falling figure's points come rotated
    rgb.chord(cap, 180, 360, fill=hair)
    mask.chord(cap, 180, 360, fill=255)
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
        rgb.arc((min(a, bb), min(c, d), max(a, bb), max(c, d)), 20, 160, fill=_shade((150, 70, 70), darken), width=max(1, int(0.003 * u * r)))
