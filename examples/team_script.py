"""Build the default crew in code, run it, and watch its events.

    python examples/team_script.py --out runs/team-script

Runs offline with the craft model and the previz renderer; set providers in
filmcrew.yaml (see README) to use real models.
"""

from __future__ import annotations

import argparse
import asyncio

from filmcrew import Crew, load_config
from filmcrew.memory.models import Brief
from filmcrew.orchestration.events import AgentTurn, RunCompleted, StageCompleted


async def main(out: str, size: tuple[int, int], duration: float) -> RunCompleted:
    config = load_config()
    config.clips.width, config.clips.height = size
    crew = Crew.default(config=config)
    brief = Brief(
        text="Two rival street musicians named Lia and Omar compete for the same corner of a rainy market, "
        "until a power cut silences the city and they play together by candlelight.",
        audience="short-drama",
        target_duration=duration,
    )
    completed = None
    async for event in crew.run_stream(brief, out):
        if isinstance(event, AgentTurn):
            tools = f" [{', '.join(sorted(set(event.tool_calls)))}]" if event.tool_calls else ""
            print(f"{event.speaker:>15}{tools}: {event.summary[:110]}")
        elif isinstance(event, StageCompleted):
            print(f"{'':>15}  -> {event.stage} done")
        elif isinstance(event, RunCompleted):
            completed = event
    assert completed is not None, "the run did not finish"
    print(completed.film)
    print(completed.timeline)
    return completed


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="runs/team-script")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    asyncio.run(main(args.out, (w, h), args.duration))
