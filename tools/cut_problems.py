"""What a viewer of one archetype would notice in a cut: measured problems tied to shots and blocks.

`find_problems` reads a cut description (`filmcrew.tools.cut_review`: the
timeline's shots with what perception measured and what the clips drew), the
script and an audience profile, and returns every problem it can show
evidence for, each with the shot or block it concerns and a timecode in the
cut:

- `missing` - a character or object the story needs that no shot draws;
- `unserved` - a block none of whose shots shows its characters or elements;
- `stray` - a shot that shows nothing of its block while other shots do;
- `repeat` - a shot that shows the same picture as the one before it;
- `dark` - a shot too dark to read (measured luma);
- `static` - a still picture held past what this viewer gives a still;
- `slow_opening` - an establishing shot held past what this viewer gives it;
- `long_block` - a block past the viewer's attention span;
- `sizes` - three shots in a row at the same size;
- `jump` - a cut between two shots of the same size and angle that look alike;
- `overrun` - voice-over that needs longer than the block it is under;
- `silent` - a block with no voice-over at all;
- `order` - a block told before the block that causes it;
- `drift` - a character whose face no longer looks like its reference (or first appearance).

The thresholds come from the profile (attention span, preferred shot length,
pacing), so a short-drama viewer and an arthouse viewer find different
problems in the same cut. Problems are plain data; the audience role words
them and the editor acts on them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from filmcrew.memory.models import AudienceProfile, Script
from filmcrew.tools.reading.faithfulness import singular

__all__ = ["Problem", "ProblemKind", "find_problems", "problem_key", "SPEECH_WORDS_PER_SECOND", "still_limit"]

ProblemKind = Literal["missing", "unserved", "stray", "repeat", "dark", "static", "slow_opening", "long_block",
                      "sizes", "jump", "overrun", "silent", "order", "drift"]

#: A narrator's comfortable pace; voice-over longer than this needs is heard running over the picture.
SPEECH_WORDS_PER_SECOND = 2.6
#: Mean luma (0-255) under which a picture no longer reads on an ordinary screen.
DARK_LUMA = 38.0
#: Mean optical-flow speed (frame widths per frame) under which nothing on screen visibly moves.
STILL_MOTION = 0.0015
#: Colour likeness (0..1) above which two shots look like the same picture.
SAME_PICTURE = 0.9
#: Face hue-saturation likeness (0..1) under which a character reads as someone else. One character under
#: a storm's or a dawn's light measured 0.40-0.89 against itself in the previz, so the bar sits below that.
DRIFT_LIKENESS = 0.3
_HOLD_BY_PACING = {"fast": 1.0, "moderate": 1.6, "slow": 2.6}
_WIDE = ("extreme_wide", "wide")
_STOP = {"the", "a", "an", "and", "of", "to", "in", "on", "at", "his", "her", "their", "its", "with", "from", "for",
         "is", "are", "was", "were", "so", "that", "this", "what", "who", "where", "we", "viewer", "knows", "show",
         "shows", "event", "changes", "situation", "resolve", "happened", "leave", "meaning", "establish", "day",
         "night", "morning", "noon", "evening", "dawn", "dusk", "afternoon", "it", "as", "into", "over", "by"}


class Problem(TypedDict):
    kind: ProblemKind
    target: str  # shot or block id
    block_id: str
    at: float  # seconds into the cut where it shows
    severity: Literal["low", "medium", "high"]
    evidence: str  # what was measured or read, in words
    related: str  # the other shot or block it concerns: the shot before a jump, the block an early block needs


def problem_key(problem: Mapping[str, Any]) -> str:
    """One problem across two cuts: its kind and what it concerns."""
    return f"{problem['kind']}:{problem['target']}"


def still_limit(audience: AudienceProfile) -> float:
    """Seconds this viewer gives a picture in which nothing moves."""
    return round(audience.preferred_shot_length_s * _HOLD_BY_PACING[audience.pacing], 2)


def _words(text: str) -> set[str]:
    return {singular(w) for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) > 2 and w not in _STOP}


def _shown_words(drawn: Mapping[str, Any] | None) -> set[str]:
    if not drawn:
        return set()
    found: set[str] = set()
    for key in ("setting", "landmark"):
        if drawn.get(key):
            found |= _words(str(drawn[key]))
    for key in ("set_dressing", "props", "creatures", "effects", "characters", "actions"):
        for item in drawn.get(key) or []:
            found |= _words(str(item).replace("-", " "))
    return found


def _shows(term: str, shown: set[str]) -> bool:
    want = _words(term)
    return bool(want) and bool(want & shown)


def _brief_names(text: str) -> list[str]:
    """Capitalised words inside a sentence (not its first word): the brief's proper names."""
    names: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        tokens = re.findall(r"[^\W\d_][\w'-]*", sentence)
        for token in tokens[1:]:
            if token[0].isupper() and len(token) > 2 and token.lower() not in _STOP and token not in names:
                names.append(token)
    return names


def _fmt(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:05.2f}"


def find_problems(cut: Mapping[str, Any], script: Script | None, audience: AudienceProfile,
                  brief_text: str = "") -> list[Problem]:
    """Every problem of `cut` this viewer would notice, in order of where it shows.

    Without a script only the picture, timing and voice-over are judged."""
    blocks: Sequence[Mapping[str, Any]] = cut["blocks"]
    shots: list[Mapping[str, Any]] = []
    clock = 0.0
    for shot in cut["shots"]:  # a description without start times is read back to back
        shots.append({**shot, "start": shot.get("start", clock)})
        clock = float(shots[-1]["start"]) + float(shot["duration"])
    if not shots:
        return []
    out: list[Problem] = []
    starts = {s["shot_id"]: float(s["start"]) for s in shots}
    block_start = {b["block_id"]: starts[b["shot_ids"][0]] for b in blocks}
    script_blocks = {b.id: b for b in script.blocks} if script else {}
    drawn_known = script is not None and any(s.get("drawn") for s in shots)

    def add(kind: ProblemKind, target: str, block_id: str, at: float, severity: str, evidence: str,
            related: str = "") -> None:
        out.append(Problem(kind=kind, target=target, block_id=block_id, at=round(at, 3), severity=severity,  # type: ignore[typeddict-item]
                           evidence=f"{_fmt(at)} {evidence}", related=related))

    shown_by_shot = {s["shot_id"]: _shown_words(s.get("drawn")) for s in shots}
    everything_shown = set().union(*shown_by_shot.values())
    if script is not None and drawn_known:
        _missing(script, blocks, block_start, everything_shown, brief_text, add)
        _unserved(script_blocks, blocks, shots, shown_by_shot, block_start, add)
    _picture(shots, audience, add)
    _timing(shots, blocks, block_start, audience, add)
    if script is not None:
        _order(script, blocks, block_start, add)
    order = {k: i for i, k in enumerate(("high", "medium", "low"))}
    return sorted(out, key=lambda p: (p["at"], order[p["severity"]]))


def _missing(script: Script, blocks: Sequence[Mapping[str, Any]], block_start: Mapping[str, float],
             shown: set[str], brief_text: str, add: Any) -> None:
    in_cut = [b["block_id"] for b in blocks]
    reported: set[str] = set()
    needed: list[tuple[str, str, str]] = []  # (term, block, what)
    for block in script.blocks:
        if block.id not in in_cut:
            continue
        needed += [(c, block.id, "character") for c in block.characters]
        needed += [(v, block.id, "element") for v in block.visual_elements if v not in block.characters]
    names = {c.name for c in script.synopsis.characters}
    written = {b.id: _words(f"{b.location} {b.prompt} {b.narrative_objective}") for b in script.blocks if b.id in in_cut}
    # German capitalises every noun, so a capital letter names no one there.
    for name in (_brief_names(brief_text) if script.language != "de" else []):
        if not any(_words(name) & _words(n) for n in names) and in_cut:
            where = next((bid for bid, words in written.items() if _words(name) & words), None)
            needed.append((name, where, "element") if where else (name, in_cut[0], "brief's name"))
    for term, block_id, what in needed:
        key = " ".join(sorted(_words(term)))
        if not key or key in reported or _shows(term, shown):
            continue
        reported.add(key)
        if what == "brief's name":
            text = f"the brief names {term}, but neither the script nor any shot shows {term}"
        else:
            text = f"no shot in the cut shows {term} ({what} of {block_id})"
        add("missing", block_id, block_id, block_start[block_id], "high" if what != "element" else "medium", text)


def _unserved(script_blocks: Mapping[str, Any], blocks: Sequence[Mapping[str, Any]], shots: Sequence[Mapping[str, Any]],
              shown_by_shot: Mapping[str, set[str]], block_start: Mapping[str, float], add: Any) -> None:
    by_id = {s["shot_id"]: s for s in shots}
    for view in blocks:
        block = script_blocks.get(view["block_id"])
        if block is None:
            continue
        terms = list(block.characters) + list(block.visual_elements) + [block.narrative_objective]
        place = _words(block.location)
        wanted = set().union(*(_words(t) for t in terms)) - place
        # A shot serves its block when it shows one of the block's characters or elements; the
        # place alone serves only as the block's establishing (wide) shot.
        serving = [sid for sid in view["shot_ids"] if shown_by_shot[sid] & wanted or (
            by_id[sid]["shot_size"] in _WIDE and sid == view["shot_ids"][0] and shown_by_shot[sid] & place)]
        if not serving and all(by_id[sid].get("drawn") for sid in view["shot_ids"]):
            add("unserved", block.id, block.id, block_start[block.id], "high",
                f"none of {block.id}'s shots ({', '.join(view['shot_ids'])}) shows what it is for: {block.narrative_objective!r}")
            continue
        for sid in view["shot_ids"]:
            if serving and sid not in serving and by_id[sid].get("drawn") and len(view["shot_ids"]) > 1:
                drawn = by_id[sid]["drawn"]
                items = [*drawn.get("props", []), *drawn.get("creatures", []), *drawn.get("characters", []),
                         drawn.get("setting") or ""]
                add("stray", sid, block.id, by_id[sid]["start"], "medium",
                    f"{sid} shows nothing of {block.id}'s story (only {', '.join(i for i in items if i) or 'its set'}) "
                    f"while {', '.join(serving)} carry it")


def _picture(shots: Sequence[Mapping[str, Any]], audience: AudienceProfile, add: Any) -> None:
    hold = still_limit(audience)
    previous: Mapping[str, Any] | None = None
    run = 1
    for index, shot in enumerate(shots):
        sid, bid, at, dur = shot["shot_id"], shot["block_id"], float(shot["start"]), float(shot["duration"])
        m = shot.get("measured")
        if m is not None and m.get("face_likeness") is not None and m["face_likeness"] < DRIFT_LIKENESS:
            add("drift", sid, bid, at, "high",
                f"{m['face_of']} in {sid} does not look like {m['face_of']} (face likeness {m['face_likeness']:.2f} "
                "to the reference or first appearance)")
        if m is not None and m["luma"] < DARK_LUMA:
            add("dark", sid, bid, at, "high" if m["luma"] < DARK_LUMA / 2 else "medium",
                f"{sid} is too dark to read: mean luma {m['luma']:.0f}/255")
        still = m is not None and m["motion"] < STILL_MOTION
        if still and dur > hold:
            add("static", sid, bid, at, "medium",
                f"nothing moves in {sid} (optical flow {m['motion']:.4f} frame widths per frame) for {dur:.1f} s; "
                f"this viewer gives a still picture about {hold:.1f} s")
        first_of_block = previous is None or previous["block_id"] != bid
        if (first_of_block and shot["shot_size"] in _WIDE and dur > audience.preferred_shot_length_s * 1.25
                and not (still and dur > hold)):
            add("slow_opening", sid, bid, at, "high" if index == 0 and audience.pacing == "fast" else "medium",
                f"the establishing {shot['shot_size'].replace('_', ' ')} {sid} holds {dur:.1f} s where this viewer "
                f"expects about {audience.preferred_shot_length_s:.1f} s")
        if previous is not None:
            like = m["likeness_to_previous"] if m is not None else None
            same_frame = shot["shot_size"] == previous["shot_size"] and shot["angle"] == previous["angle"]
            if like is not None and like >= SAME_PICTURE and same_frame and previous["block_id"] == bid:
                if (shot.get("drawn") or {}) == (previous.get("drawn") or {}) and shot.get("drawn"):
                    add("repeat", sid, bid, at, "medium",
                        f"{sid} shows the same picture as {previous['shot_id']} (colour likeness {like:.2f}, same drawing)",
                        previous["shot_id"])
                else:
                    add("jump", sid, bid, at, "medium",
                        f"{previous['shot_id']} to {sid} jumps: same size and angle, colour likeness {like:.2f}",
                        previous["shot_id"])
            run = run + 1 if shot["shot_size"] == previous["shot_size"] else 1
            if run == 3:
                add("sizes", sid, bid, at, "low",
                    f"three {shot['shot_size'].replace('_', ' ')} shots in a row ending at {sid}")
        previous = shot


def _timing(shots: Sequence[Mapping[str, Any]], blocks: Sequence[Mapping[str, Any]], block_start: Mapping[str, float],
            audience: AudienceProfile, add: Any) -> None:
    for block in blocks:
        bid, dur = block["block_id"], float(block["duration"])
        at = block_start[bid]
        if dur > audience.attention_span_s * 1.1:
            add("long_block", bid, bid, at, "high",
                f"{bid} runs {dur:.1f} s; this viewer drifts after about {audience.attention_span_s:.0f} s")
        words = int(block["voice_words"])
        if words == 0:
            add("silent", bid, bid, at, "medium", f"{bid} has no voice-over to follow")
        else:
            needed = words / SPEECH_WORDS_PER_SECOND
            if needed > dur + 0.25:
                add("overrun", bid, bid, at + dur, "medium",
                    f"the voice-over of {bid} needs {needed:.1f} s ({words} words) but the block lasts {dur:.1f} s")


def _order(script: Script, blocks: Sequence[Mapping[str, Any]], block_start: Mapping[str, float], add: Any) -> None:
    """A block told before the block its causal-chain step depends on."""
    chain = script.simplified.causal_chain
    if len(chain) < 2:
        return
    by_id = {b.id: b for b in script.blocks}
    # Words several steps share (the hero's name, the place) say nothing about which step a block tells.
    step_words = [_words(step) for step in chain]
    common = {w for w in set().union(*step_words) if sum(w in ws for ws in step_words) > 1}
    step_of: dict[str, int] = {}
    for view in blocks:
        block = by_id.get(view["block_id"])
        if block is None:
            continue
        said = " ".join(block.narrative_objective.lower().split())
        exact = [i for i, step in enumerate(chain) if " ".join(step.lower().split()) == said]
        if exact:
            step_of[block.id] = exact[0]
            continue
        mine = _words(block.narrative_objective) - common
        scores = [len(mine & (ws - common)) for ws in step_words]
        best = max(range(len(chain)), key=lambda i: (scores[i], -i))
        if scores[best] >= 2:
            step_of[block.id] = best
    told = [b["block_id"] for b in blocks if b["block_id"] in step_of]
    for i, later in enumerate(told):
        for earlier in told[i + 1:]:
            if step_of[earlier] < step_of[later]:
                add("order", later, later, block_start[later], "high",
                    f"{later} (causal step {step_of[later] + 1}: {chain[step_of[later]]!r}) is told before "
                    f"{earlier} (step {step_of[earlier] + 1}), which causes it", earlier)
                break

