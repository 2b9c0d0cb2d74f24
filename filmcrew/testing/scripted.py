"""A chat model that answers from a script.

`ScriptedChatCompletionClient` is a chat model that answers from a script (a
list of replies, or a function of the request) and records every request, so
a test can drive an agent through tool calls and structured output and then
assert what the agent was asked::

    from filmcrew.testing import ScriptedChatCompletionClient, scripted_json, tool_call

    client = ScriptedChatCompletionClient([
        [tool_call("search_references", query="night rain chase")],
        scripted_json(ShotPlan(shots=[...])),
    ])
    ...
    assert client.calls[0].tool_names == ["search_references"]

Replies may be a `str`, a pydantic model instance (sent as its JSON), a
`dict`/`list` (sent as JSON), a `FunctionCall` or a list of them (tool calls;
ids `call_<n>` are filled in when empty).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Union

from autogen_core import FunctionCall, Image
from autogen_core.models import LLMMessage, ModelInfo, RequestUsage
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from filmcrew.agents.offline_client import CrewRequest, OfflineChatCompletionClient

__all__ = [
    "ScriptedChatCompletionClient",
    "ScriptedCall",
    "ScriptExhaustedError",
    "ScriptedReply",
    "scripted_json",
    "tool_call",
]

#: What a script may hold for one reply.
ScriptedReply = Union[str, BaseModel, dict, list, FunctionCall]
JsonOutput = Union[bool, type[BaseModel], None]
Responder = Callable[[Sequence[LLMMessage], Sequence[Union[Tool, ToolSchema]], JsonOutput], ScriptedReply]


class ScriptExhaustedError(RuntimeError):
    """The scripted client got more requests than it has replies."""


@dataclass(frozen=True)
class ScriptedCall:
    """One request the scripted client received."""

    messages: list[LLMMessage]
    tools: list[Tool | ToolSchema]
    json_output: JsonOutput
    #: The crew's request as data, when a `RoleAgent` asked (None otherwise).
    request: CrewRequest | None = None

    @property
    def tool_names(self) -> list[str]:
        return [t.name if isinstance(t, Tool) else t["name"] for t in self.tools]

    @property
    def text(self) -> str:
        """All plain text of the request's messages, one message a line."""
        lines: list[str] = []
        for message in self.messages:
            content = message.content
            if isinstance(content, str):
                lines.append(content)
            elif isinstance(content, list):
                lines.extend(str(getattr(item, "content", item)) for item in content if not _is_image(item))
        return "\n".join(lines)


def _is_image(item: Any) -> bool:
    return isinstance(item, Image)


def scripted_json(value: BaseModel | dict | list) -> str:
    """The JSON text a model would send for `value` (a pydantic model instance, dict or list)."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return json.dumps(value)


def tool_call(name: str, /, **arguments: Any) -> FunctionCall:
    """A tool call for a script: `tool_call("search", query="rain")`; the id is filled in when sent."""
    return FunctionCall(id="", name=name, arguments=json.dumps(arguments))


def _to_reply(value: Any, where: str) -> str | list[FunctionCall]:
    if isinstance(value, str):
        return value
    if isinstance(value, FunctionCall):
        return [value]
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, FunctionCall) for v in value):
        return list(value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, FunctionCall) for v in value):
        raise TypeError(f"{where} mixes FunctionCall objects with other values: a tool-call reply holds only FunctionCall")
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    raise TypeError(
        f"{where} is a {type(value).__name__}: use a str, a pydantic model instance, a dict/list (JSON) "
        "or a list of FunctionCall"
    )


class ScriptedChatCompletionClient(OfflineChatCompletionClient):
    """A chat model that replies from a script and records every request.

    Args:
        script: the replies, in order, or a function
            `(messages, tools, json_output) -> reply` called for each request.
        cycle: when the list runs out, keep repeating the last reply
            instead of raising `ScriptExhaustedError`.
        model, model_info: as for `OfflineChatCompletionClient` (tool calling,
            JSON and structured output are on by default).
    """

    def __init__(
        self,
        script: Sequence[ScriptedReply] | Responder,
        *,
        cycle: bool = False,
        model: str = "scripted",
        model_info: ModelInfo | None = None,
    ) -> None:
        super().__init__(model=model, model_info=model_info)
        self._responder: Responder | None = None
        self._replies: list[str | list[FunctionCall]] = []
        if callable(script):
            self._responder = script
        else:
            if isinstance(script, (str, bytes)):
                raise TypeError("script must be a list of replies (wrap a single reply in a list) or a callable")
            self._replies = [_to_reply(r, f"scripted reply #{i + 1}") for i, r in enumerate(script)]
        self._cycle = cycle
        self._index = 0
        self.calls: list[ScriptedCall] = []

    @property
    def remaining(self) -> int | None:
        """Replies left before exhaustion (None for a callable script or with cycle=True)."""
        if self._responder is not None or self._cycle:
            return None
        return len(self._replies) - self._index

    def reset(self) -> None:
        """Start the script over and forget recorded calls and usage."""
        self._index = 0
        self.calls.clear()
        self._actual_usage = RequestUsage(0, 0)
        self._total_usage = RequestUsage(0, 0)

    def respond(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema],
        json_output: JsonOutput,
        request: CrewRequest | None = None,
    ) -> str | list[FunctionCall]:
        self.calls.append(ScriptedCall(messages=list(messages), tools=list(tools), json_output=json_output, request=request))
        number = len(self.calls)
        if self._responder is not None:
            return _to_reply(self._responder(messages, tools, json_output), f"the script function's reply to request #{number}")
        if self._index >= len(self._replies):
            if self._cycle and self._replies:
                return self._replies[-1]
            else:
                last = self.calls[-1].text.strip().splitlines()[-1:] or [""]
                raise ScriptExhaustedError(
                    f"{type(self).__name__} has {len(self._replies)} scripted repl"
                    f"{'y' if len(self._replies) == 1 else 'ies'} but received request #{number} "
                    f"(last message: {last[0][:120]!r}); add replies or pass cycle=True"
                )
        reply = self._replies[self._index]
        self._index += 1
        return reply
