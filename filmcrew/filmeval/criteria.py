"""The twelve FilmEval criteria as data, and the derived scores.

The criteria, their dimensions and our 1-5 rubrics live in
`data/criteria.yaml`; this module loads them once and computes the derived
scores with the formulas that reproduce the paper's Table 2:

    CL  = (SF + NC + VQ + CC + PLC + 0.5*CT + 0.5*AVR) / 6
    CRh = (V/AQ + NP + VAC + CD + OQ + 0.5*CT + 0.5*AVR) / 6
    avg = mean of the twelve

CT and AVR count half in each, so CL and CRh together weigh every criterion
once and avg = (CL + CRh) / 2.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal, Mapping

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "Criterion",
    "CODES",
    "criteria",
    "criterion",
    "derived_scores",
    "PAPER_SYSTEM",
]

CODES: tuple[str, ...] = ("SF", "NC", "VQ", "CC", "PLC", "V/AQ", "CT", "AVR", "NP", "VAC", "CD", "OQ")
_CL_FULL = ("SF", "NC", "VQ", "CC", "PLC")
_CRH_FULL = ("V/AQ", "NP", "VAC", "CD", "OQ")
_SHARED = ("CT", "AVR")

# The paper's own system as published in its Table 2 (derived scores only).
PAPER_SYSTEM = {"CL": 4.50, "CRh": 4.32, "avg": 4.41}


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    dimension: Literal["NS", "AT", "AE", "RF", "EE", "OE"]
    dimension_name: str
    question: str
    rubric: dict[int, str] = Field(description="score 1..5 -> what a film with that score looks or sounds like")
    offline_strength: Literal["measure", "proxy"]
    offline_how: str

    @field_validator("rubric")
    @classmethod
    def _five_levels(cls, value: dict[int, str]) -> dict[int, str]:
        if sorted(value) != [1, 2, 3, 4, 5]:
            raise ValueError("a rubric has exactly the levels 1, 2, 3, 4, 5")
        return value

    def rubric_text(self) -> str:
        return "\n".join(f"  {k}: {v}" for k, v in sorted(self.rubric.items()))


@lru_cache(maxsize=1)
def criteria() -> tuple[Criterion, ...]:
    """The twelve criteria in the paper's order."""
    raw = yaml.safe_load(resources.files("filmcrew.filmeval").joinpath("data/criteria.yaml").read_text(encoding="utf-8"))
    dims = raw["dimensions"]
    found = tuple(
        Criterion(
            code=c["code"], name=c["name"], dimension=c["dimension"], dimension_name=dims[c["dimension"]],
            question=c["question"], rubric=c["rubric"],
            offline_strength=c["offline"]["strength"], offline_how=c["offline"]["how"],
        )
        for c in raw["criteria"]
    )
    if tuple(c.code for c in found) != CODES:
        raise ValueError("criteria.yaml must list the twelve FilmEval criteria in order")
    return found


def criterion(code: str) -> Criterion:
    for c in criteria():
        if c.code == code:
            return c
    raise KeyError(code)


def derived_scores(scores: Mapping[str, float | None]) -> dict[str, float | None]:
    """CL, CRh and avg from per-criterion scores; None where a needed criterion is missing."""

    def have(codes: tuple[str, ...]) -> bool:
        return all(scores.get(c) is not None for c in codes)

    out: dict[str, float | None] = {"CL": None, "CRh": None, "avg": None}
    shared = 0.5 * sum(float(scores[c]) for c in _SHARED) if have(_SHARED) else None  # type: ignore[arg-type]
    if shared is not None and have(_CL_FULL):
        out["CL"] = (sum(float(scores[c]) for c in _CL_FULL) + shared) / 6  # type: ignore[arg-type]
    if shared is not None and have(_CRH_FULL):
        out["CRh"] = (sum(float(scores[c]) for c in _CRH_FULL) + shared) / 6  # type: ignore[arg-type]
    if have(CODES):
        out["avg"] = sum(float(scores[c]) for c in CODES) / len(CODES)  # type: ignore[arg-type]
    return out
