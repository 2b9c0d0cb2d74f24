"""Small media files for tests: frames and sound synthesised in numpy, encoded by ffmpeg,
and degraded copies of a film made with ffmpeg filters."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Callable

import numpy as np
import soundfile

from filmcrew.tools.media import ffmpeg_exe

FPS = 24
W, H = 192, 108


def texture(seed: int, w: int = W, h: int = H) -> np.ndarray:
    """A textured BGR picture (blurred noise + shapes) that optical flow and cut detection can lock onto."""
    import cv2

    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, (h // 4, w // 4, 3), dtype=np.uint8)
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)
    cv2.circle(img, (w // 3, h // 2), h // 5, (int(rng.integers(0, 255)), 200, 90), -1)
    cv2.rectangle(img, (w // 2, h // 4), (w // 2 + w // 5, h // 2 + h // 5), (30, int(rng.integers(0, 255)), 220), -1)
    return img


def write_video(path: Path, frames: list[np.ndarray], *, fps: int = FPS, audio: np.ndarray | None = None,
                rate: int = 48000) -> Path:
    """Encode BGR frames (and optional mono float audio) to an H.264/AAC mp4."""
    h, w = frames[0].shape[:2]
    cmd = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}",
           "-r", str(fps), "-i", "-"]
    wav = None
    if audio is not None:
        wav = path.with_suffix(".wav")
        soundfile.write(wav, audio.astype(np.float32), rate)
        cmd += ["-i", str(wav), "-c:a", "aac", "-b:a", "128k", "-shortest"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-qp", "10", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(cmd, input=b"".join(f.tobytes() for f in frames), check=True, capture_output=True)
    if wav is not None:
        wav.unlink()
    return path


INTENT_FILES = ("brief.json", "audience.json", "script.json", "shot_plan.json", "sound_design.json", "timeline.otio")


def degrade(run: Path, dest: Path, *, vf: str | None = None, af: str | None = None, extra: list[str] | None = None,
            brief: str | None = None) -> Path:
    """A copy of a run directory whose film.mp4 went through ffmpeg filters (same declared intent)."""
    import json

    dest.mkdir(parents=True, exist_ok=True)
    for name in INTENT_FILES:
        if (run / name).exists():
            shutil.copy(run / name, dest / name)
    if brief is not None:
        data = json.loads((dest / "brief.json").read_text())
        data["text"] = brief
        (dest / "brief.json").write_text(json.dumps(data))
    cmd = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", "-i", str(run / "film.mp4")]
    cmd += extra or []
    if vf:
        cmd += ["-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p"]
    else:
        cmd += ["-c:v", "copy"]
    cmd += ["-af", af, "-c:a", "aac"] if af else ["-c:a", "copy"]
    cmd += [str(dest / "film.mp4")]
    subprocess.run(cmd, check=True, capture_output=True)
    return dest


def tone(freqs: list[float], seconds: float, rate: int = 48000, amp: float = 0.2) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amp * sum(np.sin(2 * np.pi * f * t) for f in freqs) / len(freqs)


def clicks(times: list[float], seconds: float, rate: int = 48000, *, floor: Callable[[int], np.ndarray] | None = None) -> np.ndarray:
    """Short decaying bursts at `times` over quiet noise."""
    rng = np.random.default_rng(3)
    y = (floor(int(seconds * rate)) if floor else rng.normal(0, 0.002, int(seconds * rate)))
    burst_n = int(0.03 * rate)
    burst = rng.normal(0, 0.5, burst_n) * np.exp(-np.arange(burst_n) / (0.006 * rate))
    for t in times:
        i = int(t * rate)
        y[i:i + burst_n] += burst[: len(y) - i]
    return y
