"""The screenwriter's four-step chain: four turns, four typed outputs, each checked against the brief."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import first_step_with_screenwriter_at, small_config
from filmcrew import Crew
from filmcrew.memory.models import Brief, DetailedStoryboard, Script, SimplifiedStoryboard, Synopsis

BRIEF = Brief(text="A street cat named Pixel steals a fish from the night market and is chased across the rooftops.", target_duration=8)
STEPS = ["synopsis", "storyboard", "shots", "script"]


async def test_the_four_steps_are_four_turns_in_the_transcript(tmp_path: Path):
    crew = Crew.default(config=small_config())
    await crew.start(BRIEF, tmp_path / "run")
    turns = []
    for _ in STEPS:
        turns += [e for e in await crew.step() if e.type == "agent_turn"]
    assert [(t.speaker, t.stage) for t in turns] == [("screenwriter", s) for s in STEPS]
    run = tmp_path / "run"
    records = [json.loads(line) for line in (run / "transcript.jsonl").read_text().splitlines()]
    said = [r for r in records if r.get("speaker") == "screenwriter" and r.get("type") == "TextMessage"]
    assert [r["metadata"]["stage"] for r in said] == STEPS
    # Each step's own typed output, and the script assembled from all four.
    synopsis = Synopsis.model_validate_json((run / "synopsis.json").read_text())
    SimplifiedStoryboard.model_validate_json((run / "storyboard.json").read_text())
    detailed = DetailedStoryboard.model_validate_json((run / "shots.json").read_text())
    script = Script.model_validate_json((run / "script.json").read_text())
    assert script.synopsis == synopsis and script.detailed == detailed
    assert "Pixel" in [c.name for c in synopsis.characters]
    assert [b.location for b in script.blocks][-2:] == ["rooftops", "rooftops"]


async def test_a_director_note_after_a_step_revises_the_steps_after_it(tmp_path: Path):
    day = Brief(text="A boy named Leo flies a red kite on a windy beach.", target_duration=8)
    plain = Crew.default(config=small_config())
    await plain.start(day, tmp_path / "plain")
    for _ in STEPS:
        await plain.step()
    noted = Crew.default(config=small_config())
    await noted.start(day, tmp_path / "noted")
    await noted.step()  # the synopsis
    await noted.step("make it night")
    for _ in STEPS[2:]:
        await noted.step()
    before = Script.model_validate_json((tmp_path / "plain" / "script.json").read_text())
    after = Script.model_validate_json((tmp_path / "noted" / "script.json").read_text())
    assert {b.time_of_day for b in before.blocks} == {"day"}
    assert {b.time_of_day for b in after.blocks} == {"night"}
    # The synopsis written before the note stands.
    assert (tmp_path / "noted" / "synopsis.json").read_text() == (tmp_path / "plain" / "synopsis.json").read_text()


def _synopsis(**change) -> str:
    from filmcrew.agents.craft.screenwriter import story_script

    synopsis = story_script(BRIEF.model_dump(mode="json")).synopsis.model_dump(mode="json")
    synopsis.update(change)
    return json.dumps(synopsis)


@pytest.mark.parametrize("bad, reason", [
    ({"characters": [{"name": "Pixel", "description": "a street cat"}, {"name": "Ada", "description": "a fishmonger"}]},
     "invent no named people: 'Ada' is not in the brief"),
    ({"characters": [{"name": "the fishmonger", "description": "chases the cat"}]},
     "Pixel is missing from the characters"),
])
async def test_a_reply_that_invents_or_drops_a_character_is_sent_back_with_the_reason(tmp_path: Path, monkeypatch, bad, reason):
    from fakes.chat_servers import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        server.reply_text(_synopsis(**bad))
        server.reply_text(_synopsis())
        events = await first_step_with_screenwriter_at(server, BRIEF, tmp_path / "run")
        requests = list(server.requests)
    assert [e.stage for e in events if e.type == "agent_turn"] == ["synopsis"]
    assert len(requests) == 2
    sent_back = json.dumps(requests[1].json["messages"][-1])
    assert "could not be used" in sent_back and reason in sent_back
    kept = Synopsis.model_validate_json((tmp_path / "run" / "synopsis.json").read_text())
    assert [c.name for c in kept.characters][0] == "Pixel"


def test_the_default_duration_grows_with_the_story_and_a_given_one_wins():
    short = "A lost astronaut follows a radio signal across a frozen moon."
    long = " ".join(["The crew waits on the ice while the storm passes over the ship."] * 11)  # 143 words
    assert Brief(text=short).target_duration == 30
    assert Brief(text=long).target_duration == 30 + round(0.4 * (len(long.split()) - 40))
    assert Brief(text=long, target_duration=12).target_duration == 12
    assert Brief.model_validate({"text": long, "target_duration": 20}).target_duration == 20
