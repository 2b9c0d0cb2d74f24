"""Encoding: frames rendered on worker threads, piped in order into ffmpeg.

The ffmpeg executable is passed in rather than looked up here, so the
package's `ffmpeg_exe` is the one place that decides which ffmpeg runs.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from filmcrew.errors import FilmcrewError

from .clip import _Clip


class _Cancelled(FilmcrewError):
    """The caller gave up on the clip (a timeout or a cancelled task)."""


def _container(path: Path) -> str:
    return {".mov": "mov", ".mkv": "matroska", ".m4v": "mp4"}.get(path.suffix.lower(), "mp4")


def _encode(ffmpeg: str, clip: _Clip, tmp: Path, final: Path, preset: str, crf: int, workers: int,
            cancel: threading.Event | None) -> None:
    """Render the frames on `workers` threads, in order, into ffmpeg's stdin.

    Frames are rendered a few ahead of the one being written, so drawing and
    encoding overlap; ffmpeg is killed if anything goes wrong on our side.
    """
    W, H, n, fps = clip.W, clip.H, clip.n, clip.fps
    cmd = [
        ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(fps), "-i", "-",
        "-an", "-vf", "scale=out_color_matrix=bt709:out_range=tv",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-movflags", "+faststart", "-fflags", "+bitexact", "-f", _container(final), str(tmp),
    ]
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        except OSError as exc:
            raise FilmcrewError(f"cannot start ffmpeg for the previz clip: {exc}") from exc
        ok = False
        try:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="previz") as pool:
                pending: deque = deque()
                next_i = 0
                for _ in range(n):
                    while next_i < n and len(pending) < workers * 2:
                        pending.append(pool.submit(clip.frame_bytes, next_i))
                        next_i += 1
                    if cancel is not None and cancel.is_set():
                        for fut in pending:
                            fut.cancel()
                        raise _Cancelled("previz render cancelled")
                    data = pending.popleft().result()
                    try:
                        assert proc.stdin is not None
                        proc.stdin.write(data)
                    except (BrokenPipeError, OSError):
                        for fut in pending:
                            fut.cancel()
                        break
            assert proc.stdin is not None
            try:
                proc.stdin.close()
            except OSError:
                pass
            rc = proc.wait()
            if rc != 0:
                log.seek(0)
                tail = "\n".join(log.read().decode(errors="replace").strip().splitlines()[-12:])
                raise FilmcrewError(
                    f"ffmpeg failed ({rc}) while encoding the previz clip {final.name}: {tail or 'no output'}"
                )
            ok = True
        finally:
            if not ok and proc.poll() is None:
                proc.kill()
                proc.wait()


def _count_packets(ffmpeg: str, path: Path) -> int:
    """Frames in the file without decoding them: one H.264 packet per frame."""
    proc = subprocess.run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy",
                           "-f", "null", "-"], capture_output=True, text=True)
    found = re.findall(r"frame=\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise FilmcrewError(f"the previz clip {path} cannot be read back: {proc.stderr.strip()[-300:]}")
    return int(found[-1])
