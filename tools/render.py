"""Picture from the timeline, and the final mux with the mix.

`render_picture` plays the picture track the way the timeline says, using the
speed convention documented in `filmcrew.tools.timeline`: a clip shows its
media from `source_range.start_time`, for `source_range.duration` on the
timeline, reading `speed` times as fast when it carries a `LinearTimeWarp`.
Each clip (or gap, as black) becomes an intermediate H.264 segment of exactly
its number of timeline frames; the segments are joined with the concat demuxer
without re-encoding. So the film has exactly as many frames as the timeline.

`mux` adds the mixed soundtrack, padded or cut to the picture's length; the
picture is never shortened to fit the sound.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from filmcrew.errors import FilmcrewError, InputError
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.media import DELIVERY_AUDIO_ARGS, count_frames, probe, run_ffmpeg
from filmcrew.tools.timeline import clip_speed, media_path, picture_track

__all__ = ["render_picture", "mux", "timeline_duration"]

# Identical encoder settings for every segment are what lets the concat
# demuxer join them with `-c copy`.
_X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"]


@dataclass
class _Segment:
    frames: int  # output frames at the render rate
    path: Path | None = None  # None: black (a gap)
    source_start: float = 0.0  # seconds into the media
    speed: float = 1.0
    name: str = ""


def timeline_duration(tl: otio.schema.Timeline) -> float:
    """Length of the picture track in seconds: the film's length."""
    return picture_track(tl).duration().to_seconds()


def _segments(tl: otio.schema.Timeline, fps: int) -> list[_Segment]:
    track = picture_track(tl)
    segments: list[_Segment] = []
    # Boundaries are rounded on the running total, so per-clip rounding never
    # adds up to a film that is a frame longer or shorter than the timeline.
    for item in track:
        if isinstance(item, otio.schema.Transition):
            raise InputError("the renderer does not play transitions; remove them from the picture track")
        rng = item.range_in_parent()
        start = int(round(rng.start_time.to_seconds() * fps))
        end = int(round(rng.end_time_exclusive().to_seconds() * fps))
        frames = end - start
        if frames <= 0:
            continue
        # A disabled clip is a gap to every OTIO player; render it as one.
        if isinstance(item, otio.schema.Clip) and item.enabled:
            path = media_path(item)
            if not path.exists():
                raise InputError(f"media for shot {item.name} is missing: {path}")
            segments.append(
                _Segment(
                    frames=frames,
                    path=path,
                    source_start=item.trimmed_range().start_time.to_seconds(),
                    speed=clip_speed(item),
                    name=item.name,
                )
            )
        else:
            segments.append(_Segment(frames=frames, name=item.name or "gap"))
    if not segments:
        raise InputError("the picture track is empty; there is nothing to render")
    return segments


def _fit(width: int, height: int) -> str:
    return (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p"
    )


def _render_segment(seg: _Segment, out: Path, width: int, height: int, fps: int) -> None:
    if seg.path is None:
        args = ["-f", "lavfi", "-i", f"color=c=black:s={width}x{height}:r={fps}", "-vf", "format=yuv420p"]
    else:
        # Normalise to the film rate first so that frame numbers mean film
        # frames, cut at the exact first frame, speed up, then resample to the
        # film rate again. The clone pad and -frames:v make the count exact
        # even when the media runs a frame short.
        first = int(round(seg.source_start * fps))
        need = int(math.ceil(seg.frames * seg.speed)) + 1
        chain = [
            "setpts=PTS-STARTPTS",
            f"fps={fps}",
            f"trim=start_frame={first}:end_frame={first + need}",
            "setpts=PTS-STARTPTS",
        ]
        if seg.speed != 1.0:
            chain += [f"setpts=PTS/{seg.speed!r}", f"fps={fps}"]
        chain += ["tpad=stop=-1:stop_mode=clone", _fit(width, height)]
        args = ["-i", str(seg.path), "-vf", ",".join(chain)]
    run_ffmpeg(
        [
            *args,
            "-frames:v", str(seg.frames),
            "-an", *_X264, "-r", str(fps),
            "-video_track_timescale", str(fps * 512),
            str(out),
        ]
    )


def render_picture(
    tl: otio.schema.Timeline,
    out_path: Path,
    *,
    width: int,
    height: int,
    fps: int = 24,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Render the picture track to an H.264 MP4 of exactly the timeline's frames.

    `progress(frames_done, frames_total)` is called after each segment.
    """
    if width <= 0 or height <= 0 or width % 2 or height % 2:
        raise ValueError(f"width and height must be positive and even for yuv420p, got {width}x{height}")
    out_path = Path(out_path)
    segments = _segments(tl, fps)
    total = sum(s.frames for s in segments)
    done = 0
    # Segments stay beside the output (inside the run): a killed export leaves them
    # where the next run's clean-up finds them, not in the system temp folder.
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=".filmcrew-render-", dir=out_path.parent))
    try:
        lines = []
        for i, seg in enumerate(segments):
            part = tmp_dir / f"seg{i:04d}.mp4"
            try:
                _render_segment(seg, part, width, height, fps)
            except FilmcrewError as exc:
                raise FilmcrewError(f"rendering {seg.name or f'segment {i}'} failed: {exc}") from exc
            lines.append(f"file '{part.as_posix()}'")
            done += seg.frames
            if progress is not None:
                progress(done, total)
        listing = tmp_dir / "segments.txt"
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with atomic_path(out_path) as tmp:
            run_ffmpeg(
                ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", "-movflags", "+faststart", str(tmp)]
            )
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return out_path


def _picture_seconds(picture: Path) -> float:
    info = probe(picture)
    if info.video_codec is None:
        raise InputError(f"{picture} has no video stream")
    if info.fps:
        return count_frames(picture) / info.fps
    return info.duration


def mux(picture: Path, audio: Path, out_path: Path) -> Path:
    """Put `audio` under `picture`: video copied, AAC 192k 48 kHz stereo,
    audio padded with silence or cut to the picture's exact length."""
    picture, audio, out_path = Path(picture), Path(audio), Path(out_path)
    for p in (picture, audio):
        if not p.exists():
            raise InputError(f"cannot mux: {p} does not exist")
    # Round up to the microsecond so the last frame is not lost to float error.
    seconds = math.ceil(_picture_seconds(picture) * 1e6) / 1e6
    with atomic_path(out_path) as tmp:
        run_ffmpeg(
            [
                "-i", str(picture), "-i", str(audio),
                "-map", "0:v:0", "-map", "1:a:0",
                "-c:v", "copy",
                "-af", "apad", *DELIVERY_AUDIO_ARGS,
                "-t", f"{seconds:.6f}",
                "-movflags", "+faststart",
                str(tmp),
            ]
        )
    return out_path
