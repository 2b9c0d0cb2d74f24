"""How fast the offline previz renderer turns shots into clips.

Renders a few shots with different camera movements at 1280x720, 24 fps
(the default: 3 shots x 4 s), and prints per-shot and total frames per second
and the ratio to real time (2.0 = a 4-second clip takes 2 seconds). Rendering
includes drawing the plates, encoding with libx264 and checking the frame
count, i.e. everything `PrevizRenderer.generate` does.

It also prints the CPU time spent (this process plus ffmpeg): on a shared
machine the wall-clock figure depends on what else runs, while CPU time over
the number of cores bounds what an idle machine would reach.

The last line printed is one JSON object with the keys width, height, fps,
frames, seconds and realtime_ratio (and cpu_seconds_per_video_second), for
scripts that track the figure.

    python benchmarks/render_speed.py [--width 1280 --height 720 --fps 24 --seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from filmcrew.memory.models import Shot
from filmcrew.tools.clips.previz import PrevizRenderer

# One shot per rendering path: a two-layer move (subject over a parallax
# background) in rain, a baked single-layer pan, and a handheld shot with fog;
# each with its block's story context (setting, props, creatures, effects), as
# the clip stage passes it.
SHOTS = [
    (dict(shot_size="medium", movement="dolly_in", angle="low", lens="50mm", lighting="night, neon, rain",
          action="Maya stops under the awning as the rain hammers down; a door slams behind her.", characters=["Maya"]),
     {"time_of_day": "night", "location": "a narrow alley behind the club", "elements": "neon signs, a stray cat"}),
    (dict(shot_size="wide", movement="pan", angle="eye_level", lens="24mm", lighting="golden hour",
          action="The street wakes up: Maya and Tom walk past the market stalls.", characters=["Maya", "Tom"]),
     {"time_of_day": "golden_hour", "location": "the night market", "elements": "a dog, a bicycle"}),
    (dict(shot_size="close_up", movement="handheld", angle="over_the_shoulder", lens="85mm", lighting="fog, soft",
          action="Tom turns to face Maya across the harbour, breathing hard.", characters=["Tom", "Maya"]),
     {"time_of_day": "dawn", "location": "the harbour", "elements": "fog, a lantern"}),
]


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def _run(width: int, height: int, fps: int, seconds: float, out_dir: Path) -> dict:
    renderer = PrevizRenderer()
    frames = 0
    elapsed = 0.0
    cpu_start = _cpu_seconds()
    for i, (spec, look) in enumerate(SHOTS):
        shot = Shot(id=f"bench{i + 1}", block_id=f"bench{i + 1}", duration=seconds, **spec)
        start = time.perf_counter()
        clip = await renderer.generate(shot, [], seconds, (width, height), out_dir / f"{shot.id}.mp4", fps=fps,
                                       look=look)
        took = time.perf_counter() - start
        frames += clip.frames
        elapsed += took
        print(f"{shot.id}: {shot.movement:<9} {clip.frames} frames in {took:.2f} s = "
              f"{clip.frames / took:.1f} fps, {clip.duration / took:.2f}x real time")
    video_seconds = frames / fps
    cpu = _cpu_seconds() - cpu_start
    cores = os.cpu_count() or 1
    print(f"cpu: {cpu:.2f} s for {video_seconds:g} s of video = {cpu / video_seconds:.2f} CPU-seconds per video-second; "
          f"with all {cores} cores free that bounds the speed at {video_seconds / (cpu / cores):.2f}x real time")
    return {
        "width": width,
        "height": height,
        "fps": fps,
        "frames": frames,
        "seconds": round(elapsed, 3),
        "realtime_ratio": round(video_seconds / elapsed, 3),
        "cpu_seconds_per_video_second": round(cpu / video_seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each shot")
    args = parser.parse_args(argv)
    print(f"previz render speed: {len(SHOTS)} shots x {args.seconds:g} s at {args.width}x{args.height}, "
          f"{args.fps} fps, {os.cpu_count()} CPU cores")
    with tempfile.TemporaryDirectory(prefix="previz-bench-") as tmp:
        result = asyncio.run(_run(args.width, args.height, args.fps, args.seconds, Path(tmp)))
    print(f"total: {result['frames']} frames in {result['seconds']:.2f} s = "
          f"{result['frames'] / result['seconds']:.1f} fps, {result['realtime_ratio']:.2f}x real time")
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
