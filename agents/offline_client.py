"""The base of every in-process chat model: the craft model and the scripted double.

`OfflineChatCompletionClient` implements the whole autogen
`ChatCompletionClient` contract (create, create_stream, usage, token counts,
model_info, the `LLMCallEvent` log) once, so a subclass only writes `respond`:
given the request, return the reply text or a list of tool calls. The parts it
shares with the Gemini client (usage, the event log, streaming as a replay)
live in `_client_common.ChatClientBase`.

An in-process model may also get the crew's request as data (`CrewRequest`:
role, task, context) through `extra_create_args[CREW_REQUEST_ARG]`; `RoleAgent`
sends it only to clients of this class, so a provider over the network gets
the prompt alone.

Nothing here touches the network: tokens are counted by a word-and-punctuation
rule instead of tiktoken (which downloads its encodings on first use).
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import re
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from autogen_core import CancellationToken, FunctionCall, Image
from autogen_core.models import CreateResult, LLMMessage, ModelFamily, ModelInfo, RequestUsage
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from filmcrew.agents._client_common import ChatClientBase, count_text_tokens, count_tool_tokens

__all__ = ["OfflineChatCompletionClient", "CrewRequest", "CREW_REQUEST_ARG", "count_text_tokens", "DEFAULT_OFFLINE_MODEL_INFO"]

#: The `extra_create_args` key that carries a `CrewRequest` to an in-process model.
CREW_REQUEST_ARG = "filmcrew_request"


@dataclasses.dataclass(frozen=True)
class CrewRequest:
    """What a role is asked to do, as data: the task and the context its prompt was rendered from."""

    role: str
    task: str
    phase: str
    stage: str
    context: dict[str, Any]

DEFAULT_OFFLINE_MODEL_INFO: ModelInfo = ModelInfo(
    vision=False,
    function_calling=True,
    json_output=True,
    structured_output=True,
    family=ModelFamily.UNKNOWN,
)

# Roughly what OpenAI bills for a low-detail image; only a budget estimate.
_IMAGE_TOKENS = 85


def _content_tokens(content: Any) -> int:
    if isinstance(content, str):
        return count_text_tokens(content)
    if isinstance(content, Image):
        return _IMAGE_TOKENS
    if isinstance(content, FunctionCall):
        return count_text_tokens(content.name) + count_text_tokens(content.arguments)
    if isinstance(content, (list, tuple)):
        return sum(_content_tokens(item) for item in content)
    if hasattr(content, "content"):  # FunctionExecutionResult
        return count_text_tokens(getattr(content, "name", "")) + _content_tokens(content.content)
    return count_text_tokens(str(content))


def _message_for_log(message: LLMMessage) -> dict[str, Any]:
    try:
        return message.model_dump(mode="json")
    except Exception:  # an Image that will not serialise must not break logging
        return {"type": getattr(message, "type", "unknown"), "content": str(getattr(message, "content", ""))}


class OfflineChatCompletionClient(ChatClientBase):
    """A `ChatCompletionClient` whose replies come from Python code, not a server.

    Subclasses implement `respond`. Everything else (usage counters, streaming,
    tool-call ids, the event log) is done here the same way for all of them.

    Usage: `actual_usage()` is the last request's usage, `total_usage()` the sum
    since construction. Each request, streamed or not, logs exactly one
    `LLMCallEvent`, so a tally over the event logger counts every call once.
    """

    #: Context size reported through `remaining_tokens`; subclasses may change it.
    token_limit: int = 128_000

    def __init__(self, *, model: str = "offline", model_info: ModelInfo | None = None) -> None:
        #: The model name reported in logs.
        self.model = model
        super().__init__(model_info if model_info is not None else DEFAULT_OFFLINE_MODEL_INFO)
        # A subclass written before requests existed answers from the messages alone.
        self._takes_request = "request" in inspect.signature(self.respond).parameters

    @abstractmethod
    def respond(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema],
        json_output: bool | type[BaseModel] | None,
        request: CrewRequest | None = None,
    ) -> str | list[FunctionCall]:
        """Return the reply text, or a list of tool calls. `request` is the
        crew's request when a `RoleAgent` asks (None from anything else)."""

    # -- the request ---------------------------------------------------------
    def _run(
        self,
        messages: Sequence[LLMMessage],
        tools: Sequence[Tool | ToolSchema],
        json_output: bool | type[BaseModel] | None,
        extra_create_args: Mapping[str, Any],
        cancellation_token: CancellationToken | None,
    ) -> CreateResult:
        if cancellation_token is not None and cancellation_token.is_cancelled():
            raise asyncio.CancelledError("the request was cancelled before the model answered")
        if json_output is not None and not isinstance(json_output, bool):
            if not (isinstance(json_output, type) and issubclass(json_output, BaseModel)):
                raise ValueError(f"json_output must be a bool or a pydantic model class, got {json_output!r}")
        if tools and not self._model_info["function_calling"]:
            raise ValueError(f"model {self.model!r} does not support function calling (model_info)")
        request = extra_create_args.get(CREW_REQUEST_ARG)
        if request is not None and not isinstance(request, CrewRequest):
            raise TypeError(f"extra_create_args[{CREW_REQUEST_ARG!r}] must be a CrewRequest, got {type(request).__name__}")
        if request is not None and self._takes_request:
            reply = self.respond(messages, tools=tools, json_output=json_output, request=request)
        else:
            reply = self.respond(messages, tools=tools, json_output=json_output)
        content = self._normalise_reply(reply)
        usage = RequestUsage(
            prompt_tokens=self.count_tokens(messages, tools=tools),
            completion_tokens=_content_tokens(content),
        )
        result = CreateResult(
            finish_reason="function_calls" if isinstance(content, list) else "stop",
            content=content,
            usage=usage,
            cached=False,
        )
        self._record_call(result, logged_messages=[_message_for_log(m) for m in messages], tools=tools)
        return result

    def _normalise_reply(self, reply: Any) -> str | list[FunctionCall]:
        if isinstance(reply, str):
            return reply
        if isinstance(reply, FunctionCall):
            reply = [reply]
        if isinstance(reply, (list, tuple)) and reply and all(isinstance(c, FunctionCall) for c in reply):
            return [call if call.id else dataclasses.replace(call, id=self._next_call_id()) for call in reply]
        raise TypeError(
            f"{type(self).__name__}.respond must return a str or a non-empty list of FunctionCall, "
            f"got {type(reply).__name__}"
        )

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = [],
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        return self._run(messages, tools, json_output, extra_create_args, cancellation_token)

    def _stream_chunks(self, text: str) -> list[str]:
        # Word by word, each chunk keeping its whitespace so that
        # "".join(chunks) == content.
        return re.findall(r"\S+\s*|\s+", text)

    # -- the rest of the contract --------------------------------------------
    async def close(self) -> None:
        return None

    def count_tokens(self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = []) -> int:
        return sum(_content_tokens(m.content) for m in messages) + count_tool_tokens(tools)
