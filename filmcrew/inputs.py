"""Reading the user's files: bounded, text-only, and reported in one line.

Every file a user hands us (a brief, an audience profile, a config) goes
through `read_text_file`: its size is checked before it is read, it must be
UTF-8 text, and a folder, a missing file or a name the file system refuses is
an `InputError` naming the path. `load_yaml_mapping` adds what YAML needs on
top: no aliases (a profile never needs them, and they are how a few hundred
bytes expand into gigabytes) and a mapping at the top. `describe_validation`
turns a pydantic error into one line that names every offending field
without echoing the input.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from filmcrew.errors import InputError

__all__ = [
    "MAX_TEXT_FILE_BYTES",
    "MAX_YAML_DEPTH",
    "read_text_file",
    "load_yaml_mapping",
    "describe_validation",
    "os_error_reason",
]

#: Largest user file we read (a brief, a profile, a config): 512 KiB is about
#: 80,000 words, far beyond any brief the limits in `Brief` accept.
MAX_TEXT_FILE_BYTES = 512 * 1024
#: Deepest YAML nesting we build: settings files are a few levels deep.
MAX_YAML_DEPTH = 32


def os_error_reason(exc: OSError) -> str:
    """A short, human reason for an `OSError` (the name is too long, no space...)."""
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long for the file system"
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    return exc.strerror or type(exc).__name__


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB" if n >= 1024 else f"{n} bytes"


def read_text_file(path: str | Path, what: str, *, limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The UTF-8 text of the user's file `path`, described as `what` in errors."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist: check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {str(path)[:120]}: {os_error_reason(exc)}") from None
    if path.is_dir():
        raise InputError(f"{what} {path} is a folder: give a file")
    if st.st_size > limit:
        raise InputError(f"{what} {path} is {_kib(st.st_size)}, above the limit of {_kib(limit)}: shorten it")
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {os_error_reason(exc)}") from None
    if len(data) > limit:  # a pipe or a file that grew since stat
        raise InputError(f"{what} {path} is above the limit of {_kib(limit)}: shorten it")
    if b"\x00" in data:
        raise InputError(f"{what} {path} is a binary file, not text: give a UTF-8 text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8 and try again"
        ) from None


def load_yaml_mapping(path: str | Path, what: str, *, limit: int = MAX_TEXT_FILE_BYTES) -> dict[str, Any]:
    """Parse the user's YAML file `path` into a mapping, refusing aliases."""
    import yaml

    text = read_text_file(path, what, limit=limit)
    try:
        # Walk the events first: an alias is refused before anything is built,
        # so a "billion laughs" file costs its own size, not its expansion.
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise InputError(f"{what} {path} uses YAML aliases (*name), which are not allowed: write the values out")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise InputError(f"{what} {path} is nested too deeply (more than {MAX_YAML_DEPTH} levels)")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        data = yaml.safe_load(text)
    except RecursionError:
        raise InputError(f"{what} {path} is nested too deeply to be a {what}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"{what} {path} is not valid YAML ({problem}{where}): fix the syntax") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{what} {path} must be a YAML mapping (key: value lines), not a {type(data).__name__}")
    return data


def describe_validation(exc: Any, *, limit: int = 4) -> str:
    """One line naming the fields a pydantic `ValidationError` is about, never the input."""
    missing: list[str] = []
    wrong: list[str] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(part) for part in err.get("loc", ())) or "(top level)"
        if err.get("type") == "missing":
            missing.append(loc)
        elif err.get("type") == "extra_forbidden":
            wrong.append(f"{loc}: unknown field")
        else:
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            wrong.append(f"{loc}: {msg}")
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing[:limit * 2]) + (" ..." if len(missing) > limit * 2 else ""))
    parts.extend(wrong[:limit])
    if len(wrong) > limit:
        parts.append(f"and {len(wrong) - limit} more")
    return "; ".join(parts)[:600]

