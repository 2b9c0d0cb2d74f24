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

from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import EditDecision, EditDecisionList, Recheck, RecheckItem, Review
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.orchestration.stages.review import watch
from filmcrew.tools.cut_problems import problem_key
from filmcrew.tools.render import timeline_duration
from filmcrew.tools.timeline import apply_decisions, read_timeline, shot_spans, write_timeline

__all__ = ["specs", "context", "apply", "tools", "recheck"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {"analysis": ctx.run.read_json("analysis.json"), "cut": cut_for(ctx, "rough_cut.otio"),
            "audience": ctx.audience.model_dump(mode="json")}


async def apply(ctx: StageContext, output: EditDecisionList, proposals: int) -> str:
    rough = read_timeline(ctx.run.path("rough_cut.otio"))
    fine, errors = apply_decisions(rough, output.decisions)
    if errors:
        raise RejectedOutput("the timeline refused these edits: " + "; ".join(errors))
    fine.name = "fine cut (picture lock)"
    ctx.run.write_model("edits.json", output)
    write_timeline(fine, ctx.run.path("fine_cut.otio"))
    checked = recheck(ctx)
    ctx.run.write_model("recheck.json", checked)
    ops = [d.op for d in output.decisions if d.op != "retain"]
    gone = sum(i.resolved for i in checked.items)
    return (f"picture lock at {timeline_duration(fine):.2f} s after {len(ops)} edits ({', '.join(sorted(set(ops))) or 'none'}); "
            f"{gone} of {len(checked.items)} reviewed problems gone")


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
