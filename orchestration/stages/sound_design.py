"""Sound design at three time scales, each its own task of the sound designer:

- `sound_scene` (scene scale): ambience and score per block, and how each block
  meets the next (`scene_sound.json`);
- `sound_shot` (shot scale): voice-over and dialogue per picture-locked shot,
  each with its speaker, spoken by the film's cast of voices (`shot_sound.json`,
  `cast.json`, kept on resume);
- `sound_design` (intra-shot scale): foley and effects at moments inside shots;
  then every decision is placed on the picture lock
  (`filmcrew.tools.sound.placement`) as `sound_design.json`, with the merged
  decisions in `sound_plan.json`.

A real model gets a focused prompt per scale, and each scale is its own turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autogen_core.tools import BaseTool

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import Cast, IntraShotSoundPlan, SceneSoundPlan, ShotSoundPlan, SoundPlan
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import cut_for, read_script
from filmcrew.orchestration.stages._spec import StageSpec, function_tool, no_tools
from filmcrew.tools.render import timeline_duration
from filmcrew.tools.sound.cast import build_cast, mentions
from filmcrew.tools.sound.placement import place_sound, unplaceable_shots
from filmcrew.tools.timeline import read_timeline, shot_spans

__all__ = ["specs", "context", "check", "apply", "tools", "effect_tools", "cast_for"]

_MAX_K = 10
_INPUTS = ("script.json", "fine_cut.otio", "analysis.json", "clips.json")


def context(ctx: StageContext) -> dict[str, Any]:
    return {"script": read_script(ctx).model_dump(mode="json"), "cut": cut_for(ctx, "fine_cut.otio"),
            "audio_notes": list((ctx.run.read_json("analysis.json") or {}).get("audio", []))}


def _spans(ctx: StageContext) -> dict[str, Any]:
    return {s.shot_id: s for s in shot_spans(read_timeline(ctx.run.path("fine_cut.otio")))}


def _reject_unplaceable(ctx: StageContext, plan: SoundPlan) -> None:
    spans = _spans(ctx)
    unknown = unplaceable_shots(plan, spans)
    if unknown:
        raise RejectedOutput(f"cues name shots not in the picture lock: {', '.join(unknown)}; use {', '.join(spans)}")


# -- scene scale ----------------------------------------------------------------


def check_scene(ctx: StageContext, output: SceneSoundPlan) -> None:
    """Every scene names a block of the script, and no block twice."""
    blocks = [b.id for b in read_script(ctx).blocks]
    named = [s.block_id for s in output.scenes]
    unknown = sorted(set(named) - set(blocks))
    if unknown:
        raise RejectedOutput(f"scenes name blocks the script does not have: {', '.join(unknown)}; use {', '.join(blocks)}")
    twice = sorted({b for b in named if named.count(b) > 1})
    if twice:
        raise RejectedOutput(f"give one ambience and score per block, not several: {', '.join(twice)}")


async def apply_scene(ctx: StageContext, output: SceneSoundPlan, proposals: int) -> str:
    check_scene(ctx, output)
    ctx.run.write_model("scene_sound.json", output)
    cuts = sum(s.transition == "cut" for s in output.scenes[:-1])
    return f"scene scale: {len(output.scenes)} blocks scored, {cuts} hard cut(s) between them"


# -- shot scale -----------------------------------------------------------------


def cast_for(ctx: StageContext, speakers: list[str | None]) -> Cast:
    """The film's cast of voices: the one in `cast.json` where an earlier run made it (kept on
    resume), with anyone new cast beside it, in the script's language."""
    script = read_script(ctx)
    previous = ctx.run.read_model("cast.json", Cast) if ctx.run.exists("cast.json") else None
    # Age and gender come from the description, and from what the story says around the name.
    texts = [ctx.brief.text, script.synopsis.logline, script.synopsis.plot, *(b.prompt for b in script.blocks)]
    characters = [(c.name, c.description, mentions(c.name, texts)) for c in script.synopsis.characters]
    return build_cast(characters, ctx.services.speech,
                      getattr(script, "language", None) or "en", speakers=speakers,
                      previous=previous, overrides=ctx.config.speech.cast)


def shot_context(ctx: StageContext) -> dict[str, Any]:
    return {**context(ctx), "cast": cast_for(ctx, []).model_dump(mode="json")}


def check_shot(ctx: StageContext, output: ShotSoundPlan) -> None:
    """Lines only on shots of the picture lock."""
    _reject_unplaceable(ctx, SoundPlan(scenes=[], voices=output.voices, effects=[]))


async def apply_shot(ctx: StageContext, output: ShotSoundPlan, proposals: int) -> str:
    check_shot(ctx, output)
    cast = cast_for(ctx, [v.speaker for v in output.voices])
    ctx.run.write_model("cast.json", cast)
    ctx.run.write_model("shot_sound.json", output)
    speakers = sorted({v.speaker or "narrator" for v in output.voices})
    return f"shot scale: {len(output.voices)} lines by {', '.join(speakers) or 'nobody'}; cast of {len(cast.characters)} + narrator"


# -- intra-shot scale, and placing everything -------------------------------------


def check(ctx: StageContext, output: IntraShotSoundPlan) -> None:
    """Effects only on shots of the picture lock."""
    _reject_unplaceable(ctx, SoundPlan(scenes=[], voices=[], effects=output.effects))


async def apply(ctx: StageContext, output: IntraShotSoundPlan, proposals: int) -> str:
    check(ctx, output)
    scenes = ctx.run.read_model("scene_sound.json", SceneSoundPlan)
    shots = ctx.run.read_model("shot_sound.json", ShotSoundPlan)
    plan = SoundPlan(scenes=scenes.scenes, voices=shots.voices, effects=output.effects)
    fine = read_timeline(ctx.run.path("fine_cut.otio"))
    speech = ctx.services.speech
    generate = None
    sound_effect = getattr(speech, "sound_effect", None)
    if callable(sound_effect):
        # The speech provider can make sound effects (ElevenLabs): it fills what the library lacks.
        async def generate(description: str, out_path: Path) -> tuple[Path, float]:
            clip = await sound_effect(description, None, out_path)
            return clip.path, clip.duration

    design = await place_sound(plan, shot_spans(fine), timeline_duration(fine), ctx.services.sound_library, speech,
                               ctx.run.audio_dir, cast=ctx.run.read_model("cast.json", Cast), generate_effect=generate,
                               on_progress=lambda done, total, label: ctx.progress("sound_design", done, total, label))
    ctx.run.write_model("sound_plan.json", plan)
    ctx.run.write_model("sound_design.json", design)
    by_scale = {scale: [c for c in design.cues if c.scale == scale] for scale in ("scene", "shot", "intra_shot")}
    return "; ".join(f"{scale}: {len(cues)} cue(s)" for scale, cues in by_scale.items()) + " — " + "; ".join(
        f"{c.id} ({c.scale}) syncs to {c.syncs_to}" for c in design.cues)


def _search(ctx: StageContext, query: str, category: str | None, k: int) -> dict[str, Any]:
    hits = ctx.services.sound_library.search(query, category=category, k=max(1, min(int(k), _MAX_K)))
    return {"query": query, "category": category, "matches": [
        {"id": a.id, "description": a.description, "tags": a.tags, "mood": a.mood, "duration": a.duration, "score": round(float(s), 4)}
        for a, s in hits]}


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def search_sounds(query: str, category: str | None = None, k: int = 3) -> dict[str, Any]:
        """Search the tagged sound library (ambience, music, foley, sfx) by description."""
        return _search(ctx, query, category, k)

    return [function_tool(search_sounds)]


def effect_tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def search_effects(query: str, category: str = "sfx", k: int = 3) -> dict[str, Any]:
        """Search the sound library's foley and effects (category foley or sfx) by description."""
        if category not in ("foley", "sfx"):
            raise ValueError(f"category must be foley or sfx, not {category!r}")
        return _search(ctx, query, category, k)

    return [function_tool(search_effects)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return ctx.config.speech.model_dump()


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="sound_scene", role="sound_designer", task="design_scene_sound", inputs=_INPUTS,
                  outputs=("scene_sound.json",), context=context, apply=apply_scene, check=check_scene, tools=tools),
        StageSpec(name="sound_shot", role="sound_designer", task="design_shot_sound", inputs=_INPUTS,
                  outputs=("shot_sound.json", "cast.json"), context=shot_context, apply=apply_shot, check=check_shot,
                  params=_params, tools=no_tools),
        StageSpec(name="sound_design", role="sound_designer", task="design_intra_shot_sound",
                  inputs=(*_INPUTS, "scene_sound.json", "shot_sound.json", "cast.json"),
                  outputs=("sound_design.json", "sound_plan.json"),
                  context=context, apply=apply, check=check, params=_params, tools=effect_tools),
    ]
