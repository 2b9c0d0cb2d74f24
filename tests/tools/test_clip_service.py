"""The clip service: reference checks, cache, concurrency, timeout, provider choice."""

from __future__ import annotations

import asyncio
import shutil
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fakes.video_servers import make_tiny_mp4
from filmcrew.memory.models import ClipAsset, ReferenceImage, SceneBlock, Shot
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash
from filmcrew.tools.clips.providers import clip_service_from_config, describe_clip_providers, make_clip_generator
from filmcrew.tools.clips.references import names_match, primary_reference, references_for_block, validate_references
from filmcrew.tools.clips.service import ClipJob, ClipService
from filmcrew.tools.clips.shots import clip_asset_from_file, covering_duration, shot_prompt

from filmcrew.config import ClipConfig
from filmcrew.errors import ConfigurationError, InputError, ProviderError

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="session")
def tiny_clip_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "tiny.mp4"
    make_tiny_mp4(path)
    return path


class CopyGenerator(ClipGenerator):
    """A provider double: copies a tiny testsrc clip, counts calls and overlap."""

    name = "copy"

    def __init__(
        self, clip: Path, *, delays: dict[str, float] | None = None, fail: set[str] = frozenset(), hang: bool = False
    ):
        self.clip = clip
        self.delays = delays or {}
        self.fail = set(fail)
        self.hang = hang
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def generate(self, shot: Shot, references: Sequence[ReferenceImage], duration: float,
                       resolution: tuple[int, int], out_path: Path, *, fps: int = 24,
                       look: dict[str, Any] | None = None) -> ClipAsset:
        self.calls.append(shot.id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hang:
                await asyncio.Event().wait()
            await asyncio.sleep(self.delays.get(shot.id, 0.01))
            if shot.id in self.fail:
                raise ProviderError(f"copy refused shot {shot.id}: test refusal", provider=self.name)
            with atomic_path(out_path) as tmp:
                shutil.copyfile(self.clip, tmp)
                asset = clip_asset_from_file(
                    tmp, shot=shot, provider=self.name,
                    input_hash=clip_input_hash(self.name, shot, references, duration, resolution, fps, look),
                )
            return asset.model_copy(update={"path": str(out_path)})
        finally:
            self.in_flight -= 1


def make_shot(shot_id: str = "s1", **kw: Any) -> Shot:
    fields = dict(id=shot_id, block_id="b1", shot_size="medium", movement="static", angle="eye_level",
                  action="Mara waits by the window", characters=["Mara"], duration=2.0)
    fields.update(kw)
    return Shot(**fields)


@pytest.fixture
def refs(sample_image: Path) -> list[ReferenceImage]:
    return [ReferenceImage(name="Mara", kind="character", path=str(sample_image))]


def job(tmp_path: Path, shot_id: str, refs: list[ReferenceImage], duration: float = 2.0) -> ClipJob:
    return ClipJob(make_shot(shot_id), refs, duration, tmp_path / "run" / "clips" / f"{shot_id}.mp4")


# -- reference checks ------------------------------------------------------------


def test_missing_reference_is_named(tmp_path):
    missing = tmp_path / "nowhere" / "mara.png"
    with pytest.raises(InputError) as caught:
        validate_references([ReferenceImage(name="Mara", kind="character", path=str(missing))])
    message = str(caught.value)
    assert str(missing) in message and "'Mara'" in message and "does not exist" in message
    assert "\n" not in message


def test_reference_that_is_not_an_image_is_named(tmp_path, sample_image):
    fake = tmp_path / "notes.png"
    fake.write_text("these are my notes, not a picture")
    good = ReferenceImage(name="Mara", kind="character", path=str(sample_image))
    bad = ReferenceImage(name="Harbor", kind="location", path=str(fake))
    with pytest.raises(InputError) as caught:
        validate_references([good, bad])
    assert str(fake) in str(caught.value) and "not a readable image" in str(caught.value)


def test_folder_as_reference_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a file"):
        validate_references([ReferenceImage(name="Mara", kind="character", path=str(tmp_path))])


async def test_bad_reference_stops_everything_before_any_render(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file)
    service = ClipService(generator, tmp_path / "cache")
    broken = [ReferenceImage(name="Tom", kind="character", path=str(tmp_path / "tom.png"))]
    with pytest.raises(InputError, match="tom.png"):
        await service.generate_all([job(tmp_path, "s1", refs), job(tmp_path, "s2", broken)])
    assert generator.calls == []


# -- picking references ------------------------------------------------------------


def test_references_for_block_matches_names_by_words(tmp_path):
    def ref(name: str, kind: str) -> ReferenceImage:
        return ReferenceImage(name=name, kind=kind, path=str(tmp_path / f"{name}.png"))

    mara, tom, joanna = ref("Mara", "character"), ref("Old Tom", "character"), ref("Joanna", "character")
    lighthouse, harbor = ref("Lighthouse", "location"), ref("Harbor", "location")
    block = SceneBlock(
        id="b1", prompt="storm night", time_of_day="night", location="the old lighthouse, lamp room",
        characters=["Mara Quinn", "Tom", "Ann"], visual_elements=[], narrative_objective="reveal",
        rough_sound="wind",
    )
    assert references_for_block(block, [joanna, tom, harbor, mara, lighthouse]) == [tom, mara, lighthouse]


def test_primary_reference_starts_wide_shots_on_the_location(tmp_path):
    mara = ReferenceImage(name="Mara", kind="character", path="m.png")
    tom = ReferenceImage(name="Tom", kind="character", path="t.png")
    place = ReferenceImage(name="Harbor", kind="location", path="h.png")
    assert primary_reference(make_shot(shot_size="wide"), [mara, tom, place]) == place
    assert primary_reference(make_shot(shot_size="close_up", characters=["Tom"]), [mara, tom, place]) == tom
    assert primary_reference(make_shot(), []) is None


def test_shot_prompt_carries_the_camera_language():
    prompt = shot_prompt(
        make_shot(
            shot_size="medium_close_up", movement="dolly_in", angle="low", lens="85mm",
            lighting="hard key from the left",
        ),
        look={"grade": "teal and orange"},
    )
    for words in ("Medium close-up", "low angle", "85mm lens", "dolly in", "Mara waits by the window.",
                  "Characters: Mara", "hard key from the left", "grade: teal and orange"):
        assert words in prompt
    assert shot_prompt(make_shot()) == shot_prompt(make_shot())


def test_covering_duration_prefers_a_clip_that_can_be_trimmed():
    assert covering_duration(3.0, (4, 6, 8)) == 4
    assert covering_duration(6.0, (4, 6, 8)) == 6
    assert covering_duration(11.0, (4, 6, 8)) == 8


# -- the service ----------------------------------------------------------------


async def test_generate_all_returns_clips_in_job_order(tmp_path, tiny_clip_file, refs):
    # s1 finishes last, so completion order differs from job order.
    generator = CopyGenerator(tiny_clip_file, delays={"s1": 0.08, "s2": 0.01, "s3": 0.03})
    service = ClipService(generator, tmp_path / "cache", concurrency=3)
    progress: list[tuple[str, int, int]] = []
    jobs = [job(tmp_path, s, refs) for s in ("s1", "s2", "s3")]
    assets = await service.generate_all(jobs, on_progress=lambda a, n, total: progress.append((a.shot_id, n, total)))
    assert [a.shot_id for a in assets] == ["s1", "s2", "s3"]
    assert all(Path(a.path).is_file() and a.path == str(j.out_path) for a, j in zip(assets, jobs, strict=True))
    assert [p[1:] for p in progress] == [(1, 3), (2, 3), (3, 3)]
    assert progress[-1][0] == "s1"


async def test_cache_hit_does_not_call_the_provider_again(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file)
    service = ClipService(generator, tmp_path / "cache")
    first = await service.generate(job(tmp_path, "s1", refs))
    # A fresh service over the same cache (a resumed run) into another folder.
    again_job = ClipJob(make_shot("s1"), refs, 2.0, tmp_path / "other" / "s1.mp4")
    again = await ClipService(generator, tmp_path / "cache").generate(again_job)
    assert generator.calls == ["s1"]
    assert again.metadata["cached"] is True and first.metadata["cached"] is False
    assert again.path == str(again_job.out_path)
    assert again_job.out_path.read_bytes() == tiny_clip_file.read_bytes()
    assert (again.frames, again.width, again.input_hash) == (first.frames, first.width, first.input_hash)
    # A changed input is a different clip.
    await service.generate(job(tmp_path, "s1", refs, duration=3.0))
    assert generator.calls == ["s1", "s1"]


async def test_a_new_renderer_version_does_not_reuse_old_cached_clips(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file)
    await ClipService(generator, tmp_path / "cache").generate(job(tmp_path, "s1", refs))
    generator.version = "2"
    await ClipService(generator, tmp_path / "cache").generate(job(tmp_path, "s1", refs))
    assert generator.calls == ["s1", "s1"]


def test_previz_settings_that_change_the_picture_change_its_cache_version():
    from filmcrew.tools.clips.previz import PrevizRenderer

    assert PrevizRenderer().version == PrevizRenderer().version
    assert PrevizRenderer(caption=False).version != PrevizRenderer().version
    assert PrevizRenderer(crf=18).version != PrevizRenderer().version


async def test_same_inputs_in_one_batch_render_once(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file)
    service = ClipService(generator, tmp_path / "cache", concurrency=1)
    a = job(tmp_path, "s1", refs)
    b = ClipJob(make_shot("s1"), refs, 2.0, tmp_path / "copy" / "s1.mp4")
    assets = await service.generate_all([a, b])
    assert generator.calls == ["s1"]
    assert [x.metadata["cached"] for x in assets] == [False, True]


async def test_concurrency_limit_is_respected(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file, delays={f"s{i}": 0.03 for i in range(6)})
    service = ClipService(generator, tmp_path / "cache", concurrency=2)
    await service.generate_all([job(tmp_path, f"s{i}", refs) for i in range(6)])
    assert len(generator.calls) == 6
    assert generator.max_in_flight == 2


async def test_timeout_names_the_shot_and_leaves_no_file(tmp_path, tiny_clip_file, refs):
    service = ClipService(CopyGenerator(tiny_clip_file, hang=True), tmp_path / "cache", timeout=0.05)
    target = job(tmp_path, "s7", refs)
    with pytest.raises(ProviderError) as caught:
        await service.generate(target)
    assert "s7" in str(caught.value) and "clips.timeout" in str(caught.value)
    assert caught.value.retryable
    assert not target.out_path.exists()


async def test_one_failure_keeps_the_finished_clips(tmp_path, tiny_clip_file, refs):
    generator = CopyGenerator(tiny_clip_file, fail={"s2"})
    service = ClipService(generator, tmp_path / "cache", concurrency=2)
    jobs = [job(tmp_path, s, refs) for s in ("s1", "s2", "s3")]
    done: list[str] = []
    with pytest.raises(ProviderError, match="s2"):
        await service.generate_all(jobs, on_progress=lambda a, n, t: done.append(a.shot_id))
    assert jobs[0].out_path.is_file() and jobs[2].out_path.is_file()
    assert not jobs[1].out_path.exists()
    assert sorted(done) == ["s1", "s3"]
    # The next run only renders the clip that failed.
    generator.fail.clear()
    await service.generate_all(jobs)
    assert generator.calls.count("s1") == 1 and generator.calls.count("s2") == 2


async def test_several_failures_are_summarised(tmp_path, tiny_clip_file, refs):
    service = ClipService(CopyGenerator(tiny_clip_file, fail={"s1", "s3"}), tmp_path / "cache")
    with pytest.raises(ProviderError, match=r"2 of 3 clips failed.*s1.*s3"):
        await service.generate_all([job(tmp_path, s, refs) for s in ("s1", "s2", "s3")])


def test_service_settings_are_checked(tmp_path, tiny_clip_file):
    with pytest.raises(ConfigurationError, match="concurrency"):
        ClipService(CopyGenerator(tiny_clip_file), tmp_path, concurrency=0)


# -- choosing a provider ------------------------------------------------------------


def test_veo_without_a_key_names_the_variable():
    with pytest.raises(ConfigurationError, match="GEMINI_API_KEY"):
        make_clip_generator(ClipConfig(provider="veo"), env={})


def test_veo_without_the_sdk_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.genai", None)
    with pytest.raises(ConfigurationError, match=r"pip install 'filmcrew\[gemini\]'"):
        make_clip_generator(ClipConfig(provider="veo"), env={"GEMINI_API_KEY": "k"})


def test_kling_names_the_missing_key():
    with pytest.raises(ConfigurationError) as caught:
        make_clip_generator(ClipConfig(provider="kling"), env={"KLING_ACCESS_KEY": "ak"})
    assert "KLING_SECRET_KEY is not set" in str(caught.value)


def test_sora_is_built_from_the_config():
    cfg = ClipConfig(provider="sora", model="sora-2-pro", base_url="http://127.0.0.1:9/v1", poll_interval=0.5)
    generator = make_clip_generator(cfg, env={"OPENAI_API_KEY": "sk-x"})
    assert generator.name == "sora"
    assert generator.model == "sora-2-pro"
    assert (generator.base_url, generator.poll_interval) == ("http://127.0.0.1:9/v1", 0.5)


def test_veo_and_kling_are_built_with_their_defaults():
    veo = make_clip_generator(ClipConfig(provider="veo"), env={"GOOGLE_API_KEY": "g"})
    kling = make_clip_generator(ClipConfig(provider="kling"), env={"KLING_ACCESS_KEY": "a", "KLING_SECRET_KEY": "s"})
    assert veo.name == "veo" and veo.model == type(veo).DEFAULT_MODEL
    assert kling.name == "kling" and kling.base_url == type(kling).DEFAULT_BASE_URL


def test_previz_is_imported_only_when_chosen(monkeypatch):
    module = types.ModuleType("filmcrew.tools.clips.previz")

    class PrevizRenderer(ClipGenerator):
        name = "previz"

        async def generate(self, *args: Any, **kwargs: Any) -> ClipAsset:  # pragma: no cover - not called
            raise NotImplementedError

    module.PrevizRenderer = PrevizRenderer
    monkeypatch.setitem(sys.modules, "filmcrew.tools.clips.previz", module)
    assert isinstance(make_clip_generator(ClipConfig(), env={}), PrevizRenderer)


def test_doctor_rows_say_what_is_missing():
    rows = {r["provider"]: r for r in describe_clip_providers(env={"OPENAI_API_KEY": "sk", "KLING_ACCESS_KEY": "ak"})}
    assert list(rows) == ["previz", "veo", "sora", "kling"]
    assert rows["previz"]["in_use"] and not rows["sora"]["in_use"]
    assert rows["veo"]["configured"] is False and "GEMINI_API_KEY" in rows["veo"]["reason"]
    assert rows["sora"]["configured"] is True and "OPENAI_API_KEY is set" in rows["sora"]["reason"]
    assert rows["kling"] == {
        "seam": "clips", "role": "", "provider": "kling", "model": "", "base_url": None,
        "configured": False, "in_use": False, "reason": "needs KLING_ACCESS_KEY and KLING_SECRET_KEY",
    }
    cfg = ClipConfig(provider="veo", model="veo-3.1-fast-generate-preview")
    veo = {r["provider"]: r for r in describe_clip_providers(cfg, env={"GEMINI_API_KEY": "g"})}["veo"]
    assert veo["configured"] and veo["in_use"] and veo["reason"] == "GEMINI_API_KEY is set"
    assert veo["model"] == "veo-3.1-fast-generate-preview"


def test_the_service_takes_its_settings_from_the_config(tmp_path, tiny_clip_file):
    cfg = ClipConfig(width=640, height=360, fps=25, concurrency=3, timeout=30)
    service = clip_service_from_config(cfg, tmp_path, generator=CopyGenerator(tiny_clip_file))
    assert (service.resolution, service.fps, service.concurrency, service.timeout) == ((640, 360), 25, 3, 30.0)


def test_one_name_matcher_for_characters_and_places():
    assert names_match("Mara", "Mara Quinn") and names_match("Mara Quinn", "mara")
    assert names_match("lighthouse", "The old Lighthouse") and names_match("Old Tom", "old tom")
    assert not names_match("Ann", "Joanna") and not names_match("", "Mara") and not names_match("Tom", "Mara")
