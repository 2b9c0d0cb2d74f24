"""The exported timeline is a hand-off an editor can open: it sounds like the film and travels with its media.

No NLE renderer can be installed by `make test` (GStreamer Editing Services
needs root packages), so the timeline is played here independently of our
renderer and mixer: every enabled audio track's clips are read from the files
the timeline names, placed where the timeline puts them and summed; the sum
must match the mix within 1 LU, and the picture must last as long as film.mp4.
"""

from __future__ import annotations

import subprocess
import wave
import zipfile
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest

from filmcrew.memory.models import ClipAsset, DetailedStoryboard, SceneBlock, Script, Shot, ShotPlan, SimplifiedStoryboard, SoundCue, SoundDesign, Synopsis
from filmcrew.tools.export import BUNDLE, export_film
from filmcrew.tools.media import ffmpeg_exe, probe
from filmcrew.tools.perception import decode_audio
from filmcrew.tools.sound.loudness import integrated_loudness
from filmcrew.tools.sound.mixer import mix
from filmcrew.tools.timeline import MIX_TRACK, build_rough_cut, write_timeline

FPS, RATE = 24, 48000


def _wav(path: Path, x: np.ndarray) -> None:
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    library = tmp_path_factory.mktemp("library")  # sounds from outside the run, as a user's library would be
    (root / "clips").mkdir()
    shots, clips = [], []
    for i, seconds in enumerate((2.0, 3.0)):
        sid = f"b1-s{i + 1}"
        path = root / "clips" / f"{sid}.mp4"
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=s=160x90:r={FPS}:d={seconds}", "-pix_fmt", "yuv420p", str(path)], check=True)
        shots.append(Shot(id=sid, block_id="b1", shot_size="medium", movement="static", angle="eye_level", action="", duration=seconds))
        clips.append(ClipAsset(shot_id=sid, block_id="b1", path=str(path), duration=seconds, frames=int(seconds * FPS), fps=FPS,
                               width=160, height=90, provider="test", input_hash=""))
    block = SceneBlock(id="b1", prompt="", time_of_day="day", location="room", characters=[], visual_elements=[],
                       narrative_objective="", rough_sound="")
    script = Script(synopsis=Synopsis(title="t", logline="", settings=[], characters=[], plot=""),
                    simplified=SimplifiedStoryboard(background="", causal_chain=[], developments=[], twist="", outcome=""),
                    detailed=DetailedStoryboard(shots=[]), blocks=[block])
    write_timeline(build_rough_cut(clips, ShotPlan(shots=shots), script, fps=FPS, root=root), root / "fine_cut.otio")
    t = np.arange(int(5 * RATE)) / RATE
    rng = np.random.default_rng(7)
    _wav(library / "voice.wav", 0.3 * np.sin(2 * np.pi * 220 * t[: 2 * RATE]) * (1 + np.sin(2 * np.pi * 4 * t[: 2 * RATE])) / 2)
    _wav(library / "music.wav", 0.2 * np.sin(2 * np.pi * 330 * t))
    _wav(library / "hit.wav", rng.normal(0, 0.3, RATE // 2) * np.exp(-np.arange(RATE // 2) / 3000))
    design = SoundDesign(duration=5.0, cues=[
        SoundCue(id="v1", layer="voice", scale="shot", start=0.5, duration=2.0, asset=str(library / "voice.wav")),
        SoundCue(id="m1", layer="music", scale="scene", start=0.0, duration=5.0, asset=str(library / "music.wav"), gain_db=-3),
        SoundCue(id="x1", layer="sfx", scale="intra_shot", start=2.5, duration=0.5, asset=str(library / "hit.wav"), gain_db=-6),
        SoundCue(id="x2", layer="sfx", scale="intra_shot", start=2.75, duration=0.5, asset=str(library / "hit.wav")),
    ])
    mix(design, root, sample_rate=RATE)
    export_film(root, root / "fine_cut.otio", design, root / "mix.wav", width=160, height=90, fps=FPS)
    return root


def _play(timeline: otio.schema.Timeline, root: Path, *, include_disabled: bool = False) -> np.ndarray:
    """Sum the timeline's audio tracks from the files it names, where it places them."""
    total = int(round(timeline.duration().to_seconds() * RATE)) + RATE
    out = np.zeros((total, 2), dtype=np.float64)
    for track in timeline.audio_tracks():
        if not (track.enabled or include_disabled):
            continue
        for clip in track.find_clips():
            audio, _ = decode_audio(root / clip.media_reference.target_url, rate=RATE)
            src = clip.source_range
            a = int(round(src.start_time.to_seconds() * RATE))
            piece = audio[a: a + int(round(src.duration.to_seconds() * RATE))]
            at = int(round(clip.range_in_parent().start_time.to_seconds() * RATE))
            out[at: at + len(piece)] += piece
    return out


def test_enabled_audio_tracks_sum_to_the_mix_within_one_lu(exported: Path):
    timeline = otio.adapters.read_from_file(str(exported / "timeline.otio"))
    master, _ = decode_audio(exported / "mix.wav", rate=RATE)
    want = integrated_loudness(master, RATE)
    played = integrated_loudness(_play(timeline, exported), RATE)
    assert want is not None and played is not None
    assert abs(played - want) <= 1.0
    # The Mix track is there for reference but off: played too, it would double every sound.
    mix_track = next(t for t in timeline.audio_tracks() if t.name == MIX_TRACK)
    assert mix_track.enabled is False
    doubled = integrated_loudness(_play(timeline, exported, include_disabled=True), RATE)
    assert doubled is not None and doubled - want > 4.0
    # Overlapping effects share one levelled clip instead of playing twice.
    sfx = [c.name for t in timeline.audio_tracks() if t.name.startswith("SFX") for c in t.find_clips()]
    assert sfx == ["x1 + x2"]


def test_picture_lasts_as_long_as_the_film(exported: Path):
    timeline = otio.adapters.read_from_file(str(exported / "timeline.otio"))
    picture = timeline.video_tracks()[0].duration().to_seconds()
    assert picture == pytest.approx(probe(exported / "film.mp4").duration, abs=1.5 / FPS)


def test_every_media_file_is_inside_the_run_and_relative(exported: Path):
    timeline = otio.adapters.read_from_file(str(exported / "timeline.otio"))
    urls = [c.media_reference.target_url for c in timeline.find_clips()]
    assert urls and all("://" not in u and not u.startswith("/") for u in urls)
    assert all((exported / u).is_file() for u in urls)
    assert not any("library" in u for u in urls)
    with zipfile.ZipFile(exported / BUNDLE) as bundle:
        names = bundle.namelist()
    assert "content.otio" in names
    assert {f"media/{Path(u).name}" for u in urls} <= set(names)


def test_the_bundle_opens_with_its_media_and_the_mix_still_off(exported: Path, tmp_path: Path):
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    bundled = otio.adapters.read_from_file(str(exported / BUNDLE), extract_to_directory=str(unpacked))
    assert all((unpacked / c.media_reference.target_url).is_file() for c in bundled.find_clips())
    assert [t.enabled for t in bundled.audio_tracks() if t.name == MIX_TRACK] == [False]
