"""Mix: every sound layer rendered to a stem, loudness-normalised (voice -16,
background -28 LUFS), ducked under the voice, carved and limited into `mix.wav`;
the `mix_soundtrack` tool's report is the stage's output (`mix_report.json`)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.memory.models import MixReport, SoundDesign
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.sound.mixer import mix

__all__ = ["specs", "context", "apply", "tools", "mix_exists"]


def context(ctx: StageContext) -> dict[str, Any]:
    return {"cue_count": len(ctx.run.read_json("sound_design.json")["cues"])}


async def apply(ctx: StageContext, output: MixReport, proposals: int) -> str:
    ctx.run.write_model("mix_report.json", output)
    stems = ", ".join(f"{s.layer} {s.integrated_lufs:.1f}" for s in output.stems if s.integrated_lufs is not None)
    return f"mix {output.duration:.2f} s; stems LUFS: {stems}; master {output.master_lufs}"


def mix_exists(ctx: StageContext) -> bool:
    """True when every stem the mix report names is still on disk."""
    report = ctx.run.read_json("mix_report.json")
    return bool(report) and all(Path(s["path"]).exists() or ctx.run.path(s["path"]).exists() for s in report["stems"])


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def mix_soundtrack() -> MixReport:
        """Render every sound layer to a stem, normalise loudness (voice -16, background -28 LUFS), duck, carve, limit, and write mix.wav."""
        design = ctx.run.read_model("sound_design.json", SoundDesign)
        return await asyncio.to_thread(mix, design, ctx.run.root, progress=lambda *a: None)

    return [function_tool(mix_soundtrack)]


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="mix", role="sound_designer", task="mix", inputs=("sound_design.json",), outputs=("mix.wav", "mix_report.json"),
                  context=context, apply=apply, result_tool="mix_soundtrack", tools=tools, verify=mix_exists),
    ]
