"""OpenAI Sora through the openai SDK's videos API.

The SDK speaks `POST {base}/videos` (multipart: prompt, model, seconds, size,
input_reference), `GET {base}/videos/{id}` until `status` is `completed` or
`failed`, and `GET {base}/videos/{id}/content` for the MP4. Sora only takes a
few lengths and sizes; the allowed values are read from the installed SDK's
types, so a newer SDK widens them without a change here.

OpenAI scheduled the Sora API to shut down on 2026-09-24; the adapter stays
for OpenAI-compatible servers that keep the videos API.
"""

from __future__ import annotations

import logging
import math
import typing
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Unpack

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.tools.clips._remote import RemoteClipGenerator, RemoteOptions
from filmcrew.tools.clips._retry import TransientError, auth_error, is_transient_status, retry_after_seconds
from filmcrew.tools.clips.base import clip_input_hash
from filmcrew.tools.clips.references import fit_reference_image, primary_reference
from filmcrew.tools.clips.shots import covering_duration, shot_prompt

from filmcrew.errors import ConfigurationError, ProviderError

__all__ = ["SoraGenerator", "sora_size"]

log = logging.getLogger(__name__)

# The SDK marks every videos call deprecated (the shutdown notice); the user
# chose this provider, so one notice per call would only be noise.
warnings.filterwarnings("ignore", message="The Sora API is scheduled", category=DeprecationWarning)

_FALLBACK_SECONDS = ("4", "8", "12")
_FALLBACK_SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
_KEY_FIX = "check OPENAI_API_KEY"


def _sdk_choices(type_name: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
    try:
        module = __import__(f"openai.types.{type_name}", fromlist=["_"])
        alias = getattr(module, "".join(part.title() for part in type_name.split("_")))
        values = tuple(v for v in typing.get_args(alias) if isinstance(v, str))
    except (ImportError, AttributeError):
        values = ()
    return values or fallback


def sora_size(resolution: tuple[int, int], model: str, sizes: Sequence[str] | None = None) -> str:
    """The allowed size nearest `resolution`: same orientation, then aspect
    ratios within a few percent count as equal and the closest pixel count
    wins. Only `-pro` models get the large sizes."""
    width, height = resolution
    options = list(sizes or _sdk_choices("video_size", _FALLBACK_SIZES))
    parsed = [(s, *map(int, s.split("x"))) for s in options]
    if "pro" not in model:
        parsed = [p for p in parsed if max(p[1], p[2]) <= 1280] or parsed
    same_side = [p for p in parsed if (p[1] >= p[2]) == (width >= height)] or parsed
    target_ratio = width / height
    # 1792x1024 is 7:4, close enough to 16:9 that resolution should decide.
    best = min(
        same_side,
        key=lambda p: (int(abs(math.log((p[1] / p[2]) / target_ratio)) / 0.05), abs(p[1] * p[2] - width * height)),
    )
    return best[0]


class SoraGenerator(RemoteClipGenerator):
    """Renders a shot with Sora; the shot's primary reference guides the first frame."""

    name = "sora"
    DEFAULT_MODEL = "sora-2"

    def __init__(self, api_key: str, **options: Unpack[RemoteOptions]):
        if not api_key:
            raise ConfigurationError("SoraGenerator needs an API key: set OPENAI_API_KEY")
        _sdk()
        super().__init__(**options)
        self.api_key = api_key

    def allowed_seconds(self) -> tuple[int, ...]:
        return tuple(int(v) for v in _sdk_choices("video_seconds", _FALLBACK_SECONDS))

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
        openai = _sdk()
        size = sora_size(resolution, self.model)
        frame = tuple(int(v) for v in size.split("x"))
        seconds = int(covering_duration(duration, self.allowed_seconds()))
        prompt = shot_prompt(shot, look)
        ref = primary_reference(shot, references)
        create_args: dict[str, Any] = {"model": self.model, "prompt": prompt, "seconds": str(seconds), "size": size}
        if ref is not None:
            # Sora rejects a reference whose size differs from the output size.
            create_args["input_reference"] = ("reference.png", fit_reference_image(ref.path, frame), "image/png")

        async with openai.AsyncOpenAI(
            api_key=self.api_key, base_url=self.base_url, max_retries=0, timeout=self.request_timeout
        ) as client:
            video = await self._call(lambda: client.videos.create(**create_args), shot, f"starting shot {shot.id}")
            video, polls = await self._poll(
                video,
                lambda v: v.status in ("completed", "failed"),
                lambda v: self._call(lambda: client.videos.retrieve(v.id), shot, f"checking shot {shot.id}"),
            )
            if video.status == "failed":
                err = video.error
                reason = f"{err.message} ({err.code})" if err is not None else "the job failed without a reason"
                raise ProviderError(f"sora could not render shot {shot.id}: {reason}", provider=self.name)

            metadata = self._clip_metadata(
                {"video_id": video.id}, prompt=prompt, duration=duration, seconds=seconds, ref=ref, polls=polls, size=size
            )
            input_hash = clip_input_hash(self.name, shot, references, duration, resolution, fps, look)

            async def write(tmp: Path) -> None:
                async def download() -> None:
                    stream = client.videos.with_streaming_response.download_content(video.id, variant="video")
                    async with stream as resp:
                        await resp.stream_to_file(tmp)

                # The MP4 comes through the SDK (same auth and error mapping), not `stream_download`.
                await self._call(download, shot, f"downloading shot {shot.id}")

            return await self._store_clip(out_path, write, shot=shot, input_hash=input_hash, metadata=metadata)

    async def _call(self, make_call: Any, shot: Shot, what: str) -> Any:
        """One SDK request under the shared retry policy, errors mapped to ours."""
        openai = _sdk()
        return await self._sdk_call(
            make_call,
            what,
            status_error=openai.APIStatusError,
            connection_errors=openai.APIConnectionError,
            map_status=lambda exc: self._map_status(exc, shot),
        )

    def _map_status(self, exc: Any, shot: Shot) -> Exception:
        status = exc.status_code
        body = exc.body if isinstance(exc.body, dict) else {}
        # The SDK unwraps {"error": {...}}; older servers may not.
        detail = body.get("error") if isinstance(body.get("error"), dict) else body
        reason = detail.get("message") or exc.message
        if status in (401, 403):
            return auth_error(self.name, status, reason, _KEY_FIX)
        if is_transient_status(status):
            wait = retry_after_seconds(exc.response.headers)
            return TransientError(f"{status}: {reason}", status=status, retry_after=wait)
        code = detail.get("code")
        return ProviderError(
            f"sora rejected shot {shot.id} ({status}{', ' + str(code) if code else ''}): {reason}",
            provider=self.name,
            status=status,
        )


def _sdk() -> Any:
    try:
        import openai
    except ImportError as exc:
        raise ConfigurationError("the sora clip provider needs the openai SDK: pip install 'openai>=1.93'") from exc
    return openai
