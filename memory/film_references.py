"""The film-reference corpus and its vector index.

A reference shot carries where it comes from (a film, a film-grammar pattern or
a user's import, with licence and provenance), its scene context (situation,
setting, time, emotion, genre), its camera language (size, movement, angle,
lens, composition, lighting, duration, in the vocabularies the renderer uses)
and its place in a sequence, so a multi-shot pattern can be retrieved whole.

Both the context and the camera language are embedded, so a scene block finds
references by situation and a cinematographer can also ask for "a slow push-in
on a discovery". The vectors live behind the vector-store seam
(`filmcrew.memory.vector_store`); the shot records live beside them in
`references.jsonl` of the index folder, which `filmcrew index import` extends.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from filmcrew.errors import ConfigurationError
from filmcrew.memory.embeddings import Embedder, default_embedder
from filmcrew.memory.models import Angle, Movement, ReferenceMatch, SceneBlock, ShotSize
from filmcrew.memory.rundir import atomic_write_text
from filmcrew.memory.vector_store import FaissStore, VectorStore, open_store, store_spec

__all__ = [
    "SITUATIONS", "ReferenceShot", "RetrievedSequence", "load_default_corpus", "scene_query",
    "FilmReferenceIndex", "default_reference_index", "cache_root", "index_dir", "shot_vectors", "query_vector", "describe_reference_store", "open_or_build", "rebuild",
]

# The scene situations a short film needs, each with the words a scene block
# about it tends to use: embedded with every shot so retrieval matches by situation.
SITUATIONS: dict[str, str] = {
    "establishing a place": "establishing shot of a place: a town, city, village, landscape, valley, coast, building or skyline seen whole, its geography, scale and atmosphere, introducing where the story happens before the characters",
    "arrival": "arrival: someone arrives, comes back, steps off a bus, train or boat, enters a door or a town, is seen approaching from afar, reaches a destination, a newcomer or a stranger comes in, first sight of a new place",
    "discovery": "discovery: searching and finding something, uncovering, noticing a clue, opening a box, drawer or letter, digging up an object, a find, realising what it means",
    "reveal": "reveal: something hidden is suddenly shown, a surprise, a twist, a monster appears, a face is unmasked, a view opens up, the truth is revealed",
    "dialogue coverage": "dialogue: two people sit and talk, a conversation, questions and answers, a calm exchange, explaining, discussing, shot reverse shot and over the shoulder coverage",
    "argument": "argument: a quarrel, people who are close shout at each other, a row between a couple, family, siblings or partners, raised voices, angry words, a dispute",
    "confrontation": "confrontation: enemies face off, a standoff, a duel, a showdown, a challenge, a threat, weapons drawn, standing up to a bully or a tyrant",
    "chase": "chase: a fast pursuit by car, van, horse, boat or bike, police chase, speed, racing after someone, escape in a vehicle",
    "pursuit on foot": "foot chase: someone runs away and is chased on foot, a runner, fleeing through alleys, streets, crowds, stairs or woods, the pursuer running after them",
    "suspense approach": "suspense: slowly approaching danger, creeping down a dark corridor or stairs toward a door, someone may be following, dread, fear of what waits, tension building",
    "hiding": "hiding: someone hides from a searcher, in a wardrobe, under a bed, behind a curtain, in a cupboard, holding their breath, almost found, concealed",
    "rescue": "rescue: saving someone in danger, pulling them out of water, fire, rubble or a cliff, a helping hand, a lifeguard or rescuer, saved just in time",
    "reunion": "reunion: people separated for years meet again, coming home, a return, recognition, running into each other's arms, embrace, tears of joy",
    "farewell": "farewell: saying goodbye, parting, leaving home, a departure by train, ship, bus or car, waving, watched by the one who stays behind",
    "intimacy": "intimacy: tenderness, love, closeness, a couple together, a kiss, a slow dance, a gentle touch, whispering, affection between two people",
    "grief": "grief: mourning a death, a funeral, a grave, loss, sorrow, weeping for someone who died, the widow or widower",
    "isolation": "isolation: loneliness, a person alone and small in a large empty space, left out, cut off, nobody around, solitude",
    "celebration": "celebration: a party, wedding, festival, feast, birthday, new year, dancing, cheering, a toast with glasses raised, joy together",
    "montage of work": "montage of work: labour and craft over time, training, building, making, sewing, cooking, practising, hands at a task, day after day",
    "journey": "journey: travelling a long way, a road trip by car, a train ride, a voyage by boat or canoe, riding or walking across the land, on the road",
    "storm": "storm: wild weather, wind, rain, lightning, thunder, huge waves, hurricane, tornado, blizzard, a tempest, nature's fury",
    "aftermath": "aftermath: after the disaster, fire, battle, crash or party, wreckage, ruins, ash, debris, survivors in shock, the silence after",
    "competition": "competition: a race, a match, a game, a contest, a tournament, a boxing fight, rivals compete to win, the finish line",
    "performance": "performance: on stage for an audience, singing, dancing, playing music, a concert, a show, a solo, a busker, applause",
    "comic beat": "comedy: a gag, a pratfall, slapstick, someone trips or falls, deadpan humour, a silly mishap, something goes comically wrong",
}

_WORDS = {
    "extreme_wide": "extreme wide shot", "wide": "wide shot", "full": "full shot", "medium_wide": "medium wide shot",
    "medium": "medium shot", "medium_close_up": "medium close-up", "close_up": "close-up", "extreme_close_up": "extreme close-up insert",
    "static": "static locked-off", "pan": "pan", "tilt": "tilt", "dolly_in": "slow push-in dolly in", "dolly_out": "pull back dolly out",
    "truck": "lateral truck", "pedestal": "pedestal", "crane": "crane", "handheld": "handheld", "tracking": "tracking shot",
    "zoom_in": "zoom in", "zoom_out": "zoom out", "arc": "arc around", "whip_pan": "whip pan", "dolly_zoom": "dolly zoom",
    "eye_level": "eye level", "high": "high angle", "low": "low angle", "overhead": "overhead top-down",
    "dutch": "dutch tilted angle", "over_the_shoulder": "over the shoulder", "point_of_view": "point of view",
}

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")
_TIMECODE = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
TimeOfDayOrUnknown = Literal["dawn", "morning", "day", "afternoon", "golden_hour", "dusk", "night", "unknown"]


def cache_root() -> Path:
    return Path(os.environ.get("FILMCREW_CACHE_DIR", Path.home() / ".cache" / "filmcrew"))


def index_dir(embedder_name: str) -> Path:
    """Where the persisted reference index for one embedder lives."""
    return cache_root() / "film_references" / embedder_name


class ReferenceShot(BaseModel):
    """One annotated reference shot: source, scene context, camera language, place in a sequence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    sequence_id: str
    position: int = Field(ge=1)
    source_kind: Literal["film", "pattern", "import"]
    film_title: str | None = None
    film_year: int | None = Field(default=None, ge=1880, le=2100)
    film_scene: str | None = None
    timecode: str | None = Field(default=None, description="approximate h:mm:ss in the film, where known")
    licence: str = Field(min_length=1)
    provenance: str = Field(min_length=1)
    situation: str = Field(min_length=1)
    setting: str = ""
    time: TimeOfDayOrUnknown = "unknown"
    emotion: str = ""
    genre: str = ""
    shot_size: ShotSize
    movement: Movement
    angle: Angle = "eye_level"
    lens: str = ""
    composition: str = ""
    lighting: str = ""
    duration: float = Field(default=3.0, gt=0, le=600)
    description: str = ""

    @field_validator("id", "sequence_id")
    @classmethod
    def _stable_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("ids are letters, digits and _ . : - (at most 200 characters), starting with a letter or digit")
        return value

    @field_validator("timecode")
    @classmethod
    def _timecode(cls, value: str | None) -> str | None:
        if value is not None and not _TIMECODE.match(value):
            raise ValueError("timecode is h:mm:ss or mm:ss")
        return value

    @field_validator("situation")
    @classmethod
    def _situation(cls, value: str) -> str:
        return " ".join(value.lower().split())

    def source_text(self) -> str:
        if self.film_title:
            year = f" ({self.film_year})" if self.film_year else ""
            scene = f", {self.film_scene}" if self.film_scene else ""
            return f"{self.film_title}{year}{scene}"
        return "film-grammar pattern" if self.source_kind == "pattern" else "imported reference"

    def embed_parts(self) -> tuple[str, str, str]:
        """The three fields embedded: the situation, the scene context, the camera language."""
        when = "" if self.time == "unknown" else f", {self.time.replace('_', ' ')}"
        scene = f" Scene: {self.film_scene}." if self.film_scene else ""
        context = (f"{self.setting}{when}. Feeling: {self.emotion}. Genre: {self.genre}. "
                   f"Light: {self.lighting}.{scene} {self.description}")
        camera = (f"{_WORDS[self.shot_size]}, {_WORDS[self.movement]}, {_WORDS[self.angle]}, {self.lens}. "
                  f"{self.composition}. {self.description}")
        return SITUATIONS.get(self.situation, self.situation), context, camera

    def embed_text(self) -> str:
        return " ".join(self.embed_parts())

    def summary(self) -> str:
        return (f"{self.situation} ({self.sequence_id} #{self.position}, {self.source_text()}): "
                f"{self.shot_size} {self.movement} {self.angle}, {self.lens or 'any lens'} - {self.description}")


class RetrievedSequence(BaseModel):
    """A whole retrieved sequence: its score and every shot in order."""

    sequence_id: str
    score: float
    situation: str
    shots: list[ReferenceShot]
    matched: list[str] = Field(default_factory=list, description="ids of the shots the query hit directly")


@lru_cache(maxsize=1)
def load_default_corpus() -> tuple[ReferenceShot, ...]:
    """The shipped corpus (memory/data/film_references.jsonl, written by its composer script)."""
    text = resources.files("filmcrew.memory").joinpath("data/film_references.jsonl").read_text(encoding="utf-8")
    return tuple(ReferenceShot.model_validate_json(line) for line in text.splitlines() if line.strip())


def corpus_digest(shots: Iterable[ReferenceShot]) -> str:
    h = hashlib.sha256()
    for shot in shots:
        h.update(shot.model_dump_json().encode())
    return h.hexdigest()[:16]


def scene_query(block: SceneBlock, shot_prompts: Sequence[str] = (), critique: str = "") -> str:
    """The scene block as one query: what happens, where and when with whom, the objective, the mood
    and every shot prompt, one sentence each (the index averages them sentence by sentence).

    The block's sound description and its list of props are left out: on the labelled set they
    pulled retrieval toward references that share a setting rather than a situation (recall@5
    0.81 with them, 0.83 without). A critique from the previous debate round is added as its own
    sentence, so the next round asks a different question.
    """
    where = f"{block.location}, {block.time_of_day.replace('_', ' ')}"
    if block.characters:
        where += ", with " + " and ".join(block.characters)
    parts = [
        block.prompt.strip().rstrip("."),
        where,
        f"objective: {block.narrative_objective.strip().rstrip('.')}",
        f"mood: {block.mood}" if block.mood and block.mood != "neutral" else "",
        *[p.strip().rstrip(".") for p in shot_prompts if p.strip()],
        f"the camera should: {critique.strip().rstrip('.')}" if critique.strip() else "",
    ]
    return ". ".join(p for p in parts if p) + "."


# Weights of the three embedded fields. The camera field weighs less: a scene block
# rarely names camera moves, but a cinematographer's query ("a slow push-in on a
# discovery") still finds them.
FIELD_WEIGHTS = (1.0, 1.0, 0.5)


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


def shot_vectors(embedder: Embedder, shots: Sequence[ReferenceShot]) -> np.ndarray:
    """One vector per shot: the weighted sum of its field vectors, each of unit length, renormalised.

    Summing unit field vectors keeps any one long field (a verbose description) from drowning
    the situation, which is what a scene block most often matches on.
    """
    parts = [s.embed_parts() for s in shots]
    total = np.zeros((len(shots), embedder.dim), dtype=np.float32)
    for field, weight in enumerate(FIELD_WEIGHTS):
        total += weight * _unit(embedder.embed([p[field] for p in parts]))
    return _unit(total).astype(np.float32)


def query_vector(embedder: Embedder, query: str) -> np.ndarray:
    """A query's vector: its sentences embedded one by one and averaged, so each clause of a
    scene block (prompt, place, objective, each shot) counts once, however long it is."""
    sentences = [p.strip() for p in re.split(r"(?<=[.!?;])\s+|\n+", query) if len(p.strip()) > 2] or [query]
    vectors = _unit(embedder.embed_queries(sentences))
    return _unit(vectors.mean(axis=0, keepdims=True)).astype(np.float32)


def _read_jsonl(path: Path) -> list[ReferenceShot]:
    if not path.exists():
        return []
    return [ReferenceShot.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class FilmReferenceIndex:
    """Reference shots by id, their vectors in a `VectorStore`, searched with an `Embedder`."""

    def __init__(self, shots: Iterable[ReferenceShot], embedder: Embedder, store: VectorStore, path: Path | None = None,
                 spec: str | None = None):
        self.embedder = embedder
        self.spec = spec or store_spec()
        self.manifest: dict[str, object] = {}
        self.store = store
        self.path = path
        self._shots: dict[str, ReferenceShot] = {}
        self._sequences: dict[str, list[str]] = {}
        for shot in shots:
            self._remember(shot)

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def build(cls, shots: Iterable[ReferenceShot], embedder: Embedder | None = None, path: Path | None = None,
              spec: str = "faiss", batch: int = 4096) -> "FilmReferenceIndex":
        """Embed and index `shots` from scratch (in memory when `path` is None, else persisted there)."""
        embedder = embedder or default_embedder()
        shots = list(shots)
        store = open_store(spec, embedder.dim, path, expected=len(shots)) if path else FaissStore(embedder.dim, kind="auto", expected=len(shots))
        index = cls([], embedder, store, path, spec=spec)
        index.add(shots, batch=batch)
        if path:
            index.save(corpus=corpus_digest(load_default_corpus()))
        return index

    @classmethod
    def open(cls, path: Path, embedder: Embedder | None = None, spec: str | None = None) -> "FilmReferenceIndex | None":
        """Reload a persisted index, or None when there is none (or it was built by another embedder)."""
        embedder = embedder or default_embedder()
        manifest_path = Path(path) / "manifest.json"
        if not manifest_path.exists():
            return None
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        spec = spec or store_spec()
        if manifest.get("embedder") != embedder.name or manifest.get("store_spec") != spec:
            return None
        shots = _read_jsonl(Path(path) / "references.jsonl")
        store = open_store(spec, embedder.dim, Path(path))
        index = cls(shots, embedder, store, Path(path), spec=spec)
        index.manifest = manifest
        # Shots written but not yet embedded (a crash between the two) are embedded now.
        missing = [s for s in shots if s.id not in store]
        if missing:
            index._embed_into_store(missing, batch=4096)
            index.save(corpus=manifest.get("corpus", ""))
        return index

    def _remember(self, shot: ReferenceShot) -> bool:
        if shot.id in self._shots:
            return False
        self._shots[shot.id] = shot
        self._sequences.setdefault(shot.sequence_id, []).append(shot.id)
        return True

    def _embed_into_store(self, shots: list[ReferenceShot], batch: int) -> int:
        # Embedded in batches, added at once: an IVF index trains on the first vectors it gets.
        vectors = np.concatenate([shot_vectors(self.embedder, shots[start:start + batch]) for start in range(0, len(shots), batch)])
        return self.store.add([s.id for s in shots], vectors)

    def add(self, shots: Iterable[ReferenceShot], batch: int = 4096) -> int:
        """Add shots whose ids are new (an id already indexed keeps its first record); return how many."""
        new = [s for s in shots if self._remember(s)]
        if not new:
            return 0
        if self.path:
            self.path.mkdir(parents=True, exist_ok=True)
            # Records first: a crash after this line is repaired by `open`, which embeds what the store lacks.
            with open(self.path / "references.jsonl", "a", encoding="utf-8") as fh:
                fh.write("".join(s.model_dump_json() + "\n" for s in new))
                fh.flush()
                os.fsync(fh.fileno())
        self._embed_into_store(new, batch)
        return len(new)

    def save(self, corpus: str = "") -> None:
        if not self.path:
            return
        self.store.save()
        self.manifest = {"embedder": self.embedder.name, "dim": self.embedder.dim, "store_spec": self.spec,
                         "store": self.store.name, "count": len(self._shots), "corpus": corpus}
        atomic_write_text(self.path / "manifest.json", json.dumps(self.manifest, indent=1))

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._shots)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._shots

    @property
    def shots(self) -> list[ReferenceShot]:
        return list(self._shots.values())

    def get(self, ref_id: str) -> ReferenceShot | None:
        return self._shots.get(ref_id)

    def _match(self, shot: ReferenceShot, score: float) -> ReferenceMatch:
        return ReferenceMatch(ref_id=shot.id, score=round(score, 4), shot_size=shot.shot_size, movement=shot.movement,
                              angle=shot.angle, summary=shot.summary(), sequence_id=shot.sequence_id,
                              position=shot.position, situation=shot.situation)

    def search(self, query: str, k: int = 5) -> list[ReferenceMatch]:
        """The k reference shots nearest to the query, best first, with cosine scores."""
        hits = self.store.search(query_vector(self.embedder, query), k)[0]
        return [self._match(self._shots[ref_id], score) for ref_id, score in hits if ref_id in self._shots]

    def search_sequences(self, query: str, k: int = 3, shots_per_query: int = 24) -> list[RetrievedSequence]:
        """Whole sequences for a query, ranked by their best shot's score plus a little for every other hit."""
        hits = self.store.search(query_vector(self.embedder, query), shots_per_query)[0]
        best: dict[str, float] = {}
        extra: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        for ref_id, score in hits:
            shot = self._shots.get(ref_id)
            if shot is None:
                continue
            seq = shot.sequence_id
            if seq in best:
                extra[seq] = extra.get(seq, 0.0) + 0.05 * score
            else:
                best[seq] = score
            matched.setdefault(seq, []).append(ref_id)
        ranked = sorted(best, key=lambda s: (-(best[s] + extra.get(s, 0.0)), s))[:k]
        return [RetrievedSequence(sequence_id=seq, score=round(best[seq] + extra.get(seq, 0.0), 4),
                                  situation=self._shots[matched[seq][0]].situation, shots=self.sequence(seq),
                                  matched=matched[seq]) for seq in ranked]

    def match(self, ref_id: str, score: float) -> ReferenceMatch | None:
        shot = self._shots.get(ref_id)
        return self._match(shot, score) if shot else None

    def sequence(self, sequence_id: str) -> list[ReferenceShot]:
        return sorted((self._shots[i] for i in self._sequences.get(sequence_id, [])), key=lambda s: s.position)

    def stats(self) -> dict[str, object]:
        """Counts by source, situation, shot size and movement (for `filmcrew index stats`)."""
        shots = self._shots.values()
        return {
            "shots": len(self._shots),
            "sequences": len(self._sequences),
            "store": self.store.describe(),
            "embedder": self.embedder.name,
            "by_source": dict(Counter(s.provenance if s.source_kind == "import" else s.source_kind for s in shots).most_common()),
            "by_situation": dict(Counter(s.situation for s in shots).most_common()),
            "by_size": dict(Counter(s.shot_size for s in shots).most_common()),
            "by_movement": dict(Counter(s.movement for s in shots).most_common()),
        }


def open_or_build(path: Path | None = None, embedder: Embedder | None = None) -> FilmReferenceIndex:
    """The persisted index, rebuilt when the shipped corpus changed; imported shots are always kept."""
    embedder = embedder or default_embedder()
    path = Path(path) if path else index_dir(embedder.name)
    shipped = load_default_corpus()
    digest = corpus_digest(shipped)
    index = FilmReferenceIndex.open(path, embedder)
    if index is not None and index.manifest.get("corpus") == digest:
        return index
    imported = [s for s in _read_jsonl(path / "references.jsonl") if s.source_kind == "import"]
    return rebuild(path, embedder, [*shipped, *imported])


def rebuild(path: Path, embedder: Embedder, shots: list[ReferenceShot]) -> FilmReferenceIndex:
    """Write a fresh index folder next to the old one, then swap it in (the old one stays until then).

    The temporary names carry the process id, so two processes building at once (a test run, two
    `filmcrew make`) never write into each other's folder; the last swap wins, and both are complete.
    """
    import shutil

    path = Path(path)
    fresh = path.with_name(f"{path.name}.building-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    index = FilmReferenceIndex.build(shots, embedder, fresh, spec=store_spec())
    if hasattr(index.store, "close"):
        index.store.close()  # Milvus Lite allows one open client per file
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
    try:
        if path.exists():
            path.rename(old)
        fresh.rename(path)
    except OSError:
        # Another process swapped its own build in between: use that one.
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    reopened = FilmReferenceIndex.open(path, embedder)
    if reopened is None:
        raise ConfigurationError(f"the film-reference index at {path} could not be reopened; run `filmcrew index build`")
    return reopened


def describe_reference_store() -> list[dict[str, object]]:
    """Doctor rows (the common provider-row shape): the vector store in use and what it holds, without building it."""
    spec = store_spec()
    embedder = default_embedder()
    manifest_path = index_dir(embedder.name) / "manifest.json"
    shipped = len(load_default_corpus())
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        state = f"{manifest.get('count', 0)} shots ({shipped} shipped) in {manifest.get('store', '?')} at {manifest_path.parent}"
        if manifest.get("store_spec") != spec or manifest.get("embedder") != embedder.name:
            state += f"; built for {manifest.get('store_spec')} / {manifest.get('embedder')}, rebuilt on first use"
    else:
        state = f"not built yet: {shipped} shipped shots, indexed on first use (`filmcrew setup` or `filmcrew index build`)"
    provider = "milvus" if spec.startswith("milvus") else "faiss"
    why = "FILMCREW_VECTOR_STORE=" + spec if "FILMCREW_VECTOR_STORE" in os.environ else "embedded default (FILMCREW_VECTOR_STORE=milvus:... for Milvus)"
    return [{"seam": "film references", "role": "", "provider": f"{provider} ({spec})", "model": embedder.name,
             "configured": True, "in_use": True, "reason": f"{state}; {why}"}]


@lru_cache(maxsize=1)
def default_reference_index() -> FilmReferenceIndex:
    return open_or_build()
