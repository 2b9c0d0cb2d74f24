"""The embedding seam: text in, L2-normalised vectors out.

The offline default is WordLlama: static token embeddings whose 16 MB of
weights ship inside its PyPI wheel, so it loads with no hub and no torch.
`HashingEmbedder` is a dependency-free fallback and a test double.
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

__all__ = ["Embedder", "WordLlamaEmbedder", "HashingEmbedder", "default_embedder"]


class Embedder(ABC):
    name: str = "embedder"
    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array (len(texts), dim), each row of unit length."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class WordLlamaEmbedder(Embedder):
    name = "wordllama-l2-supercat-256"

    def __init__(self, dim: int = 256):
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


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """WordLlama when it loads; otherwise the hashing fallback (said in `filmcrew doctor`)."""
    try:
        return WordLlamaEmbedder()
    except Exception:  # noqa: BLE001 - any failure to load falls back, doctor reports it
        return HashingEmbedder()
