"""A ChatCompletionClient for Gemini on the google-genai SDK.

Maps autogen messages to Gemini `contents` and back:

- leading `SystemMessage`s -> `system_instruction` (a later one becomes a user turn);
- `UserMessage` -> a `user` turn (images as inline PNG when `vision` is on);
- `AssistantMessage` -> a `model` turn: text, or `function_call` parts;
- `FunctionExecutionResultMessage` -> a `user` turn of `function_response` parts;
- tools -> `function_declarations` (JSON schema as is), `tool_choice` ->
  `function_calling_config`;
- `json_output=True` -> `response_mime_type="application/json"`; a pydantic
  class -> that plus `response_json_schema`.

The SDK calls `POST {base_url}/v1beta/models/{model}:generateContent` with the
key in `x-goog-api-key`. Its own retries are switched off and this client
retries instead, because the SDK's backoff ignores what the server asks for:
up to `max_retries` more attempts on 408, 429, 5xx, timeouts and connection
errors, waiting the `Retry-After` header, else the `google.rpc.RetryInfo`
delay in the error body, else an exponential backoff with jitter. A server
that asks for more than `retry_max_delay` seconds is not waited for. What is
left surfaces as `filmcrew.errors.ProviderError` (with the HTTP `status`, None
for a timeout or an unreachable server).

Gemini 3 models require the `thought_signature` of each function call to come
back with it in the next request; the client remembers them by call id (for
the life of the client) and, for a call it has no signature for (a history
from another model or a reloaded team), sends the sentinel Google documents
for that case.

Usage counters, the `LLMCallEvent` log and `create_stream` (one request,
replayed) come from `_client_common.ChatClientBase`, shared with the offline
clients.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import logging
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from autogen_core import CancellationToken, FunctionCall, Image
from autogen_core.models import (
    AssistantMessage,
    CreateResult,
    FunctionExecutionResultMessage,
    LLMMessage,
    ModelInfo,
    RequestUsage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from filmcrew._http import retry_after_seconds
from filmcrew.agents._client_common import ChatClientBase, count_text_tokens, count_tool_tokens, tool_schema
from filmcrew.errors import ConfigurationError, ProviderError

__all__ = ["GeminiChatCompletionClient", "gemini_model_info", "RETRY_STATUSES"]

_log = logging.getLogger(__name__)

#: HTTP statuses worth another attempt (the same set the SDK's own retry uses).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Google's documented value for a function call whose signature was lost; the
# wire form is this text, which the SDK produces from these bytes (base64url).
_SKIP_SIGNATURE = base64.urlsafe_b64decode("skip_thought_signature_validator")

_FINISH_REASONS: dict[str, str] = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
}


@dataclass
class _CallRecord:
    server_id: str | None
    signature: bytes | None


def _import_genai() -> tuple[Any, Any, Any]:
    try:
        genai = importlib.import_module("google.genai")
        types = importlib.import_module("google.genai.types")
        errors = importlib.import_module("google.genai.errors")
    except ImportError as exc:
        raise ConfigurationError(
            "the Gemini chat model needs google-genai: pip install 'filmcrew[gemini]'"
        ) from exc
    sdk_log = logging.getLogger("google_genai.types")
    if not any(isinstance(f, _PartsReadFilter) for f in sdk_log.filters):
        sdk_log.addFilter(_PartsReadFilter())
    return genai, types, errors


class _PartsReadFilter(logging.Filter):
    """Drops the SDK's warning that a reply with function calls has "non-text
    parts": with a response schema the SDK reads `.text` to parse JSON for
    itself, but this client reads every part (see `_to_result`), so nothing
    is lost and a library user would only see a misleading line on stderr."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "there are non-text parts in the response" not in record.getMessage()


def _transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(timeouts, connection errors) of whichever HTTP stack the SDK uses."""
    timeouts: list[type[BaseException]] = [TimeoutError]
    connection: list[type[BaseException]] = [ConnectionError]
    for name in ("httpx", "httpx2"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        connection.append(module.TransportError)
    try:
        aiohttp = importlib.import_module("aiohttp")
        connection.append(aiohttp.ClientError)
    except ImportError:
        pass
    return tuple(timeouts), tuple(connection)


def gemini_model_info(model: str) -> ModelInfo:
    """What we assume of a Gemini model: multimodal, tools, JSON and schemas."""
    from autogen_core.models import ModelFamily
    from typing import get_args

    family = model if model in set(get_args(ModelFamily.ANY)) else ModelFamily.UNKNOWN
    return ModelInfo(
        vision=True,
        function_calling=True,
        json_output=True,
        structured_output=True,
        family=family,
        multiple_system_messages=True,
    )


def _needs_signature_sentinel(model: str) -> bool:
    # Only Gemini 3 and later reject function calls without a signature;
    # older models never asked for one.
    return not re.match(r"(models/)?gemini-(1|2)(\.|-)", model)


def _retry_info_delay(details: Any) -> float | None:
    """The `retryDelay` of a google.rpc.RetryInfo in an error body, in seconds."""
    error = details.get("error", details) if isinstance(details, dict) else None
    items = error.get("details") if isinstance(error, dict) else None
    for item in items or []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = re.fullmatch(r"\s*([0-9.]+)s\s*", str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


class GeminiChatCompletionClient(ChatClientBase):
    """Gemini through google-genai, as an autogen `ChatCompletionClient`.

    Args:
        model: e.g. "gemini-2.5-flash".
        api_key: the Gemini API key.
        base_url: another endpoint (a proxy, a test server); default Google's.
        timeout: seconds one attempt may take.
        max_retries: further attempts after the first (0: none).
        temperature: sampling temperature, if set.
        model_info: overrides `gemini_model_info(model)`.
        api_key_env: the variable the key came from, named in auth errors.
        add_name_prefixes: prefix each user turn with "<source>: " so the model
            can tell crew members apart (Gemini turns carry no speaker name).
        retry_initial_delay, retry_max_delay: backoff when the server does not
            say how long to wait; the longest wait we accept.
    """

    token_limit: int = 1_048_576

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 3,
        temperature: float | None = None,
        model_info: ModelInfo | None = None,
        api_key_env: str = "GEMINI_API_KEY",
        add_name_prefixes: bool = False,
        retry_initial_delay: float = 1.0,
        retry_max_delay: float = 60.0,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        genai, self._types, self._errors = _import_genai()
        self._model = model
        self._base_url = base_url
        self._timeout = timeout
        self._max_retries = max_retries
        self._temperature = temperature
        self._api_key_env = api_key_env
        self._add_name_prefixes = add_name_prefixes
        self._retry_initial_delay = retry_initial_delay
        self._retry_max_delay = retry_max_delay
        super().__init__(model_info if model_info is not None else gemini_model_info(model))
        self._client = genai.Client(
            api_key=api_key,
            http_options=self._types.HttpOptions(
                base_url=base_url,
                # The v1beta surface carries function calling, JSON schemas and
                # thought signatures; the SDK's default (v1) may lag behind.
                api_version="v1beta",
                timeout=max(1, int(timeout * 1000)),  # milliseconds
                # One attempt per SDK call: our loop owns retries (see module doc).
                retry_options=self._types.HttpRetryOptions(attempts=1),
            ),
        )
        self._timeouts, self._connection_errors = _transport_errors()
        self._calls: dict[str, _CallRecord] = {}

    @property
    def model(self) -> str:
        return self._model

    # -- request building ----------------------------------------------------
    def _user_parts(self, message: UserMessage) -> list[Any]:
        types = self._types
        prefix = f"{message.source}: " if self._add_name_prefixes and message.source else ""
        if isinstance(message.content, str):
            return [types.Part(text=prefix + message.content)]
        parts: list[Any] = []
        for i, item in enumerate(message.content):
            if isinstance(item, Image):
                if not self._model_info["vision"]:
                    raise ValueError(f"model {self._model!r} does not take images (model_info vision=False)")
                parts.append(types.Part.from_bytes(data=base64.b64decode(item.to_base64()), mime_type="image/png"))
            else:
                parts.append(types.Part(text=(prefix if i == 0 else "") + str(item)))
        return parts

    def _assistant_parts(self, message: AssistantMessage) -> list[Any]:
        types = self._types
        if isinstance(message.content, str):
            return [types.Part(text=message.content)]
        parts: list[Any] = []
        if message.thought:
            parts.append(types.Part(text=message.thought))
        for i, call in enumerate(message.content):
            record = self._calls.get(call.id)
            try:
                args = json.loads(call.arguments) if call.arguments else {}
            except json.JSONDecodeError:
                args = {"arguments": call.arguments}
            if not isinstance(args, dict):
                args = {"value": args}
            signature = record.signature if record else None
            if signature is None and i == 0 and _needs_signature_sentinel(self._model):
                signature = _SKIP_SIGNATURE
            parts.append(
                types.Part(
                    function_call=types.FunctionCall(
                        name=call.name, args=args, id=record.server_id if record else None
                    ),
                    thought_signature=signature,
                )
            )
        return parts

    def _result_parts(self, message: FunctionExecutionResultMessage) -> list[Any]:
        types = self._types
        parts = []
        for result in message.content:
            record = self._calls.get(result.call_id)
            key = "error" if result.is_error else "result"
            parts.append(
                types.Part(
                    function_response=types.FunctionResponse(
                        name=result.name,
                        response={key: result.content},
                        id=record.server_id if record else None,
                    )
                )
            )
        return parts

    def _to_contents(self, messages: Sequence[LLMMessage]) -> tuple[list[Any], str | None]:
        types = self._types
        system: list[str] = []
        contents: list[Any] = []
        leading = True
        for message in messages:
            if isinstance(message, SystemMessage):
                if leading:
                    system.append(message.content)
                    continue
                role, parts = "user", [types.Part(text=message.content)]
            elif isinstance(message, UserMessage):
                role, parts = "user", self._user_parts(message)
            elif isinstance(message, AssistantMessage):
                role, parts = "model", self._assistant_parts(message)
            elif isinstance(message, FunctionExecutionResultMessage):
                role, parts = "user", self._result_parts(message)
            else:  # pragma: no cover - LLMMessage is a closed union
                raise ValueError(f"unknown message type {type(message).__name__}")
            leading = False
            # Consecutive user turns (several crew members speaking, or a tool
            # result and a note) become one turn; model turns stay separate so
            # parts that carry signatures are never merged.
            if role == "user" and contents and contents[-1].role == "user":
                contents[-1].parts.extend(parts)
            else:
                contents.append(types.Content(role=role, parts=parts))
        if not contents and system:
            # Gemini needs at least one turn; a request that is all instructions
            # (a speaker-selection prompt, say) is sent as the user turn.
            return [types.Content(role="user", parts=[types.Part(text="\n\n".join(system))])], None
        return contents, ("\n\n".join(system) if system else None)

    def _config(
        self,
        system: str | None,
        tools: Sequence[Tool | ToolSchema],
        tool_choice: Tool | Literal["auto", "required", "none"],
        json_output: bool | type[BaseModel] | None,
        extra_create_args: Mapping[str, Any],
    ) -> Any:
        types = self._types
        config: dict[str, Any] = {
            # Declarations only, never callables, but say it: the SDK must not
            # run tools itself, the agent does.
            "automatic_function_calling": types.AutomaticFunctionCallingConfig(disable=True),
        }
        if system:
            config["system_instruction"] = system
        if self._temperature is not None:
            config["temperature"] = self._temperature
        if tools:
            if not self._model_info["function_calling"]:
                raise ValueError(f"model {self._model!r} does not support function calling (model_info)")
            declarations = []
            for tool in tools:
                schema = tool_schema(tool)
                declarations.append(
                    types.FunctionDeclaration(
                        name=schema["name"],
                        description=schema.get("description") or "",
                        parameters_json_schema=schema.get("parameters") or None,
                    )
                )
            config["tools"] = [types.Tool(function_declarations=declarations)]
            if isinstance(tool_choice, Tool):
                fcc = types.FunctionCallingConfig(mode="ANY", allowed_function_names=[tool_choice.name])
            else:
                fcc = types.FunctionCallingConfig(mode={"auto": "AUTO", "required": "ANY", "none": "NONE"}[tool_choice])
            config["tool_config"] = types.ToolConfig(function_calling_config=fcc)
        if json_output is True:
            if not self._model_info["json_output"]:
                raise ValueError(f"model {self._model!r} does not support JSON output (model_info)")
            config["response_mime_type"] = "application/json"
        elif isinstance(json_output, type) and issubclass(json_output, BaseModel):
            if not self._model_info["structured_output"]:
                raise ValueError(f"model {self._model!r} does not support structured output (model_info)")
            config["response_mime_type"] = "application/json"
            config["response_json_schema"] = json_output.model_json_schema()
        elif json_output not in (None, False):
            raise ValueError(f"json_output must be a bool or a pydantic model class, got {json_output!r}")
        # Anything else GenerateContentConfig takes (max_output_tokens,
        # thinking_config, seed, ...) may come through extra_create_args.
        config.update(extra_create_args)
        return types.GenerateContentConfig(**config)

    # -- the call, with retries ----------------------------------------------
    def _wait_for(self, exc: BaseException, attempt: int) -> float:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
        asked = retry_after_seconds(headers)
        if asked is None:
            asked = _retry_info_delay(getattr(exc, "details", None))
        if asked is not None:
            return asked
        backoff = min(self._retry_initial_delay * (2**attempt), self._retry_max_delay)
        return backoff * (1 - 0.25 * random.random())

    def _api_error(self, exc: Any, attempts: int) -> ProviderError:
        status = int(getattr(exc, "code", 0) or 0) or None
        state = getattr(exc, "status", None) or ""
        detail = getattr(exc, "message", None) or str(exc)
        label = f"HTTP {status}{' ' + state if state else ''}"
        tried = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        if status in (401, 403) or "API key" in detail:
            text = f"gemini rejected the request ({label}: {detail}): check {self._api_key_env}"
        elif status == 404:
            text = f"gemini has no model {self._model!r} ({label}: {detail}): check `model`"
        elif status == 429:
            text = f"gemini is rate limiting us ({label}: {detail}), {tried}: wait, or lower concurrency"
        else:
            text = f"gemini failed ({label}: {detail}), {tried}"
        return ProviderError(text, provider="gemini", status=status, retryable=status in RETRY_STATUSES)

    def _transport_error(self, exc: BaseException, attempts: int) -> ProviderError:
        tried = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        # A timeout first: httpx's TimeoutException is also a TransportError.
        if isinstance(exc, self._timeouts):
            text = f"gemini did not answer within {self._timeout:g}s {tried}: raise `timeout` in the config or retry later"
        else:
            where = self._base_url or "generativelanguage.googleapis.com"
            text = f"cannot reach gemini at {where} {tried}: {exc!r}"
        return ProviderError(text, provider="gemini", status=None, retryable=True)

    async def _generate(self, contents: list[Any], config: Any) -> Any:
        attempt = 0
        while True:
            try:
                return await self._client.aio.models.generate_content(
                    model=self._model, contents=contents, config=config
                )
            except self._errors.APIError as exc:
                if exc.code not in RETRY_STATUSES or attempt >= self._max_retries:
                    raise self._api_error(exc, attempt + 1) from exc
                wait = self._wait_for(exc, attempt)
                if wait > self._retry_max_delay:
                    raise ProviderError(
                        f"gemini asks us to wait {wait:.0f}s (HTTP {exc.code}: {exc.message}); "
                        f"more than retry_max_delay={self._retry_max_delay:g}s, so giving up",
                        provider="gemini",
                        status=exc.code,
                        retryable=True,
                    ) from exc
            except self._timeouts + self._connection_errors as exc:
                if attempt >= self._max_retries:
                    raise self._transport_error(exc, attempt + 1) from exc
                wait = self._wait_for(exc, attempt)
            _log.info("gemini request failed, retry %d of %d in %.2fs", attempt + 1, self._max_retries, wait)
            await asyncio.sleep(wait)
            attempt += 1

    def _to_result(self, response: Any) -> CreateResult:
        candidates = response.candidates or []
        candidate = candidates[0] if candidates else None
        parts = (candidate.content.parts if candidate and candidate.content else None) or []
        texts: list[str] = []
        thoughts: list[str] = []
        calls: list[FunctionCall] = []
        for part in parts:
            if part.function_call is not None:
                fc = part.function_call
                call_id = fc.id or self._next_call_id()
                self._calls[call_id] = _CallRecord(server_id=fc.id or None, signature=part.thought_signature)
                calls.append(FunctionCall(id=call_id, name=fc.name or "", arguments=json.dumps(fc.args or {})))
            elif part.text is not None:
                (thoughts if part.thought else texts).append(part.text)
        usage_md = response.usage_metadata
        usage = RequestUsage(
            prompt_tokens=(usage_md.prompt_token_count or 0) if usage_md else 0,
            completion_tokens=((usage_md.candidates_token_count or 0) + (usage_md.thoughts_token_count or 0))
            if usage_md
            else 0,
        )
        thought = "\n".join(thoughts) or None
        if calls:
            text = "".join(texts)
            return CreateResult(
                finish_reason="function_calls",
                content=calls,
                usage=usage,
                cached=False,
                thought="\n".join(t for t in (thought, text) if t) or None,
            )
        raw_reason = getattr(candidate, "finish_reason", None) if candidate else None
        reason_name = str(getattr(raw_reason, "value", raw_reason) or "")
        if candidate is None:
            # No candidate at all: the prompt itself was blocked.
            finish = "content_filter"
        else:
            finish = _FINISH_REASONS.get(reason_name, "stop" if not reason_name else "unknown")
        return CreateResult(finish_reason=finish, content="".join(texts), usage=usage, cached=False, thought=thought)  # type: ignore[arg-type]

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
        contents, system = self._to_contents(messages)
        config = self._config(system, tools, tool_choice, json_output, extra_create_args)
        task = asyncio.ensure_future(self._generate(contents, config))
        if cancellation_token is not None:
            cancellation_token.link_future(task)
        response = await task
        result = self._to_result(response)
        logged_messages = [c.model_dump(mode="json", exclude_none=True) for c in contents]
        if system:
            logged_messages.insert(0, {"role": "system", "parts": [{"text": system}]})
        self._record_call(result, logged_messages=logged_messages, tools=tools)
        return result

    async def close(self) -> None:
        await self._client.aio.aclose()

    def count_tokens(self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = []) -> int:
        # An estimate: Gemini's exact count is a network call (models.count_tokens).
        total = 0
        for message in messages:
            content = message.content
            if isinstance(content, str):
                total += count_text_tokens(content)
            else:
                for item in content:
                    if isinstance(item, Image):
                        total += 258  # Gemini's fixed cost of a small image
                    elif isinstance(item, FunctionCall):
                        total += count_text_tokens(item.name) + count_text_tokens(item.arguments)
                    else:
                        total += count_text_tokens(str(getattr(item, "content", item)))
        return total + count_tool_tokens(tools)
