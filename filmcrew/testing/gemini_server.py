"""A local server that speaks Gemini's generateContent and answers from the craft model.

    python -m filmcrew.testing.gemini_server --port 8701

then point google-genai at it (`HttpOptions(base_url="http://127.0.0.1:8701/")`,
any key), or in filmcrew: `provider: gemini`, `base_url:
http://127.0.0.1:8701/`, `GEMINI_API_KEY=x`.

It speaks `POST /v1beta/models/{model}:generateContent` as google-genai
sends it: `systemInstruction`, `contents` of `user` and `model` turns with
text, `functionCall` and `functionResponse` parts, `tools` with
`functionDeclarations`, and a `generationConfig` (a `responseJsonSchema` is
accepted; the craft model's JSON follows the task's type anyway).
"""

from __future__ import annotations

import json
import re
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

__all__ = ["GeminiChatServer", "main"]

_ROUTE = re.compile(r"^/(?:v1beta|v1)/models/([^/:]+):generateContent$")
_STATUS = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND"}


def _get(mapping: dict[str, Any], camel: str) -> Any:
    """A field by its JSON name, or by the snake_case name some clients send."""
    if camel in mapping:
        return mapping[camel]
    return mapping.get(re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), camel))


def to_llm_messages(body: dict[str, Any]) -> list[LLMMessage]:
    """A generateContent request as autogen messages."""
    out: list[LLMMessage] = []
    system = _get(body, "systemInstruction")
    if system:
        text = "\n".join(str(part.get("text", "")) for part in system.get("parts") or [])
        out.append(SystemMessage(content=text))
    calls = 0
    for content in body.get("contents") or []:
        role = content.get("role", "user")
        for part in content.get("parts") or []:
            call, response = _get(part, "functionCall"), _get(part, "functionResponse")
            if call is not None:
                calls += 1
                fc = FunctionCall(id=str(call.get("id") or f"call_{calls}"), name=call["name"], arguments=json.dumps(call.get("args") or {}))
                if out and isinstance(out[-1], AssistantMessage) and isinstance(out[-1].content, list):
                    out[-1].content.append(fc)
                else:
                    out.append(AssistantMessage(content=[fc], source="model"))
            elif response is not None:
                answer = response.get("response") or {}
                is_error = "error" in answer and "result" not in answer
                value = answer.get("error" if is_error else "result", answer)
                result = FunctionExecutionResult(
                    call_id=str(response.get("id") or response["name"]), name=response["name"],
                    content=value if isinstance(value, str) else json.dumps(value), is_error=is_error,
                )
                add_tool_result(out, result)
            elif "text" in part and not part.get("thought"):
                if role == "model":
                    out.append(AssistantMessage(content=str(part["text"]), source="model"))
                else:
                    out.append(UserMessage(content=str(part["text"]), source="user"))
    return out


def _tools(body: dict[str, Any]) -> list[ToolSchema]:
    tools: list[ToolSchema] = []
    for tool in body.get("tools") or []:
        for declaration in _get(tool, "functionDeclarations") or []:
            parameters = _get(declaration, "parametersJsonSchema") or declaration.get("parameters")
            tools.append(tool_schema(declaration["name"], declaration.get("description", ""), parameters))
    return tools


class GeminiChatServer(CraftChatServer):
    """Gemini generateContent on 127.0.0.1, answered by the craft model."""

    protocol = "Gemini generateContent"

    @property
    def base_url(self) -> str:
        return f"{self.url}/"

    def error(self, status: int, message: str) -> Answer:
        return Answer(status, {"error": {"code": status, "message": message, "status": _STATUS.get(status, "UNKNOWN")}})

    def route(self, method: str, path: str, body: Any) -> Answer:
        path = path.split("?", 1)[0]
        found = _ROUTE.match(path)
        if method != "POST" or found is None:
            return self.error(404, f"no route {method} {path}: this server speaks POST /v1beta/models/{{model}}:generateContent")
        if not isinstance(body, dict) or not body.get("contents"):
            return self.error(400, "the request needs `contents`")
        result = self.answer(to_llm_messages(body), _tools(body))
        return Answer(200, self._response(found.group(1), result))

    @staticmethod
    def _response(model: str, result: CreateResult) -> dict[str, Any]:
        if isinstance(result.content, list):
            parts: list[dict[str, Any]] = [
                {"functionCall": {"id": c.id, "name": c.name, "args": json.loads(c.arguments or "{}")}} for c in result.content
            ]
        else:
            parts = [{"text": result.content}]
        usage = result.usage
        return {
            "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": usage.prompt_tokens, "candidatesTokenCount": usage.completion_tokens,
                              "totalTokenCount": usage.prompt_tokens + usage.completion_tokens},
            "modelVersion": model,
            "responseId": "craft",
        }


def main(argv: Sequence[str] | None = None) -> int:
    return serve_from_command_line(GeminiChatServer, argv, prog="python -m filmcrew.testing.gemini_server")


if __name__ == "__main__":
    raise SystemExit(main())
