"""The FilmEval suite: make a film per brief with the crew, score each, compare variants.

Films are made through the `filmcrew make` command in a child process, the
crew's public entry point, so the judge and this runner never reach into the
crew's internals. Each variant (the full crew, and each ablation) gets its own
folder; a film that is already finished is not made again, an interrupted one
is resumed, so a stopped suite continues where it stopped. The wall and CPU
time of every film is recorded in `timings.json`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from filmcrew.errors import InputError
from filmcrew.memory.rundir import atomic_write_text

__all__ = ["SuiteBrief", "load_suite", "ABLATIONS", "SuiteFilm", "make_suite_films"]

# Ablation name -> the `filmcrew make` switch that removes the component.
ABLATIONS: dict[str, str] = {"camera-rag": "--no-camera-rag", "rhythm": "--no-rhythm"}


class SuiteBrief(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["short", "long"]
    audience: str
    duration: float = Field(gt=0, le=600)
    text: str = Field(min_length=10)


def load_suite(path: str | Path | None = None) -> list[SuiteBrief]:
    """The packaged suite, or a YAML file with the same `briefs:` list."""
    try:
        raw = (Path(path).read_text(encoding="utf-8") if path
               else resources.files("filmcrew.filmeval").joinpath("data/suite.yaml").read_text(encoding="utf-8"))
        data = yaml.safe_load(raw)
        briefs = [SuiteBrief.model_validate(b) for b in data["briefs"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read the suite {path}: {exc}; give a YAML file with a `briefs:` list") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"suite {path} has an invalid brief at {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
    if len({b.id for b in briefs}) != len(briefs):
        raise InputError(f"suite {path or 'default'} repeats a brief id: give each brief its own id")
    return briefs


def _make_supports(flag: str) -> bool:
    proc = subprocess.run([sys.executable, "-m", "filmcrew.cli", "make", "--help"], capture_output=True, text=True)
    return flag in proc.stdout


@dataclass
class SuiteFilm:
    variant: str
    brief: SuiteBrief
    run_dir: Path
    wall_s: float | None
    cpu_s: float | None
    ok: bool
    note: str = ""


def make_suite_films(
    out: Path,
    briefs: list[SuiteBrief],
    ablations: list[str],
    *,
    size: str | None = None,
    duration: float | None = None,
    jobs: int = 1,
    progress: Callable[[str], None] = print,
    timeout: float = 1800,
) -> list[SuiteFilm]:
    """Make (or reuse) every film of every variant, `jobs` at a time; returns them in suite order."""
    for name in ablations:
        if name not in ABLATIONS:
            raise InputError(f"--ablate {name}: unknown ablation; choose from {', '.join(ABLATIONS)}")
        if not _make_supports(ABLATIONS[name]):
            raise InputError(
                f"--ablate {name}: this crew's `filmcrew make` has no {ABLATIONS[name]} switch to remove that component; "
                "run the suite without it")
    variants = [("full", [])] + [(f"no-{name}", [ABLATIONS[name]]) for name in ablations]
    timings_path = out / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    tasks = [(variant, flags, brief) for variant, flags in variants for brief in briefs]
    lock = threading.Lock()
    counter = [0]

    def make_one(task: tuple[str, list[str], SuiteBrief]) -> SuiteFilm:
        variant, flags, brief = task
        run = out / "films" / variant / brief.id
        key = f"{variant}/{brief.id}"
        if (run / "film.mp4").exists() and (run / "export.json").exists():
            t = timings.get(key, {})
            with lock:
                counter[0] += 1
                progress(f"[{counter[0]}/{len(tasks)} {variant}] {brief.id}: already made, reused")
            return SuiteFilm(variant, brief, run, t.get("wall_s"), t.get("cpu_s"), True, "reused")
        resuming = (run / "manifest.json").exists()
        if resuming:
            cmd = [sys.executable, "-m", "filmcrew.cli", "-q", "resume", str(run)]
        else:
            cmd = [sys.executable, "-m", "filmcrew.cli", "-q", "make", brief.text, "--out", str(run),
                   "--duration", str(duration or brief.duration), "--audience", brief.audience, *flags]
            if size:
                cmd += ["--size", size]
        t0 = time.perf_counter()
        ok, note, cpu = _run_timed(cmd, timeout)
        wall = time.perf_counter() - t0
        ok = ok and (run / "film.mp4").exists()
        with lock:
            counter[0] += 1
            if ok:
                timings[key] = {"wall_s": round(wall, 2), "cpu_s": cpu, "resumed": resuming}
                atomic_write_text(timings_path, json.dumps(timings, indent=2, sort_keys=True))
            cpu_text = f", {cpu:.1f} s CPU" if cpu is not None else ""
            progress(f"[{counter[0]}/{len(tasks)} {variant}] {brief.id}: {'made' if ok else 'FAILED'} in {wall:.1f} s wall"
                     f"{cpu_text}" + (f" ({note})" if not ok else ""))
        return SuiteFilm(variant, brief, run, wall, cpu, ok, "" if ok else note)

    progress(f"{len(tasks)} films ({len(variants)} variants x {len(briefs)} briefs), {jobs} at a time")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(make_one, tasks))


def _run_timed(cmd: list[str], timeout: float) -> tuple[bool, str, float | None]:
    """Run a child and return (succeeded, last stderr line, CPU seconds of its process tree).

    os.wait4 gives the child's own resource usage (including the ffmpeg processes it
    waited for), which a shared machine's wall clock cannot.
    """
    import os
    import tempfile

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return False, f"timed out after {timeout:.0f} s", None
            time.sleep(0.2)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    return proc.returncode == 0, (lines[-1] if lines else ""), round(usage.ru_utime + usage.ru_stime, 2)
