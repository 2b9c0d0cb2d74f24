"""Export: the editor delivers the film (`filmcrew.tools.export`): `timeline.otio`
with picture, one audio track per layer and the mix, FCP 7 XML and EDL, and the
rendered `film.mp4`; the `export_film` tool's report is the stage's output."""

from __future__ import annotations

import asyncio
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import ExportReport, SoundDesign
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.export import FILM, TIMELINE, export_film

__all__ = ["specs", "context", "apply", "tools"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {}


async def apply(ctx: StageContext, output: ExportReport, proposals: int) -> str:
    if not ctx.run.path(FILM).exists():
        raise RejectedOutput(f"{FILM} was not written; call export_film")
    ctx.run.write_model("export.json", output)
    return f"{FILM} ({output.duration:.2f} s, {output.frames} frames), {TIMELINE}, {', '.join(output.interchange)}"


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def export_film_tool() -> ExportReport:
        """Write timeline.otio (picture + one audio track per layer + the mix), FCP XML and EDL, and render film.mp4."""
        cfg = ctx.config.clips
        design = ctx.run.read_model("sound_design.json", SoundDesign)
        return await asyncio.to_thread(
            export_film, ctx.run.root, ctx.run.path("fine_cut.otio"), design, ctx.run.path("mix.wav"),
            width=cfg.width, height=cfg.height, fps=cfg.fps,
            progress=lambda done, total: ctx.progress("export", done, total, "picture"))

    return [function_tool(export_film_tool, name="export_film")]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.config.clips.model_dump(include={"width", "height", "fps"})


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="export", role="editor", task="export", inputs=("fine_cut.otio", "sound_design.json", "mix.wav"),
                  outputs=("timeline.otio", FILM, "export.json"), context=context, apply=apply, result_tool="export_film",
                  tools=tools, params=_params),
    ]
