"""Every bad input gets one clear line: a table of cases through the real CLI.

Each case builds its files in a sandbox folder, runs `filmcrew.cli.main` in
process, and must end with the expected exit code, one line on stderr that
names the problem (no traceback), within a generous time bound, leaving the
sandbox (and the system temp folder) as it found them.

Run this file as a script to print the probe counts (cases tried / handled
cleanly) for the current code: `.venv/bin/python tests/test_hardening.py`.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import struct
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The sandbox builders return (argv, env overrides); paths are inside `box`.
Builder = Callable[[Path], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Case:
    name: str
    build: Builder
    needle: str  # a word the one-line message must contain (case-insensitive)
    code: int = 2
    # Paths (relative to the sandbox) the command may create or change.
    may_change: tuple[str, ...] = field(default_factory=tuple)


def _text(box: Path, name: str, content: str | bytes) -> Path:
    path = box / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _make(brief: str, box: Path, *extra: str) -> list[str]:
    return ["make", brief, "--out", str(box / "run"), *extra]


def _bomb_png(path: Path, side: int = 20000) -> Path:
    """A valid PNG header claiming side x side pixels, with a tiny (compressed) body."""
    raw = zlib.compress(b"\x00" * (side // 8 + 1) * 16, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
    return path


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "name: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
)

GOOD_AUDIENCE = (
    "name: night-festival\ndescription: midnight crowd\nage_range: '18-35'\npreferences: [shocks]\n"
    "attention_span_s: 12\npreferred_shot_length_s: 2.2\npacing: fast\ntone: wild\nexpectations: [a cold open]\n"
)
STORY = "A lighthouse keeper finds a message in a bottle during a storm."
CLIP_STORY = "A cat steals a fish at the night market."


def _json_brief(box: Path, payload: str) -> list[str]:
    return _make(str(_text(box, "brief.json", payload)), box)


def _user_dir_with_film(box: Path) -> list[str]:
    out = box / "mine"
    out.mkdir()
    (out / "film.mp4").write_bytes(b"my own film")
    (out / "notes.txt").write_text("keep me")
    return ["make", STORY, "--out", str(out)]


def _ref_case(box: Path, make_image: Callable[[Path], Path]) -> list[str]:
    image = make_image(box)
    return _make(STORY, box, "--ref", f"Elias={image}")


def _env(name: str, value: str) -> Builder:
    return lambda box: (_make(STORY, box), {name: value})


def _argv(build: Callable[[Path], list[str]]) -> Builder:
    return lambda box: (build(box), {})


CASES: list[Case] = [
    # -- the brief as text ----------------------------------------------------------
    Case("brief-punctuation", _argv(lambda b: _make("?!... ,;: --", b)), "words"),
    Case("brief-emoji", _argv(lambda b: _make("🎬🎥🔥🌊 🌙", b)), "words"),
    Case("brief-empty", _argv(lambda b: _make("   ", b)), "empty"),
    Case("brief-200k-argv", _argv(lambda b: _make("storm " * 40_000, b)), "limit"),
    # -- brief files ----------------------------------------------------------------
    Case("brief-1mb-txt", _argv(lambda b: _make(str(_text(b, "big.txt", "The storm rises. " * 62_000)), b)), "limit"),
    Case("brief-1mb-json", _argv(lambda b: _json_brief(b, json.dumps({"text": "The storm rises. " * 62_000}))), "limit"),
    Case("brief-not-utf8-txt", _argv(lambda b: _make(str(_text(b, "latin.txt", "caf\xe9 au bord de la mer".encode("latin-1"))), b)), "utf-8"),
    Case("brief-not-utf8-json", _argv(lambda b: _make(str(_text(b, "latin.json", b'{"text": "caf\xe9"}')), b)), "utf-8"),
    Case("brief-binary-file", _argv(lambda b: _make(str(_text(b, "story.bin", bytes(range(256)) * 8)), b)), "text"),
    Case("brief-directory", _argv(lambda b: _make(str(b), b)), "folder"),
    Case("brief-missing-file", _argv(lambda b: _make(str(b / "nope.txt"), b)), "does not exist"),
    Case("brief-long-file-name", _argv(lambda b: _make(str(b / ("x" * 300 + ".txt")), b)), "too long"),
    Case("brief-json-list", _argv(lambda b: _json_brief(b, "[1, 2, 3]")), "object"),
    Case("brief-json-string", _argv(lambda b: _json_brief(b, '"a storm"')), "object"),
    Case("brief-json-deep-nesting", _argv(lambda b: _json_brief(b, '{"text": ' + "[" * 100000 + "]" * 100000 + "}")), "nested"),
    Case("brief-json-bad-syntax", _argv(lambda b: _json_brief(b, '{"text": ')), "json"),
    Case("brief-json-references-number", _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "references": 5}))), "references"),
    Case("brief-json-text-number", _argv(lambda b: _json_brief(b, json.dumps({"text": 42}))), "text"),
    Case("brief-json-missing-text", _argv(lambda b: _json_brief(b, json.dumps({"style": "noir"}))), "text"),
    Case("brief-json-duration-string", _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "target_duration": "long"}))), "target_duration"),
    Case("brief-json-duration-infinity", _argv(lambda b: _json_brief(b, '{"text": "%s", "target_duration": Infinity}' % STORY)), "target_duration"),
    Case("brief-json-duration-1e9", _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "target_duration": 1e9}))), "target_duration"),
    Case("brief-json-duration-nan", _argv(lambda b: _json_brief(b, '{"text": "%s", "target_duration": NaN}' % STORY)), "target_duration"),
    Case("brief-json-unknown-field", _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "colour": "red"}))), "colour"),
    Case("brief-json-style-huge", _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "style": "noir " * 2000}))), "style"),
    Case("brief-json-relative-ref-missing",
         _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "references": [{"name": "Elias", "kind": "character", "path": "img/elias.png"}]}))),
         "img/elias.png"),
    Case("brief-json-ref-hostile-name",
         _argv(lambda b: _json_brief(b, json.dumps({"text": STORY, "references": [{"name": "../../etc", "kind": "character", "path": "x.png"}]}))),
         "name"),
    # -- command-line values --------------------------------------------------------
    Case("duration-nan", _argv(lambda b: _make(STORY, b, "--duration", "nan")), "duration"),
    Case("duration-inf", _argv(lambda b: _make(STORY, b, "--duration", "inf")), "duration"),
    Case("duration-negative", _argv(lambda b: _make(STORY, b, "--duration", "-5")), "duration"),
    Case("duration-1e9", _argv(lambda b: _make(STORY, b, "--duration", "1e9")), "duration"),
    Case("debate-rounds-negative", _argv(lambda b: _make(STORY, b, "--debate-rounds", "-1")), "debate"),
    Case("debate-rounds-1000", _argv(lambda b: _make(STORY, b, "--debate-rounds", "1000")), "debate"),
    Case("size-huge", _argv(lambda b: _make(STORY, b, "--size", "99998x99998")), "size"),
    Case("size-thin", _argv(lambda b: _make(STORY, b, "--size", "64x64000000")), "size"),
    Case("size-odd", _argv(lambda b: _make(STORY, b, "--size", "641x360")), "size"),
    Case("size-words", _argv(lambda b: _make(STORY, b, "--size", "big")), "size"),
    Case("style-huge", _argv(lambda b: _make(STORY, b, "--style", "noir " * 2000)), "style"),
    Case("audience-unknown", _argv(lambda b: _make(STORY, b, "--audience", "martians")), "audience"),
    # -- the output folder ----------------------------------------------------------
    Case("out-empty-string", _argv(lambda b: ["make", STORY, "--out", ""]), "--out"),
    Case("out-long-name", _argv(lambda b: ["make", STORY, "--out", str(b / ("r" * 300))]), "too long"),
    Case("out-is-a-file", _argv(lambda b: ["make", STORY, "--out", str(_text(b, "taken", "x"))]), "--out"),
    Case("out-user-folder", _argv(_user_dir_with_film), "--force"),
    Case("out-under-a-file", _argv(lambda b: ["make", STORY, "--out", str(_text(b, "blocker", "x") / "run")]), "--out"),
    # -- reference images -----------------------------------------------------------
    Case("ref-decompression-bomb", _argv(lambda b: _ref_case(b, lambda d: _bomb_png(d / "bomb.png"))), "pixels"),
    Case("ref-missing", _argv(lambda b: _make(STORY, b, "--ref", f"Elias={b / 'gone.png'}")), "gone.png"),
    Case("ref-not-image", _argv(lambda b: _ref_case(b, lambda d: _text(d, "notes.png", "hello"))), "notes.png"),
    Case("ref-directory", _argv(lambda b: _make(STORY, b, "--ref", f"Elias={b}")), "not a file"),
    Case("ref-no-equals", _argv(lambda b: _make(STORY, b, "--ref", "elias.png")), "NAME=IMAGE"),
    Case("ref-long-name", _argv(lambda b: _make(STORY, b, "--ref", f"Elias={b / ('p' * 300)}.png")), "too long"),
    # -- audience files -------------------------------------------------------------
    Case("audience-file-not-utf8", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "a.yaml", b"name: caf\xe9\n")))), "utf-8"),
    Case("audience-file-billion-laughs", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "lol.yaml", BILLION_LAUGHS)))), "alias"),
    Case("audience-file-missing-fields", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "few.yaml", "name: x\n")))), "description"),
    Case("audience-file-wrong-value", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "slow.yaml", GOOD_AUDIENCE.replace("fast", "glacial"))))), "pacing"),
    Case("audience-file-infinite-span", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "inf.yaml", GOOD_AUDIENCE.replace("attention_span_s: 12", "attention_span_s: .inf"))))), "attention_span_s"),
    Case("audience-file-deep-nesting", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "deep.yaml", "name: " + "[" * 20000 + "]" * 20000 + "\n")))), "nested"),
    Case("audience-file-list", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "list.yaml", "- a\n- b\n")))), "mapping"),
    Case("audience-file-directory", _argv(lambda b: _make(STORY, b, "--audience-file", str(b))), "folder"),
    Case("audience-file-huge", _argv(lambda b: _make(STORY, b, "--audience-file", str(_text(b, "big.yaml", "tone: " + "x" * 2_000_000 + "\n")))), "limit"),
    Case("audience-file-missing", _argv(lambda b: _make(STORY, b, "--audience-file", str(b / "none.yaml"))), "none.yaml"),
    # -- config ---------------------------------------------------------------------
    Case("config-not-utf8", _argv(lambda b: ["--config", str(_text(b, "c.yaml", b"chat: {model: caf\xe9}\n")), *_make(STORY, b)]), "utf-8"),
    Case("config-billion-laughs", _argv(lambda b: ["--config", str(_text(b, "c.yaml", BILLION_LAUGHS)), *_make(STORY, b)]), "alias"),
    Case("config-list", _argv(lambda b: ["--config", str(_text(b, "c.yaml", "- 1\n")), *_make(STORY, b)]), "mapping"),
    Case("config-wrong-type", _argv(lambda b: ["--config", str(_text(b, "c.yaml", "debate_rounds: many\n")), *_make(STORY, b)]), "debate_rounds"),
    Case("config-size-huge", _argv(lambda b: ["--config", str(_text(b, "c.yaml", "clips: {width: 99998, height: 99998}\n")), *_make(STORY, b)]), "width"),
    Case("config-missing", _argv(lambda b: ["--config", str(b / "none.yaml"), *_make(STORY, b)]), "none.yaml"),
    Case("config-directory", _argv(lambda b: ["--config", str(b), *_make(STORY, b)]), "folder"),
    # -- environment ----------------------------------------------------------------
    Case("env-clip-provider-bogus", _env("FILMCREW_CLIP_PROVIDER", "bogus"), "FILMCREW_CLIP_PROVIDER"),
    Case("env-speech-provider-bogus", _env("FILMCREW_SPEECH_PROVIDER", "bogus"), "FILMCREW_SPEECH_PROVIDER"),
    Case("env-chat-provider-bogus", _env("FILMCREW_CHAT_PROVIDER", "bogus"), "FILMCREW_CHAT"),
    Case("env-role-model-bogus", _env("FILMCREW_EDITOR_MODEL", "nonsense"), "provider:model"),
    Case("env-missing-key", _env("FILMCREW_CLIP_PROVIDER", "kling"), "KLING_ACCESS_KEY"),
    # -- resume ---------------------------------------------------------------------
    Case("resume-missing-dir", _argv(lambda b: ["resume", str(b / "nope")]), "nope"),
    Case("resume-not-a-run", _argv(lambda b: ["resume", str(b)]), "not a filmcrew run"),
    Case("resume-a-file", _argv(lambda b: ["resume", str(_text(b, "f.txt", "x"))]), "f.txt"),
]

TIME_LIMIT_S = 30.0


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _temp_entries() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("filmcrew-*")}


@dataclass
class Outcome:
    code: int | None
    err: str
    seconds: float
    changed: list[str]
    traceback: str = ""

    def problems(self, case: Case) -> list[str]:
        found = []
        lines = [line for line in self.err.strip().splitlines() if line.strip()]
        if self.traceback or "Traceback" in self.err:
            found.append(f"traceback: {(self.traceback or self.err).strip().splitlines()[-1][:200]}")
        if self.code != case.code:
            found.append(f"exit {self.code}, expected {case.code}")
        if len(lines) != 1:
            found.append(f"{len(lines)} lines on stderr")
        if case.needle.lower() not in self.err.lower():
            found.append(f"message lacks {case.needle!r}: {self.err.strip()[:200]!r}")
        if self.seconds > TIME_LIMIT_S:
            found.append(f"took {self.seconds:.1f} s")
        if self.changed:
            found.append(f"changed {self.changed[:5]}")
        return found


class RunStarted(Exception):
    """Raised in place of the first agent turn: every case must fail before that."""


async def _refuse_turns(*args, **kwargs):
    raise RunStarted("the production started: the bad input was not caught")


def run_case(case: Case, box: Path) -> Outcome:
    import filmcrew.cli as cli

    argv, env = case.build(box)
    before, temps = _snapshot(box), _temp_entries()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(box)  # so a stray relative write would show up in the sandbox
    code: int | None = None
    tb = ""
    t0 = time.monotonic()
    real_drive = cli._drive
    cli._drive = _refuse_turns
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - the probe records any escape as a failure
        tb = traceback.format_exc()
    finally:
        seconds = time.monotonic() - t0
        cli._drive = real_drive
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    after = _snapshot(box)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and not k.startswith(case.may_change or ("\0",)))
    changed += sorted(f"$TMP/{name}" for name in _temp_entries() - temps)
    return Outcome(code, err.getvalue(), seconds, changed, tb)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_one_clear_line(case: Case, tmp_path: Path):
    outcome = run_case(case, tmp_path)
    assert not outcome.problems(case), (outcome.problems(case), outcome.err)


# -- the run directory: lock, private files, temporaries ---------------------------------


def test_a_second_run_in_the_same_folder_names_the_holder_and_a_kill_frees_it(tmp_path: Path, capsys):
    import signal
    import subprocess

    from filmcrew.cli import main
    from filmcrew.memory.runlock import RunLock

    out = tmp_path / "run"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filmcrew.memory.runlock import RunLock; RunLock(sys.argv[1]).acquire(); "
         "print('locked', flush=True); time.sleep(120)", str(out)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["make", STORY, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"pid {holder.pid}" in err and len(err.strip().splitlines()) == 1
        assert sorted(p.name for p in out.iterdir()) == [".filmcrew.lock"]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # The kernel dropped the lock with its holder: the next run takes it.
    with RunLock(out) as lock:
        assert lock.held and lock.holder() == str(os.getpid())


def test_stale_temporaries_are_removed_and_the_users_files_kept(tmp_path: Path):
    from filmcrew.cli import run_session

    run = tmp_path / "run"
    (run / "stems").mkdir(parents=True)
    (run / "stems" / ".voice.k3x9_ab2.tmp.wav").write_bytes(b"half a mix")
    (run / ".filmcrew-render-q1w2e3r4").mkdir()
    (run / ".filmcrew-render-q1w2e3r4" / "seg0000.mp4").write_bytes(b"x")
    (run / ".tmp").mkdir()
    (run / ".tmp" / "leftover").write_text("x")
    (run / "stems" / "voice.wav").write_bytes(b"a finished stem")
    (run / ".notes.tmp.txt").write_text("a user's file that only looks temporary")
    with run_session(run) as rundir:
        assert tempfile.gettempdir() == str(run / ".tmp")  # temporaries stay inside the run
        assert sorted(p.name for p in (run / "stems").iterdir()) == ["voice.wav"]
        assert not (run / ".filmcrew-render-q1w2e3r4").exists()
        assert (run / ".notes.tmp.txt").exists()
        rundir.append_transcript({"speaker": "editor", "content": "hello"})
        rundir.write_json("crew_state.json", {"a": 1})
        (run / "clips").mkdir()
    assert tempfile.gettempdir() != str(run / ".tmp") and not (run / ".tmp").exists()
    # Private: files 0600, folders 0700, whatever the user's umask.
    for path in [run / "transcript.jsonl", run / "crew_state.json", run / ".filmcrew.lock"]:
        assert path.stat().st_mode & 0o077 == 0, path
    assert (run / "clips").stat().st_mode & 0o077 == 0


def test_a_new_run_folder_is_private(tmp_path: Path):
    from filmcrew.memory.rundir import RunDir

    old = os.umask(0o022)
    try:
        run = RunDir(tmp_path / "fresh").ensure()
        run.append_transcript({"content": "x"})
    finally:
        os.umask(old)
    assert run.root.stat().st_mode & 0o777 == 0o700
    assert run.path("transcript.jsonl").stat().st_mode & 0o777 == 0o600


def test_out_folder_with_force_never_overwrites_a_users_file(tmp_path: Path):
    from filmcrew.cli import check_out_dir
    from filmcrew.errors import InputError

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="--force"):
        check_out_dir(str(mine))
    assert check_out_dir(str(mine), force=True) == (mine, False)
    (mine / "film.mp4").write_bytes(b"my own film")
    with pytest.raises(InputError, match="film.mp4"):
        check_out_dir(str(mine), force=True)
    assert (mine / "film.mp4").read_bytes() == b"my own film"


# -- names a model writes -------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ["../../x", "/etc/passwd", "..", ".hidden", "a/b", "a\\b", "x" * 65, ""])
def test_ids_that_could_leave_the_run_are_refused_where_they_are_parsed(hostile: str):
    from pydantic import ValidationError

    from filmcrew.memory.models import ClipAsset, SceneBlock, Shot, ShotVoice, SoundCue

    shot = dict(id="s1", block_id="b1", shot_size="wide", movement="static", angle="eye_level", action="x", duration=2.0)
    with pytest.raises(ValidationError):
        Shot(**{**shot, "id": hostile})
    with pytest.raises(ValidationError):
        Shot(**{**shot, "block_id": hostile})
    with pytest.raises(ValidationError):
        SceneBlock(id=hostile, prompt="p", time_of_day="day", location="l", characters=[], visual_elements=[],
                   narrative_objective="n", rough_sound="r")
    with pytest.raises(ValidationError):
        ShotVoice(shot_id=hostile, text="t")
    with pytest.raises(ValidationError):
        SoundCue(id=hostile, layer="sfx", scale="shot", start=0, duration=1, asset="a.wav")
    with pytest.raises(ValidationError):
        ClipAsset(shot_id=hostile, block_id="b1", path="p", duration=1, frames=1, fps=24, width=2, height=2,
                  provider="x", input_hash="h")
    Shot(**shot)  # the ids real runs use still pass
    Shot(**{**shot, "id": "b1-s3.2", "block_id": "B_1"})


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e12, -1.0])
def test_numbers_a_model_writes_are_bounded(value: float):
    from pydantic import ValidationError

    from filmcrew.memory.models import EffectRequest, Shot, SoundCue

    with pytest.raises(ValidationError):
        SoundCue(id="c1", layer="sfx", scale="shot", start=0, duration=value, asset="a.wav")
    with pytest.raises(ValidationError):
        SoundCue(id="c1", layer="sfx", scale="shot", start=value, duration=1, asset="a.wav")
    with pytest.raises(ValidationError):
        EffectRequest(shot_id="s1", query="door", at=value, syncs_to="the door")
    with pytest.raises(ValidationError):
        Shot(id="s1", block_id="b1", shot_size="wide", movement="static", angle="eye_level", action="x", duration=value)


def test_every_run_path_stays_inside_the_run(tmp_path: Path):
    from filmcrew.errors import InputError
    from filmcrew.memory.rundir import RunDir

    run = RunDir(tmp_path / "run").ensure()
    for name in ("../escape.json", "/tmp/escape.json", "clips/../../escape.json"):
        with pytest.raises(InputError, match="outside the run"):
            run.write_json(name, {"x": 1})
    assert run.path("clips/s1.mp4") == run.root / "clips" / "s1.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


async def test_a_hostile_shot_id_from_the_model_is_sent_back_and_nothing_leaves_the_run(tmp_path: Path):
    """A prompt-injected cinematographer answers with `../../escape` as a shot id."""
    from support import small_config

    from filmcrew.agents.builtin import BUILTIN_ROLES
    from filmcrew.memory.models import Script
    from filmcrew.orchestration.crew import Crew
    from filmcrew.testing import ScriptedChatCompletionClient

    run = tmp_path / "deep" / "run"

    def hostile_plan(messages, tools, json_output):
        script = Script.model_validate_json((run / "script.json").read_text())
        block = script.blocks[0].id
        shot = dict(block_id=block, shot_size="wide", movement="static", angle="eye_level", action="The keeper climbs.", duration=3.0)
        return {"shots": [{**shot, "id": "../../escape"}, {**shot, "id": "s2"}], "used_references": False, "rounds": 1}

    client = ScriptedChatCompletionClient(hostile_plan)
    roles = [spec.with_model(client) if spec.name == "cinematographer" else spec for spec in BUILTIN_ROLES]
    config = small_config()
    config.max_output_retries = 1
    crew = Crew(roles, config=config)
    await crew.start(STORY, run)
    events = []
    while not crew.done and not crew.production.failure and len(events) < 40:
        events += await crew.step()
    assert crew.production.failure and crew.production.failed_stage == "camera"
    assert any("pattern" in call.text and "escape" in call.text for call in client.calls[1:]), "the reason goes back to the model"
    outside = [p for p in tmp_path.rglob("*") if run not in p.parents and p not in (run, run.parent)]
    assert outside == []
    assert not (run / "shot_plan.json").exists()


# -- corrupt run files ------------------------------------------------------------------------


@pytest.fixture
def started_run(tmp_path: Path) -> Path:
    import asyncio

    from support import small_config

    from filmcrew.orchestration.crew import Crew

    run = tmp_path / "run"

    async def start() -> None:
        crew = Crew.default(config=small_config(), plugins=False)
        await crew.start(STORY, run)
        await crew.save_state()

    asyncio.run(start())
    return run


_RECOVERY = {"brief.json": "filmcrew make", "audience.json": "filmcrew make", "run_config.json": "delete it", "crew_state.json": "delete it"}
# A conversation of the wrong shape is not an error: resume drops it (it only costs context).
_DAMAGES = [(name, damage) for name in _RECOVERY for damage in ("truncated", "wrong-shape", "not-utf8")
            if (name, damage) != ("crew_state.json", "wrong-shape")]


@pytest.mark.parametrize("name,damage", _DAMAGES, ids=[f"{n}-{d}" for n, d in _DAMAGES])
def test_a_damaged_run_file_is_one_line_naming_it_and_the_way_back(started_run: Path, name: str, damage: str, capsys):
    recovery = _RECOVERY[name]
    from filmcrew.cli import main

    path = started_run / name
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif damage == "wrong-shape":
        path.write_text('[{"unexpected": true}]' if name != "crew_state.json" else '"a string"')
    else:
        path.write_bytes(b'{"text": "caf\xe9"}')
    before = _snapshot(started_run)
    assert main(["resume", str(started_run)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert name in err and recovery in err and "damaged" in err
    after = _snapshot(started_run)
    assert {k: v for k, v in after.items() if k != ".filmcrew.lock"} == {k: v for k, v in before.items() if k != ".filmcrew.lock"}


async def test_a_damaged_manifest_is_rebuilt_from_the_stage_outputs(tmp_path: Path):
    from support import small_config

    from filmcrew.orchestration.crew import Crew

    run = tmp_path / "run"
    crew = Crew.default(config=small_config(), plugins=False)
    await crew.start(STORY, run)
    while not (run / "script.json").exists():
        await crew.step()
    await crew.save_state()
    (run / "manifest.json").write_text('{"stages": {"script": ')  # cut short
    resumed = await Crew.resume(run, plugins=False)
    assert resumed.production.current_stage.name != "script"  # the finished stage is kept
    assert (run / "manifest.json.damaged").exists()
    assert "script" in json.loads((run / "manifest.json").read_text())["stages"]
    # A damaged stage output is redone instead.
    (run / "script.json").write_text('{"synopsis": ')
    again = await Crew.resume(run, plugins=False)
    assert again.production.current_stage.name == "script"


def test_a_full_disk_is_named_with_the_path_and_finished_stages_stay(started_run: Path, monkeypatch, capsys):
    import errno

    import filmcrew.memory.rundir as rundir_module
    from filmcrew.cli import main

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = {p.name: p.read_bytes() for p in started_run.iterdir() if p.is_file() and p.suffix == ".json"}
    monkeypatch.setattr(rundir_module.os, "fsync", full)
    code = main(["-q", "resume", str(started_run)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert "no space left on device" in err.lower() and str(started_run) in err
    # Nothing half-written replaced a finished file.
    for name, data in before.items():
        assert (started_run / name).read_bytes() == data, name
    assert not [p for p in started_run.rglob("*.tmp*")]


def test_a_vague_library_error_on_a_full_disk_says_so(started_run: Path, monkeypatch):
    import asyncio
    import shutil as _shutil
    from collections import namedtuple

    from filmcrew.orchestration.crew import Crew

    crew = asyncio.run(Crew.resume(started_run, plugins=False))
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(_shutil, "disk_usage", lambda path: usage(10**9, 10**9, 1024))
    note = crew.production._disk_note(RuntimeError("System error."))
    assert "no space left on device" in note and str(started_run) in note


def test_a_truncated_clip_is_detected(tmp_path: Path):
    from fakes.video_servers import make_tiny_mp4

    from filmcrew.tools.media import clip_problem

    clip = tmp_path / "s1.mp4"
    make_tiny_mp4(clip, seconds=1.0, fps=24)
    assert clip_problem(clip, 24) is None
    assert "frames" in clip_problem(clip, 48)
    clip.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    assert clip_problem(clip, 24) is not None
    assert clip_problem(tmp_path / "gone.mp4") == "missing"


async def test_a_truncated_clip_makes_resume_render_it_again(tmp_path: Path):
    from support import small_config

    from filmcrew.orchestration.crew import Crew
    from filmcrew.tools.media import clip_problem

    run = tmp_path / "run"
    config = small_config()
    config.debate_rounds = 0
    crew = Crew.default(config=config, plugins=False)
    await crew.start(CLIP_STORY, run)
    while not (run / "clips.json").exists() and not crew.production.failure:
        await crew.step()
    await crew.save_state()
    clips = json.loads((run / "clips.json").read_text())["clips"]
    victim = Path(clips[0]["path"])
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])  # a crash mid-write
    assert clip_problem(victim, clips[0]["frames"]) is not None
    resumed = await Crew.resume(run, plugins=False)
    assert resumed.production.current_stage.name == "clips"
    while resumed.production.current_stage.name == "clips" and not resumed.production.failure:
        await resumed.step()
    assert clip_problem(victim, clips[0]["frames"]) is None


async def test_the_clip_cache_checks_content_and_copies(tmp_path: Path):
    import shutil as _shutil

    from fakes.video_servers import make_tiny_mp4

    from filmcrew.memory.models import ClipAsset, Shot
    from filmcrew.tools.clips.base import ClipGenerator
    from filmcrew.tools.clips.service import ClipJob, ClipService
    from filmcrew.tools.clips.shots import clip_asset_from_file

    source = tmp_path / "tiny.mp4"
    make_tiny_mp4(source)

    class Copy(ClipGenerator):
        name = "copy"
        calls = 0

        async def generate(self, shot, references, duration, resolution, out_path, *, fps=24, look=None) -> ClipAsset:
            Copy.calls += 1
            Path(out_path).parent.mkdir(parents=True, exist_ok=True)
            _shutil.copyfile(source, out_path)
            return clip_asset_from_file(out_path, shot=shot, provider=self.name, input_hash="x")

    shot = Shot(id="s1", block_id="b1", shot_size="wide", movement="static", angle="eye_level", action="x", duration=1.0)
    service = ClipService(Copy(), tmp_path / "cache", resolution=(160, 90), fps=24)
    first = tmp_path / "run1" / "s1.mp4"
    await service.generate(ClipJob(shot, [], 1.0, first))
    second = tmp_path / "run2" / "s1.mp4"
    asset = await service.generate(ClipJob(shot, [], 1.0, second))
    assert Copy.calls == 1 and asset.metadata["cached"] and asset.metadata["content_sha256"]
    assert first.stat().st_ino != second.stat().st_ino  # copies, not links
    # A run damaging its clip does not damage the cache...
    first.write_bytes(b"damaged")
    third = tmp_path / "run3" / "s1.mp4"
    await service.generate(ClipJob(shot, [], 1.0, third))
    assert Copy.calls == 1 and third.read_bytes() == source.read_bytes()
    # ...and a damaged cache entry is dropped and rendered again.
    entry = next((tmp_path / "cache").glob("*.mp4"))
    entry.write_bytes(entry.read_bytes()[:100])
    fourth = tmp_path / "run4" / "s1.mp4"
    await service.generate(ClipJob(shot, [], 1.0, fourth))
    assert Copy.calls == 2 and fourth.read_bytes() == source.read_bytes()


# -- secrets ------------------------------------------------------------------------------------


def test_redact_masks_configured_keys_key_shapes_and_url_credentials():
    from filmcrew.redact import redact

    env = {"OPENAI_API_KEY": "plainsecretvalue42", "HOME": "/root"}
    text = ("key plainsecretvalue42; Authorization: Bearer abc.def-123456789 sk-proj-ABCDEFGHIJKLMNOP1234 "
            "AIzaSyA1234567890abcdefghijklmnopqrstuv http://alice:hunter2@example.com/v1 ?key=zzz123456&x=1 /root")
    out = redact(text, env=env)
    for secret in ("plainsecretvalue42", "abc.def-123456789", "sk-proj-ABCDEFGHIJKLMNOP1234", "AIzaSyA1234567890", "hunter2", "zzz123456"):
        assert secret not in out
    assert "http://***@example.com/v1" in out and "/root" in out and "x=1" in out


def test_an_echoing_server_never_gets_a_key_into_what_we_print_or_write(tmp_path: Path, monkeypatch, capsys):
    from fakes.echo_server import EchoingOpenAIServer

    from filmcrew.cli import main

    key = "sk-live-Zq8rT5uW2yB4nM6pL0kJ"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    monkeypatch.setenv("FILMCREW_CHAT_PROVIDER", "openai")
    monkeypatch.setenv("FILMCREW_CHAT_MODEL", "gpt-test")
    out = tmp_path / "run"
    with EchoingOpenAIServer() as server:
        host = server.base_url.split("://", 1)[1]
        monkeypatch.setenv("FILMCREW_CHAT_BASE_URL", f"http://deploy:pa55word-x9@{host}")
        code = main(["make", STORY, "--out", str(out), "--size", "320x180"])
        echoed = [r.headers.get("authorization", "") for r in server.requests]
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    # The server got credentials (the key, or the URL's user info as Basic auth) and echoed them.
    basic = base64.b64encode(b"deploy:pa55word-x9").decode()
    secrets = (key, "pa55word-x9", basic)
    assert echoed and all(any(s in h for s in secrets) for h in echoed), echoed
    assert "Incorrect API key" in err or "401" in err
    for path in [p for p in out.rglob("*") if p.is_file()]:
        text = path.read_bytes().decode("utf-8", "replace")
        assert not [s for s in secrets if s in text], path.name
    assert not [s for s in secrets if s in err]
    assert {"transcript.jsonl", "crew_state.json", "run_config.json"} <= {p.name for p in out.iterdir()}
    assert "***@" in (out / "run_config.json").read_text()


def probe() -> int:
    """Print each case's outcome and the counts; exit 0 when all are clean."""
    clean = 0
    slowest = (0.0, "")
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="hardening-probe-") as tmp:
            outcome = run_case(case, Path(tmp).resolve())
        problems = outcome.problems(case)
        clean += not problems
        slowest = max(slowest, (outcome.seconds, case.name))
        print(f"{'ok ' if not problems else 'BAD'} {case.name} ({outcome.seconds:.2f} s): {'; '.join(problems)}")
    print(f"cases tried: {len(CASES)}, handled cleanly: {clean}; slowest {slowest[1]} {slowest[0]:.2f} s")
    return 0 if clean == len(CASES) else 1


if __name__ == "__main__":
    os.environ.setdefault("FILMCREW_CACHE_DIR", tempfile.mkdtemp(prefix="hardening-cache-"))
    for key in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ELEVENLABS_API_KEY", "KLING_ACCESS_KEY", "KLING_SECRET_KEY"):
        os.environ.pop(key, None)
    sys.exit(probe())
