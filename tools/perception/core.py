"""One entry point: `perceive(path)` watches and listens to a file, once.

Results are cached under the filmcrew cache folder by the file's content hash
and the analysis version, so re-judging a film, or every stage that reacts to
visible events, pays for the analysis once; a changed file or a newer analysis
is measured again.
"""

from __future__ import annotations

import os
from pathlib import Path

from filmcrew.errors import InputError
from filmcrew.memory.rundir import atomic_write_text, file_digest
from filmcrew.tools.media import probe
from filmcrew.tools.perception.audio import analyse_audio
from filmcrew.tools.perception.models import Perception
from filmcrew.tools.perception.video import analyse_video

__all__ = ["perceive", "perception_cache_dir", "PERCEPTION_VERSION"]

# Bump when a measure changes meaning, so cached results are not trusted.
PERCEPTION_VERSION = 3


def perception_cache_dir() -> Path:
    root = Path(os.environ.get("FILMCREW_CACHE_DIR", Path.home() / ".cache" / "filmcrew"))
    return root / "perception"


def perceive(path: str | Path, *, cache: bool = True, cache_dir: Path | None = None) -> Perception:
    """Measure the picture and sound of `path` (any video or audio file ffmpeg reads).

    Raises InputError when the file is missing, empty or cannot be decoded.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist: give the path of a video file")
    if path.stat().st_size == 0:
        raise InputError(f"{path} is empty: the film was not written completely")
    digest = file_digest(path)
    target = (cache_dir or perception_cache_dir()) / f"{digest}-v{PERCEPTION_VERSION}.json"
    if cache and target.exists():
        try:
            found = Perception.model_validate_json(target.read_text(encoding="utf-8"))
            return found.model_copy(update={"path": str(path)})
        except ValueError:
            pass  # a damaged cache entry is measured again
    try:
        info = probe(path)
    except Exception as exc:  # noqa: BLE001 - any probe failure means the file cannot be read
        raise InputError(f"{path} cannot be read as media: {exc}") from exc
    video = analyse_video(path) if info.video_codec else None
    audio, audio_events = analyse_audio(path, has_audio=info.audio_codec is not None,
                                        channels=1 if info.channels == "mono" else 2)
    if video is None and not audio.present:
        raise InputError(f"{path} has neither picture nor sound that ffmpeg can read")
    events = sorted((video.events if video else []) + audio_events, key=lambda e: (e.time, e.kind))
    result = Perception(
        path=str(path), digest=digest, version=PERCEPTION_VERSION,
        video=video.measures if video else None, audio=audio,
        shots=video.shots if video else [], events=events,
    )
    if cache:
        atomic_write_text(target, result.model_dump_json())
    return result
