"""The `filmcrew` command: make, resume, doctor, setup.

Bad input (empty text, a missing or unreadable image, an unwritable output
folder, an unknown audience, a value out of range, a file that is not UTF-8
text) is reported in one line that says what to do, with exit code 2, before
anything is written. A run that fails mid-way exits with 1 and keeps every
finished stage; `filmcrew resume DIR` continues it.

A run holds a lock on its folder (a second `make` or `resume` there exits 2
naming the holder's pid), creates its files private to the user (0700/0600),
keeps its temporaries inside the run folder and removes the ones a killed run
left behind, and never writes into a folder of the user's unless `--force`.
Everything printed passes through `filmcrew.redact`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

__all__ = ["main", "build_parser", "parse_brief"]

EXIT_INPUT = 2
EXIT_FAILED = 1
BRIEF_SUFFIXES = (".json", ".txt", ".md")
# Names a run writes at its top level besides the stages' outputs.
_RUN_NAMES = ("brief.json", "audience.json", "run_config.json", "manifest.json", "crew_state.json", "transcript.jsonl",
              "drafts", "clips", "stems", "audio", "frames", ".tmp")


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
    make.add_argument("--no-rhythm", action="store_true",
                      help="no audience review, analysis or fine cut from it: lock the rough cut as it is (ablation)")
    make.add_argument("--debate-rounds", type=int, help="rounds of propose/critique/revise inside a stage")
    make.add_argument("--size", metavar="WxH", help="clip resolution, e.g. 640x360 (default 1280x720, at most 4096 a side)")
    make.add_argument("--force", action="store_true",
                      help="write into an existing folder that is not a filmcrew run (files of yours there are never overwritten)")
    make.add_argument("--no-plugins", action="store_true", help="run without role plugins installed through entry points")

    resume = sub.add_parser("resume", help="continue an interrupted run from its first stale stage")
    resume.add_argument("dir")
    resume.add_argument("--step", action="store_true")
    resume.add_argument("--no-plugins", action="store_true", help="run without role plugins installed through entry points")

    sub.add_parser("doctor", help="which providers are configured, which offline defaults are in use, and why")
    sub.add_parser("setup", help="build the default offline indexes (sound library, film references)")
    from filmcrew.filmeval.cli import add_eval_parser

    add_eval_parser(sub)
    from filmcrew.index_cli import add_index_parser

    add_index_parser(sub)
    from filmcrew.sounds_cli import add_sounds_parser

    add_sounds_parser(sub)
    return parser


def parse_reference(value: str) -> Any:
    from filmcrew.errors import InputError
    from filmcrew.memory.models import ReferenceImage

    if "=" not in value:
        raise InputError(f"--ref {value[:80]!r} must be NAME=IMAGE (or location:NAME=IMAGE)")
    name, path = value.split("=", 1)
    kind = None
    if ":" in name and name.split(":", 1)[0] in ("character", "location"):
        kind, name = name.split(":", 1)
    name = name.strip()
    if not name or not path:
        raise InputError(f"--ref {value[:80]!r} must be NAME=IMAGE with both parts")
    if kind is None:
        # Characters are named with a capital (Elias); places in lower case (lighthouse).
        kind = "character" if name[0].isupper() else "location"
    return ReferenceImage.model_construct(name=name, kind=kind, path=str(Path(path).expanduser().absolute()))


def _brief_file(source: str) -> Path | None:
    """The file `source` names, or None when `source` is the brief's own text."""
    from filmcrew.errors import InputError
    from filmcrew.inputs import os_error_reason

    if "\n" in source or len(source) > 4096 or not source.strip():
        return None
    candidate = Path(source).expanduser()
    looks_like_file = candidate.suffix.lower() in BRIEF_SUFFIXES and " " not in candidate.name
    try:
        if candidate.exists():
            return candidate
    except OSError as exc:
        # A sentence with a slash in it is text, however long its "file name" part.
        if looks_like_file:
            raise InputError(f"cannot use brief file {source[:80]}...: {os_error_reason(exc)}") from None
        return None
    if looks_like_file:
        raise InputError(f"brief file {source} does not exist: check the path, or pass the brief as quoted text")
    return None


def _read_brief_file(path: Path) -> dict[str, Any]:
    from filmcrew.errors import InputError
    from filmcrew.inputs import read_text_file
    from filmcrew.memory.models import MAX_BRIEF_CHARS

    if path.is_dir():
        raise InputError(f"brief {path} is a folder: give a .txt, .md or .json file, or the brief as quoted text")
    # UTF-8 takes at most 4 bytes a character; JSON adds some punctuation.
    raw = read_text_file(path, "brief file", limit=4 * MAX_BRIEF_CHARS + 64 * 1024)
    if path.suffix.lower() != ".json":
        return {"text": raw.strip()}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"brief file {path} is not valid JSON ({exc.msg} at line {exc.lineno}): fix the syntax") from None
    except RecursionError:
        raise InputError(f"brief file {path} is nested too deeply to be a brief") from None
    if not isinstance(data, dict):
        raise InputError(f'brief file {path} must be a JSON object like {{"text": "..."}}, not a {type(data).__name__}')
    refs = data.get("references")
    if isinstance(refs, list):
        # Relative image paths are relative to the brief file, wherever `make` runs;
        # stored absolute, so `resume` works from any folder.
        data["references"] = [
            {**ref, "path": str((path.parent / Path(ref["path"]).expanduser()).absolute())}
            if isinstance(ref, dict) and isinstance(ref.get("path"), str) and ref["path"] else ref
            for ref in refs
        ]
    return data


def parse_brief(args: argparse.Namespace) -> Any:
    """The `Brief` from the command line: text or a brief file, plus the options that override it."""
    from pydantic import ValidationError

    from filmcrew.errors import InputError
    from filmcrew.inputs import describe_validation

    from filmcrew.memory.models import Brief

    source = args.brief
    brief_file = _brief_file(source)
    data = _read_brief_file(brief_file) if brief_file is not None else {"text": source.strip()}
    origin = f"brief file {brief_file}" if brief_file is not None else "the brief"
    flags: dict[str, str] = {}
    if args.ref:
        refs = [parse_reference(v).__dict__ for v in args.ref]
        existing = data.get("references", [])
        data["references"] = (existing if isinstance(existing, list) else [existing]) + refs
        flags["references"] = "--ref"
    if args.audience:
        data["audience"] = args.audience
        flags["audience"] = "--audience"
    if args.duration is not None:
        data["target_duration"] = args.duration
        flags["target_duration"] = "--duration"
    if args.style:
        data["style"] = args.style
        flags["style"] = "--style"
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        first = errors[0]
        field = str(first["loc"][0]) if first.get("loc") else ""
        if field == "text" and first.get("type") == "value_error" and len(errors) == 1:
            raise InputError(str(first["msg"]).removeprefix("Value error, ") + (f" ({origin})" if brief_file else "")) from None
        if field in flags and len(errors) == 1:
            raise InputError(f"{flags[field]} is invalid: {describe_validation(exc)}") from None
        raise InputError(f"{origin} is invalid: {describe_validation(exc)}") from None


def _our_names() -> set[str]:
    """Top-level names a run writes (so `--force` never overwrites a user's file)."""
    names = set(_RUN_NAMES)
    try:
        from filmcrew.orchestration.stages import default_stages

        for stage in default_stages():
            names.update(Path(name).parts[0] for name in stage.outputs)
    except Exception:  # noqa: BLE001 - the fixed names still protect the common files
        pass
    names.update(("film.mp4", "timeline.otio", "mix.wav"))
    return names


def check_out_dir(value: str | Path, *, force: bool = False) -> tuple[Path, bool]:
    """Resolve and prepare the run folder; return it and whether we created it (to remove on failure).

    Refuses an empty name, a file, and a non-empty folder that is not a filmcrew
    run (unless `force`, and even then never a folder holding a file the run would overwrite).
    """
    from filmcrew.errors import InputError
    from filmcrew.inputs import os_error_reason
    from filmcrew.memory.rundir import RunDir
    from filmcrew.memory.runlock import LOCK_FILE

    text = str(value)
    if not text.strip():
        raise InputError("--out is empty: name a folder for the run, e.g. --out runs/storm")
    shown = text if len(text) < 120 else text[:100] + "..."
    try:
        path = Path(text).expanduser().absolute()
        exists = path.exists()
        if exists and not path.is_dir():
            raise InputError(f"--out {path} is a file: give a folder for the run")
        entries = [p.name for p in path.iterdir() if p.name != LOCK_FILE] if exists else []
    except OSError as exc:
        raise InputError(f"cannot use --out {shown}: {os_error_reason(exc)}; choose another folder") from None
    if entries and not RunDir(path).is_run():
        if not force:
            raise InputError(
                f"--out {path} is not empty and is not a filmcrew run: choose a new or empty folder, "
                "or pass --force to add the run beside your files"
            )
        clashes = sorted(set(entries) & _our_names())
        if clashes:
            raise InputError(f"--out {path} already holds {clashes[0]}, which the run would overwrite: move it or choose another folder")
    created = not exists
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        if created and path.exists():
            shutil.rmtree(path, ignore_errors=True)
        raise InputError(f"cannot write to --out {shown}: {os_error_reason(exc)}; choose a folder you can write to") from None
    return path, created


@contextmanager
def run_session(root: Path) -> Iterator[Any]:
    """Hold the run's lock; clean what a killed run left; keep temporaries inside the run.

    Files are created private to the user (umask 077) while the run is on.
    """
    from filmcrew.memory.rundir import RunDir
    from filmcrew.memory.runlock import RunLock

    lock = RunLock(root).acquire()
    old_umask = os.umask(0o077)
    old_tempdir = tempfile.tempdir
    run = RunDir(root)
    try:
        run.clean_temporaries()
        tempfile.tempdir = str(run.temp_dir())
        yield run
    finally:
        tempfile.tempdir = old_tempdir
        shutil.rmtree(root / ".tmp", ignore_errors=True)
        os.umask(old_umask)
        lock.release()


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
        from rich.markup import escape as _escape

        from filmcrew.redact import redact

        def escape(text: str) -> str:
            # Agent text and provider errors may quote a key; nothing printed keeps one.
            return _escape(redact(str(text)))

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


class _Redacting:
    """A text stream that masks keys in what passes through it (rich renders a whole print in one write)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        from filmcrew.redact import redact

        return self._stream.write(redact(text))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")


def _redacted_table(table_cls: Any) -> Any:
    """A rich Table whose cells are redacted before layout (a wrapped cell would split a key)."""
    from filmcrew.redact import redact

    class RedactedTable(table_cls):  # type: ignore[misc, valid-type]
        def add_row(self, *cells: Any, **kwargs: Any) -> None:
            super().add_row(*(redact(c) if isinstance(c, str) else c for c in cells), **kwargs)

    return RedactedTable


class _RedactingFilter(logging.Filter):
    """Masks keys in log records before any handler prints them."""

    def filter(self, record: logging.LogRecord) -> bool:
        from filmcrew.redact import redact

        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is printed as is
            return True
        record.msg, record.args = redact(message), None
        return True


def _quiet_logs() -> None:
    # Library INFO logs (autogen events, faiss loader) would bury the crew's own output.
    logging.basicConfig(level=logging.WARNING)
    for name in ("autogen_core", "autogen_core.events", "autogen_agentchat", "faiss", "faiss.loader", "wordllama", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _RedactingFilter) for f in handler.filters):
            handler.addFilter(_RedactingFilter())


def _apply_overrides(config: Any, args: argparse.Namespace) -> Any:
    """Command-line settings, validated by the config model like the same values in a file."""
    from pydantic import ValidationError

    from filmcrew.errors import InputError
    from filmcrew.inputs import describe_validation

    if getattr(args, "no_camera_rag", False):
        config.use_camera_rag = False
    if getattr(args, "no_rhythm", False):
        config.use_rhythm_control = False
    if getattr(args, "debate_rounds", None) is not None:
        try:
            config.debate_rounds = args.debate_rounds
        except ValidationError as exc:
            raise InputError(f"--debate-rounds {args.debate_rounds} is out of range: {describe_validation(exc)}") from None
    if getattr(args, "size", None):
        usage = f"--size {args.size[:40]} must be WIDTHxHEIGHT with even numbers from 64 to 4096, e.g. 640x360"
        try:
            w, h = (int(x) for x in args.size.lower().split("x"))
        except ValueError:
            raise InputError(usage) from None
        try:
            config.clips = config.clips.model_validate({**config.clips.model_dump(), "width": w, "height": h})
        except ValidationError as exc:
            raise InputError(f"{usage} ({describe_validation(exc)})") from None
    return config


def _announce_plugins(crew: Any, quiet: bool) -> None:
    """Plugins run code in every make and resume: say which are loaded, and which were skipped."""
    from filmcrew.agents.builtin import BUILTIN_ROLES

    builtin = {spec.name for spec in BUILTIN_ROLES}
    extra = [name for name in crew.roles if name not in builtin]
    if extra and not quiet:
        print(f"filmcrew: role plugins loaded: {', '.join(extra)} (--no-plugins runs without them)", file=sys.stderr)
    for problem in crew.plugin_problems:
        print(f"filmcrew: {problem}", file=sys.stderr)


def cmd_make(args: argparse.Namespace) -> int:
    from filmcrew.config import load_config
    from filmcrew.memory.audiences import get_audience, load_audience_file
    from filmcrew.memory.runlock import LOCK_FILE, RunLockBusy
    from filmcrew.orchestration.crew import Crew
    from filmcrew.tools.clips.references import validate_references

    config = _apply_overrides(load_config(args.config), args)
    brief = parse_brief(args)
    audience = load_audience_file(args.audience_file) if args.audience_file else get_audience(brief.audience)
    if args.audience_file:
        brief = brief.model_copy(update={"audience": audience.name})
    validate_references(brief.references)
    out, created = check_out_dir(args.out, force=args.force)
    try:
        with run_session(out):
            crew = Crew.default(config=config, plugins=not args.no_plugins)
            _announce_plugins(crew, args.quiet)
            view = ConsoleView(quiet=args.quiet, step=args.step)
            try:
                asyncio.run(crew.start(brief, out, audience=audience))
            except BaseException:
                if created:
                    shutil.rmtree(out, ignore_errors=True)
                raise
            return asyncio.run(_drive(crew, view))
    except BaseException as exc:
        # The start failed before writing anything: leave no empty folder. When another
        # run holds the lock the folder is its, however new: leave it alone.
        if created and not isinstance(exc, RunLockBusy) and out.exists() and not any(p.name != LOCK_FILE for p in out.iterdir()):
            shutil.rmtree(out, ignore_errors=True)
        raise


def _run_folder(value: str) -> Path:
    from filmcrew.errors import InputError
    from filmcrew.inputs import os_error_reason
    from filmcrew.memory.rundir import RunDir

    try:
        path = Path(value).expanduser().absolute()
        if not path.exists():
            raise InputError(f"{path} does not exist: give the --out folder of an earlier `filmcrew make`")
        if not path.is_dir():
            raise InputError(f"{path} is a file, not a run folder: give the --out folder of an earlier `filmcrew make`")
        is_run = RunDir(path).path("brief.json").exists()
    except OSError as exc:
        raise InputError(f"cannot use run folder {value[:100]}: {os_error_reason(exc)}") from None
    if not is_run:
        raise InputError(f"{path} is not a filmcrew run directory (no brief.json): check the path")
    return path


def cmd_resume(args: argparse.Namespace) -> int:
    from filmcrew.orchestration.crew import Crew

    root = _run_folder(args.dir)
    view = ConsoleView(quiet=args.quiet, step=args.step)

    async def go() -> int:
        crew = await Crew.resume(root, plugins=not args.no_plugins)
        _announce_plugins(crew, args.quiet)
        return await _drive(crew, view)

    with run_session(root):
        return asyncio.run(go())


def cmd_doctor(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from filmcrew.agents.plugins import load_role_plugins
    from filmcrew.agents.providers import describe_chat_providers
    from filmcrew.config import load_config
    from filmcrew.errors import InputError
    from filmcrew.memory.audiences import builtin_audiences
    from filmcrew.memory.embeddings import default_embedder
    from filmcrew.memory.film_references import describe_reference_store
    from filmcrew.memory.sound_library import SoundLibrary, default_sounds_dir
    from filmcrew.tools.clips.providers import describe_clip_providers
    from filmcrew.tools.media import ffmpeg_exe
    from filmcrew.tools.sound.library import is_complete_default
    from filmcrew.tools.sound.providers import describe_speech_providers

    config = load_config(args.config)
    console = Console(file=_Redacting(sys.stdout))  # type: ignore[arg-type]  # a base URL may carry user:password
    console.print(f"[bold]filmcrew doctor[/]  config: {config.source}")
    table = _redacted_table(Table)("seam", "provider", "in use", "why")
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
    for row in describe_reference_store():
        table.add_row(row["seam"], row["provider"], "yes" if row["in_use"] else "-", row["reason"])
    table.add_row("ffmpeg", ffmpeg_exe(), "yes", "from the imageio-ffmpeg wheel")
    plugins, problems = load_role_plugins()
    for plugin in plugins:
        table.add_row("role plugin", plugin.name, "yes", f"{plugin.source}; runs in every make and resume (--no-plugins to skip)")
    for problem in problems:
        table.add_row("role plugin", "-", "NO", problem)
    if not plugins and not problems:
        table.add_row("role plugins", "none installed", "-", "entry point group filmcrew.roles")
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
    from filmcrew.filmeval.cli import cmd_eval

    from filmcrew.index_cli import cmd_index
    from filmcrew.sounds_cli import cmd_sounds

    handlers = {"make": cmd_make, "resume": cmd_resume, "doctor": cmd_doctor, "setup": cmd_setup, "eval": cmd_eval, "index": cmd_index,
                "sounds": cmd_sounds}
    def say(message: object) -> None:
        from filmcrew.redact import redact

        # One line: what went wrong and what to do; never a key.
        print("filmcrew: " + redact(" ".join(str(message).split())), file=sys.stderr)

    try:
        return handlers[args.command](args)
    except (InputError, ConfigurationError) as exc:
        say(exc)
        return EXIT_INPUT
    except StageError as exc:
        say(exc)
        return EXIT_FAILED
    except FilmcrewError as exc:
        say(exc)
        return EXIT_FAILED
    except OSError as exc:
        # The file system said no (no space left, a name too long, permission denied):
        # finished stages are on disk, so resuming after the fix continues the run.
        from filmcrew.inputs import os_error_reason

        where = f" ({exc.filename})" if exc.filename else ""
        say(f"{os_error_reason(exc)}{where}: fix that and run `filmcrew resume` on the run folder")
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("filmcrew: interrupted; finished stages are kept — `filmcrew resume DIR` continues", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
