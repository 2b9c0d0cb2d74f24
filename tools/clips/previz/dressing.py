"""Set dressing: the pieces that make a base painter's room a kitchen, a ward, a chapel.

Each `dress_<name>` method draws one setting's features in world units
(walls, counters, curtains, stalls, a lighthouse) and places its icons on a
fixed world grid, so every shot of a block sees the same room. Icons are
pasted through `icon`, which shades them for the time of day and records
which ones landed in the picture (the clip's `drawn` record lists only those).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .common import Color, Rect, _mix, _rng, _shade
from .icons import icon_image
from .look import _ROOM_LIGHT

if TYPE_CHECKING:
    from .scene import _Scene


@lru_cache(maxsize=256)
def _shaded(name: str, px: int, light: float, haze: float, haze_color: Color, flip: bool) -> tuple[Image.Image, Image.Image]:
    img = icon_image(name, px)
    if flip:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    arr = np.asarray(img, dtype=np.float32)
    rgb = arr[..., :3] * light
    if haze > 0:
        rgb = rgb * (1 - haze) + np.asarray(haze_color, np.float32) * haze
    color = Image.fromarray(np.clip(rgb, 0, 255).round().astype(np.uint8), "RGB")
    return color, img.getchannel("A")


class _Dresser:
    """Mixin of `_Painter`: set pieces and icons, drawn with the painter's primitives."""

    if TYPE_CHECKING:  # what the painter provides
        s: _Scene
        img: Image.Image
        d: ImageDraw.ImageDraw
        p: Callable[[float, float], tuple[float, float]]
        r: float
        region: Rect
        unit: float
        light: float
        night: bool

        def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None: ...
        def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None: ...
        def polygon(self, pts: list[tuple[float, float]], fill: Color) -> None: ...
        def cells(self, width: float, tag: str) -> Iterator[tuple[int, float, np.random.Generator]]: ...
        def haze(self, c: Color, amount: float) -> Color: ...
        def ground_lines(self, color: Color, spread: float, count: int, width: float) -> None: ...
        def building_row(self, tag: str, cell: float, hmin: float, hmax: float, haze: float, base: float) -> None: ...
        def tree(self, x: float, base: float, size: float, rng: np.random.Generator, haze: float) -> None: ...

    def icon(self, name: str, cx: float, base: float, height: float, haze: float = 0.0, flip: bool = False,
             light: float | None = None) -> bool:
        """Paste icon `name` standing on (cx, base), `height` world units tall; True when it landed in the picture."""
        px = int(round(height * self.r))
        if px < 4:
            return False
        lit = self.light if light is None else light
        color, alpha = _shaded(name, px, round(lit, 2), round(haze, 2), self.haze((0, 0, 0), 1.0) if haze else (0, 0, 0),
                               flip)
        x, y = self.p(cx, base)
        left, top = int(round(x - color.width / 2)), int(round(y - color.height))
        if left >= self.img.width or top >= self.img.height or left + color.width <= 0 or top + color.height <= 0:
            return False
        self.img.paste(color, (left, top), alpha)
        self.s.dressing_drawn.add(name)
        return True

    def row_of_icons(self, icons: tuple[str, ...], spacing: float, base: float, height: float, tag: str,
                     haze: float = 0.0, skip: float = 0.25) -> None:
        if not icons:
            return
        for k, cx, rng in self.cells(spacing, tag):
            if rng.random() < skip:
                continue
            name = icons[int(rng.integers(len(icons)))]
            self.icon(name, cx + spacing * (0.3 + 0.4 * rng.random()), base, height * (0.85 + 0.3 * rng.random()), haze)

    # -- interiors ----------------------------------------------------------------
    def _window(self, wx: float, wy: float, ww: float, wh: float, frame: Color, bars: bool = True) -> None:
        from .look import _SKY

        top, hor = _SKY[self.s.look.time_of_day]
        steps = 8
        for i in range(steps):
            y_a, y_b = wy + wh * i / steps, wy + wh * (i + 1) / steps + 1 / self.r
            self.rect(wx, y_a, wx + ww, y_b, _mix(top, hor, i / steps))
        t = self.unit * 0.018
        self.rect(wx - t, wy - t, wx + ww + t, wy, frame)
        self.rect(wx - t, wy + wh, wx + ww + t, wy + wh + t * 1.5, frame)
        self.rect(wx - t, wy, wx, wy + wh, frame)
        self.rect(wx + ww, wy, wx + ww + t, wy + wh, frame)
        if bars:
            self.rect(wx + ww / 2 - t / 2, wy, wx + ww / 2 + t / 2, wy + wh, frame)
            self.rect(wx, wy + wh / 2 - t / 2, wx + ww, wy + wh / 2 + t / 2, frame)

    def _lit(self) -> float:
        return max(_ROOM_LIGHT, self.light)

    def _counter(self, top: float, color: Color) -> None:
        x_a, x_b, hy = self.region[0], self.region[2], self.s.horizon
        self.rect(x_a, top, x_b, hy, _shade(color, self._lit()))
        self.rect(x_a, top - self.unit * 0.015, x_b, top, _shade(color, self._lit() * 1.2))

    def dress_room(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.85, "room"):
            kind = rng.random()
            if kind < 0.45:
                self._window(cx + u * 0.2, hy - u * 0.95, u * 0.42, u * 0.55, _shade((236, 232, 222), light))
            elif kind < 0.7:
                dx = cx + u * 0.25
                self.rect(dx - u * 0.02, hy - u * 0.82, dx + u * 0.32, hy, _shade((230, 226, 216), light))
                self.rect(dx, hy - u * 0.8, dx + u * 0.3, hy, _shade((120, 82, 52), light))
                self.ellipse(dx + u * 0.25, hy - u * 0.42, dx + u * 0.27, hy - u * 0.40, (210, 180, 90))
            else:
                self.icon("framed-picture", cx + u * 0.35, hy - u * 0.55, u * 0.22, light=light)
                self.icon("couch-and-lamp", cx + u * 0.4, hy, u * 0.3, light=light)

    def dress_kitchen(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.12, "tiles"):
            self.rect(cx, hy - u * 0.75, cx + u * 0.004, hy - u * 0.3, _shade((200, 200, 190), light))
        for k, cx, rng in self.cells(u * 1.2, "kwin"):
            self._window(cx + u * 0.3, hy - u * 0.95, u * 0.45, u * 0.4, _shade((240, 240, 236), light))
            # upper cupboards
            self.rect(cx + u * 0.85, hy - u * 0.95, cx + u * 1.15, hy - u * 0.62, _shade((170, 120, 80), light))
        self._counter(hy - u * 0.3, (160, 110, 70))
        self.row_of_icons(self.s.setting.icons, u * 0.3, hy - u * 0.31, u * 0.13, "kitchen-icons", skip=0.1)

    def dress_office(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 1.0, "owin"):
            self._window(cx + u * 0.15, hy - u * 0.95, u * 0.7, u * 0.5, _shade((200, 204, 210), light), bars=False)
            # a desk with the setting's icon on it
            self.rect(cx + u * 0.1, hy - u * 0.22, cx + u * 0.8, hy - u * 0.2, _shade((130, 100, 70), light))
            self.rect(cx + u * 0.12, hy - u * 0.2, cx + u * 0.15, hy, _shade((90, 70, 50), light))
            self.rect(cx + u * 0.75, hy - u * 0.2, cx + u * 0.78, hy, _shade((90, 70, 50), light))
            icons = self.s.setting.icons
            self.icon(icons[int(rng.integers(len(icons)))], cx + u * 0.45, hy - u * 0.22, u * 0.18, light=light)

    def dress_ward(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        self.rect(self.region[0], hy - u * 0.86, self.region[2], hy - u * 0.85, _shade((150, 150, 150), light))
        for k, cx, rng in self.cells(u * 0.9, "beds"):
            # curtain on its rail, then a bed
            self.rect(cx, hy - u * 0.85, cx + u * 0.18, hy - u * 0.15, _shade((150, 196, 210), light))
            for i in range(4):
                self.rect(cx + u * 0.04 * i, hy - u * 0.85, cx + u * 0.04 * i + u * 0.006, hy - u * 0.15,
                          _shade((120, 170, 186), light))
            self.icon("bed", cx + u * 0.55, hy, u * 0.3, light=light)
        self.row_of_icons(("stethoscope", "syringe", "pill"), u * 1.8, hy - u * 0.5, u * 0.08, "ward-icons")

    def dress_classroom(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 1.6, "board"):
            bx = cx + u * 0.2
            self.rect(bx - u * 0.02, hy - u * 0.82, bx + u * 0.92, hy - u * 0.36, _shade((140, 100, 60), light))
            self.rect(bx, hy - u * 0.8, bx + u * 0.9, hy - u * 0.38, _shade((40, 70, 56), light))
            rng2 = _rng(self.s.seed, "chalk", k)
            for j in range(4):
                y = hy - u * (0.74 - 0.08 * j)
                self.rect(bx + u * 0.06, y, bx + u * (0.2 + 0.6 * rng2.random()), y + u * 0.008, (220, 224, 220))
            self.icon("globe-showing-europe-africa", cx + u * 1.3, hy - u * 0.3, u * 0.16, light=light)
            self.rect(cx + u * 1.15, hy - u * 0.3, cx + u * 1.45, hy, _shade((120, 90, 60), light))
        for k, cx, rng in self.cells(u * 0.45, "desks"):
            self.rect(cx, hy - u * 0.14, cx + u * 0.3, hy - u * 0.12, _shade((170, 130, 90), light))
            self.rect(cx + u * 0.02, hy - u * 0.12, cx + u * 0.035, hy, _shade((80, 80, 84), light))
            self.rect(cx + u * 0.265, hy - u * 0.12, cx + u * 0.28, hy, _shade((80, 80, 84), light))
            if rng.random() < 0.5:
                self.icon("books", cx + u * 0.15, hy - u * 0.14, u * 0.07, light=light)

    def dress_gym(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.2, "bars"):  # wall bars
            self.rect(cx, hy - u * 0.7, cx + u * 0.012, hy, _shade((200, 160, 100), light))
        for j in range(6):
            y = hy - u * (0.1 + 0.11 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.01, _shade((200, 160, 100), light))
        for k, cx, rng in self.cells(u * 1.4, "hoop"):
            x = cx + u * 0.7
            self.rect(x - u * 0.16, hy - u * 1.0, x + u * 0.16, hy - u * 0.78, _shade((240, 240, 240), light))
            self.rect(x - u * 0.07, hy - u * 0.8, x + u * 0.07, hy - u * 0.78, (230, 90, 40))
        self.ground_lines(_shade((240, 240, 240), light), 4.0, 1, 0.004)
        self.row_of_icons(self.s.setting.icons, u * 0.7, hy, u * 0.12, "gym-icons", skip=0.4)

    def dress_chapel(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        colors = [(200, 60, 60), (60, 90, 200), (230, 190, 60), (60, 160, 90)]
        for k, cx, rng in self.cells(u * 0.7, "arches"):
            x = cx + u * 0.2
            w, top = u * 0.3, hy - u * 1.0
            self.rect(x, top + w / 2, x + w, hy - u * 0.35, _shade((90, 80, 70), light))
            self.ellipse(x, top, x + w, top + w, _shade((90, 80, 70), light))
            for i in range(3):
                for j in range(4):
                    c = colors[int(rng.integers(4))]
                    glow = _shade(c, 0.9 if not self.night else 0.55)
                    self.rect(x + w * (0.08 + 0.29 * i), top + w * 0.5 + j * u * 0.1, x + w * (0.34 + 0.29 * i),
                              top + w * 0.5 + j * u * 0.1 + u * 0.09, glow)
        for k, cx, rng in self.cells(u * 0.4, "pews"):
            self.rect(cx, hy - u * 0.12, cx + u * 0.34, hy, _shade((110, 70, 40), light))
        self.row_of_icons(("candle",), u * 0.35, hy - u * 0.12, u * 0.08, "candles", skip=0.3)

    def dress_theatre(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.08, "folds"):
            self.rect(cx, hy - u * 1.4, cx + u * 0.03, hy - u * 0.2, _shade((150, 30, 40), light))
        self.rect(self.region[0], hy - u * 1.4, self.region[2], hy - u * 1.1, _shade((170, 40, 50), light))
        self.rect(self.region[0], hy - u * 0.22, self.region[2], hy, _shade((110, 70, 40), light))  # stage front
        self.rect(self.region[0], hy - u * 0.24, self.region[2], hy - u * 0.22, _shade((230, 190, 90), light))
        self.row_of_icons(self.s.setting.icons, u * 1.6, hy - u * 1.12, u * 0.16, "masks", skip=0.0)

    def dress_circus(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.2, "stripes"):
            if k % 2:
                self.rect(cx, hy - u * 1.6, cx + u * 0.2, hy, _shade((240, 236, 226), light))
        self.rect(self.region[0], hy - u * 0.08, self.region[2], hy, _shade((60, 60, 160), light))  # ring wall
        for k, cx, rng in self.cells(u * 0.5, "bulbs"):
            self.ellipse(cx, hy - u * 0.9, cx + u * 0.03, hy - u * 0.87, (255, 230, 140))
        self.row_of_icons(self.s.setting.icons, u * 0.9, hy - u * 0.08, u * 0.2, "circus-icons", skip=0.3)

    def dress_warehouse(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.05, "ribs"):  # corrugated wall
            self.rect(cx, hy - u * 1.4, cx + u * 0.012, hy, _shade((96, 92, 86), light))
        for k, cx, rng in self.cells(u * 0.9, "hwin"):
            self._window(cx + u * 0.1, hy - u * 1.05, u * 0.5, u * 0.16, _shade((70, 70, 70), light))
        for j in range(3):  # racking
            y = hy - u * (0.2 + 0.22 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.012, _shade((200, 120, 40), light))
        for k, cx, rng in self.cells(u * 0.6, "uprights"):
            self.rect(cx, hy - u * 0.68, cx + u * 0.02, hy, _shade((60, 90, 150), light))
        for j in range(3):
            self.row_of_icons(("package", "package", "oil-drum"), u * 0.2, hy - u * (0.01 + 0.22 * j),
                              u * 0.16, f"stock{j}", skip=0.2)

    def dress_workshop(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        self.rect(self.region[0], hy - u * 0.8, self.region[2], hy - u * 0.35, _shade((190, 160, 120), light))
        for k, cx, rng in self.cells(u * 0.05, "holes"):
            for j in range(8):
                y = hy - u * (0.78 - 0.055 * j)
                self.rect(cx, y, cx + u * 0.006, y + u * 0.006, _shade((120, 100, 70), light))
        self._counter(hy - u * 0.28, (120, 90, 60))
        self.row_of_icons(("hammer", "wrench", "carpentry-saw", "screwdriver"), u * 0.25, hy - u * 0.45, u * 0.15,
                          "tools-wall", skip=0.2)
        self.row_of_icons(("toolbox", "gear", "nut-and-bolt"), u * 0.5, hy - u * 0.29, u * 0.12, "bench", skip=0.3)

    def dress_shop(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for j in range(4):
            y = hy - u * (0.15 + 0.2 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.015, _shade((150, 110, 70), light))
            self.row_of_icons(("red-apple", "bread", "canned-food", "tangerine", "cheese-wedge", "jar"), u * 0.12,
                              y, u * 0.1, f"shelf{j}", skip=0.15)
        self.row_of_icons(("shopping-cart",), u * 1.4, hy, u * 0.22, "carts", skip=0.3)

    def dress_cafe(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.9, "cwin"):
            self._window(cx + u * 0.2, hy - u * 0.95, u * 0.5, u * 0.4, _shade((60, 40, 30), light), bars=False)
            lx = cx + u * 0.75
            self.rect(lx - u * 0.003, hy - u * 1.3, lx + u * 0.003, hy - u * 0.65, (40, 36, 30))
            self.ellipse(lx - u * 0.06, hy - u * 0.68, lx + u * 0.06, hy - u * 0.6, (255, 210, 130))
        for j in range(2):
            y = hy - u * (0.42 + 0.14 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.01, _shade((90, 60, 40), light))
            self.row_of_icons(("wine-glass", "bottle-with-popping-cork", "cocktail-glass"), u * 0.1, y, u * 0.08,
                              f"bottles{j}", skip=0.2)
        self._counter(hy - u * 0.25, (110, 70, 44))
        self.row_of_icons(("hot-beverage", "beer-mug", "croissant"), u * 0.35, hy - u * 0.26, u * 0.08, "cups", skip=0.3)

    def dress_carriage(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        self.rect(self.region[0], hy - u * 1.2, self.region[2], hy - u * 0.95, _shade((150, 150, 160), light))
        for k, cx, rng in self.cells(u * 0.6, "twin"):
            self._window(cx + u * 0.08, hy - u * 0.85, u * 0.44, u * 0.38, _shade((180, 180, 186), light), bars=False)
            # seat backs
            self.rect(cx + u * 0.05, hy - u * 0.4, cx + u * 0.25, hy - u * 0.05, _shade((60, 80, 150), light))
            self.rect(cx + u * 0.33, hy - u * 0.4, cx + u * 0.53, hy - u * 0.05, _shade((60, 80, 150), light))
        self.rect(self.region[0], hy - u * 0.98, self.region[2], hy - u * 0.96, _shade((200, 200, 200), light))

    def dress_tunnel(self) -> None:
        u, hy = self.unit, self.s.horizon
        cx = self.s.W / 2
        dark = (20, 18, 16)
        for i in range(6, 0, -1):  # rings receding to the vanishing point
            w = u * 0.25 * i
            col = _shade((96, 90, 84), 0.4 + 0.1 * i)
            self.ellipse(cx - w, hy - w * 1.1, cx + w, hy + w * 0.9, col)
            self.ellipse(cx - w * 0.92, hy - w * 1.0, cx + w * 0.92, hy + w * 0.8, _shade(col, 0.85))
        self.ellipse(cx - u * 0.15, hy - u * 0.17, cx + u * 0.15, hy + u * 0.13, dark)
        for k, x, rng in self.cells(u * 0.5, "tlights"):
            self.ellipse(x, hy - u * 0.75, x + u * 0.05, hy - u * 0.72, (255, 220, 150))
        self.ground_lines(_shade((140, 130, 110), 0.8), 1.0, 1, 0.004)

    def dress_subway(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for k, cx, rng in self.cells(u * 0.08, "stile"):
            self.rect(cx, hy - u * 1.0, cx + u * 0.004, hy - u * 0.1, _shade((170, 176, 168), light))
        for j in range(12):
            y = hy - u * (0.1 + 0.075 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.004, _shade((170, 176, 168), light))
        self.rect(self.region[0], hy - u * 0.72, self.region[2], hy - u * 0.64, _shade((200, 40, 40), light))
        self.rect(self.region[0], hy - u * 0.1, self.region[2], hy, _shade((40, 40, 44), 1.0))  # the track pit
        self.rect(self.region[0], hy - u * 0.012, self.region[2], hy, (230, 200, 40))  # platform edge line
        for k, cx, rng in self.cells(u * 1.2, "signs"):
            self.rect(cx + u * 0.3, hy - u * 0.62, cx + u * 0.8, hy - u * 0.5, _shade((30, 60, 140), light))
            self.icon("metro", cx + u * 0.38, hy - u * 0.51, u * 0.1, light=light)

    def dress_library(self) -> None:
        u, hy, light = self.unit, self.s.horizon, self._lit()
        for j in range(5):
            y = hy - u * (0.05 + 0.2 * j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.02, _shade((90, 60, 36), light))
            self.row_of_icons(("books", "closed-book", "blue-book", "green-book", "orange-book"), u * 0.1, y,
                              u * 0.13, f"books{j}", skip=0.05)

    # -- exteriors ------------------------------------------------------------------
    def dress_street(self) -> None:
        pass  # the city base is a street

    def dress_station(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.rect(self.region[0], hy - u * 0.5, self.region[2], hy - u * 0.46, _shade((110, 110, 120), self.light))
        for k, cx, rng in self.cells(u * 0.6, "pillars"):
            self.rect(cx, hy - u * 0.46, cx + u * 0.02, hy + u * 0.06, _shade((90, 90, 100), self.light))
        self.rect(self.region[0], hy + u * 0.055, self.region[2], hy + u * 0.07, (230, 200, 40))

    def dress_alley(self) -> None:
        u, hy = self.unit, self.s.horizon
        brick = _shade((130, 70, 56), self.light)
        self.rect(self.region[0], hy - u * 1.5, self.region[2], hy + u * 0.02, brick)
        for j in range(40):
            y = hy - u * 0.04 * j
            off = (j % 2) * u * 0.05
            self.rect(self.region[0], y, self.region[2], y + u * 0.004, _shade(brick, 0.7))
            for k, cx, rng in self.cells(u * 0.1, f"brick{j % 2}"):
                self.rect(cx + off, y - u * 0.04, cx + off + u * 0.004, y, _shade(brick, 0.7))
        for k, cx, rng in self.cells(u * 1.1, "fire-escape"):
            x = cx + u * 0.3
            for j in range(3):
                y = hy - u * (0.45 + 0.3 * j)
                self.rect(x, y, x + u * 0.4, y + u * 0.012, (40, 40, 44))
                self.polygon([(x, y), (x + u * 0.012, y), (x + u * 0.4, y + u * 0.3), (x + u * 0.388, y + u * 0.3)],
                             (40, 40, 44))
            if self.night:
                self.ellipse(x + u * 0.6, hy - u * 0.6, x + u * 0.64, hy - u * 0.56, (255, 220, 150))
        self.row_of_icons(self.s.setting.icons, u * 0.8, hy + u * 0.02, u * 0.14, "bins", skip=0.3)

    def dress_rooftop(self) -> None:
        u, hy = self.unit, self.s.horizon
        # the city below the roof edge: tops of towers beyond a parapet
        self.building_row("roof-far", u * 0.25, 0.15, 0.45, 0.45, 0.0)
        self.rect(self.region[0], hy - u * 0.02, self.region[2], hy + u * 0.12, _shade((110, 106, 100), self.light))
        self.rect(self.region[0], hy - u * 0.03, self.region[2], hy - u * 0.015, _shade((150, 146, 140), self.light))
        for k, cx, rng in self.cells(u * 1.5, "tank"):
            if rng.random() < 0.5:
                x = cx + u * 0.4
                self.rect(x, hy - u * 0.35, x + u * 0.2, hy - u * 0.15, _shade((120, 84, 60), self.light))
                self.polygon([(x - u * 0.02, hy - u * 0.35), (x + u * 0.1, hy - u * 0.42), (x + u * 0.22, hy - u * 0.35)],
                             _shade((90, 64, 50), self.light))
                for dx in (0.02, 0.17):
                    self.rect(x + u * dx, hy - u * 0.15, x + u * (dx + 0.01), hy - u * 0.02, (50, 50, 50))
            else:
                self.icon("satellite-antenna", cx + u * 0.5, hy - u * 0.02, u * 0.15)

    def dress_market(self) -> None:
        u, hy = self.unit, self.s.horizon
        colors = [(200, 60, 50), (40, 120, 180), (230, 170, 40), (60, 150, 90)]
        for k, cx, rng in self.cells(u * 0.55, "stalls"):
            x = cx + u * 0.05
            c = colors[int(rng.integers(4))]
            self.rect(x, hy - u * 0.12, x + u * 0.45, hy + u * 0.05, _shade((130, 90, 60), self.light))
            for i in range(6):
                stripe = c if i % 2 == 0 else (240, 236, 226)
                self.polygon([(x + u * 0.075 * i, hy - u * 0.35), (x + u * 0.075 * (i + 1), hy - u * 0.35),
                              (x + u * 0.075 * (i + 1) + u * 0.02, hy - u * 0.26), (x + u * 0.075 * i + u * 0.02, hy - u * 0.26)],
                             _shade(stripe, self.light))
            self.rect(x, hy - u * 0.26, x + u * 0.01, hy - u * 0.12, (60, 50, 40))
            self.rect(x + u * 0.44, hy - u * 0.26, x + u * 0.45, hy - u * 0.12, (60, 50, 40))
            icons = self.s.setting.icons
            for i in range(3):
                self.icon(icons[int(rng.integers(len(icons)))], x + u * (0.1 + 0.13 * i), hy - u * 0.12, u * 0.07)
            if self.night:
                self.ellipse(x + u * 0.2, hy - u * 0.26, x + u * 0.25, hy - u * 0.21, (255, 214, 130))

    def dress_park(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.35, "park-trees"):
            if rng.random() < 0.7:
                self.tree(cx + rng.random() * u * 0.2, hy + u * 0.02, u * (0.35 + 0.2 * rng.random()), rng, 0.15)
        self.rect(self.region[0], hy + u * 0.05, self.region[2], hy + u * 0.08, _shade((196, 180, 150), self.light))
        self.row_of_icons(("seat",), u * 0.9, hy + u * 0.1, u * 0.1, "benches", skip=0.4)

    def dress_village(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.row_of_icons(("house", "house-with-garden", "houses"), u * 0.35, hy + u * 0.01, u * 0.3, "vhouses",
                          haze=0.15, skip=0.1)
        for k, cx, rng in self.cells(u * 0.1, "cobbles"):
            for j in range(3):
                y = hy + u * (0.04 + 0.05 * j)
                self.ellipse(cx, y, cx + u * 0.06, y + u * 0.02, _shade((150, 140, 124), self.light * 0.9))

    def dress_field(self) -> None:
        u, hy = self.unit, self.s.horizon
        for j in range(8):
            y = hy + u * 0.02 * (1.5 ** j)
            self.rect(self.region[0], y, self.region[2], y + u * 0.004 * (1.4 ** j), _shade((170, 150, 70), self.light))
        self.row_of_icons(self.s.setting.icons, u * 0.3, hy + u * 0.06, u * 0.1, "sheaves", skip=0.5)

    def dress_forest(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.row_of_icons(("evergreen-tree", "deciduous-tree"), u * 0.22, hy + u * 0.03, u * 0.4, "pines",
                          haze=0.2, skip=0.3)

    def dress_mountain(self) -> None:
        pass

    def dress_desert(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.row_of_icons(("cactus",), u * 0.6, hy + u * 0.04, u * 0.16, "cacti", skip=0.5)

    def dress_beach(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.row_of_icons(("palm-tree",), u * 0.7, hy + u * 0.17, u * 0.45, "palms", skip=0.4)

    def dress_lighthouse(self) -> None:
        pass  # the lighthouse is the landmark

    def dress_harbour(self) -> None:
        u, hy = self.unit, self.s.horizon
        # a pier running along the water's edge, boats moored beyond it
        self.row_of_icons(("sailboat", "motor-boat", "ferry"), u * 0.45, hy + u * 0.09, u * 0.16, "moored", skip=0.2)
        self.rect(self.region[0], hy + u * 0.13, self.region[2], hy + u * 0.17, _shade((120, 90, 60), self.light))
        for k, cx, rng in self.cells(u * 0.2, "posts"):
            self.rect(cx, hy + u * 0.12, cx + u * 0.02, hy + u * 0.2, _shade((80, 60, 40), self.light))

    def dress_sea(self) -> None:
        pass

    def dress_deck(self) -> None:
        u, hy = self.unit, self.s.horizon
        deck = _shade((150, 110, 72), self.light)
        self.rect(self.region[0], hy + u * 0.05, self.region[2], self.region[3], deck)
        for k, cx, rng in self.cells(u * 0.12, "planks"):
            self.d.line([self.p(cx, hy + u * 0.05), self.p(self.s.W / 2 + (cx - self.s.W / 2) * 4, hy + u * 1.5)],
                        fill=_shade(deck, 0.75), width=max(1, int(u * 0.004 * self.r)))
        # the rail
        self.rect(self.region[0], hy - u * 0.02, self.region[2], hy, _shade((240, 240, 236), self.light))
        for k, cx, rng in self.cells(u * 0.15, "stanchions"):
            self.rect(cx, hy - u * 0.02, cx + u * 0.008, hy + u * 0.05, _shade((240, 240, 236), self.light))

    def dress_snow(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.5, "drifts"):
            y = hy + u * (0.02 + 0.1 * rng.random())
            self.ellipse(cx, y, cx + u * 0.4, y + u * 0.04, _shade((200, 214, 232), self.light))

    def dress_moon(self) -> None:
        u, hy = self.unit, self.s.horizon
        for k, cx, rng in self.cells(u * 0.3, "craters"):
            depth = 0.03 + 0.4 * rng.random() ** 2
            y = hy + u * depth
            w = u * (0.05 + depth * 0.6)
            self.ellipse(cx, y, cx + w, y + w * 0.25, (92, 92, 98))
            self.ellipse(cx + w * 0.08, y + w * 0.03, cx + w * 0.92, y + w * 0.22, (124, 124, 130))
        self.icon("globe-showing-europe-africa", self.s.W * 0.2, hy - u * 0.55, u * 0.14, light=1.0)

    def dress_space(self) -> None:
        u, hy = self.unit, self.s.horizon
        self.icon("milky-way", self.s.W * 0.3, hy - u * 0.2, u * 0.5, light=0.5)
        self.row_of_icons(("satellite", "comet"), u * 1.4, hy - u * 0.7, u * 0.12, "orbit", skip=0.3)

    def dress_cemetery(self) -> None:
        u, hy = self.unit, self.s.horizon
        for j in range(3):
            self.row_of_icons(("headstone",), u * (0.2 + 0.1 * j), hy + u * (0.02 + 0.06 * j), u * (0.08 + 0.04 * j),
                              f"graves{j}", skip=0.2)

    def neon_signs(self) -> None:
        """Glowing tubes on the walls: a bright core inside a soft coloured halo."""
        u, hy = self.unit, self.s.horizon
        colors = [(255, 60, 180), (60, 230, 255), (255, 120, 40), (140, 255, 90)]
        glow = Image.new("RGB", self.img.size, (0, 0, 0))
        gd = ImageDraw.Draw(glow)
        for k, cx, rng in self.cells(u * 0.7, "neon"):
            if rng.random() < 0.3:
                continue
            c = colors[int(rng.integers(len(colors)))]
            x, y = cx + u * 0.1, hy - u * (0.45 + 0.3 * rng.random())
            w, h = u * (0.2 + 0.2 * rng.random()), u * 0.08
            (a, b), (e, f) = self.p(x, y), self.p(x + w, y + h)
            width = max(1, int(u * 0.012 * self.r))
            gd.rounded_rectangle((a, b, e, f), radius=max(1, int((f - b) / 3)), outline=c, width=width * 3)
            self.d.rounded_rectangle((a, b, e, f), radius=max(1, int((f - b) / 3)), outline=_mix(c, (255, 255, 255), 0.5),
                                     width=width)
        halo = glow.filter(ImageFilter.GaussianBlur(max(1.0, u * 0.02 * self.r)))
        self.img.paste(ImageChops.add(self.img, halo))

    # -- landmarks --------------------------------------------------------------------
    def landmark(self, name: str, x: float) -> None:
        """The setting's landmark at world x, big enough to read in a wide shot."""
        u, hy = self.unit, self.s.horizon
        if name == "lighthouse":
            if self._lighthouse(x):
                self.s.dressing_drawn.add("lighthouse")
                self.s.landmark_drawn = "lighthouse"
            return
        # how big each landmark stands near the horizon, in units of the background's scale
        size = {"ship": 0.35, "passenger-ship": 0.3, "ringed-planet": 0.3, "latin-cross": 0.25, "metro": 0.2,
                "anchor": 0.18, "ring-buoy": 0.16, "umbrella-on-ground": 0.22, "snowman-without-snow": 0.22,
                "tractor": 0.16, "fountain": 0.22, "locomotive": 0.22, "church": 0.4, "castle": 0.5,
                "circus-tent": 0.45, "snow-capped-mountain": 0.6}.get(name, 0.4)
        base = hy + u * 0.03
        light = None
        if self.s.setting.indoor:
            base = hy - u * 0.55 if name == "latin-cross" else hy
            light = self._lit()
        if name == "ringed-planet":
            base, light = hy - u * 0.45, 1.0
        if name in ("ship", "passenger-ship"):
            base = hy + u * 0.06
        if self.icon(name, x, base, u * size, haze=0.1 if not self.s.setting.indoor and size >= 0.4 else 0.0,
                     light=light):
            self.s.landmark_drawn = name

    def _lighthouse(self, x: float) -> bool:
        u, hy = self.unit, self.s.horizon
        h, w0, w1 = u * 0.75, u * 0.09, u * 0.06
        base = hy + u * 0.02
        # the headland it stands on
        self.polygon([(x - u * 0.5, base + u * 0.02), (x - u * 0.2, base - u * 0.08), (x + u * 0.2, base - u * 0.09),
                      (x + u * 0.45, base + u * 0.02)], _shade((80, 90, 70), self.light))
        base -= u * 0.08
        bands = 6
        for i in range(bands):
            y_a, y_b = base - h * i / bands, base - h * (i + 1) / bands
            wa = w0 + (w1 - w0) * i / bands
            wb = w0 + (w1 - w0) * (i + 1) / bands
            col = (200, 40, 40) if i % 2 == 0 else (244, 244, 238)
            self.polygon([(x - wa, y_a), (x + wa, y_a), (x + wb, y_b), (x - wb, y_b)], _shade(col, max(0.5, self.light)))
        top = base - h
        lamp = (255, 236, 160) if self.night or self.light < 0.8 else (250, 250, 220)
        self.rect(x - w1 * 0.8, top - u * 0.07, x + w1 * 0.8, top, lamp)
        self.polygon([(x - w1 * 1.1, top - u * 0.07), (x + w1 * 1.1, top - u * 0.07), (x, top - u * 0.13)], (50, 50, 56))
        if self.night or self.light < 0.8:
            beam = _mix(lamp, self.s._sky_colors()[1], 0.55)
            self.polygon([(x, top - u * 0.035), (x + u * 1.2, top - u * 0.15), (x + u * 1.2, top + u * 0.06)], beam)
        x0, y0 = self.p(x - u * 0.5, top - u * 0.13)
        x1, y1 = self.p(x + u * 0.5, base)
        return x1 > 0 and x0 < self.img.width and y1 > 0 and y0 < self.img.height
