"""`filmcrew sounds import DIR --tags CSV`: a folder of the user's audio analysed, tagged and indexed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from filmcrew.cli import main
from filmcrew.memory.sound_library import SoundLibrary

SR = 44100


def _pluck(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return sum(np.sin(2 * np.pi * freq * k * t) / k for k in (1, 2, 3)) * np.exp(-t / 0.25)


def _music(bpm: float, seconds: float) -> np.ndarray:
    """A bass and chord pattern in A minor on every beat: a clear tempo and key."""
    out = np.zeros(int(seconds * SR))
    beat = 60.0 / bpm
    chords = [(220.0, 261.63, 329.63), (174.61, 220.0, 261.63), (196.0, 246.94, 293.66), (220.0, 261.63, 329.63)]
    for i in range(int(seconds / beat)):
        start = int(i * beat * SR)
        notes = chords[(i // 4) % 4]
        hit = sum(_pluck(f, beat) for f in notes) + (1.5 * _pluck(notes[0] / 2, beat) if i % 2 == 0 else 0)
        out[start : start + len(hit)] += hit[: len(out) - start]
    return 0.2 * out / np.max(np.abs(out))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "field recordings"
    (src / "harbour").mkdir(parents=True)
    rng = np.random.default_rng(3)
    sf.write(src / "harbour" / "rain_on_the_jetty.flac", 0.05 * rng.standard_normal((SR * 12, 2)), SR)
    sf.write(src / "groove_loop.wav", _music(120.0, 16.0), SR)
    t = np.arange(SR * 3) / SR
    sf.write(src / "brass_bell.ogg", 0.4 * np.sin(2 * np.pi * 880 * t) * np.exp(-t / 0.8), SR)
    (src / "corrupt.mp3").write_bytes(b"ID3\x03\x00 not an mp3 at all")
    (src / "notes.txt").write_text("recorded in May")
    (src / "tags.csv").write_text(
        "file,category,description,tags,mood,license,attribution\n"
        "groove_loop.wav,music,A relaxed groove in A minor,groove;loop;minor,relaxed,CC-BY-4.0,Ana Ruiz\n"
        "brass_bell.ogg,sfx,A small brass bell rung once,bell;ring;brass,,CC0-1.0,\n"
    )
    return src


def test_import_analyses_tags_indexes_and_reports_skips(folder: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("FILMCREW_SOUNDS_DIR", str(tmp_path / "library"))
    assert main(["sounds", "import", str(folder), "--tags", str(folder / "tags.csv"), "--license", "CC0-1.0"]) == 0
    out, err = capsys.readouterr()
    assert "skipped corrupt.mp3: cannot decode" in err and "imported 3 file(s)" in err
    assert "notes.txt" not in err and "tags.csv" not in err  # side files are not audio, and not errors

    library = SoundLibrary(tmp_path / "library")
    by_name = {Path(a.path).name: a for a in library.assets}
    assert set(by_name) == {"rain_on_the_jetty.flac", "groove_loop.wav", "brass_bell.ogg"}

    groove = by_name["groove_loop.wav"]
    assert groove.category == "music" and groove.tags == ["groove", "loop", "minor"] and groove.mood == "relaxed"
    assert groove.license == "CC-BY-4.0" and groove.attribution == "Ana Ruiz"
    assert groove.tempo is not None and abs(groove.tempo - 120.0) < 4, groove.tempo
    assert groove.key in ("A minor", "C major"), groove.key  # relative keys share their notes
    assert abs(groove.duration - 16.0) < 0.01 and groove.sample_rate == SR and groove.loudness_lufs is not None

    rain = by_name["rain_on_the_jetty.flac"]
    assert rain.category == "ambience" and "rain" in rain.tags and "jetty" in rain.tags
    assert rain.license == "CC0-1.0" and rain.channels == 2 and rain.tempo is None
    assert rain.features["tonality"] < 0.3 and rain.features["centroid_hz"] > 3000  # white noise: broadband, no pitch

    bell = by_name["brass_bell.ogg"]
    assert bell.category == "sfx" and bell.features["tonality"] > 0.9 and bell.features["decay_db"] > 20
    assert abs(bell.features["centroid_hz"] - 880) < 60

    assert "groove_loop.wav" not in out or "tempo" in out
    assert main(["sounds", "search", "rain falling on a jetty", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == rain.id and Path(hits[0]["path"]).is_file()


def test_import_of_a_missing_folder_exits_2_with_one_line(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("FILMCREW_SOUNDS_DIR", str(tmp_path / "library"))
    assert main(["sounds", "import", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a folder" in err[0]
    assert main(["sounds", "import", str(tmp_path), "--tags", str(tmp_path / "missing.csv")]) == 2
    assert "tags file" in capsys.readouterr().err
