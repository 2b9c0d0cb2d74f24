"""The offline screenwriter over the whole brief suite: every brief's facts must reach its script (100%)."""

import importlib.util
from pathlib import Path

from filmcrew.agents.craft.screenwriter import story_script
from filmcrew.memory.models import Brief
from filmcrew.tools.reading import block_problems, read_brief, storyboard_problems, synopsis_problems

_SPEC = importlib.util.spec_from_file_location("brief_suite", Path(__file__).parents[1] / "data" / "briefs" / "suite.py")
suite = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(suite)


def test_every_brief_of_the_suite_gives_a_faithful_script():
    briefs = suite.load_briefs()
    failures = []
    for brief in briefs:
        record = Brief(text=brief["text"]).model_dump(mode="json")
        script = story_script(record)
        failures += suite.check_script(brief, script)
        # The offline screenwriter must pass the checks every model's answer is held to.
        reading = read_brief(brief["text"])
        problems = synopsis_problems(reading, script.synopsis) + storyboard_problems(reading, script.synopsis, script.detailed) \
            + block_problems(reading, script.synopsis, script.blocks)
        failures += [f"{brief['id']}: check: {p}" for p in problems]
    passed = len(briefs) - len({f.split(":")[0] for f in failures})
    print(f"screenwriter suite: {passed}/{len(briefs)} briefs pass")
    assert not failures, f"{passed}/{len(briefs)} pass\n" + "\n".join(failures)
