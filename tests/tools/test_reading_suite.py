"""The brief suite read by tools/reading: every brief's facts must be read (100%)."""

import importlib.util
from pathlib import Path

from filmcrew.tools.reading import read_brief

_SPEC = importlib.util.spec_from_file_location("brief_suite", Path(__file__).parents[1] / "data" / "briefs" / "suite.py")
suite = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(suite)


def test_suite_has_enough_briefs_of_every_kind():
    briefs = suite.load_briefs()
    assert len(briefs) >= 60
    assert len({b["id"] for b in briefs}) == len(briefs)
    assert {"es", "fr", "de", "ru"} <= {b["language"] for b in briefs}
    words = [len(b["text"].split()) for b in briefs]
    assert sum(w <= 20 for w in words) >= 20 and sum(w >= 100 for w in words) >= 10


def test_every_brief_of_the_suite_is_read_faithfully():
    briefs = suite.load_briefs()
    failures = []
    for brief in briefs:
        failures += suite.check_reading(brief, read_brief(brief["text"]))
    passed = len(briefs) - len({f.split(":")[0] for f in failures})
    print(f"reading suite: {passed}/{len(briefs)} briefs pass")
    assert not failures, "\n".join(failures)
