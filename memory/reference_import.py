"""Import a user's annotated clip dataset into the film-reference index.

`filmcrew index import FILE --map FIELD=COLUMN ...` reads JSONL, CSV or
Parquet. Each `--map` names which column holds one `ReferenceShot` field; a
column already named like a field needs no mapping. Rows become reference
shots with `source_kind="import"`; bad rows are reported with their line
number and skipped; ids already indexed are never replaced (nothing indexed is
lost); progress is checkpointed per batch, so an interrupted import run again
on the same file resumes after the last finished batch.

Label sets. Public shot-annotation datasets use short labels; these are read
as the renderer's vocabulary (case and punctuation ignored):

| label | shot_size | | label | movement |
|---|---|---|---|---|
| ECS, ECU, XCU, BCU | extreme_close_up | | static, still, fixed, locked | static |
| CS, CU | close_up | | pan | pan |
| MCS, MCU | medium_close_up | | tilt | tilt |
| MS, MED | medium | | push, push in, dolly in | dolly_in |
| MLS, MWS, MFS, AMERICAN | medium_wide | | pull, pull out, dolly out | dolly_out |
| FS, FULL | full | | track, tracking, follow, steadicam | tracking |
| LS, WS, LONG | wide | | truck, lateral | truck |
| ELS, EWS, EXLS, VLS | extreme_wide | | zoom in / zoom out | zoom_in / zoom_out |
| | | | handheld, shaky | handheld |
| | | | crane, jib, boom, drone, aerial | crane |
| | | | arc, orbit, circle | arc |

Angles: eye/eye level/neutral, high, low, overhead/bird's eye/top, dutch/canted/
tilted, over the shoulder/OTS, point of view/POV. A dataset without angles gets
eye level. Any of the renderer's own values is accepted as it is.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from filmcrew.errors import InputError
from filmcrew.memory.film_references import FilmReferenceIndex, ReferenceShot
from filmcrew.memory.models import ANGLES, MOVEMENTS, SHOT_SIZES
from filmcrew.memory.rundir import atomic_write_text, file_digest

__all__ = ["BadRow", "ImportReport", "parse_mapping", "import_file", "SHOT_SCALE_LABELS", "MOVEMENT_LABELS", "ANGLE_LABELS"]


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(label).lower()).strip()


SHOT_SCALE_LABELS: dict[str, str] = {
    **{_key(v): v for v in SHOT_SIZES},
    "ecs": "extreme_close_up", "ecu": "extreme_close_up", "xcu": "extreme_close_up", "bcu": "extreme_close_up",
    "extreme close up": "extreme_close_up", "extreme closeup": "extreme_close_up", "insert": "extreme_close_up",
    "cs": "close_up", "cu": "close_up", "close up": "close_up", "closeup": "close_up", "close shot": "close_up",
    "mcs": "medium_close_up", "mcu": "medium_close_up", "medium close up": "medium_close_up", "medium close shot": "medium_close_up",
    "ms": "medium", "med": "medium", "medium shot": "medium", "mid shot": "medium",
    "mls": "medium_wide", "mws": "medium_wide", "mfs": "medium_wide", "american": "medium_wide", "medium long shot": "medium_wide",
    "medium wide shot": "medium_wide", "cowboy": "medium_wide",
    "fs": "full", "full shot": "full",
    "ls": "wide", "ws": "wide", "long": "wide", "long shot": "wide", "wide shot": "wide",
    "els": "extreme_wide", "ews": "extreme_wide", "exls": "extreme_wide", "vls": "extreme_wide",
    "extreme long shot": "extreme_wide", "extreme wide shot": "extreme_wide", "establishing": "extreme_wide",
}

MOVEMENT_LABELS: dict[str, str] = {
    **{_key(v): v for v in MOVEMENTS},
    "static": "static", "still": "static", "fixed": "static", "locked": "static", "locked off": "static", "none": "static",
    "pan": "pan", "pan left": "pan", "pan right": "pan", "tilt": "tilt", "tilt up": "tilt", "tilt down": "tilt",
    "push": "dolly_in", "push in": "dolly_in", "dolly in": "dolly_in", "move in": "dolly_in",
    "pull": "dolly_out", "pull out": "dolly_out", "pull back": "dolly_out", "dolly out": "dolly_out",
    "track": "tracking", "tracking": "tracking", "follow": "tracking", "steadicam": "tracking", "dolly": "tracking",
    "truck": "truck", "lateral": "truck", "crab": "truck",
    "zoom in": "zoom_in", "zoom out": "zoom_out", "zoom": "zoom_in",
    "handheld": "handheld", "hand held": "handheld", "shaky": "handheld",
    "crane": "crane", "jib": "crane", "boom": "crane", "drone": "crane", "aerial": "crane", "pedestal": "pedestal",
    "arc": "arc", "orbit": "arc", "circle": "arc", "whip": "whip_pan", "whip pan": "whip_pan", "dolly zoom": "dolly_zoom", "vertigo": "dolly_zoom",
}

ANGLE_LABELS: dict[str, str] = {
    **{_key(v): v for v in ANGLES},
    "eye": "eye_level", "eye level": "eye_level", "neutral": "eye_level", "normal": "eye_level",
    "high": "high", "high angle": "high", "low": "low", "low angle": "low",
    "overhead": "overhead", "bird s eye": "overhead", "birds eye": "overhead", "bird eye": "overhead", "top": "overhead", "top down": "overhead",
    "dutch": "dutch", "canted": "dutch", "tilted": "dutch", "oblique": "dutch",
    "ots": "over_the_shoulder", "over the shoulder": "over_the_shoulder",
    "pov": "point_of_view", "point of view": "point_of_view", "subjective": "point_of_view",
}

_LABELS = {"shot_size": SHOT_SCALE_LABELS, "movement": MOVEMENT_LABELS, "angle": ANGLE_LABELS}
_FIXED = {"source_kind"}  # set by the importer, never taken from the file
IMPORTABLE = tuple(f for f in ReferenceShot.model_fields if f not in _FIXED)


class BadRow(BaseModel):
    line: int
    reason: str


class ImportReport(BaseModel):
    file: str
    rows: int = 0
    added: int = 0
    already_indexed: int = 0
    bad: list[BadRow] = Field(default_factory=list)
    resumed_after_line: int = 0
    complete: bool = False


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """`FIELD=COLUMN` pairs into {field: column}; an unknown field is an input error."""
    mapping: dict[str, str] = {}
    for item in items or []:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise InputError(f"--map {item!r}: write FIELD=COLUMN, e.g. --map shot_size=scale")
        if field not in IMPORTABLE:
            raise InputError(f"--map {item!r}: {field!r} is not a reference field; fields: {', '.join(IMPORTABLE)}")
        mapping[field] = column
    return mapping


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, row or None, reason when the row could not be read)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with open(path, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield line_no, None, f"not JSON ({exc.msg})"
                    continue
                yield (line_no, row, "") if isinstance(row, dict) else (line_no, None, "not a JSON object")
    elif suffix in (".csv", ".tsv"):
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
            for row in reader:
                if None in row:
                    yield reader.line_num, None, "more cells than header columns"
                    continue
                yield reader.line_num, row, ""
    elif suffix == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise InputError("reading Parquet needs pyarrow: pip install 'filmcrew[parquet]'") from exc
        line_no = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                line_no += 1
                yield line_no, row, ""
    else:
        raise InputError(f"{path}: unknown format {suffix!r}; use .jsonl, .csv, .tsv or .parquet")


def _safe(value: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.:-]+", "-", str(value)).strip("-") or "x"


def _shot(row: dict[str, Any], mapping: dict[str, str], defaults: dict[str, Any], line_no: int, prefix: str) -> ReferenceShot:
    record: dict[str, Any] = {}
    for field in IMPORTABLE:
        column = mapping.get(field, field)
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if field in _LABELS:
            label = _LABELS[field].get(_key(value))
            if label is None:
                raise ValueError(f"{field} {value!r} is not a known label")
            value = label
        elif isinstance(value, str):
            value = value.strip()
        record[field] = value
    # Imported ids are prefixed with the file's name: they never collide with the shipped corpus or another dataset.
    raw_id = _safe(record.pop("id", line_no))
    record["id"] = f"{prefix}-{raw_id}"
    record["sequence_id"] = f"{prefix}-{_safe(record.get('sequence_id', raw_id))}"
    record.setdefault("position", 1)
    for key, value in defaults.items():
        record.setdefault(key, value)
    record["source_kind"] = "import"
    return ReferenceShot.model_validate(record)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "row"
        return f"{where}: {err['msg']}"
    return str(exc)


def import_file(index: FilmReferenceIndex, path: Path, mapping: dict[str, str], licence: str = "",
                batch: int = 2000, progress: Callable[[ImportReport], None] | None = None,
                stop_after_batches: int | None = None) -> ImportReport:
    """Import one file into `index` (persisted when the index has a folder). See the module docstring.

    `stop_after_batches` stops early as an interruption would (used by the tests of resume).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    digest = file_digest(path)
    prefix = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.") or "import"
    defaults = {"licence": licence or f"as stated by the source of {path.name}", "provenance": f"import:{path.name}",
                "situation": "unlabelled scene"}
    checkpoint = (index.path / "imports" / f"{digest[:24]}.json") if index.path else None
    report = ImportReport(file=str(path))
    if checkpoint and checkpoint.exists():
        saved = ImportReport.model_validate_json(checkpoint.read_text(encoding="utf-8"))
        if saved.complete:
            return saved.model_copy(update={"added": 0, "already_indexed": saved.rows - len(saved.bad)})
        report = saved.model_copy(update={"resumed_after_line": saved.resumed_after_line})
    start_after = report.resumed_after_line

    pending: list[ReferenceShot] = []
    last_line = start_after
    batches = 0

    def flush() -> None:
        nonlocal pending
        added = index.add(pending)
        report.added += added
        report.already_indexed += len(pending) - added
        pending = []
        report.resumed_after_line = last_line
        index.save(corpus=str(index.manifest.get("corpus", "")))
        if checkpoint:
            atomic_write_text(checkpoint, report.model_dump_json(indent=1))
        if progress:
            progress(report)

    for line_no, row, problem in _rows(path):
        if line_no <= start_after:
            continue
        report.rows += 1
        last_line = line_no
        if row is None:
            report.bad.append(BadRow(line=line_no, reason=problem))
            continue
        try:
            pending.append(_shot(row, mapping, defaults, line_no, prefix))
        except (ValidationError, ValueError) as exc:
            report.bad.append(BadRow(line=line_no, reason=_reason(exc)))
            continue
        if len(pending) >= batch:
            flush()
            batches += 1
            if stop_after_batches is not None and batches >= stop_after_batches:
                return report
    flush()
    report.complete = True
    if checkpoint:
        atomic_write_text(checkpoint, report.model_dump_json(indent=1))
    return report

