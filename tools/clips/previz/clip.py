"""The clip: everything one shot needs, built once; then frames, cheaply.

`_Clip` composes the shot (who stands where, which location, which move),
draws the plates, sprite and overlays, and renders frame `i` as raw RGB.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image

from filmcrew.errors import InputError
from filmcrew.memory.models import ReferenceImage, Shot
from filmcrew.tools.clips.references import names_match

from .camera import (
    _FRAMING,
    _TRANSLATIONS,
    _WIDE_FAMILY,
    _lens_mm,
    _Motion,
    _plan_motion,
    _roll_path,
    _warp_matrix,
)
from .common import Rect, _bbox, _homography_apply, _seed
from .figures import _Figure, _load_cutout, _Palette, _palette
from .locations import _pick_location
from .look import Look, _grade, _grade_color, _grade_lut
from .overlay import _shoulder, _static_overlay, _Weather
from .plates import _Plate, _plate_resolution, _rasterize, _Sprite
from .scene import _Scene


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
            ref = next((r for r in references if r.kind == "character" and names_match(r.name, name)), None)
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
        # Said in the clip's metadata, so a run can show its location image was used.
        self.plate = {"source": "reference", "reference": location_ref.name} if plate_img is not None else {"source": "procedural"}

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
