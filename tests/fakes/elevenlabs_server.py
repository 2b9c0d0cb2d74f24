"""A fake ElevenLabs API on 127.0.0.1 that speaks the real wire protocol.

Endpoints: `POST /v1/text-to-speech/{voice_id}`, `POST /v1/sound-generation`
(both honour `output_format` = pcm_<rate> or mp3_<rate>_<kbps>) and
`GET /v1/voices`. Requests need the `xi-api-key` header; errors come back in
ElevenLabs' `{"detail": {"status", "message"}}` shape. Tests queue failures
with `fail_next(...)` and read what was sent in `requests`.

    with FakeElevenLabs() as fake:
        fake.fail_next(429, headers={"Retry-After": "1"})
        synth = ElevenLabsSynthesizer(fake.api_key, base_url=fake.base_url)
"""

from __future__ import annotations

import subprocess
from collections import deque
from typing import Any

import numpy as np

from .http import LocalHTTPServer, RecordedRequest, Reply

__all__ = ["FakeElevenLabs", "VOICES"]

VOICES = [
    {"voice_id": "JBFqnCBsd6RMkjVDRZzb", "name": "George", "category": "premade"},
    {"voice_id": "21m00Tcm4TlvDq8ikWAM", "name": "Rachel", "category": "premade"},
    {"voice_id": "cl0n3dV01c3xxxxxxxxx", "name": "Narrator Clone", "category": "cloned"},
]

# Voices text-to-speech accepts: the listed ones plus premade voices that
# filmcrew's PREMADE_VOICES names but `GET /v1/voices` does not list here.
_KNOWN_VOICE_IDS = {v["voice_id"] for v in VOICES} | {
    "CwhRBWXzGAHq8TQ4Fs17", "EXAVITQu4vr4xnSDxMaL", "29vD33N1CtxCmqQRPOHJ", "9BWtsMINqrJLrRacOk9x",
    "2EiwWnXFnvU5JabPnv8n", "AZnzlk1XvdvUeBnXmlld", "CYw3kZ02Hs0563khs1Fj", "D38z5RcWu1voky8WS1ja",
    "5Q0t7uMcjvnagumLfvZi",
}


def _tone(seconds: float, rate: int, f0: float) -> np.ndarray:
    """Speech-like test audio: a buzzy harmonic tone with a syllable rhythm."""
    t = np.arange(int(seconds * rate)) / rate
    x = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 8))
    x *= 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
    return (0.3 * x / np.max(np.abs(x) + 1e-9) * 32767).astype("<i2")


def _encode(samples: np.ndarray, output_format: str) -> tuple[bytes, str]:
    kind, _, rest = output_format.partition("_")
    rate = int(rest.split("_")[0])
    if kind == "pcm":
        return samples.tobytes(), "application/octet-stream"
    if kind == "mp3":
        from filmcrew.tools.media import ffmpeg_exe

        proc = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1",
             "-i", "pipe:0", "-f", "mp3", "pipe:1"],
            input=samples.tobytes(), capture_output=True, check=True,
        )
        return proc.stdout, "audio/mpeg"
    raise ValueError(output_format)


class FakeElevenLabs(LocalHTTPServer):
    """The ElevenLabs endpoints above; point a client at `base_url` with `api_key`.

    `requests` holds one dict per request: method, path (no query), query,
    json (None when the body is not JSON) and lower-cased headers.
    """

    # This fake has always answered as HTTP/1.0 (one request per connection);
    # keep that wire behaviour rather than switch it to keep-alive.
    protocol_version = "HTTP/1.0"

    def __init__(self, api_key: str = "test-key"):
        super().__init__()
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self._failures: deque[tuple[int, dict[str, str], Any]] = deque()

    # -- control ------------------------------------------------------------
    def fail_next(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None, message: str = "") -> None:
        """Answer the next `times` requests with `status` (after the key check)."""
        body = {"detail": {"status": {429: "too_many_concurrent_requests", 500: "internal_error"}.get(status, "error"),
                           "message": message or f"fake failure {status}"}}
        with self._lock:
            for _ in range(times):
                self._failures.append((status, headers or {}, body))

    @property
    def base_url(self) -> str:
        return self.url

    # -- the API -----------------------------------------------------------
    def respond(self, request: RecordedRequest) -> Reply:
        method, path, query = request.method, request.route, request.query
        try:
            payload = request.json
        except ValueError:
            payload = None
        record = {"method": method, "path": path, "query": query, "json": payload, "headers": request.headers}
        with self._lock:
            self.requests.append(record)
        if request.headers.get("xi-api-key") != self.api_key:
            return Reply(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}})
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
        if failure:
            status, headers, body = failure
            return Reply(status, body, headers)
        fmt = query.get("output_format", "mp3_44100_128")
        if method == "GET" and path == "/v1/voices":
            return Reply(200, {"voices": VOICES})
        if method == "POST" and path.startswith("/v1/text-to-speech/"):
            voice_id = path.rsplit("/", 1)[-1]
            if voice_id not in _KNOWN_VOICE_IDS:
                return Reply(404, {"detail": {"status": "voice_not_found", "message": f"A voice with voice_id {voice_id} was not found."}})
            text = (payload or {}).get("text", "")
            if not text:
                return Reply(422, {"detail": [{"loc": ["body", "text"], "msg": "field required", "type": "value_error.missing"}]})
            rate = int(fmt.split("_")[1])
            seconds = max(0.5, 0.065 * len(text))
            f0 = 100 + (sum(voice_id.encode()) % 120)
            body, ctype = _encode(_tone(seconds, rate, f0), fmt)
            return Reply(200, body, {"Content-Type": ctype, "request-id": f"req-{len(self.requests)}"})
        if method == "POST" and path == "/v1/sound-generation":
            seconds = float((payload or {}).get("duration_seconds") or 2.0)
            rate = int(fmt.split("_")[1])
            rng = np.random.default_rng(0)
            noise = (rng.standard_normal(int(seconds * rate)) * 0.1 * 32767).astype("<i2")
            body, ctype = _encode(noise, fmt)
            return Reply(200, body, {"Content-Type": ctype})
        return Reply(404, {"detail": {"status": "not_found", "message": f"no route {method} {path}"}})
