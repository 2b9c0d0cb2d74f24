"""Perception speed: measure a synthetic 1280x720, 24 fps, 30 s film with sound.

    .venv/bin/python benchmarks/perception_speed.py [--size 1280x720] [--seconds 30]

Prints CPU seconds (this process and ffmpeg children) and wall seconds per
second of film, uncached, ending with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()

    from filmcrew.tools.media import run_ffmpeg
    from filmcrew.tools.perception import perceive

    with tempfile.TemporaryDirectory() as tmp:
        film = Path(tmp) / "film.mp4"
        run_ffmpeg(["-f", "lavfi", "-i", f"testsrc2=size={args.size}:rate=24:duration={args.seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=330:beep_factor=4:duration={args.seconds}",
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(film)])
        c0, t0 = _cpu(), time.perf_counter()
        p = perceive(film, cache=False)
        cpu, wall = _cpu() - c0, time.perf_counter() - t0
    result = {"size": args.size, "film_s": args.seconds, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
              "cpu_per_film_s": round(cpu / args.seconds, 3), "shots": len(p.shots), "events": len(p.events)}
    print(f"{args.size}, {args.seconds:.0f} s film: {cpu:.1f} s CPU ({cpu / args.seconds:.2f} per film second), {wall:.1f} s wall")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
