"""Fake chat-model servers on 127.0.0.1 that speak the real wire protocols.

Each server answers from a queue of scripted responses, in order, and records
every request, so a test can drive a real SDK (openai, google-genai) through
retries, tool calls and errors and then assert what went over the wire.

- `FakeOpenAIServer`: `POST /v1/chat/completions` (JSON, or SSE when the
  request asks for `stream: true`).
- `FakeGeminiServer`: `POST /v1beta/models/{model}:generateContent`.

An unscripted request gets a 599 naming the request, so a test that sends
more requests than it scripted fails with a clear message instead of hanging.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

from .http import LocalHTTPServer, RecordedRequest, Reply, free_port

__all__ = [
    "ScriptedResponse",
    "RecordedRequest",
    "FakeHTTPServer",
    "FakeOpenAIServer",
    "FakeGeminiServer",
    "free_port",
]


@dataclass
class ScriptedResponse(Reply):
    """One answer: a status, a body (dict/list -> JSON, str/bytes as is), headers,
    and a delay before anything is sent (to provoke client timeouts)."""

    delay: float = 0.0


class FakeHTTPServer(LocalHTTPServer):
    """A local server that answers from a queue of scripted replies, in order.

    Use as a context manager (or call `start()`/`stop()`); `requests` lists what
    arrived, in order.
    """

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[RecordedRequest] = []
        self._queue: deque[ScriptedResponse] = deque()

    # -- scripting -----------------------------------------------------------
    def enqueue(self, *responses: ScriptedResponse) -> None:
        with self._lock:
            self._queue.extend(responses)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def respond(self, request: RecordedRequest) -> Reply | None:
        response = self._record_and_pop(request)
        # Waiting on the stop event (not time.sleep) lets stop() wake sleepers.
        if response.delay and self.wait_unless_stopped(response.delay):
            return None
        return self._answer(request, response)

    def _record_and_pop(self, request: RecordedRequest) -> ScriptedResponse:
        # One lock for both, so concurrent requests each take their own reply.
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        return ScriptedResponse(
            status=599,
            body={"error": {"message": f"fake server: no scripted response left for {request.method} {request.path}"}},
        )

    def _answer(self, request: RecordedRequest, response: ScriptedResponse) -> Reply:
        """The reply that goes over the wire; protocol fakes adapt it to the request."""
        return Reply(response.status, response.body, {k.lower(): v for k, v in response.headers.items()})


# --------------------------------------------------------------------------
# OpenAI chat completions
# --------------------------------------------------------------------------


class FakeOpenAIServer(FakeHTTPServer):
    """Speaks `POST /v1/chat/completions`; point a client at `base_url`."""

    model = "fake-model"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def _completion(self, message: dict[str, Any], finish_reason: str, usage: tuple[int, int]) -> dict[str, Any]:
        prompt, completion = usage
        return {
            "id": f"chatcmpl-{len(self.requests) + self.pending}",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }

    def reply_text(self, content: str, *, usage: tuple[int, int] = (11, 7), delay: float = 0.0) -> None:
        body = self._completion({"role": "assistant", "content": content}, "stop", usage)
        self.enqueue(ScriptedResponse(body=body, delay=delay))

    def reply_tool_calls(
        self, calls: Sequence[tuple[str, Mapping[str, Any]]], *, usage: tuple[int, int] = (20, 9)
    ) -> list[str]:
        """Script a reply that calls tools; returns the call ids it used."""
        ids = [f"call_fake_{len(self.requests) + self.pending}_{i}" for i in range(len(calls))]
        tool_calls = [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(dict(args))}}
            for call_id, (name, args) in zip(ids, calls)
        ]
        message = {"role": "assistant", "content": None, "tool_calls": tool_calls}
        self.enqueue(ScriptedResponse(body=self._completion(message, "tool_calls", usage)))
        return ids

    def reply_error(
        self, status: int, message: str = "error", *, headers: Mapping[str, str] | None = None, delay: float = 0.0
    ) -> None:
        kind = {401: "invalid_request_error", 429: "rate_limit_exceeded"}.get(status, "server_error")
        body = {"error": {"message": message, "type": kind, "param": None, "code": kind}}
        self.enqueue(ScriptedResponse(status=status, body=body, headers=dict(headers or {}), delay=delay))

    def _answer(self, request: RecordedRequest, response: ScriptedResponse) -> Reply:
        wants_stream = False
        try:
            asked = request.json or {}
            wants_stream = bool(asked.get("stream"))
            if isinstance(response.body, dict) and response.body.get("object") == "chat.completion" and asked.get("model"):
                # Answer as the model that was asked for, as real servers do.
                response = replace(response, body=response.body | {"model": asked["model"]})
        except (ValueError, AttributeError):
            pass
        if wants_stream and response.status == 200 and isinstance(response.body, dict):
            response = ScriptedResponse(
                body=_as_sse(response.body),
                headers={**response.headers, "content-type": "text/event-stream"},
            )
        return super()._answer(request, response)


def _as_sse(completion: dict[str, Any]) -> str:
    """Turn a scripted chat.completion into the chunk stream the API sends."""
    choice = completion["choices"][0]
    message = choice["message"]
    base = {k: completion[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    chunks: list[dict[str, Any]] = []

    def chunk(delta: dict[str, Any], finish: str | None = None) -> None:
        chunks.append(base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]})

    chunk({"role": "assistant", "content": ""})
    if message.get("content"):
        for word in _words(message["content"]):
            chunk({"content": word})
    for i, call in enumerate(message.get("tool_calls") or []):
        chunk({"tool_calls": [{"index": i, "id": call["id"], "type": "function", "function": {"name": call["function"]["name"], "arguments": call["function"]["arguments"]}}]})
    chunk({}, choice["finish_reason"])
    lines = [f"data: {json.dumps(c)}\n\n" for c in chunks]
    usage = base | {"choices": [], "usage": completion["usage"]}
    lines.append(f"data: {json.dumps(usage)}\n\n")
    lines.append("data: [DONE]\n\n")
    return "".join(lines)


def _words(text: str) -> Iterable[str]:
    return re.findall(r"\S+\s*|\s+", text)


# --------------------------------------------------------------------------
# Gemini generateContent
# --------------------------------------------------------------------------

_GEMINI_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class FakeGeminiServer(FakeHTTPServer):
    """Speaks the Gemini Developer API `generateContent`; point google-genai's
    `HttpOptions(base_url=...)` at `base_url`."""

    @property
    def base_url(self) -> str:
        return f"{self.url}/"

    @staticmethod
    def _response(parts: list[dict[str, Any]], finish_reason: str, usage: tuple[int, int]) -> dict[str, Any]:
        prompt, completion = usage
        return {
            "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": finish_reason, "index": 0}],
            "usageMetadata": {
                "promptTokenCount": prompt,
                "candidatesTokenCount": completion,
                "totalTokenCount": prompt + completion,
            },
            "modelVersion": "fake-gemini",
            "responseId": "fake-response",
        }

    def reply_text(self, text: str, *, usage: tuple[int, int] = (12, 5), delay: float = 0.0) -> None:
        self.enqueue(ScriptedResponse(body=self._response([{"text": text}], "STOP", usage), delay=delay))

    def reply_function_calls(
        self,
        calls: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        thought_signature: str | None = None,
        usage: tuple[int, int] = (30, 8),
    ) -> None:
        """Script a reply with functionCall parts; `thought_signature` (base64)
        goes on the first call, as Gemini 3 models do."""
        parts: list[dict[str, Any]] = []
        for i, (name, args) in enumerate(calls):
            part: dict[str, Any] = {"functionCall": {"name": name, "args": dict(args)}}
            if i == 0 and thought_signature:
                part["thoughtSignature"] = thought_signature
            parts.append(part)
        self.enqueue(ScriptedResponse(body=self._response(parts, "STOP", usage)))

    def reply_raw(self, body: dict[str, Any], *, status: int = 200) -> None:
        self.enqueue(ScriptedResponse(status=status, body=body))

    def reply_error(
        self,
        status: int,
        message: str = "error",
        *,
        retry_delay: str | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """An error in Google's JSON shape; `retry_delay` (e.g. "0.05s") adds the
        google.rpc.RetryInfo detail that quota errors carry."""
        error: dict[str, Any] = {"code": status, "message": message, "status": _GEMINI_STATUS.get(status, "UNKNOWN")}
        if retry_delay is not None:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}]
        self.enqueue(ScriptedResponse(status=status, body={"error": error}, headers=dict(headers or {}), delay=delay))
