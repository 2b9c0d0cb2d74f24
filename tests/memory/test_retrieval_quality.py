"""Retrieval a film-maker agrees with: recall@5 by situation on the labelled scene blocks."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import rag_quality  # noqa: E402

from filmcrew.memory.film_references import SITUATIONS, default_reference_index  # noqa: E402


def test_labelled_set_is_large_and_uses_known_situations():
    items = rag_quality.load_labelled()
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    accepted = {s for i in items for s in i["accepted"]}
    assert accepted == set(SITUATIONS)


def test_recall_at_5_by_situation(capsys):
    items = rag_quality.load_labelled()
    report = rag_quality.evaluate(default_reference_index(), items, k=5, unit="sequences")
    shots = rag_quality.evaluate(default_reference_index(), items, k=5, unit="shots")
    with capsys.disabled():
        print(f"\nrecall@5 (top 5 sequences) {report['recall_at_5']:.3f}, top1 {report['top1']:.3f}; "
              f"recall@5 (top 5 shots) {shots['recall_at_5']:.3f}")
        print("by situation: " + ", ".join(f"{s} {v:.2f}" for s, v in report["by_situation"].items()))
    assert report["recall_at_5"] >= 0.8
    assert report["top1"] >= 0.6
    # No situation is left behind entirely.
    assert min(report["by_situation"].values()) >= 0.4
