"""Criteria as data and the derived scores."""

from __future__ import annotations

import pytest

from filmcrew.filmeval import CODES, PAPER_SYSTEM, brief_facts, criteria, derived_scores

# Per-criterion values chosen to be consistent with the paper's published derived scores
# for its own system (CL 4.50, CRh 4.32, avg 4.41). The paper's per-criterion row could not
# be recovered here, so these are not its values; they test that the formulas reproduce
# the published CL/CRh/avg triple from a row of twelve.
CONSISTENT_ROW = {"SF": 4.70, "NC": 4.60, "VQ": 4.55, "CC": 4.45, "PLC": 4.40, "V/AQ": 4.38,
                  "CT": 4.30, "AVR": 4.30, "NP": 4.25, "VAC": 4.30, "CD": 4.29, "OQ": 4.40}


def test_twelve_criteria_in_six_dimensions_with_full_rubrics():
    found = criteria()
    assert tuple(c.code for c in found) == CODES
    dims = {c.dimension for c in found}
    assert dims == {"NS", "AT", "AE", "RF", "EE", "OE"}
    assert [c.code for c in found if c.dimension == "AT"] == ["VQ", "CC", "PLC", "V/AQ"]
    for c in found:
        assert sorted(c.rubric) == [1, 2, 3, 4, 5] and all(len(t) > 10 for t in c.rubric.values())
    assert {c.code for c in found if c.offline_strength == "proxy"} == {"NC", "PLC", "CD", "OQ"}


def test_paper_formula_reproduces_the_published_derived_scores():
    d = derived_scores(CONSISTENT_ROW)
    assert round(d["CL"], 2) == PAPER_SYSTEM["CL"] == 4.50
    assert round(d["CRh"], 2) == PAPER_SYSTEM["CRh"] == 4.32
    assert round(d["avg"], 2) == PAPER_SYSTEM["avg"] == 4.41


def test_ct_and_avr_count_half_in_each_so_avg_is_the_mean_of_cl_and_crh():
    row = dict(CONSISTENT_ROW)
    d = derived_scores(row)
    assert d["avg"] == pytest.approx((d["CL"] + d["CRh"]) / 2)
    row["CT"] += 1.0
    d2 = derived_scores(row)
    assert d2["CL"] - d["CL"] == pytest.approx(0.5 / 6) and d2["CRh"] - d["CRh"] == pytest.approx(0.5 / 6)
    row = dict(CONSISTENT_ROW, SF=CONSISTENT_ROW["SF"] + 1.0)
    d3 = derived_scores(row)
    assert d3["CL"] - d["CL"] == pytest.approx(1 / 6) and d3["CRh"] == pytest.approx(d["CRh"])


def test_a_missing_criterion_leaves_what_needs_it_missing():
    row = dict(CONSISTENT_ROW, VQ=None)
    d = derived_scores(row)
    assert d["CL"] is None and d["avg"] is None and d["CRh"] == pytest.approx(4.32, abs=0.005)
    assert derived_scores(dict(CONSISTENT_ROW, CT=None)) == {"CL": None, "CRh": None, "avg": None}


def test_brief_facts_reads_people_places_objects_events():
    f = brief_facts("A retired teacher named Bruno turns an abandoned school on a hill into a shelter during a flood. "
                    "Villagers arrive by boat.")
    assert {"teacher", "bruno"} <= set(f.people)
    assert {"school", "hill"} <= set(f.places)
    assert "shelter" in f.objects or "flood" in f.objects
    assert "turn" in f.events
