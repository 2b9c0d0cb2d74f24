"""From a shot plan to clip jobs: which shots, with which references and look.

Every shot of a scene block shares the block's reference images (its
characters and its location) and the block's look: its time of day, the
weather its visual elements name, and whatever grade another role decided for
the block (`looks.json`, e.g. a colorist's).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from filmcrew.memory.models import ClipAsset, ClipSet, ReferenceImage, SceneBlock, Script, ShotPlan
from filmcrew.memory.rundir import inside
from filmcrew.tools.clips.service import ClipJob, references_for_block

__all__ = ["WEATHERS", "block_weather", "block_look", "block_scene", "clip_jobs", "merge_clips"]

# Weather the renderers know how to show, in the order a block's words are checked.
WEATHERS: tuple[str, ...] = ("rain", "fog", "snow")


def block_weather(block: SceneBlock) -> str | None:
    """The first weather a block's visual elements mention, if any."""
    words = " ".join(block.visual_elements).lower()
    return next((w for w in WEATHERS if w in words), None)


def block_look(block: SceneBlock, grade: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The look of every shot in `block`: its time of day and weather, under a grade
    that may override both."""
    look: dict[str, Any] = {"time_of_day": block.time_of_day, **(grade or {})}
    weather = block_weather(block)
    if weather and "weather" not in look:
        look["weather"] = weather
    return look


def block_scene(block: SceneBlock, script: Script) -> dict[str, str]:
    """What a renderer needs to draw the block's story: where it is, its key visual
    elements, and what the script says its characters look like (the previz reads
    these; a video model sees them in its prompt)."""
    # The whole script is searched, not only this block, so a character looks the same in every block.
    text = " ".join([script.synopsis.logline, script.synopsis.plot, *(b.prompt for b in script.blocks),
                     *(s.description for s in script.detailed.shots)])
    sentences = [x.strip() for x in re.split(r"(?<=[.!?])\s+", text) if x.strip()]
    entries = []
    for c in script.synopsis.characters:
        if c.name not in block.characters:
            continue
        said = list(dict.fromkeys(x for x in sentences if re.search(rf"\b{re.escape(c.name)}\b", x)))[:3]
        entry = f"{c.name}: {c.description.strip()}" + (f" (in the script: {' '.join(said)})" if said else "")
        entries.append(entry)
    cast = "\n".join(entries)
    scene = {"location": block.location, "elements": ", ".join(block.visual_elements)}
    return {**scene, "cast": cast} if cast else scene


def clip_jobs(
    plan: ShotPlan,
    script: Script,
    references: Sequence[ReferenceImage],
    out_dir: Path,
    *,
    looks: Mapping[str, Mapping[str, Any]] | None = None,
    shot_ids: Collection[str] | None = None,
) -> list[ClipJob]:
    """One job per planned shot (or per shot in `shot_ids`), in plan order, writing
    `<out_dir>/<shot id>.mp4`. Raises `ValueError` for shot ids not in the plan and
    for shots of blocks the script does not have."""
    planned = [s.id for s in plan.shots]
    wanted = set(shot_ids) if shot_ids else set(planned)
    unknown = wanted - set(planned)
    if unknown:
        raise ValueError(f"unknown shot ids {sorted(unknown)}; the plan has {planned}")
    blocks = {b.id: b for b in script.blocks}
    grades = looks or {}
    jobs = []
    for shot in plan.shots:
        if shot.id not in wanted:
            continue
        block = blocks.get(shot.block_id)
        if block is None:
            raise ValueError(f"shot {shot.id} belongs to block {shot.block_id!r}, which the script does not have")
        jobs.append(ClipJob(shot=shot, references=references_for_block(block, references), duration=shot.duration,
                            # The id is checked where it is parsed; this keeps any name inside the folder.
                            out_path=inside(out_dir, Path(f"{shot.id}.mp4")),
                            look={**block_look(block, grades.get(block.id)), **block_scene(block, script)}))
    return jobs


def merge_clips(plan: ShotPlan, fresh: Sequence[ClipAsset], previous: ClipSet | None = None) -> ClipSet:
    """The clips of the plan's shots in plan order: the fresh ones, and from `previous`
    those of shots not rendered again."""
    merged = {c.shot_id: c for c in (previous.clips if previous else [])}
    merged.update({c.shot_id: c for c in fresh})
    return ClipSet(clips=[merged[s.id] for s in plan.shots if s.id in merged])
