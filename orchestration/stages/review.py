"""Review: a simulated viewer of the target audience watches the rough cut and
critiques it (it never edits); written as `review.json`.

The viewer "watches" the cut through `watch_cut`: every shot with what
perception measured on its media and what it drew, and the problems a viewer
of this archetype would notice (`filmcrew.tools.cut_problems`), measured
against the script; a model with vision also gets one still per shot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.errors import ConfigurationError, ProviderError
from filmcrew.memory.models import Review
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for, read_script
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.cut_problems import find_problems
from filmcrew.tools.cut_review import sample_cut_frames
from filmcrew.tools.timeline import read_timeline

__all__ = ["specs", "context", "apply", "tools", "frames", "watch"]


def story(ctx: StageContext) -> dict[str, Any]:
    """What the viewer knows the film means to tell: its characters, causal chain and blocks' objectives."""
    script = read_script(ctx)
    return {
        "logline": script.synopsis.logline,
        "characters": [c.name for c in script.synopsis.characters],
        "causal_chain": script.simplified.causal_chain,
        "twist": script.simplified.twist,
        "blocks": [{"block_id": b.id, "objective": b.narrative_objective, "characters": b.characters,
                    "elements": b.visual_elements} for b in script.blocks],
    }


def context(ctx: StageContext) -> dict[str, Any]:
    return {"audience": ctx.audience.model_dump(mode="json"), "story": story(ctx)}


def watch(ctx: StageContext, timeline_name: str) -> dict[str, Any]:
    """A cut as this viewer watches it: the description plus the problems they notice."""
    cut = cut_for(ctx, timeline_name)
    return {**cut, "problems": find_problems(cut, read_script(ctx), ctx.audience, ctx.brief.text)}


def _gemini_key(ctx: StageContext) -> str:
    import os

    cfg = ctx.config.model_for("audience")
    names = (cfg.api_key_env,) if cfg.api_key_env else ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    return next((os.environ[n] for n in names if os.environ.get(n)), "")


def _watch_prompt(ctx: StageContext, cut: dict[str, Any]) -> str:
    lines = [f"You are a {ctx.audience.name} viewer: {ctx.audience.description}. You watch a rough cut "
             f"(picture only; the placeholder voice-over is given as text with its timecodes). Critique its structure, "
             "pacing, transitions, the clarity of the story, emotion and the voice-over, tying each note to a timecode. "
             "Do not propose edits; say what you felt.",
             f"Story: {json.dumps(story(ctx))}"]
    for block in cut["blocks"]:
        start = next(s["start"] for s in cut["shots"] if s["shot_id"] == block["shot_ids"][0])
        lines.append(f"{start:6.2f} s {block['block_id']} voice-over: {block['voice_over']!r}")
    return "\n".join(lines)


def model_watch(ctx: StageContext, cut: dict[str, Any]) -> dict[str, Any] | None:
    """When the audience plays on Gemini, Gemini watches the rendered rough cut; None otherwise."""
    cfg = ctx.config.model_for("audience")
    if cfg.provider != "gemini":
        return None
    from filmcrew.tools.render import render_picture
    from filmcrew.tools.watching import GeminiWatcher

    video = ctx.run.path(f".work/rough_cut-{ctx.run.fingerprint(('rough_cut.otio',))[:12]}.mp4")
    if not video.exists():
        render_picture(read_timeline(ctx.run.path("rough_cut.otio")), video, width=640, height=360, fps=ctx.config.clips.fps)
    try:
        watcher = GeminiWatcher(cfg.model, _gemini_key(ctx), base_url=cfg.base_url, timeout=cfg.timeout)
        return {"model": cfg.model, "critique": watcher.watch(video, _watch_prompt(ctx, cut))}
    except (ProviderError, ConfigurationError) as exc:
        # A server without the File API (a proxy, a local stand-in) still gets the measured cut.
        return {"model": cfg.model, "error": f"could not watch the video: {exc}"}


async def apply(ctx: StageContext, output: Review, proposals: int) -> str:
    ctx.run.write_model("review.json", output)
    return f"{output.audience}: engagement {output.engagement:.2f}, {len(output.notes)} notes"


def frames(ctx: StageContext) -> list[Path]:
    """One still per shot of the rough cut, for a viewer that can see."""
    return sample_cut_frames(read_timeline(ctx.run.path("rough_cut.otio")), ctx.run.path(".work/frames"))


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def watch_cut() -> dict[str, Any]:
        """Watch the rough cut: shots in order with durations, camera, voice-over, what perception measured and what
        each shot drew, and the problems measured against the story (each with shot/block id and timecode)."""
        watched = watch(ctx, "rough_cut.otio")
        seen = model_watch(ctx, watched)
        return watched if seen is None else {**watched, "watched_by_model": seen}

    return [function_tool(watch_cut)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.audience.model_dump(mode="json")


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="review", role="audience", task="review_cut", inputs=("rough_cut.otio", "clips.json", "script.json"), outputs=("review.json",),
                  context=context, apply=apply, params=_params, images=frames, tools=tools),
    ]
