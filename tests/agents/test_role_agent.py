"""RoleAgent: typed output validated, mistakes fed back to the model, bounded."""

from autogen_agentchat.messages import TextMessage
from autogen_core import CancellationToken
from autogen_core.tools import FunctionTool

from filmcrew.agents.agent import Assignment, RejectedOutput, RoleAgent
from filmcrew.agents.builtin import SCREENWRITER, SOUND_DESIGNER
from filmcrew.memory.models import Critique, MixReport
from filmcrew.testing import ScriptedChatCompletionClient, tool_call


class Source:
    def __init__(self, assignment, reject_first=False):
        self.assignment = assignment
        self.submitted = []
        self.failures = []
        self.reject_first = reject_first

    def assignment_for(self, role):
        return self.assignment

    async def submit(self, role, assignment, output):
        if self.reject_first and not self.submitted:
            self.submitted.append(None)
            raise RejectedOutput("shot b9-s1 does not exist")
        self.submitted.append(output)
        return f"ok: {type(output).__name__}"

    def report_failure(self, role, assignment, error):
        self.failures.append(error)


def _critique_assignment():
    return Assignment(stage="camera", task="check_shot_plan", phase="critique",
                      variables={"script": {"blocks": []}, "shot_plan": {"shots": []}, "target_duration": 30.0}, output_type=Critique)


async def test_invalid_json_is_fed_back_and_the_retry_is_accepted():
    client = ScriptedChatCompletionClient(["not json at all", '{"approve": "maybe"}', Critique(approve=True, notes=[])])
    source = Source(_critique_assignment())
    agent = RoleAgent(SCREENWRITER, client, source, max_output_retries=3)
    response = await agent.on_messages([], CancellationToken())
    assert response.chat_message.content == "ok: Critique"
    assert response.chat_message.metadata["attempts"] == "3"
    last_request = client.calls[-1].messages
    assert "could not be used" in last_request[-1].content and "approve" in last_request[-1].content


async def test_rejected_output_goes_back_to_the_model():
    client = ScriptedChatCompletionClient([Critique(approve=True), Critique(approve=False, notes=["fixed"])])
    source = Source(_critique_assignment(), reject_first=True)
    agent = RoleAgent(SCREENWRITER, client, source)
    await agent.on_messages([], CancellationToken())
    assert "b9-s1 does not exist" in client.calls[-1].messages[-1].content
    assert source.submitted[-1].notes == ["fixed"]


async def test_run_stops_with_a_clear_error_after_the_retry_budget():
    client = ScriptedChatCompletionClient(["nope"], cycle=True)
    source = Source(_critique_assignment())
    agent = RoleAgent(SCREENWRITER, client, source, max_output_retries=2)
    response = await agent.on_messages([], CancellationToken())
    assert response.chat_message.metadata["error"] == "true"
    assert len(client.calls) == 3
    assert source.failures and "check_shot_plan" in source.failures[0]


async def test_director_notes_reach_the_prompt():
    client = ScriptedChatCompletionClient([Critique(approve=True)])
    agent = RoleAgent(SCREENWRITER, client, Source(_critique_assignment()))
    await agent.on_messages([TextMessage(content="keep the lighthouse in every block", source="director")], CancellationToken())
    prompt = client.calls[0].messages[1].content
    assert "keep the lighthouse in every block" in prompt
    state = await agent.save_state()
    assert state["notes"] == ["keep the lighthouse in every block"]


async def test_a_tool_stage_takes_its_output_from_the_tool_result():
    report = MixReport(stems=[], master_path="mix.wav", master_lufs=-18.0, master_true_peak_dbtp=-1.2, duration=3.0, sample_rate=48000)

    async def mix_soundtrack() -> MixReport:
        return report

    tool = FunctionTool(mix_soundtrack, description="mix", name="mix_soundtrack")
    assignment = Assignment(stage="mix", task="mix", phase="propose", variables={"cue_count": 3}, output_type=None,
                            tools=[tool], result_tool="mix_soundtrack", result_type=MixReport)
    client = ScriptedChatCompletionClient(["I will just say it is mixed", [tool_call("mix_soundtrack")], "Mixed."])
    source = Source(assignment)
    agent = RoleAgent(SOUND_DESIGNER, client, source)
    response = await agent.on_messages([], CancellationToken())
    assert source.submitted[-1] == report
    # the first answer skipped the tool and was told to call it
    assert any("call the mix_soundtrack tool" in str(m.content) for m in client.calls[1].messages)
    assert any(type(e).__name__ == "ToolCallExecutionEvent" for e in response.inner_messages)


async def test_a_provider_failure_stops_the_turn_with_the_providers_words():
    from filmcrew.errors import ProviderError

    def failing(messages, tools, json_output):
        raise ProviderError("openai answered 401: invalid key; set OPENAI_API_KEY", provider="openai", status=401)

    source = Source(_critique_assignment())
    agent = RoleAgent(SCREENWRITER, ScriptedChatCompletionClient(failing), source)
    response = await agent.on_messages([], CancellationToken())
    assert response.chat_message.metadata["error"] == "true"
    assert "OPENAI_API_KEY" in source.failures[0]


async def test_the_thread_leaves_out_what_the_task_already_states():
    script = {"blocks": [{"id": "b1", "prompt": "A keeper climbs the lighthouse stairs at dawn"}]}
    assignment = Assignment(stage="camera", task="check_shot_plan", phase="critique", output_type=Critique,
                            variables={"script": script, "shot_plan": {"shots": []}, "target_duration": 30.0})
    client = ScriptedChatCompletionClient([Critique(approve=True)])
    agent = RoleAgent(SCREENWRITER, client, Source(assignment))
    await agent.on_messages([
        TextMessage(content="Make a 30-second film from this brief: A keeper climbs the lighthouse stairs at dawn", source="producer"),
        TextMessage(content="[clips] rendering is queued behind another job", source="cinematographer"),
    ], CancellationToken())
    request = client.calls[0]
    prompt = request.messages[1].content
    assert prompt.startswith("Task: check_shot_plan\n")
    assert prompt.count("climbs the lighthouse stairs") == 1
    assert "cinematographer: [clips] rendering is queued behind another job" in prompt
    # The in-process model gets the request as data; the prompt carries no copy of it.
    assert request.request is not None and request.request.context["script"] == script
    assert request.json_output is Critique and "schema" not in prompt
