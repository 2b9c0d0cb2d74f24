"""The editor's offline craft: rough cut, analysis of the review, fine cut, export.

The analysis turns each review note into an action on the shot that causes it
(trim or accelerate the longest shot of a block that runs long, trim the head
of a slow opening, remove one side of a jump cut); the fine cut applies them
with the `edit_timeline` tool and retains every other shot.
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.craft.reading import note_flags
from filmcrew.agents.craft.voice import fit_words
from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.memory.models import Analysis, BlockVoiceOver, EditDecision, EditDecisionList, Recommendation, Review, RoughCutPlan, Script, ShotPlan

__all__ = ["TOOLS", "RULES", "assemble_rough_cut", "analyze_review", "fine_cut"]

EDIT_TIMELINE = "edit_timeline"
EXPORT_FILM = "export_film"
#: The tools the editor calls, in `RoleSpec.tools`.
TOOLS = (EDIT_TIMELINE, EXPORT_FILM)

def assemble_rough_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> RoughCutPlan:
    script = Script.model_validate(ctx["script"])
    plan = ShotPlan.model_validate(ctx["shot_plan"])
    lines = []
    for block in script.blocks:
        seconds = sum(s.duration for s in plan.shots if s.block_id == block.id)
        lines.append(BlockVoiceOver(block_id=block.id, text=fit_words(block.voice_over or block.narrative_objective, seconds * 0.85)))
    return RoughCutPlan(voice_over=lines, note="clips in plan order; placeholder voice-over per block")



def analyze_review(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Analysis:
    review = Review.model_validate(ctx["review"])
    cut = ctx["cut"]
    shots = {s["shot_id"]: s for s in cut["shots"]}
    structure: list[Recommendation] = []
    timing: list[Recommendation] = []
    audio: list[Recommendation] = []
    for note in review.notes:
        if note.category == "timing" and note.target in {b["block_id"] for b in cut["blocks"]}:
            block = next(b for b in cut["blocks"] if b["block_id"] == note.target)
            excess = block["duration"] - float(ctx.get("attention_span_s", block["duration"]))
            block_shots = [shots[s] for s in block["shot_ids"]]
            longest = max(block_shots, key=lambda s: s["duration"])
            if longest["movement"] in ("static", "pan", "dolly_in", "dolly_out", "zoom_in", "zoom_out") and excess > 1.5:
                timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="accelerate", params={"speed": 1.25}))
            cut_tail = round(min(longest["duration"] * 0.3, max(0.5, excess)) * 8) / 8
            timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="trim", params={"head": 0.0, "tail": cut_tail}))
        elif note.category == "timing":
            shot = shots.get(note.target)
            if shot and shot["duration"] > 2.0:
                timing.append(Recommendation(target=note.target, issue=note.text, action="trim",
                    params={"head": 0.0, "tail": round(shot["duration"] * 0.2 * 8) / 8}))
        elif note.category == "structure" and "hook" in note.text:
            structure.append(Recommendation(target=note.target, issue=note.text, action="trim",
                params={"head": round(shots[note.target]["duration"] * 0.35 * 8) / 8, "tail": 0.0}))
        elif note.category == "structure" and "jump" in note.text:
            if len(shots) > 3:
                structure.append(Recommendation(target=note.target, issue=note.text, action="remove"))
        elif note.category == "structure":
            structure.append(Recommendation(target=note.target, issue=note.text, action="retain"))
        elif note.category == "audio":
            audio.append(Recommendation(target=note.target, issue=note.text, action="revoice"))
    return Analysis(structure=structure, timing=timing, audio=audio)


def fine_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> EditDecisionList:
    analysis = Analysis.model_validate(ctx["analysis"])
    cut = ctx["cut"]
    flags = note_flags(notes)
    applied = next((r for r in results if isinstance(r, dict) and "applied" in r), None)
    if applied is not None:
        return EditDecisionList(decisions=[EditDecision.model_validate(d) for d in applied["applied"]])
    rejected = " ".join(n for n in notes if n.startswith("[feedback]"))
    decisions: list[EditDecision] = []
    touched: set[str] = set()
    shots = {s["shot_id"]: s for s in cut["shots"]}
    removed = 0
    for rec in analysis.structure + analysis.timing:
        if rec.target not in shots or rec.target in rejected:
            continue
        if rec.action == "remove":
            if removed >= max(1, len(shots) // 5):
                continue
            removed += 1
        if rec.action == "revoice":
            continue
        params = {k: float(v) for k, v in rec.params.items() if isinstance(v, (int, float))}
        decisions.append(EditDecision(shot_id=rec.target, op=rec.action, params=params, reason=rec.issue))
        touched.add(rec.target)
    if "faster" in flags:
        for shot in cut["shots"]:
            if shot["shot_id"] not in touched and shot["duration"] > 2.5:
                decisions.append(EditDecision(shot_id=shot["shot_id"], op="trim", params={"head": 0.0, "tail": round(shot["duration"] * 0.2 * 8) / 8},
                                              reason="director asked for a faster pace"))
                touched.add(shot["shot_id"])
    for shot in cut["shots"]:
        if shot["shot_id"] not in touched:
            decisions.append(EditDecision(shot_id=shot["shot_id"], op="retain", params={}, reason="serves its block as cut"))
    return EditDecisionList(decisions=decisions)


def timeline_edits(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The fine cut as one `edit_timeline` call; the timeline says which edits it applied."""
    decisions = fine_cut(ctx, [], notes)
    return [(EDIT_TIMELINE, {"decisions": [d.model_dump() for d in decisions.decisions]})]


def report_export(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> str:
    last = results[-1] if results else {}
    if not isinstance(last, dict):
        return "Done."
    return f"Exported {last.get('film')} ({last.get('duration', 0):.2f} s) and {last.get('timeline')}."


RULES: dict[str, OfflineRule] = {
    "assemble_rough_cut": assemble_rough_cut,
    "analyze_review": analyze_review,
    "fine_cut": OfflineToolRule(tools=(EDIT_TIMELINE,), calls=timeline_edits, answer=fine_cut),
    "export": OfflineToolRule(tools=(EXPORT_FILM,), calls=lambda ctx, notes: [(EXPORT_FILM, {})], answer=report_export),
}
