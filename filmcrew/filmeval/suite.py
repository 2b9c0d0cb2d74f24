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
import resource
import subprocess
import sys
import time
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


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def make_suite_films(
    out: Path,
    briefs: list[SuiteBrief],
    ablations: list[str],
    *,
    size: str | None = None,
    duration: float | None = None,
    progress: Callable[[str], None] = print,
    timeout: float = 1800,
) -> list[SuiteFilm]:
    """Make (or reuse) every film of every variant; returns them in order."""
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
    films: list[SuiteFilm] = []
    total = len(variants) * len(briefs)
    done = 0
    for variant, flags in variants:
        for brief in briefs:
            done += 1
            run = out / "films" / variant / brief.id
            key = f"{variant}/{brief.id}"
            label = f"[{done}/{total} {variant}] {brief.id}"
            if (run / "film.mp4").exists() and (run / "export.json").exists():
                t = timings.get(key, {})
                films.append(SuiteFilm(variant, brief, run, t.get("wall_s"), t.get("cpu_s"), True, "reused"))
                progress(f"{label}: already made, reused")
                continue
            resuming = (run / "manifest.json").exists()
            if resuming:
                cmd = [sys.executable, "-m", "filmcrew.cli", "-q", "resume", str(run)]
            else:
                cmd = [sys.executable, "-m", "filmcrew.cli", "-q", "make", brief.text, "--out", str(run),
                       "--duration", str(duration or brief.duration), "--audience", brief.audience, *flags]
                if size:
                    cmd += ["--size", size]
            progress(f"{label}: {'resuming' if resuming else 'making'}...")
            cpu0, t0 = _children_cpu(), time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
                ok, note = proc.returncode == 0, (proc.stderr.strip().splitlines() or [""])[-1]
            except subprocess.TimeoutExpired:
                ok, note = False, f"timed out after {timeout:.0f} s"
            wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
            ok = ok and (run / "film.mp4").exists()
            if ok:
                timings[key] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "resumed": resuming}
                atomic_write_text(timings_path, json.dumps(timings, indent=2, sort_keys=True))
            films.append(SuiteFilm(variant, brief, run, wall, cpu, ok, "" if ok else note))
            progress(f"{label}: {'made' if ok else 'FAILED'} in {wall:.1f} s wall, {cpu:.1f} s CPU" + (f" ({note})" if not ok else ""))
    return films
