"""Each stage module on its own: its context, tools, checks and apply, called directly
with a `StageContext` over a run directory, with fake providers and no crew.

One small film is made stage by stage once for the module (`film`); each test
then checks what one stage did, or copies the run and feeds a stage a bad output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from autogen_core import CancellationToken
from pydantic import BaseModel

from fakes.sound import ShelfLibrary, WordClockSpeech
from support import small_config
from filmcrew.agents.agent import RejectedOutput
from filmcrew.agents.builtin import BUILTIN_ROLES
from filmcrew.agents.craft import CRAFT_RULES
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.models import (
    Brief,
    ClipAsset,
    ClipSet,
    EditDecision,
    EditDecisionList,
    EffectRequest,
    ExportReport,
    MixReport,
    ReferenceImage,
    ReferenceMatch,
    RoughCutPlan,
    SceneSound,
    Script,
    Shot,
    ShotPlan,
    ShotVoice,
    SoundDesign,
    SoundPlan,
    SceneSoundPlan,
    ShotSoundPlan,
    IntraShotSoundPlan,
)
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration import Services, StageContext, StageSpec
from filmcrew.orchestration.stages import analysis, camera, clips, default_stages, export, fine_cut, mix, review, rough_cut, script, sound_design
from filmcrew.tools.clips.base import ClipGenerator
from filmcrew.tools.clips.shots import clip_asset_from_file
from filmcrew.tools.media import ffmpeg_exe

BRIEF = Brief(text="Mara, a lighthouse keeper, finds a message in a bottle on a stormy night and rows out at dawn to answer it.",
              target_duration=6)
ROLES = {r.name: r for r in BUILTIN_ROLES}


# -- fake providers -------------------------------------------------------------------


class FlatClips(ClipGenerator):
    """Grey clips of the asked length, with one visible event half-way through."""

    name = "flat-test"

    def __init__(self) -> None:
        self.looks: dict[str, dict[str, Any]] = {}

    async def generate(self, shot: Shot, references: Any, duration: float, resolution: tuple[int, int], out_path: Path, *,
                       fps: int = 24, look: dict[str, Any] | None = None) -> ClipAsset:
        self.looks[shot.id] = dict(look or {})
        w, h = resolution
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"color=c=gray:s={w}x{h}:r={fps}:d={duration:.3f}", "-pix_fmt", "yuv420p", str(out_path)], check=True)
        return clip_asset_from_file(out_path, shot=shot, provider=self.name, input_hash="",
                                    metadata={"events": [{"t": round(duration / 2, 3), "kind": "door", "description": "a door slams"}]})


class FixedReferences:
    """Two annotated reference shots for any query."""

    def search(self, query: str, k: int = 5) -> list[ReferenceMatch]:
        return [ReferenceMatch(ref_id=f"ref-{i}", score=0.8 - i / 10, shot_size="close_up", movement="static", angle="eye_level",
                               summary=f"reference {i} for {query[:20]}") for i in range(min(k, 2))]


@dataclass
class Made:
    """The film made stage by stage, and what each step returned on the way."""

    root: Path
    providers: dict[str, Any]
    tool_results: dict[str, Any] = field(default_factory=dict)


def _context(root: Path, providers: dict[str, Any]) -> StageContext:
    config = small_config()
    config.clips.width, config.clips.height = 160, 90
    services = Services(**{name: (lambda v=value: v) for name, value in providers.items()})
    run = RunDir(root).ensure()
    return StageContext(run=run, brief=BRIEF, audience=get_audience("general"), config=config, services=services,
                        progress=lambda stage, done, total, label="": None)


def _spec(module: Any) -> StageSpec[Any]:
    (spec,) = module.specs()
    return spec


def _tool(stage: StageSpec[Any], ctx: StageContext, name: str) -> Any:
    assert stage.tools is not None
    return next(t for t in stage.tools(ctx) if t.name == name)


async def _call(stage: StageSpec[Any], ctx: StageContext, name: str, **args: Any) -> Any:
    value = await _tool(stage, ctx, name).run_json(args, CancellationToken())
    return json.loads(value) if isinstance(value, str) else value


def _craft(spec: StageSpec[Any], ctx: StageContext, results: list[Any] | None = None) -> BaseModel:
    """What the offline craft model answers for this stage, as the role's typed output."""
    variables = {"notes": [], "feedback": "", **spec.context(ctx)}
    answer = CRAFT_RULES[spec.task](variables, results or [], [])
    output_type = ROLES[spec.role].output_type(spec.task)
    assert output_type is not None
    return answer if isinstance(answer, output_type) else output_type.model_validate(answer)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Made:
    import asyncio

    base = tmp_path_factory.mktemp("film")
    sounds = base / "sounds"
    sounds.mkdir()
    made = Made(root=base / "run", providers={"clip_generator": FlatClips(), "speech": WordClockSpeech(), "sound_library": ShelfLibrary(sounds),
                                               "reference_index": FixedReferences()})

    async def make() -> None:
        ctx = _context(made.root, made.providers)
        ctx.run.write_model("brief.json", BRIEF)
        for spec in script.specs():  # one step today; the same loop serves a chain of steps
            await spec.apply(ctx, _craft(spec, ctx), 1)
        cam = _spec(camera)
        for block in ctx.run.read_model("script.json", Script).blocks:
            await _call(cam, ctx, "search_film_references", query=block.prompt, k=4, block_id=block.id)
        # The plan is made without the search results: the references come back from references.json.
        await cam.apply(ctx, _craft(cam, ctx), 1)
        made.tool_results["clips"] = await _call(_spec(clips), ctx, "render_clips")
        await _spec(clips).apply(ctx, made.tool_results["clips"], 1)
        await _spec(rough_cut).apply(ctx, _craft(_spec(rough_cut), ctx), 1)
        watched = await _call(_spec(review), ctx, "watch_cut")
        made.tool_results["watch_cut"] = watched
        await _spec(review).apply(ctx, _craft(_spec(review), ctx, [watched]), 1)
        await _spec(analysis).apply(ctx, _craft(_spec(analysis), ctx), 1)
        await _spec(fine_cut).apply(ctx, _craft(_spec(fine_cut), ctx), 1)
        plan = _sound_plan(ctx)
        scene_step, shot_step, intra_step = sound_design.specs()  # one task per time scale
        await scene_step.apply(ctx, SceneSoundPlan(scenes=plan.scenes), 1)
        await shot_step.apply(ctx, ShotSoundPlan(voices=plan.voices), 1)
        await intra_step.apply(ctx, IntraShotSoundPlan(effects=plan.effects), 1)
        made.tool_results["mix"] = await _call(_spec(mix), ctx, "mix_soundtrack")
        await _spec(mix).apply(ctx, made.tool_results["mix"], 1)
        made.tool_results["export"] = await _call(_spec(export), ctx, "export_film")
        await _spec(export).apply(ctx, made.tool_results["export"], 1)

    asyncio.run(make())
    return made


def _sound_plan(ctx: StageContext) -> SoundPlan:
    from filmcrew.tools.timeline import read_timeline, shot_spans

    spans = shot_spans(read_timeline(ctx.run.path("fine_cut.otio")))
    blocks = sorted({s.block_id for s in spans})
    first, last = spans[0], spans[-1]
    return SoundPlan(
        scenes=[SceneSound(block_id=b, ambience="sea wind at night", music="asset:music-1" if i == 0 else "") for i, b in enumerate(blocks)],
        voices=[ShotVoice(shot_id=first.shot_id, text="The sea gave her a letter.", offset=0.1)],
        effects=[EffectRequest(shot_id=last.shot_id, query="door slam", at=0.1, syncs_to="the door"),
                 EffectRequest(shot_id=last.shot_id, query="too late", at=last.duration + 1, syncs_to="past the shot")],
    )


def _copy(made: Made, tmp_path: Path) -> StageContext:
    shutil.copytree(made.root, tmp_path / "run")
    return _context(tmp_path / "run", made.providers)


# -- the workflow ------------------------------------------------------------------------


def test_default_stages_are_the_workflow_in_order_with_unique_names():
    stages = default_stages()
    names = [s.name for s in stages]
    after_script = ["camera", "clips", "rough_cut", "review", "analysis", "fine_cut", "sound_scene", "sound_shot", "sound_design",
                    "mix", "export"]
    assert names[-len(after_script):] == after_script and len(names) == len(set(names))
    # Whatever steps the script takes, they are all the screenwriter's and come first.
    assert {s.role for s in stages[: len(names) - len(after_script)]} == {"screenwriter"}
    for spec in stages:
        assert spec.role in ROLES and ROLES[spec.role].output_type(spec.task) is not None


# -- script and camera ---------------------------------------------------------------------


def test_script_starts_from_the_brief_and_ends_in_script_json(film: Made):
    ctx = _context(film.root, film.providers)
    first, last = script.specs()[0], script.specs()[-1]
    assert first.inputs == ("brief.json",) and {"brief", "audience"} <= set(first.context(ctx))
    assert "script.json" in last.outputs
    assert Script.model_validate_json(ctx.run.path("script.json").read_text()).blocks


def test_camera_keeps_the_references_a_search_found_when_the_answer_omits_them(film: Made):
    plan = ShotPlan.model_validate_json((film.root / "shot_plan.json").read_text())
    found = camera.FoundReferences.model_validate_json((film.root / "references.json").read_text())
    assert plan.used_references and set(found.blocks) == {s.block_id for s in plan.shots}
    for shot in plan.shots:
        assert [r.ref_id for r in shot.references] == ["ref-0", "ref-1"]


async def test_references_found_for_another_script_are_not_used(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    script_path = ctx.run.path("script.json")
    script_path.write_text(script_path.read_text().replace("Mara", "Mira"))
    assert camera.found_references(ctx).blocks == {}
    plan = ShotPlan.model_validate_json(ctx.run.path("shot_plan.json").read_text())
    bare = plan.model_copy(update={"shots": [s.model_copy(update={"references": []}) for s in plan.shots]})
    await camera.apply(ctx, bare, 2)
    again = ShotPlan.model_validate_json(ctx.run.path("shot_plan.json").read_text())
    assert not again.used_references and again.rounds == 2 and all(not s.references for s in again.shots)


async def test_a_search_that_names_no_block_is_kept_for_the_block_it_describes(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    ctx.run.path("references.json").unlink()
    script = ctx.run.read_model("script.json", Script)

    def query_of(block: Any) -> str:
        return " ".join([block.prompt, block.location, block.narrative_objective])

    # A block whose own words tell it apart from the others (blocks at one place can read alike).
    target = next(b for b in reversed(script.blocks) if camera.block_for_query(script, query_of(b)) == b.id)
    query = query_of(target)
    result = await _call(_spec(camera), ctx, "search_film_references", query=query, k=2)
    assert result["block_id"] == target.id
    assert list(camera.found_references(ctx).blocks) == [target.id]
    assert camera.block_for_query(ctx.run.read_model("script.json", Script), "zzzz qqqq") == ""


def test_camera_check_names_unknown_and_empty_blocks_and_repeated_ids(film: Made):
    ctx = _context(film.root, film.providers)
    plan = ShotPlan.model_validate_json((film.root / "shot_plan.json").read_text())
    camera.check(ctx, plan)
    stray = plan.model_copy(update={"shots": [*plan.shots, plan.shots[0].model_copy(update={"id": "x", "block_id": "b99"})]})
    with pytest.raises(RejectedOutput, match="unknown scene blocks b99"):
        camera.check(ctx, stray)
    first_block = plan.shots[0].block_id
    without = plan.model_copy(update={"shots": [s for s in plan.shots if s.block_id != first_block]})
    with pytest.raises(RejectedOutput, match=f"blocks {first_block} have no shots"):
        camera.check(ctx, without)
    with pytest.raises(RejectedOutput, match="unique"):
        camera.check(ctx, plan.model_copy(update={"shots": [*plan.shots, plan.shots[0]]}))
    critic = camera.critic_context(ctx, plan)
    assert set(critic) == {"script", "shot_plan", "target_duration"}


# -- clips ------------------------------------------------------------------------------------


def test_clips_follow_the_plan_with_each_block_look(film: Made):
    plan = ShotPlan.model_validate_json((film.root / "shot_plan.json").read_text())
    clip_set = ClipSet.model_validate_json((film.root / "clips.json").read_text())
    assert [c.shot_id for c in clip_set.clips] == [s.id for s in plan.shots]
    looks = film.providers["clip_generator"].looks
    assert all("time_of_day" in looks[s.id] for s in plan.shots)


async def test_clips_apply_refuses_a_set_missing_a_shot_and_render_refuses_unknown_ids(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    clip_set = ClipSet.model_validate_json(ctx.run.path("clips.json").read_text())
    with pytest.raises(RejectedOutput, match=f"clips missing for shots {clip_set.clips[0].shot_id}"):
        await clips.apply(ctx, ClipSet(clips=clip_set.clips[1:]), 1)
    with pytest.raises(Exception, match="unknown shot ids"):
        await _call(_spec(clips), ctx, "render_clips", shot_ids=["nope"])
    # Rendering one shot again keeps the clips of the others.
    again = await _call(_spec(clips), ctx, "render_clips", shot_ids=[clip_set.clips[0].shot_id])
    assert [c.shot_id for c in again.clips] == [c.shot_id for c in clip_set.clips]


async def test_a_graded_block_look_reaches_the_renderer(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    plan = ShotPlan.model_validate_json(ctx.run.path("shot_plan.json").read_text())
    block = plan.shots[0].block_id
    ctx.run.write_json("looks.json", {block: {"temperature": 0.5, "time_of_day": "dawn"}})
    generator = FlatClips()
    ctx2 = _context(ctx.run.root, {**film.providers, "clip_generator": generator})
    await _call(_spec(clips), ctx2, "render_clips")
    graded = [generator.looks[s.id] for s in plan.shots if s.block_id == block]
    assert graded and all(look["temperature"] == 0.5 and look["time_of_day"] == "dawn" for look in graded)


# -- rough cut, review, analysis, fine cut -----------------------------------------------------


async def test_rough_cut_refuses_voice_over_for_unknown_blocks(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    plan = RoughCutPlan.model_validate_json(ctx.run.path("rough_cut_plan.json").read_text())
    bad = plan.model_copy(update={"voice_over": [*plan.voice_over, plan.voice_over[0].model_copy(update={"block_id": "b42"})]})
    with pytest.raises(RejectedOutput, match="unknown blocks b42"):
        await rough_cut.apply(ctx, bad, 1)
    assert set(rough_cut.context(ctx)) == {"script", "shot_plan"}


def test_watch_cut_describes_every_shot_and_block_with_retimed_events(film: Made):
    cut = film.tool_results["watch_cut"]
    plan = ShotPlan.model_validate_json((film.root / "shot_plan.json").read_text())
    assert cut["shot_count"] == len(plan.shots) == len(cut["shots"])
    assert {b["block_id"] for b in cut["blocks"]} == {s.block_id for s in plan.shots}
    shot = cut["shots"][0]
    assert 0.4 < shot["brightness"] < 0.6  # mid grey
    assert shot["events"] and 0 <= shot["events"][0]["t"] < shot["duration"]
    voice = {v["block_id"]: v["text"] for v in json.loads((film.root / "rough_cut_plan.json").read_text())["voice_over"]}
    assert all(b["voice_over"] == voice[b["block_id"]] for b in cut["blocks"] if voice.get(b["block_id"]))
    # The description is kept for the analysis and the fine cut, keyed by what it was made from.
    assert list((film.root / ".work" / "cuts").glob("rough_cut-*.json"))


def test_review_analysis_and_fine_cut_contexts_keep_their_keys(film: Made):
    ctx = _context(film.root, film.providers)
    assert set(review.context(ctx)) == {"audience", "story"}
    assert set(analysis.context(ctx)) == {"review", "cut", "problems", "audience", "attention_span_s"}
    assert set(fine_cut.context(ctx)) == {"analysis", "cut", "audience"}
    assert review.frames(ctx) and all(p.exists() for p in review.frames(ctx))


async def test_edit_timeline_reports_refused_edits_and_fine_cut_apply_rejects_them(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    plan = ShotPlan.model_validate_json(ctx.run.path("shot_plan.json").read_text())
    good = EditDecision(op="remove", shot_id=plan.shots[-1].id, reason="too long")
    bad = EditDecision(op="trim", shot_id="nope", params={"head": 0.1, "tail": 0.0}, reason="tighten")
    result = await _call(_spec(fine_cut), ctx, "edit_timeline", decisions=[good.model_dump(), bad.model_dump()])
    assert [d["shot_id"] for d in result["applied"]] == [good.shot_id] and len(result["rejected"]) == 1
    assert plan.shots[-1].id not in result["order"]
    with pytest.raises(RejectedOutput, match="refused"):
        await fine_cut.apply(ctx, EditDecisionList(decisions=[bad]), 1)
    summary = await fine_cut.apply(ctx, EditDecisionList(decisions=[good]), 1)
    assert "1 edits (remove)" in summary


# -- sound ---------------------------------------------------------------------------------------


def test_sound_design_places_cues_at_three_time_scales(film: Made):
    design = SoundDesign.model_validate_json((film.root / "sound_design.json").read_text())
    scales = {(c.layer, c.scale) for c in design.cues}
    assert {("ambience", "scene"), ("music", "scene"), ("voice", "shot"), ("sfx", "intra_shot")} <= scales
    # The effect asked for past the end of its shot is dropped, not moved.
    assert len([c for c in design.cues if c.scale == "intra_shot"]) == 1
    assert all(c.start + c.duration <= design.duration + 1e-6 for c in design.cues)
    assert ("door slam", "sfx") in film.providers["sound_library"].searches


async def test_sound_design_refuses_cues_on_shots_not_in_the_picture_lock(film: Made, tmp_path: Path):
    ctx = _copy(film, tmp_path)
    with pytest.raises(RejectedOutput, match="not in the picture lock: gone"):
        sound_design.check_shot(ctx, ShotSoundPlan(voices=[ShotVoice(shot_id="gone", text="hello")]))
    with pytest.raises(RejectedOutput, match="not in the picture lock: gone"):
        sound_design.check(ctx, IntraShotSoundPlan(effects=[EffectRequest(shot_id="gone", query="door", at=0.1, syncs_to="x")]))
    found = await _call(sound_design.specs()[0], ctx, "search_sounds", query="waves", category="ambience", k=50)
    assert [m["id"] for m in found["matches"]] == ["ambience-1"]


def test_mix_is_stale_when_its_stems_are_gone(film: Made, tmp_path: Path):
    report = MixReport.model_validate(film.tool_results["mix"].model_dump())
    assert (film.root / "mix.wav").exists() and report.stems
    ctx = _copy(film, tmp_path)
    assert mix.mix_exists(ctx)
    ctx.run.path(report.stems[0].path).unlink()
    assert not mix.mix_exists(ctx)


# -- export --------------------------------------------------------------------------------------


async def test_export_writes_the_film_and_timelines_and_apply_needs_the_film(film: Made, tmp_path: Path):
    report = film.tool_results["export"]
    assert isinstance(report, ExportReport) and report.frames > 0
    for name in ("film.mp4", "timeline.otio", "export.json"):
        assert (film.root / name).exists()
    ctx = _copy(film, tmp_path)
    ctx.run.path("film.mp4").unlink()
    with pytest.raises(RejectedOutput, match="film.mp4 was not written"):
        await export.apply(ctx, report, 1)


def test_clip_jobs_share_the_block_look_and_only_the_references_it_names():
    from filmcrew.tools.clips.jobs import block_look, clip_jobs

    made = CRAFT_RULES["structure_script"]({"brief": BRIEF.model_dump(mode="json"), "audience": get_audience("general").model_dump(mode="json"),
                                            "notes": [], "feedback": ""}, [], [])
    parsed = made if isinstance(made, Script) else Script.model_validate(made)
    block = parsed.blocks[0]
    look = block_look(block.model_copy(update={"visual_elements": ["heavy rain on glass"]}), {"temperature": 0.2})
    assert look["weather"] == "rain" and look["temperature"] == 0.2
    assert block_look(block.model_copy(update={"visual_elements": ["fog"]}), {"weather": "snow"})["weather"] == "snow"
    shot = Shot(id="s1", block_id=block.id, shot_size="wide", movement="static", angle="eye_level", action="x", duration=1.0)
    refs = [ReferenceImage(name="Nobody Here", kind="character", path="/nonexistent.png")]
    (job,) = clip_jobs(ShotPlan(shots=[shot]), parsed, refs, Path("/tmp/out"))
    assert job.references == [] and job.out_path == Path("/tmp/out/s1.mp4")
