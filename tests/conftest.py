"""Shared fixtures: every test runs offline and writes only under tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# tests/fakes holds local fake provider servers; make it importable as `fakes`.
sys.path.insert(0, str(Path(__file__).parent))

# Nothing in the test run may reach a hub or a cloud API.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
for key in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ELEVENLABS_API_KEY", "KLING_ACCESS_KEY", "KLING_SECRET_KEY"):
    os.environ.pop(key, None)


@pytest.fixture
def sample_image(tmp_path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), (40, 90, 160))
    draw = ImageDraw.Draw(img)
    draw.ellipse((110, 40, 210, 200), fill=(220, 180, 140))
    path = tmp_path / "ref.png"
    img.save(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _isolated_caches(tmp_path_factory):
    """One sound library and clip cache per test session, never the user's."""
    root = tmp_path_factory.mktemp("filmcrew-cache")
    old = {k: os.environ.get(k) for k in ("FILMCREW_CACHE_DIR", "FILMCREW_SOUNDS_DIR")}
    os.environ["FILMCREW_CACHE_DIR"] = str(root / "cache")
    os.environ["FILMCREW_SOUNDS_DIR"] = os.environ.get("FILMCREW_TEST_SOUNDS_DIR", str(root / "sounds"))
    yield root
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value

