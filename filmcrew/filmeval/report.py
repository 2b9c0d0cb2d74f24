"""The FilmEval report: `report.json`, `report.md` (the paper's table layout) and
`report.html` with matplotlib plots (a radar per film, bars per criterion, and
the paper's published scores beside ours, labelled as another system judged
by other judges).
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from filmcrew.filmeval.criteria import CODES, PAPER_SYSTEM, criteria
from filmcrew.filmeval.result import FilmScore
from filmcrew.memory.rundir import atomic_write_text

__all__ = ["build_report", "write_report", "markdown_table", "group_means"]

def build_report(scores: list[FilmScore], judge: str, correlation: dict[str, Any] | None = None,
                 groups: dict[str, list[str]] | None = None) -> dict[str, Any]:
    report: dict[str, Any] = {
        "films": [s.model_dump() for s in scores],
        "judge": judge,
        "correlation": correlation or {},
        "criteria": {c.code: {"name": c.name, "dimension": c.dimension, "offline": c.offline_strength} for c in criteria()},
        "reference": {"paper_system": PAPER_SYSTEM,
                      "note": "published CL/CRh/avg of the paper's own system, judged by the paper's judges: another system, another judge"},
    }
    if groups:
        report["groups"] = group_means(scores, groups)
    return report


def group_means(scores: list[FilmScore], groups: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Mean score per criterion and derived score over each group of runs (a suite variant)."""
    by_run = {s.run: s for s in scores}
    out: dict[str, dict[str, Any]] = {}
    for name, runs in groups.items():
        members = [by_run[r] for r in runs if r in by_run]
        row: dict[str, Any] = {"films": len(members)}
        for key in list(CODES) + ["CL", "CRh", "avg"]:
            vals = [(m.criteria.get(key) if key in CODES else getattr(m, key)) for m in members]
            vals = [v for v in vals if v is not None]
            row[key] = round(sum(vals) / len(vals), 2) if vals else None
        out[name] = row
    return out


def _fmt(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}"


def markdown_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """Rows of (label, {code: score, CL, CRh, avg}) in the paper's column order."""
    dims = {c.code: c.dimension for c in criteria()}
    header1 = "| | " + " | ".join(f"{dims[c]}" for c in CODES) + " | | | |"
    header2 = "| film | " + " | ".join(CODES) + " | CL | CRh | avg |"
    sep = "|" + "---|" * (len(CODES) + 4)
    lines = [header1, header2, sep]
    for label, row in rows:
        lines.append(f"| {label} | " + " | ".join(_fmt(row.get(c)) for c in CODES)
                     + f" | {_fmt(row.get('CL'))} | {_fmt(row.get('CRh'))} | {_fmt(row.get('avg'))} |")
    return "\n".join(lines)


def _row(s: FilmScore) -> dict[str, Any]:
    return {**s.criteria, "CL": s.CL, "CRh": s.CRh, "avg": s.avg}


def _markdown(report: dict[str, Any], scores: list[FilmScore]) -> str:
    out = [f"# FilmEval report\n\nJudge: `{report['judge']}`. Scores 1-5; CL = (SF+NC+VQ+CC+PLC+0.5·CT+0.5·AVR)/6, "
           "CRh = (V/AQ+NP+VAC+CD+OQ+0.5·CT+0.5·AVR)/6, avg = mean of the twelve. — means missing (see reasons).\n"]
    out.append(markdown_table([(s.run, _row(s)) for s in scores]))
    if report.get("groups"):
        out.append("\n## Variants\n")
        out.append(markdown_table(list(report["groups"].items())))
    ref = report["reference"]["paper_system"]
    out.append(f"\nFor reference (another system, another judge): the paper's own system is published at CL {ref['CL']:.2f}, "
               f"CRh {ref['CRh']:.2f}, average {ref['avg']:.2f}.\n")
    for s in scores:
        out.append(f"\n## {s.run}\n")
        for code in CODES:
            out.append(f"- **{code}** {_fmt(s.criteria.get(code))}: {s.why.get(code, '')}")
    corr = report.get("correlation") or {}
    if corr:
        out.append("\n## Agreement with human ratings\n")
        out.append(f"Overall (n={corr.get('n')}): Pearson {_fmt(corr.get('pearson'))}, Spearman {_fmt(corr.get('spearman'))}, "
                   f"Kendall {_fmt(corr.get('kendall'))}.\n")
        out.append("| criterion | n | Pearson | Spearman | Kendall |\n|---|---|---|---|---|")
        for code, c in corr.get("per_criterion", {}).items():
            out.append(f"| {code} | {c.get('n')} | {_fmt(c.get('pearson'))} | {_fmt(c.get('spearman'))} | {_fmt(c.get('kendall'))} |")
    return "\n".join(out) + "\n"


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _plots(scores: list[FilmScore]) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    import numpy as np

    figures: list[tuple[str, str]] = []
    angles = np.linspace(0, 2 * np.pi, len(CODES), endpoint=False).tolist()
    for s in scores:
        values = [s.criteria.get(c) or 0.0 for c in CODES]
        fig = plt.figure(figsize=(3.6, 3.6))
        ax = fig.add_subplot(111, polar=True)
        ax.set_theta_offset(np.pi / 2)  # SF at the top, criteria clockwise in the paper's order
        ax.set_theta_direction(-1)
        ax.plot(angles + angles[:1], values + values[:1], color="#1f77b4")
        ax.fill(angles + angles[:1], values + values[:1], alpha=0.25, color="#1f77b4")
        ax.set_xticks(angles)
        ax.set_xticklabels(CODES, fontsize=7)
        ax.set_ylim(0, 5)
        ax.set_title(s.run, fontsize=9)
        figures.append((f"Radar: {s.run} (missing criteria drawn at 0)", _png(fig)))
    fig, ax = plt.subplots(figsize=(8, 3.2))
    width = 0.8 / max(1, len(scores))
    x = np.arange(len(CODES))
    for i, s in enumerate(scores):
        ax.bar(x + i * width, [s.criteria.get(c) or 0.0 for c in CODES], width, label=s.run)
    ax.set_xticks(x + 0.4 - width / 2)
    ax.set_xticklabels(CODES, fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_ylabel("score")
    if len(scores) <= 8:
        ax.legend(fontsize=6)
    figures.append(("Score per criterion and film", _png(fig)))
    fig, ax = plt.subplots(figsize=(6, 3.2))
    keys = ["CL", "CRh", "avg"]
    ours = [np.mean([getattr(s, k) for s in scores if getattr(s, k) is not None]) if any(getattr(s, k) is not None for s in scores) else 0.0 for k in keys]
    xk = np.arange(len(keys))
    ax.bar(xk - 0.2, ours, 0.4, label="these films, this judge (mean)")
    ax.bar(xk + 0.2, [PAPER_SYSTEM[k] for k in keys], 0.4, label="paper's system, paper's judges (another system, another judge)",
           color="#bbbbbb", hatch="//")
    ax.set_xticks(xk)
    ax.set_xticklabels(keys)
    ax.set_ylim(0, 5)
    ax.legend(fontsize=7, loc="lower right")
    figures.append(("Derived scores beside the paper's published row", _png(fig)))
    return figures


def _html(report: dict[str, Any], markdown: str, scores: list[FilmScore]) -> str:
    figures = "".join(
        f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(title)}</figcaption></figure>'
        for title, data in _plots(scores))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>FilmEval report</title>"
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}figure{display:inline-block;margin:.5em}"
            "pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style></head><body>"
            f"<h1>FilmEval report</h1><p>Judge: <code>{html.escape(report['judge'])}</code></p>{figures}"
            f"<pre>{html.escape(markdown)}</pre></body></html>")


def write_report(out: Path, report: dict[str, Any], scores: list[FilmScore]) -> list[Path]:
    """Write report.json, report.md and report.html into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    md = _markdown(report, scores)
    page = _html(report, md, scores)  # plots first: a plotting failure must not leave half a report
    paths = [out / "report.json", out / "report.md", out / "report.html"]
    atomic_write_text(paths[0], json.dumps(report, indent=2))
    atomic_write_text(paths[1], md)
    atomic_write_text(paths[2], page)
    return paths
