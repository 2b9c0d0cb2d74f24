"""Sound design: the sound designer decides ambience and score per scene, voice
per shot and effects at moments inside shots; the stage places them on the
picture lock (`filmcrew.tools.sound.placement`) as `sound_design.json`, with the
decisions in `sound_plan.json`."""

from __future__ import annotations

from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import Cast, SoundPlan
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for, read_script
from filmcrew.orchestration.stages._spec import StageSpec, function_tool
from filmcrew.tools.render import timeline_duration
from filmcrew.tools.sound.cast import build_cast
from filmcrew.tools.sound.placement import place_sound, unplaceable_shots
from filmcrew.tools.timeline import read_timeline, shot_spans

__all__ = ["specs", "context", "check", "apply", "tools"]

_MAX_K = 10


def context(ctx: StageContext) -> dict[str, Any]:
    return {"script": read_script(ctx).model_dump(mode="json"), "cut": cut_for(ctx, "fine_cut.otio"),
            "audio_notes": list((ctx.run.read_json("analysis.json") or {}).get("audio", []))}


def check(ctx: StageContext, output: SoundPlan) -> None:
    """Voices and effects only on shots of the picture lock."""
    spans = {s.shot_id: s for s in shot_spans(read_timeline(ctx.run.path("fine_cut.otio")))}
    unknown = unplaceable_shots(output, spans)
    if unknown:
        raise RejectedOutput(f"cues name shots not in the picture lock: {', '.join(unknown)}; use {', '.join(spans)}")


def cast_for(ctx: StageContext, plan: SoundPlan) -> Cast:
    """The film's cast of voices: the one in `cast.json` where an earlier run made it (kept on
    resume), with anyone new cast beside it, in the script's language."""
    script = read_script(ctx)
    previous = ctx.run.read_model("cast.json", Cast) if ctx.run.exists("cast.json") else None
    cast = build_cast([(c.name, c.description) for c in script.synopsis.characters], ctx.services.speech,
                      getattr(script, "language", None) or "en", speakers=[v.speaker for v in plan.voices],
                      previous=previous, overrides=ctx.config.speech.cast)
    ctx.run.write_model("cast.json", cast)
    return cast


async def apply(ctx: StageContext, output: SoundPlan, proposals: int) -> str:
    check(ctx, output)
    fine = read_timeline(ctx.run.path("fine_cut.otio"))
    design = await place_sound(output, shot_spans(fine), timeline_duration(fine), ctx.services.sound_library, ctx.services.speech,
                               ctx.run.audio_dir, cast=cast_for(ctx, output),
                               on_progress=lambda done, total, label: ctx.progress("sound_design", done, total, label))
    ctx.run.write_model("sound_plan.json", output)
    ctx.run.write_model("sound_design.json", design)
    layers = sorted({c.layer for c in design.cues})
    return f"{len(design.cues)} cues on {len(layers)} layers ({', '.join(layers)})"


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def search_sounds(query: str, category: str | None = None, k: int = 3) -> dict[str, Any]:
        """Search the tagged sound library (ambience, music, foley, sfx) by description."""
        hits = ctx.services.sound_library.search(query, category=category, k=max(1, min(int(k), _MAX_K)))
        return {"query": query, "category": category, "matches": [
            {"id": a.id, "description": a.description, "tags": a.tags, "mood": a.mood, "duration": a.duration, "score": round(float(s), 4)}
            for a, s in hits]}

    return [function_tool(search_sounds)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.config.speech.model_dump()


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="sound_design", role="sound_designer", task="design_sound",
                  inputs=("script.json", "fine_cut.otio", "analysis.json", "clips.json"), outputs=("sound_design.json", "sound_plan.json", "cast.json"),
                  context=context, apply=apply, check=check, params=_params, tools=tools),
    ]
