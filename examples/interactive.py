"""Step through a production turn by turn, as the director.

After each agent turn, press Enter for the next turn, type a note for the crew
(e.g. "more close-ups", "make it night", "a faster pace"), or q to stop and
save. At end of input the run carries on to the end. Works on a pipe too:

    printf '\\n\\nmore close-ups please\\n' | python examples/interactive.py --out runs/interactive
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from filmcrew import Crew, load_config
from filmcrew.memory.models import Brief


async def main(out: str, size: tuple[int, int], duration: float) -> int:
    config = load_config()
    config.clips.width, config.clips.height = size
    crew = Crew.default(config=config)
    await crew.start(Brief(text="An old clockmaker named Aurel repairs the town's tower clock on the night before the festival.",
                           target_duration=duration), out)
    note = None
    pausing = True
    while not crew.done:
        for event in await crew.step(note):
            if event.type == "director_note":
                print(f"   director: {event.text}")
            elif event.type == "agent_turn":
                tools = f" (tools: {', '.join(sorted(set(event.tool_calls)))})" if event.tool_calls else ""
                print(f"{event.speaker}{tools}: {event.summary[:140]}")
            elif event.type == "run_failed":
                print(f"failed: {event.error}")
                return 1
        note = None
        if pausing and not crew.done:
            print("[enter] next · note for the crew · q to stop", flush=True)
            line = sys.stdin.readline()
            if line == "":
                pausing = False
            elif line.strip().lower() == "q":
                await crew.save_state()
                print(f"saved; resume with: filmcrew resume {out}")
                return 0
            elif line.strip():
                note = line.strip()
    print(crew.run_dir.path("film.mp4"))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="runs/interactive")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    sys.exit(asyncio.run(main(args.out, (w, h), args.duration)))
