"""`filmcrew index`: the film-reference index the cinematographer searches.

    filmcrew index import FILE --map FIELD=COLUMN ... [--licence TEXT]   add a user's annotated clips
    filmcrew index build                                                  re-embed everything (shipped + imported)
    filmcrew index stats [--json]                                         counts by source, situation, size, movement

The store is FAISS in the cache folder unless FILMCREW_VECTOR_STORE names
Milvus (`milvus:/path/refs.db` for Milvus Lite, `milvus+http://host:19530`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["add_index_parser", "cmd_index"]


def add_index_parser(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("index", help="the film-reference index: import annotated clips, rebuild, show counts")
    actions = p.add_subparsers(dest="index_command", required=True)
    imp = actions.add_parser("import", help="add an annotated clip dataset (JSONL, CSV or Parquet)")
    imp.add_argument("file", help="a .jsonl, .csv, .tsv or .parquet file, one reference shot per row")
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                     help="which column holds a field, e.g. --map shot_size=scale --map movement=camera_motion (repeatable)")
    imp.add_argument("--licence", default="", help="the dataset's licence, recorded with every imported shot")
    imp.add_argument("--batch", type=int, default=2000, help="rows embedded and saved together (the resume step)")
    actions.add_parser("build", help="rebuild the index from the shipped corpus and every imported shot")
    stats = actions.add_parser("stats", help="counts by source, situation, shot size and movement")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    return p


def cmd_index(args: argparse.Namespace) -> int:
    from filmcrew.errors import InputError
    from filmcrew.memory.embeddings import default_embedder
    from filmcrew.memory.film_references import index_dir, open_or_build, rebuild

    quiet = getattr(args, "quiet", False)

    def say(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr)

    if args.index_command == "import":
        from filmcrew.memory.reference_import import import_file, parse_mapping

        if args.batch < 1:
            raise InputError(f"--batch {args.batch}: give at least 1")
        mapping = parse_mapping(args.map)
        index = open_or_build()
        t0 = time.time()
        report = import_file(index, Path(args.file).expanduser(), mapping, licence=args.licence, batch=args.batch,
                             progress=lambda r: say(f"  ... line {r.resumed_after_line}: {r.added} added"))
        for bad in report.bad[:50]:
            say(f"  line {bad.line}: skipped, {bad.reason}")
        if len(report.bad) > 50:
            say(f"  ... and {len(report.bad) - 50} more bad rows")
        resumed = f", resumed after line {report.resumed_after_line}" if report.resumed_after_line and not report.added else ""
        print(f"imported {report.added} references from {args.file} ({report.already_indexed} already indexed, "
              f"{len(report.bad)} bad rows skipped{resumed}); index now {len(index)} shots ({time.time() - t0:.1f} s)")
        return 0
    if args.index_command == "build":
        embedder = default_embedder()
        path = index_dir(embedder.name)
        current = open_or_build(path, embedder)
        t0 = time.time()
        index = rebuild(path, embedder, current.shots)
        print(f"rebuilt {len(index)} references with {embedder.name} into {index.store.describe()} ({time.time() - t0:.1f} s)")
        return 0
    index = open_or_build()
    stats = index.stats()
    if args.json:
        print(json.dumps(stats, indent=1))
        return 0
    print(f"{stats['shots']} shots in {stats['sequences']} sequences; {stats['store']}; embedder {stats['embedder']}")
    for title, key in (("source", "by_source"), ("situation", "by_situation"), ("shot size", "by_size"), ("movement", "by_movement")):
        print(f"by {title}: " + ", ".join(f"{name} {count}" for name, count in stats[key].items()))
    return 0
