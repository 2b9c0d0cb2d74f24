"""The production state on disk: one folder per film.

Each stage writes its outputs here; writes go to a temporary file in the same
folder and are renamed into place, so a crash leaves either the old file or
the new one, never half of one that a resume would trust. `manifest.json`
records, per stage, a fingerprint of the inputs that produced its outputs:
a stage whose inputs did not change is not recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, TypeVar

from pydantic import BaseModel

__all__ = ["RunDir", "atomic_write_bytes", "atomic_write_text", "atomic_path", "file_digest"]

M = TypeVar("M", bound=BaseModel)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place on success.

    For writers that need a filename (ffmpeg, soundfile, OTIO) rather than bytes.
    The temporary name keeps the target's suffix so such tools pick the format.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(Path(target)) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class RunDir:
    """Paths and typed reads/writes for one run directory."""

    MANIFEST = "manifest.json"
    TRANSCRIPT = "transcript.jsonl"

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    # -- paths -------------------------------------------------------------
    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def clips_dir(self) -> Path:
        return self.root / "clips"

    @property
    def stems_dir(self) -> Path:
        return self.root / "stems"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    def ensure(self) -> "RunDir":
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    # -- typed JSON ----------------------------------------------------------
    def write_model(self, name: str, model: BaseModel) -> Path:
        target = self.path(name)
        atomic_write_text(target, model.model_dump_json(indent=2))
        return target

    def read_model(self, name: str, cls: type[M]) -> M:
        return cls.model_validate_json(self.path(name).read_text(encoding="utf-8"))

    def write_json(self, name: str, data: Any) -> Path:
        target = self.path(name)
        atomic_write_text(target, json.dumps(data, indent=2, sort_keys=True))
        return target

    def read_json(self, name: str, default: Any = None) -> Any:
        p = self.path(name)
        if not p.exists():
            return default
        return json.loads(p.read_text(encoding="utf-8"))

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    # -- stage fingerprints --------------------------------------------------
    def fingerprint(self, names: Iterable[str], extra: Any = None) -> str:
        """A digest of the named files' contents (and `extra`), in order."""
        h = hashlib.sha256()
        for name in names:
            p = self.path(name)
            h.update(name.encode())
            h.update(file_digest(p).encode() if p.exists() else b"<missing>")
        if extra is not None:
            h.update(json.dumps(extra, sort_keys=True, default=str).encode())
        return h.hexdigest()

    def manifest(self) -> dict[str, Any]:
        return self.read_json(self.MANIFEST, default={"stages": {}}) or {"stages": {}}

    def record_stage(self, stage: str, input_fingerprint: str, outputs: Iterable[str]) -> None:
        manifest = self.manifest()
        manifest.setdefault("stages", {})[stage] = {
            "inputs": input_fingerprint,
            "outputs": {name: file_digest(self.path(name)) for name in outputs if self.path(name).exists()},
        }
        self.write_json(self.MANIFEST, manifest)

    def stage_is_fresh(self, stage: str, input_fingerprint: str, outputs: Iterable[str]) -> bool:
        """True when the stage ran on these exact inputs and its outputs are intact."""
        entry = self.manifest().get("stages", {}).get(stage)
        if not entry or entry.get("inputs") != input_fingerprint:
            return False
        recorded = entry.get("outputs", {})
        for name in outputs:
            p = self.path(name)
            if not p.exists() or recorded.get(name) != file_digest(p):
                return False
        return True

    # -- transcript ------------------------------------------------------------
    def append_transcript(self, record: dict[str, Any]) -> None:
        """Append one message as a JSON line; flushed so a crash keeps what was said."""
        self.ensure()
        line = json.dumps(record, default=str, ensure_ascii=False)
        with open(self.path(self.TRANSCRIPT), "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read_transcript(self) -> list[dict[str, Any]]:
        p = self.path(self.TRANSCRIPT)
        if not p.exists():
            return []
        out = []
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    # A line cut by a crash mid-write is dropped, not fatal.
                    continue
        return out
