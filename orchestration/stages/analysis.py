"""Analysis: the editor sorts the audience's critique into structure, timing
and audio, each with actionable recommendations; written as `analysis.json`."""

from __future__ import annotations

from typing import Any

from filmcrew.memory.models import Analysis
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages.review import watch
from filmcrew.orchestration.stages._spec import StageSpec, no_tools

__all__ = ["specs", "context", "apply"]


def context(ctx: StageContext) -> dict[str, Any]:
    watched = watch(ctx, "rough_cut.otio")
    problems = watched.pop("problems")
    return {"review": ctx.run.read_json("review.json"), "cut": watched, "problems": problems,
            "audience": ctx.audience.model_dump(mode="json"), "attention_span_s": ctx.audience.attention_span_s}


async def apply(ctx: StageContext, output: Analysis, proposals: int) -> str:
    ctx.run.write_model("analysis.json", output)
    return f"{len(output.structure)} structure, {len(output.timing)} timing, {len(output.audio)} audio recommendations"


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="analysis", role="editor", task="analyze_review", inputs=("review.json", "rough_cut.otio", "script.json"), outputs=("analysis.json",),
                  context=context, apply=apply, tools=no_tools),
    ]
