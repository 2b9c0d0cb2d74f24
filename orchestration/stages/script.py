"""Script: the screenwriter's four-step chain, one stage (one turn) per step.

synopsis (`synopsis.json`) -> simplified storyboard (`storyboard.json`) ->
detailed storyboard (`shots.json`) -> scene blocks, assembled with the three
before them into `script.json`. Each step is its own typed output, checked
against the brief before the next step starts: an answer that drops a named
character, a creature, a place, a key object or a scene, invents a named
person, or puts someone who is only talked about on screen is sent back with
the reason (`RejectedOutput`). Each step lists the previous steps' files among
its inputs, so a director's note after any step revises from that step on.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import DetailedStoryboard, SceneBlocks, Script, SimplifiedStoryboard, Synopsis
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._spec import StageSpec, no_tools
from filmcrew.tools.reading import BriefReading, block_problems, read_brief, reading_facts, storyboard_problems, synopsis_problems

__all__ = ["specs", "reading_of", "SYNOPSIS", "STORYBOARD", "SHOTS", "SCRIPT"]

SYNOPSIS, STORYBOARD, SHOTS, SCRIPT = "synopsis.json", "storyboard.json", "shots.json", "script.json"


@lru_cache(maxsize=16)
def _read(text: str, references: tuple[tuple[str, str], ...]) -> BriefReading:
    return read_brief(text, [{"name": n, "kind": k} for n, k in references])


def reading_of(ctx: StageContext) -> BriefReading:
    """The brief as the reader understands it; every step is checked against it."""
    return _read(ctx.brief.text, tuple((r.name, r.kind) for r in ctx.brief.references))


def _reference_names(ctx: StageContext) -> list[str]:
    return [r.name for r in ctx.brief.references]


def _reject(problems: list[str]) -> None:
    if problems:
        raise RejectedOutput("the answer departs from the brief: " + "; ".join(problems))


def _base(ctx: StageContext) -> dict[str, Any]:
    return {"brief": ctx.brief.model_dump(mode="json"), "facts": reading_facts(reading_of(ctx)),
            "audience": ctx.audience.model_dump(mode="json")}


def _synopsis(ctx: StageContext) -> Synopsis:
    return ctx.run.read_model(SYNOPSIS, Synopsis)


def _simplified(ctx: StageContext) -> SimplifiedStoryboard:
    return ctx.run.read_model(STORYBOARD, SimplifiedStoryboard)


def _detailed(ctx: StageContext) -> DetailedStoryboard:
    return ctx.run.read_model(SHOTS, DetailedStoryboard)


# -- step 1: synopsis ------------------------------------------------------------------------


def _synopsis_context(ctx: StageContext) -> dict[str, Any]:
    return _base(ctx)


def _check_synopsis(ctx: StageContext, output: Synopsis) -> None:
    _reject(synopsis_problems(reading_of(ctx), output, _reference_names(ctx)))


async def _apply_synopsis(ctx: StageContext, output: Synopsis, proposals: int) -> str:
    ctx.run.write_model(SYNOPSIS, output)
    return f"synopsis {output.title!r}: {len(output.characters)} characters, {len(output.settings)} settings [{output.language}]"


# -- step 2: simplified storyboard ------------------------------------------------------------


def _storyboard_context(ctx: StageContext) -> dict[str, Any]:
    return {**_base(ctx), "synopsis": _synopsis(ctx).model_dump(mode="json")}


async def _apply_storyboard(ctx: StageContext, output: SimplifiedStoryboard, proposals: int) -> str:
    ctx.run.write_model(STORYBOARD, output)
    return f"simplified storyboard: {len(output.causal_chain)} links in the causal chain; twist: {output.twist[:80]}"


# -- step 3: detailed storyboard ----------------------------------------------------------------


def _shots_context(ctx: StageContext) -> dict[str, Any]:
    return {**_storyboard_context(ctx), "simplified": _simplified(ctx).model_dump(mode="json")}


def _check_shots(ctx: StageContext, output: DetailedStoryboard) -> None:
    _reject(storyboard_problems(reading_of(ctx), _synopsis(ctx), output))


async def _apply_shots(ctx: StageContext, output: DetailedStoryboard, proposals: int) -> str:
    ctx.run.write_model(SHOTS, output)
    kinds = {k: sum(s.kind == k for s in output.shots) for k in ("contextual", "primary", "metaphorical")}
    return f"detailed storyboard: {len(output.shots)} shots ({', '.join(f'{v} {k}' for k, v in kinds.items())})"


# -- step 4: scene blocks ---------------------------------------------------------------------


def _blocks_context(ctx: StageContext) -> dict[str, Any]:
    return {**_shots_context(ctx), "detailed": _detailed(ctx).model_dump(mode="json")}


def _check_blocks(ctx: StageContext, output: SceneBlocks) -> None:
    _reject(block_problems(reading_of(ctx), _synopsis(ctx), output.blocks, _reference_names(ctx)))


async def _apply_blocks(ctx: StageContext, output: SceneBlocks, proposals: int) -> str:
    synopsis = _synopsis(ctx)
    script = Script(synopsis=synopsis, simplified=_simplified(ctx), detailed=_detailed(ctx), blocks=output.blocks,
                    language=synopsis.language)
    ctx.run.write_model(SCRIPT, script)
    return f"{synopsis.title}: {len(script.blocks)} scene blocks, {len(script.detailed.shots)} storyboard shots"


def _params(ctx: StageContext) -> dict[str, Any]:
    return {"audience": ctx.audience.name}


def specs() -> list[StageSpec[Any]]:
    brief = ("brief.json",)
    return [
        StageSpec(name="synopsis", role="screenwriter", task="write_synopsis", inputs=brief, outputs=(SYNOPSIS,),
                  context=_synopsis_context, apply=_apply_synopsis, check=_check_synopsis, params=_params, tools=no_tools),
        StageSpec(name="storyboard", role="screenwriter", task="write_storyboard", inputs=(*brief, SYNOPSIS),
                  outputs=(STORYBOARD,), context=_storyboard_context, apply=_apply_storyboard, params=_params, tools=no_tools),
        StageSpec(name="shots", role="screenwriter", task="write_shots", inputs=(*brief, SYNOPSIS, STORYBOARD),
                  outputs=(SHOTS,), context=_shots_context, apply=_apply_shots, check=_check_shots, params=_params,
                  tools=no_tools),
        StageSpec(name="script", role="screenwriter", task="write_scene_blocks", inputs=(*brief, SYNOPSIS, STORYBOARD, SHOTS),
                  outputs=(SCRIPT,), context=_blocks_context, apply=_apply_blocks, check=_check_blocks, params=_params,
                  tools=no_tools),
    ]
