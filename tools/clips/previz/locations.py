"""Procedural base painters: sky or walls, ground, and what every place of a kind has.

`_Painter` draws a setting's base (a street, a room, a coast, the sea, a snow
plain, the moon, space) into any region of the world; its `_Dresser` half
adds the set pieces that make the base one particular setting.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from .common import Color, Rect, _mix, _rng, _shade
from .dressing import _Dresser
from .look import _LIGHT, _SKY

if TYPE_CHECKING:  # the scene owns a painter; the painter only reads the scene
    from .scene import _Scene


_GROUND: dict[str, tuple[Color, Color]] = {
    "city": ((128, 128, 132), (74, 74, 80)),
    "interior": ((150, 110, 72), (112, 78, 48)),
    "forest": ((90, 122, 70), (50, 84, 42)),
    "coast": ((222, 204, 160), (196, 176, 128)),
    "countryside": ((124, 152, 82), (78, 118, 50)),
    "desert": ((232, 202, 150), (204, 168, 112)),
    "mountain": ((122, 132, 112), (80, 96, 70)),
    "sea": ((52, 104, 150), (34, 80, 122)),
    "snow": ((234, 240, 246), (212, 222, 232)),
    "moon": ((150, 150, 154), (118, 118, 122)),
    "space": ((20, 22, 30), (14, 16, 24)),
}


class _Painter(_Dresser):
    """Procedural stand-ins for a location. Props sit on a fixed world grid,
    so any region of the world, painted for any shot, shows the same street."""

    def __init__(self, scene: _Scene, img: Image.Image, to_px: Callable, r: float, region: Rect):
        self.s, self.img, self.d, self.p, self.r, self.region = scene, img, ImageDraw.Draw(img), to_px, r, region
        self.light = _LIGHT[scene.look.time_of_day] if scene.setting.sky_lit else 0.85
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
        if s.location == "interior" or (s.look.weather != "clear" and s.setting.sky_lit):
            return
        sun_x = s.W * 0.78
        if not s.setting.sky_lit:  # no air: stars by day too, and no sun disc to speak of
            for k, cx, rng in self.cells(u * 0.2, "stars"):
                for _ in range(4):
                    x, y = cx + rng.random() * u * 0.2, hy - rng.random() * u * 1.6
                    rad = max(0.6 / self.r, u * 0.0018 * (0.5 + rng.random()))
                    self.ellipse(x - rad, y - rad, x + rad, y + rad, _shade((255, 250, 240), 0.6 + 0.4 * rng.random()))
            return
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
        self.ground_lines(_shade((96, 66, 40), light), 1.2, 6, 0.003)

    def loc_sea(self) -> None:
        """Open water to the horizon: swell lines that crowd together with distance."""
        u, hy = self.unit, self.s.horizon
        far, near = self.s._ground_colors()
        foam = _shade((214, 232, 244), 0.45 + 0.55 * self.light)
        for k, cx, rng in self.cells(u * 0.16, "swell"):
            for j in range(10):
                depth = u * 0.012 * (1.55 ** j)
                y = hy + depth * (0.6 + 0.8 * rng.random())
                w = u * (0.03 + 0.08 * rng.random()) * (1 + depth / u * 3)
                self.rect(cx + rng.random() * u * 0.1, y, cx + w, y + max(depth * 0.05, 0.6 / self.r),
                          foam if rng.random() < 0.4 else _shade(near, 1.25))

    def loc_snow(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.8, "snow-hills"):
            peak = cx + u * 0.8 * rng.random()
            ph = u * (0.08 + 0.12 * rng.random())
            self.polygon([(peak - u * 0.6, hy + 1), (peak, hy - ph), (peak + u * 0.6, hy + 1)],
                         self.haze(_shade((226, 232, 242), self.light), 0.35))
        self.ground_lines(_shade((196, 208, 226), self.light), 2.0, 2, 0.003)

    def loc_moon(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.7, "moon-hills"):
            peak = cx + u * 0.7 * rng.random()
            ph = u * (0.03 + 0.06 * rng.random())
            self.polygon([(peak - u * 0.5, hy + 1), (peak, hy - ph), (peak + u * 0.5, hy + 1)], (110, 110, 116))

    def loc_space(self) -> None:
        pass  # stars only; the dressing adds planets and satellites

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
