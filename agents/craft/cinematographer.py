"""The cinematographer's offline craft: camera language per scene block, then the clips.

Each block is searched against the film-reference index as a whole (the
screenwriter's notes join the query in a revision round); all shots of the
block are re-planned together from the best-fitting retrieved sequence
(`camera_replan`), keep the continuity rules, cite only the references that
shaped them, and answer the screenwriter's notes.
"""

from __future__ import annotations

from typing import Any

from filmcrew.agents.craft.reading import note_flags
from filmcrew.agents.craft.voice import pack_voice
from filmcrew.agents.role import OfflineRule, OfflineToolRule
from filmcrew.agents.craft.camera_replan import assign_references, choose_sequence, repair_continuity, shot_references
from filmcrew.memory.film_references import scene_query
from filmcrew.memory.models import SHOT_SIZES, SceneBlock, Script, Shot, ShotPlan, StoryboardShot

__all__ = ["TOOLS", "RULES", "SIZE_INDEX", "plan_camera", "reference_searches"]

SEARCH_FILM_REFERENCES = "search_film_references"
RENDER_CLIPS = "render_clips"
#: The tools the cinematographer calls, in `RoleSpec.tools`.
TOOLS = (SEARCH_FILM_REFERENCES, RENDER_CLIPS)

SIZE_INDEX = {s: i for i, s in enumerate(SHOT_SIZES)}
_LENS = {"extreme_wide": "18mm", "wide": "24mm", "full": "28mm", "medium_wide": "35mm", "medium": "50mm",
         "medium_close_up": "65mm", "close_up": "85mm", "extreme_close_up": "100mm macro"}


def _shift_size(size: str, steps: int) -> str:
    return SHOT_SIZES[max(0, min(len(SHOT_SIZES) - 1, SIZE_INDEX[size] + steps))]


def _lighting(time: str, mood: str, weather: str) -> str:
    light = {
        "dawn": "soft cool dawn light, low sun", "morning": "clean morning light", "day": "bright daylight",
        "afternoon": "warm afternoon light", "golden_hour": "golden backlight, long shadows",
        "dusk": "blue dusk, practicals on", "night": "low-key night, pools of practical light",
    }[time]
    tone = {"tense": ", hard contrast", "melancholy": ", desaturated", "tender": ", soft warm key",
            "mysterious": ", deep shadows", "triumphant": ", bright and warm", "playful": ", saturated colour"}.get(mood, "")
    return light + tone + (f", {weather}" if weather != "clear" else "")


def plan_camera(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> ShotPlan:
    script = Script.model_validate(ctx["script"])
    target = float(ctx["target_duration"])
    use_refs = bool(ctx.get("use_references", True))
    feedback = " ".join(filter(None, [ctx.get("feedback", "")] + [n for n in notes if n.startswith("[feedback]")]))
    flags = note_flags([n for n in notes if not n.startswith("[feedback]")])
    refs_by_block: dict[str, list[dict]] = {}
    seqs_by_block: dict[str, list[dict]] = {}
    for result in results:
        if isinstance(result, dict) and "block_id" in result:
            refs_by_block[result["block_id"]] = result.get("matches", [])
            seqs_by_block[result["block_id"]] = result.get("sequences") or _sequences_from_matches(result.get("matches", []))
    story = {s.id: s for s in script.detailed.shots}
    shots: list[Shot] = []
    block_seconds = target / max(1, len(script.blocks))
    previous_location = None
    for block in script.blocks:
        refs = refs_by_block.get(block.id, []) if use_refs else []
        board = [story[sid] for sid in block.storyboard_shots if sid in story] or [
            StoryboardShot(id=f"{block.id}-x", kind="primary", description=block.prompt, characters=block.characters, location=block.location)
        ]
        board = _fit_board(board, block_seconds, new_place=block.location != previous_location)
        weights = [{"contextual": 1.25, "primary": 1.0, "metaphorical": 0.75}[s.kind] for s in board]
        weather = next((w for w in ("rain", "fog", "snow") if w in " ".join(block.visual_elements).lower()), "clear")
        if "rain" in flags:
            weather = "rain"
        # Multi-shot re-plan: the whole block follows one retrieved sequence, shot for shot.
        new_place = block.location != previous_location
        sequence = choose_sequence(seqs_by_block.get(block.id, []) if use_refs else [], board, new_place)
        adopted = assign_references(board, sequence) if sequence else []
        block_shots: list[Shot] = []
        for i, sb in enumerate(board):
            size, movement, angle = _draft_camera(sb.kind, i, len(board), block.mood)
            reason = "draft from storyboard role"
            ref = adopted[i] if adopted else None
            if ref is not None:
                size, movement, angle = ref["shot_size"], ref["movement"], ref["angle"]
                reason = (f"re-planned with the block from sequence {sequence['sequence_id']} ({sequence.get('situation', '')}, "
                          f"score {float(sequence.get('score', 0)):.2f}): follows [ref:{ref['ref_id']}] {size} {movement} {angle}")
            if "tighter" in flags and sb.kind != "contextual":
                size = _shift_size(size, 1)
            if "wider" in flags:
                size = _shift_size(size, -1)
            if "steady" in flags and movement in ("handheld", "whip_pan"):
                movement = "static"
            if "handheld" in flags and movement == "static":
                movement = "handheld"
            duration = _snap(block_seconds * weights[i] / sum(weights))
            block_shots.append(Shot(
                id=f"{block.id}-{sb.id}",
                block_id=block.id,
                shot_size=size,
                movement=movement,
                angle=angle,
                lens=_LENS[size],
                lighting=_lighting("night" if "night" in flags else block.time_of_day, block.mood, weather),
                action=sb.description,
                characters=list(sb.characters),
                voice_over="",
                duration=duration,
                references=shot_references(ref, refs) if use_refs else [],
                rationale=reason,
            ))
        _apply_screenwriter_feedback(block, block_shots, feedback, previous_location)
        # Continuity is kept for the block as a whole, after the screenwriter's notes are in.
        repair_continuity(block, block_shots, new_place, _LENS)
        _distribute_voice(block, block_shots)
        shots.extend(block_shots)
        previous_location = block.location
    return ShotPlan(shots=shots, used_references=bool(use_refs and refs_by_block), rounds=1)


_MIN_SHOT = 1.5


def _fit_board(board: list[StoryboardShot], seconds: float, *, new_place: bool) -> list[StoryboardShot]:
    """The storyboard shots a block can afford in its share of the film, in story order.

    The target duration wins over the storyboard: when a block's share cannot hold every
    shot at the shortest readable length, the story's actions stay first, then the
    establishing shot of a new place, and the metaphor and re-establishing shots go.
    """
    room = max(1, int(seconds // _MIN_SHOT))
    if len(board) <= room:
        return board

    def rank(i: int) -> tuple[int, int]:
        kind = board[i].kind
        if kind == "primary":
            return (0, i)
        if kind == "contextual":
            return (1 if new_place else 3, i)
        return (2, i)

    keep = sorted(sorted(range(len(board)), key=rank)[:room])
    return [board[i] for i in keep]


def _sequences_from_matches(refs: list[dict]) -> list[dict]:
    """Sequences made of the matched shots alone, when the search returned no whole sequences."""
    groups: dict[str, list[dict]] = {}
    for r in refs:
        groups.setdefault(r.get("sequence_id") or r["ref_id"].rsplit("-", 1)[0], []).append(r)
    out = []
    for seq, shots in groups.items():
        shots = sorted(shots, key=lambda r: int(r.get("position") or r["ref_id"].rsplit("-", 1)[1]))
        shots = [{**r, "position": int(r.get("position") or r["ref_id"].rsplit("-", 1)[1])} for r in shots]
        out.append({"sequence_id": seq, "score": sum(r["score"] for r in shots), "situation": shots[0].get("situation", ""), "shots": shots})
    return out


def _draft_camera(kind: str, i: int, n: int, mood: str) -> tuple[str, str, str]:
    if kind == "contextual":
        return "wide", ("crane" if mood == "triumphant" else "pan"), "eye_level"
    if kind == "metaphorical":
        return "extreme_close_up", "static", "eye_level"
    sizes = ["medium", "medium_close_up", "close_up"]
    size = sizes[min(i, len(sizes) - 1)]
    movement = {"tense": "handheld", "tender": "dolly_in", "mysterious": "dolly_in", "playful": "tracking",
                "triumphant": "crane", "melancholy": "dolly_out"}.get(mood, "static")
    angle = {"tense": "low", "mysterious": "dutch"}.get(mood, "eye_level") if i == n - 1 else "eye_level"
    return size, movement, angle


def _snap(seconds: float) -> float:
    # Multiples of 1/8 s are whole frames at 24 fps and exact in binary.
    return max(_MIN_SHOT, min(8.0, round(seconds * 8) / 8))


def _apply_screenwriter_feedback(block: SceneBlock, shots: list[Shot], feedback: str, previous_location: str | None) -> None:
    if not feedback:
        return
    for shot in shots:
        if shot.id not in feedback and block.id not in feedback:
            continue
        if f"{shot.id}: establish" in feedback and SIZE_INDEX[shot.shot_size] > 1:
            shot.shot_size, shot.lens = "wide", _LENS["wide"]
            shot.rationale += "; widened to establish the place (screenwriter)"
        if f"{shot.id}: show" in feedback and not shot.characters:
            shot.characters = list(block.characters[:2])
            shot.rationale += "; characters brought into frame (screenwriter)"
        if f"{shot.id}: closer" in feedback and SIZE_INDEX[shot.shot_size] < 5:
            shot.shot_size = "close_up"
            shot.lens = _LENS["close_up"]
            shot.rationale += "; pushed in for the narrative beat (screenwriter)"



def _distribute_voice(block: SceneBlock, shots: list[Shot]) -> None:
    """Spread the block's voice-over over its shots, never more than a shot can hold."""
    for shot, line in zip(shots, pack_voice(block.voice_over, [s.duration - 0.4 for s in shots])):
        shot.voice_over = line
        shot.speaker = next((c for c in shot.characters if c.lower() in block.prompt.lower() and '"' in block.prompt), None)


def reference_searches(ctx: dict[str, Any], notes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """One reference search per block, the whole block as the query (multi-shot RAG)."""
    if not ctx.get("use_references", True):
        return []
    script = Script.model_validate(ctx["script"])
    story = {s.id: s.description for s in script.detailed.shots}
    feedback = [n.strip() for n in str(ctx.get("feedback", "")).split(";") if n.strip()]
    calls = []
    for block in script.blocks:
        # The query is the whole block (place, time, people, objective, all its shot prompts); in a
        # revision round the screenwriter's notes on this block join it, so the search asks anew.
        critique = "; ".join(n for n in feedback if n.startswith(f"{block.id}-") or n.startswith(f"{block.id}:"))
        query = scene_query(block, [story.get(s, "") for s in block.storyboard_shots], critique=_critique_words(critique))
        calls.append((SEARCH_FILM_REFERENCES, {"query": query, "k": 8, "block_id": block.id}))
    return calls


def _critique_words(critique: str) -> str:
    """The critique without the shot ids it names (ids would only add noise to the embedding)."""
    return " ".join(w for w in critique.replace(":", " ").split() if not w.startswith(("b", "s")) or not any(c.isdigit() for c in w))


def report_clips(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> str:
    last = results[-1] if results else {}
    if not isinstance(last, dict):
        return "Done."
    clips = last.get("clips", [])
    return f"Rendered {len(clips)} clips, {sum(c.get('duration', 0) for c in clips):.1f} s of picture."


RULES: dict[str, OfflineRule] = {
    "plan_camera": OfflineToolRule(tools=(SEARCH_FILM_REFERENCES,), calls=reference_searches, answer=plan_camera),
    "generate_clips": OfflineToolRule(tools=(RENDER_CLIPS,), calls=lambda ctx, notes: [(RENDER_CLIPS, {})], answer=report_clips),
}
