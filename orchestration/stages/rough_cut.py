"""Rough cut: the editor lays the clips in plan order with a placeholder
voice-over per block; written as `rough_cut.otio` and `rough_cut_plan.json`."""

from __future__ import annotations

from typing import Any

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import RoughCutPlan
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import read_clips, read_plan, read_script
from filmcrew.orchestration.stages._spec import StageSpec, no_tools
from filmcrew.tools.timeline import build_rough_cut, write_timeline

__all__ = ["specs", "context", "check", "apply"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {"script": read_script(ctx).model_dump(mode="json"), "shot_plan": read_plan(ctx).model_dump(mode="json")}


def check(ctx: StageContext, output: RoughCutPlan) -> None:
    """Voice-over only for blocks the script has."""
    unknown = sorted({v.block_id for v in output.voice_over} - {b.id for b in read_script(ctx).blocks})
    if unknown:
        raise RejectedOutput(f"voice-over for unknown blocks {', '.join(unknown)}")


async def apply(ctx: StageContext, output: RoughCutPlan, proposals: int) -> str:
    check(ctx, output)
    script = read_script(ctx)
    lines = {v.block_id: v.text for v in output.voice_over}
    script = script.model_copy(update={"blocks": [b.model_copy(update={"voice_over": lines.get(b.id, b.voice_over)}) for b in script.blocks]})
    clips = read_clips(ctx).clips
    timeline = build_rough_cut(clips, read_plan(ctx), script, fps=ctx.config.clips.fps, root=ctx.run.root)
    ctx.run.write_model("rough_cut_plan.json", output)
    write_timeline(timeline, ctx.run.path("rough_cut.otio"))
    return f"rough cut of {len(clips)} clips with {len(lines)} voice-over placeholders"


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="rough_cut", role="editor", task="assemble_rough_cut", inputs=("script.json", "shot_plan.json", "clips.json"),
                  outputs=("rough_cut.otio", "rough_cut_plan.json"), context=context, apply=apply, check=check, tools=no_tools),
    ]
