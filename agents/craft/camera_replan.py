"""Re-plan all shots of a scene block together from whole retrieved reference sequences.

The cinematographer's offline craft gets, per block, the top reference shots
and the top whole sequences for the block's query. It picks the sequence that
fits the block best (retrieval score, then shape: as many shots as the
storyboard, a wide opening in a new place), lays the block's storyboard shots
over the sequence in order (the establishing beat on the sequence's widest
shot, a metaphorical insert on its tightest), takes size, movement, angle and
lens from the reference each shot follows, and then repairs the block as a
whole for continuity (see `filmcrew.memory.camera_continuity`): a wide before
the first close shot in a new place, one screen direction per character and
opposite eyelines in a dialogue, no jump cut. Each shot keeps the references
that shaped it, with scores, and its rationale cites only those.
"""

from __future__ import annotations

from typing import Any

from filmcrew.memory.camera_continuity import CLOSE_SIZES, WIDE_SIZES, is_jump_cut, subject_of
from filmcrew.memory.models import SHOT_SIZES, ReferenceMatch, SceneBlock, Shot, StoryboardShot

__all__ = ["choose_sequence", "assign_references", "repair_continuity", "shot_references", "composition_for"]

_SIZE = {s: i for i, s in enumerate(SHOT_SIZES)}
_REFS_PER_SHOT = 5


def choose_sequence(sequences: list[dict[str, Any]], board: list[StoryboardShot], new_place: bool) -> dict[str, Any] | None:
    """The retrieved sequence that fits the block: its score, a little for length and a wide opening."""
    if not sequences:
        return None

    def fit(seq: dict[str, Any]) -> tuple[float, str]:
        shots = seq.get("shots", [])
        length = 1.0 - min(1.0, abs(len(shots) - len(board)) / max(1, len(board)))
        opens_wide = bool(shots) and shots[0]["shot_size"] in WIDE_SIZES
        return (float(seq.get("score", 0.0)) + 0.03 * length + (0.03 if new_place and opens_wide else 0.0), seq.get("sequence_id", ""))

    return max(sequences, key=fit)


def assign_references(board: list[StoryboardShot], sequence: dict[str, Any]) -> list[dict[str, Any]]:
    """One reference shot per storyboard shot, laid over the sequence in order."""
    refs = list(sequence.get("shots", []))
    if not refs:
        return []
    n = len(board)
    chosen: list[dict[str, Any]] = []
    for i, shot in enumerate(board):
        position = 0 if n == 1 else round(i * (len(refs) - 1) / (n - 1))
        ref = refs[position]
        if shot.kind == "contextual" and ref["shot_size"] not in WIDE_SIZES:
            # An establishing beat follows the sequence's widest shot.
            ref = min(refs, key=lambda r: (_SIZE[r["shot_size"]], r["position"]))
        elif shot.kind == "metaphorical" and _SIZE[ref["shot_size"]] < 6:
            ref = max(refs, key=lambda r: (_SIZE[r["shot_size"]], -r["position"]))
        chosen.append(ref)
    return chosen


def shot_references(adopted: dict[str, Any] | None, block_matches: list[dict[str, Any]]) -> list[ReferenceMatch]:
    """The reference a shot follows first, then the block's best matches: at most five, with scores."""
    out: list[ReferenceMatch] = []
    seen: set[str] = set()
    for ref in ([adopted] if adopted else []) + list(block_matches):
        if ref["ref_id"] in seen:
            continue
        seen.add(ref["ref_id"])
        out.append(ReferenceMatch.model_validate({k: ref[k] for k in ReferenceMatch.model_fields if k in ref}))
        if len(out) == _REFS_PER_SHOT:
            break
    return out


def composition_for(shot: Shot) -> str:
    if shot.angle == "overhead":
        return "centred, symmetrical, seen from above"
    if shot.facing == "right":
        return "subject on the left third, looking screen right, lead room right"
    if shot.facing == "left":
        return "subject on the right third, looking screen left, lead room left"
    return "rule of thirds" if shot.characters else "deep frame, the place first"


def _shift(size: str, steps: int) -> str:
    return SHOT_SIZES[max(0, min(len(SHOT_SIZES) - 1, _SIZE[size] + steps))]


def _establish(shots: list[Shot], lens: dict[str, str]) -> bool:
    first_close = next((i for i, s in enumerate(shots) if s.shot_size in CLOSE_SIZES), None)
    if first_close is None or any(s.shot_size in WIDE_SIZES for s in shots[:first_close]):
        return False
    opener = shots[0]
    opener.shot_size = "full" if opener.characters and opener.shot_size != "full" else "wide"
    opener.lens = lens[opener.shot_size]
    opener.rationale += f"; opened {opener.shot_size} to establish the new place"
    return True


def _unjump(shots: list[Shot], lens: dict[str, str]) -> bool:
    changed = False
    for prev, shot in zip(shots, shots[1:]):
        if not is_jump_cut(prev, shot):
            continue
        tighter, wider = _shift(prev.shot_size, 2), _shift(prev.shot_size, -2)
        if _SIZE[tighter] - _SIZE[prev.shot_size] >= 2:
            shot.shot_size = tighter
        elif _SIZE[prev.shot_size] - _SIZE[wider] >= 2:
            shot.shot_size = wider
        else:
            shot.angle = "high" if prev.angle != "high" else "low"
        shot.lens = lens[shot.shot_size]
        shot.rationale += f"; {shot.shot_size} {shot.angle} so the cut from {prev.id} is not a jump cut"
        changed = True
    return changed


def repair_continuity(block: SceneBlock, shots: list[Shot], new_place: bool, lens: dict[str, str]) -> None:
    """Make the block's shots keep the continuity rules, noting each change in the shot's rationale."""
    if not shots:
        return
    # Screen direction: one side per character; in a dialogue the first two face each other.
    cast = [c for c in block.characters if any(c in s.characters or s.speaker == c for s in shots)]
    sides = {name: ("right" if i % 2 == 0 else "left") for i, name in enumerate(cast)}
    for shot in shots:
        who = subject_of(shot)
        shot.facing = sides.get(who) if who else None
    # Establishing and jump cuts interact (widening the opener can make a jump with the next
    # shot, removing a jump can put a close shot first), so repeat until both hold.
    for _ in range(6):
        changed = _establish(shots, lens) if new_place else False
        changed = _unjump(shots, lens) or changed
        if not changed:
            break
    for shot in shots:
        shot.composition = composition_for(shot)
