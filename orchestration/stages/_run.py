"""Reading the run directory the way several stages do, and the cut a viewer sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from filmcrew.memory.models import ClipSet, RoughCutPlan, Script, ShotPlan
from filmcrew.memory.rundir import atomic_write_text
from filmcrew.orchestration.context import StageContext
from filmcrew.tools.cut_review import CutDescription, describe_cut
from filmcrew.tools.timeline import read_timeline

__all__ = ["read_script", "read_plan", "read_clips", "clips_exist", "cut_for"]

# What a description of a cut depends on besides the timeline itself.
_CUT_INPUTS = ("shot_plan.json", "clips.json", "rough_cut_plan.json", "brief.json")


def read_script(ctx: StageContext) -> Script:
    return ctx.run.read_model("script.json", Script)


def read_plan(ctx: StageContext) -> ShotPlan:
    return ctx.run.read_model("shot_plan.json", ShotPlan)


def read_clips(ctx: StageContext) -> ClipSet:
    return ctx.run.read_model("clips.json", ClipSet)


def clips_exist(ctx: StageContext) -> bool:
    """True when clips.json is readable and every clip it lists decodes to its frames.

    A clip cut short (a crash, a full disk) makes the stage stale, so the clips
    stage runs again and renders (or takes from the cache) what is broken.
    """
    from filmcrew.errors import RunFileError
    from filmcrew.tools.media import clip_problem

    try:
        return all(clip_problem(c.path, c.frames) is None for c in read_clips(ctx).clips)
    except (FileNotFoundError, RunFileError):
        return False


def _reference_faces(ctx: StageContext) -> dict[str, list[float]]:
    """Each character's reference image as perception signs a face, to compare its shots with."""
    from filmcrew.errors import FilmcrewError
    from filmcrew.tools.perception import appearance_signature

    faces = {}
    for ref in ctx.brief.references:
        if ref.kind == "character":
            try:
                faces[ref.name] = appearance_signature(ref.path)
            except FilmcrewError:
                continue  # an unreadable image: the character's first appearance is the anchor
    return faces


def cut_for(ctx: StageContext, timeline_name: str) -> CutDescription:
    """`describe_cut` of a run's timeline. Review, analysis and fine cut all look at
    the same rough cut and sampling its frames takes ffmpeg calls, so the description
    is kept under `.work/cuts/`, keyed by the contents of everything it depends on."""
    # The version changes when the description gains measures, so an older cached one is not reused.
    key = ctx.run.fingerprint((timeline_name, *_CUT_INPUTS), extra={"description": 2})[:20]
    cached = ctx.run.path(f".work/cuts/{Path(timeline_name).stem}-{key}.json")
    if cached.exists():
        return cast(CutDescription, json.loads(cached.read_text(encoding="utf-8")))
    voice = {}
    if ctx.run.exists("rough_cut_plan.json"):
        voice = {v.block_id: v.text for v in ctx.run.read_model("rough_cut_plan.json", RoughCutPlan).voice_over}
    cut = describe_cut(read_timeline(ctx.run.path(timeline_name)), read_plan(ctx), read_clips(ctx), voice,
                       faces=_reference_faces(ctx))
    atomic_write_text(cached, json.dumps(cut))
    return cut
