"""Bounded retries with exponential backoff for the remote clip providers.

Each provider turns what its SDK or HTTP client raised into one of two things:
a `TransientError` (rate limit, server error, dropped connection: worth
another try, after the wait the server asked for in `Retry-After` if it gave
one) or a `ProviderError` (bad key, refused content, invalid request: another
try would fail the same way). `with_retries` then owns the loop, so the three
providers back off the same way and the tests can watch the waits through
`RetryPolicy.sleep` instead of sleeping for real.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from filmcrew._http import retry_after_seconds
from filmcrew.errors import ProviderError

__all__ = [
    "RetryPolicy",
    "TransientError",
    "with_retries",
    "retry_after_seconds",
    "is_transient_status",
    "auth_error",
    "transport_error_types",
]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to try one request and how long to wait in between.

    `attempts` counts the first try. A server's `Retry-After` wins over the
    computed backoff but is still capped at `max_delay`, so a confused server
    cannot park a film for an hour.
    """

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """Wait before try `attempt + 1`: doubling, with jitter so parallel clips
        that were throttled together do not come back together."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling * random.uniform(0.5, 1.0)


class TransientError(Exception):
    """A failure another try may fix; `retry_after` is the server's wish, in seconds."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    provider: str,
    what: str,
    policy: RetryPolicy,
) -> T:
    """Await `call()` until it succeeds, raises a non-transient error, or the
    attempts run out (then a `ProviderError` with `retryable=True`)."""
    attempts = max(1, policy.attempts)
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except TransientError as exc:
            if attempt == attempts:
                raise ProviderError(
                    f"{provider}: {what} still failing after {attempts} attempts: {exc}; try again later",
                    provider=provider,
                    status=exc.status,
                    retryable=True,
                ) from exc
            delay = exc.retry_after if exc.retry_after is not None else policy.backoff(attempt)
            delay = max(0.0, min(delay, policy.max_delay))
            log.warning("%s: %s failed (%s); retry %d/%d in %.2fs", provider, what, exc, attempt, attempts - 1, delay)
            await policy.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def is_transient_status(status: int | None) -> bool:
    """Statuses worth another try: timeouts, throttling and server-side failures."""
    return status is not None and (status in (408, 425, 429) or 500 <= status <= 599)


def auth_error(provider: str, status: int | None, reason: str, fix: str) -> ProviderError:
    """A rejected key is never retried: the message names what to fix."""
    return ProviderError(
        f"{provider} rejected the credentials ({status}): {reason}; {fix}",
        provider=provider,
        status=status,
        retryable=False,
    )


def transport_error_types() -> tuple[type[BaseException], ...]:
    """Connection-level failures of the HTTP stacks the SDKs use (httpx and
    its fork httpx2), so a dropped connection is retried like a 503."""
    found: list[type[BaseException]] = [ConnectionError]
    for module_name in ("httpx", "httpx2"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        kind = getattr(module, "TransportError", None)
        if isinstance(kind, type):
            found.append(kind)
    return tuple(found)
