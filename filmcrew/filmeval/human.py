"""Human ratings: read a ratings file and correlate it with a judge.

The file is CSV with the columns `film,criterion,score`, `film` being the run
directory's name; several raters may rate the same film and criterion (their
mean is used). Every row is checked before anything is computed: an unknown
film or criterion, or a score that is not a number from 1 to 5, is an input
error naming the row.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from filmcrew.errors import InputError
from filmcrew.filmeval.criteria import CODES
from filmcrew.filmeval.result import FilmScore

__all__ = ["read_ratings", "correlate"]


def read_ratings(path: str | Path, films: Iterable[str]) -> dict[tuple[str, str], float]:
    """(film, criterion) -> mean human score."""
    path = Path(path)
    known = set(films)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read ratings file {path}: {exc.strerror}") from exc
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or not {"film", "criterion", "score"} <= set(rows[0].keys()):
        raise InputError(f"ratings file {path} needs a header film,criterion,score and at least one row")
    collected: dict[tuple[str, str], list[float]] = {}
    for line, row in enumerate(rows, start=2):
        film, code, raw = (row.get("film") or "").strip(), (row.get("criterion") or "").strip(), (row.get("score") or "").strip()
        if film not in known:
            raise InputError(f"ratings file {path} line {line}: film {film!r} is not one of the judged runs ({', '.join(sorted(known))})")
        if code not in CODES:
            raise InputError(f"ratings file {path} line {line}: criterion {code!r} is not one of {', '.join(CODES)}")
        try:
            score = float(raw)
        except ValueError:
            raise InputError(f"ratings file {path} line {line}: score {raw!r} is not a number") from None
        if not math.isfinite(score) or not 1 <= score <= 5:
            raise InputError(f"ratings file {path} line {line}: score {raw} is outside 1-5")
        collected.setdefault((film, code), []).append(score)
    return {key: float(np.mean(v)) for key, v in collected.items()}


def _three(judge: list[float], human: list[float]) -> dict[str, Any]:
    from scipy import stats

    if len(judge) < 3:
        return {"pearson": None, "spearman": None, "kendall": None, "n": len(judge), "note": "fewer than 3 pairs"}
    if len(set(judge)) < 2 or len(set(human)) < 2:
        return {"pearson": None, "spearman": None, "kendall": None, "n": len(judge), "note": "one side is constant"}

    def r(value: float) -> float | None:
        return round(float(value), 4) if math.isfinite(value) else None

    return {
        "pearson": r(stats.pearsonr(judge, human).statistic),
        "spearman": r(stats.spearmanr(judge, human).statistic),
        "kendall": r(stats.kendalltau(judge, human).statistic),
        "n": len(judge),
    }


def correlate(scores: list[FilmScore], ratings: dict[tuple[str, str], float]) -> dict[str, Any]:
    """Pearson, Spearman and Kendall between judge and humans, overall and per criterion."""
    pairs: dict[str, tuple[list[float], list[float]]] = {c: ([], []) for c in CODES}
    for film in scores:
        for code in CODES:
            j = film.criteria.get(code)
            h = ratings.get((film.run, code))
            if j is not None and h is not None:
                pairs[code][0].append(float(j))
                pairs[code][1].append(h)
    all_j = [v for c in CODES for v in pairs[c][0]]
    all_h = [v for c in CODES for v in pairs[c][1]]
    result = _three(all_j, all_h)
    result["per_criterion"] = {c: _three(*pairs[c]) for c in CODES}
    return result
