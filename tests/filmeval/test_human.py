"""Human ratings: strict parsing and the three correlations."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy import stats

from filmcrew.errors import InputError
from filmcrew.filmeval import CODES, CriterionVerdict, FilmScore
from filmcrew.filmeval.human import correlate, read_ratings


def _film(name: str, base: float) -> FilmScore:
    return FilmScore.from_verdicts(name, {c: CriterionVerdict(score=min(5, base + i * 0.2), why="x") for i, c in enumerate(CODES)})


def test_ratings_are_averaged_per_film_and_criterion(tmp_path: Path):
    p = tmp_path / "r.csv"
    p.write_text("film,criterion,score\na,SF,4\na,SF,2\nb,V/AQ,5\n")
    assert read_ratings(p, ["a", "b"]) == {("a", "SF"): 3.0, ("b", "V/AQ"): 5.0}


@pytest.mark.parametrize("body, message", [
    ("film,criterion,score\nzzz,SF,4\n", "film 'zzz'"),
    ("film,criterion,score\na,XX,4\n", "criterion 'XX'"),
    ("film,criterion,score\na,SF,good\n", "not a number"),
    ("film,criterion,score\na,SF,9\n", "outside 1-5"),
    ("name,score\na,4\n", "header"),
])
def test_bad_ratings_name_the_row(tmp_path: Path, body: str, message: str):
    p = tmp_path / "r.csv"
    p.write_text(body)
    with pytest.raises(InputError, match=message):
        read_ratings(p, ["a"])


def test_correlations_match_scipy_overall_and_per_criterion():
    films = [_film("a", 1.0), _film("b", 2.0), _film("c", 3.0)]
    ratings = {}
    for f, shift in zip(films, (0.5, 0.2, 0.9)):
        for c in CODES:
            ratings[(f.run, c)] = min(5.0, f.criteria[c] + shift)
    result = correlate(films, ratings)
    judge = [f.criteria[c] for c in CODES for f in films]
    human = [ratings[(f.run, c)] for c in CODES for f in films]
    assert result["pearson"] == pytest.approx(stats.pearsonr(judge, human).statistic, abs=1e-4)
    assert result["kendall"] == pytest.approx(stats.kendalltau(judge, human).statistic, abs=1e-4)
    assert result["n"] == 36
    per = result["per_criterion"]["SF"]
    assert per["n"] == 3 and per["spearman"] == pytest.approx(1.0)
    only_two = correlate(films[:2], ratings)
    assert only_two["per_criterion"]["SF"]["pearson"] is None
