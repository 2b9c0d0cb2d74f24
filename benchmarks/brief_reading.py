"""Brief reading and the offline screenwriter over the brief suite: pass rate and time per brief.

    .venv/bin/python benchmarks/brief_reading.py

Prints the time to load the English pipeline, then for the whole suite (short,
long and non-English briefs) the share whose reading and whose script keep every
fact the suite expects, the CPU and wall seconds per brief for reading and for
writing the script, and the blocks per brief by length. The machine is shared,
so CPU seconds are the figure to compare; wall time is printed beside them.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _suite():
    spec = importlib.util.spec_from_file_location("brief_suite", ROOT / "tests" / "data" / "briefs" / "suite.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def main() -> int:
    from filmcrew.tools.reading.english import load_pipeline

    cpu0, wall0 = _clock()
    load_pipeline()
    cpu1, wall1 = _clock()
    print(f"spaCy en_core_web_sm load: {cpu1 - cpu0:.2f} CPU s, {wall1 - wall0:.2f} wall s")

    from filmcrew.agents.craft.screenwriter import story_script
    from filmcrew.memory.models import Brief
    from filmcrew.tools.reading import read_brief

    suite = _suite()
    briefs = suite.load_briefs()
    read_cpu, read_wall, write_cpu, write_wall = [], [], [], []
    reading_fail, script_fail = set(), set()
    blocks: dict[str, list[int]] = {"short (<=40 words)": [], "long (>40 words)": []}
    for brief in briefs:
        c0, w0 = _clock()
        reading = read_brief(brief["text"])
        c1, w1 = _clock()
        record = Brief(text=brief["text"]).model_dump(mode="json")
        script = story_script(record)
        c2, w2 = _clock()
        read_cpu.append(c1 - c0)
        read_wall.append(w1 - w0)
        write_cpu.append(c2 - c1)
        write_wall.append(w2 - w1)
        if suite.check_reading(brief, reading):
            reading_fail.add(brief["id"])
        if suite.check_script(brief, script):
            script_fail.add(brief["id"])
        blocks["short (<=40 words)" if reading.words <= 40 else "long (>40 words)"].append(len(script.blocks))
    n = len(briefs)
    print(f"briefs: {n} ({sum(b['language'] != 'en' for b in briefs)} not in English)")
    print(f"reading keeps every expected fact: {n - len(reading_fail)}/{n}")
    print(f"script keeps every expected fact:  {n - len(script_fail)}/{n}")
    print(f"read_brief per brief: median {statistics.median(read_cpu) * 1000:.0f} ms CPU "
          f"(max {max(read_cpu) * 1000:.0f}), median {statistics.median(read_wall) * 1000:.0f} ms wall")
    print(f"script per brief (reading included): median {statistics.median(write_cpu) * 1000:.0f} ms CPU "
          f"(max {max(write_cpu) * 1000:.0f}), median {statistics.median(write_wall) * 1000:.0f} ms wall")
    for label, counts in blocks.items():
        if counts:
            print(f"blocks, {label}: min {min(counts)}, median {statistics.median(counts):g}, max {max(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
