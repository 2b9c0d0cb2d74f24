"""The clip-generation service: what every provider needs around one shot.

A `ClipGenerator` only renders a shot. The service checks the reference
images before anything is spent, reuses a clip whose inputs did not change
(a cache keyed by `clip_input_hash`), limits how many clips render at once,
bounds each clip with a timeout, and reports progress. Which provider runs is
chosen in `providers.py`; the helpers providers share live in `references.py`
(reference images) and `shots.py` (prompts, lengths, measuring a clip file).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmcrew.errors import ConfigurationError, FilmcrewError, ProviderError
from filmcrew.memory.models import ClipAsset, ReferenceImage, Shot
from filmcrew.memory.rundir import atomic_path, atomic_write_text, file_digest
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash
from filmcrew.tools.clips.references import references_for_block, validate_references

# `validate_references` and `references_for_block` are re-exported: the
# service is where callers building jobs have always found them.
__all__ = ["ClipJob", "ClipService", "references_for_block", "validate_references"]

log = logging.getLogger(__name__)


ProgressCallback = Callable[[ClipAsset, int, int], None]


# -- the service ---------------------------------------------------------------


@dataclass
class ClipJob:
    """One clip to make: a shot, the block's shared references, and where it goes."""

    shot: Shot
    references: list[ReferenceImage]
    duration: float
    out_path: Path
    look: dict[str, Any] | None = None


class ClipService:
    """Runs a `ClipGenerator` over jobs with validation, a cache, a concurrency
    limit and a per-clip timeout.

    The cache lives in `cache_dir` as `<input hash>.mp4` beside a `<hash>.json`
    `ClipAsset`; the JSON is written last, so a sidecar always means a
    complete clip. Entries record the sha256 of their bytes and are checked
    on use; they are copied into place, never linked, so a run that rewrites
    its clip cannot damage the cache.
    """

    def __init__(
        self,
        generator: ClipGenerator,
        cache_dir: str | Path,
        *,
        resolution: tuple[int, int] = (1280, 720),
        fps: int = 24,
        concurrency: int = 2,
        timeout: float = 600.0,
    ):
        if concurrency < 1:
            raise ConfigurationError(f"clip concurrency must be at least 1, got {concurrency}")
        if timeout <= 0:
            raise ConfigurationError(f"clip timeout must be positive, got {timeout}")
        self.generator = generator
        self.cache_dir = Path(cache_dir)
        self.resolution = (int(resolution[0]), int(resolution[1]))
        self.fps = int(fps)
        self.concurrency = int(concurrency)
        self.timeout = float(timeout)
        self._semaphore: asyncio.Semaphore | None = None
        self._semaphore_loop: asyncio.AbstractEventLoop | None = None

    @property
    def provider(self) -> str:
        return self.generator.name

    def input_hash(self, job: ClipJob) -> str:
        return clip_input_hash(
            self.generator.name, job.shot, job.references, job.duration, self.resolution, self.fps, job.look,
            version=self.generator.version,
        )

    def _limit(self) -> asyncio.Semaphore:
        # A semaphore belongs to the loop it first waited on; a service reused
        # under a later asyncio.run() gets a fresh one.
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._semaphore_loop is not loop:
            self._semaphore = asyncio.Semaphore(self.concurrency)
            self._semaphore_loop = loop
        return self._semaphore

    async def generate(self, job: ClipJob) -> ClipAsset:
        """The clip for `job` at `job.out_path`, from the cache when its inputs match."""
        validate_references(job.references)
        key = self.input_hash(job)
        out_path = Path(job.out_path)
        cached = self._from_cache(key, job)
        if cached is not None:
            return cached
        async with self._limit():
            # A job with the same inputs may have filled the cache while this one waited.
            cached = self._from_cache(key, job)
            if cached is not None:
                return cached
            log.info("rendering shot %s with %s", job.shot.id, self.provider)
            try:
                asset = await asyncio.wait_for(
                    self.generator.generate(
                        job.shot,
                        job.references,
                        job.duration,
                        self.resolution,
                        out_path,
                        fps=self.fps,
                        look=job.look,
                    ),
                    self.timeout,
                )
            except TimeoutError:
                raise ProviderError(
                    f"{self.provider} did not finish shot {job.shot.id} within {self.timeout:g}s: "
                    "raise clips.timeout in the config or try again later",
                    provider=self.provider,
                    retryable=True,
                ) from None
        if not out_path.is_file():
            raise ProviderError(
                f"{self.provider} reported shot {job.shot.id} done but wrote no file at {out_path}",
                provider=self.provider,
            )
        metadata = {**asset.metadata, "cached": False}
        asset = asset.model_copy(update={"path": str(out_path), "input_hash": key, "metadata": metadata})
        self._store(key, asset, out_path)
        return asset

    async def generate_all(
        self,
        jobs: Iterable[ClipJob],
        on_progress: ProgressCallback | None = None,
    ) -> list[ClipAsset]:
        """All clips, in job order, rendered concurrently up to the limit.

        Every reference is checked before the first render. When a clip
        fails, the others still finish (they are paid for, and cached for the
        next run); then the failure is raised.
        """
        jobs = list(jobs)
        for job in jobs:
            validate_references(job.references)
        total = len(jobs)
        done = 0

        async def one(job: ClipJob) -> ClipAsset:
            nonlocal done
            asset = await self.generate(job)
            done += 1
            if on_progress is not None:
                on_progress(asset, done, total)
            return asset

        results = await asyncio.gather(*(one(job) for job in jobs), return_exceptions=True)
        failures = [(job, r) for job, r in zip(jobs, results, strict=True) if isinstance(r, BaseException)]
        if not failures:
            return [r for r in results if isinstance(r, ClipAsset)]
        for _, exc in failures:
            # Bugs and interrupts surface as themselves, not folded into a summary.
            if not isinstance(exc, FilmcrewError):
                raise exc
        if len(failures) == 1:
            raise failures[0][1]
        first_job, first = failures[0]
        listed = "; ".join(f"{job.shot.id}: {exc}" for job, exc in failures[:5])
        raise ProviderError(
            f"{len(failures)} of {total} clips failed ({listed}); the {total - len(failures)} finished clips are kept",
            provider=self.provider,
            status=getattr(first, "status", None),
            retryable=all(getattr(exc, "retryable", False) for _, exc in failures),
        ) from first

    # -- cache -----------------------------------------------------------------

    def _cache_paths(self, key: str) -> tuple[Path, Path]:
        return self.cache_dir / f"{key}.mp4", self.cache_dir / f"{key}.json"

    def _drop(self, key: str, why: str) -> None:
        clip, sidecar = self._cache_paths(key)
        log.warning("dropping clip cache entry %s: %s", key, why)
        clip.unlink(missing_ok=True)
        sidecar.unlink(missing_ok=True)

    def _from_cache(self, key: str, job: ClipJob) -> ClipAsset | None:
        clip, sidecar = self._cache_paths(key)
        if not (clip.is_file() and sidecar.is_file()) or clip.stat().st_size == 0:
            return None
        try:
            cached = ClipAsset.model_validate_json(sidecar.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            # A damaged sidecar costs one re-render, not a failed run.
            self._drop(key, f"unreadable sidecar ({exc})")
            return None
        # The entry is trusted only when its content is what was stored: a clip
        # damaged on disk (or by an older version that shared files by hard links)
        # is rendered again instead of spreading into every later run.
        recorded = cached.metadata.get(CONTENT_HASH_KEY)
        if not recorded or file_digest(clip) != recorded:
            self._drop(key, "content does not match its recorded hash" if recorded else "no content hash recorded")
            return None
        out_path = Path(job.out_path)
        _copy_into_place(clip, out_path)
        log.info("shot %s: reusing cached clip %s", job.shot.id, key)
        return cached.model_copy(
            update={
                "path": str(out_path),
                "shot_id": job.shot.id,
                "block_id": job.shot.block_id,
                "metadata": {**cached.metadata, "cached": True},
            }
        )

    def _store(self, key: str, asset: ClipAsset, out_path: Path) -> None:
        clip, sidecar = self._cache_paths(key)
        try:
            digest = file_digest(out_path)
            _copy_into_place(out_path, clip)
            entry = asset.model_copy(update={"path": str(clip), "metadata": {**asset.metadata, CONTENT_HASH_KEY: digest}})
            atomic_write_text(sidecar, entry.model_dump_json(indent=2))
        except OSError as exc:
            # The clip itself is done; a cache that cannot be written only costs a later re-render.
            log.warning("could not cache clip for shot %s in %s: %s", asset.shot_id, self.cache_dir, exc)


#: Sidecar metadata key holding the sha256 of the cached clip's bytes.
CONTENT_HASH_KEY = "content_sha256"


def _copy_into_place(src: Path, dst: Path) -> None:
    """Put a copy of `src`'s content at `dst` atomically.

    A copy, never a hard link: the run may rewrite its clip, and a link would
    rewrite the cache entry (and every other run's clip) with it.
    """
    dst = Path(dst)
    if dst.exists() and os.path.samefile(src, dst):
        return
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
