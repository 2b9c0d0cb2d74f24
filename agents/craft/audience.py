"""The audience's offline craft: a viewer of one archetype reviews the rough cut.

The viewer watches the cut (the `watch_cut` tool: every shot with what
perception measured on its media and what it drew, and the problems measured
against the script for this archetype) and says, in their own words, what
pulls them out: a character or object the story needs that no shot shows, a
block whose objective no shot serves, a picture too dark to read, a still held
past their patience, a slow establishing shot, repeated sizes, a jump cut,
voice-over running over its scene, scenes told out of causal order. Every note
keeps the problem's kind, its shot or block and its timecode, so the editor
can act on it and the second review can look for it again.
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.memory.models import AudienceProfile, Review, ReviewNote
from filmcrew.tools.cut_problems import find_problems

__all__ = ["TOOLS", "RULES", "review_cut", "CATEGORY"]

WATCH_CUT = "watch_cut"
#: The tools the audience calls, in `RoleSpec.tools`.
TOOLS = (WATCH_CUT,)

#: Where each measured problem belongs in the editor's analysis.
CATEGORY = {
    "missing": "structure", "unserved": "structure", "stray": "structure", "repeat": "structure", "jump": "structure",
    "sizes": "structure", "dark": "structure", "order": "structure", "drift": "structure",
    "static": "timing", "slow_opening": "timing", "long_block": "timing",
    "overrun": "audio", "silent": "audio",
}

# How the viewer feels each problem, in the first person; the measured evidence follows.
_FEELING = {
    "missing": "I kept waiting for something the story promised",
    "unserved": "I could not tell what this scene was for",
    "stray": "this shot lost me",
    "repeat": "I have just seen this picture",
    "jump": "the cut jumped",
    "sizes": "the framing stopped changing",
    "dark": "I could not read the picture",
    "static": "my attention drifted on a still picture",
    "slow_opening": "I need a hook sooner",
    "long_block": "the scene outstayed my attention",
    "overrun": "the narration ran over the scene",
    "silent": "I lose the thread without a word here",
    "order": "the story came in the wrong order",
    "drift": "I was not sure it was the same person",
}
_PENALTY = {"low": 0.03, "medium": 0.06, "high": 0.12}


def review_cut(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Review:
    audience = ctx["audience"]
    cut = next((r for r in results if isinstance(r, dict) and "shots" in r), None)
    if cut is None:
        raise ValueError("watch_cut result missing")
    review_notes: list[ReviewNote] = []
    problems = cut.get("problems")
    if problems is None:  # a watch tool that only describes the cut: judge picture, timing and voice here
        problems = find_problems(cut, None, AudienceProfile.model_validate(audience))
    for problem in problems:
        review_notes.append(ReviewNote(
            category=CATEGORY.get(problem["kind"], "structure"),  # type: ignore[arg-type]
            target=problem["target"], severity=problem["severity"], problem=problem["kind"], at=problem["at"],
            text=f"{_FEELING.get(problem['kind'], 'this pulled me out')}: {problem['evidence']}"))
    preferred = float(audience["preferred_shot_length_s"])
    asl = cut["average_shot_length"]
    if asl < preferred * 0.6:
        review_notes.append(ReviewNote(category="timing", target=cut["shots"][0]["shot_id"], severity="low",
            text=f"cutting every {asl:.1f} s feels hurried for me; I like about {preferred:.1f} s a shot"))
    if audience["name"] == "horror" and not any(s["angle"] in ("low", "dutch") for s in cut["shots"]):
        review_notes.append(ReviewNote(category="structure", target=cut["shots"][-1]["shot_id"], severity="medium",
            text="nothing feels off-kilter; I expected an unsettling angle before the scare"))
    penalty = sum(_PENALTY[n.severity] for n in review_notes)
    engagement = round(max(0.05, min(0.95, 0.9 - penalty)), 2)
    story = sum(1 for n in review_notes if n.problem in ("missing", "unserved", "order", "stray"))
    article = "an" if audience["name"][:1].lower() in "aeiou" else "a"
    summary = (f"As {article} {audience['name']} viewer I followed {len(cut['blocks'])} scenes over {cut['duration']:.0f} s; "
               + (f"{len(review_notes)} things pulled me out, {story} of them in the story itself."
                  if review_notes else "it held me throughout."))
    return Review(audience=audience["name"], summary=summary, engagement=engagement, notes=review_notes)


RULES: dict[str, OfflineRule] = {
    "review_cut": OfflineToolRule(tools=(WATCH_CUT,), calls=lambda ctx, notes: [(WATCH_CUT, {})], answer=review_cut),
}
