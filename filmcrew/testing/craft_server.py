"""What the local chat servers share: HTTP on 127.0.0.1, and the craft model behind it.

`CraftChatServer` is a threaded HTTP server that takes JSON requests, hands
the conversation to a `CraftChatCompletionClient` as autogen messages, and
sends back what the craft model says in the protocol's own shape; the two
protocols (`openai_server`, `gemini_server`) only translate. The craft model
gets no request as data over the wire: it reads the task from the rendered
prompt (its first line names the task, its tagged sections state the context;
see `filmcrew.prompts.sections`), exactly as a real model would have to.

Every request body is kept in `requests` (newest last), so a test can assert
what went over the wire. Errors in a request come back as HTTP 400 in the
protocol's error shape, so the client raises its own provider error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, cast

from autogen_core.models import CreateResult, FunctionExecutionResult, FunctionExecutionResultMessage, LLMMessage
from autogen_core.tools import ParametersSchema, ToolSchema

from filmcrew.agents.role import OfflineRule

__all__ = ["CraftChatServer", "Answer", "serve_from_command_line", "add_tool_result", "tool_schema"]


def add_tool_result(messages: list[LLMMessage], result: FunctionExecutionResult) -> None:
    """Append a tool result, joining it to the results just before it: autogen
    expects the results of one reply's calls in one message, whatever the wire."""
    if messages and isinstance(messages[-1], FunctionExecutionResultMessage):
        messages[-1].content.append(result)
    else:
        messages.append(FunctionExecutionResultMessage(content=[result]))


def tool_schema(name: str, description: str, parameters: Any) -> ToolSchema:
    """A declared tool; one without a parameter schema takes no arguments."""
    return ToolSchema(name=name, description=description,
                      parameters=cast(ParametersSchema, parameters or {"type": "object", "properties": {}}))


class Answer:
    """An HTTP answer: status and JSON body, or an event stream (`text`)."""

    def __init__(self, status: int = 200, body: Any = None, *, text: str | None = None, content_type: str | None = None):
        self.status = status
        self.body = body
        self.text = text
        self.content_type = content_type or ("text/event-stream" if text is not None else "application/json")

    def encode(self) -> bytes:
        return (self.text if self.text is not None else json.dumps(self.body)).encode()


class CraftChatServer:
    """A chat-model server on 127.0.0.1 whose answers come from the craft model.

    Use as a context manager, or `start()` / `stop()`. `extra_rules` (task ->
    offline rule) add custom roles' rules; by default those of the installed
    role plugins are added, so a plugin's role can be played over the wire.
    """

    #: Shown by `serve_from_command_line`.
    protocol = ""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, extra_rules: Mapping[str, OfflineRule] | None = None,
                 plugins: bool = True) -> None:
        from filmcrew.agents.craft import CraftChatCompletionClient

        rules: dict[str, OfflineRule] = {}
        if plugins:
            from filmcrew.agents.plugins import load_role_plugins

            found, self.plugin_problems = load_role_plugins()
            for plugin in found:
                rules.update(plugin.role.offline_rules)
        else:
            self.plugin_problems = []
        rules.update(extra_rules or {})
        self._craft = CraftChatCompletionClient(extra_rules=rules)
        self._host, self._port = host, port
        # The craft client counts its calls; one request at a time keeps ids unique.
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- what a protocol implements --------------------------------------------
    def route(self, method: str, path: str, body: Any) -> Answer:
        """Answer one request (`body` is the decoded JSON, or None)."""
        raise NotImplementedError

    # -- the craft model -------------------------------------------------------
    def answer(self, messages: Sequence[LLMMessage], tools: Sequence[ToolSchema]) -> CreateResult:
        """What the craft model says to `messages` with `tools` offered."""
        with self._lock:
            return asyncio.run(self._craft.create(list(messages), tools=list(tools)))

    def _handle(self, method: str, path: str, raw: bytes) -> Answer:
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError as exc:
            return self.error(400, f"the request body is not JSON: {exc}")
        if body is not None:
            with self._lock:
                self.requests.append(body)
        try:
            return self.route(method, path, body)
        except (ValueError, KeyError, TypeError) as exc:
            # What the craft model cannot answer (no rule for a task, a
            # malformed message) goes back as the client's error to report.
            return self.error(400, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a rule's bug is a 500 the client reports, never a dropped connection
            return self.error(500, f"the craft model failed: {type(exc).__name__}: {exc}")

    def error(self, status: int, message: str) -> Answer:
        """An error in the protocol's shape."""
        return Answer(status, {"error": {"message": message, "code": status}})

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> Self:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _dispatch(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                answer = server._handle(self.command, self.path, self.rfile.read(length) if length else b"")
                payload = answer.encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up; nothing left to tell it

            do_GET = do_POST = _dispatch

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by design
                pass

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the server is not running: call start() first")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What a client's `base_url` should be."""
        raise NotImplementedError


def serve_from_command_line(server_class: type[CraftChatServer], argv: Sequence[str] | None, *, prog: str) -> int:
    """Run `server_class` until interrupted: the `python -m` entry of both servers."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"A local {server_class.protocol} server whose answers come from filmcrew's craft model, "
        "whatever model name is asked for. For trying crews, custom roles and plugins over the real wire without a key.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--no-plugins", action="store_true", help="do not load the offline rules of installed role plugins")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port} is not a port: use 0-65535")
    try:
        server = server_class(host=args.host, port=args.port, plugins=not args.no_plugins).start()
    except OSError as exc:
        print(f"{prog}: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for problem in server.plugin_problems:
        print(problem, file=sys.stderr)
    print(f"{server_class.protocol} server (filmcrew craft model) at {server.base_url} - any model name, any API key; Ctrl-C stops it",
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
