"""The review stage's watch_cut: measured problems for the viewer, and Gemini watching the rendered rough cut."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from autogen_core import CancellationToken

from fakes.gemini_files import GeminiFilesServer, prompt_of
from support import small_config
from filmcrew.config import ModelConfig
from filmcrew.memory.audiences import get_audience
from filmcrew.memory.models import (
    BlockVoiceOver, Brief, Character, ClipAsset, ClipSet, DetailedStoryboard, Drawn, RoughCutPlan, SceneBlock, Script, Shot,
    ShotPlan, SimplifiedStoryboard, Synopsis,
)
from filmcrew.memory.rundir import RunDir
from filmcrew.orchestration import Services, StageContext
from filmcrew.orchestration.stages import review
from filmcrew.tools.media import ffmpeg_exe
from filmcrew.tools.timeline import build_rough_cut, write_timeline


def _run(root: Path) -> RunDir:
    run = RunDir(root).ensure()
    (root / "clips").mkdir()
    shots, clips = [], []
    for sid, picture, drawn in (("b1-s1", "color=c=0x0a0a0a", Drawn(characters=["Ada"])), ("b1-s2", "testsrc2", Drawn(props=["cup"]))):
        path = root / "clips" / f"{sid}.mp4"
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"{picture}=s=160x90:r=24:d=2" if picture == "testsrc2" else f"{picture}:s=160x90:r=24:d=2",
                        "-pix_fmt", "yuv420p", str(path)], check=True)
        shots.append(Shot(id=sid, block_id="b1", shot_size="medium", movement="static", angle="eye_level", action="", duration=2.0))
        clips.append(ClipAsset(shot_id=sid, block_id="b1", path=str(path), duration=2.0, frames=48, fps=24, width=160, height=90,
                               provider="test", input_hash="", drawn=drawn))
    block = SceneBlock(id="b1", prompt="Ada waits", time_of_day="night", location="kitchen", characters=["Ada", "Ben"],
                       visual_elements=["cup"], narrative_objective="Ada waits for Ben.", rough_sound="", voice_over="Ada waits.")
    script = Script(synopsis=Synopsis(title="Wait", logline="Ada waits.", settings=["kitchen"], plot="",
                                      characters=[Character(name="Ada", description=""), Character(name="Ben", description="")]),
                    simplified=SimplifiedStoryboard(background="", causal_chain=["Ada waits for Ben."], developments=[], twist="", outcome=""),
                    detailed=DetailedStoryboard(shots=[]), blocks=[block])
    run.write_model("script.json", script)
    run.write_model("shot_plan.json", ShotPlan(shots=shots))
    run.write_model("clips.json", ClipSet(clips=clips))
    run.write_model("rough_cut_plan.json", RoughCutPlan(voice_over=[BlockVoiceOver(block_id="b1", text="Ada waits.")]))
    write_timeline(build_rough_cut(clips, ShotPlan(shots=shots), script, fps=24, root=root), root / "rough_cut.otio")
    return run


def _ctx(run: RunDir, config) -> StageContext:  # noqa: ANN001
    services = Services(clip_generator=lambda: None, speech=lambda: None, sound_library=lambda: None, reference_index=lambda: None)
    return StageContext(run=run, brief=Brief(text="Ada waits for Ben in the kitchen."), audience=get_audience("family"),
                        config=config, services=services, progress=lambda *a, **k: None)


async def _watch_cut(ctx: StageContext) -> dict:
    (spec,) = review.specs()
    tool = next(t for t in spec.tools(ctx) if t.name == "watch_cut")
    value = await tool.run_json({}, CancellationToken())
    return json.loads(value) if isinstance(value, str) else value


async def test_watch_cut_gives_measures_and_problems_without_a_model_watching(tmp_path: Path):
    watched = await _watch_cut(_ctx(_run(tmp_path / "run"), small_config()))
    kinds = {(p["kind"], p["target"]) for p in watched["problems"]}
    assert ("dark", "b1-s1") in kinds and ("missing", "b1") in kinds  # Ben is never drawn
    assert watched["shots"][0]["measured"]["luma"] < 20
    assert "watched_by_model" not in watched


async def test_an_audience_on_gemini_watches_the_rendered_rough_cut(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "key-local")
    config = small_config()
    with GeminiFilesServer(processing_polls=0) as server:
        config.roles["audience"] = ModelConfig(provider="gemini", model="gemini-2.5-flash", base_url=server.url)
        ctx = _ctx(_run(tmp_path / "run"), config)
        watched = await _watch_cut(ctx)
        uploads = list(server.uploads.values())
        generate = [r for r in server.requests if r.route.endswith(":generateContent")]
    rendered = next(ctx.run.path(".work").glob("rough_cut-*.mp4"))
    assert uploads == [rendered.read_bytes()]
    assert watched["watched_by_model"]["critique"].startswith(f"I watched {rendered.stat().st_size} bytes")
    prompt = prompt_of(generate[0])
    assert "family viewer" in prompt and "Ada waits." in prompt  # the archetype and the placeholder voice-over


async def test_a_gemini_server_without_the_file_api_still_gets_the_measured_cut(tmp_path: Path, monkeypatch):
    from filmcrew.testing.gemini_server import GeminiChatServer

    monkeypatch.setenv("GEMINI_API_KEY", "key-local")
    config = small_config()
    with GeminiChatServer(plugins=False) as server:
        config.roles["audience"] = ModelConfig(provider="gemini", model="gemini-2.5-flash", base_url=server.base_url, max_retries=0)
        watched = await _watch_cut(_ctx(_run(tmp_path / "run"), config))
    assert watched["watched_by_model"]["error"].startswith("could not watch the video")
    assert watched["problems"]


async def test_the_fine_cut_is_rechecked_for_the_problems_the_review_named(tmp_path: Path):
    from filmcrew.agents.builtin import BUILTIN_ROLES
    from filmcrew.agents.craft import CRAFT_RULES
    from filmcrew.memory.models import Recheck
    from filmcrew.orchestration.stages import analysis, fine_cut

    ctx = _ctx(_run(tmp_path / "run"), small_config())
    roles = {r.name: r for r in BUILTIN_ROLES}

    def craft(module, results=()):  # noqa: ANN001, ANN202
        (spec,) = module.specs()
        answer = CRAFT_RULES[spec.task]({"notes": [], "feedback": "", **spec.context(ctx)}, list(results), [])
        return spec, roles[spec.role].output_type(spec.task).model_validate(answer.model_dump())

    spec, answer = craft(review, [await _watch_cut(ctx)])
    await spec.apply(ctx, answer, 1)
    for module in (analysis, fine_cut):
        spec, answer = craft(module)
        await spec.apply(ctx, answer, 1)
    recheck = ctx.run.read_model("recheck.json", Recheck)
    status = {(i.problem, i.target): i.resolved for i in recheck.items}
    assert status[("dark", "b1-s1")] is True  # the unreadable shot was taken out
    assert status[("missing", "b1")] is False  # Ben is still never seen: no cut can show him
    assert all(i.before and i.after for i in recheck.items)


async def test_a_drifting_shot_is_generated_once_more_and_both_takes_are_kept(tmp_path: Path):
    from filmcrew.memory.models import Review, ReviewNote
    from filmcrew.orchestration.stages import fine_cut
    from filmcrew.tools.clips.base import ClipGenerator
    from filmcrew.tools.clips.shots import clip_asset_from_file
    from filmcrew.tools.timeline import picture_track, read_timeline

    class Retakes(ClipGenerator):
        name = "retake-test"
        looks: list[dict] = []

        async def generate(self, shot, references, duration, resolution, out_path, *, fps=24, look=None):  # noqa: ANN001, ANN201
            self.looks.append(dict(look or {}))
            subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                            f"testsrc2=s=160x90:r={fps}:d={duration}", "-pix_fmt", "yuv420p", str(out_path)], check=True)
            return clip_asset_from_file(out_path, shot=shot, provider=self.name, input_hash="")

    generator = Retakes()
    config = small_config()
    config.clips.width, config.clips.height = 160, 90
    run = _run(tmp_path / "run")
    services = Services(clip_generator=lambda: generator, speech=lambda: None, sound_library=lambda: None, reference_index=lambda: None)
    ctx = StageContext(run=run, brief=Brief(text="Ada waits for Ben in the kitchen."), audience=get_audience("family"),
                       config=config, services=services, progress=lambda *a, **k: None)
    run.write_model("review.json", Review(audience="family", summary="", engagement=0.5, notes=[
        ReviewNote(category="structure", target="b1-s2", problem="drift", at=2.0, text="Ada does not look like Ada")]))
    timeline = read_timeline(run.path("rough_cut.otio"))
    config.clips.provider = "previz"
    assert await fine_cut.retake_drifting(ctx, timeline) == []  # the previz would draw the same picture again
    config.clips.provider = "veo"
    assert await fine_cut.retake_drifting(ctx, timeline) == ["b1-s2"]
    assert [look["take"] for look in generator.looks] == [2]
    meta = next(c for c in picture_track(timeline).find_clips() if c.name == "b1-s2").metadata["filmcrew"]
    takes = list(meta["takes"])
    assert [t["take"] for t in takes] == [1, 2] and all(Path(t["path"]).is_file() for t in takes)
    assert meta["chosen_take"] in (1, 2)
