"""The audience's offline craft: a viewer of one archetype reviews the rough cut.

The viewer watches the cut (the `watch_cut` tool) and notes what pulls them
out: scenes past their attention span, narration missing or too dense, shots
longer or shorter than they expect, jump cuts, a slow opening for a fast
audience, pictures too dark to read.
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.memory.models import Review, ReviewNote

__all__ = ["TOOLS", "RULES", "review_cut"]

WATCH_CUT = "watch_cut"
#: The tools the audience calls, in `RoleSpec.tools`.
TOOLS = (WATCH_CUT,)

def review_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Review:
    audience = ctx["audience"]
    cut = next((r for r in results if isinstance(r, dict) and "shots" in r), None)
    if cut is None:
        raise ValueError("watch_cut result missing")
    review_notes: list[ReviewNote] = []
    span = float(audience["attention_span_s"])
    preferred = float(audience["preferred_shot_length_s"])
    for block in cut["blocks"]:
        if block["duration"] > span * 1.1:
            review_notes.append(ReviewNote(category="timing", target=block["block_id"], severity="high",
                text=f"{block['block_id']} runs {block['duration']:.1f} s; a {audience['name']} viewer drifts after about {span:.0f} s"))
        if block["voice_words"] == 0:
            review_notes.append(ReviewNote(category="audio", target=block["block_id"], severity="medium",
                text=f"{block['block_id']} has no voice-over; I lose the thread there"))
        elif block["voice_words"] / max(block["duration"], 0.1) > 2.8:
            review_notes.append(ReviewNote(category="audio", target=block["block_id"], severity="medium",
                text=f"the voice-over in {block['block_id']} is too dense to follow ({block['voice_words']} words in {block['duration']:.1f} s)"))
    asl = cut["average_shot_length"]
    if asl > preferred * 1.3:
        slowest = max(cut["shots"], key=lambda s: s["duration"])
        review_notes.append(ReviewNote(category="timing", target=slowest["shot_id"], severity="medium",
            text=f"shots average {asl:.1f} s where I expect about {preferred:.1f} s; {slowest['shot_id']} drags most"))
    elif asl < preferred * 0.6:
        review_notes.append(ReviewNote(category="timing", target=cut["shots"][0]["shot_id"], severity="low",
            text=f"cutting every {asl:.1f} s feels hurried for me"))
    for a, b in zip(cut["shots"], cut["shots"][1:]):
        if a["shot_size"] == b["shot_size"] and a["angle"] == b["angle"]:
            review_notes.append(ReviewNote(category="structure", target=b["shot_id"], severity="medium",
                text=f"{a['shot_id']} to {b['shot_id']} feels like a jump: same size and angle"))
    first = cut["shots"][0]
    if audience["pacing"] == "fast" and first["duration"] > 3.0 and first["shot_size"] in ("extreme_wide", "wide"):
        review_notes.append(ReviewNote(category="structure", target=first["shot_id"], severity="high",
            text=f"the opening {first['shot_id']} is a {first['duration']:.1f} s wide shot; I need a hook sooner"))
    for shot in cut["shots"]:
        if shot.get("brightness", 0.5) < 0.12 and audience["name"] in ("family", "older-general"):
            review_notes.append(ReviewNote(category="structure", target=shot["shot_id"], severity="low",
                text=f"{shot['shot_id']} is too dark for me to read"))
    if audience["name"] == "horror" and not any(s["angle"] in ("low", "dutch") for s in cut["shots"]):
        review_notes.append(ReviewNote(category="structure", target=cut["shots"][-1]["shot_id"], severity="medium",
            text="nothing feels off-kilter; I expected an unsettling angle before the scare"))
    penalty = sum({"low": 0.04, "medium": 0.08, "high": 0.15}[n.severity] for n in review_notes)
    engagement = round(max(0.05, min(0.95, 0.9 - penalty)), 2)
    summary = (f"As a {audience['name']} viewer I followed {len(cut['blocks'])} scenes over {cut['duration']:.0f} s; "
               + (f"{len(review_notes)} things pulled me out." if review_notes else "it held me throughout."))
    return Review(audience=audience["name"], summary=summary, engagement=engagement, notes=review_notes)


RULES: dict[str, OfflineRule] = {
    "review_cut": OfflineToolRule(tools=(WATCH_CUT,), calls=lambda ctx, notes: [(WATCH_CUT, {})], answer=review_cut),
}
