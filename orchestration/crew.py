"""The crew: one autogen team that runs the whole production, a turn at a time.

`Crew` builds a `SelectorGroupChat` of `RoleAgent`s whose `selector_func`
asks the production (the stage machine) who speaks next. The team is built
with `max_turns=1`, so each `run_stream()` call is one agent turn and the
team keeps its conversation between calls: that is what lets a director step
through the debate, inject notes, stop, and resume later from disk. The
turn budget, the failure state and the stage cursor live in `Production`
(changed only through its methods), not in autogen's termination conditions,
which the team resets at every stop (see AUTOGEN_NOTES).

Every message of the team (task, director notes, agent turns, tool calls and
results, speaker selections, token usage) is appended to `transcript.jsonl`
as it happens.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from filmcrew.agents.role import RoleSpec
from filmcrew.config import FilmcrewConfig, load_config
from filmcrew.errors import ConfigurationError, InputError, StageError
from filmcrew.memory.models import AudienceProfile, Brief
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration.context import Services
from filmcrew.orchestration.events import AgentTurn, CrewEvent, DirectorNote, Progress, RunCompleted, RunFailed
from filmcrew.orchestration.production import MAX_TURNS_PER_RUN, Production
from filmcrew.orchestration.stages import StageSpec, default_stages, insert_stage

__all__ = ["Crew", "make_film", "resume_film", "MAX_TURNS_PER_RUN"]

STATE_FILE = "crew_state.json"


def _default_services(config: FilmcrewConfig, crew: "Crew") -> Services:
    """The crew's own providers where it was given them, else those the config names."""

    def clip_generator() -> Any:
        if crew.clip_generator is not None:
            return crew.clip_generator
        from filmcrew.tools.clips.providers import make_clip_generator

        return make_clip_generator(config.clips)

    def speech() -> Any:
        if crew.speech is not None:
            return crew.speech
        from filmcrew.tools.sound.providers import make_speech_synthesizer

        return make_speech_synthesizer(config.speech)

    def sound_library() -> Any:
        if crew.sound_library is not None:
            return crew.sound_library
        from filmcrew.tools.sound.library import default_library

        return default_library()

    def reference_index() -> Any:
        if crew.reference_index is not None:
            return crew.reference_index
        from filmcrew.memory.film_references import default_reference_index

        return default_reference_index()

    return Services(clip_generator=clip_generator, speech=speech, sound_library=sound_library, reference_index=reference_index)


class Crew:
    """A film crew: roles, the workflow they follow, and the providers behind the seams."""

    def __init__(
        self,
        roles: Sequence[RoleSpec] | None = None,
        *,
        config: FilmcrewConfig | None = None,
        stages: Sequence[StageSpec[Any]] | None = None,
        model_client: Any = None,
        clip_generator: Any = None,
        speech: Any = None,
        sound_library: Any = None,
        reference_index: Any = None,
    ) -> None:
        from filmcrew.agents.builtin import BUILTIN_ROLES

        self.config = config or load_config()
        self.roles: dict[str, RoleSpec] = {}
        for spec in roles if roles is not None else BUILTIN_ROLES:
            self._add(spec)
        self.stages: list[StageSpec[Any]] = (
            list(stages) if stages is not None else default_stages(rhythm_control=self.config.use_rhythm_control)
        )
        self.model_client = model_client
        self.clip_generator = clip_generator
        self.speech = speech
        self.sound_library = sound_library
        self.reference_index = reference_index
        self.production: Production | None = None
        self._team: Any = None
        self._agents: dict[str, Any] = {}
        self._kicked_off = False
        self._craft: Any = None
        self.plugin_problems: list[str] = []

    @classmethod
    def default(cls, *, plugins: bool = True, **kwargs: Any) -> "Crew":
        """The five built-in roles on the professional workflow, providers from config,
        plus roles installed through the `filmcrew.roles` entry point (broken ones are
        skipped and listed in `crew.plugin_problems`)."""
        crew = cls(**kwargs)
        if plugins:
            from filmcrew.agents.plugins import load_role_plugins

            found, crew.plugin_problems = load_role_plugins()
            for plugin in found:
                try:
                    crew.add_role(plugin.role, stage=plugin.stage)
                except (ConfigurationError, ValueError) as exc:
                    crew.plugin_problems.append(f"role plugin {plugin.name!r} skipped: {exc}")
        return crew

    # -- composition -----------------------------------------------------------------
    def _add(self, spec: RoleSpec) -> None:
        if spec.name in self.roles:
            raise ConfigurationError(f"the crew already has a role named {spec.name!r}")
        spec.load_prompt()  # fail now, not mid-run, on a broken prompt
        self.roles[spec.name] = spec

    def add_role(self, spec: RoleSpec, *, stage: StageSpec[Any] | None = None) -> "Crew":
        """Add a role, and optionally the stage where it speaks (`stage.after` places it)."""
        if self.production is not None:
            raise ConfigurationError("add roles before the crew starts a production")
        self._add(spec)
        if stage is not None:
            self.stages = insert_stage(self.stages, stage)
        return self

    def _client_for(self, spec: RoleSpec) -> Any:
        if spec.model is not None:
            return spec.model
        if self.model_client is not None:
            return self.model_client
        from filmcrew.agents.providers import make_chat_client

        return make_chat_client(self.config.model_for(spec.name), craft_factory=self._craft_model)

    def _task_clients_for(self, spec: RoleSpec) -> dict[str, Any]:
        """Clients for those of the role's tasks configured on a model of their own."""
        if spec.model is not None or self.model_client is not None:
            return {}
        from filmcrew.agents.providers import make_chat_client

        return {task: make_chat_client(mc, craft_factory=self._craft_model)
                for task, mc in self.config.task_models(spec.outputs).items()}

    def _craft_model(self) -> Any:
        if self._craft is None:
            from filmcrew.agents.craft import CraftChatCompletionClient

            rules: dict[str, Any] = {}
            for spec in self.roles.values():
                rules.update(spec.offline_rules)
            self._craft = CraftChatCompletionClient(extra_rules=rules)
        return self._craft

    # -- starting ----------------------------------------------------------------------
    async def start(self, brief: Brief | str, run_dir: str | Path, *, audience: AudienceProfile | None = None) -> None:
        """Prepare a production in `run_dir` for `brief` (a Brief or its text)."""
        from filmcrew.memory.audiences import get_audience

        if isinstance(brief, str):
            brief = Brief(text=brief)
        if not brief.text.strip():
            raise InputError("the brief is empty: give a sentence or more describing the film")
        audience = audience or get_audience(brief.audience)
        run = RunDir(run_dir).ensure()
        run.write_model("brief.json", brief)
        run.write_model("audience.json", audience)
        run.write_json("run_config.json", self.config.model_dump(mode="json"))
        self._build(run, brief, audience)

    def _build(self, run: RunDir, brief: Brief, audience: AudienceProfile) -> None:
        from autogen_agentchat.conditions import FunctionalTermination
        from autogen_agentchat.teams import SelectorGroupChat

        from filmcrew.agents.agent import RoleAgent

        production = Production(run, brief, audience, self.config, self.roles, self.stages, _default_services(self.config, self))
        # A provider that is named but cannot be built (missing key, missing extra)
        # fails here, before the first turn, not halfway through the film.
        production.context.services.clip_generator
        production.context.services.speech
        self.production = production
        self._agents = {
            name: RoleAgent(spec, self._client_for(spec), production, max_output_retries=self.config.max_output_retries,
                            task_models=self._task_clients_for(spec))
            for name, spec in self.roles.items()
        }

        def select(thread: Sequence[Any]) -> str | None:
            return production.next_speaker()

        self._team = SelectorGroupChat(
            list(self._agents.values()),
            # Required by autogen even though selector_func always names the speaker; never called.
            model_client=self._craft_model(),
            selector_func=select,
            max_turns=1,
            allow_repeated_speaker=True,
            emit_team_events=True,
            termination_condition=FunctionalTermination(lambda messages: production.done or production.failure is not None),
        )

    # -- running --------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self.production is not None and self.production.done

    @property
    def run_dir(self) -> RunDir:
        return self._require_started().run

    def _require_started(self) -> Production:
        if self.production is None:
            raise ConfigurationError("the crew has no production: call `await crew.start(brief, run_dir)` or `Crew.resume(dir)` first")
        return self.production

    def _log(self, production: Production, item: Any) -> None:
        record: dict[str, Any] = {"seq": production.turns, "time": round(time.time(), 3), "type": type(item).__name__,
                                  "speaker": getattr(item, "source", None)}
        content = getattr(item, "content", None)
        if isinstance(content, list):
            record["content"] = [c.model_dump(mode="json") if hasattr(c, "model_dump") else (c.__dict__ if hasattr(c, "__dict__") else str(c)) for c in content]
        else:
            record["content"] = content if isinstance(content, (str, int, float, type(None))) else str(content)
        usage = getattr(item, "models_usage", None)
        if usage is not None:
            record["usage"] = {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens}
        metadata = getattr(item, "metadata", None)
        if metadata:
            record["metadata"] = dict(metadata)
        production.run.append_transcript(record)

    async def step(self, note: str | None = None) -> list[CrewEvent]:
        """Run one agent turn (after injecting a director's `note`, if given)."""
        return [event async for event in self.step_stream(note)]

    async def step_stream(self, note: str | None = None) -> AsyncIterator[CrewEvent]:
        from autogen_agentchat.base import TaskResult
        from autogen_agentchat.messages import SelectSpeakerEvent, TextMessage, ToolCallRequestEvent

        from filmcrew.agents.agent import DIRECTOR

        production = self._require_started()
        if production.done:
            return
        queue: asyncio.Queue = asyncio.Queue()
        production.set_emitter(lambda event: queue.put_nowait(("event", event)))
        task = None
        if note:
            task = TextMessage(content=note, source=DIRECTOR)
            queue.put_nowait(("event", DirectorNote(text=note)))
        elif not self._kicked_off:
            b = production.context.brief
            task = TextMessage(source="producer", content=(
                f"Make a {b.target_duration:.0f}-second film for the {production.context.audience.name} audience from this brief: {b.text}"))
        self._kicked_off = True
        tool_calls: list[str] = []

        async def drive() -> None:
            try:
                async for item in self._team.run_stream(task=task):
                    await queue.put(("item", item))
            finally:
                await queue.put(("end", None))

        runner = asyncio.create_task(drive())
        # Stage events raised while an agent speaks are shown after its turn, so a
        # reader sees "who said what" before "what it completed"; progress is live.
        pending: list[CrewEvent] = []
        while True:
            kind, payload = await queue.get()
            if kind == "end":
                break
            if kind == "event":
                if isinstance(payload, (Progress, DirectorNote)):
                    yield payload
                else:
                    pending.append(payload)
                continue
            if isinstance(payload, TaskResult):
                continue
            self._log(production, payload)
            if isinstance(payload, SelectSpeakerEvent):
                for event in pending:
                    yield event
                pending.clear()
            if isinstance(payload, ToolCallRequestEvent):
                tool_calls.extend(c.name for c in payload.content)
            if isinstance(payload, TextMessage) and payload.source in self._agents:
                meta = payload.metadata or {}
                usage = payload.models_usage
                yield AgentTurn(speaker=payload.source, stage=meta.get("stage", ""), task=meta.get("task", ""), phase=meta.get("phase", ""),
                                summary=payload.content, tool_calls=list(tool_calls), error=meta.get("error") == "true",
                                usage={"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens} if usage else {})
                tool_calls = []
                for event in pending:
                    yield event
                pending.clear()
        for event in pending:
            yield event
        try:
            await runner
        except Exception as exc:  # noqa: BLE001 - an error inside the team ends the run with what is on disk
            # autogen appends the whole traceback to the message; the first line is the cause.
            production.fail(str(exc).split("\nTraceback", 1)[0].strip())
        # Drain what arrived after the end marker (late progress events).
        while not queue.empty():
            kind, payload = queue.get_nowait()
            if kind == "event":
                yield payload
        production.count_turn()
        await self.save_state()
        if production.failure:
            yield RunFailed(stage=production.failed_stage or "", error=production.failure)
        elif production.done:
            yield self.completed()

    def completed(self) -> RunCompleted:
        """The completion event of a finished production (paths of the film and its timeline)."""
        run = self._require_started().run
        export = run.read_json("export.json", {}) or {}
        return RunCompleted(run_dir=str(run.root), film=str(run.path("film.mp4")), timeline=str(run.path("timeline.otio")),
                            duration=float(export.get("duration", 0.0)))

    async def run_stream(self, brief: Brief | str | None = None, run_dir: str | Path | None = None) -> AsyncIterator[CrewEvent]:
        """Run to the end (starting a production first if `brief` and `run_dir` are given), yielding events."""
        if brief is not None:
            if run_dir is None:
                raise ConfigurationError("run_stream(brief) needs run_dir: where the film's files go")
            await self.start(brief, run_dir)
        production = self._require_started()
        if production.done:
            yield self.completed()
            return
        while not production.done and not production.failure:
            if production.over_budget():
                yield RunFailed(stage=production.failed_stage or "", error=production.failure or "")
                return
            async for event in self.step_stream():
                yield event

    async def run(self, brief: Brief | str | None = None, run_dir: str | Path | None = None) -> RunCompleted:
        """Run to the end and return the completion event; raise `StageError` on failure."""
        last: CrewEvent | None = None
        async for event in self.run_stream(brief, run_dir):
            last = event
            if isinstance(event, RunFailed):
                raise StageError(f"stage {event.stage} failed: {event.error} (finished stages are kept in {self.run_dir.root})")
        assert isinstance(last, RunCompleted), last
        return last

    # -- state ------------------------------------------------------------------------------
    async def save_state(self) -> dict[str, Any]:
        """The team's conversation and the stage cursor; also written to `crew_state.json`."""
        production = self._require_started()
        state = {"version": 1, "team": await self._team.save_state(), "cursor": production.cursor_state(),
                 "kicked_off": self._kicked_off, "turns": production.turns, "roles": sorted(self.roles)}
        production.run.write_json(STATE_FILE, state)
        return state

    async def load_state(self, state: dict[str, Any]) -> None:
        production = self._require_started()
        if sorted(state.get("roles", [])) != sorted(self.roles):
            raise ConfigurationError(
                f"saved crew had roles {state.get('roles')}; this crew has {sorted(self.roles)}: rebuild it with the same roles to resume"
            )
        await self._team.load_state(state["team"])
        production.restore_cursor(state.get("cursor", {}))
        production.restore_turns(int(state.get("turns", 0)))
        self._kicked_off = bool(state.get("kicked_off"))

    @classmethod
    async def resume(cls, run_dir: str | Path, crew: "Crew | None" = None, **kwargs: Any) -> "Crew":
        """Rebuild the crew for an interrupted run and continue its conversation."""
        from filmcrew.config import FilmcrewConfig

        run = RunDir(run_dir)
        if not run.exists("brief.json"):
            raise InputError(f"{run.root} is not a filmcrew run directory (no brief.json): check the path")
        brief = run.read_model("brief.json", Brief)
        audience = run.read_model("audience.json", AudienceProfile)
        if crew is None:
            # A damaged run file is one line naming it and how to recover (RunFileError).
            saved = run.read_model("run_config.json", FilmcrewConfig) if run.exists("run_config.json") else None
            config = kwargs.pop("config", None) or saved or load_config()
            crew = cls.default(config=config, **kwargs)
        crew._build(run, brief, audience)
        state = run.read_json(STATE_FILE)
        if state:
            try:
                await crew.load_state(state)
            except ConfigurationError:
                raise
            except Exception:  # noqa: BLE001 - a damaged conversation only costs context, not finished stages
                crew._kicked_off = False
        return crew


async def make_film(brief: Brief | str, run_dir: str | Path, **crew_kwargs: Any) -> RunCompleted:
    """Make a film from `brief` into `run_dir` with the default crew."""
    crew = Crew.default(**crew_kwargs)
    return await crew.run(brief, run_dir)


async def resume_film(run_dir: str | Path, **crew_kwargs: Any) -> RunCompleted:
    crew = await Crew.resume(run_dir, **crew_kwargs)
    return await crew.run()
