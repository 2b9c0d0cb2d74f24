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
from typing import Any, Unpack

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.tools.clips._remote import NEGATIVE_PROMPT, RemoteClipGenerator, RemoteOptions, stream_download
from filmcrew.tools.clips._retry import (
    TransientError,
    auth_error,
    is_transient_status,
    retry_after_seconds,
    transport_error_types,
)
from filmcrew.tools.clips.base import clip_input_hash
from filmcrew.tools.clips.references import fit_reference_image, primary_reference
from filmcrew.tools.clips.shots import covering_duration, shot_prompt

from filmcrew.errors import ConfigurationError, ProviderError

__all__ = ["VeoGenerator"]

log = logging.getLogger(__name__)

_KEY_FIX = "check GEMINI_API_KEY (or GOOGLE_API_KEY): the key needs Vertex AI access"


class VeoGenerator(RemoteClipGenerator):
    """Renders a shot with Veo; the shot's primary reference is the start frame."""

    name = "veo"
    DEFAULT_MODEL = "veo-3.0-fast-generate-001"

    def __init__(self, api_key: str, *, generate_audio: bool = False, **options: Unpack[RemoteOptions]):
        if not api_key:
            raise ConfigurationError("VeoGenerator needs an API key: set GEMINI_API_KEY (or GOOGLE_API_KEY)")
        super().__init__(**options)
        self.api_key = api_key
        _sdk()  # fail at construction, not mid-film, when the extra is missing
        # filmcrew designs the soundtrack itself; Veo 3's own audio would only be muted later.
        self.generate_audio = generate_audio

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
            "negative_prompt": NEGATIVE_PROMPT,
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
            operation, polls = await self._poll(
                operation,
                lambda op: op.done,
                lambda op: self._call(lambda: client.aio.operations.get(op), shot, f"checking shot {shot.id}"),
            )
            video = self._finished_video(operation, shot)
            metadata = self._clip_metadata(
                {"operation": operation.name}, prompt=prompt, duration=duration, seconds=seconds, ref=ref, polls=polls
            )
            input_hash = clip_input_hash(self.name, shot, references, duration, resolution, fps, look)

            async def write(tmp: Path) -> None:
                if video.video_bytes:
                    await asyncio.to_thread(_write_bytes, tmp, video.video_bytes)
                else:
                    await self._download_uri(video.uri or "", tmp, shot)

            return await self._store_clip(out_path, write, shot=shot, input_hash=input_hash, metadata=metadata)
        finally:
            await client.aio.aclose()

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
        # The file URL wants the API key too, so a 401/403 there means the key, as for the API.
        await stream_download(
            uri,
            target,
            provider=self.name,
            shot_id=shot.id,
            policy=self.retry,
            timeout=self.request_timeout,
            headers={"x-goog-api-key": self.api_key},
            auth_fix=_KEY_FIX,
        )

    async def _call(self, make_call: Any, shot: Shot, what: str) -> Any:
        """One SDK request under the shared retry policy, errors mapped to ours."""
        _, _, errors = _sdk()
        return await self._sdk_call(
            make_call,
            what,
            status_error=errors.APIError,
            connection_errors=transport_error_types(),
            map_status=lambda exc: self._map_error(exc, shot),
        )

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
