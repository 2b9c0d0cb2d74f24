"""Screen-space overlays: vignette, caption, slate, a foreground shoulder, weather.

These are drawn in frame pixels rather than world units: they do not move
with the camera (the shoulder only slides a little, the weather is animated).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from filmcrew.memory.models import Shot

from .common import Color, _rng, _shade, _smooth
from .look import _LIGHT, Look, _grade_color


def _unicode_font_file() -> str | None:
    """DejaVu Sans as shipped inside matplotlib (a declared dependency), found without
    importing matplotlib. Pillow's built-in font has no accented or non-Latin letters, so
    captions of a Spanish or Russian script ("Tomás", "Лиза") would show boxes."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("matplotlib")
    for root in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(root) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.is_file():
            return str(path)
    return None


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = _unicode_font_file()
    if path is not None:
        try:
            return ImageFont.truetype(path, size=size)
        except OSError:
            pass
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):  # Pillow < 10.1 or no FreeType: fixed bitmap font
        return ImageFont.load_default()


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
        y: float = pad
        for line in lines:
            w = font.getlength(line)
            x: float = (size[0] - w) / 2 if centre else pad
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

    def __init__(self, look: Look, W: int, H: int, n: int, fps: int, seed: int, lut: list[int],
                 heavy: bool = False):
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
            # a blizzard: three times the flakes, driven sideways by the wind
            for _ in range(int(W * H / (800 if heavy else 2500))):
                x, y = rng.random() * W, rng.random() * H
                rad = max(0.7, H * (0.0015 + 0.004 * rng.random() ** 2))
                v = int((150 + 100 * rng.random()) * light)
                for ox, oy in _wrap_copies(x - rad, y - rad, 2 * rad, 2 * rad, W, H):
                    draw.ellipse((x + ox - rad, y + oy - rad, x + ox + rad, y + oy + rad), fill=(v, v, v))
            self.tile = self._double(tile.filter(ImageFilter.GaussianBlur(max(0.5, H / 900))))
            fall = (0.45 if heavy else 0.16) * H * t
            sway = 0.03 * W * np.sin(2 * np.pi * 0.25 * t + rng.random() * 6.28)
            if heavy:
                sway = sway + 0.5 * W * t
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
