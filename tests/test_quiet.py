"""filmcrew as a library leaves the program's logging alone: a crew driven
through the public API with logging untouched prints nothing."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_PROGRAM = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from filmcrew import Crew, load_config
    from filmcrew.memory.models import Brief

    async def main(run_dir, whole):
        config = load_config(env={})
        config.clips.width, config.clips.height = 320, 180
        crew = Crew.default(config=config)
        brief = Brief(text="A street cat named Pixel steals a fish from the night market.", target_duration=8)
        if whole:
            await crew.run(brief, run_dir)
        else:
            await crew.start(brief, run_dir)
            # Through the script (autogen's event log fires) to the camera plan
            # (film references through the embedder, wordllama).
            for _ in range(12):
                if Path(run_dir, "drafts", "camera.round1.json").exists():
                    break
                await crew.step()

    asyncio.run(main(sys.argv[1], sys.argv[2] == "whole"))
    """
)


def _run(tmp_path: Path, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _PROGRAM, str(tmp_path / "run"), mode], capture_output=True, text=True,
                          timeout=1200, cwd=tmp_path)


def test_a_crew_driven_through_the_public_api_prints_nothing(tmp_path: Path):
    done = _run(tmp_path, "steps")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "run" / "drafts" / "camera.round1.json").is_file()
    # Before: importing wordllama set the root logger to INFO with a stderr
    # handler, and every autogen event (full JSON payloads) was printed.
    assert done.stderr == "" and done.stdout == ""


@pytest.mark.slow
def test_a_whole_film_made_through_the_public_api_prints_nothing(tmp_path: Path):
    done = _run(tmp_path, "whole")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "run" / "film.mp4").is_file()
    assert done.stderr == "" and done.stdout == ""


def test_an_import_that_configures_logging_is_undone():
    from filmcrew._quiet import root_logging_kept

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    with root_logging_kept():
        # What wordllama does at import (force: pytest's own handlers are on the root).
        logging.basicConfig(level=logging.INFO, force=True)
        assert root.level == logging.INFO
    assert root.level == level and root.handlers == handlers
