"""Script: the screenwriter structures the brief into a screenplay of scene blocks.

Reads `brief.json`, writes `script.json` (synopsis, storyboards and scene
blocks). The structuring is one turn today; `specs()` returns a list so it
can become a chain of turns of the same role (synopsis, simplified
storyboard, detailed storyboard, scene blocks), each its own `StageSpec`
whose inputs are the previous step's output.
"""

from __future__ import annotations

from typing import Any

from filmcrew.memory.models import Script
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._spec import StageSpec, no_tools

__all__ = ["specs", "context", "apply"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {"brief": ctx.brief.model_dump(mode="json"), "audience": ctx.audience.model_dump(mode="json")}


async def apply(ctx: StageContext, output: Script, proposals: int) -> str:
    ctx.run.write_model("script.json", output)
    return f"{output.synopsis.title}: {len(output.blocks)} scene blocks, {len(output.detailed.shots)} storyboard shots"


def _params(ctx: StageContext) -> dict[str, Any]:
    return {"audience": ctx.audience.name}


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="script", role="screenwriter", task="structure_script", inputs=("brief.json",), outputs=("script.json",),
                  context=context, apply=apply, params=_params, tools=no_tools),
    ]
