"""make_chat_client against a fake OpenAI-compatible server, and the doctor rows."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator

import pytest
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.messages import StructuredMessage, TextMessage, ToolCallExecutionEvent
from autogen_core.models import CreateResult, SystemMessage, UserMessage
from autogen_core.tools import FunctionTool
from autogen_ext.models.openai import OpenAIChatCompletionClient
from fakes.chat_servers import FakeOpenAIServer, free_port
from pydantic import BaseModel

from filmcrew.agents.providers import (
    LOCAL_SERVER_API_KEY,
    describe_chat_providers,
    make_chat_client,
)
from filmcrew.config import ROLE_NAMES, FilmcrewConfig, ModelConfig
from filmcrew.errors import ConfigurationError, ProviderError
from filmcrew.testing import ScriptedChatCompletionClient

KEY = {"OPENAI_API_KEY": "sk-test"}
ASK = [SystemMessage(content="You are the editor."), UserMessage(content="Cut or keep?", source="director")]


class Shot(BaseModel):
    size: str
    movement: str


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def client_for(server: FakeOpenAIServer, **cfg: object) -> OpenAIChatCompletionClient:
    settings = {"provider": "openai", "model": "fake-model", "base_url": server.base_url, "timeout": 5.0, "max_retries": 2}
    settings.update(cfg)
    client = make_chat_client(ModelConfig(**settings), env=KEY)
    assert isinstance(client, OpenAIChatCompletionClient)
    return client


# -- the happy paths ------------------------------------------------------------


async def test_text_reply_over_the_wire(server: FakeOpenAIServer) -> None:
    server.reply_text("Keep it.", usage=(21, 3))
    client = client_for(server, temperature=0.3)
    result = await client.create(ASK)
    assert result.content == "Keep it." and result.finish_reason == "stop"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (21, 3)
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = request.json
    assert body["model"] == "fake-model" and body["temperature"] == 0.3
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == "Cut or keep?"


def test_unknown_model_names_get_a_usable_model_info(server: FakeOpenAIServer) -> None:
    info = client_for(server, model="qwen2.5:7b").model_info
    assert info["function_calling"] and info["json_output"] and info["structured_output"]
    assert info["vision"] is False and info["family"] == "unknown"
    # A partial model_info is completed from the defaults.
    assert client_for(server, model="llava", model_info={"vision": True}).model_info["vision"] is True
    # Models autogen knows keep autogen's description.
    assert client_for(server, model="gpt-4o").model_info["vision"] is True


async def test_tool_call_round_trip_through_an_assistant_agent(server: FakeOpenAIServer) -> None:
    (call_id,) = server.reply_tool_calls([("add", {"a": 2, "b": 3})])
    server.reply_text("The sum is 5.")
    agent = AssistantAgent(
        "editor",
        model_client=client_for(server),
        tools=[FunctionTool(add, description="Add two numbers")],
        reflect_on_tool_use=True,
    )
    result = await agent.run(task="What is 2 + 3?")
    execution = next(m for m in result.messages if isinstance(m, ToolCallExecutionEvent))
    assert execution.content[0].content == "5" and execution.content[0].call_id == call_id
    assert isinstance(result.messages[-1], TextMessage) and result.messages[-1].content == "The sum is 5."

    first, second = (r.json for r in server.requests)
    assert first["tools"][0]["function"]["name"] == "add"
    assert set(first["tools"][0]["function"]["parameters"]["properties"]) == {"a", "b"}
    assistant, tool_message = second["messages"][-2:]
    assert assistant["tool_calls"][0]["id"] == call_id
    assert tool_message == {"role": "tool", "tool_call_id": call_id, "content": "5"}


# autogen 0.7.5 logs the parsed completion with model_dump(), which makes
# pydantic warn about the `parsed` field; harmless and upstream.
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
async def test_structured_output_is_requested_and_validated(server: FakeOpenAIServer) -> None:
    server.reply_text(Shot(size="wide", movement="dolly in").model_dump_json())
    result = await client_for(server).create(ASK, json_output=Shot)
    assert Shot.model_validate_json(result.content) == Shot(size="wide", movement="dolly in")
    response_format = server.requests[0].json["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Shot"
    assert set(response_format["json_schema"]["schema"]["properties"]) == {"size", "movement"}

    server.reply_text('{"size": "close-up", "movement": "static"}')
    agent = AssistantAgent("cinematographer", model_client=client_for(server), output_content_type=Shot)
    final = (await agent.run(task="Plan it")).messages[-1]
    assert isinstance(final, StructuredMessage) and final.content.size == "close-up"


async def test_streaming_over_sse(server: FakeOpenAIServer) -> None:
    server.reply_text("A slow push in.")
    items = [i async for i in client_for(server).create_stream(ASK)]
    assert isinstance(items[-1], CreateResult) and sum(isinstance(i, CreateResult) for i in items) == 1
    assert "".join(i for i in items if isinstance(i, str)) == "A slow push in." == items[-1].content
    assert server.requests[0].json["stream"] is True


async def test_create_never_loads_tiktoken(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import tiktoken

    def offline(*args: object, **kwargs: object) -> None:
        raise AssertionError("tiktoken would download an encoding here")

    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    monkeypatch.setattr(tiktoken, "encoding_for_model", offline)
    server.reply_text("ok")
    assert (await client_for(server).create(ASK)).content == "ok"


# -- retries, timeouts, errors ------------------------------------------------


async def test_429_with_retry_after_zero_is_retried(server: FakeOpenAIServer) -> None:
    server.reply_error(429, "Rate limit reached", headers={"retry-after": "0"})
    server.reply_text("after the wait")
    result = await client_for(server).create(ASK)
    assert result.content == "after the wait"
    assert len(server.requests) == 2
    assert [r.headers.get("x-stainless-retry-count") for r in server.requests] == ["0", "1"]


async def test_retry_after_is_honoured(server: FakeOpenAIServer) -> None:
    server.reply_error(429, "Rate limit reached", headers={"retry-after": "0.3"})
    server.reply_text("ok")
    await client_for(server).create(ASK)
    gap = server.requests[1].received_at - server.requests[0].received_at
    assert gap >= 0.3


async def test_500_is_retried(server: FakeOpenAIServer) -> None:
    # retry-after-ms keeps the test quick; without it the SDK backs off ~0.5 s.
    server.reply_error(500, "upstream broke", headers={"retry-after-ms": "10"})
    server.reply_text("recovered")
    assert (await client_for(server).create(ASK)).content == "recovered"
    assert len(server.requests) == 2


async def test_retries_spent_surface_as_provider_error(server: FakeOpenAIServer) -> None:
    for _ in range(2):
        server.reply_error(429, "Rate limit reached", headers={"retry-after-ms": "5"})
    with pytest.raises(ProviderError) as info:
        await client_for(server, max_retries=1).create(ASK)
    assert info.value.status == 429 and info.value.retryable and info.value.provider == "openai"
    assert "rate limiting" in str(info.value) and "after 1 retry" in str(info.value)
    assert len(server.requests) == 2


async def test_timeout_surfaces_as_provider_error(server: FakeOpenAIServer) -> None:
    server.reply_text("too late", delay=5.0)
    started = time.monotonic()
    with pytest.raises(ProviderError) as info:
        await client_for(server, timeout=0.2, max_retries=0).create(ASK)
    assert time.monotonic() - started < 3
    assert info.value.status is None and info.value.retryable
    assert "did not answer within 0.2s" in str(info.value)
    assert len(server.requests) == 1


async def test_401_is_not_retried_and_names_the_key(server: FakeOpenAIServer) -> None:
    server.reply_error(401, "Incorrect API key provided")
    with pytest.raises(ProviderError) as info:
        await client_for(server).create(ASK)
    assert info.value.status == 401 and not info.value.retryable
    assert "OPENAI_API_KEY" in str(info.value) and "Incorrect API key provided" in str(info.value)
    assert len(server.requests) == 1


async def test_400_is_not_retried(server: FakeOpenAIServer) -> None:
    server.reply_error(400, "response_format is not supported by this server")
    with pytest.raises(ProviderError, match="rejected the request with HTTP 400: response_format") as info:
        await client_for(server).create(ASK)
    assert info.value.status == 400 and not info.value.retryable
    assert len(server.requests) == 1


async def test_unreachable_server_is_a_provider_error() -> None:
    cfg = ModelConfig(provider="openai", model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0, timeout=2)
    with pytest.raises(ProviderError, match="cannot reach openai") as info:
        await make_chat_client(cfg, env=KEY).create(ASK)
    assert info.value.status is None


async def test_errors_while_streaming_are_provider_errors(server: FakeOpenAIServer) -> None:
    server.reply_error(401, "bad key")
    with pytest.raises(ProviderError) as info:
        _ = [i async for i in client_for(server).create_stream(ASK)]
    assert info.value.status == 401


def test_the_client_still_serialises_as_autogens(server: FakeOpenAIServer) -> None:
    component = client_for(server).dump_component()
    assert component.provider == "autogen_ext.models.openai.OpenAIChatCompletionClient"


# -- configuration ------------------------------------------------------------------


async def test_local_server_without_a_key_gets_a_placeholder(server: FakeOpenAIServer) -> None:
    server.reply_text("hi from ollama")
    client = make_chat_client(ModelConfig(provider="openai", model="llama3.2", base_url=server.base_url), env={})
    assert (await client.create(ASK)).content == "hi from ollama"
    assert server.requests[0].headers["authorization"] == f"Bearer {LOCAL_SERVER_API_KEY}"


def test_missing_key_says_which_variable_to_set() -> None:
    with pytest.raises(ConfigurationError, match="set OPENAI_API_KEY"):
        make_chat_client(ModelConfig(provider="openai", model="gpt-4o-mini"), env={})
    with pytest.raises(ConfigurationError, match="set MY_VLLM_KEY"):
        make_chat_client(ModelConfig(provider="openai", model="m", base_url="http://127.0.0.1:9/v1", api_key_env="MY_VLLM_KEY"), env={})
    with pytest.raises(ConfigurationError, match=r"GEMINI_API_KEY \(or GOOGLE_API_KEY\)"):
        make_chat_client(ModelConfig(provider="gemini", model="gemini-2.5-flash"), env={})


async def test_custom_key_variable_is_used(server: FakeOpenAIServer) -> None:
    server.reply_text("ok")
    cfg = ModelConfig(provider="openai", model="m", base_url=server.base_url, api_key_env="TOGETHER_KEY")
    await make_chat_client(cfg, env={"TOGETHER_KEY": "tg-1"}).create(ASK)
    assert server.requests[0].headers["authorization"] == "Bearer tg-1"


def test_craft_and_scripted_providers() -> None:
    craft = ScriptedChatCompletionClient(["craft"])
    assert make_chat_client(ModelConfig(), craft_factory=lambda: craft) is craft
    with pytest.raises(ConfigurationError, match="craft_factory"):
        make_chat_client(ModelConfig())
    with pytest.raises(ConfigurationError, match="ScriptedChatCompletionClient"):
        make_chat_client(ModelConfig(provider="scripted", model="x"))


async def test_gemini_openai_compatible_endpoint_uses_the_openai_client(server: FakeOpenAIServer) -> None:
    server.reply_text("hello from gemini")
    cfg = ModelConfig(provider="gemini", model="gemini-2.5-flash", base_url=f"{server.url}/v1beta/openai/")
    client = make_chat_client(cfg, env={"GOOGLE_API_KEY": "g-key"})
    assert isinstance(client, OpenAIChatCompletionClient)
    assert (await client.create(ASK)).content == "hello from gemini"
    assert server.requests[0].path == "/v1beta/openai/chat/completions"
    assert server.requests[0].headers["authorization"] == "Bearer g-key"


def test_gemini_native_client_and_missing_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    from filmcrew.agents.gemini_client import GeminiChatCompletionClient

    client = make_chat_client(ModelConfig(provider="gemini", model="gemini-2.5-flash"), env={"GEMINI_API_KEY": "k"})
    assert isinstance(client, GeminiChatCompletionClient) and client.model_info["vision"]
    monkeypatch.setitem(sys.modules, "google.genai", None)  # as if the extra were not installed
    with pytest.raises(ConfigurationError, match=r"pip install 'filmcrew\[gemini\]'"):
        make_chat_client(ModelConfig(provider="gemini", model="gemini-2.5-flash"), env={"GEMINI_API_KEY": "k"})


# -- doctor --------------------------------------------------------------------------


def test_describe_chat_providers_rows() -> None:
    cfg = FilmcrewConfig(
        roles={
            "audience": ModelConfig(provider="gemini", model="gemini-2.5-flash"),
            "editor": ModelConfig(provider="openai", model="gpt-4o-mini"),
            "sound_designer": ModelConfig(provider="openai", model="llama3.2", base_url="http://localhost:11434/v1"),
            "colorist": ModelConfig(provider="openai", model="gpt-4o", api_key_env="COLOR_KEY"),
        }
    )
    rows = {r["role"]: r for r in describe_chat_providers(cfg, env={"GEMINI_API_KEY": "x"})}
    assert list(rows)[: len(ROLE_NAMES)] == list(ROLE_NAMES) and "colorist" in rows
    assert rows["screenwriter"]["configured"] and rows["screenwriter"]["reason"] == "offline craft model: no key needed"
    assert rows["audience"]["configured"] and "GEMINI_API_KEY is set" in rows["audience"]["reason"]
    assert not rows["editor"]["configured"] and rows["editor"]["reason"].startswith("OPENAI_API_KEY missing")
    assert rows["sound_designer"]["configured"] and "local OpenAI-compatible server" in rows["sound_designer"]["reason"]
    assert not rows["colorist"]["configured"] and "COLOR_KEY missing" in rows["colorist"]["reason"]
    assert rows["editor"]["model"] == "gpt-4o-mini" and rows["editor"]["provider"] == "openai"
    json.dumps(list(rows.values()))  # doctor may print it as JSON


def test_describe_reports_a_missing_gemini_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "google.genai" else real(name, *a))
    cfg = FilmcrewConfig(chat=ModelConfig(provider="gemini", model="gemini-2.5-flash"))
    row = describe_chat_providers(cfg, env={"GEMINI_API_KEY": "x"})[0]
    assert not row["configured"] and "pip install 'filmcrew[gemini]'" in row["reason"]
