"""Offline end-to-end films, checked the way a user would check them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pyloudnorm
import soundfile

from filmcrew.tools.media import count_frames, probe

BRIEF = ("A lighthouse keeper named Elias finds a message in a bottle during a storm at night. "
         "It is from his daughter Nora. At dawn he rows out to meet her boat.")


def _cli(*args: str, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "filmcrew.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy(), stdin=None if stdin is not None else subprocess.DEVNULL)


def _assert_film(run: Path) -> None:
    film = run / "film.mp4"
    info = probe(film)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    timeline = otio.adapters.read_from_file(str(run / "timeline.otio"))
    video = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video]
    audio = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
    assert len(video) >= 1 and len(audio) >= 3
    assert {"Voice", "Music", "Ambience"} <= {t.name for t in audio}
    assert any(t.name in ("SFX", "Foley") for t in audio)
    tl_seconds = timeline.tracks[0].duration().to_seconds()
    fps = 24
    assert abs(count_frames(film) / fps - tl_seconds) <= 1 / fps
    assert abs(info.duration - tl_seconds) <= 1 / fps + 0.03  # container rounding of the AAC tail
    # Clips and cues tie back to scene blocks and shots.
    clip = next(iter(video[0].find_clips()))
    assert clip.metadata["filmcrew"]["block_id"] and clip.metadata["filmcrew"]["shot_id"] == clip.name
    cue = next(iter(next(t for t in audio if t.name == "Voice").find_clips()))
    assert cue.metadata["filmcrew"]["shot_id"]
    # The voice stem is audible: measured loudness, not silence.
    data, rate = soundfile.read(run / "stems" / "voice.wav")
    loudness = pyloudnorm.Meter(rate).integrated_loudness(data)
    assert -20 < loudness < -12
    mix, mix_rate = soundfile.read(run / "mix.wav")
    assert np.abs(mix).max() > 0.05


def _image(path: Path, colour: tuple[int, int, int]) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), colour)
    ImageDraw.Draw(img).ellipse((150, 60, 250, 240), fill=(240, 200, 160))
    img.save(path)
    return path


def test_offline_film_end_to_end_with_step_mode_at_end_of_input(tmp_path: Path):
    run = tmp_path / "film"
    elias = _image(tmp_path / "elias.png", (30, 60, 120))
    lighthouse = _image(tmp_path / "lighthouse.jpg", (200, 40, 40))
    # --step with an empty stdin: end of input means carry on to the end without pausing.
    result = _cli("make", BRIEF, "--out", str(run), "--duration", "10", "--size", "320x180", "--audience", "short-drama", "--step",
                  "--ref", f"Elias={elias}", "--ref", f"location:lighthouse={lighthouse}", stdin="")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [str(run / "film.mp4"), str(run / "timeline.otio")]
    _assert_film(run)
    transcript = [json.loads(line) for line in (run / "transcript.jsonl").read_text().splitlines()]
    speakers = {r["speaker"] for r in transcript if r["type"] == "TextMessage"}
    assert {"screenwriter", "cinematographer", "audience", "editor", "sound_designer"} <= speakers
    for name in ("script.json", "shot_plan.json", "rough_cut.otio", "review.json", "analysis.json", "fine_cut.otio",
                 "sound_design.json", "mix_report.json", "timeline.xml", "timeline.edl"):
        assert (run / name).exists(), name
    # Every shot of a block uses the block's references: Elias from his image, the lighthouse as the plate.
    clips = json.loads((run / "clips.json").read_text())["clips"]
    with_elias = [c for c in clips if any(ch["name"] == "Elias" for ch in c["metadata"]["characters"])]
    assert with_elias and all(ch["source"] != "procedural" for c in with_elias for ch in c["metadata"]["characters"] if ch["name"] == "Elias")
    # The blocks set at the lighthouse use its image as the plate (the dawn row out to sea is elsewhere).
    blocks = json.loads((run / "script.json").read_text())["blocks"]
    at_lighthouse = {b["id"] for b in blocks if "lighthouse" in b["location"].lower()}
    assert at_lighthouse
    assert all(c["metadata"]["plate"] == {"source": "reference", "reference": "lighthouse"} for c in clips if c["block_id"] in at_lighthouse)
    design = json.loads((run / "sound_design.json").read_text())
    assert {c["scale"] for c in design["cues"]} == {"scene", "shot", "intra_shot"}


def _recorded(run: Path, stage: str) -> bool:
    try:
        return stage in json.loads((run / "manifest.json").read_text()).get("stages", {})
    except (OSError, ValueError):
        return False


def test_killed_run_resumes_with_the_same_shot_plan(tmp_path: Path):
    run = tmp_path / "film"
    proc = subprocess.Popen([sys.executable, "-m", "filmcrew.cli", "make", BRIEF, "--out", str(run), "--duration", "8", "--size", "320x180"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.time() + 300
    # Kill once the camera stage is recorded as done: its files are written a moment before
    # the manifest records them, and a kill in between rightly recomputes the stage.
    while not _recorded(run, "camera") and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    plan_before = (run / "shot_plan.json").read_bytes()
    assert not (run / "film.mp4").exists()
    result = _cli("resume", str(run))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (run / "shot_plan.json").read_bytes() == plan_before
    assert "camera: outputs are up to date" in result.stderr
    _assert_film(run)
