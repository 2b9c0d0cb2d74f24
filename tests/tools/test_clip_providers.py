"""Veo, Sora and Kling adapters against local fakes that speak their wire protocols."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from fakes.video_servers import FakeKlingServer, FakeSoraServer, FakeVeoServer, make_tiny_mp4
from filmcrew.memory.models import ReferenceImage, Shot
from filmcrew.tools.clips._retry import RetryPolicy, retry_after_seconds
from filmcrew.tools.clips.base import clip_input_hash
from filmcrew.tools.clips.kling import KlingGenerator, kling_jwt
from filmcrew.tools.clips.service import ClipJob, ClipService
from filmcrew.tools.clips.sora import SoraGenerator, sora_size
from filmcrew.tools.clips.veo import VeoGenerator
from PIL import Image

from filmcrew.errors import ProviderError

pytestmark = [
    pytest.mark.timeout(60),
    # The openai SDK marks every videos call deprecated (OpenAI's Sora shutdown notice).
    pytest.mark.filterwarnings("ignore:The Sora API is scheduled:DeprecationWarning"),
]

RESOLUTION = (1280, 720)


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_tiny_mp4(tmp_path_factory.mktemp("clip") / "tiny.mp4")


@pytest.fixture
def shot() -> Shot:
    return Shot(
        id="s1", block_id="b1", shot_size="medium", movement="dolly_in", angle="eye_level",
        action="Mara opens the lighthouse door", characters=["Mara"], duration=3.0,
    )


@pytest.fixture
def refs(sample_image: Path) -> list[ReferenceImage]:
    return [ReferenceImage(name="Mara", kind="character", path=str(sample_image))]


class Sleeps:
    """A RetryPolicy.sleep that records the waits instead of spending them."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _veo(server: FakeVeoServer, policy: RetryPolicy, *, good_key: bool = True) -> VeoGenerator:
    return VeoGenerator(
        api_key=server.api_key if good_key else "wrong-key", base_url=server.url, poll_interval=0.01, retry=policy
    )


def _sora(server: FakeSoraServer, policy: RetryPolicy, *, good_key: bool = True) -> SoraGenerator:
    return SoraGenerator(
        api_key=server.api_key if good_key else "sk-wrong",
        base_url=f"{server.url}/v1",
        poll_interval=0.01,
        retry=policy,
    )


def _kling(server: FakeKlingServer, policy: RetryPolicy, *, good_key: bool = True) -> KlingGenerator:
    return KlingGenerator(
        access_key=server.access_key,
        secret_key=server.secret_key if good_key else "not-the-secret",
        base_url=server.url,
        poll_interval=0.01,
        retry=policy,
    )


# provider name -> (fake server class, generator factory, path fragment of a create call, of a status check)
PROVIDERS: dict[str, tuple[type, Callable[..., Any], str, str]] = {
    "veo": (FakeVeoServer, _veo, ":predictLongRunning", ":fetchPredictOperation"),
    "sora": (FakeSoraServer, _sora, "/v1/videos", "/v1/videos/video_"),
    "kling": (FakeKlingServer, _kling, "/v1/videos/image2video", "/v1/videos/image2video/"),
}


def _policy(sleeps: Sleeps, attempts: int = 4) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=30.0, sleep=sleeps)


def _creates(server: Any, fragment: str) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path.split("?")[0].endswith(fragment))


def _status_checks(name: str, server: Any, fragment: str) -> int:
    method = "POST" if name == "veo" else "GET"
    return sum(1 for r in server.requests if r.method == method and fragment in r.path and "/content" not in r.path)


def _leftovers(folder: Path, out: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != out)


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_renders_a_clip_end_to_end(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, create, _ = PROVIDERS[name]
    out = tmp_path / "clips" / "s1.mp4"
    with server_cls(tiny_clip) as server:
        generator = make(server, _policy(sleeps))
        asset = await generator.generate(shot, refs, 3.0, RESOLUTION, out, fps=24)
    assert out.read_bytes() == tiny_clip
    assert asset.path == str(out)
    assert (asset.width, asset.height, asset.fps, asset.frames) == (160, 90, 24, 24)
    assert asset.duration == pytest.approx(1.0, abs=0.05)
    assert asset.provider == name and (asset.shot_id, asset.block_id) == ("s1", "b1")
    assert asset.input_hash == clip_input_hash(name, shot, refs, 3.0, RESOLUTION, 24)
    assert asset.metadata["requested_duration"] == 3.0 and asset.metadata["reference"] == "Mara"
    assert _creates(server, create) == 1
    assert _leftovers(out.parent, out) == [], "no temporary files may stay in the run directory"
    assert sleeps.delays == []


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_refused_task_raises_with_the_reason_and_writes_nothing(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, _, _ = PROVIDERS[name]
    out = tmp_path / "clips" / "s1.mp4"
    reason = "The prompt was flagged by the safety system"
    with server_cls(tiny_clip, refusal=reason) as server:
        with pytest.raises(ProviderError) as caught:
            await make(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, out)
    assert reason in str(caught.value)
    assert "s1" in str(caught.value)
    assert caught.value.provider == name and not caught.value.retryable
    assert not out.exists()
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_slow_task_is_polled_until_done(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, _, status = PROVIDERS[name]
    out = tmp_path / "s1.mp4"
    with server_cls(tiny_clip, pending_polls=3) as server:
        asset = await make(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, out)
    assert out.exists()
    assert _status_checks(name, server, status) == 4
    assert asset.metadata["polls"] >= 3


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_rate_limit_waits_as_told_then_succeeds(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, create, _ = PROVIDERS[name]
    out = tmp_path / "s1.mp4"
    with server_cls(tiny_clip, throttle=2, retry_after="7") as server:
        asset = await make(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, out)
    assert out.exists() and asset.frames == 24
    assert _creates(server, create) == 3
    assert sleeps.delays == [7.0, 7.0], "Retry-After must win over the computed backoff"


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_rate_limit_gives_up_after_the_attempt_budget(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, create, _ = PROVIDERS[name]
    out = tmp_path / "s1.mp4"
    with server_cls(tiny_clip, throttle=100, retry_after="1") as server:
        with pytest.raises(ProviderError) as caught:
            await make(server, _policy(sleeps, attempts=3)).generate(shot, refs, 3.0, RESOLUTION, out)
    assert caught.value.retryable and caught.value.status == 429
    assert "3 attempts" in str(caught.value)
    assert _creates(server, create) == 3
    assert not out.exists()


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_server_error_while_polling_is_retried(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, _, _ = PROVIDERS[name]
    out = tmp_path / "s1.mp4"
    with server_cls(tiny_clip, server_errors=1) as server:
        await make(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, out)
    assert out.exists()
    assert len(sleeps.delays) == 1 and 0 < sleeps.delays[0] <= 0.01


@pytest.mark.parametrize("name", list(PROVIDERS))
async def test_bad_credentials_fail_at_once_without_retries(name, tiny_clip, shot, refs, sleeps, tmp_path):
    server_cls, make, _, _ = PROVIDERS[name]
    out = tmp_path / "s1.mp4"
    with server_cls(tiny_clip) as server:
        with pytest.raises(ProviderError) as caught:
            await make(server, _policy(sleeps), good_key=False).generate(shot, refs, 3.0, RESOLUTION, out)
    assert caught.value.status == 401 and not caught.value.retryable
    assert "rejected the credentials" in str(caught.value)
    assert len(server.requests) == 1
    assert sleeps.delays == []
    assert not out.exists()


# -- what goes over the wire ---------------------------------------------------


async def test_veo_sends_vertex_request_with_start_image(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeVeoServer(tiny_clip) as server:
        await _veo(server, _policy(sleeps)).generate(shot, refs, 5.0, RESOLUTION, tmp_path / "s1.mp4")
    body = server.requests[0].json
    instance, params = body["instances"][0], body["parameters"]
    assert "Medium shot" in instance["prompt"] and "dolly in" in instance["prompt"]
    with Image.open(io.BytesIO(base64.b64decode(instance["image"]["bytesBase64Encoded"]))) as img:
        assert img.size == (1280, 720)
    assert params["durationSeconds"] == 6, "5 s is covered by Veo 3's 6 s clip"
    assert params["aspectRatio"] == "16:9" and params["resolution"] == "720p"
    assert params["generateAudio"] is False and params["sampleCount"] == 1


async def test_veo_operation_error_is_reported(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeVeoServer(tiny_clip, op_error="Video generation failed due to an internal policy") as server:
        with pytest.raises(ProviderError, match="internal policy"):
            await _veo(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, tmp_path / "s1.mp4")


async def test_veo_fetches_a_clip_given_by_uri_with_the_key(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeVeoServer(tiny_clip, video_uri="http") as server:
        asset = await _veo(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, tmp_path / "s1.mp4")
    download = [r for r in server.requests if r.path.startswith("/files/")]
    assert len(download) == 1 and download[0].headers["x-goog-api-key"] == server.api_key
    assert Path(asset.path).read_bytes() == tiny_clip


async def test_veo_clip_in_a_bucket_is_a_clear_error(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeVeoServer(tiny_clip, video_uri="gs://bucket/clip.mp4") as server:
        with pytest.raises(ProviderError, match="gs://bucket/clip.mp4"):
            await _veo(server, _policy(sleeps)).generate(shot, refs, 3.0, RESOLUTION, tmp_path / "s1.mp4")


async def test_sora_sends_allowed_length_size_and_a_matching_reference(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeSoraServer(tiny_clip) as server:
        asset = await _sora(server, _policy(sleeps)).generate(shot, refs, 6.5, (1920, 1080), tmp_path / "s1.mp4")
    form = server.requests[0].form
    assert (form["seconds"], form["size"], form["model"]) == ("8", "1280x720", "sora-2")
    assert "Mara opens the lighthouse door" in form["prompt"]
    assert form["input_reference"]["content_type"] == "image/png"
    assert asset.metadata["size"] == "1280x720"


def test_sora_size_follows_orientation_and_model():
    assert sora_size((1280, 720), "sora-2") == "1280x720"
    assert sora_size((720, 1280), "sora-2") == "720x1280"
    assert sora_size((1920, 1080), "sora-2-pro") == "1792x1024"
    assert sora_size((1080, 1920), "sora-2-pro") == "1024x1792"


async def test_kling_signs_each_request_and_sends_a_bare_base64_image(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeKlingServer(tiny_clip) as server:
        await _kling(server, _policy(sleeps)).generate(shot, refs, 7.0, RESOLUTION, tmp_path / "s1.mp4")
    create = server.requests[0]
    assert create.path == "/v1/videos/image2video"
    body = create.json
    assert body["duration"] == "10" and body["mode"] == "std" and body["model_name"] == "kling-v2-1"
    with Image.open(io.BytesIO(base64.b64decode(body["image"], validate=True))) as img:
        assert img.size == (1280, 720)
    media = [r for r in server.requests if r.path.startswith("/media/")]
    assert media and "authorization" not in media[0].headers, "the token must not go to the CDN"


async def test_kling_without_references_uses_text2video(tiny_clip, shot, sleeps, tmp_path):
    with FakeKlingServer(tiny_clip) as server:
        asset = await _kling(server, _policy(sleeps)).generate(shot, [], 3.0, (720, 1280), tmp_path / "s1.mp4")
    assert server.requests[0].path == "/v1/videos/text2video"
    assert server.requests[0].json["aspect_ratio"] == "9:16"
    assert asset.metadata["endpoint"] == "text2video"


def test_kling_jwt_claims():
    token = kling_jwt("ak", "sk", now=1_000_000, ttl=1800)
    head, claims, _ = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) if i < 2 else p
                       for i, p in enumerate(token.split(".")))
    assert head == {"alg": "HS256", "typ": "JWT"}
    assert claims == {"iss": "ak", "exp": 1_001_800, "nbf": 999_995}


def test_retry_after_forms():
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


# -- with the service ------------------------------------------------------------


async def test_service_reuses_a_rendered_clip_without_asking_the_provider(tiny_clip, shot, refs, sleeps, tmp_path):
    with FakeSoraServer(tiny_clip) as server:
        service = ClipService(_sora(server, _policy(sleeps)), tmp_path / "cache", resolution=RESOLUTION, fps=24)
        first = await service.generate(ClipJob(shot, refs, 3.0, tmp_path / "run1" / "s1.mp4"))
        before = len(server.requests)
        again = await service.generate(ClipJob(shot, refs, 3.0, tmp_path / "run2" / "s1.mp4"))
    assert len(server.requests) == before
    assert again.metadata["cached"] is True and first.metadata["cached"] is False
    assert Path(again.path).read_bytes() == tiny_clip
    assert again.input_hash == first.input_hash


async def test_service_timeout_on_a_slow_provider_leaves_the_run_folder_clean(tiny_clip, shot, refs, sleeps, tmp_path):
    clips = tmp_path / "run" / "clips"
    with FakeKlingServer(tiny_clip, pending_polls=10_000) as server:
        service = ClipService(_kling(server, _policy(sleeps)), tmp_path / "cache", timeout=0.2)
        with pytest.raises(ProviderError, match="s1"):
            await service.generate(ClipJob(shot, refs, 3.0, clips / "s1.mp4"))
    assert not clips.exists() or list(clips.iterdir()) == []
