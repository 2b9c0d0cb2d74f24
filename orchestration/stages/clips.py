"""Clips: the cinematographer renders every planned shot with its block's
reference images and look.

The `render_clips` tool builds one job per shot (`filmcrew.tools.clips.jobs`)
and runs them through the clip service, whose cache (shared by every run on
this machine) means an unchanged shot is never generated twice. Its result is
the stage's output, written to `clips.json` in plan order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.film_references import cache_root
from filmcrew.memory.models import ClipSet
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import clips_exist, read_clips, read_plan, read_script
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.clips.jobs import clip_jobs, merge_clips
from filmcrew.tools.clips.service import ClipService, validate_references

__all__ = ["specs", "context", "apply", "tools", "load_looks", "clip_cache_dir"]


def clip_cache_dir() -> Path:
    """Clips are cached across runs: an unchanged shot is never generated twice."""
    return cache_root() / "clips"


def load_looks(ctx: StageContext) -> dict[str, dict[str, Any]]:
    """Per-block looks other roles decided (e.g. a colorist's grade), keyed by block id."""
    return ctx.run.read_json("looks.json", default={}) or {}


def context(ctx: StageContext) -> dict[str, Any]:
    return {"shot_count": len(read_plan(ctx).shots)}


async def apply(ctx: StageContext, output: ClipSet, proposals: int) -> str:
    plan_ids = [s.id for s in read_plan(ctx).shots]
    have = {c.shot_id for c in output.clips if Path(c.path).exists()}
    missing = [sid for sid in plan_ids if sid not in have]
    if missing:
        raise RejectedOutput(f"clips missing for shots {', '.join(missing)}; call render_clips for them")
    ordered = sorted((c for c in output.clips if c.shot_id in plan_ids), key=lambda c: plan_ids.index(c.shot_id))
    ctx.run.write_model("clips.json", ClipSet(clips=ordered))
    return f"{len(ordered)} clips, {sum(c.duration for c in ordered):.1f} s"


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def render_clips(shot_ids: list[str] | None = None) -> ClipSet:
        """Generate the clip of every planned shot (or of the listed shots) with its block's reference images."""
        plan = read_plan(ctx)
        validate_references(ctx.brief.references)
        jobs = clip_jobs(plan, read_script(ctx), ctx.brief.references, ctx.run.clips_dir, looks=load_looks(ctx), shot_ids=shot_ids)
        ctx.run.clips_dir.mkdir(parents=True, exist_ok=True)
        cfg = ctx.config.clips
        service = ClipService(ctx.services.clip_generator, clip_cache_dir(), resolution=(cfg.width, cfg.height), fps=cfg.fps,
                              concurrency=cfg.concurrency, timeout=cfg.timeout)
        fresh = await service.generate_all(jobs, on_progress=lambda asset, done, total: ctx.progress("clips", done, total, asset.shot_id))
        # Rendering some shots again keeps the clips of the others.
        previous = read_clips(ctx) if shot_ids and ctx.run.exists("clips.json") else None
        return merge_clips(plan, fresh, previous)

    return [function_tool(render_clips)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.config.clips.model_dump(include={"provider", "model", "width", "height", "fps"})


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="clips", role="cinematographer", task="generate_clips", inputs=("brief.json", "shot_plan.json", "looks.json"),
                  outputs=("clips.json",), context=context, apply=apply, result_tool="render_clips", tools=tools,
                  params=_params, verify=clips_exist),
    ]
