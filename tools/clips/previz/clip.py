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
    _Cam,
    _Motion,
    _plan_motion,
    _roll_path,
    _warp_matrix,
)
from .common import Rect, _bbox, _homography_apply, _seed
from .figures import _dressed, _Figure, _load_cutout, _Palette, _palette
from .look import Look, _grade, _grade_color, _grade_lut
from .overlay import _shoulder, _static_overlay, _Weather
from .plates import _Plate, _plate_resolution, _rasterize, _Sprite
from .effects import _Effects
from .icons import AIRBORNE, ICON_SET, height_m, icon_image, match_icon
from .scene import _Scene
from .story import CastNote, read_story, title_gender
from .things import _Thing


class _Clip:
    """Everything one clip needs, precomputed; `frame(i)` is cheap and thread-safe."""

    def __init__(self, shot: Shot, references: Sequence[ReferenceImage], n: int, fps: int, size: tuple[int, int],
                 look: Look, caption: bool, slate: bool, look_dict: dict[str, Any] | None = None):
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
        story = read_story(shot, look_dict, location_ref.name if location_ref else "")
        self.story = story
        setting = story.setting
        location = setting.base
        effects = list(story.effects)
        if "lightning" in effects:
            look = replace(look, storm=True)
        if {"snow", "blizzard"} & set(effects) and not setting.indoor and look.weather == "clear":
            look = replace(look, weather="snow")
        self.look = look

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

        # a cast member the script calls "the dog" is a creature, not a person in a dog's name
        names, animals = [], []
        for name in shot.characters:
            beast = match_icon(name, embed=False)
            if beast is not None and beast.creature:
                animals.append(replace(beast, phrase=name))
            else:
                names.append(name)
        if animals:
            # the cast's name for it wins over the action's word ("the dog", not "dog")
            story.things[:] = animals + [m for m in story.things if m.icon not in {a.icon for a in animals}]
            story.action_icons = story.action_icons | {a.icon for a in animals}
            if not names:
                story.actions = []
        shoulder_owner: str | None = None
        self.character_sources: list[dict[str, str]] = []
        if shot.angle == "over_the_shoulder" and len(names) >= 2:
            # the second character is the one we look past: a shoulder, not a figure
            shoulder_owner = names.pop(1)
            self.character_sources.append({"name": shoulder_owner, "source": "foreground shoulder"})
        # screen direction belongs to the scene: every shot of a block moves the same way
        direction = 1 if _seed(shot.block_id, "direction") % 2 else -1
        if re.search(r"\bleft\b", shot.action.casefold()):
            direction = -1
        elif re.search(r"\bright\b", shot.action.casefold()):
            direction = 1
        figures: list[_Figure] = []
        actions = story.actions
        palettes = [self._palette_of(name, story) for name in names]
        for idx, name in enumerate(names):
            ref = next((r for r in references if r.kind == "character" and names_match(r.name, name)), None)
            pal = palettes[idx]
            scale = 1.0 if idx == 0 else 0.95 * pal.stature / palettes[0].stature
            x = subject_x
            if idx > 0:
                slot = (idx + 1) // 2 * (1 if idx % 2 else -1) * (-side if side else 1)
                gap = 0.17 if ("embrace" in actions and idx == 1) else 0.75 if "give" in actions else 0.36
                x = subject_x + slot * gap * fig_h
                if shot.movement == "whip_pan" and idx == 1:
                    x = subject_x + 2.4 * W * direction  # the whip lands on them
            fig = _Figure(name=name, x=x, eye=eye, height=fig_h * scale, palette=pal)
            if pal.stature < 0.8 and (idx > 0 or shot.shot_size in _WIDE_FAMILY):
                # a child stands on the same floor, a head or two shorter
                fig.height *= pal.stature
                fig.eye = eye + (fig_h * scale - fig.height)
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

        self._pose_figures(figures, actions, direction)
        self.held: str | None = None
        self.afloat = False  # the people are in boats on open water
        things = [] if overhead else self._place_things(story, figures, W, H, eye, fig_h, direction, shot.shot_size)
        # the landmark stands on the third the subject leaves free, the same place in every shot of the block
        landmark_x = W * (0.5 + (0.27 if _seed(shot.block_id, "landmark") % 2 else -0.27))

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
                            overhead=overhead, blur_px=blur, seed=seed, figures=figures, plate=plate_img,
                            setting=setting, landmark_x=landmark_x, things=things, neon="neon" in effects)
        self.location = location
        # Said in the clip's metadata, so a run can show its location image was used.
        self.plate = ({"source": "reference", "reference": location_ref.name}
                      if plate_img is not None and location_ref is not None else {"source": "procedural"})

        # -- motion --------------------------------------------------------------
        feet_visible = bool(figures) and (figures[0].eye - 0.065 * fig_h + fig_h) < H * 1.05
        self.motion = _plan_motion(shot, look, n, fps, W, H, pivot, direction, half_w, feet_visible)
        m = self.motion
        poses, self.actions_drawn = _animate(m, actions if figures else [], shot.movement, n, fps, W, H,
                                             direction, feet_visible)
        self.poses = [(swing, lean, 0.0) for swing, lean in poses]
        if any(t.travel for t in things) and not int(m.pose.max()):
            # a handover: the object crosses from hand to hand during the action
            if m.background is None:
                m.background = _Cam(m.subject.ox.copy(), m.subject.oy.copy(), m.subject.z.copy())
            u_t = np.clip((np.arange(n) / fps - 0.3 * n / fps) / max(0.4 * n / fps, 1e-6), 0, 1)
            m.pose = np.round(u_t * 4).astype(np.int64)
            self.poses = [(0.0, 0.0, k / 4) for k in range(5)]
        regions = [c.region(W, H) for c in (m.subject, m.background) if c is not None]
        y_range = (min(r[1] for r in regions), max(r[3] for r in regions))
        self.warp, self.roll = _warp_matrix(shot.angle, W, H, _seed(shot.id), y_range)
        if self.roll and shot.movement in _TRANSLATIONS:
            # a rolled camera pans along the world's horizon, not the frame's
            _roll_path(m, math.radians(self.roll))

        lut = _grade_lut(look)
        self.lut = lut
        # the subject has a key light: a storm or a night desaturates and cools the world, not their faces
        self.subject_look = replace(look, saturation=max(look.saturation, 0.95), temperature=look.temperature * 0.5,
                                    exposure=look.exposure + 0.1)
        self.subject_lut = _grade_lut(self.subject_look)
        two_layer = m.background is not None and bool(figures)
        self.things = things
        bg_cam = m.background if m.background is not None else m.subject
        bg_region = bg_cam.region(W, H)
        zmax_bg = float(bg_cam.z.max())
        # a defocused background needs no more pixels than it shows
        bg_cap = 0.75 if blur >= 4 else 1.25

        if two_layer:
            r_bg = _plate_resolution(bg_region, zmax_bg, bg_cap)
            (bg_img,) = _rasterize(bg_region, r_bg, self.warp, lambda reg, r: [self.scene.paint_background(reg, r)])
            self.bg = _Plate(_grade(bg_img, look, lut), bg_region[0], bg_region[1], r_bg, softness=blur)
            self.sprite: _Sprite | None = self._build_sprite(m, feet_visible)
        else:
            # without characters the scene itself is the subject: it takes the full move,
            # except in a dolly zoom, where only the background moves
            cam = m.background if (m.background is not None and shot.movement == "dolly_zoom") else m.subject
            m.subject = cam
            bg_region = cam.region(W, H)
            r_bg = _plate_resolution(bg_region, float(cam.z.max()), 1.25 if figures else bg_cap)

            def paint(reg: Rect, r: float) -> list[Image.Image]:
                img = self.scene.paint_background(reg, r)
                if not (figures or things):
                    return [img]
                people, matte = self.scene.paint_characters(reg, r)
                return [img, people, matte]

            layers = _rasterize(bg_region, r_bg, self.warp, paint)
            img = _grade(layers[0], look, lut)
            if len(layers) == 3:
                img.paste(_grade(layers[1], self.subject_look, self.subject_lut), (0, 0), layers[2])
            self.bg = _Plate(img, bg_region[0], bg_region[1], r_bg)
            self.sprite = None
        self.bg_cam = bg_cam if two_layer else m.subject

        # -- overlays ------------------------------------------------------------
        self.overlay = _static_overlay(shot, W, H, look, shot.angle == "point_of_view", caption, slate)
        # indoors the rain stays outside: it shows in the grade, not falling through the room
        outside = look if location != "interior" else replace(look, weather="clear")
        self.weather = _Weather(outside, W, H, n, fps, _seed(shot.id), lut, heavy="blizzard" in effects)
        boat = next((t for t in things if t.icon in _BOATS), None) if ("row" in actions or self.afloat) else None
        waterline = None
        if boat is not None:
            s0 = m.subject
            waterline = (boat.base - 0.3 * boat.height - float(s0.oy[0])) * float(s0.z[0])
        self.effects = _Effects(effects, look, W, H, n, fps, _seed(shot.id, "effects"), waterline)
        self.effects_drawn = list(self.effects.drawn)
        if "neon" in effects and plate_img is None:  # painted into the procedural plate
            self.effects_drawn.append("neon")
        if look.storm and m.flash.any():
            self.effects_drawn.append("lightning")
        if self.weather.kind in ("rain", "snow", "fog") and self.weather.offsets:
            self.effects_drawn.append(self.weather.kind)
            if self.weather.kind == "snow" and "blizzard" in effects:
                self.effects_drawn.append("blizzard")
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
        boxes = [f.bbox(overhead) for f in scene.figures] + [t.bbox() for t in scene.things]
        boxes += [(b[0] + t.travel, b[1], b[2] + t.travel, b[3]) for t in scene.things if t.travel
                  for b in [t.bbox()]]
        if any(lean for _, lean, _ in self.poses):  # a fall sweeps the figure's height sideways
            f0 = scene.figures[0].bbox(overhead)
            boxes.append((f0[0] - (f0[3] - f0[1]), f0[1], f0[2] + (f0[3] - f0[1]), f0[3]))
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
        rgbs, masks = [], []
        for swing, lean, give in self.poses:
            def paint(reg: Rect, rr: float, sw: float = swing, le: float = lean, gv: float = give) -> list[Image.Image]:
                return list(scene.paint_characters(reg, rr, sw, lean=le, give=gv))

            rgb, mask = _rasterize(region, r, self.warp, paint)
            rgbs.append(_grade(rgb, self.subject_look, self.subject_lut))
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
        return picture, (weather, int(round(float(m.flash[i]) * 8)), self.effects.key(i))

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
        picture_key, (_, level, _) = self._keys(i)
        img = self._picture(i, picture_key)
        img = self.weather.apply(img, i)
        if self.effects.active:
            img = self.effects.apply(img, i)
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

    # -- the story: who looks like what, what they hold, what stands beside them ------------
    @staticmethod
    def _palette_of(name: str, story: Any) -> _Palette:
        note = next((n for who, n in story.cast.items() if names_match(who, name)), None)
        titled = title_gender(name)
        if titled and (note is None or note.gender is None):
            note = replace(note, gender=titled) if note is not None else CastNote(gender=titled)
        return _dressed(_palette(name), note) if note is not None else _palette(name)

    @staticmethod
    def _pose_figures(figures: list[_Figure], actions: list[str], direction: int) -> None:
        if not figures:
            return
        f0 = figures[0]
        other = figures[1] if len(figures) > 1 else None
        toward = (1 if other.x > f0.x else -1) if other is not None else direction
        if "climb" in actions:
            f0.arms = "up"
        elif "embrace" in actions and other is not None:
            f0.arms, f0.facing, other.arms, other.facing = "forward", toward, "forward", -toward
        elif "give" in actions and other is not None:
            f0.arms, f0.facing, other.arms, other.facing = "forward", toward, "forward", -toward
        elif {"hold", "give", "row"} & set(actions):
            f0.arms, f0.facing = "forward", toward

    def _place_things(self, story: Any, figures: list[_Figure], W: int, H: int, eye: float, fig_h: float,
                      direction: int, shot_size: str) -> list[_Thing]:
        things: list[_Thing] = []

        def aspect(icon: str) -> float:
            img = icon_image(icon, 64)
            return img.width / img.height

        def inside(x: float, w: float) -> float:
            return min(max(x, w / 2 + 0.03 * W), W - w / 2 - 0.03 * W)

        if not figures:
            # an insert or a metaphor: the object the action names is the picture; with none named,
            # a close shot shows the block's things and a wide one (an establishing view) the place alone
            named = [m for m in story.things if m.icon in story.action_icons]
            chosen = named or ([] if shot_size in _WIDE_FAMILY else story.things)
            for k, match in enumerate(chosen[:3]):
                h = (0.55 if k == 0 else 0.3) * H
                a = aspect(match.icon)
                x = W / 2 if k == 0 else W * (0.5 + (0.32 if k == 1 else -0.32))
                base = 0.6 * H if match.icon in AIRBORNE else 0.84 * H  # a bird in the sky, a cup on its sill
                things.append(_Thing(match.phrase, match.icon, inside(x, h * a), base, h, match.creature,
                                     False, a))
            return things
        f0 = figures[0]
        u = f0.height
        top = f0.eye - 0.065 * u
        feet = top + u
        ground = min(feet, 0.98 * H if shot_size in _WIDE_FAMILY else 0.86 * H)  # above the caption band
        wide = shot_size in _WIDE_FAMILY
        actions = story.actions
        other = figures[1] if len(figures) > 1 else None
        side_free = -1 if f0.x > W / 2 else 1  # the half of the frame the subject leaves
        slots = {1: 0, -1: 0}
        boat = next((m for m in story.things if m.icon in _BOATS), None)
        if story.setting.name == "sea" and (boat is None or "row" not in actions):
            # on the open sea nobody stands on the water: each person is given a boat to sit in
            for f in figures:
                fu, ftop = f.height, f.eye - 0.065 * f.height
                things.append(_Thing("boat", "canoe", f.x, ftop + 0.8 * fu, 0.5 * fu,
                                     False, direction < 0, aspect("canoe")))
            self.afloat = True
            if boat is not None:  # the block's own boat is the one they sit in
                things[-len(figures)] = replace(things[-len(figures)], name=boat.phrase, icon=boat.icon)
        for match in story.things:
            if self.afloat and match.icon in _BOATS:
                continue  # they are sitting in it already
            a = aspect(match.icon)
            real = height_m(match.icon) / 1.7 * u
            if boat is not None and match is boat and "row" in actions:
                # the rower sits in the boat: its hull hides them below the waist
                h = 0.5 * u
                things.append(_Thing(match.phrase, match.icon, f0.x, top + 0.8 * u, h, False, direction < 0, a))
                continue
            # small animals are carried like things ("she carries the kitten out")
            if match.icon == "ladder" and "climb" in actions:
                # the ladder stands behind the climber, from the ground up past their head
                things.append(_Thing(match.phrase, match.icon, f0.x, feet, 1.5 * u, False, False, a, behind=True))
                continue
            holdable = (height_m(match.icon) <= (0.45 if match.creature else 1.0)
                        and (match.icon in story.action_icons or not story.action_icons))
            if holdable and self.held is None and {"hold", "give"} & set(actions):
                h = min(max(real, 0.12 * u), 0.3 * u, 0.2 * H)
                x = f0.x + f0.facing * 0.27 * u * f0.palette.build
                travel = 0.0
                if "give" in actions and other is not None:
                    # it starts in the giver's hand and ends in the other's
                    travel = other.x + other.facing * 0.27 * other.height * other.palette.build - x
                things.append(_Thing(match.phrase, match.icon, x, top + 0.33 * u + 0.45 * h, h, match.creature,
                                     f0.facing < 0, a, travel=travel))
                self.held = match.icon
                continue
            # close in, a prop is kept to the frame's lower corners rather than filling them
            cap = 0.24 * H if not wide else 2.5 * u
            if match.creature and not wide:
                cap = 0.38 * H
            h = min(max(real, 0.1 * H if not wide else 0.05 * u), cap, 0.9 * H, 0.45 * W / a)  # whole in frame
            if match.icon in AIRBORNE:
                s = side_free
                x = inside(f0.x + s * (0.6 * u + slots[s] * 0.4 * u), h * a)
                things.append(_Thing(match.phrase, match.icon, x, max(0.3 * H, top - 0.05 * u), min(h, 0.2 * H),
                                     match.creature, s > 0, a))
                continue
            s = side_free if slots[side_free] <= slots[-side_free] else -side_free
            if self.held is not None and slots[-f0.facing] <= slots[f0.facing]:
                s = -f0.facing  # keep the holding hand clear
            reach = 0.22 * u * f0.palette.build + h * a * 0.55 + slots[s] * 0.5 * h * a
            x = inside(f0.x + s * reach, h * a)
            slots[s] += 1
            # creatures face the subject; the icons' animals look left by default
            # something bigger than a person stands behind them rather than hiding them
            things.append(_Thing(match.phrase, match.icon, x, ground, h, match.creature, s < 0, a,
                                 behind=h > 0.7 * u))
        return things

    def drawn(self) -> dict[str, Any]:
        """What the frames show, by name: only what was drawn and is in the picture."""
        W, H, n = self.W, self.H, self.n
        m, scene = self.motion, self.scene

        def views(cam: Any, dx: Any = None, dy: Any = None) -> list[tuple[float, float, float, float]]:
            out = []
            for i in sorted({0, n // 2, n - 1}):
                ox = float(cam.ox[i]) - (float(dx[i]) if dx is not None else 0.0)
                oy = float(cam.oy[i]) - (float(dy[i]) if dy is not None else 0.0)
                z = float(cam.z[i])
                out.append((ox, oy, ox + W / z, oy + H / z))
            return out

        def seen(box: tuple[float, float, float, float], rects: list) -> bool:
            return any(box[0] < r[2] and box[2] > r[0] and box[1] < r[3] and box[3] > r[1] for r in rects)

        subject_views = views(m.subject, m.sprite_dx if self.sprite is not None else None,
                              m.sprite_dy if self.sprite is not None else None)
        props = [t for t in self.things if not t.creature and seen(t.bbox(), subject_views)]
        creatures = [t for t in self.things if t.creature and seen(t.bbox(), subject_views)]
        people = [f.name for f in scene.figures if seen(f.bbox(scene.overhead), subject_views)]
        people += [c["name"] for c in self.character_sources if c["source"] == "foreground shoulder"]
        held = self.held if self.held in {t.icon for t in props + creatures} else None
        actions = list(self.actions_drawn)
        if held and "give" in self.story.actions and len(scene.figures) > 1:
            actions.append("give")
        elif held:
            actions.append("hold")
        if "embrace" in self.story.actions and len(scene.figures) > 1 and scene.figures[0].arms == "forward":
            actions.append("embrace")
        procedural = scene.plate is None
        icons_used = {t.icon for t in props + creatures} | (scene.dressing_drawn if procedural else set())
        return {
            "setting": scene.setting.name if procedural else f"location reference {self.plate.get('reference')}",
            "landmark": scene.landmark_drawn if procedural else None,
            "set_dressing": sorted(scene.dressing_drawn) if procedural else [],
            "props": list(dict.fromkeys(t.name for t in props)),
            "creatures": list(dict.fromkeys(t.name for t in creatures)),
            "effects": self.effects_drawn,
            "characters": people,
            "actions": actions,
            "icons": {t.name: t.icon for t in props + creatures},
            "credits": [ICON_SET] if icons_used else [],
        }


_BOATS = ("canoe", "sailboat", "motor-boat", "speedboat")


def _animate(m: _Motion, actions: list[str], movement: str, n: int, fps: int, W: int, H: int, direction: int,
             feet_visible: bool) -> tuple[list[tuple[float, float]], list[str]]:
    """Give the subject layer the motion of the shot's action; the poses (arm/leg
    swing, lean) the sprite is drawn in, and the actions that became visible."""
    t = np.arange(n) / fps
    dur = n / fps
    walking_poses = [(0.0, 0.0), (0.06, 0.0), (0.0, 0.0), (-0.06, 0.0)]
    if movement == "tracking":  # the camera planner already walks the subject through the frame
        drawn = (["run" if "run" in actions else "walk"]) if feet_visible else []
        return (walking_poses if int(m.pose.max()) > 0 else [(0.0, 0.0)]), drawn
    if not actions or m.subject is None:
        return [(0.0, 0.0)], []

    def own_layer() -> None:
        if m.background is None:
            s = m.subject
            m.background = _Cam(s.ox.copy(), s.oy.copy(), s.z.copy())

    lead = next((a for a in actions if a in ("fall", "climb", "row", "run", "walk")), None)
    if lead in ("walk", "run"):
        own_layer()
        speed = (0.1 if lead == "walk" else 0.25) * W
        m.sprite_dx = direction * speed * (t - dur / 2)
        steps = (1.8 if lead == "walk" else 2.8) * t
        m.pose = (np.floor(steps * 4).astype(np.int64)) % 4
        m.sprite_dy = -np.abs(np.sin(np.pi * steps * 2)) * (0.004 if lead == "walk" else 0.01) * H
        return walking_poses, [lead]
    if lead == "climb":
        own_layer()
        m.sprite_dy = -0.05 * H * t
        m.pose = (np.floor(1.4 * t * 4).astype(np.int64)) % 4
        return walking_poses, ["climb"]
    if lead == "row":
        own_layer()
        m.sprite_dx = direction * 0.03 * W * t
        m.sprite_dy = 0.004 * H * np.sin(2 * np.pi * 0.5 * t)
        m.pose = (np.floor(0.8 * t * 4).astype(np.int64)) % 4
        return [(0.0, 0.0), (0.04, 0.0), (0.0, 0.0), (-0.04, 0.0)], ["row"]
    if lead == "fall":
        own_layer()
        t0 = 0.3 * dur
        u = np.clip((t - t0) / 0.45, 0, 1)
        m.pose = np.minimum(3, np.floor(u * 3.999)).astype(np.int64)
        lean = direction * 1.45
        return [(0.0, 0.0), (0.0, lean * 0.3), (0.0, lean * 0.65), (0.0, lean)], ["fall"]
    return [(0.0, 0.0)], []
