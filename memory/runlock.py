"""One process at a time in a run directory.

Two `make`s (or a `make` and a `resume`) writing the same folder interleave
their files into a film nobody asked for. `RunLock` takes an exclusive
`flock` on `<run>/.filmcrew.lock` and writes its pid there; a second process
gets an `InputError` naming the holder. The kernel drops a `flock` when its
holder exits for any reason (a crash or `kill -9` too), so a stale lock file
never blocks the next run: only a live holder does.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from filmcrew.errors import InputError

__all__ = ["LOCK_FILE", "RunLock", "RunLockBusy"]

LOCK_FILE = ".filmcrew.lock"


class RunLockBusy(InputError):
    """Another live process holds the run directory."""


class RunLock:
    """An exclusive, non-blocking lock on one run directory (a context manager)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.path = self.root / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> str:
        """The pid written by the current holder, or '?' when unreadable."""
        try:
            return self.path.read_text(encoding="ascii").strip() or "?"
        except (OSError, UnicodeDecodeError):
            return "?"

    def acquire(self) -> "RunLock":
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunLockBusy(
                f"{self.root} is in use by another filmcrew run (pid {self.holder()}): "
                "wait for it to finish, or stop it, then try again"
            ) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.ftruncate(fd, 0)
            finally:
                os.close(fd)  # closing drops the flock

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
