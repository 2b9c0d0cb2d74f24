"""Every example runs offline, small and short, as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SMALL = ["--size", "320x180", "--duration", "8"]


def _run(script: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(EXAMPLES / script), *args, *SMALL], input=stdin, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=600)


def test_team_script_builds_and_runs_a_crew_in_code(tmp_path: Path):
    result = _run("team_script.py", "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "run" / "film.mp4").exists()
    for role in ("screenwriter", "cinematographer", "audience", "editor", "sound_designer"):
        assert role in result.stdout


def test_custom_role_grades_every_block_and_the_render_applies_it(tmp_path: Path):
    run = tmp_path / "run"
    result = _run("custom_role.py", "--out", str(run))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "colorist" in result.stdout
    looks = json.loads((run / "looks.json").read_text())
    clips = json.loads((run / "clips.json").read_text())["clips"]
    assert looks and all(c["block_id"] in looks for c in clips)
    # The renderer grades on top of time of day: its resolved look equals what the
    # grade implies, and differs from the same shot without the grade.
    from filmcrew.memory.models import Shot, ShotPlan
    from filmcrew.tools.clips.previz import resolve_look

    plan = {s.id: s for s in ShotPlan.model_validate_json((run / "shot_plan.json").read_text()).shots}
    script = json.loads((run / "script.json").read_text())
    times = {b["id"]: b["time_of_day"] for b in script["blocks"]}
    for clip in clips:
        shot: Shot = plan[clip["shot_id"]]
        base = {"time_of_day": times[clip["block_id"]]}
        graded = resolve_look(shot, {**base, **looks[clip["block_id"]]}).as_dict()
        ungraded = resolve_look(shot, base).as_dict()
        applied = clip["metadata"]["look"]
        assert applied["temperature"] == graded["temperature"] and applied["saturation"] == graded["saturation"]
        assert (graded["temperature"], graded["saturation"]) != (ungraded["temperature"], ungraded["saturation"])


def test_interactive_example_takes_a_director_note_then_runs_on_at_end_of_input(tmp_path: Path):
    run = tmp_path / "run"
    result = _run("interactive.py", "--out", str(run), stdin="\nmore close-ups please\n")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "director: more close-ups please" in result.stdout
    assert (run / "film.mp4").exists()


def _package_tree(root: Path) -> Path:
    """The installed layout (`filmcrew.agents` is agents/, ...) as symlinks under `root`,
    since mypy cannot follow setuptools' editable-install finder."""
    import tomllib

    repo = EXAMPLES.parent
    mapping = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    package = root / "filmcrew"
    package.mkdir(parents=True)
    for item in (repo / mapping["filmcrew"]).iterdir():
        (package / item.name).symlink_to(item)
    for name, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
        target = root.joinpath(*name.split("."))
        if not target.exists():
            target.symlink_to(repo / folder, target_is_directory=True)
    return root


def test_examples_and_the_stage_api_type_check(tmp_path: Path):
    """Every example type-checks, and every function of `filmcrew.orchestration` (each
    stage's context, checks, apply and tools) is fully annotated. The custom role's stage
    functions are typed through `StageContext`, so mypy rejects that example with a
    misspelt run method and with an apply that takes the wrong output type."""
    pytest.importorskip("mypy", reason="mypy comes with the dev extra")
    good = (EXAMPLES / "custom_role.py").read_text()
    bad = good.replace('ctx.run.write_model("grades.json", output)', 'ctx.run.write_modle("grades.json", output)')
    bad = bad.replace("async def apply_grades(ctx: StageContext, output: SceneGrades,", "async def apply_grades(ctx: StageContext, output: Script,")
    assert bad.count("write_modle") == 1 and "output: Script," in bad
    (tmp_path / "bad_role.py").write_text(bad)
    examples = sorted(str(p) for p in EXAMPLES.glob("*.py"))
    assert len(examples) >= 3
    site = _package_tree(tmp_path / "site")
    env = {**os.environ, "MYPYPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports", "--no-error-summary",
                             "--disallow-untyped-defs", "--disallow-incomplete-defs", "--cache-dir", str(tmp_path / "cache"),
                             str(site / "filmcrew" / "orchestration"), *examples, "bad_role.py"],
                            cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if not e.startswith("bad_role.py")], result.stdout
    assert any("write_modle" in e for e in errors), result.stdout
    assert any("GRADE_STAGE" in e or "apply_grades" in e or "StageSpec" in e for e in errors if "write_modle" not in e), result.stdout
