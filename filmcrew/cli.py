"""The `filmcrew` command: make, resume, doctor, setup.

Bad input (empty text, a missing or unreadable image, an unwritable output
folder, an unknown audience) is reported in one line that says what to do,
with exit code 2, before anything is written. A run that fails mid-way exits
with 1 and keeps every finished stage; `filmcrew resume DIR` continues it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

__all__ = ["main", "build_parser", "parse_brief"]

EXIT_INPUT = 2
EXIT_FAILED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filmcrew", description="A crew of AI agents that makes a short film from a short text.")
    parser.add_argument("--config", help="YAML config naming the providers (default: filmcrew.yaml or $FILMCREW_CONFIG)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the result paths")
    sub = parser.add_subparsers(dest="command", required=True)

    make = sub.add_parser("make", help="make a film from a text or a brief file")
    make.add_argument("brief", metavar="TEXT_OR_BRIEF_FILE", help="the brief as text, or a .txt/.md/.json file")
    make.add_argument("--out", required=True, help="run directory for the film and every stage's output")
    make.add_argument("--audience", help="audience archetype (see `filmcrew doctor`), default general")
    make.add_argument("--audience-file", help="a custom audience profile (YAML)")
    make.add_argument("--duration", type=float, help="target duration in seconds (default 30)")
    make.add_argument("--style", help="visual style words, e.g. 'noir' or 'pastel'")
    make.add_argument("--ref", action="append", default=[], metavar="NAME=IMAGE",
                      help="reference image: character Name=img.png or location:name=img.jpg (repeatable)")
    make.add_argument("--step", action="store_true", help="pause after every agent turn; type a note to direct, q to stop")
    make.add_argument("--no-camera-rag", action="store_true", help="plan camera without film references (ablation)")
    make.add_argument("--debate-rounds", type=int, help="rounds of propose/critique/revise inside a stage")
    make.add_argument("--size", metavar="WxH", help="clip resolution, e.g. 640x360 (default 1280x720)")

    resume = sub.add_parser("resume", help="continue an interrupted run from its first stale stage")
    resume.add_argument("dir")
    resume.add_argument("--step", action="store_true")

    sub.add_parser("doctor", help="which providers are configured, which offline defaults are in use, and why")
    sub.add_parser("setup", help="build the default offline indexes (sound library, film references)")
    return parser


def parse_reference(value: str) -> Any:
    from filmcrew.errors import InputError
    from filmcrew.memory.models import ReferenceImage

    if "=" not in value:
        raise InputError(f"--ref {value!r} must be NAME=IMAGE (or location:NAME=IMAGE)")
    name, path = value.split("=", 1)
    kind = None
    if ":" in name and name.split(":", 1)[0] in ("character", "location"):
        kind, name = name.split(":", 1)
    name = name.strip()
    if not name or not path:
        raise InputError(f"--ref {value!r} must be NAME=IMAGE with both parts")
    if kind is None:
        # Characters are named with a capital (Elias); places in lower case (lighthouse).
        kind = "character" if name[0].isupper() else "location"
    return ReferenceImage(name=name, kind=kind, path=str(Path(path).expanduser().resolve()))


def parse_brief(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from filmcrew.errors import InputError
    from filmcrew.memory.models import Brief

    source = args.brief
    candidate = Path(source)
    data: dict[str, Any]
    if len(source) < 4096 and candidate.suffix in (".json", ".txt", ".md") and candidate.exists():
        try:
            raw = candidate.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read brief file {candidate}: {exc.strerror}") from exc
        if candidate.suffix == ".json":
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"brief file {candidate} is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        else:
            data = {"text": raw.strip()}
    elif candidate.suffix in (".json", ".txt", ".md") and not candidate.exists() and " " not in source:
        raise InputError(f"brief file {source} does not exist: check the path, or pass the brief as quoted text")
    else:
        data = {"text": source.strip()}
    if not str(data.get("text", "")).strip():
        raise InputError("the brief is empty: pass a sentence or more describing the film")
    refs = list(data.get("references", []))
    refs += [parse_reference(v).model_dump() for v in args.ref]
    data["references"] = refs
    if args.audience:
        data["audience"] = args.audience
    if args.duration is not None:
        if args.duration <= 0 or args.duration > 600:
            raise InputError(f"--duration {args.duration} is out of range: give seconds between 1 and 600")
        data["target_duration"] = args.duration
    if args.style:
        data["style"] = args.style
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"the brief is invalid at {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc


def check_out_dir(path: Path) -> bool:
    """Make sure we can write there; return True if we created the folder (to remove on failure)."""
    from filmcrew.errors import InputError

    created = not path.exists()
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path} is a file: give a folder for the run")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        if created and path.exists():
            shutil.rmtree(path, ignore_errors=True)
        raise InputError(f"cannot write to --out {path}: {exc.strerror}; choose a folder you can write to") from exc
    return created


class ConsoleView:
    """Renders crew events with rich; pauses for the director in step mode."""

    def __init__(self, *, quiet: bool = False, step: bool = False, stdin: TextIO | None = None):
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.quiet = quiet
        self.step = step
        self.stdin = stdin or sys.stdin
        self._progress_line: dict[str, tuple[int, int]] = {}

    def show(self, event: Any) -> None:
        if self.quiet:
            return
        from rich.markup import escape

        c = self.console
        kind = event.type
        if kind == "stage_started":
            c.print(f"[bold cyan]▶ {event.index}/{event.total} {event.stage}[/] ({event.role})")
        elif kind == "stage_skipped":
            c.print(f"[dim]✓ {event.stage}: {event.reason}[/]")
        elif kind == "stage_completed":
            c.print(f"[green]✓ {event.stage}[/]: {escape(event.summary)}")
        elif kind == "progress":
            last = self._progress_line.get(event.stage)
            if last != (event.done, event.total) and (event.done == event.total or event.done % max(1, event.total // 10) == 0):
                c.print(f"  [dim]{event.stage} {event.done}/{event.total} {escape(event.label)}[/]")
            self._progress_line[event.stage] = (event.done, event.total)
        elif kind == "agent_turn":
            tools = f" [magenta]tools: {', '.join(dict.fromkeys(event.tool_calls))}[/]" if event.tool_calls else ""
            colour = "red" if event.error else "yellow"
            c.print(f"[bold {colour}]{event.speaker}[/] ({event.stage}/{event.phase}){tools}\n  {escape(event.summary)}")
        elif kind == "director_note":
            c.print(f"[bold blue]director[/]: {escape(event.text)}")
        elif kind == "run_failed":
            c.print(f"[bold red]✗ {event.stage} failed:[/] {escape(event.error)}")

    def ask(self) -> str | None:
        """Wait for the director: '' next turn, text a note, 'q' stop, None (EOF) run to the end."""
        self.console.print("[dim]⏎ next turn · type a note for the crew · q to stop and save[/]")
        line = self.stdin.readline()
        if line == "":
            return None
        return line.rstrip("\n")


async def _drive(crew: Any, view: ConsoleView) -> int:
    from filmcrew.orchestration.events import RunCompleted, RunFailed

    stepping = view.step
    note: str | None = None
    while not crew.done:
        failed = None
        async for event in crew.step_stream(note):
            view.show(event)
            if isinstance(event, RunFailed):
                failed = event
            if isinstance(event, RunCompleted):
                print(event.film)
                print(event.timeline)
                return 0
        note = None
        if failed:
            view.console.print(f"finished stages are kept in {crew.run_dir.root}; fix the cause and run: filmcrew resume {crew.run_dir.root}")
            return EXIT_FAILED
        if stepping and not crew.done:
            answer = view.ask()
            if answer is None:
                stepping = False
            elif answer.strip().lower() in ("q", "quit"):
                await crew.save_state()
                view.console.print(f"stopped and saved; continue with: filmcrew resume {crew.run_dir.root}")
                return 0
            elif answer.strip():
                note = answer.strip()
    completed = crew.completed()
    print(completed.film)
    print(completed.timeline)
    return 0


def _quiet_logs() -> None:
    # Library INFO logs (autogen events, faiss loader) would bury the crew's own output.
    logging.basicConfig(level=logging.WARNING)
    for name in ("autogen_core", "autogen_core.events", "autogen_agentchat", "faiss", "faiss.loader", "wordllama", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _apply_overrides(config: Any, args: argparse.Namespace) -> Any:
    from filmcrew.errors import InputError

    if getattr(args, "no_camera_rag", False):
        config.use_camera_rag = False
    if getattr(args, "debate_rounds", None) is not None:
        config.debate_rounds = args.debate_rounds
    if getattr(args, "size", None):
        try:
            w, h = (int(x) for x in args.size.lower().split("x"))
            if w < 64 or h < 64 or w % 2 or h % 2:
                raise ValueError
        except ValueError:
            raise InputError(f"--size {args.size} must be WIDTHxHEIGHT with even numbers of at least 64, e.g. 640x360") from None
        config.clips.width, config.clips.height = w, h
    return config


def cmd_make(args: argparse.Namespace) -> int:
    from filmcrew.config import load_config
    from filmcrew.memory.audiences import get_audience, load_audience_file
    from filmcrew.orchestration.crew import Crew
    from filmcrew.tools.clips.references import validate_references

    config = _apply_overrides(load_config(args.config), args)
    brief = parse_brief(args)
    audience = load_audience_file(args.audience_file) if args.audience_file else get_audience(brief.audience)
    if args.audience_file:
        brief = brief.model_copy(update={"audience": audience.name})
    validate_references(brief.references)
    out = Path(args.out).expanduser().resolve()
    created = check_out_dir(out)
    crew = Crew.default(config=config)
    view = ConsoleView(quiet=args.quiet, step=args.step)
    try:
        asyncio.run(crew.start(brief, out, audience=audience))
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    return asyncio.run(_drive(crew, view))


def cmd_resume(args: argparse.Namespace) -> int:
    from filmcrew.orchestration.crew import Crew

    view = ConsoleView(quiet=args.quiet, step=args.step)

    async def go() -> int:
        crew = await Crew.resume(Path(args.dir).expanduser().resolve())
        return await _drive(crew, view)

    return asyncio.run(go())


def cmd_doctor(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from filmcrew.agents.providers import describe_chat_providers
    from filmcrew.config import load_config
    from filmcrew.errors import InputError
    from filmcrew.memory.audiences import builtin_audiences
    from filmcrew.memory.embeddings import default_embedder
    from filmcrew.memory.film_references import cache_root, load_default_corpus
    from filmcrew.memory.sound_library import SoundLibrary, default_sounds_dir
    from filmcrew.tools.clips.providers import describe_clip_providers
    from filmcrew.tools.media import ffmpeg_exe
    from filmcrew.tools.sound.library import is_complete_default
    from filmcrew.tools.sound.providers import describe_speech_providers

    config = load_config(args.config)
    console = Console()
    console.print(f"[bold]filmcrew doctor[/]  config: {config.source}")
    table = Table("seam", "provider", "in use", "why")
    rows = [*describe_chat_providers(config), *describe_clip_providers(config.clips), *describe_speech_providers(config.speech)]
    for row in rows:
        seam = f"{row['seam']}: {row['role']}" if row["role"] else row["seam"]
        name = f"{row['provider']}:{row['model']}" if row["model"] else row["provider"]
        in_use = ("yes" if row["in_use"] else "-") if row["configured"] else "NO"
        table.add_row(seam, name, in_use, row["reason"])
    embedder = default_embedder()
    table.add_row("embeddings", embedder.name, "yes",
                  "weights ship inside the wordllama wheel" if embedder.name.startswith("wordllama") else "wordllama failed to load; hashing fallback")
    # The same function the library itself uses, so `~` and FILMCREW_SOUNDS_DIR resolve alike.
    sounds_dir = default_sounds_dir()
    try:
        library = SoundLibrary(sounds_dir) if (sounds_dir / SoundLibrary.MANIFEST).exists() else None
    except InputError as exc:
        library = None
        table.add_row("sound library", str(sounds_dir), "NO", str(exc))
    if library is None:
        if not (sounds_dir / SoundLibrary.MANIFEST).exists():
            table.add_row("sound library", str(sounds_dir), "not built", "run `filmcrew setup` (make demo does)")
    else:
        imported = sum(1 for a in library.assets if not a.generated)
        state = "yes" if is_complete_default(library) else "incomplete"
        table.add_row("sound library", str(sounds_dir), state,
                      f"{len(library)} assets ({imported} imported); `filmcrew setup` completes or updates it")
    table.add_row("film references", f"{len(load_default_corpus())} shots", "yes", f"index cached in {cache_root() / 'film_references'}")
    table.add_row("ffmpeg", ffmpeg_exe(), "yes", "from the imageio-ffmpeg wheel")
    console.print(table)
    console.print("audiences: " + ", ".join(builtin_audiences()))
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    import time

    from filmcrew.memory.film_references import default_reference_index
    from filmcrew.tools.sound.library import default_library

    t0 = time.time()
    seen = [0]

    def progress(message: str) -> None:
        # One line in ten: enough to see it move without burying the result.
        seen[0] += 1
        if not args.quiet and seen[0] % 10 == 1:
            print(f"  {message}", file=sys.stderr)

    library = default_library(progress=progress)
    print(f"sound library: {len(library.assets)} assets in {library.root} ({time.time() - t0:.1f} s)", file=sys.stderr)
    t1 = time.time()
    index = default_reference_index()
    print(f"film references: {len(index)} shots indexed ({time.time() - t1:.1f} s)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    from filmcrew.errors import ConfigurationError, FilmcrewError, InputError, StageError

    parser = build_parser()
    args = parser.parse_args(argv)
    _quiet_logs()
    handlers = {"make": cmd_make, "resume": cmd_resume, "doctor": cmd_doctor, "setup": cmd_setup}
    try:
        return handlers[args.command](args)
    except (InputError, ConfigurationError) as exc:
        print(f"filmcrew: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except StageError as exc:
        print(f"filmcrew: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except FilmcrewError as exc:
        print(f"filmcrew: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("filmcrew: interrupted; finished stages are kept — `filmcrew resume DIR` continues", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
