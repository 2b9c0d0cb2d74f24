"""Review: a simulated viewer of the target audience watches the rough cut and
critiques it (it never edits); written as `review.json`.

Offline the viewer "watches" the cut's description (`watch_cut`); a model with
vision also gets one still per shot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.memory.models import Review
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.cut_review import sample_cut_frames
from filmcrew.tools.timeline import read_timeline

__all__ = ["specs", "context", "apply", "tools", "frames"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {"audience": ctx.audience.model_dump(mode="json")}


async def apply(ctx: StageContext, output: Review, proposals: int) -> str:
    ctx.run.write_model("review.json", output)
    return f"{output.audience}: engagement {output.engagement:.2f}, {len(output.notes)} notes"


def frames(ctx: StageContext) -> list[Path]:
    """One still per shot of the rough cut, for a viewer that can see."""
    return sample_cut_frames(read_timeline(ctx.run.path("rough_cut.otio")), ctx.run.path(".work/frames"))


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def watch_cut() -> dict[str, Any]:
        """Watch the rough cut: shots in order with durations, camera, voice-over, brightness and visible events."""
        return dict(cut_for(ctx, "rough_cut.otio"))

    return [function_tool(watch_cut)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.audience.model_dump(mode="json")


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="review", role="audience", task="review_cut", inputs=("rough_cut.otio", "clips.json"), outputs=("review.json",),
                  context=context, apply=apply, params=_params, images=frames, tools=tools),
    ]
