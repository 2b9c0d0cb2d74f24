"""Score run directories with a judge and write the report; the suite on top of it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Protocol

from filmcrew.errors import InputError
from filmcrew.filmeval.human import correlate, read_ratings
from filmcrew.filmeval.intent import FilmIntent, load_film
from filmcrew.filmeval.report import build_report, markdown_table, write_report
from filmcrew.filmeval.result import FilmScore

__all__ = ["Judge", "make_judge", "evaluate", "run_suite"]


class Judge(Protocol):
    name: str

    def judge(self, intent: FilmIntent) -> FilmScore: ...


def make_judge(spec: str) -> Judge:
    """`offline` or `PROVIDER:MODEL` (openai:gpt-4o, gemini:gemini-2.5-flash)."""
    if spec == "offline":
        from filmcrew.filmeval.offline import OfflineJudge

        return OfflineJudge()
    provider, _, model = spec.partition(":")
    if not model:
        raise InputError(f"--judge {spec!r}: write offline or PROVIDER:MODEL, e.g. gemini:gemini-2.5-flash")
    from filmcrew.config import load_config
    from filmcrew.filmeval.model import ModelJudge

    # The crew's chat settings for the same provider (a vLLM or Ollama base URL, the key's variable) serve the judge too.
    chat = load_config().chat
    base_url = api_key = None
    if chat.provider == provider:
        base_url = chat.base_url
        api_key = os.environ.get(chat.api_key_env) if chat.api_key_env else None
    return ModelJudge(provider, model, base_url=os.environ.get("FILMCREW_JUDGE_BASE_URL") or base_url, api_key=api_key)


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file: give a folder for the report")
    probe_dir = out if out.exists() else next((p for p in out.parents if p.exists()), Path("/"))
    if not os.access(probe_dir, os.W_OK):
        raise InputError(f"cannot write to --out {out}: choose a folder you can write to")


def evaluate(run_dirs: list[str | Path], judge: Judge, out: str | Path, *, human: str | Path | None = None,
             groups: dict[str, list[str]] | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Judge every film, then write DIR/report.{json,md,html}. Nothing is written if any input is bad."""
    out = Path(out).expanduser().resolve()
    _check_out(out)
    films = [load_film(d) for d in run_dirs]
    names = [f.run for f in films]
    if len(set(names)) != len(names):
        raise InputError("two run directories share a name; the report names films by directory, so rename one")
    ratings = read_ratings(human, names) if human else None
    scores: list[FilmScore] = []
    for i, film in enumerate(films, 1):
        scores.append(judge.judge(film))
        if progress:
            s = scores[-1]
            progress(f"[{i}/{len(films)}] {film.run}: avg {s.avg if s.avg is not None else '—'}"
                     + (f" ({len(s.missing)} missing)" if s.missing else ""))
    correlation = correlate(scores, ratings) if ratings is not None else None
    report = build_report(scores, judge.name, correlation, groups)
    write_report(out, report, scores)
    return report


def run_suite(out: str | Path, *, ablations: list[str], judge: Judge, size: str | None = None, duration: float | None = None,
              jobs: int = 1,
              briefs_file: str | None = None, limit: int | None = None,
              progress: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> dict[str, Any]:
    """Make every suite film (resumable), score them, write the report, return it with the ablation table."""
    from filmcrew.filmeval.suite import load_suite, make_suite_films

    out = Path(out).expanduser().resolve()
    _check_out(out)
    briefs = load_suite(briefs_file)[: limit or None]
    films = make_suite_films(out, briefs, ablations, size=size, duration=duration, jobs=jobs, progress=progress)
    made = [f for f in films if f.ok]
    if not made:
        raise InputError("no suite film could be made: see the lines above")
    # Runs are named variant/brief in the report so the variants stay apart.
    groups: dict[str, list[str]] = {}
    intents: list[FilmIntent] = []
    for f in made:
        intent = load_film(f.run_dir)
        intent.run = f"{f.variant}/{f.brief.id}"
        intents.append(intent)
        groups.setdefault(f.variant, []).append(intent.run)
    scores = []
    for i, intent in enumerate(intents, 1):
        scores.append(judge.judge(intent))
        progress(f"[{i}/{len(intents)} scored] {intent.run}: avg {scores[-1].avg}")
    report = build_report(scores, judge.name, None, groups)
    report["timings"] = {f"{f.variant}/{f.brief.id}": {"wall_s": f.wall_s, "cpu_s": f.cpu_s, "ok": f.ok, "note": f.note}
                         for f in films}
    write_report(out, report, scores)
    report["table"] = markdown_table(list(report["groups"].items()))
    return report
