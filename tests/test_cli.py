"""The command line: bad input fails fast with exit 2 and leaves nothing behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from filmcrew.cli import main


def test_empty_brief_exits_2_and_writes_nothing(tmp_path: Path, capsys):
    out = tmp_path / "run"
    assert main(["make", "   ", "--out", str(out)]) == 2
    assert "brief is empty" in capsys.readouterr().err
    assert not out.exists()


def test_missing_reference_image_is_named(tmp_path: Path, capsys):
    out = tmp_path / "run"
    assert main(["make", "A storm at sea.", "--out", str(out), "--ref", f"Elias={tmp_path / 'nope.png'}"]) == 2
    err = capsys.readouterr().err
    assert "nope.png" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_reference_that_is_not_an_image(tmp_path: Path, capsys):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    assert main(["make", "A storm at sea.", "--out", str(tmp_path / "run"), "--ref", f"location:sea={bad}"]) == 2
    assert "notes.png" in capsys.readouterr().err


def test_unknown_audience(tmp_path: Path, capsys):
    assert main(["make", "A storm at sea.", "--out", str(tmp_path / "run"), "--audience", "martians"]) == 2
    assert "short-drama" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_unwritable_out_dir(tmp_path: Path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["make", "A storm at sea.", "--out", str(blocker / "run")]) == 2
    assert "--out" in capsys.readouterr().err


def test_brief_file_json(tmp_path: Path, sample_image: Path):
    from filmcrew.cli import build_parser, parse_brief

    brief_file = tmp_path / "brief.json"
    brief_file.write_text('{"text": "Elias keeps the light.", "target_duration": 12}')
    args = build_parser().parse_args(["make", str(brief_file), "--out", "x", "--ref", f"Elias={sample_image}", "--audience", "family"])
    brief = parse_brief(args)
    assert brief.target_duration == 12 and brief.audience == "family"
    assert brief.references[0].kind == "character" and Path(brief.references[0].path).is_absolute()


def test_resume_of_a_folder_that_is_no_run(tmp_path: Path, capsys):
    assert main(["resume", str(tmp_path)]) == 2
    assert "not a filmcrew run directory" in capsys.readouterr().err


def test_doctor_lists_every_seam():
    result = subprocess.run([sys.executable, "-m", "filmcrew.cli", "doctor"], capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    for word in ("chat: screenwriter", "craft", "previz", "veo", "sora", "kling", "espeak", "elevenlabs", "embeddings", "ffmpeg", "role plugin"):
        assert word in result.stdout


def test_step_on_a_pipe_takes_a_note_and_q_stops_and_saves(tmp_path: Path):
    run = tmp_path / "run"
    # turns 1-4 (the screenwriter's synopsis, storyboard, shots, scene blocks) -> note -> turn 5
    # (camera proposal with the note) -> enter -> turn 6 -> q
    result = subprocess.run([sys.executable, "-m", "filmcrew.cli", "make", "A cat steals a fish at the night market.", "--out", str(run),
                             "--step", "--size", "320x180", "--duration", "8"],
                            input="\n\n\nmake it rain\n\nq\n", capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "filmcrew resume" in result.stderr
    assert "[script]" in result.stderr  # agent text is shown as written, not read as console markup
    transcript = (run / "transcript.jsonl").read_text()
    assert '"speaker": "director"' in transcript and "make it rain" in transcript
    assert (run / "crew_state.json").exists()
    assert not (run / "film.mp4").exists()
    plan = (run / "drafts" / "camera.round1.json").read_text()
    assert "rain" in plan


def test_a_configured_provider_without_its_key_fails_before_anything_runs(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("FILMCREW_CLIP_PROVIDER", "kling")
    out = tmp_path / "run"
    assert main(["make", "A storm at sea.", "--out", str(out)]) == 2
    assert "KLING_ACCESS_KEY" in capsys.readouterr().err
    assert not out.exists()


def test_custom_audience_file(tmp_path: Path, capsys):
    from filmcrew.memory.audiences import load_audience_file

    good = tmp_path / "festival.yaml"
    good.write_text(
        "name: night-festival\ndescription: midnight-screening crowd\nage_range: '18-35'\npreferences: [shocks]\n"
        "attention_span_s: 12\npreferred_shot_length_s: 2.2\npacing: fast\ntone: wild\nexpectations: [a cold open]\n")
    assert load_audience_file(good).preferred_shot_length_s == 2.2
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\npacing: glacial\n")
    assert main(["make", "A storm at sea.", "--out", str(tmp_path / "run"), "--audience-file", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_a_10000_word_brief_file_is_accepted_and_relative_refs_resolve_beside_it(tmp_path: Path, sample_image: Path):
    from filmcrew.cli import build_parser, parse_brief

    story = " ".join(["The keeper climbs the stairs of the lighthouse while the storm breaks over the rocks."] * 700)
    assert len(story.split()) >= 10_000
    folder = tmp_path / "briefs"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "elias.png").write_bytes(sample_image.read_bytes())
    brief_file = folder / "long.json"
    brief_file.write_text(json.dumps({"text": story, "references": [{"name": "Elias", "kind": "character", "path": "img/elias.png"}]}))
    args = build_parser().parse_args(["make", str(brief_file), "--out", "x"])
    brief = parse_brief(args)
    assert len(brief.text.split()) >= 10_000
    assert brief.references[0].path == str(folder / "img" / "elias.png")


def test_plugins_are_announced_and_no_plugins_is_accepted(capsys):
    from types import SimpleNamespace

    from filmcrew.agents.builtin import BUILTIN_ROLES
    from filmcrew.cli import _announce_plugins, build_parser

    crew = SimpleNamespace(roles={**{r.name: r for r in BUILTIN_ROLES}, "colorist": object()}, plugin_problems=["role plugin 'bad' skipped: boom"])
    _announce_plugins(crew, quiet=False)
    err = capsys.readouterr().err
    assert "colorist" in err and "--no-plugins" in err and "'bad' skipped" in err
    assert build_parser().parse_args(["make", "x", "--out", "y", "--no-plugins"]).no_plugins
    assert build_parser().parse_args(["resume", "y", "--no-plugins"]).no_plugins


def test_a_long_sentence_with_a_slash_is_the_brief_not_a_file_name():
    from filmcrew.cli import build_parser, parse_brief

    text = "A cat and/or a dog " + "walk along the harbour wall at dusk while the fishermen sing " * 6
    assert parse_brief(build_parser().parse_args(["make", text, "--out", "x"])).text == text.strip()


def test_doctor_never_prints_url_credentials(monkeypatch, capsys):
    monkeypatch.setenv("FILMCREW_CHAT_PROVIDER", "openai")
    monkeypatch.setenv("FILMCREW_CHAT_BASE_URL", "http://bob:s3cretpw@127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-doctor-abcdefghijklmnop")
    assert main(["doctor"]) == 0
    out = capsys.readouterr()
    assert "***@" in out.out
    assert "s3cretpw" not in out.out + out.err and "sk-doctor-abcdefghijklmnop" not in out.out + out.err
