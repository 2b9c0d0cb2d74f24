"""The clip-generation seam: one shot in, one video file out.

A provider only turns a shot and its reference images into a clip file; the
service in `service.py` adds what every provider needs (input validation,
caching by input hash, a concurrency limit, a timeout per clip).
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.memory.rundir import file_digest

__all__ = ["ClipGenerator", "clip_input_hash"]


class ClipGenerator(ABC):
    """A provider that renders one shot. Implementations must write `out_path`
    only when the clip is complete (write elsewhere, then rename)."""

    name: str = "clip-generator"
    # Bumped when the same inputs would now give a different picture, so cached
    # clips from an older renderer are not reused.
    version: str = ""

    @abstractmethod
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
        """Render `shot` for exactly `duration` seconds into `out_path`.

        `look` carries per-scene grading decisions from other roles (for
        example a colorist's grade); providers apply what they can.
        """

    def describe(self) -> str:
        return self.name


def clip_input_hash(
    provider: str,
    shot: Shot,
    references: Sequence[ReferenceImage],
    duration: float,
    resolution: tuple[int, int],
    fps: int,
    look: dict[str, Any] | None = None,
    *,
    version: str = "",
) -> str:
    """Everything that changes the picture, hashed; reference images by content."""
    payload = {
        "provider": provider,
        "shot": shot.model_dump(exclude={"references", "rationale"}),
        "refs": [(r.name, r.kind, file_digest(Path(r.path))) for r in references],
        "duration": round(duration, 4),
        "resolution": list(resolution),
        "fps": fps,
        "look": look or {},
    }
    if version:
        payload["version"] = version
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]
