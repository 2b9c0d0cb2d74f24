"""The editor's offline craft: rough cut, analysis of the review, fine cut, export.

The analysis turns each review note into an action on what causes it: a
shot that repeats the one before, strays from its block or is too dark while
its block has others is removed; a block told before its cause is moved after
it; a slow or still establishing shot is accelerated, another still shot
trimmed to what the viewer gives a still; a block past the viewer's attention
has its longest shot sped up or trimmed; what the edit cannot fix (a missing
character, an unserved objective) is sent back for regeneration, and
voice-over that overruns is re-voiced. The fine cut applies them with the
`edit_timeline` tool, each decision keeping the note it answers, and retains
every other shot saying what it carries.
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
#: Words a narrator speaks per second (tools.cut_problems measures overruns at the same pace).
_WORDS_PER_SECOND = 2.6
_HOLD_BY_PACING = {"fast": 1.0, "moderate": 1.6, "slow": 2.6}
_WIDE = ("extreme_wide", "wide")

def assemble_rough_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> RoughCutPlan:
    script = Script.model_validate(ctx["script"])
    plan = ShotPlan.model_validate(ctx["shot_plan"])
    lines = []
    for block in script.blocks:
        seconds = sum(s.duration for s in plan.shots if s.block_id == block.id)
        lines.append(BlockVoiceOver(block_id=block.id, text=fit_words(block.voice_over or block.narrative_objective, seconds * 0.85)))
    return RoughCutPlan(voice_over=lines, note="clips in plan order; placeholder voice-over per block")



def _eighths(seconds: float) -> float:
    return round(seconds * 8) / 8


def _hold(audience: dict[str, Any]) -> float:
    return float(audience["preferred_shot_length_s"]) * _HOLD_BY_PACING.get(audience.get("pacing", "moderate"), 1.6)


def analyze_review(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Analysis:
    review = Review.model_validate(ctx["review"])
    cut = ctx["cut"]
    audience = ctx.get("audience") or {"preferred_shot_length_s": 4.0, "pacing": "moderate"}
    related = {f"{p['kind']}:{p['target']}": p.get("related", "") for p in ctx.get("problems", [])}
    shots = {s["shot_id"]: s for s in cut["shots"]}
    blocks = {b["block_id"]: b for b in cut["blocks"]}
    structure: list[Recommendation] = []
    timing: list[Recommendation] = []
    audio: list[Recommendation] = []
    hold = _hold(audience)
    for note in review.notes:
        kind, target = note.problem, note.target
        shot = shots.get(target)
        block = blocks.get(target) or (blocks.get(shot["block_id"]) if shot else None)
        if kind in ("repeat", "stray", "jump") and shot and block and len(block["shot_ids"]) > 1:
            structure.append(Recommendation(target=target, issue=note.text, action="remove"))
        elif kind == "dark" and shot and block:
            action = "remove" if len(block["shot_ids"]) > 1 else "regenerate"
            structure.append(Recommendation(target=target, issue=note.text, action=action))  # type: ignore[arg-type]
        elif kind == "order" and block:
            after = related.get(f"order:{target}", "")
            if after in blocks:
                structure.append(Recommendation(target=target, issue=note.text, action="reorder", params={"after": after}))
        elif kind in ("missing", "unserved", "sizes", "drift"):
            structure.append(Recommendation(target=target, issue=note.text, action="regenerate"))
        elif kind in ("static", "slow_opening") and shot:
            first = block is not None and block["shot_ids"][0] == target
            dur = float(shot["duration"])
            if shot["shot_size"] in _WIDE and first:
                # An establishing shot keeps its whole move or view, only faster.
                speed = round(min(2.0, max(1.25, dur / max(hold, float(audience["preferred_shot_length_s"])))), 2)
                timing.append(Recommendation(target=target, issue=note.text, action="accelerate", params={"speed": speed}))
            else:
                tail = _eighths(max(0.25, dur - max(hold, 1.0)))
                timing.append(Recommendation(target=target, issue=note.text, action="trim", params={"head": 0.0, "tail": tail}))
        elif kind == "long_block" and block:
            excess = float(block["duration"]) - float(ctx.get("attention_span_s", block["duration"]))
            longest = max((shots[s] for s in block["shot_ids"]), key=lambda s: s["duration"])
            if excess > 1.5:
                timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="accelerate", params={"speed": 1.25}))
            else:
                timing.append(Recommendation(target=longest["shot_id"], issue=note.text, action="trim",
                                             params={"head": 0.0, "tail": _eighths(min(longest["duration"] * 0.3, max(0.5, excess)))}))
        elif kind in ("overrun", "silent") or note.category == "audio":
            seconds = float(block["duration"]) if block else 0.0
            audio.append(Recommendation(target=target, issue=note.text, action="revoice",
                                        params={"words": int(seconds * _WORDS_PER_SECOND * 0.85)} if seconds else {}))
        else:
            (timing if note.category == "timing" else structure).append(
                Recommendation(target=target, issue=note.text, action="retain"))
    return Analysis(structure=structure, timing=timing, audio=audio)


def _carries(shot: dict[str, Any]) -> str:
    drawn = shot.get("drawn") or {}
    things = [*drawn.get("characters", []), *drawn.get("props", []), *drawn.get("creatures", [])]
    return ", ".join(dict.fromkeys(things)) or drawn.get("setting") or shot.get("action") or "its part of the block"


def _reorders(order: list[str], block_of: dict[str, str], move: str, after: str, reason: str) -> list[EditDecision]:
    """Decisions moving every shot of block `move` to just after block `after`; `order` is updated to match."""
    decisions = []
    anchor = [s for s in order if block_of[s] == after][-1]
    for sid in [s for s in order if block_of[s] == move]:
        order.remove(sid)
        position = order.index(anchor) + 1  # `reorder` positions count the cut as it is once the shot is lifted
        order.insert(position, sid)
        decisions.append(EditDecision(shot_id=sid, op="reorder", params={"position": float(position)}, reason=reason))
        anchor = sid
    return decisions


def fine_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> EditDecisionList:
    analysis = Analysis.model_validate(ctx["analysis"])
    cut = ctx["cut"]
    flags = note_flags(notes)
    applied = next((r for r in results if isinstance(r, dict) and "applied" in r), None)
    if applied is not None:
        return EditDecisionList(decisions=[EditDecision.model_validate(d) for d in applied["applied"]])
    rejected = " ".join(n for n in notes if n.startswith("[feedback]"))
    shots = {s["shot_id"]: s for s in cut["shots"]}
    block_of = {s["shot_id"]: s["block_id"] for s in cut["shots"]}
    order = [s["shot_id"] for s in cut["shots"]]
    decisions: list[EditDecision] = []
    touched: set[str] = set()
    recs = analysis.structure + analysis.timing
    # Removals first, then moves (positions count the shots still in the cut), then durations.
    limit = max(1, len(shots) // 3)  # never gut the film: a third of its shots at most
    for rec in (r for r in recs if r.action == "remove" and r.target in shots and r.target not in rejected):
        left = [s for s in order if block_of[s] == block_of[rec.target]]
        if rec.target in touched or len(left) < 2 or limit == 0:
            continue
        limit -= 1
        order.remove(rec.target)
        decisions.append(EditDecision(shot_id=rec.target, op="remove", params={}, reason=rec.issue))
        touched.add(rec.target)
    for rec in (r for r in recs if r.action == "reorder"):
        after = str(rec.params.get("after", ""))
        if rec.target in rejected or not any(block_of[s] == rec.target for s in order) or not any(block_of[s] == after for s in order):
            continue
        moves = _reorders(order, block_of, rec.target, after, rec.issue)
        decisions += moves
        touched |= {d.shot_id for d in moves}
    for rec in (r for r in recs if r.action in ("trim", "accelerate")):
        if rec.target not in shots or rec.target not in order or rec.target in rejected:
            continue
        if any(d.shot_id == rec.target and d.op in ("trim", "accelerate") for d in decisions):
            continue
        params = {k: float(v) for k, v in rec.params.items() if isinstance(v, (int, float))}
        decisions.append(EditDecision(shot_id=rec.target, op=rec.action, params=params, reason=rec.issue))  # type: ignore[arg-type]
        touched.add(rec.target)
    if "faster" in flags:
        for shot in cut["shots"]:
            if shot["shot_id"] not in touched and shot["duration"] > 2.5:
                decisions.append(EditDecision(shot_id=shot["shot_id"], op="trim", params={"head": 0.0, "tail": _eighths(shot["duration"] * 0.2)},
                                              reason="director asked for a faster pace"))
                touched.add(shot["shot_id"])
    unfixable = {r.target for r in analysis.structure if r.action == "regenerate"}
    for sid in order:
        if sid not in touched:
            shot = shots[sid]
            why = f"keeps {_carries(shot)} in {shot['block_id']} at {shot['duration']:.1f} s"
            if shot["block_id"] in unfixable or sid in unfixable:
                why += "; what the review misses here needs new shots, not a cut"
            decisions.append(EditDecision(shot_id=sid, op="retain", params={}, reason=why))
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
