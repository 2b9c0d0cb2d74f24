"""ffmpeg from the imageio-ffmpeg wheel, and a small probe built on it.

There is no ffprobe here, so `probe` reads what `ffmpeg -i` prints and, when
asked, counts decoded frames exactly.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from filmcrew.errors import ConfigurationError, FilmcrewError

__all__ = ["ffmpeg_exe", "run_ffmpeg", "probe", "MediaInfo", "count_frames", "clip_problem", "DELIVERY_AUDIO_ARGS"]

# The film's audio as delivered: the mixer's trial encode and the final mux
# must use the same encoder settings, or the trial proves nothing.
DELIVERY_AUDIO_ARGS: tuple[str, ...] = ("-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2")


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ConfigurationError("ffmpeg is missing: pip install imageio-ffmpeg") from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg quietly; raise with the tail of its log when it fails."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-12:])
        raise FilmcrewError(f"ffmpeg failed ({proc.returncode}): {tail}")
    return proc


@dataclass
class MediaInfo:
    duration: float
    video_codec: str | None = None
    audio_codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    sample_rate: int | None = None
    channels: str | None = None
    streams: list[str] = field(default_factory=list)


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio): (\w+)(.*)")


def probe(path: str | Path) -> MediaInfo:
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    text = proc.stderr
    m = _DURATION.search(text)
    if not m:
        raise FilmcrewError(f"cannot read media file {path}: {text.strip().splitlines()[-1] if text.strip() else 'no output'}")
    h, mi, s = m.groups()
    info = MediaInfo(duration=int(h) * 3600 + int(mi) * 60 + float(s))
    for kind, codec, rest in _STREAM.findall(text):
        info.streams.append(f"{kind}:{codec}")
        if kind == "Video" and info.video_codec is None:
            info.video_codec = codec
            size = re.search(r"\b(\d{2,5})x(\d{2,5})\b", rest)
            if size:
                info.width, info.height = int(size.group(1)), int(size.group(2))
            fps = re.search(r"([\d.]+) fps", rest)
            if fps:
                info.fps = float(fps.group(1))
        elif kind == "Audio" and info.audio_codec is None:
            info.audio_codec = codec
            sr = re.search(r"(\d+) Hz", rest)
            if sr:
                info.sample_rate = int(sr.group(1))
            ch = re.search(r"Hz, ([\w.]+)", rest)
            if ch:
                info.channels = ch.group(1)
    return info


def count_frames(path: str | Path) -> int:
    """Decode the video stream and count its frames (exact, slower than probe)."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
        capture_output=True, text=True,
    )
    found = re.findall(r"frame=\s*(\d+)", proc.stderr)
    if not found:
        raise FilmcrewError(f"no video frames in {path}")
    return int(found[-1])


def clip_problem(path: str | Path, frames: int | None = None) -> str | None:
    """Why the clip at `path` cannot be used (missing, undecodable, short), or None.

    Decodes the whole video stream, so a file cut short by a crash or a full
    disk is caught even when its header survived. The answer is remembered
    per file version (path, size, modification time), since a resume asks
    about every clip each time it looks for the first stale stage.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return "missing"
    return _clip_problem(str(p), st.st_size, st.st_mtime_ns, frames)


@lru_cache(maxsize=4096)
def _clip_problem(path: str, size: int, mtime_ns: int, frames: int | None) -> str | None:
    if size == 0:
        return "empty file"
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-stats", "-i", path, "-map", "0:v:0", "-f", "null", "-"],
        capture_output=True, text=True,
    )
    decoded = re.findall(r"frame=\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or not decoded:
        lines = [line for line in proc.stderr.strip().splitlines() if not line.startswith("frame=")]
        return f"not decodable ({lines[-1][:120] if lines else 'no video frames'})"
    count = int(decoded[-1])
    if frames is not None and count < frames:
        return f"{count} of {frames} frames decode"
    return None
