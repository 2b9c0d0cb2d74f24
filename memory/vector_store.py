"""The vector-store seam under the film-reference index.

A store keeps unit vectors under string ids and answers top-k inner-product
(= cosine) searches. Two implementations:

- `FaissStore` (the embedded default): an exact flat index for a small corpus,
  an inverted-file index (IVF, approximate, about a millisecond a query at
  440,000 references) above `APPROX_THRESHOLD`, or an HNSW graph on request;
  persisted as `index.faiss` + `ids.json` and reloaded; new vectors are added
  incrementally.
- `MilvusStore` (the server option): the same `pymilvus.MilvusClient` talks to
  Milvus Lite embedded in a local file (`milvus:/path/refs.db`, needs the
  `milvus-lite` package) and to a Milvus server or cluster
  (`milvus+http://host:19530`). Install with `pip install filmcrew[milvus]`.

`open_store(spec, dim, path)` picks one from a spec string, which comes from
`FILMCREW_VECTOR_STORE` (default `faiss`).
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from filmcrew.errors import ConfigurationError
from filmcrew.memory.rundir import atomic_path, atomic_write_text

__all__ = ["VectorStore", "FaissStore", "MilvusStore", "open_store", "store_spec", "APPROX_THRESHOLD", "ivf_lists"]

# Below this many vectors an exact scan is fast enough (under a millisecond per query) and exact.
APPROX_THRESHOLD = 50_000

Hit = tuple[str, float]


class VectorStore(ABC):
    """Unit vectors under string ids; search returns (id, score) best first."""

    name: str = "store"

    @abstractmethod
    def add(self, ids: Sequence[str], vectors: np.ndarray) -> int:
        """Add vectors whose ids are not stored yet; return how many were added."""

    @abstractmethod
    def search(self, queries: np.ndarray, k: int) -> list[list[Hit]]:
        """Top-k (id, score) per query row, best first."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __contains__(self, ref_id: object) -> bool: ...

    def save(self) -> None:
        """Persist what was added (a server-backed store persists on write)."""

    def describe(self) -> str:
        return f"{self.name}: {len(self)} vectors"


def ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: a power of two near 3 * sqrt(n), with at least 39 vectors per list to train."""
    target = max(1.0, 3.0 * float(n) ** 0.5)
    nlist = 1 << max(0, round(np.log2(target)))
    while nlist > 1 and n < 39 * nlist:
        nlist //= 2
    return nlist


class FaissStore(VectorStore):
    """FAISS, in process. `kind`: "flat" (exact), "ivf" (approximate, the default above
    `APPROX_THRESHOLD`), "hnsw" (approximate) or "auto".

    IVF is trained on the first vectors added (the whole corpus when an index is built) and
    probes one list in sixteen: on the 440,000-reference benchmark it kept recall@10 above
    0.95 where HNSW (M 32, efSearch 512) reached 0.84, at about a millisecond a query.
    """

    def __init__(self, dim: int, path: Path | None = None, kind: str = "auto", expected: int = 0,
                 m: int = 32, ef_construction: int = 128, ef_search: int = 1024, probe_share: int = 16):
        import faiss

        self._faiss = faiss
        self.dim = dim
        self.path = Path(path) if path else None
        self.ef_search = ef_search
        self.probe_share = probe_share
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        if self.path and (self.path / "index.faiss").exists():
            self._index = faiss.read_index(str(self.path / "index.faiss"))
            self._ids = json.loads((self.path / "ids.json").read_text(encoding="utf-8"))
            self._pos = {ref_id: i for i, ref_id in enumerate(self._ids)}
            if self._index.d != dim or self._index.ntotal != len(self._ids):
                raise ConfigurationError(f"vector store at {self.path} does not match (dim {self._index.d}, {self._index.ntotal} vectors); run `filmcrew index build`")
        else:
            if kind == "auto":
                kind = "ivf" if expected >= APPROX_THRESHOLD else "flat"
            if kind == "hnsw":
                self._index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
                self._index.hnsw.efConstruction = ef_construction
            elif kind == "flat":
                self._index = faiss.IndexFlatIP(dim)
            elif kind == "ivf":
                self._index = None  # built and trained on the first add, sized to it
            else:
                raise ConfigurationError(f"unknown FAISS index kind {kind!r}: use flat, ivf, hnsw or auto")
        self._tune()

    def _tune(self) -> None:
        if self._index is None:
            return
        if hasattr(self._index, "hnsw"):
            self._index.hnsw.efSearch = self.ef_search
        if hasattr(self._index, "nprobe"):
            self._index.nprobe = max(1, min(self._index.nlist, max(16, self._index.nlist // self.probe_share)))

    def _train_ivf(self, sample: np.ndarray) -> None:
        faiss = self._faiss
        nlist = ivf_lists(len(sample))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rows = np.random.default_rng(0).choice(len(sample), size=min(len(sample), 64 * nlist), replace=False)
        index.train(np.ascontiguousarray(sample[np.sort(rows)]))
        self._quantizer = quantizer  # the IVF index refers to it: keep it alive as long as the index
        self._index = index
        self._tune()

    @property
    def kind(self) -> str:
        if self._index is None or hasattr(self._index, "nlist"):
            return "ivf"
        return "hnsw" if hasattr(self._index, "hnsw") else "flat"

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"faiss-{self.kind}"

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> int:
        keep = [i for i, ref_id in enumerate(ids) if ref_id not in self._pos]
        # Also drop repeats inside this batch: the first one wins, as in the corpus.
        seen: set[str] = set()
        keep = [i for i in keep if not (ids[i] in seen or seen.add(ids[i]))]
        if not keep:
            return 0
        block = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[keep])
        if self._index is None:
            self._train_ivf(block)
        self._index.add(block)
        for i in keep:
            self._pos[ids[i]] = len(self._ids)
            self._ids.append(ids[i])
        return len(keep)

    def search(self, queries: np.ndarray, k: int) -> list[list[Hit]]:
        if not self._ids or self._index is None:
            return [[] for _ in range(len(queries))]
        scores, rows = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(self._ids)))
        return [[(self._ids[int(r)], float(s)) for s, r in zip(srow, rrow) if r >= 0] for srow, rrow in zip(scores, rows)]

    def ids(self) -> list[str]:
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._pos

    def save(self) -> None:
        if self.path is None or self._index is None:
            return
        self.path.mkdir(parents=True, exist_ok=True)
        # ids first, index last: a reader checks that both agree, so a crash between the two is caught.
        atomic_write_text(self.path / "ids.json", json.dumps(self._ids))
        with atomic_path(self.path / "index.faiss") as tmp:
            self._faiss.write_index(self._index, str(tmp))

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in (self.path / "index.faiss", self.path / "ids.json") if f.exists())

    def describe(self) -> str:
        where = f" in {self.path}" if self.path else " in memory"
        return f"{self.name}: {len(self)} vectors{where}"


class MilvusStore(VectorStore):
    """Milvus through pymilvus: a local Milvus Lite file or a server URI."""

    name = "milvus"

    def __init__(self, uri: str, dim: int, collection: str = "film_references", index_type: str = "HNSW",
                 m: int = 32, ef_construction: int = 128, ef_search: int = 512):
        try:
            from pymilvus import MilvusClient
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ConfigurationError("the Milvus store needs pymilvus (and milvus-lite for a local file): pip install 'filmcrew[milvus]'") from exc
        self.uri = uri
        self.dim = dim
        self.collection = collection
        self._search_params = {"params": {"ef": ef_search}} if index_type == "HNSW" else {}
        self._client = MilvusClient(uri)
        if not self._client.has_collection(collection):
            schema = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
            from pymilvus import DataType

            schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=256)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            params = self._client.prepare_index_params()
            build = {"M": m, "efConstruction": ef_construction} if index_type == "HNSW" else {}
            params.add_index(field_name="vector", index_type=index_type, metric_type="IP", params=build)
            self._client.create_collection(collection, schema=schema, index_params=params)
        self._client.load_collection(collection)
        self._count = self._client.query(collection, filter="", output_fields=["count(*)"])[0]["count(*)"]

    def _existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 1000):
            chunk = list(ids[start:start + 1000])
            found.update(r["id"] for r in self._client.get(self.collection, ids=chunk, output_fields=["id"]))
        return found

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> int:
        existing = self._existing(ids)
        seen: set[str] = set()
        rows = []
        for ref_id, vector in zip(ids, np.asarray(vectors, dtype=np.float32)):
            if ref_id in existing or ref_id in seen:
                continue
            seen.add(ref_id)
            rows.append({"id": ref_id, "vector": vector.tolist()})
        for start in range(0, len(rows), 5000):
            self._client.insert(self.collection, rows[start:start + 5000])
        self._count += len(rows)
        return len(rows)

    def search(self, queries: np.ndarray, k: int) -> list[list[Hit]]:
        if self._count == 0:
            return [[] for _ in range(len(queries))]
        result = self._client.search(self.collection, data=np.asarray(queries, dtype=np.float32).tolist(), limit=k, output_fields=["id"],
                                     search_params=self._search_params)
        return [[(hit["id"], float(hit["distance"])) for hit in hits] for hits in result]

    def __len__(self) -> int:
        return self._count

    def __contains__(self, ref_id: object) -> bool:
        return bool(self._client.get(self.collection, ids=[ref_id], output_fields=["id"]))

    def save(self) -> None:
        self._client.flush(self.collection)

    def close(self) -> None:
        self._client.close()

    def describe(self) -> str:
        return f"milvus: {self._count} vectors at {self.uri} (collection {self.collection})"


def store_spec() -> str:
    return os.environ.get("FILMCREW_VECTOR_STORE", "faiss").strip() or "faiss"


def open_store(spec: str, dim: int, path: Path | None, expected: int = 0) -> VectorStore:
    """`faiss`, `faiss:flat`, `faiss:ivf`, `faiss:hnsw`, `milvus:/path/refs.db` (Milvus Lite) or `milvus+http://host:19530`."""
    if spec == "faiss" or spec.startswith("faiss:"):
        kind = spec.partition(":")[2] or "auto"
        return FaissStore(dim, path=path, kind=kind, expected=expected)
    if spec.startswith("milvus+"):
        return MilvusStore(spec.removeprefix("milvus+"), dim)
    if spec.startswith("milvus:"):
        target = spec.removeprefix("milvus:") or str((path or Path(".")) / "milvus.db")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        return MilvusStore(target, dim)
    raise ConfigurationError(f"unknown vector store {spec!r} in FILMCREW_VECTOR_STORE: use faiss, faiss:hnsw, milvus:/path/file.db or milvus+http://host:19530")
