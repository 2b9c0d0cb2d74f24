"""A multimodal model watches a cut: the video goes to Gemini, the critique comes back as text.

`GeminiWatcher.watch(video, prompt)` uploads the file through google-genai's
File API (a resumable upload), waits until the service has processed it,
then asks the model about it with the file and the prompt in one request.
The audience's review stage uses it when the audience plays on Gemini, so
the viewer's notes come from a model that saw and heard the rough cut rather
than from its description alone. The SDK is imported lazily; without it the
error names the extra to install.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Protocol

from filmcrew.errors import ConfigurationError, InputError, ProviderError

__all__ = ["VideoWatcher", "GeminiWatcher", "WATCH_EXTRA_HINT"]

WATCH_EXTRA_HINT = "pip install 'filmcrew[gemini]'"


class VideoWatcher(Protocol):
    """Anything that can watch a video file and say what it saw."""

    model: str

    def watch(self, video: Path, prompt: str) -> str: ...


class GeminiWatcher:
    """Gemini watching a video file (uploaded through the File API)."""

    def __init__(self, model: str, api_key: str, *, base_url: str | None = None, timeout: float = 120.0,
                 poll_interval: float = 1.0, max_wait: float = 300.0) -> None:
        if not api_key:
            raise ConfigurationError("Gemini needs an API key to watch the cut: set GEMINI_API_KEY (or GOOGLE_API_KEY)")
        self.model = model
        self._api_key = api_key
        self._base_url = base_url
        self._timeout = timeout
        self._poll = poll_interval
        self._max_wait = max_wait

    def _client(self) -> Any:
        try:
            from google import genai
            from google.genai import types
        except ImportError:
            raise ConfigurationError(f"watching the cut with Gemini needs google-genai: {WATCH_EXTRA_HINT}") from None
        options = types.HttpOptions(base_url=self._base_url, api_version="v1beta", timeout=int(self._timeout * 1000))
        return genai.Client(api_key=self._api_key, http_options=options)

    def watch(self, video: Path, prompt: str) -> str:
        video = Path(video)
        if not video.is_file():
            raise InputError(f"no video to watch at {video}")
        from google.genai import errors, types

        client = self._client()
        try:
            uploaded = client.files.upload(file=str(video), config=types.UploadFileConfig(mime_type="video/mp4"))
            waited = 0.0
            # A video is usable once the service has processed it; until then it answers PROCESSING.
            while uploaded.state is not None and uploaded.state.name == "PROCESSING":
                if waited >= self._max_wait:
                    raise ProviderError(f"Gemini did not finish processing {video.name} in {self._max_wait:.0f} s")
                time.sleep(self._poll)
                waited += self._poll
                uploaded = client.files.get(name=uploaded.name)
            if uploaded.state is not None and uploaded.state.name == "FAILED":
                raise ProviderError(f"Gemini could not process {video.name}")
            reply = client.models.generate_content(
                model=self.model,
                contents=[types.Part.from_uri(file_uri=uploaded.uri, mime_type=uploaded.mime_type or "video/mp4"), prompt],
            )
        except errors.APIError as exc:
            raise ProviderError(f"Gemini could not watch {video.name}: {exc.code} {exc.message}") from exc
        text = (reply.text or "").strip()
        if not text:
            raise ProviderError(f"Gemini watched {video.name} but said nothing")
        return text
