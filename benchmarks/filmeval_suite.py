"""FilmEval suite benchmark: make and score every suite film, print the time each took.

    .venv/bin/python benchmarks/filmeval_suite.py --out /tmp/suite [--ablate camera-rag] [--size 192x108] [--duration 10]

Films already made in OUT are reused (their recorded times are reprinted), so a
stopped run continues. Making a film is timed as wall and CPU seconds of the
`filmcrew make` child process (CPU includes its ffmpeg children); judging is
timed in this process. The machine is shared, so CPU seconds are the figure to
compare; wall time is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--ablate", action="append", default=[])
    ap.add_argument("--size")
    ap.add_argument("--duration", type=float)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()

    from filmcrew.filmeval.evaluate import make_judge, run_suite

    t0, c0 = time.perf_counter(), _cpu()
    report = run_suite(args.out, ablations=args.ablate, judge=make_judge("offline"), size=args.size,
                       duration=args.duration, limit=args.limit, jobs=args.jobs)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    timings = report["timings"]
    print("| film | made | wall s | CPU s |\n|---|---|---|---|")
    for name, t in timings.items():
        w = f"{t['wall_s']:.1f}" if t["wall_s"] is not None else "—"
        c = f"{t['cpu_s']:.1f}" if t["cpu_s"] is not None else "—"
        print(f"| {name} | {'yes' if t['ok'] else 'no: ' + t['note']} | {w} | {c} |")
    made = [t for t in timings.values() if t["ok"] and t["wall_s"] is not None]
    if made:
        print(f"\nper film: {sum(t['wall_s'] for t in made) / len(made):.1f} s wall, "
              f"{sum(t['cpu_s'] for t in made) / len(made):.1f} s CPU (mean of {len(made)} films made in this or an earlier run)")
    print(f"this run: {wall:.1f} s wall, {cpu:.1f} s CPU including judging")
    print()
    print(report["table"])
    Path(args.out, "benchmark.json").write_text(json.dumps({"wall_s": wall, "cpu_s": cpu, "timings": timings}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
