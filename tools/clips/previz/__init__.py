"""Offline previz: animatic clips in which a shot's camera language is visible.

`PrevizRenderer` is the default provider of the clip-generation seam. It needs
no network and no model: each shot becomes a real H.264 clip that shows the
planned shot size (how large the subject is in frame), the camera movement
(pan, dolly, crane, whip pan, dolly zoom ...), the angle (high/low
perspective, dutch roll, over-the-shoulder, overhead, point of view), the lens
(depth of field) and the atmosphere (time of day, weather, grade). The
picture is drawn over the user's reference images -- a location image as the
background plate, character images as cut-outs -- or over procedural
stand-ins when there are none. Each clip carries a caption of the action, a
slate, and a list of timed visual events a sound designer can sync to.

It also draws the story. The `look` dict may carry the block's `location`,
`elements` and `cast` (the clip stage sets them): the block's location picks
one of ~40 settings by embedding similarity (every shot of a block shares it),
the elements and the action's nouns become props and creatures (a vendored
subset of Fluent Emoji, MIT, see `assets/SOURCES.md`), their words become
effects (fire, smoke, flood, snow, lightning, neon, sparks, dust), the cast's
descriptions dress the people, and the action's verbs move them (walk, run,
row, climb, fall, hold, give, embrace). The clip's `drawn` record lists what
the frames really show, and nothing that was asked for but not drawn.

Speed comes from doing once per clip everything that does not change within
a shot: the background, the characters, the grade, the vignette, caption and
slate are drawn into "plates"; each frame is then one sub-pixel crop-and-scale
of a plate (two when the subject moves against the background), a few cheap
overlays, and raw RGB piped to ffmpeg.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filmcrew.errors import FilmcrewError
from filmcrew.memory.models import ClipAsset, Drawn, ReferenceImage, Shot
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash
from filmcrew.tools.media import ffmpeg_exe

from .clip import _Clip
from .encode import _count_packets, _encode
from .look import Look, resolve_look

__all__ = ["PrevizRenderer", "render_previz", "Look", "resolve_look", "PREVIZ_VERSION"]


#: Bumped whenever the same inputs would render different pixels.
PREVIZ_VERSION = "4"


def _check_request(duration: float, resolution: tuple[int, int], fps: int) -> tuple[int, int, int]:
    try:
        W, H = (int(v) for v in resolution)
    except (TypeError, ValueError):
        raise ValueError(f"resolution must be (width, height), got {resolution!r}") from None
    if W < 16 or H < 16 or W % 2 or H % 2:
        raise ValueError(f"resolution must be even and at least 16x16 for H.264 yuv420p, got {W}x{H}")
    if not isinstance(fps, int) or fps <= 0 or fps > 120:
        raise ValueError(f"fps must be a whole number in 1..120, got {fps!r}")
    if not duration > 0:
        raise ValueError(f"duration must be positive, got {duration!r}")
    return W, H, max(1, int(round(duration * fps)))


def render_previz(
    shot: Shot,
    references: Sequence[ReferenceImage],
    duration: float,
    resolution: tuple[int, int],
    out_path: str | Path,
    *,
    fps: int = 24,
    look: dict[str, Any] | None = None,
    preset: str = "veryfast",
    crf: int = 23,
    workers: int | None = None,
    caption: bool = True,
    slate: bool = True,
    cancel: threading.Event | None = None,
) -> ClipAsset:
    """Render `shot` into an H.264 clip of exactly round(duration * fps) frames.

    Blocking (CPU and ffmpeg); `PrevizRenderer.generate` runs it in a thread.
    `out_path` appears only when the clip is complete. Setting `cancel` stops
    the render at the next frame and leaves nothing behind.
    """
    W, H, n = _check_request(duration, resolution, fps)
    out = Path(out_path)
    resolved = resolve_look(shot, look)
    clip = _Clip(shot, references, n, fps, (W, H), resolved, caption, slate, look_dict=look)
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    with atomic_path(out) as tmp:
        # resolved here, per render: this module's `ffmpeg_exe` is the one switch for which ffmpeg runs
        ffmpeg = ffmpeg_exe()
        _encode(ffmpeg, clip, tmp, out, preset, crf, workers, cancel)
        frames = _count_packets(ffmpeg, tmp)
        if frames != n:
            raise FilmcrewError(f"previz clip {out.name} has {frames} frames, expected {n}")
    events = [{"t": ev.t, "kind": ev.kind, "description": ev.description} for ev in clip.motion.events]
    return ClipAsset(
        shot_id=shot.id,
        block_id=shot.block_id,
        path=str(out),
        duration=n / fps,
        frames=n,
        fps=fps,
        width=W,
        height=H,
        provider=PrevizRenderer.name,
        input_hash=clip_input_hash(PrevizRenderer.name, shot, references, duration, (W, H), fps, look),
        metadata={
            "camera": clip.camera,
            "events": events,
            "look": resolved.as_dict(),
            "location": clip.location,
            "setting": {"name": clip.story.setting.name, "score": clip.story.setting_score,
                        "from": clip.story.setting_from},
            "plate": clip.plate,
            "characters": clip.character_sources,
            "layers": clip.layers,
            "dutch_roll_degrees": round(clip.roll, 2),
            "renderer": f"previz/{PREVIZ_VERSION}",
        },
        drawn=Drawn.model_validate(clip.drawn()),
    )


class PrevizRenderer(ClipGenerator):
    """Offline animatic renderer: the clip-generation seam's default provider.

    `preset`/`crf` are libx264's; `workers` is how many frames render at once
    (default: up to 4, one per core); `caption` and `slate` switch the burnt-in
    text off for clean plates.
    """

    name = "previz"

    def __init__(self, *, preset: str = "veryfast", crf: int = 23, workers: int | None = None,
                 caption: bool = True, slate: bool = True):
        self.preset, self.crf, self.workers = preset, crf, workers
        # Settings that change the picture are part of the clip cache key.
        self.version = f"{PREVIZ_VERSION}/{preset}/crf{crf}/{'caption' if caption else 'clean'}/{'slate' if slate else 'noslate'}"
        self.caption, self.slate = caption, slate

    async def generate(
        self,
        shot: Shot,
        references: Sequence[ReferenceImage],
        duration: float,
        resolution: tuple[int, int],
        out_path: Path,
        *,
        fps: int = 24,
        look: dict[str, Any] | None = None,
    ) -> ClipAsset:
        cancel = threading.Event()
        try:
            return await asyncio.to_thread(
                render_previz, shot, references, duration, resolution, out_path, fps=fps, look=look,
                preset=self.preset, crf=self.crf, workers=self.workers, caption=self.caption, slate=self.slate,
                cancel=cancel,
            )
        except asyncio.CancelledError:
            # the worker thread cannot be interrupted; tell it to stop at its next frame
            cancel.set()
            raise

    def describe(self) -> str:
        return "previz (offline animatic renderer)"
