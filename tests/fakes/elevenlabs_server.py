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

import json
import subprocess
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np

__all__ = ["FakeElevenLabs", "VOICES"]

VOICES = [
    {"voice_id": "JBFqnCBsd6RMkjVDRZzb", "name": "George", "category": "premade"},
    {"voice_id": "21m00Tcm4TlvDq8ikWAM", "name": "Rachel", "category": "premade"},
    {"voice_id": "cl0n3dV01c3xxxxxxxxx", "name": "Narrator Clone", "category": "cloned"},
]


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


class FakeElevenLabs:
    def __init__(self, api_key: str = "test-key"):
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        self._failures: deque[tuple[int, dict[str, str], Any]] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

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
        assert self._server is not None, "use FakeElevenLabs as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeElevenLabs":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(obj).encode(), "application/json", headers)

            def _handle(self, method: str) -> None:
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    payload = json.loads(raw) if raw else None
                except ValueError:
                    payload = None
                record = {"method": method, "path": url.path, "query": query, "json": payload,
                          "headers": {k.lower(): v for k, v in self.headers.items()}}
                with fake._lock:
                    fake.requests.append(record)
                if self.headers.get("xi-api-key") != fake.api_key:
                    return self._json(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}})
                with fake._lock:
                    failure = fake._failures.popleft() if fake._failures else None
                if failure:
                    status, headers, body = failure
                    return self._json(status, body, headers)
                fmt = query.get("output_format", "mp3_44100_128")
                if method == "GET" and url.path == "/v1/voices":
                    return self._json(200, {"voices": VOICES})
                if method == "POST" and url.path.startswith("/v1/text-to-speech/"):
                    voice_id = url.path.rsplit("/", 1)[-1]
                    known = {v["voice_id"] for v in VOICES} | {
                        "CwhRBWXzGAHq8TQ4Fs17", "EXAVITQu4vr4xnSDxMaL", "29vD33N1CtxCmqQRPOHJ", "9BWtsMINqrJLrRacOk9x",
                        "2EiwWnXFnvU5JabPnv8n", "AZnzlk1XvdvUeBnXmlld", "CYw3kZ02Hs0563khs1Fj", "D38z5RcWu1voky8WS1ja",
                        "5Q0t7uMcjvnagumLfvZi",
                    }
                    if voice_id not in known:
                        return self._json(404, {"detail": {"status": "voice_not_found", "message": f"A voice with voice_id {voice_id} was not found."}})
                    text = (payload or {}).get("text", "")
                    if not text:
                        return self._json(422, {"detail": [{"loc": ["body", "text"], "msg": "field required", "type": "value_error.missing"}]})
                    rate = int(fmt.split("_")[1])
                    seconds = max(0.5, 0.065 * len(text))
                    f0 = 100 + (sum(voice_id.encode()) % 120)
                    body, ctype = _encode(_tone(seconds, rate, f0), fmt)
                    return self._send(200, body, ctype, {"request-id": f"req-{len(fake.requests)}"})
                if method == "POST" and url.path == "/v1/sound-generation":
                    seconds = float((payload or {}).get("duration_seconds") or 2.0)
                    rate = int(fmt.split("_")[1])
                    rng = np.random.default_rng(0)
                    noise = (rng.standard_normal(int(seconds * rate)) * 0.1 * 32767).astype("<i2")
                    body, ctype = _encode(noise, fmt)
                    return self._send(200, body, ctype)
                return self._json(404, {"detail": {"status": "not_found", "message": f"no route {method} {url.path}"}})

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # a short poll interval: shutdown() waits up to one interval
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
