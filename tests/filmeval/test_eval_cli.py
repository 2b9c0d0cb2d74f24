"""`filmcrew eval` as a user runs it: reports written, bad input refused in one line with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmcrew.cli import main
from filmcrew.filmeval import CODES

from filmeval.conftest import make_synthetic_run


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_writes_json_markdown_and_html_with_human_correlation(synthetic_run: Path, tmp_path: Path, capsys):
    second = make_synthetic_run(synthetic_run.parent, "other", brief="A dog named Rex waits at a station in the rain.")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text("film,criterion,score\n" + "".join(
        f"{film},{code},{1 + (i + j) % 5}\n" for j, film in enumerate(("tiny", "other")) for i, code in enumerate(CODES)))
    out = tmp_path / "report"
    code, stdout, err = _run(capsys, "eval", str(synthetic_run), str(second), "--judge", "offline", "--out", str(out),
                             "--human", str(ratings))
    assert code == 0, err
    assert stdout.strip() == str(out / "report.json")
    report = json.loads((out / "report.json").read_text())
    assert report["judge"] == "offline"
    films = {f["run"]: f for f in report["films"]}
    assert set(films) == {"tiny", "other"}
    assert set(films["tiny"]["criteria"]) == set(CODES)
    for key in ("CL", "CRh", "avg", "why"):
        assert key in films["tiny"]
    # The planned voice line is not heard (the track holds clicks, no speech), so faithfulness is not guessed.
    assert films["tiny"]["criteria"]["SF"] is None and "use a model judge" in films["tiny"]["missing"]["SF"]
    assert films["tiny"]["criteria"]["VQ"] is not None and films["tiny"]["CL"] is None
    assert set(report["correlation"]) >= {"pearson", "spearman", "kendall", "per_criterion"}
    md = (out / "report.md").read_text()
    assert "| film | SF | NC | VQ | CC | PLC | V/AQ | CT | AVR | NP | VAC | CD | OQ | CL | CRh | avg |" in md
    assert "another system, another judge" in md
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 4  # two radars, the bars, the paper's row beside ours


def test_a_criterion_without_evidence_is_missing_with_its_reason(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("FILMCREW_CACHE_DIR", str(tmp_path / "cache"))
    run = make_synthetic_run(tmp_path, "bare")
    (run / "brief.json").unlink()  # a film from elsewhere: no brief, no intent
    (run / "sound_design.json").unlink()
    code, _, err = _run(capsys, "eval", str(run), "--out", str(tmp_path / "r"))
    assert code == 0, err
    film = json.loads((tmp_path / "r" / "report.json").read_text())["films"][0]
    assert film["criteria"]["SF"] is None and "no brief" in film["missing"]["SF"]
    assert film["CL"] is None and film["avg"] is None
    assert film["criteria"]["VQ"] is not None


@pytest.mark.parametrize("case", ["no_film", "corrupt", "unknown_film", "unknown_criterion", "non_numeric", "not_a_dir"])
def test_bad_input_exits_2_in_one_line_and_writes_nothing(synthetic_run: Path, tmp_path: Path, capsys, case: str):
    out = tmp_path / "report"
    ratings = tmp_path / "ratings.csv"
    args = [str(synthetic_run)]
    if case == "no_film":
        (synthetic_run / "film.mp4").unlink()
    elif case == "corrupt":
        (synthetic_run / "film.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"garbage" * 100)
    elif case == "not_a_dir":
        args = [str(tmp_path / "nowhere")]
    else:
        row = {"unknown_film": "nope,SF,3", "unknown_criterion": "tiny,XYZ,3", "non_numeric": "tiny,SF,high"}[case]
        ratings.write_text(f"film,criterion,score\n{row}\n")
        args += ["--human", str(ratings)]
    code, stdout, err = _run(capsys, "eval", *args, "--out", str(out))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("filmcrew: ")
    assert not out.exists()


def test_suite_refuses_an_unknown_ablation_before_making_anything(tmp_path: Path, capsys):
    code, _, err = _run(capsys, "eval", "suite", "--out", str(tmp_path / "s"), "--ablate", "lighting")
    assert code == 2 and "camera-rag" in err
    assert not (tmp_path / "s" / "films").exists()


def test_packaged_suite_has_ten_short_and_ten_long_briefs_unlike_the_tests():
    from filmcrew.filmeval.suite import load_suite

    from filmeval.conftest import FILM_BRIEF

    briefs = load_suite()
    assert [b.kind for b in briefs].count("short") == 10 and [b.kind for b in briefs].count("long") == 10
    assert all(FILM_BRIEF[:30] not in b.text and "lighthouse keeper" not in b.text for b in briefs)
    assert all(len(b.text) > 200 for b in briefs if b.kind == "long")


def test_suite_reuses_finished_films_without_making_them_again(tmp_path: Path, monkeypatch):
    from filmcrew.filmeval import suite

    briefs_file = tmp_path / "briefs.yaml"
    briefs_file.write_text("briefs:\n  - {id: b1, kind: short, audience: general, duration: 5, text: A cat waits by a door at night.}\n")
    done = tmp_path / "out" / "films" / "full" / "b1"
    done.mkdir(parents=True)
    (done / "film.mp4").write_bytes(b"x")
    (done / "export.json").write_text("{}")

    def no_make(*a, **k):
        raise AssertionError("a finished film was made again")

    monkeypatch.setattr(suite.subprocess, "run", no_make)
    lines: list[str] = []
    films = suite.make_suite_films(tmp_path / "out", suite.load_suite(briefs_file), [], progress=lines.append)
    assert [(f.variant, f.brief.id, f.ok, f.note) for f in films] == [("full", "b1", True, "reused")]
    assert lines == ["1 films (1 variants x 1 briefs), 1 at a time", "[1/1 full] b1: already made, reused"]
