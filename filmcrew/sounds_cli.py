"""`filmcrew sounds`: the sound library the sound designer searches.

    filmcrew sounds import DIR [--tags CSV] [--license TEXT] [--attribution TEXT] [--category C]
    filmcrew sounds search QUERY [--category C] [-k N] [--json]

`import` analyses every audio file under DIR (duration, loudness, tempo and
key for music, spectral features), tags it from its file name and the
optional CSV (a `file` column plus any of category, description, tags, mood,
license, attribution), copies it into the library and indexes it;
unreadable files are reported and skipped. The library is the default one
(`FILMCREW_SOUNDS_DIR`, else the user cache); rebuilding the generated
assets later keeps what was imported.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

__all__ = ["add_sounds_parser", "cmd_sounds"]

_CATEGORIES = ("ambience", "music", "foley", "sfx")


def add_sounds_parser(sub: Any) -> argparse.ArgumentParser:
    p = sub.add_parser("sounds", help="the sound library: import your own audio, search it")
    actions = p.add_subparsers(dest="sounds_command", required=True)
    imp = actions.add_parser("import", help="analyse, tag and index every audio file of a folder")
    imp.add_argument("dir", help="the folder holding the audio files (searched recursively)")
    imp.add_argument("--tags", metavar="CSV", help="a CSV with a 'file' column and any of category, description, tags, mood, license, attribution")
    imp.add_argument("--license", default=None, help="the licence of the files (recorded with each; default: unknown)")
    imp.add_argument("--attribution", default="", help="credit line the licence asks for (e.g. CC-BY authors)")
    imp.add_argument("--category", choices=_CATEGORIES, help="put every file in this category instead of guessing from its name")
    search = actions.add_parser("search", help="the library's best matches for a description")
    search.add_argument("query")
    search.add_argument("--category", choices=_CATEGORIES)
    search.add_argument("-k", type=int, default=5, help="how many matches (1-50)")
    search.add_argument("--json", action="store_true", help="print the matches as JSON")
    return p


def cmd_sounds(args: argparse.Namespace) -> int:
    from filmcrew.errors import InputError
    from filmcrew.memory.sound_library import SoundLibrary, default_sounds_dir

    root = default_sounds_dir()
    if args.sounds_command == "import":
        from filmcrew.tools.sound.library import UNKNOWN_LICENSE, import_folder

        library = SoundLibrary(root)
        started = time.monotonic()
        quiet = getattr(args, "quiet", False)
        added, skipped = import_folder(
            library, args.dir, args.tags, license=args.license or UNKNOWN_LICENSE, attribution=args.attribution,
            category=args.category, progress=None if quiet else (lambda msg: print(f"  {msg}", file=sys.stderr)),
        )
        for name, reason in skipped:
            print(f"skipped {name}: {reason}", file=sys.stderr)
        for asset in added:
            extra = "".join(f", {label} {value}" for label, value in (("tempo", asset.tempo), ("key", asset.key)) if value)
            loud = "unmeasurable" if asset.loudness_lufs is None else f"{asset.loudness_lufs:.1f} LUFS"
            print(f"{asset.id}: {asset.category}, {asset.duration:.1f} s, {loud}{extra}; tags {', '.join(asset.tags)}")
        print(f"imported {len(added)} file(s) into {library.root}, skipped {len(skipped)} ({time.monotonic() - started:.1f} s)",
              file=sys.stderr)
        return 0
    if args.sounds_command == "search":
        if not 1 <= args.k <= 50:
            raise InputError(f"-k {args.k} is out of range: give 1 to 50 matches")
        library = SoundLibrary(root)
        if not library.assets:
            raise InputError(f"the sound library at {root} is empty: run `filmcrew setup` or `filmcrew sounds import DIR`")
        hits = library.search(args.query, category=args.category, k=args.k)
        rows = [{"id": a.id, "category": a.category, "score": round(s, 4), "description": a.description,
                 "license": a.license, "path": str(library.asset_path(a))} for a, s in hits]
        if args.json:
            print(json.dumps(rows, indent=1))
        else:
            for r in rows:
                print(f"{r['score']:.3f}  {r['id']}  ({r['category']})  {r['description']}")
        return 0
    raise InputError(f"unknown sounds command {args.sounds_command!r}")  # pragma: no cover - argparse checks
