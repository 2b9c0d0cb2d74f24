"""Without audience-centric rhythm control (the FilmEval ablation) no audience
reviews the cut and the rough cut is locked as it is."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

from support import small_config
from filmcrew import Crew
from filmcrew.memory.models import Brief, EditDecisionList
from filmcrew.orchestration.stages import default_stages


def test_the_workflow_without_rhythm_control_has_no_review_and_locks_the_rough_cut():
    names = [s.name for s in default_stages(rhythm_control=False)]
    assert "review" not in names and "analysis" not in names
    assert names.index("rough_cut") < names.index("fine_cut") < names.index("sound_scene")
    fine = next(s for s in default_stages(rhythm_control=False) if s.name == "fine_cut")
    assert fine.inputs == ("rough_cut.otio",)
    assert [s.name for s in default_stages()] != names


async def test_a_film_without_rhythm_control_keeps_every_shot_of_the_rough_cut(tmp_path: Path):
    config = small_config()
    config.use_rhythm_control = False
    crew = Crew.default(config=config, plugins=False)
    run = tmp_path / "run"
    await crew.start(Brief(text="A girl flies a red kite on a windy beach at sunset.", target_duration=8), run)
    while not (run / "fine_cut.otio").exists():
        await crew.step()
    assert not (run / "review.json").exists() and not (run / "analysis.json").exists()
    edits = EditDecisionList.model_validate_json((run / "edits.json").read_text())
    assert {d.op for d in edits.decisions} == {"retain"}
    rough = otio.adapters.read_from_file(str(run / "rough_cut.otio"))
    fine = otio.adapters.read_from_file(str(run / "fine_cut.otio"))
    assert [c.name for c in fine.find_clips()] == [c.name for c in rough.find_clips()]
    assert fine.duration() == rough.duration()
