"""Keep a dependency's import from changing the application's logging.

A library must leave logging to the program that uses it. Some dependencies
configure the root logger when imported: `wordllama` calls
`logging.basicConfig(level=INFO)`, after which every INFO record of every
library (autogen's event log with full JSON payloads, for one) reaches the
user's stderr. `root_logging_kept()` wraps such an import and puts the root
logger's level and handlers back as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["root_logging_kept"]


@contextmanager
def root_logging_kept() -> Iterator[None]:
    """Restore the root logger's level and handlers after the block (an import)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
