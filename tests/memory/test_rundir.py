from pathlib import Path

import pytest

from filmcrew.memory.models import Brief
from filmcrew.memory.rundir import RunDir, atomic_path, atomic_write_text


def test_atomic_path_leaves_old_file_when_writer_fails(tmp_path: Path):
    target = tmp_path / "script.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["script.json"]


def test_model_round_trip_and_stage_freshness(tmp_path: Path):
    run = RunDir(tmp_path).ensure()
    run.write_model("brief.json", Brief(text="A storm at sea."))
    assert run.read_model("brief.json", Brief).text == "A storm at sea."
    fp = run.fingerprint(["brief.json"], extra={"audience": "general"})
    run.write_json("script.json", {"ok": True})
    run.record_stage("script", fp, ["script.json"])
    assert run.stage_is_fresh("script", fp, ["script.json"])
    # A changed input makes the stage stale; so does a tampered output.
    run.write_model("brief.json", Brief(text="A storm at sea, at night."))
    assert not run.stage_is_fresh("script", run.fingerprint(["brief.json"], extra={"audience": "general"}), ["script.json"])
    run.write_json("script.json", {"ok": False})
    assert not run.stage_is_fresh("script", fp, ["script.json"])


def test_transcript_skips_a_line_cut_by_a_crash(tmp_path: Path):
    run = RunDir(tmp_path)
    run.append_transcript({"speaker": "screenwriter", "content": "hello"})
    with open(run.path("transcript.jsonl"), "a") as fh:
        fh.write('{"speaker": "cinemat')
    assert run.read_transcript() == [{"speaker": "screenwriter", "content": "hello"}]
