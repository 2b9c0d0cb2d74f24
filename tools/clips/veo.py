"""Google Veo through the google-genai SDK, on Vertex AI.

google-genai 3.x only offers `models.generate_videos` in Vertex AI mode (Veo
was retired from the Gemini Developer API), so the client runs as Vertex AI
in express mode: an API key, no project. The SDK then speaks:

- `POST {base}/v1beta1/publishers/google/models/{model}:predictLongRunning`
  with `instances[0].prompt/image` and `parameters`, answered by an
  operation name;
- `POST {base}/v1beta1/{model resource}:fetchPredictOperation` with
  `{"operationName": ...}` until `done`, then `response.videos[0]` carries
  the clip inline as `bytesBase64Encoded` (or a `gcsUri` when the request
  named a bucket, which this adapter never does).

The SDK's own retries stay off: `with_retries` owns backoff so all providers
honour `Retry-After` the same way.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.clips._retry import (
    RetryPolicy,
    TransientError,
    auth_error,
    is_transient_status,
    retry_after_seconds,
    transport_error_types,
    with_retries,
)
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash
from filmcrew.tools.clips.service import (
    clip_asset_from_file,
    covering_duration,
    fit_reference_image,
    primary_reference,
    shot_prompt,
)

from filmcrew.errors import ConfigurationError, ProviderError

__all__ = ["VeoGenerator"]

log = logging.getLogger(__name__)

_NEGATIVE = "on-screen text, subtitles, watermark, logo, distorted faces"
_KEY_FIX = "check GEMINI_API_KEY (or GOOGLE_API_KEY): the key needs Vertex AI access"


class VeoGenerator(ClipGenerator):
    """Renders a shot with Veo; the shot's primary reference is the start frame."""

    name = "veo"
    DEFAULT_MODEL = "veo-3.0-fast-generate-001"

    def __init__(
        self,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        poll_interval: float = 5.0,
        request_timeout: float = 120.0,
        retry: RetryPolicy | None = None,
        generate_audio: bool = False,
    ):
        if not api_key:
            raise ConfigurationError("VeoGenerator needs an API key: set GEMINI_API_KEY (or GOOGLE_API_KEY)")
        self.api_key = api_key
        self.model = model
        self.base_url = base_url
        self.poll_interval = poll_interval
        self.request_timeout = request_timeout
        self.retry = retry or RetryPolicy()
        _sdk()  # fail at construction, not mid-film, when the extra is missing
        # filmcrew designs the soundtrack itself; Veo 3's own audio would only be muted later.
        self.generate_audio = generate_audio

    def describe(self) -> str:
        return f"veo ({self.model})"

    @property
    def _is_veo3(self) -> bool:
        return not self.model.startswith("veo-2")

    def allowed_seconds(self) -> tuple[int, ...]:
        return (4, 6, 8) if self._is_veo3 else (5, 6, 7, 8)

    def _client(self) -> Any:
        genai, types, _ = _sdk()
        options: dict[str, Any] = {"timeout": int(self.request_timeout * 1000)}
        if self.base_url:
            options["base_url"] = self.base_url
        return genai.Client(vertexai=True, api_key=self.api_key, http_options=types.HttpOptions(**options))

    async def generate(
        self,
        shot: Shot,
        references: Sequence[ReferenceImage],
        duration: float,
        resolution: tuple[int, int],
        out_path: Path,
        *,
        fps: int = 24,
        look: dict[str, Any] | None = None,
    ) -> ClipAsset:
        _, types, _ = _sdk()
        width, height = resolution
        landscape = width >= height
        hd = min(width, height) >= 1080 and self._is_veo3
        frame = (1920, 1080) if hd else (1280, 720)
        frame = frame if landscape else (frame[1], frame[0])
        seconds = int(covering_duration(duration, self.allowed_seconds()))
        prompt = shot_prompt(shot, look)
        ref = primary_reference(shot, references)

        source = types.GenerateVideosSource(
            prompt=prompt,
            image=types.Image(image_bytes=fit_reference_image(ref.path, frame), mime_type="image/png") if ref else None,
        )
        config_args: dict[str, Any] = {
            "number_of_videos": 1,
            "duration_seconds": seconds,
            "aspect_ratio": "16:9" if landscape else "9:16",
            "negative_prompt": _NEGATIVE,
        }
        if self._is_veo3:
            config_args["resolution"] = "1080p" if hd else "720p"
            config_args["generate_audio"] = self.generate_audio
        config = types.GenerateVideosConfig(**config_args)

        client = self._client()
        try:
            operation = await self._call(
                lambda: client.aio.models.generate_videos(model=self.model, source=source, config=config),
                shot,
                f"starting shot {shot.id}",
            )
            polls = 0
            while not operation.done:
                await asyncio.sleep(self.poll_interval)
                polls += 1
                operation = await self._call(
                    lambda op=operation: client.aio.operations.get(op), shot, f"checking shot {shot.id}"
                )
            video = self._finished_video(operation, shot)
            metadata = {
                "model": self.model,
                "operation": operation.name,
                "prompt": prompt,
                "requested_duration": duration,
                "provider_duration": seconds,
                "reference": ref.name if ref else None,
                "polls": polls,
            }
            input_hash = clip_input_hash(self.name, shot, references, duration, resolution, fps, look)
            with atomic_path(Path(out_path)) as tmp:
                if video.video_bytes:
                    await asyncio.to_thread(_write_bytes, tmp, video.video_bytes)
                else:
                    await self._download_uri(video.uri or "", tmp, shot)
                asset = await asyncio.to_thread(
                    clip_asset_from_file, tmp, shot=shot, provider=self.name, input_hash=input_hash, metadata=metadata
                )
        finally:
            await client.aio.aclose()
        return asset.model_copy(update={"path": str(out_path)})

    def _finished_video(self, operation: Any, shot: Shot) -> Any:
        if operation.error:
            err = operation.error if isinstance(operation.error, dict) else {"message": str(operation.error)}
            raise ProviderError(
                f"veo could not render shot {shot.id}: {err.get('message') or err} (code {err.get('code')})",
                provider=self.name,
            )
        response = operation.response or operation.result
        videos = list(response.generated_videos or []) if response else []
        if not videos or videos[0].video is None:
            reasons = list(response.rai_media_filtered_reasons or []) if response else []
            why = "; ".join(reasons) if reasons else "the operation finished without a video"
            raise ProviderError(f"veo refused shot {shot.id}: {why}", provider=self.name)
        return videos[0].video

    async def _download_uri(self, uri: str, target: Path, shot: Shot) -> None:
        if not uri.startswith(("http://", "https://")):
            raise ProviderError(
                f"veo stored shot {shot.id} at {uri or 'an unknown place'}, which filmcrew cannot fetch: "
                "do not set an output bucket for Veo",
                provider=self.name,
            )
        import httpx

        async def fetch() -> None:
            try:
                async with httpx.AsyncClient(timeout=self.request_timeout, follow_redirects=True) as http:
                    async with http.stream("GET", uri, headers={"x-goog-api-key": self.api_key}) as resp:
                        if resp.status_code in (401, 403):
                            raise auth_error(self.name, resp.status_code, "video download refused", _KEY_FIX)
                        if is_transient_status(resp.status_code):
                            raise TransientError(
                                f"download answered {resp.status_code}",
                                status=resp.status_code,
                                retry_after=retry_after_seconds(resp.headers),
                            )
                        if resp.status_code >= 400:
                            raise ProviderError(
                                f"veo video download for shot {shot.id} failed ({resp.status_code})",
                                provider=self.name,
                                status=resp.status_code,
                            )
                        with open(target, "wb") as fh:
                            async for chunk in resp.aiter_bytes():
                                fh.write(chunk)
            except httpx.TransportError as exc:
                raise TransientError(f"download connection failed: {exc}") from exc

        await with_retries(fetch, provider=self.name, what=f"downloading shot {shot.id}", policy=self.retry)

    async def _call(self, make_call: Any, shot: Shot, what: str) -> Any:
        """One SDK request under the shared retry policy, errors mapped to ours."""
        _, _, errors = _sdk()
        transport = transport_error_types()

        async def attempt() -> Any:
            try:
                return await make_call()
            except errors.APIError as exc:
                raise self._map_error(exc, shot) from exc
            except transport as exc:
                raise TransientError(f"connection failed: {exc}") from exc

        return await with_retries(attempt, provider=self.name, what=what, policy=self.retry)

    def _map_error(self, exc: Any, shot: Shot) -> Exception:
        status = getattr(exc, "code", None)
        reason = getattr(exc, "message", None) or str(exc)
        # Google answers a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID.
        if status in (401, 403) or (status == 400 and "API_KEY_INVALID" in str(getattr(exc, "details", ""))):
            return auth_error(self.name, status, reason, _KEY_FIX)
        if is_transient_status(status):
            headers = getattr(getattr(exc, "response", None), "headers", None)
            label = f"{status} {getattr(exc, 'status', '') or ''}".strip()
            return TransientError(f"{label}: {reason}", status=status, retry_after=retry_after_seconds(headers))
        return ProviderError(f"veo rejected shot {shot.id} ({status}): {reason}", provider=self.name, status=status)


def _sdk() -> tuple[Any, Any, Any]:
    try:
        from google import genai
        from google.genai import errors, types
    except ImportError as exc:
        raise ConfigurationError("the veo clip provider needs google-genai: pip install 'filmcrew[gemini]'") from exc
    return genai, types, errors


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
