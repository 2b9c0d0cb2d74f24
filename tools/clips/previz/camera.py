"""The camera: framing, moves, angles and the per-frame path of each layer.

Shot size sets the framing; the movement and the action's words become a
per-frame camera path (`_plan_motion`) with the events the viewer sees; the
angle becomes a warp of the picture (keystone or dutch roll).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from filmcrew.memory.models import Shot

from .common import Rect, _rng, _seed, _smooth
from .events import _action_events, _Event, _snap
from .look import Look


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

# Events the camera reacts to with a jolt, and how hard (fraction of frame height).
_JOLTS = {"impact": 0.018, "crash": 0.02, "explosion": 0.035, "gunshot": 0.012, "hit": 0.01, "door_slam": 0.016}


def _lens_mm(lens: str) -> float:
    m = re.search(r"(\d+(?:\.\d+)?)\s*mm", lens or "")
    return float(m.group(1)) if m else 35.0


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


# Movements that carry the camera across the world: under a dutch roll they follow
# the world's horizon, not the frame's.
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
