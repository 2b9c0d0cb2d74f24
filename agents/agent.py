"""The agent that plays a role inside the autogen team.

`RoleAgent` is an autogen-agentchat `BaseChatAgent`. When the manager picks
it, it asks the production for its assignment (which task, with what
context), renders the role's prompt, talks to its model (calling tools as
the model asks), validates the typed output, and hands it to the production.

What the model gets wrong goes back to the model: invalid JSON, a schema
error, a missing required tool call or an output the production rejects (a
timeline edit past the media) is returned as an observation and the model is
asked again, a bounded number of times. Past that budget the turn ends with
an error message and the production stops; everything finished is kept.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Protocol

from autogen_agentchat.agents import BaseChatAgent
from autogen_agentchat.base import Response
from autogen_agentchat.messages import (
    BaseAgentEvent,
    BaseChatMessage,
    TextMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)
from autogen_core import CancellationToken, FunctionCall, Image
from autogen_core.models import (
    AssistantMessage,
    ChatCompletionClient,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    LLMMessage,
    RequestUsage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import BaseTool
from pydantic import BaseModel, ValidationError

from filmcrew.agents.offline_client import CREW_REQUEST_ARG, CrewRequest, OfflineChatCompletionClient
from filmcrew.agents.providers import native_output_args
from filmcrew.agents.role import RoleSpec
from filmcrew.errors import FilmcrewError
from filmcrew.prompts.sections import task_line

__all__ = ["RoleAgent", "Assignment", "RejectedOutput", "AssignmentSource", "DIRECTOR"]

DIRECTOR = "director"
_MAX_TOOL_ROUNDS = 6
_THREAD_KEEP = 8
# A thread line most of whose words the task already has is left out; a
# short line ("ok") costs nothing and is kept.
_RESTATED = 0.7
_RESTATE_MIN_WORDS = 4
_WORD_RE = re.compile(r"[a-z0-9_]+")


class RejectedOutput(Exception):
    """Raised by the production when a well-formed output cannot be used; the
    message goes back to the model as an observation."""


@dataclass
class Assignment:
    stage: str
    task: str
    phase: str
    variables: dict[str, Any]
    output_type: type[BaseModel] | None
    tools: list[BaseTool[Any, Any]] = field(default_factory=list)
    # For tool stages: the stage's output is what this tool returned.
    result_tool: str | None = None
    result_type: type[BaseModel] | None = None
    # Frames a multimodal model may look at (e.g. the audience watching the cut);
    # called only when the role's model has vision, since sampling costs time.
    images: Callable[[], list[Path]] | None = None


class AssignmentSource(Protocol):
    def assignment_for(self, role: str) -> Assignment: ...

    async def submit(self, role: str, assignment: Assignment, output: BaseModel) -> str: ...

    def report_failure(self, role: str, assignment: Assignment, error: str) -> None: ...


def _extract_json(text: str) -> str:
    """Models wrap JSON in prose or fences; take the outermost object."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    if fenced:
        return fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


def _short(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RoleAgent(BaseChatAgent):
    def __init__(
        self,
        spec: RoleSpec,
        model_client: ChatCompletionClient,
        production: AssignmentSource,
        *,
        max_output_retries: int = 3,
        task_models: Mapping[str, ChatCompletionClient] | None = None,
    ) -> None:
        super().__init__(spec.name, spec.description)
        self.spec = spec
        self._prompt = spec.load_prompt()
        self._model = model_client
        # Tasks configured on a model of their own (e.g. one per sound scale).
        self._task_models = dict(task_models or {})
        self._production = production
        self._max_retries = max_output_retries
        self._notes: list[str] = []
        self._thread: list[str] = []

    @property
    def produced_message_types(self) -> Sequence[type[BaseChatMessage]]:
        return (TextMessage,)

    @property
    def notes(self) -> list[str]:
        return list(self._notes)

    def _absorb(self, messages: Sequence[BaseChatMessage]) -> None:
        for message in messages:
            text = message.to_model_text() if hasattr(message, "to_model_text") else str(getattr(message, "content", ""))
            if message.source == DIRECTOR:
                self._notes.append(text)
            elif message.source != self.name:
                # Kept whole: whether the task already states it is judged when
                # the request is built, and only then is the line shortened.
                self._thread.append(f"{message.source}: {text}")
        self._thread = self._thread[-_THREAD_KEEP:]

    def model_for(self, task: str) -> ChatCompletionClient:
        """The model that plays `task`: the task's own if configured, else the role's."""
        return self._task_models.get(task, self._model)

    def _structured(self, model: ChatCompletionClient) -> bool:
        return bool(model.model_info.get("structured_output"))

    def _build_messages(self, assignment: Assignment, model: ChatCompletionClient) -> tuple[list[LLMMessage], CrewRequest]:
        """The request a model sees: the system prompt, then the task rendered
        once, the conversation without what the task states, and the output
        schema only for a model without native structured output."""
        variables = {"notes": list(self._notes), "feedback": "", **assignment.variables}
        task = self._prompt.task(assignment.task).render(variables).strip()
        parts = [task_line(assignment.task), task]
        task_words = set(_words(task))
        thread = [_short(line, 300) for line in self._thread if not _restates(line, task_words)]
        if thread:
            parts.append("Conversation so far:\n" + "\n".join(thread))
        if assignment.output_type is not None and not self._structured(model):
            parts.append(
                f"Reply with one JSON object for {assignment.output_type.__name__} with this schema:\n"
                + json.dumps(assignment.output_type.model_json_schema())
            )
        content = "\n\n".join(parts)
        request = CrewRequest(role=self.name, task=assignment.task, phase=assignment.phase, stage=assignment.stage, context=variables)
        system = SystemMessage(content=self._prompt.system)
        if assignment.images is not None and model.model_info.get("vision"):
            frames = [Image.from_file(path) for path in assignment.images()]
            if frames:
                return [system, UserMessage(content=[content, *frames], source="crew")], request
        return [system, UserMessage(content=content, source="crew")], request

    def _create_args(self, assignment: Assignment, request: CrewRequest, model: ChatCompletionClient) -> dict[str, Any]:
        """How the typed output is asked for, and the in-process request channel."""
        args: dict[str, Any] = {}
        if assignment.output_type is not None:
            if self._structured(model):
                args["json_output"] = assignment.output_type
            elif model.model_info.get("json_output"):
                args["json_output"] = True
        if isinstance(model, OfflineChatCompletionClient):
            # Only an in-process model gets the structured request; a provider
            # gets the prompt alone.
            args["extra_create_args"] = {CREW_REQUEST_ARG: request}
        elif _is_autogen_openai_client(model):
            # Also for autogen's own OpenAI client handed to a role directly:
            # its parse path refuses the role's (non-strict) tools.
            args = native_output_args(args)
        return args

    async def _run_tools(
        self, calls: list[FunctionCall], tools: Mapping[str, BaseTool[Any, Any]], token: CancellationToken
    ) -> list[FunctionExecutionResult]:
        async def run_one(call: FunctionCall) -> FunctionExecutionResult:
            tool = tools.get(call.name)
            if tool is None:
                return FunctionExecutionResult(
                    call_id=call.id, name=call.name, is_error=True,
                    content=f"unknown tool {call.name!r}; available: {', '.join(tools) or 'none'}",
                )
            try:
                args = json.loads(call.arguments or "{}")
                value = await tool.run_json(args, token, call_id=call.id)
                return FunctionExecutionResult(call_id=call.id, name=call.name, content=tool.return_value_as_string(value), is_error=False)
            except Exception as exc:  # noqa: BLE001 - tool errors are observations for the model
                return FunctionExecutionResult(call_id=call.id, name=call.name, content=f"error: {exc}", is_error=True)

        # Tool calls of one reply are independent by contract; run them together.
        return list(await asyncio.gather(*(run_one(c) for c in calls)))

    async def on_messages(self, messages: Sequence[BaseChatMessage], cancellation_token: CancellationToken) -> Response:
        self._absorb(messages)
        assignment = self._production.assignment_for(self.name)
        try:
            return await self._play(assignment, cancellation_token)
        except FilmcrewError as exc:
            # A provider that fails past its retries, or a missing key: stop the run
            # with the provider's own words rather than autogen's wrapped traceback.
            return self._fail(assignment, f"{self.name} could not finish {assignment.task}: {exc}")

    async def _play(self, assignment: Assignment, cancellation_token: CancellationToken) -> Response:
        tools = {t.name: t for t in assignment.tools}
        model = self.model_for(assignment.task)
        llm_messages, request = self._build_messages(assignment, model)
        create_args = self._create_args(assignment, request, model)
        inner: list[BaseAgentEvent | BaseChatMessage] = []
        usage = RequestUsage(prompt_tokens=0, completion_tokens=0)
        result_payload: str | None = None
        last_error = ""
        tool_error = ""

        for attempt in range(self._max_retries + 1):
            text: str | None = None
            parse_error = ""
            for _ in range(_MAX_TOOL_ROUNDS):
                try:
                    result = await model.create(
                        llm_messages,
                        tools=list(tools.values()),
                        cancellation_token=cancellation_token,
                        **create_args,
                    )
                except ValidationError as exc:
                    # Clients with native structured output (OpenAI's parse) validate the
                    # reply themselves; their verdict is feedback for the model too.
                    parse_error = _describe_error(exc)
                    break
                usage = RequestUsage(
                    prompt_tokens=usage.prompt_tokens + result.usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens + result.usage.completion_tokens,
                )
                if isinstance(result.content, list) and result.content and isinstance(result.content[0], FunctionCall):
                    calls = list(result.content)
                    inner.append(ToolCallRequestEvent(content=calls, source=self.name, models_usage=result.usage))
                    llm_messages.append(AssistantMessage(content=calls, source=self.name))
                    outcomes = await self._run_tools(calls, tools, cancellation_token)
                    inner.append(ToolCallExecutionEvent(content=outcomes, source=self.name))
                    llm_messages.append(FunctionExecutionResultMessage(content=outcomes))
                    for call, outcome in zip(calls, outcomes):
                        if outcome.is_error:
                            tool_error = f"{call.name} failed: {outcome.content}"
                        elif call.name == assignment.result_tool:
                            result_payload = outcome.content
                    continue
                text = str(result.content)
                break
            if parse_error:
                last_error = parse_error
                llm_messages.append(UserMessage(content=f"Your answer could not be used: {parse_error}\nCorrect it and answer again.", source="crew"))
                continue
            if text is None:
                last_error = f"more than {_MAX_TOOL_ROUNDS} rounds of tool calls without a final answer"
                llm_messages.append(UserMessage(content=f"Stop calling tools and answer now: {last_error}.", source="crew"))
                continue
            llm_messages.append(AssistantMessage(content=text, source=self.name))
            try:
                output = self._parse_output(assignment, text, result_payload)
                summary = await self._production.submit(self.name, assignment, output)
            except (ValidationError, ValueError, RejectedOutput) as exc:
                last_error = _describe_error(exc) + (f" (last tool error: {tool_error})" if tool_error else "")
                llm_messages.append(
                    UserMessage(content=f"Your answer could not be used: {last_error}\nCorrect it and answer again.", source="crew")
                )
                continue
            message = TextMessage(
                content=summary,
                source=self.name,
                models_usage=usage,
                metadata={"stage": assignment.stage, "task": assignment.task, "phase": assignment.phase, "attempts": str(attempt + 1)},
            )
            return Response(chat_message=message, inner_messages=inner)

        error = f"{self.name} could not produce a valid {assignment.task} after {self._max_retries + 1} attempts: {last_error}"
        return self._fail(assignment, error, usage=usage, inner=inner)

    def _fail(self, assignment: Assignment, error: str, *, usage: RequestUsage | None = None,
              inner: Sequence[BaseAgentEvent | BaseChatMessage] = ()) -> Response:
        """End the turn with an error message the crew turns into a failed run."""
        self._production.report_failure(self.name, assignment, error)
        message = TextMessage(
            content=error, source=self.name, models_usage=usage,
            metadata={"stage": assignment.stage, "task": assignment.task, "phase": assignment.phase, "error": "true"},
        )
        return Response(chat_message=message, inner_messages=list(inner))

    def _parse_output(self, assignment: Assignment, text: str, result_payload: str | None) -> BaseModel:
        if assignment.result_tool is not None:
            if result_payload is None:
                raise RejectedOutput(f"call the {assignment.result_tool} tool first; its result is this step's output")
            assert assignment.result_type is not None
            return assignment.result_type.model_validate_json(result_payload)
        assert assignment.output_type is not None
        return assignment.output_type.model_validate_json(_extract_json(text))

    async def on_reset(self, cancellation_token: CancellationToken) -> None:
        self._notes.clear()
        self._thread.clear()

    async def save_state(self) -> Mapping[str, Any]:
        return {"type": "RoleAgentState", "notes": list(self._notes), "thread": list(self._thread)}

    async def load_state(self, state: Mapping[str, Any]) -> None:
        self._notes = list(state.get("notes", []))
        self._thread = list(state.get("thread", []))


def _is_autogen_openai_client(client: ChatCompletionClient) -> bool:
    # Looked up, not imported: a client of that class means the module is loaded.
    module = sys.modules.get("autogen_ext.models.openai")
    base = getattr(module, "BaseOpenAIChatCompletionClient", None)
    return base is not None and isinstance(client, base)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _restates(line: str, task_words: set[str]) -> bool:
    """Whether a thread line says little the task does not: most of its words
    are the task's (the producer's kick-off restating the brief, a proposal
    summary the critic's task renders in full)."""
    words = set(_words(line.split(": ", 1)[-1]))
    return len(words) >= _RESTATE_MIN_WORDS and len(words & task_words) >= _RESTATED * len(words)


def _describe_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        problems = [f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()[:8]]
        return "the JSON does not match the schema: " + "; ".join(problems)
    return str(exc)
