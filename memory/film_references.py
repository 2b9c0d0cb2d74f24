"""The film-reference corpus and its vector index.

A reference shot carries its scene context (situation, setting, time,
emotion, genre) and its camera language (size, movement, angle, lens,
lighting), plus the sequence it belongs to, so a multi-shot pattern can be
retrieved as a whole. The index embeds each shot's context through the
embedding seam and searches it with FAISS (inner product on unit vectors =
cosine). It is persisted beside a digest of the corpus and the embedder name,
and rebuilt only when either changes.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict

from filmcrew.memory.embeddings import Embedder, default_embedder
from filmcrew.memory.models import ReferenceMatch
from filmcrew.memory.rundir import atomic_path, atomic_write_text

__all__ = ["ReferenceShot", "load_default_corpus", "FilmReferenceIndex", "default_reference_index", "cache_root"]


def cache_root() -> Path:
    return Path(os.environ.get("FILMCREW_CACHE_DIR", Path.home() / ".cache" / "filmcrew"))


class ReferenceShot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    source: str | None = None
    situation: str
    setting: str
    time: str
    emotion: str
    genre: str
    shot_size: str
    movement: str
    angle: str
    lens: str
    composition: str = ""
    lighting: str
    duration: float
    sequence_id: str
    position: int
    description: str

    def context_text(self) -> str:
        return (
            f"{self.situation}. {self.setting}, {self.time}. Feeling: {self.emotion}. Genre: {self.genre}. "
            f"Light: {self.lighting}. {self.description}"
        )

    def summary(self) -> str:
        return f"{self.situation} ({self.sequence_id} #{self.position}): {self.shot_size} {self.movement} {self.angle}, {self.lens} - {self.description}"


@lru_cache(maxsize=1)
def load_default_corpus() -> tuple[ReferenceShot, ...]:
    text = resources.files("filmcrew.memory").joinpath("data/film_references.yaml").read_text(encoding="utf-8")
    shots: list[ReferenceShot] = []
    for seq in yaml.safe_load(text):
        for position, (size, movement, angle, lens, duration, note) in enumerate(seq["shots"], start=1):
            shots.append(
                ReferenceShot(
                    id=f"{seq['id']}-{position}",
                    situation=seq["situation"],
                    setting=seq["setting"],
                    time=seq["time"],
                    emotion=seq["emotion"],
                    genre=seq["genre"],
                    shot_size=size,
                    movement=movement,
                    angle=angle,
                    lens=lens,
                    lighting=seq["lighting"],
                    duration=float(duration),
                    sequence_id=seq["id"],
                    position=position,
                    description=note,
                )
            )
    return tuple(shots)


class FilmReferenceIndex:
    def __init__(self, shots: tuple[ReferenceShot, ...] | list[ReferenceShot], embedder: Embedder, vectors: np.ndarray):
        import faiss

        self.shots = list(shots)
        self.embedder = embedder
        self._index = faiss.IndexFlatIP(vectors.shape[1])
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    @classmethod
    def build(cls, shots, embedder: Embedder | None = None, cache_dir: Path | None = None) -> "FilmReferenceIndex":
        embedder = embedder or default_embedder()
        shots = list(shots)
        digest = hashlib.sha256(
            json.dumps([s.model_dump() for s in shots], sort_keys=True).encode() + embedder.name.encode()
        ).hexdigest()[:16]
        cache = (cache_dir or cache_root() / "film_references") / f"{embedder.name}-{digest}.npy"
        if cache.exists():
            vectors = np.load(cache)
        else:
            vectors = embedder.embed([s.context_text() for s in shots])
            with atomic_path(cache) as tmp:
                with open(tmp, "wb") as fh:
                    np.save(fh, vectors)
            atomic_write_text(cache.with_suffix(".json"), json.dumps({"embedder": embedder.name, "count": len(shots)}))
        return cls(shots, embedder, vectors)

    def __len__(self) -> int:
        return len(self.shots)

    def search(self, query: str, k: int = 5) -> list[ReferenceMatch]:
        vector = self.embedder.embed([query])
        scores, ids = self._index.search(vector, min(k, len(self.shots)))
        out = []
        for score, idx in zip(scores[0], ids[0]):
            if idx < 0:
                continue
            shot = self.shots[int(idx)]
            out.append(
                ReferenceMatch(
                    ref_id=shot.id,
                    score=round(float(score), 4),
                    shot_size=shot.shot_size,
                    movement=shot.movement,
                    angle=shot.angle,
                    summary=shot.summary(),
                )
            )
        return out

    def sequence(self, sequence_id: str) -> list[ReferenceShot]:
        return sorted((s for s in self.shots if s.sequence_id == sequence_id), key=lambda s: s.position)


@lru_cache(maxsize=1)
def default_reference_index() -> FilmReferenceIndex:
    return FilmReferenceIndex.build(load_default_corpus())
