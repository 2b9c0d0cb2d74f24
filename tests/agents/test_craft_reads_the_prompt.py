"""The craft model answers the same from the rendered prompt alone (as over the
wire) as from the crew's request handed to it in process."""

from __future__ import annotations

from pathlib import Path

from support import small_config
from filmcrew import Crew
from filmcrew.agents.craft import CraftChatCompletionClient
from filmcrew.memory.models import Brief


class BothWays(CraftChatCompletionClient):
    """Answers from the request, and checks the prompt alone gives the same answer."""

    def __init__(self) -> None:
        super().__init__()
        self.compared: list[str] = []

    def respond(self, messages, *, tools, json_output, request=None):
        from_request = super().respond(messages, tools=tools, json_output=json_output, request=request)
        from_prompt = super().respond(messages, tools=tools, json_output=json_output)
        if isinstance(from_request, list):  # tool calls: ids differ, names and arguments must not
            assert [(c.name, c.arguments) for c in from_request] == [(c.name, c.arguments) for c in from_prompt]
        else:
            assert from_request == from_prompt
        if request is not None:
            self.compared.append(request.task)
        return from_request


async def test_the_prompt_alone_gives_the_same_answers(tmp_path: Path):
    client = BothWays()
    crew = Crew.default(config=small_config(), model_client=client, plugins=False)
    await crew.start(Brief(text="A street cat named Pixel steals a fish from the night market.", target_duration=8), tmp_path / "run")
    for _ in range(12):
        if "check_shot_plan" in client.compared:
            break
        await crew.step()
    assert {"plan_camera", "check_shot_plan"} <= set(client.compared)
