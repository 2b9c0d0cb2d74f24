"""The plumbing every local fake provider server shares.

Each fake (chat models, video generators, ElevenLabs) is a threaded HTTP
server on a free port of 127.0.0.1 that reads a request, records it and
answers it; only the answering differs from fake to fake. This module holds
everything else, so a fake is just its routing:

- `RecordedRequest`: what arrived (method, path, lower-cased headers, body,
  arrival time), with `.json`, `.route`, `.query` and a `form` a fake may fill.
- `Reply`: an answer; dict/list bodies go out as JSON, str as UTF-8, bytes as is.
- `LocalHTTPServer`: start/stop, `port`, `url`, context manager; a subclass
  implements `respond(request)`, which every HTTP method is dispatched to.
- `free_port()`: a port nothing listens on (for connection-refused tests).

Imported as `fakes.http`; the `http.server` import below is an absolute import
and so still gets the standard library's module, not this one.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["RecordedRequest", "Reply", "LocalHTTPServer", "free_port"]


@dataclass
class RecordedRequest:
    """One request as it arrived. `headers` keys are lower-cased so tests can
    look them up without caring how the client spelled them."""

    method: str
    path: str  # as sent, query string included
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.monotonic)
    # Filled in by a fake that parses a multipart body (Sora), so tests can
    # read the fields it saw.
    form: dict[str, Any] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def route(self) -> str:
        """The path without its query string."""
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; a repeated one keeps its last value."""
        return {key: values[-1] for key, values in parse_qs(urlsplit(self.path).query).items()}


@dataclass
class Reply:
    """An answer: status, body (dict/list -> JSON, str -> UTF-8, bytes as is,
    None -> empty) and headers, sent in the order given."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[bytes, dict[str, str]]:
        """The bytes to send and the headers to send with them."""
        headers = dict(self.headers)
        body = self.body
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode()
            if not any(key.lower() == "content-type" for key in headers):
                headers["Content-Type"] = "application/json"
        elif isinstance(body, str):
            payload = body.encode()
        elif body is None:
            payload = b""
        else:
            payload = bytes(body)
        return payload, headers


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def setup(self) -> None:
        # parse_request() reads protocol_version before any do_* runs, so the
        # fake's choice (keep-alive or not) has to be in place this early.
        self.protocol_version = self.server.fake.protocol_version
        super().setup()

    def _dispatch(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            reply = self.server.fake.respond(request)
            if reply is None:  # the fake chose to send nothing (it is stopping)
                return
            payload, headers = reply.encode()
        except Exception as exc:  # a bug in a fake must show up as a clear 500, not a hang
            reply = Reply(500, {"error": {"message": f"fake server error: {exc!r}"}})
            payload, headers = reply.encode()
        try:
            self.send_response(reply.status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":  # HEAD gets the headers of a GET, never a body
                self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test): nothing left to tell it.
            pass

    # Every method reaches the fake, which decides what it supports.
    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping must not block shutdown
    fake: "LocalHTTPServer"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out close their sockets mid-exchange; that is what
        # the timeout tests do, not a failure. Anything else is still printed.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class LocalHTTPServer:
    """A threaded HTTP server on a free port of 127.0.0.1.

    Use as a context manager (or call `start()`/`stop()`). Subclasses implement
    `respond()`; they share `_lock` for their own state, and
    `wait_unless_stopped()` for replies that are meant to be slow.
    """

    # HTTP/1.1 keeps connections alive, as real provider APIs do; a fake may
    # choose "HTTP/1.0" to close the connection after every answer.
    protocol_version = "HTTP/1.1"
    # serve_forever checks for shutdown once per interval, so stop() waits up
    # to this long; the library default (0.5 s) would slow every test down.
    poll_interval = 0.02

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def respond(self, request: RecordedRequest) -> Reply | None:
        """Answer one request (None: send nothing). Runs on a handler thread."""
        raise NotImplementedError

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> Self:
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": self.poll_interval}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers inside wait_unless_stopped()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_unless_stopped(self, seconds: float) -> bool:
        """Sleep `seconds`, but wake at once when the server stops; True if it
        did stop (so the handler should send nothing)."""
        return self._stopping.wait(seconds)


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
