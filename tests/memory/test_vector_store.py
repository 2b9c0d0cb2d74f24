"""The vector-store seam: FAISS (flat and HNSW) and Milvus Lite behave alike, persist, reload and grow."""

import numpy as np
import pytest

from filmcrew.errors import ConfigurationError
from filmcrew.memory.vector_store import FaissStore, ivf_lists, open_store


def _vectors(n: int, dim: int = 32, seed: int = 3) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _check_store(make, n: int = 3000):
    vectors = _vectors(n)
    ids = [f"r{i}" for i in range(n)]
    store = make()
    assert store.add(ids, vectors) == n
    assert store.add(ids[:10], vectors[:10]) == 0  # an id already stored is never replaced
    top = store.search(vectors[:5], 3)
    assert [hits[0][0] for hits in top] == ids[:5]
    assert all(abs(hits[0][1] - 1.0) < 1e-3 for hits in top)
    store.save()
    return store, vectors, ids


@pytest.mark.parametrize("kind", ["flat", "ivf", "hnsw"])
def test_faiss_store_persists_reloads_and_adds(tmp_path, kind):
    store, vectors, ids = _check_store(lambda: FaissStore(32, path=tmp_path, kind=kind))
    assert store.kind == kind
    reloaded = FaissStore(32, path=tmp_path)
    assert len(reloaded) == len(ids) and reloaded.kind == kind and "r7" in reloaded
    extra = _vectors(50, seed=9)
    assert reloaded.add([f"x{i}" for i in range(50)], extra) == 50
    assert reloaded.search(extra[:1], 1)[0][0][0] == "x0"
    reloaded.save()
    assert len(FaissStore(32, path=tmp_path)) == len(ids) + 50


def test_faiss_auto_picks_an_approximate_index_for_a_large_corpus():
    assert FaissStore(8, kind="auto", expected=10).kind == "flat"
    assert FaissStore(8, kind="auto", expected=1_000_000).kind == "ivf"
    assert ivf_lists(440_000) == 2048 and ivf_lists(1_000) == 16 and ivf_lists(10) == 1


def test_a_damaged_store_is_reported(tmp_path):
    store, _, _ = _check_store(lambda: FaissStore(32, path=tmp_path), n=20)
    (tmp_path / "ids.json").write_text('["only-one"]')
    with pytest.raises(ConfigurationError, match="filmcrew index build"):
        FaissStore(32, path=tmp_path)


def test_unknown_store_spec_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigurationError, match="FILMCREW_VECTOR_STORE"):
        open_store("qdrant", 8, tmp_path)


def test_milvus_lite_store_behaves_like_faiss(tmp_path):
    from filmcrew.memory.vector_store import MilvusStore

    store, vectors, ids = _check_store(lambda: MilvusStore(str(tmp_path / "refs.db"), 32), n=500)
    store.close()
    reloaded = open_store(f"milvus:{tmp_path / 'refs.db'}", 32, tmp_path)
    assert len(reloaded) == len(ids) and "r3" in reloaded
    assert reloaded.search(vectors[7:8], 1)[0][0][0] == "r7"
    reloaded.close()


def test_reference_index_on_milvus(tmp_path, monkeypatch):
    from filmcrew.memory.embeddings import HashingEmbedder
    from filmcrew.memory.film_references import FilmReferenceIndex, load_default_corpus

    monkeypatch.setenv("FILMCREW_VECTOR_STORE", "milvus:")
    corpus = load_default_corpus()[:60]
    index = FilmReferenceIndex.build(corpus, HashingEmbedder(), path=tmp_path / "idx", spec="milvus:")
    assert index.store.name == "milvus" and len(index.store) == 60
    first = index.search(corpus[5].embed_text(), 1)[0].ref_id
    index.store.close()
    reopened = FilmReferenceIndex.open(tmp_path / "idx", HashingEmbedder())
    assert reopened is not None and reopened.search(corpus[5].embed_text(), 1)[0].ref_id == first
    reopened.store.close()
