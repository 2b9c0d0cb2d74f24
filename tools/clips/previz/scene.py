"""The scene: background painter and character painter, in world units.

World units are pixels of the output frame at the base framing (zoom 1). The
background is the location reference image (mirrored beyond its edges) or a
procedural location; the characters are painted over it, or onto their own
layer with a matte when they move against the background.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .common import Color, Rect, _mix, _shade
from .figures import _draw_figure, _Figure
from .locations import _GROUND, _Painter
from .settings import DEFAULT, Setting
from .things import _paint_thing, _Thing
from .look import _LIGHT, _ROOM_LIGHT, _SKY, Look


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
    setting: Setting = DEFAULT
    landmark_x: float | None = None  # world x of the setting's landmark; None: not in this shot's plan
    things: list[_Thing] = field(default_factory=list)  # props and creatures, drawn with the characters
    dressing_drawn: set[str] = field(default_factory=set)  # icons that landed in a painted plate
    landmark_drawn: str | None = None
    neon: bool = False  # neon signs glow on the walls

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
        if not self.setting.sky_lit:
            return (2, 3, 10), (10, 12, 24)
        top, hor = _SKY[self.look.time_of_day]
        if self.look.weather in ("rain", "snow", "fog"):
            grey = _shade((168, 172, 178), 0.35 + 0.65 * _LIGHT[self.look.time_of_day])
            top, hor = _mix(top, grey, 0.75), _mix(hor, grey, 0.7)
        return top, hor

    def _ground_colors(self) -> tuple[Color, Color]:
        far, near = self.setting.ground or _GROUND[self.location]
        if self.look.weather == "snow" and self.location not in ("interior", "sea", "space", "moon"):
            far, near = (230, 234, 240), (212, 218, 228)
        light = _LIGHT[self.look.time_of_day] if self.setting.sky_lit else 0.85
        if self.location == "interior":
            light = max(_ROOM_LIGHT, light)  # rooms are lit
        return _shade(far, light), _shade(near, light)

    def _paint_procedural(self, region: Rect, r: float, w: int, h: int) -> Image.Image:
        x0, y0, x1, y1 = region
        H, s = self.H, self.bg_scale
        hy = self.horizon
        far, near = self._ground_colors()
        if self.overhead:
            rows = self._rows(y0, h, r, [(y0, far), (y1, far)])
        elif self.location == "interior":
            light = max(_ROOM_LIGHT, _LIGHT[self.look.time_of_day])
            wall = self.setting.wall or (206, 196, 178)
            wall_top, wall_low = _shade(wall, light * 0.92), _shade(wall, light * 1.04)
            stops = [(hy - 1.5 * H * s, wall_top), (hy - 0.001, wall_low), (hy, far), (hy + H * s, near)]
            rows = self._rows(y0, h, r, stops)
        else:
            top, hor = self._sky_colors()
            stops = [(hy - 1.2 * H * s, top), (hy - 0.001, hor), (hy, far), (hy + 1.2 * H * s, near)]
            rows = self._rows(y0, h, r, stops)
        arr = np.broadcast_to(rows[:, None, :], (h, w, 3)).round().astype(np.uint8)
        img = Image.fromarray(np.ascontiguousarray(arr))

        def to_px(x: float, y: float) -> tuple[float, float]:
            return (x - x0) * r, (y - y0) * r

        ctx = _Painter(self, img, to_px, r, region)
        if self.overhead:
            ctx.overhead_ground()
        else:
            ctx.sky_objects()
            ctx.ground_detail()
            getattr(ctx, f"loc_{self.location}")()
            getattr(ctx, f"dress_{self.setting.dressing}")()
            if self.setting.landmark and self.landmark_x is not None:
                ctx.landmark(self.setting.landmark, self.landmark_x)
            if self.neon:
                ctx.neon_signs()
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
    def paint_characters(self, region: Rect, r: float, swing: float = 0.0, with_background: Image.Image | None = None,
                         lean: float = 0.0, give: float = 0.0) -> tuple[Image.Image, Image.Image]:
        """The people, then the props and creatures in front of them; `lean` tips the
        primary subject over about their feet (radians, toward screen right), for a fall."""
        x0, y0, x1, y1 = region
        w, h = max(1, int(math.ceil((x1 - x0) * r))), max(1, int(math.ceil((y1 - y0) * r)))
        rgb = with_background if with_background is not None else Image.new("RGB", (w, h), (24, 22, 26))
        mask = Image.new("L", (w, h), 0)

        def to_px(x: float, y: float) -> tuple[float, float]:
            return (x - x0) * r, (y - y0) * r

        # the subject is lit: a key light keeps a night scene's people readable
        light = max(0.8, _LIGHT[self.look.time_of_day])
        darken = 0.16 if self.look.silhouette else light
        shadow = _shade(self._ground_colors()[0], 0.55)
        for thing in self.things:
            if thing.behind:
                _paint_thing(rgb, mask, thing, region, r, light)
        # back to front: the primary subject (first) is drawn last
        for fig in reversed(self.figures):
            bx0, by0, bx1, by1 = fig.bbox(self.overhead)
            if lean and fig is self.figures[0]:
                bx0, bx1, by0 = bx0 - (by1 - by0), bx1 + (by1 - by0), by0 - 0.1 * (by1 - by0)
            if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
                continue
            if fig.cutout is not None:
                self._paste_cutout(rgb, mask, fig, region, r, darken)
                continue
            project = to_px
            if lean and fig is self.figures[0]:
                px, py = fig.x, fig.bbox(False)[3]
                c, s_ = math.cos(lean), math.sin(lean)

                def project(x: float, y: float, px: float = px, py: float = py, c: float = c, s_: float = s_
                            ) -> tuple[float, float]:
                    dx, dy = x - px, y - py
                    return to_px(px + c * dx - s_ * dy, py + s_ * dx + c * dy)
            _draw_figure(ImageDraw.Draw(rgb), ImageDraw.Draw(mask), fig, project, r, swing, self.overhead, darken,
                         shadow)
        for thing in self.things:
            if not thing.behind:
                moved = replace(thing, x=thing.x + give * thing.travel) if thing.travel and give else thing
                _paint_thing(rgb, mask, moved, region, r, light)
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
