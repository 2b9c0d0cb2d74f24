"""The professional workflow as data: one module per stage, in the order of DESIGN.md.

Each module (`script`, `camera`, `clips`, `rough_cut`, `review`, `analysis`,
`fine_cut`, `sound_design`, `mix`, `export`) holds the whole story of its
stage: its `StageSpec` (`specs()`), the context its prompt gets, the checks a
proposal must pass, how an accepted output becomes run files, and the tools
its roles may call. Stage functions take a typed `StageContext` and call plain
functions of `filmcrew.tools` for the domain work. Custom roles add stages of
their own with `StageSpec(..., after="camera")` and `insert_stage`.
"""

from __future__ import annotations

from typing import Any

from filmcrew.orchestration.context import ProgressReporter, Services, StageContext
from filmcrew.orchestration.stages import (
    analysis,
    camera,
    clips,
    export,
    fine_cut,
    mix,
    review,
    rough_cut,
    script,
    sound_design,
)
from filmcrew.orchestration.stages._spec import StageSpec, StageTools, function_tool, insert_stage, no_tools

__all__ = [
    "StageSpec",
    "StageContext",
    "StageTools",
    "Services",
    "ProgressReporter",
    "STAGE_MODULES",
    "default_stages",
    "insert_stage",
    "function_tool",
    "no_tools",
]

# In workflow order; each contributes one or more consecutive stages.
STAGE_MODULES = (script, camera, clips, rough_cut, review, analysis, fine_cut, sound_design, mix, export)


def default_stages(*, rhythm_control: bool = True) -> list[StageSpec[Any]]:
    """The built-in workflow, brief to exported film. Without rhythm control (the
    ablation) no audience reviews the rough cut and it is locked as it is."""
    stages = [spec for module in STAGE_MODULES for spec in module.specs()]
    if rhythm_control:
        return stages
    unreviewed = fine_cut.unreviewed_specs()
    out: list[StageSpec[Any]] = []
    for spec in stages:
        if spec.name in ("review", "analysis"):
            continue
        out.extend(unreviewed if spec.name == "fine_cut" else [spec])
    return out
