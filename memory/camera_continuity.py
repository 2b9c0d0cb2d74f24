"""Checks a shot plan must pass: continuity rules and honest citations.

Continuity (per scene block, in shot order):

- a new place is established: in a block whose location differs from the
  previous block's, an establishing or wide shot (extreme wide, wide, full)
  comes before the first close shot (medium close-up or tighter);
- the 180-degree rule: a character keeps one screen direction (`Shot.facing`)
  through a block, and in a dialogue the two speakers face opposite ways, so
  their eyelines meet;
- no jump cut: two consecutive shots are not of nearly the same size (at most
  one step apart) from the same angle, unless the second is a reverse shot (the
  other speaker of a dialogue, facing the other way).

Citations: a shot's rationale may cite only references it retrieved (its
`references`). A citation is `[ref:ID]`, `reference ID`, or any id of the
index named in the text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from filmcrew.memory.models import SHOT_SIZES, SceneBlock, Shot

__all__ = ["WIDE_SIZES", "CLOSE_SIZES", "continuity_problems", "cited_reference_ids", "citation_problems", "subject_of", "is_jump_cut", "is_reverse"]

WIDE_SIZES = frozenset({"extreme_wide", "wide", "full"})
CLOSE_SIZES = frozenset({"medium_close_up", "close_up", "extreme_close_up"})
_SIZE = {s: i for i, s in enumerate(SHOT_SIZES)}


def subject_of(shot: Shot) -> str:
    """Who the shot is on: its speaker, else its first character, else the place ('')."""
    if shot.speaker:
        return shot.speaker
    return shot.characters[0] if shot.characters else ""


def is_reverse(a: Shot, b: Shot) -> bool:
    """A cut to the other side of a dialogue: another subject, looking the other way."""
    return (subject_of(a) != subject_of(b) and a.facing in ("left", "right") and b.facing in ("left", "right")
            and a.facing != b.facing)


def is_jump_cut(a: Shot, b: Shot) -> bool:
    """Nearly the same size (at most one step apart) from the same angle: the cut reads as a stutter.

    A reverse shot (the other speaker, facing the other way) is coverage, not a jump cut.
    """
    return a.angle == b.angle and abs(_SIZE[a.shot_size] - _SIZE[b.shot_size]) <= 1 and not is_reverse(a, b)


def _is_dialogue(shots: Sequence[Shot]) -> bool:
    return any(s.dialogue or s.speaker for s in shots) or any(s.angle == "over_the_shoulder" for s in shots)


def continuity_problems(shots: Sequence[Shot], blocks: Sequence[SceneBlock]) -> list[str]:
    """Every broken continuity rule, one line each naming the shot and what to change."""
    problems: list[str] = []
    previous_location: str | None = None
    for block in blocks:
        own = [s for s in shots if s.block_id == block.id]
        if block.location != previous_location:
            first_close = next((i for i, s in enumerate(own) if s.shot_size in CLOSE_SIZES), None)
            if first_close is not None and not any(s.shot_size in WIDE_SIZES for s in own[:first_close]):
                problems.append(f"{own[first_close].id}: close shot in a new place ({block.location}) before any "
                                f"establishing or wide shot; open the block wider")
        facing: dict[str, str] = {}
        for shot in own:
            who = subject_of(shot)
            if not who or shot.facing not in ("left", "right"):
                continue
            first = facing.setdefault(who, shot.facing)
            if first != shot.facing:
                problems.append(f"{shot.id}: {who} looks screen {shot.facing} after looking screen {first}; "
                                f"keep the camera on one side of the line")
        if _is_dialogue(own):
            people = [p for p in facing if p]
            for i, a in enumerate(people):
                for b in people[i + 1:]:
                    if facing[a] == facing[b]:
                        problems.append(f"{block.id}: {a} and {b} both look screen {facing[a]}; in a dialogue their "
                                        f"eyelines must meet (one left, one right)")
        for a, b in zip(own, own[1:]):
            if is_jump_cut(a, b):
                problems.append(f"{b.id}: cut from {a.id} is a jump cut ({a.shot_size} to {b.shot_size}, both {a.angle}); "
                                f"change the size by two steps or the angle")
        previous_location = block.location
    return problems


_BRACKET = re.compile(r"\[ref:\s*([^\]\s]+)\s*\]")
_NAMED = re.compile(r"\breferences?\s+((?:[A-Za-z0-9][A-Za-z0-9_.:-]*-\d+)(?:\s*(?:,|and)\s*[A-Za-z0-9][A-Za-z0-9_.:-]*-\d+)*)", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*-\d+")


def cited_reference_ids(text: str, known: Container[str] = ()) -> set[str]:
    """The reference ids a rationale cites."""
    cited = set(_BRACKET.findall(text))
    for match in _NAMED.finditer(text):
        cited.update(_TOKEN.findall(match.group(1)))
    cited.update(t for t in _TOKEN.findall(text) if t in known)
    return cited


def citation_problems(shots: Sequence[Shot], known: Container[str] = ()) -> list[str]:
    """Shots whose rationale cites a reference that is not among the references they retrieved."""
    problems = []
    for shot in shots:
        retrieved = {r.ref_id for r in shot.references}
        stray = sorted(cited_reference_ids(shot.rationale, known) - retrieved)
        if stray:
            allowed = ", ".join(sorted(retrieved)) or "none (it retrieved nothing)"
            problems.append(f"{shot.id}: its rationale cites {', '.join(stray)}, which it did not retrieve; cite only {allowed}")
    return problems
