"""The production state on disk: one folder per film.

Each stage writes its outputs here; writes go to a temporary file in the same
folder and are renamed into place, so a crash leaves either the old file or
the new one, never half of one that a resume would trust. `manifest.json`
records, per stage, a fingerprint of the inputs that produced its outputs:
a stage whose inputs did not change is not recomputed.

The folder is private (0700, files 0600): it holds the conversation with the
models. Every name is checked to stay inside it, everything written as JSON
passes through `filmcrew.redact`, and a damaged file is reported in one line
that names it and says how to recover (`RunFileError`); a damaged manifest is
set aside and rebuilt from the stage outputs.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, TypeVar

from pydantic import BaseModel, ValidationError

from filmcrew.errors import InputError, RunFileError
from filmcrew.redact import redact

__all__ = [
    "RunDir",
    "RUN_MARKERS",
    "RunFileMissing",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_path",
    "file_digest",
    "inside",
    "is_temporary_name",
]

#: Files that say a folder is a filmcrew run (written by `Crew.start`).
RUN_MARKERS = ("brief.json", "run_config.json")

# How to recover from a damaged run file, by name; stage outputs get the default.
_RECOVERY = {
    "brief.json": "restore it from a backup, or start a new run with `filmcrew make`",
    "audience.json": "restore it from a backup, or start a new run with `filmcrew make`",
    "run_config.json": "delete it to resume with the current configuration",
    "crew_state.json": "delete it to resume from the finished stages (the conversation so far is lost)",
}
_DEFAULT_RECOVERY = "delete it and run `filmcrew resume` to redo the stage that wrote it"


class RunFileMissing(RunFileError, FileNotFoundError):
    """A run file is not there (still a `FileNotFoundError` for callers that expect one)."""


def inside(root: Path, path: Path) -> Path:
    """`path` resolved, if it lies inside `root`; `InputError` otherwise.

    Every name that reaches a run directory (a shot id, a cue id, an asset
    path) is checked here, so no name can write outside the run.
    """
    root = Path(root).resolve()
    resolved = (root / path).resolve()
    if resolved != root and root not in resolved.parents:
        raise InputError(f"refusing to write {str(path)[:120]!r}: it resolves outside the run directory {root}")
    return resolved


# `atomic_path` names (mkstemp: 8 random characters), the write test, the renderer's folder.
_TEMP_NAME = re.compile(r"^\..*\.[a-z0-9_]{8}\.tmp(\.[A-Za-z0-9]+)?$|^\.write-test-[a-z0-9_]{8}$|^\.filmcrew-render-[a-z0-9_]{8}$")


def is_temporary_name(name: str) -> bool:
    """Names our writers use for work in progress (see `atomic_path`, the renderer)."""
    return bool(_TEMP_NAME.match(name))

M = TypeVar("M", bound=BaseModel)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place on success.

    For writers that need a filename (ffmpeg, soundfile, OTIO) rather than bytes.
    The temporary name keeps the target's suffix so such tools pick the format.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def _full_disk_names(target: Path) -> Iterator[None]:
    """A full disk is reported against `target`, the file we meant to write,
    not the temporary beside it or a bare file descriptor."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OSError(errno.ENOSPC, "No space left on device", str(target)) from None
        raise


def _write_synced(fh: Any, data: Any) -> None:
    # On disk before we go on: a crash after this call keeps what was written.
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with _full_disk_names(target):
        with atomic_path(Path(target)) as tmp:
            with open(tmp, "wb") as fh:
                _write_synced(fh, data)


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
        # Set when a damaged manifest was set aside; the production rebuilds it.
        self.manifest_damaged = False

    # -- paths -------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The path of `name` inside the run; a name that would leave it is refused."""
        return inside(self.root, Path(name))

    @property
    def clips_dir(self) -> Path:
        return self.root / "clips"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    def ensure(self) -> "RunDir":
        created = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if created:
            os.chmod(self.root, 0o700)  # mkdir's mode is masked by the umask
        return self

    def is_run(self) -> bool:
        """True when the folder holds a filmcrew run (its brief and config)."""
        return all((self.root / name).is_file() for name in RUN_MARKERS)

    def clean_temporaries(self, *, system_temp_age_s: float = 6 * 3600) -> list[Path]:
        """Remove what a killed run left half-written; return what was removed.

        Call only while holding the run's `RunLock`: a live writer's temporary
        files look the same. Also removes `filmcrew-render-*` folders older than
        `system_temp_age_s` from the system temp folder (older versions put them there).
        """
        removed: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            for name in list(dirnames):
                if is_temporary_name(name) or (Path(dirpath) == self.root and name == ".tmp"):
                    shutil.rmtree(Path(dirpath) / name, ignore_errors=True)
                    removed.append(Path(dirpath) / name)
                    dirnames.remove(name)
            for name in filenames:
                if is_temporary_name(name):
                    (Path(dirpath) / name).unlink(missing_ok=True)
                    removed.append(Path(dirpath) / name)
        now = time.time()
        for stale in Path(tempfile.gettempdir()).glob("filmcrew-render-*"):
            try:
                if stale.is_dir() and stale.stat().st_uid == os.getuid() and now - stale.stat().st_mtime > system_temp_age_s:
                    shutil.rmtree(stale, ignore_errors=True)
                    removed.append(stale)
            except OSError:
                continue
        return removed

    def temp_dir(self) -> Path:
        """A private folder for temporaries inside the run, emptied at the next start."""
        path = self.root / ".tmp"
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def _damaged(self, name: str, problem: str) -> RunFileError:
        path = self.root / name
        how = _RECOVERY.get(Path(name).name, _DEFAULT_RECOVERY)
        return RunFileError(f"run file {path} is damaged ({problem}): {how}", path=str(path))

    def _read_text(self, name: str) -> str:
        path = self.path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RunFileMissing(f"run file {path} is missing: {_RECOVERY.get(Path(name).name, _DEFAULT_RECOVERY)}", path=str(path)) from None
        except UnicodeDecodeError:
            raise self._damaged(name, "not UTF-8 text") from None
        except IsADirectoryError:
            raise self._damaged(name, "a folder where a file should be") from None

    # -- typed JSON ----------------------------------------------------------
    def write_model(self, name: str, model: BaseModel) -> Path:
        target = self.path(name)
        atomic_write_text(target, redact(model.model_dump_json(indent=2)))
        return target

    def read_model(self, name: str, cls: type[M]) -> M:
        """The typed content of `name`; `RunFileError` naming the file when it is damaged."""
        from filmcrew.inputs import describe_validation

        text = self._read_text(name)
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            kinds = {e.get("type") for e in exc.errors(include_input=False, include_url=False)}
            problem = "not valid JSON: cut short or overwritten" if "json_invalid" in kinds else f"wrong shape: {describe_validation(exc, limit=2)}"
            raise self._damaged(name, problem) from None

    def write_json(self, name: str, data: Any) -> Path:
        target = self.path(name)
        atomic_write_text(target, redact(json.dumps(data, indent=2, sort_keys=True)))
        return target

    def read_json(self, name: str, default: Any = None) -> Any:
        p = self.path(name)
        if not p.exists():
            return default
        text = self._read_text(name)
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            problem = f"not valid JSON at line {exc.lineno}: cut short or overwritten" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise self._damaged(name, problem) from None

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
        """The stage records; a damaged manifest is set aside (`manifest.json.damaged`) and starts empty."""
        try:
            data = self.read_json(self.MANIFEST, default={"stages": {}}) or {"stages": {}}
            if not isinstance(data, dict) or not isinstance(data.get("stages", {}), dict) or not all(
                isinstance(v, dict) for v in data.get("stages", {}).values()
            ):
                raise self._damaged(self.MANIFEST, "wrong shape")
        except RunFileError:
            os.replace(self.path(self.MANIFEST), self.path(self.MANIFEST + ".damaged"))
            self.manifest_damaged = True
            return {"stages": {}}
        return data

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
        line = redact(json.dumps(record, default=str, ensure_ascii=False))
        path = self.path(self.TRANSCRIPT)
        with _full_disk_names(path):
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with open(fd, "a", encoding="utf-8") as fh:
                _write_synced(fh, line + "\n")

    def read_transcript(self) -> list[dict[str, Any]]:
        p = self.path(self.TRANSCRIPT)
        if not p.exists():
            return []
        out = []
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    # A line cut by a crash mid-write is dropped, not fatal.
                    continue
        return out
