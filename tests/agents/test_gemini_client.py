"""GeminiChatCompletionClient against a fake generateContent server."""

from __future__ import annotations

import base64
import sys
import time
from collections.abc import Iterator

import pytest
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.messages import StructuredMessage, TextMessage, ToolCallExecutionEvent
from autogen_core import FunctionCall, Image
from autogen_core.logging import LLMCallEvent
from autogen_core.models import (
    AssistantMessage,
    CreateResult,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import FunctionTool
from fakes.chat_servers import FakeGeminiServer, free_port
from pydantic import BaseModel

from filmcrew.agents.gemini_client import GeminiChatCompletionClient
from filmcrew.errors import ConfigurationError, ProviderError

ASK = [SystemMessage(content="You are the audience."), UserMessage(content="Did the ending land?", source="editor")]


class Review(BaseModel):
    score: int
    note: str


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@pytest.fixture
def server() -> Iterator[FakeGeminiServer]:
    with FakeGeminiServer() as fake:
        yield fake


def client_for(server: FakeGeminiServer, **kwargs: object) -> GeminiChatCompletionClient:
    settings: dict[str, object] = {
        "model": "gemini-2.5-flash",
        "api_key": "g-test",
        "base_url": server.base_url,
        "timeout": 5.0,
        "max_retries": 2,
        "retry_initial_delay": 0.01,
    }
    settings.update(kwargs)
    return GeminiChatCompletionClient(**settings)  # type: ignore[arg-type]


# -- requests and replies ---------------------------------------------------------


async def test_text_reply_and_the_request_on_the_wire(server: FakeGeminiServer) -> None:
    server.reply_text("It landed.", usage=(40, 4))
    result = await client_for(server, temperature=0.4).create(ASK)
    assert result.content == "It landed." and result.finish_reason == "stop"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (40, 4)

    request = server.requests[0]
    assert request.method == "POST"
    assert request.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert request.headers["x-goog-api-key"] == "g-test"
    body = request.json
    assert body["systemInstruction"]["parts"] == [{"text": "You are the audience."}]
    assert body["contents"] == [{"role": "user", "parts": [{"text": "Did the ending land?"}]}]
    assert body["generationConfig"]["temperature"] == 0.4
    assert "tools" not in body


async def test_consecutive_user_turns_merge_and_names_can_prefix(server: FakeGeminiServer) -> None:
    server.reply_text("ok")
    messages = [
        SystemMessage(content="rules"),
        UserMessage(content="Cut the dream.", source="editor"),
        UserMessage(content="Keep the dream.", source="screenwriter"),
        AssistantMessage(content="Keep it short.", source="audience"),
        SystemMessage(content="Be brief."),
    ]
    await client_for(server, add_name_prefixes=True).create(messages)
    contents = server.requests[0].json["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[0]["parts"] == [{"text": "editor: Cut the dream."}, {"text": "screenwriter: Keep the dream."}]
    assert contents[2]["parts"] == [{"text": "Be brief."}]  # a late system message stays in place


async def test_a_request_of_only_instructions_is_sent_as_a_user_turn(server: FakeGeminiServer) -> None:
    server.reply_text("editor")
    await client_for(server).create([SystemMessage(content="Who speaks next? Answer with a role name.")])
    body = server.requests[0].json
    assert body["contents"] == [{"role": "user", "parts": [{"text": "Who speaks next? Answer with a role name."}]}]
    assert "systemInstruction" not in body


async def test_images_go_inline_when_vision_is_on(server: FakeGeminiServer) -> None:
    from PIL import Image as PILImage

    server.reply_text("A blue frame.")
    picture = Image.from_pil(PILImage.new("RGB", (8, 8), (0, 0, 255)))
    await client_for(server).create([UserMessage(content=["Describe this frame.", picture], source="editor")])
    parts = server.requests[0].json["contents"][0]["parts"]
    assert parts[0] == {"text": "Describe this frame."}
    inline = parts[1]["inlineData"]
    # The SDK writes some nested names in proto style; Google's JSON parser takes both.
    assert inline.get("mimeType", inline.get("mime_type")) == "image/png"
    assert base64.b64decode(inline["data"]).startswith(b"\x89PNG")

    no_vision = client_for(server, model_info={"vision": False, "function_calling": True, "json_output": True, "structured_output": True, "family": "unknown"})
    with pytest.raises(ValueError, match="does not take images"):
        await no_vision.create([UserMessage(content=["x", picture], source="editor")])


async def test_function_call_round_trip_through_an_assistant_agent(server: FakeGeminiServer) -> None:
    signature = base64.b64encode(b"opaque-thought").decode()
    server.reply_function_calls([("add", {"a": 2, "b": 3})], thought_signature=signature)
    server.reply_text("The sum is 5.")
    agent = AssistantAgent(
        "editor",
        model_client=client_for(server, model="gemini-3-flash-preview"),
        tools=[FunctionTool(add, description="Add two numbers")],
        reflect_on_tool_use=True,
    )
    result = await agent.run(task="What is 2 + 3?")
    execution = next(m for m in result.messages if isinstance(m, ToolCallExecutionEvent))
    assert execution.content[0].content == "5" and not execution.content[0].is_error
    assert isinstance(result.messages[-1], TextMessage) and result.messages[-1].content == "The sum is 5."

    first, second = (r.json for r in server.requests)
    declaration = first["tools"][0]["functionDeclarations"][0]
    assert declaration["name"] == "add" and declaration["description"] == "Add two numbers"
    schema = declaration.get("parametersJsonSchema") or declaration.get("parameters_json_schema")
    assert set(schema["properties"]) == {"a", "b"}
    assert first["toolConfig"]["functionCallingConfig"]["mode"] == "AUTO"

    model_turn, result_turn = second["contents"][-2:]
    assert model_turn["role"] == "model"
    assert model_turn["parts"][0]["functionCall"] == {"name": "add", "args": {"a": 2, "b": 3}}
    # The signature goes back exactly as received (Gemini 3 rejects the call otherwise).
    assert base64.urlsafe_b64decode(model_turn["parts"][0]["thoughtSignature"]) == b"opaque-thought"
    assert result_turn["role"] == "user"
    assert result_turn["parts"][0]["functionResponse"] == {"name": "add", "response": {"result": "5"}}


async def test_unsigned_calls_from_elsewhere_get_the_documented_sentinel(server: FakeGeminiServer) -> None:
    history = [
        UserMessage(content="Sum?", source="director"),
        AssistantMessage(content=[FunctionCall(id="c1", name="add", arguments='{"a": 1, "b": 1}'), FunctionCall(id="c2", name="add", arguments="{}")], source="editor"),
        FunctionExecutionResultMessage(content=[FunctionExecutionResult(content="2", name="add", call_id="c1"), FunctionExecutionResult(content="boom", name="add", call_id="c2", is_error=True)]),
    ]
    server.reply_text("2")
    server.reply_text("2")
    await client_for(server, model="gemini-3-pro-preview").create(history)
    await client_for(server, model="gemini-2.5-flash").create(history)
    gemini3, gemini25 = (r.json["contents"][1]["parts"] for r in server.requests)
    assert gemini3[0]["thoughtSignature"] == "skip_thought_signature_validator"
    assert "thoughtSignature" not in gemini3[1]  # only the first call of a turn carries one
    assert all("thoughtSignature" not in p for p in gemini25)
    results = server.requests[0].json["contents"][2]["parts"]
    assert results[1]["functionResponse"]["response"] == {"error": "boom"}


async def test_tool_choice_maps_to_function_calling_config(server: FakeGeminiServer) -> None:
    tool = FunctionTool(add, description="Add")
    server.reply_text("x")
    server.reply_text("x")
    client = client_for(server)
    await client.create(ASK, tools=[tool], tool_choice="required")
    await client.create(ASK, tools=[tool], tool_choice=tool)
    required, named = (r.json["toolConfig"]["functionCallingConfig"] for r in server.requests)
    assert required == {"mode": "ANY"}
    assert named == {"mode": "ANY", "allowedFunctionNames": ["add"]}


async def test_json_and_schema_output(server: FakeGeminiServer) -> None:
    server.reply_text('{"score": 4, "note": "moving"}')
    result = await client_for(server).create(ASK, json_output=Review)
    assert Review.model_validate_json(result.content) == Review(score=4, note="moving")
    config = server.requests[0].json["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["properties"].keys() == {"score", "note"}

    server.reply_text('{"any": "json"}')
    await client_for(server).create(ASK, json_output=True)
    config = server.requests[1].json["generationConfig"]
    assert config["responseMimeType"] == "application/json" and "responseJsonSchema" not in config

    server.reply_text('{"score": 2, "note": "slow"}')
    agent = AssistantAgent("audience", model_client=client_for(server), output_content_type=Review)
    final = (await agent.run(task="Review it")).messages[-1]
    assert isinstance(final, StructuredMessage) and final.content.score == 2


async def test_stream_yields_text_then_one_result(server: FakeGeminiServer) -> None:
    server.reply_text("Short and sweet.")
    items = [i async for i in client_for(server).create_stream(ASK)]
    assert items[0] == "Short and sweet." and isinstance(items[-1], CreateResult) and len(items) == 2


async def test_blocked_prompt_is_a_content_filter_finish(server: FakeGeminiServer) -> None:
    server.reply_raw({"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 3}})
    result = await client_for(server).create(ASK)
    assert result.finish_reason == "content_filter" and result.content == ""


async def test_llm_call_event_and_usage(server: FakeGeminiServer, llm_events: list[LLMCallEvent]) -> None:
    events = llm_events
    server.reply_text("one", usage=(10, 2))
    server.reply_text("two", usage=(20, 3))
    client = client_for(server)
    await client.create(ASK)
    await client.create(ASK)
    assert [(e.prompt_tokens, e.completion_tokens) for e in events] == [(10, 2), (20, 3)]
    assert events[0].kwargs["response"]["content"] == "one"
    str(events[0])  # JSON-serialisable for the event log
    assert (client.actual_usage().prompt_tokens, client.total_usage().prompt_tokens) == (20, 30)
    assert client.count_tokens(ASK) > 0 and client.remaining_tokens(ASK) < client.token_limit


# -- retries, timeouts, errors --------------------------------------------------------


async def test_429_with_retry_info_is_retried_after_the_asked_delay(server: FakeGeminiServer) -> None:
    server.reply_error(429, "Resource has been exhausted", retry_delay="0.2s")
    server.reply_text("after the wait")
    assert (await client_for(server).create(ASK)).content == "after the wait"
    assert len(server.requests) == 2
    assert server.requests[1].received_at - server.requests[0].received_at >= 0.2


async def test_429_with_retry_after_header_zero(server: FakeGeminiServer) -> None:
    # A big backoff proves the header, not the backoff, decided the wait.
    server.reply_error(429, "slow down", headers={"retry-after": "0"})
    server.reply_text("ok")
    started = time.monotonic()
    await client_for(server, retry_initial_delay=30).create(ASK)
    assert len(server.requests) == 2 and time.monotonic() - started < 5


async def test_500_then_success(server: FakeGeminiServer) -> None:
    server.reply_error(500, "internal")
    server.reply_text("recovered")
    assert (await client_for(server).create(ASK)).content == "recovered"
    assert len(server.requests) == 2


async def test_retries_spent_surface_as_provider_error(server: FakeGeminiServer) -> None:
    server.reply_error(503, "overloaded")
    server.reply_error(503, "overloaded")
    with pytest.raises(ProviderError) as info:
        await client_for(server, max_retries=1).create(ASK)
    assert info.value.status == 503 and info.value.retryable and info.value.provider == "gemini"
    assert "overloaded" in str(info.value) and "after 2 attempts" in str(info.value)
    assert len(server.requests) == 2


async def test_a_server_asking_too_long_a_wait_is_not_waited_for(server: FakeGeminiServer) -> None:
    server.reply_error(429, "quota", retry_delay="3600s")
    with pytest.raises(ProviderError, match="wait 3600s") as info:
        await client_for(server).create(ASK)
    assert info.value.retryable and len(server.requests) == 1


async def test_timeout_surfaces_as_provider_error(server: FakeGeminiServer) -> None:
    server.reply_text("too late", delay=5.0)
    started = time.monotonic()
    with pytest.raises(ProviderError, match="did not answer within 0.2s") as info:
        await client_for(server, timeout=0.2, max_retries=0).create(ASK)
    assert time.monotonic() - started < 3
    assert info.value.status is None and info.value.retryable
    assert len(server.requests) == 1


async def test_timeouts_are_retried_too(server: FakeGeminiServer) -> None:
    server.reply_text("too late", delay=5.0)
    server.reply_text("in time")
    assert (await client_for(server, timeout=0.2, max_retries=1).create(ASK)).content == "in time"
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_errors_are_not_retried_and_name_the_key(server: FakeGeminiServer, status: int) -> None:
    server.reply_error(status, "The caller does not have permission")
    with pytest.raises(ProviderError) as info:
        await client_for(server, api_key_env="GOOGLE_API_KEY").create(ASK)
    assert info.value.status == status and not info.value.retryable
    assert "GOOGLE_API_KEY" in str(info.value)
    assert len(server.requests) == 1


async def test_invalid_key_400_names_the_key(server: FakeGeminiServer) -> None:
    server.reply_error(400, "API key not valid. Please pass a valid API key.")
    with pytest.raises(ProviderError, match="check GEMINI_API_KEY") as info:
        await client_for(server).create(ASK)
    assert info.value.status == 400 and len(server.requests) == 1


async def test_unreachable_server_is_a_provider_error() -> None:
    client = GeminiChatCompletionClient(model="gemini-2.5-flash", api_key="k", base_url=f"http://127.0.0.1:{free_port()}/", max_retries=0)
    with pytest.raises(ProviderError, match="cannot reach gemini") as info:
        await client.create(ASK)
    assert info.value.status is None


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "google.genai", None)
    with pytest.raises(ConfigurationError, match=r"pip install 'filmcrew\[gemini\]'"):
        GeminiChatCompletionClient(model="gemini-2.5-flash", api_key="k")


def test_model_info_defaults() -> None:
    client = GeminiChatCompletionClient(model="gemini-2.5-flash", api_key="k")
    info = client.model_info
    assert info["vision"] and info["function_calling"] and info["structured_output"]
    assert info["family"] == "gemini-2.5-flash"
    assert GeminiChatCompletionClient(model="gemini-3-pro-preview", api_key="k").model_info["family"] == "unknown"
