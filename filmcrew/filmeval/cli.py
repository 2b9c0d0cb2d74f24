"""`filmcrew eval`: score run directories, or make and score the suite.

    filmcrew eval RUN_DIR [RUN_DIR ...] --judge offline|PROVIDER:MODEL --out DIR [--human ratings.csv]
    filmcrew eval suite --out DIR [--ablate camera-rag] [--ablate rhythm] [--size WxH] [--duration S] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_eval_parser", "cmd_eval"]


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("eval", help="score films on FilmEval's 12 criteria (or `eval suite` to make and score the suite)")
    p.add_argument("runs", nargs="+", metavar="RUN_DIR", help="run directories holding film.mp4, or the word suite")
    p.add_argument("--judge", default="offline", help="offline (default) or PROVIDER:MODEL, e.g. gemini:gemini-2.5-flash")
    p.add_argument("--out", required=True, help="folder for report.json, report.md and report.html")
    p.add_argument("--human", help="CSV of human ratings (film,criterion,score) to correlate with the judge")
    p.add_argument("--ablate", action="append", default=[], metavar="NAME", help="suite only: camera-rag or rhythm (repeatable)")
    p.add_argument("--size", help="suite only: clip resolution WxH for the films, e.g. 320x180")
    p.add_argument("--duration", type=float, help="suite only: make every film this many seconds long (default: each brief's own)")
    p.add_argument("--jobs", type=int, default=1, help="suite only: films made at the same time (default 1)")
    p.add_argument("--briefs", help="suite only: a YAML file of briefs instead of the packaged suite")
    p.add_argument("--limit", type=int, help="suite only: the first N briefs")
    return p


def cmd_eval(args: argparse.Namespace) -> int:
    from filmcrew.errors import InputError
    from filmcrew.filmeval.evaluate import evaluate, make_judge, run_suite

    say = (lambda m: None) if getattr(args, "quiet", False) else (lambda m: print(m, file=sys.stderr))
    if args.runs == ["suite"]:
        if args.human:
            raise InputError("--human is for scoring existing runs; score the suite's films with `filmcrew eval DIR... --human`")
        if args.limit is not None and args.limit < 1:
            raise InputError(f"--limit {args.limit}: give a number of briefs of at least 1")
        judge = make_judge(args.judge)
        if args.duration is not None and not 1 <= args.duration <= 600:
            raise InputError(f"--duration {args.duration}: give seconds between 1 and 600")
        if not 1 <= args.jobs <= 16:
            raise InputError(f"--jobs {args.jobs}: give a number from 1 to 16")
        report = run_suite(args.out, ablations=args.ablate, judge=judge, size=args.size, duration=args.duration, jobs=args.jobs,
                           briefs_file=args.briefs,
                           limit=args.limit, progress=say)
        print(report["table"])
        return 0
    if "suite" in args.runs:
        raise InputError("`suite` cannot be mixed with run directories: run `filmcrew eval suite --out DIR` on its own")
    if args.ablate or args.size or args.briefs or args.limit or args.duration or args.jobs != 1:
        raise InputError("--ablate, --size, --duration, --briefs and --limit apply to `filmcrew eval suite` only")
    judge = make_judge(args.judge)
    evaluate(args.runs, judge, args.out, human=args.human, progress=say)
    from pathlib import Path

    print(Path(args.out).expanduser().resolve() / "report.json")
    return 0
