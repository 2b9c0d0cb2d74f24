"""The craft model's client: film-craft rules behind the chat-model interface.

`CraftChatCompletionClient` is a real autogen `ChatCompletionClient`. For each
request it finds the task's offline rule (built-in roles carry theirs in their
`RoleSpec`, custom roles too), calls the tools the rule asks for (only those
the request offers, which are the role's `RoleSpec.tools`), and answers with
the rule's JSON, or its one-line report for a task whose output is a tool's
result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import FunctionExecutionResultMessage, LLMMessage, UserMessage
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from filmcrew.agents.offline_client import CrewRequest, OfflineChatCompletionClient
from filmcrew.agents.role import OfflineRule
from filmcrew.prompts.sections import read_sections, read_task

__all__ = ["CraftChatCompletionClient", "builtin_rules"]


def builtin_rules() -> dict[str, OfflineRule]:
    """The offline rules of the five built-in roles, by task."""
    from filmcrew.agents.builtin import BUILTIN_ROLES

    return {task: rule for spec in BUILTIN_ROLES for task, rule in spec.offline_rules.items()}


def _tool_name(tool: Tool | ToolSchema) -> str:
    return tool.name if isinstance(tool, Tool) else tool["name"]


def _parse_result(content: str) -> Any:
    try:
        return json.loads(content)
    except (json.JSONDecodeError, TypeError):
        return content


class CraftChatCompletionClient(OfflineChatCompletionClient):
    """Deterministic film-craft rules behind the chat-model interface.

    `extra_rules` (task -> offline rule) add to, or replace, the built-in
    roles' rules; a crew passes the rules of all its roles.
    """

    def __init__(self, extra_rules: Mapping[str, OfflineRule] | None = None, *, model: str = "filmcrew-craft-1"):
        super().__init__(model=model)
        self._rules: dict[str, OfflineRule] = {**builtin_rules(), **(extra_rules or {})}
        self._calls = 0

    def respond(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema],
        json_output: bool | type[BaseModel] | None,
        request: CrewRequest | None = None,
    ) -> str | list[FunctionCall]:
        index, task, ctx = _find_task(messages, request)
        if task is None:
            return "I answer the crew's tasks; this conversation has none."
        later = list(messages[index + 1 :])
        results = [
            _parse_result(r.content) for m in later if isinstance(m, FunctionExecutionResultMessage) for r in m.content if not r.is_error
        ]
        tool_errors = [r.content for m in later if isinstance(m, FunctionExecutionResultMessage) for r in m.content if r.is_error]
        feedback = [f"[feedback] {m.content}" for m in later if isinstance(m, UserMessage) and isinstance(m.content, str)]
        notes = list(ctx.get("notes", [])) + feedback
        rule = self._rules.get(task)
        if rule is None:
            raise ValueError(f"the craft model has no rule for task {task!r}; give the role an offline rule for it")
        plan = getattr(rule, "calls", None)
        called = any(isinstance(m, FunctionExecutionResultMessage) for m in later)
        if plan is not None and not called:
            # Only tools the request offers: those are the role's `RoleSpec.tools`.
            available = {_tool_name(t) for t in tools}
            calls = [(name, args) for name, args in plan(ctx, notes) if name in available]
            if calls:
                self._calls += len(calls)
                return [FunctionCall(id=f"craft_{self._calls - len(calls) + i + 1}", name=name, arguments=json.dumps(args))
                        for i, (name, args) in enumerate(calls)]
        if tool_errors and not results:
            # Say what went wrong instead of inventing an answer without the tool's data.
            return f"The tool failed: {tool_errors[-1]}"
        output = rule(ctx, results, notes)
        if isinstance(output, BaseModel):
            return output.model_dump_json()
        if isinstance(output, str):
            return output
        return json.dumps(output)


def _find_task(messages: Sequence[LLMMessage], request: CrewRequest | None) -> tuple[int, str | None, dict[str, Any]]:
    """Where the task message is, which task, and its context.

    An in-process request carries task and context as data; without one (a
    request over the wire) they are read back from the rendered task: its
    first line names the task, its tagged sections state the context.
    """
    for index, message in enumerate(messages):
        if not isinstance(message, UserMessage):
            continue
        text = message.content if isinstance(message.content, str) else next((c for c in message.content if isinstance(c, str)), "")
        if request is not None:
            return index, request.task, dict(request.context)
        task = read_task(text)
        if task is not None:
            return index, task, read_sections(text)
    return -1, None, {}
