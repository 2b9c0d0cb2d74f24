"""Animated effects over the picture: fire and smoke, flood water, sparks, dust.

Like the weather, each effect is drawn once per clip as a few frames or a
periodic tile and then only cycled or shifted per frame, so a burning
building costs an alpha paste per frame, not a redraw. Neon is static (it is
painted into the background plate); lightning is the camera's flash; snow
and rain are the weather's.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .common import _rng
from .look import _LIGHT, Look

# Effects this module animates; the others are drawn elsewhere (see the module docstring).
ANIMATED = ("fire", "smoke", "flood", "sparks", "dust")


class _Effects:
    def __init__(self, kinds: list[str], look: Look, W: int, H: int, n: int, fps: int, seed: int,
                 waterline: float | None = None):
        self.W, self.H, self.n = W, H, n
        self.layers: list[tuple[str, list[Image.Image], int, list[int]]] = []  # (mode, frames, top, frame index per i)
        self.tiles: list[tuple[Image.Image, list[tuple[int, int]]]] = []
        self.drawn: list[str] = []
        t = np.arange(n) / fps
        light = 0.5 + 0.5 * _LIGHT[look.time_of_day]
        rng = _rng(seed, "effects")
        if "smoke" in kinds or "fire" in kinds:
            frames, top = self._smoke(rng, light, heavy="smoke" in kinds)
            step = max(1, fps // 6)
            self.layers.append(("alpha", frames, top, [(i // step) % len(frames) for i in range(n)]))
            self.drawn.append("smoke")
        if "fire" in kinds:
            frames, top = self._fire(rng)
            step = max(1, fps // 10)  # flames flicker about ten times a second
            self.layers.append(("alpha", frames, top, [(i // step) % len(frames) for i in range(n)]))
            self.drawn.append("fire")
        if "flood" in kinds or waterline is not None:
            # a boat needs water to sit in: the same surface, from its waterline down
            top_y = int(round(min(max(waterline, 0.3 * H), 0.95 * H))) if waterline is not None else None
            frames, top = self._flood(rng, light, top_y)
            step = max(1, fps // 4)
            self.layers.append(("alpha", frames, top, [(i // step) % len(frames) for i in range(n)]))
            self.drawn.append("flood" if "flood" in kinds else "water")
        if "sparks" in kinds:
            tile = self._specks(rng, (255, 190, 90), count=int(W * H / 9000), streak=0.03, size=0.003)
            self.tiles.append((tile, [(int(rng.integers(W)), int(rng.integers(H))) for _ in range(n)]))
            self.drawn.append("sparks")
        if "dust" in kinds:
            # a warm haze hanging in the air, and motes drifting through it
            frames, top = self._smoke(rng, light, heavy=False, color=(196, 168, 126), strength=90, top_fade=True)
            step = max(1, fps // 3)
            self.layers.append(("alpha", frames, top, [(i // step) % len(frames) for i in range(n)]))
            tile = self._specks(rng, (110, 85, 50), count=int(W * H / 3000), streak=0.0, size=0.0025)
            drift_x, drift_y = 0.04 * W * t, 0.02 * H * np.sin(t)
            self.tiles.append((tile, [(int(round(x)) % W, int(round(y)) % H) for x, y in zip(drift_x, drift_y)]))
            self.drawn.append("dust")

    # -- drawing, once per clip -------------------------------------------------------
    def _fire(self, rng: np.random.Generator) -> tuple[list[Image.Image], int]:
        W, H = self.W, self.H
        h = int(H * 0.42)
        base_x = [rng.random() * W for _ in range(max(6, W // 60))]
        frames = []
        for k in range(6):
            img = Image.new("RGBA", (W, h), (0, 0, 0, 0))
            d = ImageDraw.Draw(img)
            glow = Image.new("RGBA", (W, h), (0, 0, 0, 0))
            ImageDraw.Draw(glow).rectangle((0, int(h * 0.55), W, h), fill=(255, 110, 20, 110))
            img.alpha_composite(glow.filter(ImageFilter.GaussianBlur(h * 0.18)))
            for j, x in enumerate(base_x):
                r = _rng(self.W, j, k)
                tongue = h * (0.45 + 0.5 * r.random())
                width = W / len(base_x) * (0.8 + 0.6 * r.random())
                sway = width * 0.3 * (r.random() - 0.5)
                for layer, (col, f) in enumerate((((220, 60, 20), 1.0), ((255, 150, 30), 0.7), ((255, 230, 120), 0.4))):
                    tw, th = width * f, tongue * f
                    pts = [(x - tw / 2, h), (x - tw * 0.3 + sway * 0.5, h - th * 0.6), (x + sway, h - th),
                           (x + tw * 0.3 + sway * 0.5, h - th * 0.55), (x + tw / 2, h)]
                    d.polygon(pts, fill=(*col, 235))
            frames.append(img.filter(ImageFilter.GaussianBlur(max(1.0, H / 260))))
        return frames, self.H - h

    def _smoke(self, rng: np.random.Generator, light: float, heavy: bool,
               color: tuple[int, int, int] = (70, 70, 74), strength: int = 150,
               top_fade: bool = False) -> tuple[list[Image.Image], int]:
        W, H = self.W, self.H
        h = int(H * 0.7)
        tint = tuple(int(c * light) for c in color)
        frames = []
        puffs = [(rng.random() * W, rng.random() * h, (0.06 + 0.1 * rng.random()) * H) for _ in range(26)]
        for k in range(6):
            img = Image.new("RGBA", (W, h), (0, 0, 0, 0))
            d = ImageDraw.Draw(img)
            for j, (x, y, rad) in enumerate(puffs):
                yy = (y - k * h / 12) % h  # smoke rises
                a = int((strength if heavy else strength * 0.6) * (0.4 + 0.6 * (1 - yy / h)))
                d.ellipse((x - rad * 1.6, yy - rad, x + rad * 1.6, yy + rad), fill=(*tint, a))
            img = img.filter(ImageFilter.GaussianBlur(H * 0.03))
            frames.append(img)
        if top_fade:
            # a haze that hangs low: it thins out upward instead of ending in an edge
            ramp = np.clip(np.linspace(0.0, 1.6, h), 0.0, 1.0)[:, None]
            for k, img in enumerate(frames):
                alpha = (np.asarray(img.getchannel("A"), np.float32) * ramp).astype(np.uint8)
                img.putalpha(Image.fromarray(alpha, "L"))
        return frames, (H - h if top_fade else 0)

    def _flood(self, rng: np.random.Generator, light: float, top: int | None = None) -> tuple[list[Image.Image], int]:
        W, H = self.W, self.H
        h = int(H * 0.3) if top is None else H - top
        water = (int(40 * light), int(96 * light), int(130 * light))
        frames = []
        for k in range(4):
            img = Image.new("RGBA", (W, h), (*water, 200))
            d = ImageDraw.Draw(img)
            for j in range(60):
                r = _rng(self.W, "ripple", j)
                y = h * (0.02 + 0.96 * r.random() ** 1.5)
                x = (r.random() * W + k * W * 0.01 * (1 + y / h * 3)) % W
                w = W * (0.02 + 0.06 * r.random()) * (0.5 + y / h)
                c = tuple(min(255, int(v * 1.8 + 40)) for v in water)
                d.rectangle((x, y, x + w, y + max(1, H / 360)), fill=(*c, 220))
            d.rectangle((0, 0, W, max(1, H // 180)), fill=(220, 236, 246, 230))  # the waterline
            frames.append(img)
        return frames, H - h

    def _specks(self, rng: np.random.Generator, color: tuple[int, int, int], count: int, streak: float,
                size: float) -> Image.Image:
        W, H = self.W, self.H
        tile = Image.new("RGB", (W, H))
        d = ImageDraw.Draw(tile)
        for _ in range(count):
            x, y = rng.random() * W, rng.random() * H
            rad = max(0.8, H * size * (0.5 + rng.random()))
            k = 0.5 + 0.5 * rng.random()
            c = tuple(int(v * k) for v in color)
            if streak:
                length = H * streak * rng.random()
                d.line([(x, y), (x + length * 0.3, y + length)], fill=c, width=max(1, int(rad)))
            else:
                d.ellipse((x - rad, y - rad, x + rad, y + rad), fill=c)
        big = Image.new("RGB", (W * 2, H * 2))
        for ox in (0, W):
            for oy in (0, H):
                big.paste(tile, (ox, oy))
        return big

    # -- per frame ------------------------------------------------------------------------
    def apply(self, img: Image.Image, i: int) -> Image.Image:
        for _, frames, top, index in self.layers:
            frame = frames[index[i]]
            img.paste(frame, (0, top), frame)
        for tile, offsets in self.tiles:
            x, y = offsets[i]
            img = ImageChops.add(img, tile.crop((x, y, x + self.W, y + self.H)))
        return img

    @property
    def active(self) -> bool:
        return bool(self.layers or self.tiles)

    def key(self, i: int) -> tuple:
        """What differs between frames: two frames with the same key look the same."""
        return (tuple(index[i] for _, _, _, index in self.layers), tuple(off[i] for _, off in self.tiles))
