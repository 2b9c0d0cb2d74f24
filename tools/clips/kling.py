"""Kling through its HTTP API, with httpx.

Every request carries `Authorization: Bearer <JWT>`, an HS256 token signed
with the secret key whose `iss` is the access key; a fresh token per request,
so a long render never outlives its token. The protocol:

- `POST /v1/videos/image2video` (base64 start image, no `data:` prefix) or
  `POST /v1/videos/text2video` without a reference; both answer
  `{"code": 0, "data": {"task_id", "task_status"}}`.
- `GET /v1/videos/{image2video|text2video}/{task_id}` until `task_status` is
  `succeed` (then `task_result.videos[0].url`) or `failed` (then
  `task_status_msg` says why).

Errors come as an HTTP status plus a business `code`: 1000-1004 are
authentication, 1100-1199 account or balance (not worth retrying even when
sent as 429), 1302/1303 rate limits, 5000+ server faults.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Unpack

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.tools.clips._remote import NEGATIVE_PROMPT, RemoteClipGenerator, RemoteOptions, stream_download
from filmcrew.tools.clips._retry import TransientError, auth_error, is_transient_status, retry_after_seconds
from filmcrew.tools.clips.base import clip_input_hash
from filmcrew.tools.clips.references import fit_reference_image, primary_reference
from filmcrew.tools.clips.shots import covering_duration, shot_prompt

from filmcrew.errors import ConfigurationError, ProviderError

__all__ = ["KlingGenerator", "kling_jwt"]

log = logging.getLogger(__name__)

_KEY_FIX = "check KLING_ACCESS_KEY and KLING_SECRET_KEY"
_MAX_PROMPT = 2500
_RATE_LIMIT_CODES = (1302, 1303)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def kling_jwt(access_key: str, secret_key: str, *, ttl: int = 1800, now: float | None = None) -> str:
    """An HS256 JWT for Kling: `iss` = access key, valid from 5 s ago (clock
    skew) for `ttl` seconds."""
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT"}
    payload = {"iss": access_key, "exp": issued + ttl, "nbf": issued - 5}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    signature = hmac.new(secret_key.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


class KlingGenerator(RemoteClipGenerator):
    """Renders a shot with Kling; image-to-video from the shot's primary reference."""

    name = "kling"
    DEFAULT_MODEL = "kling-v2-1"
    DEFAULT_BASE_URL = "https://api-singapore.klingai.com"

    def __init__(self, access_key: str, secret_key: str, *, mode: str = "std", **options: Unpack[RemoteOptions]):
        if not access_key or not secret_key:
            raise ConfigurationError("KlingGenerator needs both keys: set KLING_ACCESS_KEY and KLING_SECRET_KEY")
        if mode not in ("std", "pro"):
            raise ConfigurationError(f"kling mode must be std or pro, got {mode!r}")
        super().__init__(**options)
        self.access_key = access_key
        self.secret_key = secret_key
        self.mode = mode
        # Unlike the SDK-based providers, Kling's plain HTTP client needs a host even when none is configured.
        self.base_url = (self.base_url or self.DEFAULT_BASE_URL).rstrip("/")

    def describe(self) -> str:
        return f"kling ({self.model}, {self.mode})"

    def allowed_seconds(self) -> tuple[int, ...]:
        return (5, 10)

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
        import httpx

        width, height = resolution
        ratio = width / height
        # Kling frames 16:9, 9:16 or 1:1; pick the nearest, and crop the start image to it.
        aspect, frame = min(
            (("16:9", (1280, 720)), ("9:16", (720, 1280)), ("1:1", (960, 960))),
            key=lambda a: abs(a[1][0] / a[1][1] - ratio),
        )
        seconds = int(covering_duration(duration, self.allowed_seconds()))
        prompt = shot_prompt(shot, look)[:_MAX_PROMPT]
        ref = primary_reference(shot, references)
        body: dict[str, Any] = {
            "model_name": self.model,
            "prompt": prompt,
            "negative_prompt": NEGATIVE_PROMPT,
            "duration": str(seconds),
            "mode": self.mode,
        }
        if ref is not None:
            endpoint = "image2video"
            body["image"] = base64.b64encode(fit_reference_image(ref.path, frame, fmt="JPEG")).decode("ascii")
        else:
            endpoint = "text2video"
            body["aspect_ratio"] = aspect

        async with httpx.AsyncClient(base_url=self.base_url, timeout=self.request_timeout) as http:
            data = await self._api(http, "POST", f"/v1/videos/{endpoint}", shot, f"starting shot {shot.id}", json=body)
            task_id = data.get("task_id")
            if not task_id:
                raise ProviderError(f"kling accepted shot {shot.id} but returned no task_id", provider=self.name)
            path = f"/v1/videos/{endpoint}/{task_id}"
            data, polls = await self._poll(
                data,
                lambda d: d.get("task_status") in ("succeed", "failed"),
                lambda _: self._api(http, "GET", path, shot, f"checking shot {shot.id}"),
            )
            if data["task_status"] == "failed":
                reason = data.get("task_status_msg") or "the task failed without a reason"
                raise ProviderError(f"kling could not render shot {shot.id}: {reason}", provider=self.name)
            videos = (data.get("task_result") or {}).get("videos") or []
            url = videos[0].get("url") if videos else None
            if not url:
                raise ProviderError(f"kling finished shot {shot.id} without a video url", provider=self.name)

            metadata = self._clip_metadata(
                {"mode": self.mode, "task_id": task_id, "endpoint": endpoint},
                prompt=prompt,
                duration=duration,
                seconds=seconds,
                ref=ref,
                polls=polls,
            )
            input_hash = clip_input_hash(self.name, shot, references, duration, resolution, fps, look)

            async def write(tmp: Path) -> None:
                # The result lives on Kling's CDN: no token goes with it, and a 401/403 is no key problem.
                await stream_download(url, tmp, provider=self.name, shot_id=shot.id, policy=self.retry, http=http)

            return await self._store_clip(out_path, write, shot=shot, input_hash=input_hash, metadata=metadata)

    async def _api(
        self, http: Any, method: str, path: str, shot: Shot, what: str, *, json: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """One API request under the retry policy; returns the envelope's `data`."""
        import httpx

        async def attempt() -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {kling_jwt(self.access_key, self.secret_key)}"}
            try:
                resp = await http.request(method, path, json=json, headers=headers)
            except httpx.TransportError as exc:
                raise TransientError(f"connection failed: {exc}") from exc
            try:
                envelope = resp.json()
            except ValueError:
                envelope = {}
            if not isinstance(envelope, dict):
                envelope = {}
            code = envelope.get("code")
            message = envelope.get("message") or resp.reason_phrase or "no message"
            status = resp.status_code
            if status in (401, 403) or (isinstance(code, int) and 1000 <= code < 1100):
                raise auth_error(self.name, status, f"{message} (code {code})", _KEY_FIX)
            if isinstance(code, int) and 1100 <= code < 1200:
                raise ProviderError(
                    f"kling refused shot {shot.id} for an account reason: {message} (code {code}); "
                    "check the Kling account's balance and resource packs",
                    provider=self.name,
                    status=status,
                )
            if is_transient_status(status) or code in _RATE_LIMIT_CODES or (isinstance(code, int) and code >= 5000):
                raise TransientError(
                    f"{status}: {message} (code {code})", status=status, retry_after=retry_after_seconds(resp.headers)
                )
            if status >= 400 or code not in (0, None):
                raise ProviderError(
                    f"kling rejected shot {shot.id} ({status}, code {code}): {message}",
                    provider=self.name,
                    status=status,
                )
            data = envelope.get("data")
            if not isinstance(data, dict):
                raise ProviderError(f"kling answered {what} without data: {message}", provider=self.name, status=status)
            return data

        return await self._retrying(attempt, what)
