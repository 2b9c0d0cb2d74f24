"""Camera: the cinematographer plans every shot of every scene block from film
references, and the screenwriter checks the plan against the blocks' objectives.

The `search_film_references` tool embeds a whole block as the query; what it
returns for a block (its top shots and its top whole sequences) is written to
`references.json` (tagged with the script it was searched for), so the plan
keeps the references that shaped each block even when a model leaves them out
of its answer, and a resumed run finds them too. A plan is rejected when a
shot's rationale cites a reference the shot did not retrieve, or when it breaks
a continuity rule (`filmcrew.memory.camera_continuity`).
"""

from __future__ import annotations

import re
from typing import Any

from autogen_core.tools import BaseTool
from pydantic import BaseModel, Field

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.camera_continuity import citation_problems, continuity_problems
from filmcrew.memory.models import ReferenceMatch, Script, ShotPlan
from filmcrew.memory.rundir import file_digest
from filmcrew.orchestration.context import StageContext
from filmcrew.orchestration.stages._run import read_script
from filmcrew.orchestration.stages._spec import StageSpec, function_tool

__all__ = ["specs", "context", "critic_context", "check", "apply", "tools", "FoundReferences", "REFERENCES", "found_references", "search_block", "block_for_query"]

REFERENCES = "references.json"
# How many of a block's references are kept beside each of its shots.
_REFS_PER_SHOT = 5
_MAX_K = 20
# How many whole sequences a search returns beside its top shots.
_SEQUENCES = 3


class FoundReferences(BaseModel):
    """What the reference searches of the camera stage returned, per scene block."""

    script: str = Field(description="digest of the script.json the searches were made for")
    queries: dict[str, str] = Field(default_factory=dict)
    blocks: dict[str, list[ReferenceMatch]] = Field(default_factory=dict)


def found_references(ctx: StageContext) -> FoundReferences:
    """The references found for the current script (none if they were found for another)."""
    digest = file_digest(ctx.run.path("script.json"))
    if ctx.run.exists(REFERENCES):
        found = ctx.run.read_model(REFERENCES, FoundReferences)
        if found.script == digest:
            return found
    return FoundReferences(script=digest)


def context(ctx: StageContext) -> dict[str, Any]:
    return {"script": read_script(ctx).model_dump(mode="json"), "target_duration": ctx.brief.target_duration,
            "use_references": ctx.config.use_camera_rag}


def critic_context(ctx: StageContext, draft: ShotPlan) -> dict[str, Any]:
    return {"script": read_script(ctx).model_dump(mode="json"), "shot_plan": draft.model_dump(mode="json"),
            "target_duration": ctx.brief.target_duration}


def check(ctx: StageContext, output: ShotPlan) -> None:
    """Every shot belongs to a block of the script, every block has a shot, ids are unique."""
    blocks = {b.id for b in read_script(ctx).blocks}
    unknown = sorted({s.block_id for s in output.shots} - blocks)
    if unknown:
        raise RejectedOutput(f"shots name unknown scene blocks {', '.join(unknown)}; use {', '.join(sorted(blocks))}")
    missing = sorted(blocks - {s.block_id for s in output.shots})
    if missing:
        raise RejectedOutput(f"blocks {', '.join(missing)} have no shots; every block needs at least one")
    ids = [s.id for s in output.shots]
    if len(ids) != len(set(ids)):
        raise RejectedOutput("shot ids must be unique")
    # A rationale cites only references the shot retrieved; the continuity rules hold in every block.
    found = found_references(ctx)
    shots = _with_block_references(output, found)
    problems = citation_problems(shots, known=_KnownIds(ctx, found)) + continuity_problems(shots, read_script(ctx).blocks)
    if problems:
        raise RejectedOutput("; ".join(problems[:6]))


class _KnownIds:
    """Reference ids a rationale could cite: what was found for the script, and anything in the index."""

    def __init__(self, ctx: StageContext, found: FoundReferences):
        self._found = {m.ref_id for matches in found.blocks.values() for m in matches}
        self._index = ctx.services.reference_index if ctx.config.use_camera_rag else None

    def __contains__(self, ref_id: object) -> bool:
        if ref_id in self._found:
            return True
        get = getattr(self._index, "get", None)
        return bool(get and get(ref_id) is not None)


def _with_block_references(output: ShotPlan, found: FoundReferences) -> list[Any]:
    """The plan's shots, each with the references it retrieved (the block's, when the model named none)."""
    return [s.model_copy(update={"references": s.references or found.blocks.get(s.block_id, [])[:_REFS_PER_SHOT]}) for s in output.shots]


async def apply(ctx: StageContext, output: ShotPlan, proposals: int) -> str:
    check(ctx, output)
    found = found_references(ctx)
    shots = _with_block_references(output, found)
    used = bool(ctx.config.use_camera_rag and any(found.blocks.values()))
    plan = output.model_copy(update={"shots": shots, "rounds": max(1, proposals), "used_references": used})
    # Written even when nothing was searched, so the stage's outputs are always complete.
    ctx.run.write_model(REFERENCES, found)
    ctx.run.write_model("shot_plan.json", plan)
    total = sum(s.duration for s in plan.shots)
    return f"{len(plan.shots)} shots, {total:.1f} s, {'with' if plan.used_references else 'without'} film references, {plan.rounds} round(s)"


def summarise(ctx: StageContext, output: ShotPlan) -> str:
    return ", ".join(f"{s.id} {s.shot_size}/{s.movement}/{s.angle}" for s in output.shots[:12])


def search_block(index: Any, query: str, k: int = 8) -> tuple[list[ReferenceMatch], list[dict[str, Any]]]:
    """The top-k reference shots for a block's query, and its top whole sequences (every shot, in order)."""
    matches = index.search(query, k=max(1, min(int(k), _MAX_K)))
    sequences = []
    # Whole sequences too, so the cinematographer re-plans the block from multi-shot patterns.
    if hasattr(index, "search_sequences"):
        for seq in index.search_sequences(query, k=_SEQUENCES):
            shots = [index.match(shot.id, seq.score) for shot in seq.shots]
            sequences.append({"sequence_id": seq.sequence_id, "score": seq.score, "situation": seq.situation,
                              "shots": [m.model_dump() for m in shots if m is not None]})
    return list(matches), sequences


_WORD = re.compile(r"\w{4,}")


def block_for_query(script: Script, query: str) -> str:
    """The block a search that named none was about: the one sharing the most words
    with the query, when one clearly does ("" when two tie or none shares any)."""
    words = set(_WORD.findall(query.casefold()))
    scores = []
    for block in script.blocks:
        text = " ".join([block.prompt, block.location, block.narrative_objective, *block.characters, *block.visual_elements])
        scores.append((len(words & set(_WORD.findall(text.casefold()))), block.id))
    scores.sort(key=lambda pair: pair[0], reverse=True)
    if not scores or scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return ""
    return scores[0][1]


def tools(ctx: StageContext) -> list[BaseTool[Any, Any]]:
    async def search_film_references(query: str, k: int = 8, block_id: str = "") -> dict[str, Any]:
        """Search the annotated film-reference index with a whole scene block; returns the top-k reference shots with scores."""
        matches, sequences = search_block(ctx.services.reference_index, query, k)
        # A model that leaves out block_id still searched for a block: keep what it found for that block.
        block_id = block_id or block_for_query(read_script(ctx), query)
        if block_id:
            found = found_references(ctx)
            seen = {m.ref_id for m in matches}
            extra = [ReferenceMatch.model_validate(m) for seq in sequences for m in seq["shots"] if m["ref_id"] not in seen]
            found.blocks[block_id] = list(matches) + extra
            found.queries[block_id] = query
            ctx.run.write_model(REFERENCES, found)
        return {"block_id": block_id, "query": query[:200], "matches": [m.model_dump() for m in matches], "sequences": sequences}

    return [function_tool(search_film_references)]


def _params(ctx: StageContext) -> dict[str, Any]:
    return {"rag": ctx.config.use_camera_rag, "rounds": ctx.config.debate_rounds}


def specs() -> list[StageSpec[Any]]:
    return [
        StageSpec(name="camera", role="cinematographer", task="plan_camera", inputs=("script.json",),
                  outputs=("shot_plan.json", REFERENCES), context=context, apply=apply,
                  critic=("screenwriter", "check_shot_plan"), critic_context=critic_context,
                  params=_params, check=check, summarise=summarise, tools=tools),
    ]
