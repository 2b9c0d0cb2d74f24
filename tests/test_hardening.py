"""Every bad input gets one clear line: a table of cases through the real CLI.

Each case builds its files in a sandbox folder, runs `filmcrew.cli.main` in
process, and must end with the expected exit code, one line on stderr that
names the problem (no traceback), within a generous time bound, leaving the
sandbox (and the system temp folder) as it found them.

Run this file as a script to print the probe counts (cases tried / handled
cleanly) for the current code: `.venv/bin/python tests/test_hardening.py`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
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


def probe() -> int:
    """Print each case's outcome and the counts; exit 0 when all are clean."""
    clean = 0
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="hardening-probe-") as tmp:
            problems = run_case(case, Path(tmp).resolve()).problems(case)
        clean += not problems
        print(f"{'ok ' if not problems else 'BAD'} {case.name}: {'; '.join(problems)}")
    print(f"cases tried: {len(CASES)}, handled cleanly: {clean}")
    return 0 if clean == len(CASES) else 1


if __name__ == "__main__":
    os.environ.setdefault("FILMCREW_CACHE_DIR", tempfile.mkdtemp(prefix="hardening-cache-"))
    for key in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ELEVENLABS_API_KEY", "KLING_ACCESS_KEY", "KLING_SECRET_KEY"):
        os.environ.pop(key, None)
    sys.exit(probe())
