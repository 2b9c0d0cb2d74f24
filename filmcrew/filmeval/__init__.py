"""FilmEval: score any film on the paper's twelve criteria from what it shows and sounds like.

The criteria and our 1-5 rubrics are data (`criteria()`); `derived_scores`
computes CL, CRh and the average with the formulas that reproduce the paper's
Table 2. A judge watches `film.mp4` against the brief, reading the run's other
files only as declared intent: the `OfflineJudge` from measures of the frames
and the sound (`filmcrew.tools.perception`), `ModelJudge` through any
configured multimodal chat model. `evaluate` scores run directories and writes
the report (JSON, Markdown, HTML with plots), optionally correlated with human
ratings; `run_suite` makes and scores a film per suite brief, for ablations.
The judges never import the crew.
"""

from filmcrew.filmeval.criteria import CODES, PAPER_SYSTEM, Criterion, criteria, criterion, derived_scores
from filmcrew.filmeval.evaluate import Judge, evaluate, make_judge, run_suite
from filmcrew.filmeval.facts import BriefFacts, brief_facts
from filmcrew.filmeval.intent import FilmIntent, load_film
from filmcrew.filmeval.model import ModelJudge
from filmcrew.filmeval.offline import OfflineJudge
from filmcrew.filmeval.result import CriterionVerdict, FilmScore

__all__ = [
    "CODES",
    "PAPER_SYSTEM",
    "Criterion",
    "criteria",
    "criterion",
    "derived_scores",
    "BriefFacts",
    "brief_facts",
    "FilmIntent",
    "load_film",
    "OfflineJudge",
    "ModelJudge",
    "Judge",
    "make_judge",
    "evaluate",
    "run_suite",
    "CriterionVerdict",
    "FilmScore",
]
