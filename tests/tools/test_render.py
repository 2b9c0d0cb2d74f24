"""Rendering the picture track and muxing the mix: frame-exact, trims and speed honoured."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest

from filmcrew.memory.models import (
    ClipAsset,
    DetailedStoryboard,
    SceneBlock,
    Script,
    Shot,
    ShotPlan,
    SimplifiedStoryboard,
    Synopsis,
)
from filmcrew.tools import timeline as T
from filmcrew.tools.media import count_frames, ffmpeg_exe, probe, run_ffmpeg
from filmcrew.tools.render import mux, render_picture, timeline_duration

FPS = 24
W, H = 64, 36


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("media")
    # Two-colour clips: 1 s of one colour then 1 s of another, so a frame's
    # colour says which second of the source it came from.
    for name, a, b in [("S1", "red", "blue"), ("S2", "red", "blue"), ("S3", "green", "green")]:
        run_ffmpeg([
            "-f", "lavfi", "-i", f"color=c={a}:s=160x90:r={FPS}:d=1",
            "-f", "lavfi", "-i", f"color=c={b}:s=160x90:r={FPS}:d=1",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", str(root / f"{name}.mp4"),
        ])
    return root


def _cut(media: Path) -> otio.schema.Timeline:
    shots = [
        Shot(id=s, block_id="B1", shot_size="wide", movement="static", angle="eye_level", action="a", duration=2.0)
        for s in ("S1", "S2", "S3")
    ]
    clips = [
        ClipAsset(shot_id=s, block_id="B1", path=str(media / f"{s}.mp4"), duration=2.0, frames=48, fps=FPS,
                  width=160, height=90, provider="test", input_hash="x")
        for s in ("S1", "S2", "S3")
    ]
    script = Script(
        synopsis=Synopsis(title="t", logline="l", settings=[], characters=[], plot="p"),
        simplified=SimplifiedStoryboard(background="b", causal_chain=[], developments=[], twist="t", outcome="o"),
        detailed=DetailedStoryboard(shots=[]),
        blocks=[SceneBlock(id="B1", prompt="p", time_of_day="day", location="x", characters=[], visual_elements=[],
                           narrative_objective="n", rough_sound="r")],
    )
    return T.build_rough_cut(clips, ShotPlan(shots=shots), script, fps=FPS)


def _frame_colours(path: Path) -> list[str]:
    """Dominant channel of each decoded frame: 'r', 'g' or 'b'."""
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)
    # The centre avoids the black padding bars.
    means = frames[:, H // 4: 3 * H // 4, W // 4: 3 * W // 4].reshape(len(frames), -1, 3).mean(axis=1)
    return ["rgb"[int(np.argmax(m))] for m in means]


def test_render_honours_trims_and_speed_frame_exactly(media, tmp_path):
    tl = _cut(media)
    T.trim(tl, "S1", 1.0, 0.0, "start on the blue")  # 24 frames, all blue
    T.accelerate(tl, "S2", 2.0, "pace")  # 24 frames: 12 red then 12 blue
    T.trim(tl, "S3", 0.0, 1.5, "short")  # 12 frames green
    assert timeline_duration(tl) == pytest.approx(60 / FPS)
    seen = []
    out = render_picture(tl, tmp_path / "picture.mp4", width=W, height=H, fps=FPS,
                         progress=lambda done, total: seen.append((done, total)))
    assert count_frames(out) == 60
    assert seen[-1] == (60, 60) and len(seen) == 3
    info = probe(out)
    assert info.video_codec == "h264" and (info.width, info.height) == (W, H)
    colours = _frame_colours(out)
    assert colours[:24] == ["b"] * 24, "the trimmed head must be skipped"
    assert colours[24:36] == ["r"] * 12 and colours[36:48] == ["b"] * 12, "2x must show both halves in 1 s"
    assert colours[48:] == ["g"] * 12
    assert not list(tmp_path.glob(".*tmp*"))


def test_render_fills_gaps_with_black(media, tmp_path):
    tl = _cut(media)
    track = T.picture_track(tl)
    track.insert(1, otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(6, FPS))))
    T.remove(tl, "S3", "short film")
    out = render_picture(tl, tmp_path / "gap.mp4", width=W, height=H, fps=FPS)
    assert count_frames(out) == 48 + 6 + 48
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(out), "-vf", "select=eq(n\\,50)", "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True,
    ).stdout
    assert np.frombuffer(raw, np.uint8).mean() < 20


@pytest.mark.parametrize("audio_seconds", [1.0, 3.5])
def test_mux_pads_or_cuts_audio_to_the_picture(media, tmp_path, audio_seconds):
    tl = _cut(media)
    T.remove(tl, "S3", "r")
    T.trim(tl, "S2", 0.0, 0.5, "r")  # 48 + 36 frames = 3.5 s
    picture = render_picture(tl, tmp_path / "p.mp4", width=W, height=H, fps=FPS)
    audio = tmp_path / "mix.wav"
    run_ffmpeg(["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={audio_seconds}", str(audio)])
    out = mux(picture, audio, tmp_path / "film.mp4")
    info = probe(out)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert info.sample_rate == 48000 and info.channels == "stereo"
    assert count_frames(out) == 84
    assert abs(info.duration - 3.5) <= 1 / FPS
