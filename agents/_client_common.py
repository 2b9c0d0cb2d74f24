"""What filmcrew's own chat clients do the same way, whatever answers them.

`OfflineChatCompletionClient` (the craft model, the scripted double) and
`GeminiChatCompletionClient` both answer a request in one piece and keep the
rest of autogen's `ChatCompletionClient` contract identically: usage counters,
one `LLMCallEvent` per request, `create_stream` as a replay of `create`, and
the `model_info` plumbing. `ChatClientBase` holds that once; each client
writes only `create`, `close` and `count_tokens`.

The OpenAI client is autogen's own (see `providers.py`), which keeps usage and
logs its events itself, so it does not use this base.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, Literal

from autogen_core import EVENT_LOGGER_NAME, CancellationToken
from autogen_core.logging import LLMCallEvent
from autogen_core.models import (
    ChatCompletionClient,
    CreateResult,
    LLMMessage,
    ModelCapabilities,  # type: ignore[attr-defined]  # deprecated but still abstract
    ModelInfo,
    RequestUsage,
    validate_model_info,
)
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

__all__ = ["ChatClientBase", "count_text_tokens", "count_tool_tokens", "tool_schema"]

logger = logging.getLogger(EVENT_LOGGER_NAME)

# Words, and each punctuation mark on its own: close enough to BPE counts for
# budgets and logs, and needs no vocabulary file (tiktoken downloads its own).
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def count_text_tokens(text: str) -> int:
    """Approximate token count of `text` (words plus punctuation marks)."""
    return len(_TOKEN_RE.findall(text))


def tool_schema(tool: Tool | ToolSchema) -> dict[str, Any]:
    """The JSON schema of a tool, whether given as a `Tool` or as its schema."""
    return dict(tool.schema if isinstance(tool, Tool) else tool)


def count_tool_tokens(tools: Sequence[Tool | ToolSchema]) -> int:
    """Approximate prompt tokens the tool declarations cost (their JSON schemas)."""
    return sum(count_text_tokens(json.dumps(tool_schema(t))) for t in tools)


class ChatClientBase(ChatCompletionClient):
    """The shared half of a `ChatCompletionClient` that answers in one piece.

    Subclasses implement `create` (and call `_record_call` once per request),
    `close` and `count_tokens`, and set `model` and `token_limit`.

    Usage: `actual_usage()` is the last request's usage, `total_usage()` the sum
    since construction. Each request, streamed or not, logs exactly one
    `LLMCallEvent`, so a tally over the event logger counts every call once.
    """

    #: The model name reported in logs.
    model: str
    #: Context size reported through `remaining_tokens`.
    token_limit: int

    def __init__(self, model_info: ModelInfo) -> None:
        info = ModelInfo(**model_info)
        validate_model_info(info)
        self._model_info = info
        self._actual_usage = RequestUsage(prompt_tokens=0, completion_tokens=0)
        self._total_usage = RequestUsage(prompt_tokens=0, completion_tokens=0)
        self._call_counter = 0

    def _next_call_id(self) -> str:
        # Agents match tool results to calls by id, so a call the model left
        # without one gets an id unique within this client.
        self._call_counter += 1
        return f"call_{self._call_counter}"

    def _record_call(
        self, result: CreateResult, *, logged_messages: list[dict[str, Any]], tools: Sequence[Tool | ToolSchema]
    ) -> None:
        """Count `result`'s usage and log the request's one `LLMCallEvent`."""
        usage = result.usage
        self._actual_usage = usage
        self._total_usage = RequestUsage(
            prompt_tokens=self._total_usage.prompt_tokens + usage.prompt_tokens,
            completion_tokens=self._total_usage.completion_tokens + usage.completion_tokens,
        )
        logger.info(
            LLMCallEvent(
                messages=logged_messages,
                response=result.model_dump(mode="json"),
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                tools=[tool_schema(t) for t in tools],
                model=self.model,
            )
        )

    def _stream_chunks(self, text: str) -> list[str]:
        """How `create_stream` hands out a text reply; "".join(chunks) == text."""
        return [text] if text else []

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = [],
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncGenerator[str | CreateResult, None]:
        # One request, replayed as a stream: agents that stream still get the
        # contract (chunks, then exactly one CreateResult), one usage record
        # and one LLMCallEvent.
        result = await self.create(
            messages,
            tools=tools,
            tool_choice=tool_choice,
            json_output=json_output,
            extra_create_args=extra_create_args,
            cancellation_token=cancellation_token,
        )
        if isinstance(result.content, str):
            for chunk in self._stream_chunks(result.content):
                yield chunk
        yield result

    def actual_usage(self) -> RequestUsage:
        return self._actual_usage

    def total_usage(self) -> RequestUsage:
        return self._total_usage

    def remaining_tokens(self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = []) -> int:
        return max(0, self.token_limit - self.count_tokens(messages, tools=tools))

    @property
    def capabilities(self) -> ModelCapabilities:  # type: ignore[override]
        warnings.warn("capabilities is deprecated, use model_info instead", DeprecationWarning, stacklevel=2)
        return self._model_info  # type: ignore[return-value]

    @property
    def model_info(self) -> ModelInfo:
        return self._model_info
