"""The tools crew members call, as autogen `FunctionTool`s bound to one production.

Each wraps a function of `filmcrew.tools` (or `filmcrew.memory`) and returns
JSON a model can read. Errors raised here come back to the calling model as
error observations (autogen's tool contract), never as crashes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from autogen_core.tools import FunctionTool

from filmcrew.memory.models import ClipSet, EditDecision, ExportReport, MixReport
from filmcrew.orchestration.stages import cut_description, load_looks

__all__ = ["build_toolbox"]


def build_toolbox(p: Any) -> dict[str, FunctionTool]:
    """All built-in tools for production `p`, by name."""

    async def search_film_references(query: str, k: int = 8, block_id: str = "") -> dict[str, Any]:
        """Search the annotated film-reference index with a whole scene block; returns the top-k reference shots with scores."""
        matches = p.services.get("reference_index").search(query, k=max(1, min(int(k), 20)))
        dumped = [m.model_dump() for m in matches]
        if block_id:
            p.scratch.setdefault("references", {})[block_id] = matches
        return {"block_id": block_id, "query": query[:200], "matches": dumped}

    async def render_clips(shot_ids: list[str] | None = None) -> ClipSet:
        """Generate the clip of every planned shot (or of the listed shots) with its block's reference images."""
        from filmcrew.memory.models import Script, ShotPlan
        from filmcrew.tools.clips.service import ClipJob, ClipService, references_for_block, validate_references

        plan = p.run.read_model("shot_plan.json", ShotPlan)
        script = p.run.read_model("script.json", Script)
        blocks = {b.id: b for b in script.blocks}
        looks = load_looks(p)
        validate_references(p.brief.references)
        wanted = set(shot_ids or [s.id for s in plan.shots])
        unknown = wanted - {s.id for s in plan.shots}
        if unknown:
            raise ValueError(f"unknown shot ids {sorted(unknown)}; the plan has {[s.id for s in plan.shots]}")
        cfg = p.config.clips
        service = ClipService(p.services.get("clip_generator"), p.clip_cache_dir, resolution=(cfg.width, cfg.height), fps=cfg.fps,
                              concurrency=cfg.concurrency, timeout=cfg.timeout)
        jobs = []
        for shot in plan.shots:
            if shot.id not in wanted:
                continue
            block = blocks[shot.block_id]
            look = {"time_of_day": block.time_of_day, **looks.get(block.id, {})}
            weather = next((w for w in ("rain", "fog", "snow") if w in " ".join(block.visual_elements).lower()), None)
            if weather and "weather" not in look:
                look["weather"] = weather
            jobs.append(ClipJob(shot=shot, references=references_for_block(block, p.brief.references), duration=shot.duration,
                                out_path=p.run.clips_dir / f"{shot.id}.mp4", look=look))
        clips = await service.generate_all(jobs, on_progress=lambda asset, done, total: p.progress("clips", done, total, asset.shot_id))
        previous = {}
        if p.run.exists("clips.json") and shot_ids:
            previous = {c.shot_id: c for c in p.run.read_model("clips.json", ClipSet).clips}
        merged = {**previous, **{c.shot_id: c for c in clips}}
        return ClipSet(clips=[merged[s.id] for s in plan.shots if s.id in merged])

    async def watch_cut() -> dict[str, Any]:
        """Watch the rough cut: shots in order with durations, camera, voice-over, brightness and visible events."""
        return cut_description(p, "rough_cut.otio")

    async def edit_timeline(decisions: list[EditDecision]) -> dict[str, Any]:
        """Apply edit decisions (reorder, remove, trim, accelerate, retain) to a copy of the rough cut; returns what was applied and what the timeline refused."""
        from filmcrew.tools.timeline import apply_decisions, read_timeline, shot_spans

        rough = read_timeline(p.run.path("rough_cut.otio"))
        applied, rejected = [], []
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

    async def search_sounds(query: str, category: str | None = None, k: int = 3) -> dict[str, Any]:
        """Search the tagged sound library (ambience, music, foley, sfx) by description."""
        library = p.services.get("sound_library")
        hits = library.search(query, category=category, k=max(1, min(int(k), 10)))
        return {"query": query, "category": category, "matches": [
            {"id": a.id, "description": a.description, "tags": a.tags, "mood": a.mood, "duration": a.duration, "score": round(float(s), 4)}
            for a, s in hits]}

    async def mix_soundtrack() -> MixReport:
        """Render every sound layer to a stem, normalise loudness (voice -16, background -28 LUFS), duck, carve, limit, and write mix.wav."""
        import asyncio

        from filmcrew.memory.models import SoundDesign
        from filmcrew.tools.sound.mixer import mix

        design = p.run.read_model("sound_design.json", SoundDesign)
        return await asyncio.to_thread(mix, design, p.run.root, progress=lambda *a: None)

    async def export_film() -> ExportReport:
        """Write timeline.otio (picture + one audio track per layer + the mix), FCP XML and EDL, and render film.mp4."""
        import asyncio

        from filmcrew.memory.models import SoundDesign
        from filmcrew.tools.media import count_frames
        from filmcrew.tools.render import mux, render_picture, timeline_duration
        from filmcrew.tools.timeline import build_final_timeline, export_interchange, read_timeline, write_timeline

        cfg = p.config.clips
        fine = read_timeline(p.run.path("fine_cut.otio"))
        design = p.run.read_model("sound_design.json", SoundDesign)
        final = build_final_timeline(fine, design, p.run.root, mix_path=p.run.path("mix.wav"), fps=cfg.fps)
        final.name = f"{p.run.root.name} - filmcrew"
        write_timeline(final, p.run.path("timeline.otio"))
        exports = export_interchange(final, p.run.root)
        work = p.run.path(".work")
        work.mkdir(exist_ok=True)
        picture = work / "picture.mp4"
        await asyncio.to_thread(render_picture, fine, picture, width=cfg.width, height=cfg.height, fps=cfg.fps,
                                progress=lambda done, total: p.progress("export", done, total, "picture"))
        await asyncio.to_thread(mux, picture, p.run.path("mix.wav"), p.run.path("film.mp4"))
        picture.unlink(missing_ok=True)
        frames = await asyncio.to_thread(count_frames, p.run.path("film.mp4"))
        return ExportReport(film=str(p.run.path("film.mp4")), timeline=str(p.run.path("timeline.otio")),
                            interchange={k: str(v) for k, v in exports.items()}, duration=round(timeline_duration(fine), 4), frames=frames)

    functions = [search_film_references, render_clips, watch_cut, edit_timeline, search_sounds, mix_soundtrack, export_film]
    return {f.__name__: FunctionTool(_as_json(f), description=(f.__doc__ or "").strip(), name=f.__name__) for f in functions}


def _as_json(func: Callable[..., Any]) -> Callable[..., Any]:
    """autogen turns a dict result into Python repr text; models need JSON."""

    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        value = await func(*args, **kwargs)
        if isinstance(value, dict):
            return json.dumps(value, default=str)
        return value

    return wrapper
