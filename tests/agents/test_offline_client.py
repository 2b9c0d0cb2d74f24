"""The offline client contract and the scripted double, as an agent sees them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.messages import (
    ModelClientStreamingChunkEvent,
    StructuredMessage,
    TextMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)
from autogen_core import CancellationToken, FunctionCall
from autogen_core.logging import LLMCallEvent
from autogen_core.models import (
    AssistantMessage,
    CreateResult,
    FunctionExecutionResultMessage,
    LLMMessage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import FunctionTool, Tool, ToolSchema
from pydantic import BaseModel

from filmcrew.agents.offline_client import OfflineChatCompletionClient, count_text_tokens
from filmcrew.testing import (
    ScriptedChatCompletionClient,
    ScriptExhaustedError,
    scripted_json,
    tool_call,
)


class Echo(OfflineChatCompletionClient):
    """The smallest subclass: echoes the last message."""

    def respond(self, messages: Sequence[LLMMessage], *, tools, json_output) -> str | list[FunctionCall]:
        return f"echo: {messages[-1].content}"


class Shot(BaseModel):
    size: str
    movement: str


def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


USER = [SystemMessage(content="You plan shots."), UserMessage(content="Frame the hero, please.", source="director")]


# -- OfflineChatCompletionClient ------------------------------------------------


async def test_create_returns_stop_result_and_counts_usage() -> None:
    client = Echo()
    result = await client.create(USER)
    assert result.finish_reason == "stop"
    assert result.content == "echo: Frame the hero, please."
    assert result.cached is False
    assert result.usage.prompt_tokens == client.count_tokens(USER) > 0
    assert result.usage.completion_tokens == count_text_tokens(result.content)
    assert client.actual_usage() == result.usage

    second = await client.create([UserMessage(content="Again", source="director")])
    assert client.actual_usage() == second.usage
    assert client.total_usage().prompt_tokens == result.usage.prompt_tokens + second.usage.prompt_tokens
    assert client.total_usage().completion_tokens == result.usage.completion_tokens + second.usage.completion_tokens


async def test_create_stream_yields_chunks_then_exactly_one_result() -> None:
    client = Echo()
    items = [item async for item in client.create_stream(USER)]
    results = [i for i in items if isinstance(i, CreateResult)]
    assert len(results) == 1 and items[-1] is results[0]
    chunks = items[:-1]
    assert len(chunks) > 1 and all(isinstance(c, str) for c in chunks)
    assert "".join(chunks) == results[0].content
    assert client.total_usage() == results[0].usage


async def test_each_request_logs_one_llm_call_event(llm_events: list[LLMCallEvent]) -> None:
    client = Echo(model="echo-1")
    result = await client.create(USER)
    _ = [i async for i in client.create_stream(USER)]
    assert len(llm_events) == 2
    event = llm_events[0]
    assert event.prompt_tokens == result.usage.prompt_tokens
    assert event.completion_tokens == result.usage.completion_tokens
    assert event.kwargs["response"]["content"] == result.content
    assert event.kwargs["messages"][1]["content"] == "Frame the hero, please."
    assert event.kwargs["model"] == "echo-1"
    str(event)  # the event logger needs it JSON-serialisable


async def test_tool_calls_get_ids_and_finish_reason() -> None:
    class Caller(OfflineChatCompletionClient):
        def respond(self, messages, *, tools, json_output):
            return [tool_call("add", a=1, b=2), tool_call("add", a=3, b=4), FunctionCall(id="mine", name="add", arguments="{}")]

    client = Caller()
    result = await client.create(USER, tools=[FunctionTool(add, description="Add")])
    assert result.finish_reason == "function_calls"
    assert [c.id for c in result.content] == ["call_1", "call_2", "mine"]
    again = await client.create(USER)
    assert [c.id for c in again.content][:2] == ["call_3", "call_4"]  # ids never repeat
    streamed = [i async for i in client.create_stream(USER)]
    assert len(streamed) == 1 and isinstance(streamed[0], CreateResult)  # no text chunks for tool calls


async def test_bad_respond_return_is_a_clear_error() -> None:
    class Broken(OfflineChatCompletionClient):
        def respond(self, messages, *, tools, json_output):
            return 42  # type: ignore[return-value]

    with pytest.raises(TypeError, match="must return a str or a non-empty list of FunctionCall"):
        await Broken().create(USER)


async def test_cancelled_token_stops_the_request() -> None:
    token = CancellationToken()
    token.cancel()
    import asyncio

    with pytest.raises(asyncio.CancelledError):
        await Echo().create(USER, cancellation_token=token)


def test_model_info_tokens_and_capabilities() -> None:
    client = Echo()
    info = client.model_info
    assert info["function_calling"] and info["json_output"] and info["structured_output"]
    assert info["vision"] is False and info["family"] == "unknown"
    tool = FunctionTool(add, description="Add two numbers")
    assert client.count_tokens(USER, tools=[tool]) > client.count_tokens(USER)
    assert client.remaining_tokens(USER) == client.token_limit - client.count_tokens(USER)
    with pytest.warns(DeprecationWarning):
        assert client.capabilities == info
    custom = Echo(model_info={"vision": True, "function_calling": False, "json_output": False, "structured_output": False, "family": "x"})
    assert custom.model_info["vision"] is True


async def test_tools_refused_when_model_info_says_no_function_calling() -> None:
    client = Echo(model_info={"vision": False, "function_calling": False, "json_output": True, "structured_output": True, "family": "unknown"})
    with pytest.raises(ValueError, match="function calling"):
        await client.create(USER, tools=[FunctionTool(add, description="Add")])


# -- ScriptedChatCompletionClient ----------------------------------------------


async def test_scripted_replies_in_order_and_records_calls() -> None:
    client = ScriptedChatCompletionClient(["first", Shot(size="wide", movement="dolly"), {"ok": True}])
    tool = FunctionTool(add, description="Add")
    r1 = await client.create(USER, tools=[tool])
    r2 = await client.create(USER, json_output=Shot)
    r3 = await client.create(USER, json_output=True)
    assert r1.content == "first"
    assert Shot.model_validate_json(r2.content) == Shot(size="wide", movement="dolly")
    assert r3.content == '{"ok": true}'
    assert client.remaining == 0
    assert [c.json_output for c in client.calls] == [None, Shot, True]
    assert client.calls[0].tool_names == ["add"]
    assert "Frame the hero" in client.calls[0].text


async def test_scripted_exhaustion_is_a_clear_error() -> None:
    client = ScriptedChatCompletionClient(["only"])
    await client.create(USER)
    with pytest.raises(ScriptExhaustedError, match=r"1 scripted reply but received request #2.*cycle=True"):
        await client.create(USER)


async def test_scripted_cycle_repeats_the_last_reply() -> None:
    client = ScriptedChatCompletionClient(["a", "b"], cycle=True)
    assert [(await client.create(USER)).content for _ in range(4)] == ["a", "b", "b", "b"]
    client.reset()
    assert (await client.create(USER)).content == "a" and len(client.calls) == 1


async def test_scripted_callable_sees_the_request() -> None:
    def script(messages, tools, json_output):
        if json_output is Shot:
            return Shot(size="close-up", movement="static")
        return f"{len(messages)} messages, tools={[t.name for t in tools]}"

    client = ScriptedChatCompletionClient(script)
    assert (await client.create(USER, tools=[FunctionTool(add, description="Add")])).content == "2 messages, tools=['add']"
    assert Shot.model_validate_json((await client.create(USER, json_output=Shot)).content).size == "close-up"
    assert client.remaining is None


def test_scripted_rejects_unusable_replies_up_front() -> None:
    with pytest.raises(TypeError, match="scripted reply #2 is a int"):
        ScriptedChatCompletionClient(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="mixes FunctionCall"):
        ScriptedChatCompletionClient([[tool_call("add", a=1, b=2), "text"]])
    with pytest.raises(TypeError, match="list of replies"):
        ScriptedChatCompletionClient("just one")  # type: ignore[arg-type]


def test_scripted_json_helper() -> None:
    assert scripted_json(Shot(size="wide", movement="pan")) == '{"size":"wide","movement":"pan"}'
    assert scripted_json({"a": 1}) == '{"a": 1}'


async def test_scripted_tool_call_drives_an_assistant_agent_through_a_function_tool() -> None:
    client = ScriptedChatCompletionClient([[tool_call("add", a=2, b=3)], "The sum is 5."])
    agent = AssistantAgent("editor", model_client=client, tools=[FunctionTool(add, description="Add two numbers")], reflect_on_tool_use=True)
    result = await agent.run(task="What is 2 + 3?")
    kinds = [type(m) for m in result.messages]
    assert ToolCallRequestEvent in kinds and ToolCallExecutionEvent in kinds
    execution = next(m for m in result.messages if isinstance(m, ToolCallExecutionEvent))
    assert execution.content[0].content == "5" and not execution.content[0].is_error
    assert execution.content[0].call_id == "call_1"
    assert isinstance(result.messages[-1], TextMessage) and result.messages[-1].content == "The sum is 5."
    # The second request carried the tool result back to the model.
    assert len(client.calls) == 2
    assert client.calls[0].tool_names == ["add"]
    history = client.calls[1].messages
    assert isinstance(history[-2], AssistantMessage) and isinstance(history[-1], FunctionExecutionResultMessage)
    assert history[-1].content[0].content == "5"


async def test_scripted_structured_output_reaches_the_agent() -> None:
    client = ScriptedChatCompletionClient([Shot(size="wide", movement="crane")])
    agent = AssistantAgent("cinematographer", model_client=client, output_content_type=Shot)
    result = await agent.run(task="Plan the opening shot.")
    final = result.messages[-1]
    assert isinstance(final, StructuredMessage) and final.content == Shot(size="wide", movement="crane")
    assert client.calls[0].json_output is Shot


async def test_streaming_agent_gets_chunks() -> None:
    client = ScriptedChatCompletionClient(["A slow push in on the door."])
    agent = AssistantAgent("cinematographer", model_client=client, model_client_stream=True)
    seen = [m async for m in agent.run_stream(task="Shot?")]
    chunks = [m.content for m in seen if isinstance(m, ModelClientStreamingChunkEvent)]
    assert "".join(chunks) == "A slow push in on the door."
    assert seen[-1].messages[-1].content == "A slow push in on the door."


def test_tool_schema_dicts_are_accepted_as_tools() -> None:
    schema: ToolSchema = {"name": "lookup", "description": "find", "parameters": {"type": "object", "properties": {}}}
    tools: list[Tool | ToolSchema] = [schema]
    assert Echo().count_tokens(USER, tools=tools) > Echo().count_tokens(USER)
