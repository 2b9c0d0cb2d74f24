"""What a viewer can know of a cut: its shots and blocks described, and stills sampled.

`describe_cut` is what the audience "watches" offline, what the editor
analyses and what the sound designer times effects against: every shot in
timeline order with its position, camera, voice-over, brightness and the
visible events of its clip re-timed through trims and speed changes, then the
same grouped by scene block. `sample_cut_frames` takes one still per shot for
a model that can see.

Every shot also carries what perception measured on the part of its clip the
cut shows (`filmcrew.tools.perception`: luma, optical-flow motion and movement,
faces and people, colour likeness to the shot before) and what the clip's
renderer says it drew, so whoever watches the cut reacts to the picture, not to
the plan. `find_problems` reads that description together with the script and
an audience profile and returns the problems a viewer of that archetype would
notice, each tied to a shot or block and a timecode.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict

import opentimelineio as otio

from filmcrew.memory.models import ClipAsset, ClipSet, ShotPlan
from filmcrew.tools.media import ffmpeg_exe, run_ffmpeg
from filmcrew.tools.timeline import ShotSpan, media_path, picture_track, shot_spans

__all__ = ["ShotView", "BlockView", "CutDescription", "Measured", "describe_cut", "frame_brightness", "sample_cut_frames"]

# When a frame cannot be read, treat the shot as mid-grey rather than dark or bright.
_UNKNOWN_BRIGHTNESS = 0.5


class Measured(TypedDict):
    """What perception measured on the part of a clip the cut shows."""

    luma: float  # mean luma, 0-255
    motion: float  # mean optical-flow speed, frame widths per frame
    movement: str  # static, pan, tilt, zoom, handheld, moving
    face_share: float
    people_share: float
    size: str  # close, medium, wide, unknown (from the largest face)
    likeness_to_previous: float | None  # 1 - colour-histogram distance to the shot before (same picture = 1)
    face_of: str | None  # the one character the shot shows, whose face was found
    face_likeness: float | None  # its face against the character's reference image, else its first appearance
    seen: list[dict[str, Any]]  # perception events in the shown span, re-timed to the shot


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
    measured: Measured | None
    drawn: dict[str, Any] | None


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


# Perception events a viewer notices inside a shot (cuts inside a clip are the clip's own business).
_SEEN_KINDS = ("flash", "exposure_change", "black", "frozen", "motion_start", "motion_peak")


def _measure(clip: ClipAsset, span: ShotSpan) -> tuple[Measured, list[float], list[float]] | None:
    """Perception of the clip, restricted to what the cut shows of it; None when it cannot be read."""
    from filmcrew.errors import FilmcrewError
    from filmcrew.tools.perception import perceive

    try:
        seen = perceive(clip.path)
    except FilmcrewError:
        return None
    video = seen.video
    if video is None or not video.times:
        return None
    lo, hi = span.source_start, span.source_start + span.source_duration
    idx = [i for i, t in enumerate(video.times) if lo - 1e-6 <= t < hi] or list(range(len(video.times)))
    # The first frame of a clip has no flow (nothing before it); leave it out of the mean.
    moving = [video.motion[i] for i in idx if i > 0] or [0.0]
    shots = [s for s in seen.shots if s.end > lo and s.start < hi] or seen.shots
    main = max(shots, key=lambda s: min(s.end, hi) - max(s.start, lo))
    events = []
    for e in seen.events:
        if e.kind in _SEEN_KINDS and lo <= e.time < hi:
            events.append({"kind": e.kind, "t": round((e.time - lo) / span.speed, 3), "strength": e.strength})
    measured = Measured(
        luma=round(sum(video.luma[i] for i in idx) / len(idx), 2),
        motion=round(sum(moving) / len(moving), 5),
        movement=main.movement,
        face_share=round(max(s.face_share for s in shots), 3),
        people_share=round(max(s.people_share for s in shots), 3),
        size=main.shot_size,
        likeness_to_previous=None,
        face_of=None,
        face_likeness=None,
        seen=events,
    )
    return measured, list(main.colour_signature), list(main.face_signature)


# How far a renderer's hinted event may be from what perception saw and still be the same moment.
_SNAP_S = 0.5
# What a clip with no hints (a real provider's) is said to show at a perceived moment, in words the
# sound designer's rules read.
_PERCEIVED_AS = {"flash": "a flash of lightning", "motion_peak": "a sudden movement"}


def _ground_events(hints: list[dict[str, Any]], seen: list[dict[str, Any]], *, had_hints: bool) -> list[dict[str, Any]]:
    """The renderer's hinted events moved onto the moment perception saw them (within half a second);
    a clip that came without hints gets its perceived flashes and movement peaks as events."""
    grounded = []
    for hint in hints:
        near = [e for e in seen if abs(e["t"] - hint["t"]) <= _SNAP_S]
        if near:
            best = min(near, key=lambda e: abs(e["t"] - hint["t"]))
            hint = {**hint, "t": best["t"], "measured": best["kind"]}
        grounded.append(hint)
    if not had_hints:
        for e in seen:
            if e["kind"] in _PERCEIVED_AS:
                grounded.append({"t": e["t"], "kind": e["kind"], "description": _PERCEIVED_AS[e["kind"]], "measured": e["kind"]})
    return grounded


def _likeness(a: list[float], b: list[float]) -> float | None:
    if not a or len(a) != len(b):
        return None
    return round(1.0 - 0.5 * sum(abs(x - y) for x, y in zip(a, b)), 3)


def describe_cut(
    timeline: otio.schema.Timeline, plan: ShotPlan, clips: ClipSet, voice_by_block: Mapping[str, str] | None = None,
    *, perceive_clips: bool = True, faces: Mapping[str, list[float]] | None = None,
) -> CutDescription:
    """The cut as a viewer meets it. `voice_by_block` is the editor's voice-over per
    block when there is one; otherwise a block's voice-over is its shots' lines.
    `faces` maps a character to the appearance signature of its reference image
    (`perception.appearance_signature`); a character without one is compared
    with its first appearance in the cut. `perceive_clips=False` skips
    perception (brightness then comes from one frame)."""
    anchors: dict[str, list[float]] = dict(faces or {})
    planned = {s.id: s for s in plan.shots}
    by_shot = {c.shot_id: c for c in clips.clips}
    shots: list[ShotView] = []
    previous_signature: list[float] = []
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
        found = _measure(clip, span) if clip and perceive_clips else None
        measured: Measured | None = None
        if found is not None:
            measured, signature, face = found
            measured["likeness_to_previous"] = _likeness(signature, previous_signature)
            previous_signature = signature
            drawn_people = list(clip.drawn.characters) if clip and clip.drawn else list(shot.characters)
            if len(drawn_people) == 1 and face and measured["size"] in ("close", "medium") and measured["face_share"] >= 0.75:
                # Only a shot with one character says whose face was found, only a face big enough
                # to read, and only one found in most sampled frames (a detector that finds a "face"
                # now and then in a wide shot is finding a window or a flame).
                name = drawn_people[0]
                measured["face_of"] = name
                measured["face_likeness"] = _likeness(face, anchors.setdefault(name, face))
            events = _ground_events(events, measured["seen"], had_hints=bool(clip and clip.metadata.get("events")))
        else:
            previous_signature = []
        brightness = (round(measured["luma"] / 255.0, 3) if measured is not None
                      else frame_brightness(clip.path, middle) if clip else _UNKNOWN_BRIGHTNESS)
        shots.append(ShotView(
            shot_id=span.shot_id, block_id=span.block_id, start=round(span.start, 4), duration=round(span.duration, 4),
            speed=span.speed, shot_size=shot.shot_size, movement=shot.movement, angle=shot.angle,
            action=shot.action, voice_over=shot.voice_over, dialogue=shot.dialogue, speaker=shot.speaker,
            characters=list(shot.characters),
            brightness=brightness,
            events=events,
            measured=measured,
            drawn=clip.drawn.model_dump(mode="json", exclude={"credits", "icons"}) if clip and clip.drawn else None,
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
