"""Add a role of your own: a colorist who grades each scene block.

The colorist speaks after the camera plan is locked. Its typed output (a
grade per block) is written to `looks.json`, which the clip renderer applies,
so the grade is visible in the film. Offline it plays by its own rule (below);
with a real model it follows its prompt.

Its stage functions take a `StageContext` (the run directory, brief, audience,
config, providers and progress reporter), so an editor completes and
type-checks them (`mypy examples/custom_role.py`).

    python examples/custom_role.py --out runs/colorist
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from pydantic import BaseModel, Field

from filmcrew import Crew, RoleSpec, load_config
from filmcrew.agents import RejectedOutput
from filmcrew.memory.models import Brief, Script
from filmcrew.orchestration import StageContext, StageSpec
from filmcrew.orchestration.events import AgentTurn, RunCompleted, RunFailed

COLORIST_PROMPT = """
system: |
  You are the colorist. For each scene block choose a grade that serves its
  mood and time of day: colour temperature (-1 cool .. 1 warm), saturation
  (0..2), contrast (0.5..1.5) and exposure (-1..1), with a one-line reason.
  Answer only with JSON for the requested type.
tasks:
  grade_scenes:
    requires: [blocks, notes]
    template: |
      Grade these scene blocks: {{ blocks | tojson }}
      {% if notes %}Director's notes: {{ notes | join('; ') }}{% endif %}
"""


class BlockGrade(BaseModel):
    block_id: str
    temperature: float = Field(ge=-1, le=1)
    saturation: float = Field(ge=0, le=2)
    contrast: float = Field(ge=0.5, le=1.5)
    exposure: float = Field(ge=-1, le=1)
    reason: str


class SceneGrades(BaseModel):
    grades: list[BlockGrade]


def grade_by_mood(ctx: dict[str, Any], tool_results: list[Any], notes: list[str]) -> SceneGrades:
    """The colorist's offline craft: warm for tender or triumphant, cold and contrasty for tense."""
    palette = {
        "tense": (-0.5, 0.8, 1.35, -0.1), "mysterious": (-0.6, 0.7, 1.2, -0.2), "melancholy": (-0.3, 0.55, 0.95, -0.1),
        "tender": (0.5, 1.1, 0.9, 0.1), "triumphant": (0.6, 1.3, 1.15, 0.15), "playful": (0.3, 1.5, 1.05, 0.1),
        # A block without a marked mood still gets the film's house look, never "no grade".
        "neutral": (0.15, 0.85, 1.1, 0.0),
    }
    bleach = any("bleach" in n.lower() or "desaturat" in n.lower() for n in notes)
    grades = []
    for block in ctx["blocks"]:
        t, s, c, e = palette.get(block["mood"], palette["neutral"])
        if block["time_of_day"] == "night":
            t, e = t - 0.2, e - 0.1
        if bleach:
            s = 0.3
        grades.append(BlockGrade(block_id=block["id"], temperature=max(-1, t), saturation=s, contrast=c, exposure=e,
                                 reason=f"{block['mood']} at {block['time_of_day']}" + ("; bleached as the director asked" if bleach else "")))
    return SceneGrades(grades=grades)


COLORIST = RoleSpec(
    name="colorist",
    description="Assigns a colour grade to every scene block, applied by the clip renderer.",
    prompt=COLORIST_PROMPT,
    outputs={"grade_scenes": SceneGrades},
    offline_rules={"grade_scenes": grade_by_mood},
)


def grade_context(ctx: StageContext) -> dict[str, Any]:
    """What the colorist's prompt gets: the scene blocks of the locked script."""
    script = ctx.run.read_model("script.json", Script)
    return {"blocks": [b.model_dump(mode="json") for b in script.blocks]}


def check_grades(ctx: StageContext, output: SceneGrades) -> None:
    """Every block graded once; a wrong answer goes back to the model to correct."""
    wanted = {b.id for b in ctx.run.read_model("script.json", Script).blocks}
    given = [g.block_id for g in output.grades]
    if sorted(given) != sorted(wanted):
        raise RejectedOutput(f"grade each block once: {', '.join(sorted(wanted))}")


async def apply_grades(ctx: StageContext, output: SceneGrades, proposals: int) -> str:
    check_grades(ctx, output)
    looks = {g.block_id: g.model_dump(exclude={"block_id", "reason"}) for g in output.grades}
    ctx.run.write_json("looks.json", looks)
    ctx.run.write_model("grades.json", output)
    return ", ".join(f"{g.block_id}: {g.reason}" for g in output.grades)


GRADE_STAGE: StageSpec[SceneGrades] = StageSpec(
    name="grade",
    role="colorist",
    task="grade_scenes",
    inputs=("script.json",),
    outputs=("looks.json", "grades.json"),
    context=grade_context,
    apply=apply_grades,
    check=check_grades,
    after="camera",
)


async def main(out: str, size: tuple[int, int], duration: float) -> RunCompleted:
    config = load_config()
    config.clips.width, config.clips.height = size
    crew = Crew.default(config=config).add_role(COLORIST, stage=GRADE_STAGE)
    brief = Brief(text="A night-shift nurse named Ines finds a lost child in a quiet hospital corridor and walks him home at dawn.",
                  target_duration=duration)
    completed: RunCompleted | None = None
    async for event in crew.run_stream(brief, out):
        if isinstance(event, AgentTurn):
            print(f"{event.speaker:>15}: {event.summary[:110]}")
        elif isinstance(event, RunCompleted):
            completed = event
        elif isinstance(event, RunFailed):
            raise SystemExit(f"stage {event.stage} failed: {event.error}")
    assert completed is not None, "the run ended without finishing"
    print(completed.film)
    return completed


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="runs/colorist")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    asyncio.run(main(args.out, (w, h), args.duration))
