"""What the remote clip providers (Veo, Sora, Kling) do the same way.

Each adapter keeps its own wire protocol: how it builds the request, which
client speaks it, how it reads a finished or failed job. The steps around
that protocol are the same for all three, so they live here once and a fix
lands in every provider:

- `RemoteClipGenerator`: the settings every remote provider takes (model,
  base URL, poll interval, per-request timeout, retry policy), one SDK call
  under the retry policy, the poll loop that waits for a job, and the last
  step that moves the clip into place and reads it back as a `ClipAsset`;
- `stream_download`: fetching a finished video over plain HTTP, under the
  same retry policy.

Nothing here puts a deadline on a render: `ClipService` times out each clip
as a whole, whichever provider renders it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypedDict, TypeVar

from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.clips._retry import (
    RetryPolicy,
    TransientError,
    auth_error,
    is_transient_status,
    retry_after_seconds,
    with_retries,
)
from filmcrew.tools.clips.base import ClipGenerator
from filmcrew.tools.clips.shots import clip_asset_from_file

from filmcrew.errors import ProviderError

__all__ = ["NEGATIVE_PROMPT", "RemoteClipGenerator", "RemoteOptions", "stream_download"]

T = TypeVar("T")
J = TypeVar("J")

# What no clip should show, for the providers that take a negative prompt (Veo, Kling).
NEGATIVE_PROMPT = "on-screen text, subtitles, watermark, logo, distorted faces"


class RemoteOptions(TypedDict, total=False):
    """The keyword settings every remote provider accepts; a provider's own
    `__init__` takes them as `**options` and passes them on, so the defaults
    are written once, in `RemoteClipGenerator.__init__`."""

    model: str
    base_url: str | None
    poll_interval: float
    request_timeout: float
    retry: RetryPolicy | None


class RemoteClipGenerator(ClipGenerator):
    """A `ClipGenerator` that renders on a provider's servers: start a job,
    poll it until it finishes, then fetch the clip.

    Subclasses set `name` and `DEFAULT_MODEL`, check their credentials, and
    write `generate` in their own protocol using the helpers below.
    """

    DEFAULT_MODEL: ClassVar[str]

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        poll_interval: float = 5.0,
        request_timeout: float = 120.0,
        retry: RetryPolicy | None = None,
    ):
        self.model = self.DEFAULT_MODEL if model is None else model
        self.base_url = base_url
        self.poll_interval = poll_interval
        self.request_timeout = request_timeout
        self.retry = retry or RetryPolicy()

    def describe(self) -> str:
        return f"{self.name} ({self.model})"

    async def _retrying(self, attempt: Callable[[], Awaitable[T]], what: str) -> T:
        """`attempt()` under this provider's retry policy."""
        return await with_retries(attempt, provider=self.name, what=what, policy=self.retry)

    async def _sdk_call(
        self,
        make_call: Callable[[], Awaitable[T]],
        what: str,
        *,
        status_error: type[BaseException],
        connection_errors: type[BaseException] | tuple[type[BaseException], ...],
        map_status: Callable[[Any], Exception],
    ) -> T:
        """One SDK request under the retry policy: the SDK's HTTP-status error
        becomes what `map_status` makes of it (auth, transient or final), a
        dropped connection a `TransientError`. The SDK's own retries must be
        off, so backoff and `Retry-After` are handled here alike for all."""

        async def attempt() -> T:
            try:
                return await make_call()
            except status_error as exc:
                raise map_status(exc) from exc
            except connection_errors as exc:
                raise TransientError(f"connection failed: {exc}") from exc

        return await self._retrying(attempt, what)

    async def _poll(self, job: J, done: Callable[[J], bool], check: Callable[[J], Awaitable[J]]) -> tuple[J, int]:
        """Check `job` every `poll_interval` seconds until `done(job)`; returns
        the last state and how many checks it took (the clip's `polls`)."""
        polls = 0
        while not done(job):
            await asyncio.sleep(self.poll_interval)
            polls += 1
            job = await check(job)
        return job, polls

    def _clip_metadata(
        self,
        job: Mapping[str, Any],
        *,
        prompt: str,
        duration: float,
        seconds: int,
        ref: ReferenceImage | None,
        polls: int,
        **settings: Any,
    ) -> dict[str, Any]:
        """What every remote clip records: the model, `job` (the provider's ids
        for the render), the prompt sent, the length asked for and the length
        rendered, provider `settings`, the reference used and the poll count.
        The keys keep the order the adapters have always written, since the
        metadata lands in the cache's JSON sidecar."""
        return {
            "model": self.model,
            **job,
            "prompt": prompt,
            "requested_duration": duration,
            "provider_duration": seconds,
            **settings,
            "reference": ref.name if ref else None,
            "polls": polls,
        }

    async def _store_clip(
        self,
        out_path: Path,
        write: Callable[[Path], Awaitable[None]],
        *,
        shot: Shot,
        input_hash: str,
        metadata: Mapping[str, Any],
    ) -> ClipAsset:
        """`write` the clip to a temporary file beside `out_path`, read it back
        as a `ClipAsset` (a `ProviderError` if it is not a playable video), and
        only then move it to `out_path`: a failed or cancelled fetch leaves
        nothing behind in the run folder."""
        with atomic_path(Path(out_path)) as tmp:
            await write(tmp)
            asset = await asyncio.to_thread(
                clip_asset_from_file, tmp, shot=shot, provider=self.name, input_hash=input_hash, metadata=metadata
            )
        return asset.model_copy(update={"path": str(out_path)})


async def stream_download(
    url: str,
    target: Path,
    *,
    provider: str,
    shot_id: str,
    policy: RetryPolicy,
    http: Any | None = None,
    timeout: float = 120.0,
    headers: Mapping[str, str] | None = None,
    auth_fix: str | None = None,
) -> None:
    """Stream `url` into `target` under `policy`.

    `http` is an open httpx client to send it through; without one, each
    attempt opens its own client (`timeout`, following redirects). `headers`
    go with the request: only where the host wants credentials, never to a
    CDN. With `auth_fix`, a 401/403 is a credentials error that says how to
    fix them; without it, like any other status from 400 up, a final
    `ProviderError`. Throttling, server faults and dropped connections are
    retried.
    """
    import httpx

    async def attempt() -> None:
        try:
            if http is None:
                client: Any = httpx.AsyncClient(timeout=timeout, follow_redirects=True)
            else:
                # The caller owns its client: borrow it without closing it.
                client = contextlib.nullcontext(http)
            async with client as session:
                async with session.stream("GET", url, headers=headers) as resp:
                    status = resp.status_code
                    if auth_fix is not None and status in (401, 403):
                        raise auth_error(provider, status, "video download refused", auth_fix)
                    if is_transient_status(status):
                        raise TransientError(
                            f"download answered {status}", status=status, retry_after=retry_after_seconds(resp.headers)
                        )
                    if status >= 400:
                        raise ProviderError(
                            f"{provider} video download for shot {shot_id} failed ({status})",
                            provider=provider,
                            status=status,
                        )
                    with open(target, "wb") as fh:
                        async for chunk in resp.aiter_bytes():
                            fh.write(chunk)
        except httpx.TransportError as exc:
            raise TransientError(f"download connection failed: {exc}") from exc

    await with_retries(attempt, provider=provider, what=f"downloading shot {shot_id}", policy=policy)
