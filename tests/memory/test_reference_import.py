"""Importing a user's annotated clips: formats, label sets, bad rows, nothing lost, resume."""

import csv
import json

import pytest

from filmcrew.errors import InputError
from filmcrew.memory.embeddings import HashingEmbedder
from filmcrew.memory.film_references import FilmReferenceIndex, load_default_corpus
from filmcrew.memory.reference_import import import_file, parse_mapping

ROWS = [
    {"clip": "a1", "scene": "s1", "order": 1, "scale": "LS", "motion": "track", "label": "chase", "note": "runner crosses the bridge"},
    {"clip": "a2", "scene": "s1", "order": 2, "scale": "CS", "motion": "push", "label": "chase", "note": "face of the runner"},
    {"clip": "a3", "scene": "s2", "order": 1, "scale": "ECS", "motion": "static", "label": "discovery", "note": "a key in the sand"},
    {"clip": "a4", "scene": "s2", "order": 2, "scale": "XXL", "motion": "static", "label": "discovery", "note": "unknown scale label"},
    {"clip": "a5", "scene": "s3", "order": 1, "scale": "MS", "motion": "pull", "label": "farewell", "note": "she steps back from the train"},
]
MAP = ["id=clip", "sequence_id=scene", "position=order", "shot_size=scale", "movement=motion", "situation=label", "description=note"]


def _index(tmp_path):
    return FilmReferenceIndex.build(load_default_corpus()[:30], HashingEmbedder(), path=tmp_path / "index")


def test_jsonl_import_maps_label_sets_and_reports_bad_rows(tmp_path):
    index = _index(tmp_path)
    src = tmp_path / "clips.jsonl"
    src.write_text("\n".join([json.dumps(r) for r in ROWS[:3]] + ["{not json", json.dumps(ROWS[3]), json.dumps(ROWS[4])]) + "\n")
    report = import_file(index, src, parse_mapping(MAP), licence="CC-BY-4.0")
    assert report.added == 4 and report.complete
    assert [(b.line, b.reason.split(" ")[0]) for b in report.bad] == [(4, "not"), (5, "shot_size")]
    shot = index.get("clips-a1")
    assert (shot.shot_size, shot.movement, shot.situation, shot.sequence_id) == ("wide", "tracking", "chase", "clips-s1")
    assert index.get("clips-a2").movement == "dolly_in" and index.get("clips-a3").shot_size == "extreme_close_up"
    assert index.get("clips-a5").movement == "dolly_out"
    assert shot.licence == "CC-BY-4.0" and shot.source_kind == "import"
    assert len(index) == 34 and index.stats()["by_source"]["import:clips.jsonl"] == 4


def test_csv_import_keeps_what_was_indexed_and_survives_reopen(tmp_path):
    index = _index(tmp_path)
    src = tmp_path / "more.csv"
    with open(src, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    import_file(index, src, parse_mapping(MAP))
    again = import_file(index, src, parse_mapping(MAP))
    assert again.added == 0  # the same file twice adds nothing
    reopened = FilmReferenceIndex.open(tmp_path / "index", HashingEmbedder())
    assert len(reopened) == 34 and reopened.get(load_default_corpus()[0].id) is not None
    assert any(m.ref_id.startswith("more-") for m in reopened.search("runner crosses the bridge", k=5))


def test_parquet_import(tmp_path):
    import pyarrow as pa  # the dev extra installs it
    import pyarrow.parquet as pq

    index = _index(tmp_path)
    src = tmp_path / "set.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), src)
    report = import_file(index, src, parse_mapping(MAP))
    assert report.added == 4 and [b.line for b in report.bad] == [4]


def test_an_interrupted_import_resumes(tmp_path):
    index = _index(tmp_path)
    src = tmp_path / "big.jsonl"
    rows = [{**ROWS[0], "clip": f"c{i}", "order": i + 1} for i in range(25)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first = import_file(index, src, parse_mapping(MAP), batch=10, stop_after_batches=1)
    assert first.added == 10 and not first.complete
    # A new process: reopen from disk and run the same import again.
    reopened = FilmReferenceIndex.open(tmp_path / "index", HashingEmbedder())
    second = import_file(reopened, src, parse_mapping(MAP), batch=10)
    assert second.complete and second.added == 25 and second.resumed_after_line == 25
    assert len(reopened) == 30 + 25


def test_bad_mapping_is_an_input_error():
    with pytest.raises(InputError, match="not a reference field"):
        parse_mapping(["colour=col"])
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_mapping(["shot_size"])


def test_cli_index_import_and_stats(tmp_path, monkeypatch, capsys):
    from filmcrew.cli import main

    monkeypatch.setenv("FILMCREW_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "clips.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    assert main(["index", "import", str(src), *[a for m in MAP for a in ("--map", m)]]) == 0
    out = capsys.readouterr()
    assert "imported 4 references" in out.out and "line 4: skipped" in out.err
    assert main(["index", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["shots"] == len(load_default_corpus()) + 4 and stats["by_situation"]["chase"] >= 2
    assert main(["index", "import", str(src), "--map", "nonsense=x"]) == 2
    assert "not a reference field" in capsys.readouterr().err
