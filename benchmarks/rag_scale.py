"""Scale benchmark of the film-reference index.

    python benchmarks/rag_scale.py --n 440000 [--store faiss|milvus] [--index ivf|hnsw] [--dir DIR] [--queries 300]

Builds an approximate index (FAISS IVF by default, `--index hnsw`, or Milvus
Lite's HNSW with `--store milvus`) over N references (the shipped corpus expanded synthetically:
each synthetic shot recombines the situation, setting, feeling, light,
description and camera fields of different real shots, so every text and
every vector differs), persists it, reloads it, adds 1% more incrementally,
and measures:

- embedding throughput (shots/s, three fields per shot) and build time;
- index size on disk and peak resident memory;
- query latency p50/p99 over scene-block queries (the labelled set) and
  shot-like queries, end to end (query embedding + search) and search alone;
- recall@10 of the approximate index against an exact flat search over the
  same vectors (a result tied in score with the exact 10th counts as found).

Wall and CPU seconds are both printed (the machine is shared). The last line
is one JSON object with n, embed_per_s, build_s, index_mb, peak_rss_mb,
query_p50_ms, query_p99_ms, recall_at_10 (and more).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def synthetic_shots(n: int, seed: int = 7):
    """N reference shots recombined from the corpus, deterministic for a seed."""
    from filmcrew.memory.film_references import ReferenceShot, load_default_corpus

    corpus = load_default_corpus()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(corpus), size=(n, 6))
    out = []
    for i in range(n):
        base, ctx, feel, light, desc, cam = (corpus[j] for j in picks[i])
        out.append(ReferenceShot.model_construct(
            id=f"synthetic-{i:07d}", sequence_id=f"synthetic-{i // 4:06d}", position=i % 4 + 1,
            source_kind="import", film_title=None, film_year=None, film_scene=None, timecode=None,
            licence="synthetic", provenance="rag_scale", situation=base.situation,
            setting=ctx.setting, time=ctx.time, emotion=feel.emotion, genre=feel.genre, lighting=light.lighting,
            shot_size=cam.shot_size, movement=cam.movement, angle=cam.angle, lens=cam.lens,
            composition=cam.composition, duration=cam.duration,
            description=f"{desc.description}; {base.description}",
        ))
    return out


def queries(count: int) -> list[str]:
    import rag_quality

    from filmcrew.memory.film_references import load_default_corpus

    blocks = [rag_quality.block_query(item) for item in rag_quality.load_labelled()]
    shots = [f"{s.situation}: {s.description}, {s.setting}" for s in load_default_corpus()]
    mixed = (blocks + shots[:: max(1, len(shots) // max(1, count - len(blocks)))])[:count]
    return mixed


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--store", default="faiss", help="faiss or milvus (a Milvus Lite file)")
    parser.add_argument("--index", default="ivf", help="FAISS index kind: ivf (the default store's choice above 50,000) or hnsw")
    parser.add_argument("--dir", type=Path, default=None, help="where to persist the index (default: a temporary folder)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--batch", type=int, default=8192)
    args = parser.parse_args(argv)

    from filmcrew.memory.embeddings import default_embedder
    from filmcrew.memory.film_references import query_vector, shot_vectors
    from filmcrew.memory.vector_store import FaissStore, MilvusStore

    root = args.dir or Path(tempfile.mkdtemp(prefix="rag-scale-"))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    wall0, cpu0 = time.perf_counter(), cpu()
    embedder = default_embedder()
    print(f"embedder {embedder.name} (dim {embedder.dim}), store {args.store}, n {args.n:,}, index in {root}")

    t = time.perf_counter()
    shots = synthetic_shots(args.n)
    print(f"composed {len(shots):,} synthetic references in {time.perf_counter() - t:.1f} s")

    # Embedding.
    t, c = time.perf_counter(), cpu()
    vectors = np.empty((len(shots), embedder.dim), dtype=np.float32)
    for start in range(0, len(shots), args.batch):
        vectors[start:start + args.batch] = shot_vectors(embedder, shots[start:start + args.batch])
    embed_s, embed_cpu = time.perf_counter() - t, cpu() - c
    print(f"embedding: {len(shots) / embed_s:,.0f} shots/s ({embed_s:.1f} s wall, {embed_cpu:.1f} CPU s)")

    # Approximate index: build, persist, reload.
    ids = [s.id for s in shots]
    t, c = time.perf_counter(), cpu()
    if args.store == "faiss":
        store = FaissStore(embedder.dim, path=root, kind=args.index)
        store.add(ids, vectors)  # one add: an IVF index trains on it
        store.save()
    elif args.store == "milvus":
        store = MilvusStore(str(root / "milvus.db"), embedder.dim)
        for start in range(0, len(ids), 20_000):
            store.add(ids[start:start + 20_000], vectors[start:start + 20_000])
        store.save()
    else:
        raise SystemExit(f"unknown store {args.store}")
    index_s, index_cpu = time.perf_counter() - t, cpu() - c
    build_s = embed_s + index_s
    print(f"index ({store.name}): {index_s:.1f} s wall, {index_cpu:.1f} CPU s; whole build incl. embedding {build_s:.1f} s")

    t = time.perf_counter()
    if args.store == "faiss":
        store = FaissStore(embedder.dim, path=root)
    else:
        store.close()
        store = MilvusStore(str(root / "milvus.db"), embedder.dim)
    reload_s = time.perf_counter() - t
    assert len(store) == len(ids), "reloaded index lost vectors"
    index_mb = dir_mb(root)
    print(f"persisted {index_mb:,.1f} MB, reloaded {len(store):,} vectors in {reload_s:.2f} s")

    # Queries: end to end (embed + search) and search alone.
    texts = queries(args.queries)
    qv = np.concatenate([query_vector(embedder, q) for q in texts[:5]])  # warm-up
    store.search(qv, 10)
    total_ms, search_ms, approx = [], [], []
    for q in texts:
        t0 = time.perf_counter()
        v = query_vector(embedder, q)
        t1 = time.perf_counter()
        hits = store.search(v, 10)[0]
        t2 = time.perf_counter()
        total_ms.append(1000 * (t2 - t0))
        search_ms.append(1000 * (t2 - t1))
        approx.append(hits)
    p50, p99 = np.percentile(total_ms, 50), np.percentile(total_ms, 99)
    s50, s99 = np.percentile(search_ms, 50), np.percentile(search_ms, 99)
    print(f"query latency end to end: p50 {p50:.2f} ms, p99 {p99:.2f} ms; search alone p50 {s50:.3f} ms, p99 {s99:.3f} ms ({len(texts)} queries)")

    # Exact search over the same vectors for recall@10.
    qmat = np.concatenate([query_vector(embedder, q) for q in texts])
    exact = FaissStore(embedder.dim, kind="flat")
    exact.add(ids, vectors)
    truth = exact.search(qmat, 10)
    found = 0
    for got, want in zip(approx, truth):
        floor = want[-1][1] - 1e-5
        want_ids = {i for i, _ in want}
        found += sum(1 for i, s in got if i in want_ids or s >= floor)
    recall = found / (10 * len(texts))
    print(f"recall@10 against exact search: {recall:.4f}")

    # Incremental add: 1% more references into the reloaded index, persisted again.
    extra = synthetic_shots(max(1, args.n // 100), seed=11)
    extra_ids = [f"extra-{s.id}" for s in extra]
    t = time.perf_counter()
    added = store.add(extra_ids, shot_vectors(embedder, extra))
    store.save()
    add_s = time.perf_counter() - t
    print(f"incremental add: {added:,} references in {add_s:.1f} s (embedding included); index now {len(store):,}")

    result = {
        "n": args.n, "store": store.name, "embedder": embedder.name,
        "embed_per_s": round(len(shots) / embed_s, 1), "build_s": round(build_s, 1), "index_s": round(index_s, 1),
        "index_mb": round(index_mb, 1), "peak_rss_mb": round(rss_mb(), 1),
        "query_p50_ms": round(float(p50), 3), "query_p99_ms": round(float(p99), 3),
        "search_p50_ms": round(float(s50), 3), "search_p99_ms": round(float(s99), 3),
        "recall_at_10": round(recall, 4), "reload_s": round(reload_s, 2), "incremental_add_s": round(add_s, 1),
        "wall_s": round(time.perf_counter() - wall0, 1), "cpu_s": round(cpu() - cpu0, 1),
    }
    if args.store == "milvus":
        store.close()
    if args.dir is None:
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
