"""Fine cut: the editor reorders, removes, trims and speeds up shots of the
rough cut as the analysis recommends, ending in picture lock
(`fine_cut.otio`, with the decisions in `edits.json`).

The `edit_timeline` tool tries decisions on a copy of the rough cut and says
which the timeline refuses, so the editor can correct them before answering.
Once the picture is locked the viewer's problems are measured again on the
fine cut (no model turn: the same measures the review saw) and `recheck.json`
says, for each problem the review named, what it was before and what is left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opentimelineio as otio
from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import Analysis, EditDecision, EditDecisionList, Recheck, RecheckItem, Review
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.orchestration.stages.review import watch
from filmcrew.tools.cut_problems import problem_key
from filmcrew.tools.render import timeline_duration
from filmcrew.tools.timeline import NAMESPACE, apply_decisions, media_path, picture_track, read_timeline, shot_spans, write_timeline

__all__ = ["specs", "context", "apply", "tools", "recheck", "unreviewed_specs"]


def _context(ctx: StageContext, analysis: Any) -> dict[str, Any]:
    # The reviewed and the unreviewed fine cut show the editor the same cut and
    # audience; only the analysis they act on differs.
    return {"analysis": analysis, "cut": cut_for(ctx, "rough_cut.otio"), "audience": ctx.audience.model_dump(mode="json")}


def context(ctx: StageContext) -> dict[str, Any]:
    return _context(ctx, ctx.run.read_json("analysis.json"))


def _edited(ctx: StageContext, output: EditDecisionList, name: str) -> otio.schema.Timeline:
    """The rough cut with the editor's decisions applied, or `RejectedOutput` naming the refused edits."""
    fine, errors = apply_decisions(read_timeline(ctx.run.path("rough_cut.otio")), output.decisions)
    if errors:
        raise RejectedOutput("the timeline refused these edits: " + "; ".join(errors))
    fine.name = name
    return fine


def _lock(ctx: StageContext, output: EditDecisionList, fine: otio.schema.Timeline) -> None:
    ctx.run.write_model("edits.json", output)
    write_timeline(fine, ctx.run.path("fine_cut.otio"))


async def apply(ctx: StageContext, output: EditDecisionList, proposals: int) -> str:
    fine = _edited(ctx, output, "fine cut (picture lock)")
    retaken = await retake_drifting(ctx, fine)
    _lock(ctx, output, fine)
    checked = recheck(ctx)
    ctx.run.write_model("recheck.json", checked)
    ops = [d.op for d in output.decisions if d.op != "retain"]
    gone = sum(i.resolved for i in checked.items)
    return (f"picture lock at {timeline_duration(fine):.2f} s after {len(ops)} edits ({', '.join(sorted(set(ops))) or 'none'}); "
            f"{gone} of {len(checked.items)} reviewed problems gone" + (f"; retook {', '.join(retaken)}" if retaken else ""))


def _face(path: Path) -> list[float]:
    from filmcrew.errors import FilmcrewError
    from filmcrew.tools.perception import perceive

    try:
        shots = perceive(path).shots
    except FilmcrewError:
        return []
    with_face = [s for s in shots if s.face_signature]
    return list(max(with_face, key=lambda s: s.face_share).face_signature) if with_face else []


def _likeness(a: list[float], b: list[float]) -> float | None:
    return round(1.0 - 0.5 * sum(abs(x - y) for x, y in zip(a, b)), 3) if a and len(a) == len(b) else None


async def retake_drifting(ctx: StageContext, fine: Any) -> list[str]:
    """With a generative clip provider, each shot whose character drifted is generated once more with the
    block's references, and the take whose face is closer to the character's anchor (reference image, else
    first appearance) goes in the cut; both takes stay in the clip's metadata. The previz renderer draws the
    same picture again from the same inputs, so it is not asked."""
    from filmcrew.orchestration.stages._run import _reference_faces, read_clips, read_plan, read_script
    from filmcrew.orchestration.stages.clips import clip_cache_dir, load_looks
    from filmcrew.tools.clips.jobs import clip_jobs
    from filmcrew.tools.clips.service import ClipService

    review = ctx.run.read_model("review.json", Review)
    in_cut = {c.name: c for c in picture_track(fine).find_clips()}
    drifting = sorted({n.target for n in review.notes if n.problem == "drift" and n.target in in_cut})
    if not drifting or ctx.config.clips.provider == "previz":
        return []
    cut = cut_for(ctx, "rough_cut.otio")
    who: dict[str, str | None] = {}
    for view in cut["shots"]:
        measured = view.get("measured")
        who[view["shot_id"]] = measured.get("face_of") if measured else None
    anchors = _reference_faces(ctx)
    clips = {c.shot_id: c for c in read_clips(ctx).clips}
    for shot in cut["shots"]:  # a character without a reference is anchored at its first appearance
        name = who.get(shot["shot_id"])
        if name and name not in anchors and shot["shot_id"] in clips:
            anchors[name] = _face(Path(clips[shot["shot_id"]].path))
    jobs = clip_jobs(read_plan(ctx), read_script(ctx), ctx.brief.references, ctx.run.path("clips/takes"),
                     looks=load_looks(ctx), shot_ids=drifting)
    for job in jobs:
        job.out_path = job.out_path.with_name(f"{job.shot.id}-take2.mp4")
        # A different look is a different request (and cache entry): the retake is really generated again.
        job.look = {**(job.look or {}), "take": 2, "keep_appearance": f"{who.get(job.shot.id) or 'the character'} exactly as in the reference image"}
    ctx.run.path("clips/takes").mkdir(parents=True, exist_ok=True)
    cfg = ctx.config.clips
    service = ClipService(ctx.services.clip_generator, clip_cache_dir(), resolution=(cfg.width, cfg.height), fps=cfg.fps,
                          concurrency=cfg.concurrency, timeout=cfg.timeout)
    retaken = []
    for asset in await service.generate_all(jobs):
        clip = in_cut[asset.shot_id]
        first = media_path(clip)
        anchor = anchors.get(who.get(asset.shot_id) or "", [])
        scores = [_likeness(_face(first), anchor), _likeness(_face(Path(asset.path)), anchor)]
        span = clip.trimmed_range()
        fits = asset.frames >= span.end_time_exclusive().value
        better = fits and (scores[1] or 0.0) > (scores[0] or 0.0)
        takes = [{"take": 1, "path": str(first), "face_likeness": scores[0]},
                 {"take": 2, "path": asset.path, "face_likeness": scores[1]}]
        clip.metadata[NAMESPACE]["takes"] = takes
        clip.metadata[NAMESPACE]["chosen_take"] = 2 if better else 1
        if better:
            clip.media_reference.target_url = Path(asset.path).resolve().as_uri()
        retaken.append(asset.shot_id)
    return retaken


def recheck(ctx: StageContext) -> Recheck:
    """The review's measured problems looked for again in `fine_cut.otio`."""
    review = ctx.run.read_model("review.json", Review)
    before_cut = watch(ctx, "rough_cut.otio")["problems"]
    after = watch(ctx, "fine_cut.otio")["problems"]
    left: dict[str, list[dict[str, Any]]] = {}
    for p in after:
        left.setdefault(problem_key(p), []).append(dict(p))
    present = {s["shot_id"] for s in cut_for(ctx, "fine_cut.otio")["shots"]} | {p["block_id"] for p in after}
    items = []
    for note in review.notes:
        if not note.problem:
            continue
        key = f"{note.problem}:{note.target}"
        # One block may miss several things: the same finding is the one whose words (past the timecode) the note quotes.
        same = [p for p in left.get(key, []) if p["evidence"].split(" ", 1)[-1] in note.text]
        match = same[0] if same else (left[key][0] if key in left and note.problem != "missing" else None)
        if match is not None:
            found = match["evidence"]
        elif note.target not in present and note.target not in {s["block_id"] for s in cut_for(ctx, "fine_cut.otio")["shots"]}:
            found = f"{note.target} is no longer in the cut"
        else:
            found = "not measured any more"
        items.append(RecheckItem(problem=note.problem, target=note.target, before=note.text, after=found, resolved=match is None))
    known = {problem_key(p) for p in before_cut}
    new = [p["evidence"] for p in after if problem_key(p) not in known]
    return Recheck(audience=review.audience, items=items, new=new)


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def edit_timeline(decisions: list[EditDecision]) -> dict[str, Any]:
        """Apply edit decisions (reorder, remove, trim, accelerate, retain) to a copy of the rough cut; returns what was applied and what the timeline refused."""
        rough = read_timeline(ctx.run.path("rough_cut.otio"))
        applied: list[EditDecision] = []
        rejected = []
        for decision in decisions:
            _, errors = apply_decisions(rough, [*applied, decision])
            if errors:
                rejected.append({"decision": decision.model_dump(), "error": errors[-1]})
            else:
                applied.append(decision)
        fine, _ = apply_decisions(rough, applied)
        spans = shot_spans(fine)
        return {"applied": [d.model_dump() for d in applied], "rejected": rejected,
                "duration": round(sum(s.duration for s in spans), 4), "order": [s.shot_id for s in spans]}

    return [function_tool(edit_timeline)]


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="fine_cut", role="editor", task="fine_cut", inputs=("analysis.json", "rough_cut.otio"),
                  outputs=("fine_cut.otio", "edits.json", "recheck.json"), context=context, apply=apply, tools=tools),
    ]


# -- without audience-centric rhythm control (the ablation) ----------------------------------

_NO_ANALYSIS = Analysis(structure=[], timing=[], audio=[])


def unreviewed_context(ctx: StageContext) -> dict[str, Any]:
    """The fine cut's context when no audience reviewed the cut: nothing to act on."""
    return _context(ctx, _NO_ANALYSIS.model_dump(mode="json"))


async def apply_unreviewed(ctx: StageContext, output: EditDecisionList, proposals: int) -> str:
    fine = _edited(ctx, output, "fine cut (picture lock, no audience review)")
    _lock(ctx, output, fine)
    return f"picture lock at {timeline_duration(fine):.2f} s without an audience review"


def unreviewed_specs() -> list[StageSpec[Any]]:
    """Picture lock straight from the rough cut: what the film is without rhythm control."""
    return [
        StageSpec(name="fine_cut", role="editor", task="fine_cut", inputs=("rough_cut.otio",),
                  outputs=("fine_cut.otio", "edits.json"), context=unreviewed_context, apply=apply_unreviewed, tools=tools),
    ]
