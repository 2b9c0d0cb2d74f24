"""Retrieval quality and speed of the embedding models on the labelled scene blocks.

    python benchmarks/rag_quality.py [--embedders wordllama,e5,hashing] [--k 5]

For every labelled scene block (tests/data/retrieval/scene_blocks.yaml) the
whole block is the query (`scene_query`); the top-k reference shots of the
shipped corpus are compared with the situations a film-maker would accept.

- recall@k: over (block, accepted situation) pairs, the share whose situation
  is among the top-k shots' situations; reported per situation too;
- hit@k: the share of blocks with at least one acceptable shot in the top k;
- precision@k: the share of top-k shots whose situation is acceptable;
- top1: the share of blocks whose best shot is acceptable.

Speed: corpus embedding throughput (shots/s) and per-query latency, wall and
CPU seconds (the machine is shared). Ends with one JSON line per embedder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "retrieval" / "scene_blocks.yaml"


def load_labelled(path: Path = LABELLED) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def block_query(item: dict) -> str:
    from filmcrew.memory.film_references import scene_query
    from filmcrew.memory.models import SceneBlock

    fields = {k: item[k] for k in ("prompt", "time_of_day", "location", "characters", "visual_elements",
                                   "narrative_objective", "rough_sound", "mood")}
    return scene_query(SceneBlock(id=item["id"], **fields), item.get("shots", []))


def retrieved_situations(index, query: str, k: int, unit: str) -> list[str]:
    """Situations of the top k results: k shots, or k whole sequences (what the cinematographer re-plans from)."""
    if unit == "sequences":
        return [s.situation for s in index.search_sequences(query, k=k)]
    return [m.situation for m in index.search(query, k)]


def evaluate(index, items: list[dict], k: int = 5, unit: str = "sequences") -> dict:
    """Recall/hit/precision/top1 at k over the labelled blocks, and recall by situation."""
    pairs = defaultdict(lambda: [0, 0])
    hits = precision = top1 = 0.0
    misses = []
    for item in items:
        accepted = set(item["accepted"])
        found = retrieved_situations(index, block_query(item), k, unit)
        for situation in accepted:
            pairs[situation][1] += 1
            pairs[situation][0] += situation in found
        good = [s in accepted for s in found]
        hits += any(good)
        precision += sum(good) / max(1, len(found))
        top1 += bool(good and good[0])
        if not any(good):
            misses.append({"id": item["id"], "accepted": sorted(accepted), "got": found})
    n = len(items)
    found_pairs = sum(v[0] for v in pairs.values())
    all_pairs = sum(v[1] for v in pairs.values())
    return {
        "unit": unit,
        "blocks": n,
        f"recall_at_{k}": round(found_pairs / all_pairs, 4),
        f"hit_at_{k}": round(hits / n, 4),
        f"precision_at_{k}": round(precision / n, 4),
        "top1": round(top1 / n, 4),
        "by_situation": {s: round(v[0] / v[1], 3) for s, v in sorted(pairs.items())},
        "misses": misses,
    }


def measure(name: str, k: int) -> dict:
    from filmcrew.memory.embeddings import make_embedder
    from filmcrew.memory.film_references import FilmReferenceIndex, load_default_corpus

    t0, c0 = time.perf_counter(), time.process_time()
    embedder = make_embedder(name)
    load_s = time.perf_counter() - t0
    corpus = load_default_corpus()
    t1, c1 = time.perf_counter(), time.process_time()
    index = FilmReferenceIndex.build(corpus, embedder)
    build_s, build_cpu = time.perf_counter() - t1, time.process_time() - c1
    items = load_labelled()
    t2, c2 = time.perf_counter(), time.process_time()
    result = evaluate(index, items, k, "sequences")
    query_s, query_cpu = time.perf_counter() - t2, time.process_time() - c2
    shots = evaluate(index, items, k, "shots")
    result["shot_level"] = {key: shots[key] for key in (f"recall_at_{k}", f"hit_at_{k}", f"precision_at_{k}", "top1")}
    result.update({
        "embedder": embedder.name, "dim": embedder.dim, "load_s": round(load_s, 2),
        "embed_per_s": round(len(corpus) / build_s, 1), "embed_cpu_s": round(build_cpu, 2),
        "query_ms": round(1000 * query_s / len(items), 2), "query_cpu_ms": round(1000 * query_cpu / len(items), 2),
        "total_cpu_s": round(time.process_time() - c0, 2),
    })
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="wordllama,e5,hashing")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    for name in args.embedders.split(","):
        try:
            r = measure(name.strip(), args.k)
        except Exception as exc:  # noqa: BLE001 - an optional embedder that is not installed is reported, not fatal
            print(f"{name}: not measured ({exc})", file=sys.stderr)
            continue
        rows.append(r)
        print(f"\n== {r['embedder']} (dim {r['dim']}) ==")
        print(f"top {args.k} sequences: recall@{args.k} {r[f'recall_at_{args.k}']:.3f}  hit@{args.k} {r[f'hit_at_{args.k}']:.3f}  "
              f"precision@{args.k} {r[f'precision_at_{args.k}']:.3f}  top1 {r['top1']:.3f}")
        print(f"top {args.k} shots:     " + "  ".join(f"{key.replace('_at_', '@')} {v:.3f}" for key, v in r["shot_level"].items()))
        print(f"embedding {r['embed_per_s']:.0f} shots/s ({r['embed_cpu_s']} CPU s for {len(__import__('filmcrew.memory.film_references', fromlist=['x']).load_default_corpus())} shots), "
              f"query {r['query_ms']} ms ({r['query_cpu_ms']} CPU ms), model load {r['load_s']} s")
        worst = sorted(r["by_situation"].items(), key=lambda kv: kv[1])[:6]
        print("weakest situations: " + ", ".join(f"{s} {v:.2f}" for s, v in worst))
        for miss in r["misses"][:8]:
            print(f"  miss {miss['id']}: wanted {miss['accepted']} got {miss['got']}")
    for r in rows:
        print(json.dumps({k: v for k, v in r.items() if k not in ("misses",)}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
