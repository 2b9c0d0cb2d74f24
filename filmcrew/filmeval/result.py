"""A judge's verdict on one film: per-criterion scores, derived scores, reasons."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from filmcrew.filmeval.criteria import CODES, derived_scores

__all__ = ["FilmScore", "CriterionVerdict"]


class CriterionVerdict(BaseModel):
    """One criterion: a 1-5 score and why, or missing and why not."""

    model_config = ConfigDict(extra="forbid")

    score: float | None = Field(default=None, ge=1, le=5)
    why: str

    @classmethod
    def missing(cls, reason: str) -> "CriterionVerdict":
        return cls(score=None, why=f"missing: {reason}")


class FilmScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run: str
    criteria: dict[str, float | None]
    CL: float | None
    CRh: float | None
    avg: float | None
    why: dict[str, str]
    missing: dict[str, str] = Field(default_factory=dict)
    measures: dict[str, Any] = Field(default_factory=dict, description="the numbers behind the offline scores")

    @classmethod
    def from_verdicts(cls, run: str, verdicts: dict[str, CriterionVerdict], measures: dict[str, Any] | None = None) -> "FilmScore":
        scores = {c: (round(verdicts[c].score, 2) if c in verdicts and verdicts[c].score is not None else None) for c in CODES}
        derived = {k: (round(v, 3) if v is not None else None) for k, v in derived_scores(scores).items()}
        why = {c: verdicts[c].why if c in verdicts else "missing: the judge gave no verdict" for c in CODES}
        missing = {c: why[c].removeprefix("missing: ") for c in CODES if scores[c] is None}
        return cls(run=run, criteria=scores, CL=derived["CL"], CRh=derived["CRh"], avg=derived["avg"], why=why,
                   missing=missing, measures=measures or {})
