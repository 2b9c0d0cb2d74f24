"""A Gemini model watches the rough cut: the video is uploaded through the File API and the critique comes back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fakes.gemini_files import GeminiFilesServer, prompt_of
from filmcrew.errors import ConfigurationError, ProviderError
from filmcrew.tools.media import ffmpeg_exe
from filmcrew.tools.watching import GeminiWatcher


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "rough_cut.mp4"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=s=160x90:r=24:d=1", "-pix_fmt", "yuv420p", str(path)], check=True)
    return path


def test_gemini_watches_the_uploaded_video_and_critiques_it(video: Path):
    with GeminiFilesServer(processing_polls=2) as server:
        watcher = GeminiWatcher("gemini-2.5-flash", "key-local", base_url=server.url, poll_interval=0.01)
        text = watcher.watch(video, "As a short-drama viewer, critique this rough cut; do not edit it.")
        uploaded = dict(server.uploads)
        generate = [r for r in server.requests if r.route.endswith(":generateContent")]
        polls = dict(server.polls)
    assert list(uploaded.values()) == [video.read_bytes()]  # the whole file, byte for byte
    assert polls == {"f1": 2}  # waited while the service processed it
    assert len(generate) == 1 and "short-drama viewer" in prompt_of(generate[0])
    assert generate[0].headers["x-goog-api-key"] == "key-local"
    assert text.startswith(f"I watched {video.stat().st_size} bytes of video/mp4")


def test_a_video_gemini_cannot_process_is_a_provider_error(video: Path):
    with GeminiFilesServer(processing_polls=1, fail_processing=True) as server:
        watcher = GeminiWatcher("gemini-2.5-flash", "key-local", base_url=server.url, poll_interval=0.01)
        with pytest.raises(ProviderError, match="could not process"):
            watcher.watch(video, "critique")


def test_no_key_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="GEMINI_API_KEY"):
        GeminiWatcher("gemini-2.5-flash", "")
