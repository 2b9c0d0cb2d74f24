"""The package installs under one import root and imports fast."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest

PACKAGES = ["filmcrew", "filmcrew.agents", "filmcrew.tools", "filmcrew.tools.clips", "filmcrew.tools.sound",
            "filmcrew.memory", "filmcrew.orchestration", "filmcrew.prompts"]


def test_subpackages_import_from_outside_the_repository(tmp_path):
    code = "import filmcrew.agents, filmcrew.tools, filmcrew.memory, filmcrew.orchestration, filmcrew.prompts; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    for generic in ("agents", "tools", "memory", "orchestration", "prompts"):
        probe = subprocess.run([sys.executable, "-c", f"import {generic}"], cwd=tmp_path, capture_output=True, text=True)
        assert probe.returncode != 0, f"a generic top-level package {generic!r} is installed"


def test_import_filmcrew_does_not_load_heavy_libraries(tmp_path):
    code = "import sys, filmcrew; print(sorted(m for m in ('autogen_agentchat', 'opentimelineio', 'numpy', 'faiss', 'openai') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=os.environ.copy())
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_has_a_docstring_and_an_explicit_all(name):
    module = importlib.import_module(name)
    assert module.__doc__ and len(module.__doc__.strip()) > 40
    assert isinstance(module.__all__, (list, tuple)) and module.__all__
