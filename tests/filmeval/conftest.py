"""One real film per test session, made offline by the crew, for the judge to watch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FILM_BRIEF = ("A young clockmaker named Ines repairs a broken tower clock in a snowy village square. "
              "At midnight the bells ring again and the villagers gather below.")
OTHER_BRIEF = ("Three astronauts drift in a damaged space station above Mars. "
               "A pilot named Kwame repairs the solar panel and they fly home to Earth.")


@pytest.fixture(scope="session")
def real_film(tmp_path_factory) -> Path:
    """A film made offline by the crew; FILMCREW_TEST_FILM_RUN names a finished run to copy instead
    (to judge a film made once, e.g. on a loaded machine)."""
    run = tmp_path_factory.mktemp("filmeval") / "ines"
    given = os.environ.get("FILMCREW_TEST_FILM_RUN")
    if given:
        import shutil

        shutil.copytree(given, run, ignore=shutil.ignore_patterns("clips", "stems", "audio", "drafts", "*.wav"))
        return run
    proc = subprocess.run(
        [sys.executable, "-m", "filmcrew.cli", "-q", "make", FILM_BRIEF, "--out", str(run), "--duration", "10",
         "--size", "320x180"],
        capture_output=True, text=True, timeout=900, env=os.environ.copy(), stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return run


@pytest.fixture(scope="session")
def offline_scores():
    """Offline scores of run directories, computed once per directory."""
    from filmcrew.filmeval import OfflineJudge, load_film

    judge = OfflineJudge()
    seen: dict[Path, object] = {}

    def score(run: Path):
        if run not in seen:
            seen[run] = judge.judge(load_film(run))
        return seen[run]

    return score


def make_synthetic_run(root: Path, name: str = "tiny", brief: str = FILM_BRIEF) -> Path:
    """A run directory without the crew: a 3 s film with a cut and sound, a brief, one voice line."""
    import json

    from filmeval.media import clicks, texture, write_video

    run = root / name
    run.mkdir(parents=True)
    write_video(run / "film.mp4", [texture(1)] * 36 + [texture(2)] * 36, audio=clicks([0.4, 1.5, 2.2], 3.0))
    (run / "brief.json").write_text(json.dumps({"text": brief, "audience": "general"}))
    (run / "sound_design.json").write_text(json.dumps({"duration": 3.0, "cues": [
        {"id": "v1", "layer": "voice", "scale": "shot", "start": 0.2, "duration": 1.0, "asset": "x.wav",
         "text": "Ines climbs the tower."}]}))
    return run


@pytest.fixture
def synthetic_run(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("FILMCREW_CACHE_DIR", str(tmp_path / "cache"))
    return make_synthetic_run(tmp_path / "runs")
