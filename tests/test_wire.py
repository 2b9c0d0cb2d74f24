"""Whole films over the real wire: every role on an OpenAI-compatible (or Gemini)
client against the local craft-model servers that ship in `filmcrew.testing`."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from support import small_config
from filmcrew import Crew
from filmcrew.config import ModelConfig
from filmcrew.memory.models import Brief
from filmcrew.testing.gemini_server import GeminiChatServer
from filmcrew.testing.openai_server import OpenAIChatServer

pytestmark = pytest.mark.filterwarnings("ignore:Resolved model mismatch")  # autogen maps gpt-4o-mini to a dated name

BRIEF = Brief(text="A street cat named Pixel steals a fish from the night market and is chased across the rooftops.",
              target_duration=8)
ROLES = ("screenwriter", "cinematographer", "audience", "editor", "sound_designer")


def _wire_config(provider: str, model: str, base_url: str, **extra: Any):
    config = small_config()
    for role in ROLES:
        config.roles[role] = ModelConfig(provider=provider, model=model, base_url=base_url, max_retries=0, **extra)
    return config


def _user_text(request: dict[str, Any]) -> str:
    content = next(m["content"] for m in request["messages"] if m["role"] == "user")
    # A model with vision gets the audience's frames as image parts after the text.
    return content if isinstance(content, str) else "\n".join(p["text"] for p in content if p["type"] == "text")


def _task_of(request: dict[str, Any]) -> str:
    return _user_text(request).splitlines()[0]


async def test_a_whole_film_with_every_role_on_an_openai_compatible_model(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    with OpenAIChatServer(plugins=False) as server:
        crew = Crew.default(config=_wire_config("openai", "gpt-4o-mini", server.base_url), plugins=False)
        result = await crew.run(BRIEF, tmp_path / "run")
        requests = list(server.requests)
    assert Path(result.film).is_file() and Path(result.timeline).is_file()
    assert {r["model"] for r in requests} == {"gpt-4o-mini"}
    tasks = {_task_of(r) for r in requests}
    assert tasks == {f"Task: {t}" for t in ("write_synopsis", "write_storyboard", "write_shots", "write_scene_blocks", "check_shot_plan", "plan_camera", "generate_clips", "assemble_rough_cut",
                                             "review_cut", "analyze_review", "fine_cut", "design_scene_sound", "design_shot_sound",
                                             "design_intra_shot_sound", "mix", "export")}
    # The audience's review: a non-strict tool and a typed answer in one request
    # (autogen's parse path refused this before anything was sent).
    review = next(r for r in requests if _task_of(r) == "Task: review_cut")
    assert [t["function"]["name"] for t in review["tools"]] == ["watch_cut"]
    assert any(p["type"] == "image_url" for p in review["messages"][1]["content"])  # gpt-4o-mini sees the frames
    assert review["response_format"]["type"] == "json_schema"
    assert review["response_format"]["json_schema"]["name"] == "Review"
    # A task whose output is a tool's result asks for no JSON.
    export = next(r for r in requests if _task_of(r) == "Task: export")
    assert "response_format" not in export


async def test_the_first_request_states_the_task_once_and_asks_for_json_natively(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    with OpenAIChatServer(plugins=False) as server:
        crew = Crew.default(config=_wire_config("openai", "gpt-4o-mini", server.base_url), plugins=False)
        await crew.start(BRIEF, tmp_path / "run")
        await crew.step()
        first = server.requests[0]
    wire = json.dumps(first)
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    task = _user_text(first)
    assert task.startswith("Task: write_synopsis\n")  # the first of the screenwriter's four steps
    # The brief reaches the model once: not again in a request block, nor in
    # the thread (the producer's kick-off restates it).
    assert wire.count("Pixel steals a fish") == 1
    assert "filmcrew-request" not in wire and "```" not in task
    assert "Conversation so far" not in task
    # Native structured output, so no schema pasted into the prompt.
    assert first["response_format"]["type"] == "json_schema"
    assert first["response_format"]["json_schema"]["name"] == "Synopsis"
    assert "schema" not in task.lower()


async def test_a_server_without_structured_output_gets_the_schema_in_the_prompt(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    with OpenAIChatServer(plugins=False) as server:
        config = _wire_config("openai", "local-llm", server.base_url, model_info={"structured_output": False})
        crew = Crew.default(config=config, plugins=False)
        await crew.start(BRIEF, tmp_path / "run")
        await crew.step()
        first = server.requests[0]
    assert (tmp_path / "run" / "synopsis.json").is_file()
    assert first["response_format"] == {"type": "json_object"}
    assert "Reply with one JSON object for Synopsis with this schema" in _user_text(first)


async def test_a_whole_film_with_every_role_on_gemini(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "local")
    with GeminiChatServer(plugins=False) as server:
        crew = Crew.default(config=_wire_config("gemini", "gemini-2.5-flash", server.base_url), plugins=False)
        result = await crew.run(BRIEF, tmp_path / "run")
        requests = list(server.requests)
    assert Path(result.film).is_file()
    first = requests[0]
    assert first["systemInstruction"]["parts"][0]["text"].startswith("You are the screenwriter")
    assert json.dumps(first).count("Pixel steals a fish") == 1
    assert "responseJsonSchema" in first["generationConfig"]
    review = next(r for r in requests if r["contents"][0]["parts"][0]["text"].startswith("Task: review_cut"))
    assert [d["name"] for t in review["tools"] for d in t["functionDeclarations"]] == ["watch_cut"]


def test_the_openai_server_runs_from_the_command_line():
    process = subprocess.Popen([sys.executable, "-m", "filmcrew.testing.openai_server", "--port", "0", "--no-plugins"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline() if process.stdout else ""
        assert "any model name" in banner, process.stderr.read() if process.stderr else ""
        base_url = banner.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(f"{base_url}/models", timeout=10) as response:
            assert json.load(response)["data"][0]["object"] == "model"
        request = urllib.request.Request(f"{base_url}/chat/completions", method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}]}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert answer["model"] == "gpt-4o-mini"
        assert "crew's tasks" in answer["choices"][0]["message"]["content"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_bad_port_is_refused_in_one_line():
    done = subprocess.run([sys.executable, "-m", "filmcrew.testing.openai_server", "--port", "70000"], capture_output=True, text=True)
    assert done.returncode == 2 and "not a port" in done.stderr


@pytest.mark.parametrize("server_class", [OpenAIChatServer, GeminiChatServer])
def test_a_task_the_craft_model_has_no_rule_for_is_a_clear_400(server_class):
    with server_class(plugins=False) as server:
        if server_class is OpenAIChatServer:
            url, body = f"{server.base_url}/chat/completions", {"model": "m", "messages": [{"role": "user", "content": "Task: paint_sky\n"}]}
        else:
            url, body = f"{server.base_url}v1beta/models/m:generateContent", {"contents": [{"role": "user", "parts": [{"text": "Task: paint_sky\n"}]}]}
        request = urllib.request.Request(url, method="POST", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(request, timeout=30)
    assert failed.value.code == 400
    assert "no rule for task 'paint_sky'" in json.loads(failed.value.read())["error"]["message"]


async def test_a_custom_role_takes_its_model_from_its_own_environment_variable(tmp_path: Path, monkeypatch):
    from pydantic import BaseModel

    from filmcrew import RoleSpec
    from filmcrew.config import load_config
    from filmcrew.memory.models import Script
    from filmcrew.orchestration import StageContext, StageSpec

    class Grades(BaseModel):
        warmth: dict[str, float]

    def grade(ctx: dict[str, Any], results: list[Any], notes: list[str]) -> Grades:
        return Grades(warmth={block["id"]: 0.5 for block in ctx["blocks"]})

    # The block list is a tagged section, so the craft model behind the server
    # reads it back from the prompt like any model would.
    prompt = ("system: You grade colour.\ntasks:\n  grade:\n    requires: [blocks, notes]\n    template: |\n"
              "      Grade each scene block.\n      <blocks>\n      {{ blocks | tojson }}\n      </blocks>\n")

    async def apply(ctx: StageContext, output: Grades, proposals: int) -> str:
        ctx.run.write_json("looks.json", {block: {"temperature": w} for block, w in output.warmth.items()})
        return f"graded {len(output.warmth)} blocks"

    colorist = RoleSpec(name="colorist", description="grades", prompt=prompt, outputs={"grade": Grades}, offline_rules={"grade": grade})
    stage = StageSpec(name="grade", role="colorist", task="grade", inputs=("script.json",), outputs=("looks.json",),
                      context=lambda ctx: {"blocks": [b.model_dump() for b in ctx.run.read_model("script.json", Script).blocks]},
                      apply=apply, after="script")
    with OpenAIChatServer(plugins=False, extra_rules={"grade": grade}) as server:
        config = load_config(env={"FILMCREW_COLORIST_MODEL": "openai:gpt-4o-mini", "FILMCREW_CHAT_BASE_URL": server.base_url})
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
        crew = Crew.default(config=config, plugins=False).add_role(colorist, stage=stage)
        await crew.start(BRIEF, tmp_path / "run")
        while not (tmp_path / "run" / "looks.json").exists():
            await crew.step()
        requests = list(server.requests)
    # Only the colorist went over the wire; the built-in roles stayed on the craft model.
    assert [_task_of(r) for r in requests] == ["Task: grade"]
    assert requests[0]["response_format"]["json_schema"]["name"] == "Grades"
    blocks = {b.id for b in Script.model_validate_json((tmp_path / "run" / "script.json").read_text()).blocks}
    assert set(json.loads((tmp_path / "run" / "looks.json").read_text())) == blocks


def test_the_openai_server_streams_when_asked():
    import openai

    with OpenAIChatServer(plugins=False) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-local", max_retries=0)
        stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hello"}], stream=True,
                                                stream_options={"include_usage": True})
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "crew's tasks" in text
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


async def test_autogens_own_openai_client_can_play_a_role_that_calls_tools(tmp_path: Path):
    """A role given autogen's OpenAIChatCompletionClient directly (not through
    filmcrew's config) still gets its typed answer beside non-strict tools."""
    from autogen_ext.models.openai import OpenAIChatCompletionClient

    from filmcrew.agents.builtin import AUDIENCE, CINEMATOGRAPHER, EDITOR, SCREENWRITER, SOUND_DESIGNER

    with OpenAIChatServer(plugins=False) as server:
        raw = OpenAIChatCompletionClient(model="gpt-4o-mini", base_url=server.base_url, api_key="sk-local", max_retries=0)
        roles = [SCREENWRITER, CINEMATOGRAPHER, AUDIENCE.with_model(raw), EDITOR, SOUND_DESIGNER]
        crew = Crew(roles=roles, config=small_config())
        await crew.start(BRIEF, tmp_path / "run")
        for _ in range(40):
            if (tmp_path / "run" / "review.json").exists():
                break
            await crew.step()
        requests = list(server.requests)
    assert (tmp_path / "run" / "review.json").is_file()
    assert {_task_of(r) for r in requests} == {"Task: review_cut"}
    assert requests[0]["response_format"]["json_schema"]["name"] == "Review"


async def test_one_task_takes_its_own_model_and_the_rest_of_its_role_stays_on_the_role_model(tmp_path: Path, monkeypatch):
    """The paper used a different model per sound scale: a task can be configured
    on a model of its own (`FILMCREW_TASK_<TASK>_MODEL`) ahead of its role's."""
    from filmcrew.config import load_config

    with OpenAIChatServer(plugins=False) as server:
        config = load_config(env={"FILMCREW_TASK_WRITE_SYNOPSIS_MODEL": "openai:gpt-4o-mini",
                                  "FILMCREW_CHAT_BASE_URL": server.base_url})
        assert set(config.tasks) == {"write_synopsis"} and "task_write_synopsis" not in config.roles
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
        crew = Crew.default(config=config, plugins=False)
        await crew.start(BRIEF, tmp_path / "run")
        while not (tmp_path / "run" / "storyboard.json").exists():
            await crew.step()
        requests = list(server.requests)
    # The synopsis went over the wire; the screenwriter's storyboard stayed on the craft model.
    assert [_task_of(r) for r in requests] == ["Task: write_synopsis"]
