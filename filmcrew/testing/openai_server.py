"""A local OpenAI-compatible chat server that answers from the craft model.

    python -m filmcrew.testing.openai_server --port 8700

then point any OpenAI client at `http://127.0.0.1:8700/v1` with any model name
and any key, e.g. `FILMCREW_CHAT_PROVIDER=openai FILMCREW_CHAT_MODEL=gpt-4o-mini
FILMCREW_CHAT_BASE_URL=http://127.0.0.1:8700/v1 OPENAI_API_KEY=x filmcrew make ...`.

It speaks `POST /v1/chat/completions` (JSON, or server-sent events with
`stream: true`): messages with text or text parts, `tools` and tool calls,
`tool` results, and `response_format` (accepted; the craft model's JSON
follows the task's type anyway). `GET /v1/models` lists one model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import (
    AssistantMessage,
    CreateResult,
    FunctionExecutionResult,
    LLMMessage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import ToolSchema

from filmcrew.testing.craft_server import Answer, CraftChatServer, add_tool_result, serve_from_command_line, tool_schema

__all__ = ["OpenAIChatServer", "main"]

# RoleAgent reports a failed tool to the model as "error: <why>"; on this wire a
# tool message has no error flag, so that prefix is how the craft model tells.
_TOOL_ERROR_PREFIX = "error: "


def _text(content: Any) -> str:
    """The text of a message's content: a string, or the text parts of a list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict) and part.get("type") == "text")
    raise TypeError(f"message content must be a string or a list of parts, not {type(content).__name__}")


def to_llm_messages(messages: Sequence[dict[str, Any]]) -> list[LLMMessage]:
    """OpenAI chat messages as autogen messages (tool results grouped per reply)."""
    out: list[LLMMessage] = []
    names: dict[str, str] = {}
    for message in messages:
        role = message.get("role")
        if role in ("system", "developer"):
            out.append(SystemMessage(content=_text(message.get("content"))))
        elif role == "user":
            out.append(UserMessage(content=_text(message.get("content")), source=str(message.get("name") or "user")))
        elif role == "assistant":
            calls = [
                FunctionCall(id=call["id"], name=call["function"]["name"], arguments=call["function"].get("arguments") or "{}")
                for call in message.get("tool_calls") or []
            ]
            names.update({call.id: call.name for call in calls})
            out.append(AssistantMessage(content=calls if calls else _text(message.get("content")), source="assistant"))
        elif role == "tool":
            content = _text(message.get("content"))
            call_id = str(message.get("tool_call_id", ""))
            result = FunctionExecutionResult(
                call_id=call_id, name=names.get(call_id, ""), content=content, is_error=content.startswith(_TOOL_ERROR_PREFIX)
            )
            add_tool_result(out, result)
        else:
            raise ValueError(f"unknown message role {role!r}")
    return out


def _tools(body: dict[str, Any]) -> list[ToolSchema]:
    tools: list[ToolSchema] = []
    for tool in body.get("tools") or []:
        function = tool.get("function") or {}
        if not function.get("name"):
            raise ValueError("every tool needs a function name")
        tools.append(tool_schema(function["name"], function.get("description", ""), function.get("parameters")))
    return tools


class OpenAIChatServer(CraftChatServer):
    """OpenAI chat completions on 127.0.0.1, answered by the craft model."""

    protocol = "OpenAI-compatible chat"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def error(self, status: int, message: str) -> Answer:
        return Answer(status, {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}})

    def route(self, method: str, path: str, body: Any) -> Answer:
        path = path.split("?", 1)[0].rstrip("/")
        if method == "GET" and path in ("/v1/models", "/models"):
            return Answer(200, {"object": "list", "data": [{"id": "filmcrew-craft-1", "object": "model", "created": 0, "owned_by": "filmcrew"}]})
        if method != "POST" or path not in ("/v1/chat/completions", "/chat/completions"):
            return self.error(404, f"no route {method} {path}: this server speaks POST /v1/chat/completions")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
            return self.error(400, "the request needs a non-empty `messages` list")
        result = self.answer(to_llm_messages(body["messages"]), _tools(body))
        completion = self._completion(str(body.get("model") or "filmcrew-craft-1"), result)
        if body.get("stream"):
            return Answer(200, text=_as_events(completion, with_usage=bool((body.get("stream_options") or {}).get("include_usage"))))
        return Answer(200, completion)

    def _completion(self, model: str, result: CreateResult) -> dict[str, Any]:
        with self._lock:
            number = len(self.requests)
        if isinstance(result.content, list):
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                               for c in result.content],
            }
            finish = "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": result.content}, "stop"
        usage = result.usage
        return {
            "id": f"chatcmpl-craft-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            # Answer as the model asked for, as real servers do.
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
                      "total_tokens": usage.prompt_tokens + usage.completion_tokens},
        }


def _as_events(completion: dict[str, Any], *, with_usage: bool) -> str:
    """A completion as the chunk stream the API sends for `stream: true`."""
    choice = completion["choices"][0]
    message = choice["message"]
    base = {k: completion[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}

    chunks = [chunk({"role": "assistant", "content": ""})]
    if message.get("content"):
        chunks.append(chunk({"content": message["content"]}))
    for i, call in enumerate(message.get("tool_calls") or []):
        chunks.append(chunk({"tool_calls": [{"index": i, **call}]}))
    chunks.append(chunk({}, choice["finish_reason"]))
    if with_usage:
        chunks.append(base | {"choices": [], "usage": completion["usage"]})
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"


def main(argv: Sequence[str] | None = None) -> int:
    return serve_from_command_line(OpenAIChatServer, argv, prog="python -m filmcrew.testing.openai_server")


if __name__ == "__main__":
    raise SystemExit(main())
