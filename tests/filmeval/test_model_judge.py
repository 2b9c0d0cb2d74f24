"""The model judge against local fake servers: OpenAI-compatible vision and Gemini with the film uploaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fakes.chat_servers import FakeGeminiServer, FakeOpenAIServer, RecordedRequest, ScriptedResponse
from fakes.http import Reply
from filmcrew.filmeval import CODES, load_film
from filmcrew.filmeval.model import ModelJudge, parse_verdicts


def _answer(**override) -> str:
    body = {c: {"score": 4, "why": f"{c} looked fine."} for c in CODES}
    for code, value in override.items():
        code = code.replace("_", "/") if code == "V_AQ" else code
        if value is None:
            body.pop(code)
        else:
            body[code] = {"score": value, "why": "odd"}
    return json.dumps(body)


def test_openai_vision_judge_sends_frames_rubric_and_sound(synthetic_run):
    with FakeOpenAIServer() as server:
        server.reply_text("```json\n" + _answer(SF=5, VQ=2) + "\n```")
        judge = ModelJudge("openai", "vision-model", base_url=server.base_url, api_key="k", frames=4)
        score = judge.judge(load_film(synthetic_run))
    assert score.criteria["SF"] == 5 and score.criteria["VQ"] == 2 and score.criteria["OQ"] == 4
    assert score.why["SF"] == "odd" and not score.missing
    assert score.CL is not None and score.avg == pytest.approx(sum(score.criteria.values()) / 12, abs=1e-3)
    body = server.requests[0].json
    assert body["model"] == "vision-model" and server.requests[0].route == "/v1/chat/completions"
    parts = body["messages"][1]["content"]
    images = [p for p in parts if p["type"] == "image_url"]
    assert len(images) == 4 and images[0]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    text = " ".join(p["text"] for p in parts if p["type"] == "text")
    assert "clockmaker named Ines" in text  # the brief
    assert "Script Faithfulness" in text and "5: Every person, place" in text  # the rubric
    assert "LUFS" in text and "onsets per second" in text  # the measured sound


def test_out_of_range_and_missing_answers_are_asked_again_then_reported_missing(synthetic_run):
    with FakeOpenAIServer() as server:
        server.reply_text(_answer(SF=7, CD=None, NC="great"))
        server.reply_text(_answer(SF=3, CD=None, NC=2.5))
        judge = ModelJudge("openai", "m", base_url=server.base_url, api_key="k", frames=2)
        score = judge.judge(load_film(synthetic_run))
    assert len(server.requests) == 2
    follow_up = server.requests[1].json["messages"][-1]["content"]
    assert "SF: the judge answered 7, outside 1-5" in follow_up and "CD: the judge gave no score" in follow_up
    assert score.criteria["SF"] == 3  # fixed on the second answer
    assert score.criteria["CD"] is None and "no score" in score.missing["CD"]
    assert score.criteria["NC"] is None and "not an integer" in score.missing["NC"]
    assert score.avg is None and score.CRh is None and score.CL is None


def test_a_judge_that_does_not_answer_leaves_every_criterion_missing(synthetic_run):
    with FakeOpenAIServer() as server:
        for _ in range(2):
            server.reply_error(503, "overloaded")
        judge = ModelJudge("openai", "m", base_url=server.base_url, api_key="k", frames=2, retries=1)
        score = judge.judge(load_film(synthetic_run))
    assert all(v is None for v in score.criteria.values())
    assert all("did not answer" in r for r in score.missing.values())


def test_unparseable_text_is_never_turned_into_scores():
    good, problems = parse_verdicts("I liked it a lot, 5 stars!")
    assert good == {} and set(problems) == set(CODES)


class _GeminiWithFiles(FakeGeminiServer):
    """The Gemini fake plus the resumable upload protocol google-genai's files.upload speaks."""

    uploaded: bytes = b""

    def respond(self, request: RecordedRequest):
        if request.route.startswith("/upload/") and request.headers.get("x-goog-upload-command", "start") == "start":
            return Reply(200, {}, {"x-goog-upload-url": f"{self.url}/upload-session/1"})
        if request.route == "/upload-session/1":
            self.uploaded += request.body
            status = "final" if "finalize" in request.headers.get("x-goog-upload-command", "") else "active"
            file = {"name": "files/film1", "uri": f"{self.url}/v1beta/files/film1", "mimeType": "video/mp4", "state": "ACTIVE"}
            return Reply(200, {"file": file}, {"x-goog-upload-status": status})
        return super().respond(request)


def test_gemini_judge_uploads_the_film_and_scores_it(synthetic_run):
    with _GeminiWithFiles() as server:
        server.reply_text(_answer(AVR=1))
        judge = ModelJudge("gemini", "gemini-test", base_url=server.base_url, api_key="k")
        score = judge.judge(load_film(synthetic_run))
    assert server.uploaded == (synthetic_run / "film.mp4").read_bytes()
    gen = [r for r in server.requests if r.route.endswith(":generateContent")]
    assert len(gen) == 1 and "gemini-test" in gen[0].route
    parts = gen[0].json["contents"][0]["parts"]
    file_data = parts[0].get("fileData") or parts[0].get("file_data")
    assert (file_data.get("fileUri") or file_data.get("file_uri")).endswith("/files/film1"), parts[0]
    assert "Audio-Visual Richness" in parts[1]["text"]
    assert score.criteria["AVR"] == 1 and score.criteria["SF"] == 4 and not score.missing


def test_judges_never_import_the_crew():
    code = ("import sys, filmcrew.filmeval, filmcrew.filmeval.model, filmcrew.filmeval.evaluate, filmcrew.filmeval.cli;"
            "print([m for m in sys.modules if m.startswith('filmcrew.orchestration') or m.startswith('filmcrew.agents')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
