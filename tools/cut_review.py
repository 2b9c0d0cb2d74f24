"""What a viewer can know of a cut: its shots and blocks described, and stills sampled.

`describe_cut` is what the audience "watches" offline, what the editor
analyses and what the sound designer times effects against: every shot in
timeline order with its position, camera, voice-over, brightness and the
visible events of its clip re-timed through trims and speed changes, then the
same grouped by scene block. `sample_cut_frames` takes one still per shot for
a model that can see.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict

import opentimelineio as otio

from filmcrew.memory.models import ClipSet, ShotPlan
from filmcrew.tools.media import ffmpeg_exe, run_ffmpeg
from filmcrew.tools.timeline import media_path, picture_track, shot_spans

__all__ = ["ShotView", "BlockView", "CutDescription", "describe_cut", "frame_brightness", "sample_cut_frames"]

# When a frame cannot be read, treat the shot as mid-grey rather than dark or bright.
_UNKNOWN_BRIGHTNESS = 0.5


class ShotView(TypedDict):
    shot_id: str
    block_id: str
    start: float
    duration: float
    speed: float
    shot_size: str
    movement: str
    angle: str
    action: str
    voice_over: str
    dialogue: str
    speaker: str | None
    characters: list[str]
    brightness: float
    events: list[dict[str, Any]]


class BlockView(TypedDict):
    block_id: str
    duration: float
    shot_ids: list[str]
    voice_words: int
    voice_over: str


class CutDescription(TypedDict):
    duration: float
    shot_count: int
    average_shot_length: float
    shots: list[ShotView]
    blocks: list[BlockView]


def frame_brightness(path: str | Path, at: float) -> float:
    """Mean luma (0 black .. 1 white) of the frame at `at` seconds, from a 32x18 thumbnail."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-ss", f"{at:.3f}", "-i", str(path), "-frames:v", "1",
         "-vf", "scale=32:18", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
    )
    data = proc.stdout
    return round(sum(data) / (255.0 * len(data)), 3) if data else _UNKNOWN_BRIGHTNESS


def sample_cut_frames(timeline: otio.schema.Timeline, out_dir: Path, *, width: int = 512) -> list[Path]:
    """One JPEG per shot of the cut, from the middle of what the cut shows of it."""
    paths = {clip.name: media_path(clip) for clip in picture_track(timeline).find_clips()}
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    for span in shot_spans(timeline):
        target = out_dir / f"{span.shot_id}.jpg"
        at = span.source_start + span.source_duration / 2
        run_ffmpeg(["-ss", f"{at:.3f}", "-i", str(paths[span.shot_id]), "-frames:v", "1", "-vf", f"scale={width}:-2", str(target)])
        frames.append(target)
    return frames


def describe_cut(
    timeline: otio.schema.Timeline, plan: ShotPlan, clips: ClipSet, voice_by_block: Mapping[str, str] | None = None
) -> CutDescription:
    """The cut as a viewer meets it. `voice_by_block` is the editor's voice-over per
    block when there is one; otherwise a block's voice-over is its shots' lines."""
    planned = {s.id: s for s in plan.shots}
    by_shot = {c.shot_id: c for c in clips.clips}
    shots: list[ShotView] = []
    for span in shot_spans(timeline):
        shot = planned[span.shot_id]
        clip = by_shot.get(span.shot_id)
        events = []
        for event in (clip.metadata.get("events", []) if clip else []):
            # Event times are in the clip's media; the viewer sees them trimmed and sped up.
            rel = (float(event["t"]) - span.source_start) / span.speed
            if 0 <= rel < span.duration:
                events.append({**event, "t": round(rel, 3)})
        middle = span.source_start + span.source_duration / 2
        shots.append(ShotView(
            shot_id=span.shot_id, block_id=span.block_id, start=round(span.start, 4), duration=round(span.duration, 4),
            speed=span.speed, shot_size=shot.shot_size, movement=shot.movement, angle=shot.angle,
            action=shot.action, voice_over=shot.voice_over, dialogue=shot.dialogue, speaker=shot.speaker,
            characters=list(shot.characters),
            brightness=frame_brightness(clip.path, middle) if clip else _UNKNOWN_BRIGHTNESS,
            events=events,
        ))
    blocks: list[BlockView] = []
    for view in shots:
        if not blocks or blocks[-1]["block_id"] != view["block_id"]:
            blocks.append(BlockView(block_id=view["block_id"], duration=0.0, shot_ids=[], voice_words=0, voice_over=""))
        block = blocks[-1]
        block["duration"] = round(block["duration"] + view["duration"], 4)
        block["shot_ids"].append(view["shot_id"])
    voices = voice_by_block or {}
    for block in blocks:
        text = voices.get(block["block_id"]) or " ".join(s["voice_over"] for s in shots if s["block_id"] == block["block_id"])
        block["voice_words"] = len(text.split())
        block["voice_over"] = text
    total = sum(s["duration"] for s in shots)
    return CutDescription(duration=round(total, 4), shot_count=len(shots), average_shot_length=round(total / max(1, len(shots)), 3),
                          shots=shots, blocks=blocks)
