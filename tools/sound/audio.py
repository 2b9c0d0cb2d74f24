"""Reading audio files of any format into float samples.

libsndfile (through soundfile) reads WAV, FLAC, OGG and MP3 directly; what it
cannot read (AAC, Opus in MP4, odd WAV variants) is decoded by ffmpeg into a
temporary WAV first. Both failures are reported together, so a user sees why
their file was skipped.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from filmcrew.errors import InputError
from filmcrew.tools.media import ffmpeg_exe

__all__ = ["AUDIO_EXTENSIONS", "read_audio", "to_mono"]

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".m4a", ".opus")


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """Decode an audio file to float64 samples shaped (n, channels) and its sample rate."""
    import soundfile as sf

    path = Path(path)
    try:
        data, sr = sf.read(str(path), dtype="float64", always_2d=True)
        return data, int(sr)
    except Exception as sf_error:  # noqa: BLE001 - fall back to ffmpeg, report both if it fails too
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "decoded.wav"
            proc = subprocess.run(
                [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-i", str(path), "-vn", "-c:a", "pcm_f32le", str(wav)],
                capture_output=True, text=True,
            )
            if proc.returncode != 0 or not wav.exists():
                last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "no output"
                raise InputError(f"cannot decode {path.name}: {sf_error}; ffmpeg: {last}") from sf_error
            data, sr = sf.read(str(wav), dtype="float64", always_2d=True)
            return data, int(sr)


def to_mono(x: np.ndarray) -> np.ndarray:
    """The channel average of (n, channels) samples; a 1-D signal is returned as is."""
    x = np.asarray(x, dtype=np.float64)
    return x.mean(axis=1) if x.ndim == 2 else x
