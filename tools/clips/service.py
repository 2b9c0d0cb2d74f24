"""The clip-generation service: what every provider needs around one shot.

A `ClipGenerator` only renders a shot. The service checks the reference
images before anything is spent, reuses a clip whose inputs did not change
(a cache keyed by `clip_input_hash`), limits how many clips render at once,
bounds each clip with a timeout, and reports progress. `make_clip_generator`
picks the provider named in the config, importing its SDK only then, and
`describe_clip_providers` tells `filmcrew doctor` which providers can run.

The helpers the providers share live here too, so a user's own provider can
use them: `shot_prompt` (one shot's camera language as text),
`primary_reference`, `fit_reference_image` and `clip_asset_from_file`.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import io
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filmcrew.memory.models import ClipAsset, ReferenceImage, SceneBlock, Shot
from filmcrew.memory.rundir import atomic_path, atomic_write_text
from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash

from filmcrew.config import ClipConfig
from filmcrew.errors import ConfigurationError, FilmcrewError, InputError, ProviderError

__all__ = [
    "ClipJob",
    "ClipService",
    "validate_references",
    "references_for_block",
    "primary_reference",
    "shot_prompt",
    "fit_reference_image",
    "clip_asset_from_file",
    "covering_duration",
    "make_clip_generator",
    "describe_clip_providers",
    "CLIP_PROVIDERS",
]

log = logging.getLogger(__name__)

CLIP_PROVIDERS: tuple[str, ...] = ("previz", "veo", "sora", "kling")

ProgressCallback = Callable[[ClipAsset, int, int], None]


# -- reference images ----------------------------------------------------------


def validate_references(refs: Sequence[ReferenceImage]) -> None:
    """Raise `InputError` naming the first reference that is not a readable image.

    Runs before any generation: a paid provider must not render half a film
    and then trip over a typo in the last block's image path.
    """
    from PIL import Image, UnidentifiedImageError

    for ref in refs:
        path = Path(ref.path)
        label = f"reference image {ref.name!r} ({path})"
        if not path.exists():
            raise InputError(f"{label} does not exist: fix the path in the brief or remove the reference")
        if not path.is_file():
            raise InputError(f"{label} is not a file: point the reference at an image file (PNG or JPEG)")
        try:
            with Image.open(path) as img:
                img.verify()
        except PermissionError:
            raise InputError(f"{label} cannot be read (permission denied): make the file readable") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"{label} is not a readable image ({reason}): replace it with a PNG or JPEG") from None


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _names_match(a: str, b: str) -> bool:
    """True when one name's words appear, in order, inside the other's.

    Word-level rather than character-level containment: "Mara" matches
    "Mara Quinn" and "lighthouse" matches "the old lighthouse", but "Ann"
    does not match "Joanna".
    """
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def references_for_block(block: SceneBlock, refs: Sequence[ReferenceImage]) -> list[ReferenceImage]:
    """The references every shot of `block` shares: the characters it names
    (in the brief's order) and the one location image matching its place."""
    chosen: list[ReferenceImage] = []
    for ref in refs:
        if ref.kind == "character" and any(_names_match(ref.name, name) for name in block.characters):
            chosen.append(ref)
    for ref in refs:
        if ref.kind == "location" and _names_match(ref.name, block.location):
            chosen.append(ref)
            break
    return chosen


_WIDE_SIZES = {"extreme_wide", "wide", "full"}


def primary_reference(shot: Shot, refs: Sequence[ReferenceImage]) -> ReferenceImage | None:
    """The one reference a single-image provider should start from.

    Image-to-video models treat the image as the opening frame, so a wide
    shot starts from the location and a closer shot from the first character
    it shows; otherwise the first reference.
    """
    if not refs:
        return None
    locations = [r for r in refs if r.kind == "location"]
    characters = [r for r in refs if r.kind == "character"]
    if shot.shot_size in _WIDE_SIZES and locations:
        return locations[0]
    for name in shot.characters:
        for ref in characters:
            if _names_match(ref.name, name):
                return ref
    return characters[0] if characters else refs[0]


def fit_reference_image(path: str | Path, size: tuple[int, int], *, fmt: str = "PNG") -> bytes:
    """The image cropped to the clip's aspect ratio and scaled to `size`.

    Providers want the start image in the output's shape (Sora rejects any
    other size); cropping the centre here keeps all providers framing alike.
    """
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        fitted = ImageOps.fit(img, size, method=Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if fmt.upper() in ("JPEG", "JPG"):
        fitted.save(buf, format="JPEG", quality=92)
    else:
        fitted.save(buf, format="PNG")
    return buf.getvalue()


# -- prompts -------------------------------------------------------------------

_SIZE_WORDS = {
    "extreme_wide": "Extreme wide shot",
    "wide": "Wide shot",
    "full": "Full shot",
    "medium_wide": "Medium wide shot",
    "medium": "Medium shot",
    "medium_close_up": "Medium close-up",
    "close_up": "Close-up",
    "extreme_close_up": "Extreme close-up",
}
_MOVE_WORDS = {
    "static": "locked-off static camera",
    "pan": "slow pan",
    "tilt": "slow tilt",
    "dolly_in": "slow dolly in",
    "dolly_out": "slow dolly out",
    "truck": "lateral trucking move",
    "pedestal": "pedestal move",
    "crane": "crane move",
    "handheld": "handheld camera",
    "tracking": "tracking shot following the subject",
    "zoom_in": "slow zoom in",
    "zoom_out": "slow zoom out",
    "arc": "camera arcs around the subject",
    "whip_pan": "whip pan",
    "dolly_zoom": "dolly zoom (vertigo effect)",
}
_ANGLE_WORDS = {
    "eye_level": "eye-level angle",
    "high": "high angle",
    "low": "low angle",
    "overhead": "overhead top-down angle",
    "dutch": "dutch angle",
    "over_the_shoulder": "over-the-shoulder angle",
    "point_of_view": "point-of-view angle",
}


def shot_prompt(shot: Shot, look: Mapping[str, Any] | None = None) -> str:
    """One shot's camera language and action as a video-model prompt.

    Deterministic (same shot, same prompt), so the cache key and the prompt
    a provider saw always agree.
    """
    size = _SIZE_WORDS.get(shot.shot_size, shot.shot_size.replace("_", " "))
    angle = _ANGLE_WORDS.get(shot.angle, shot.angle.replace("_", " "))
    move = _MOVE_WORDS.get(shot.movement, shot.movement.replace("_", " "))
    parts = [f"{size}, {angle}, {shot.lens} lens, {move}.", _sentence(shot.action)]
    if shot.characters:
        parts.append("Characters: " + ", ".join(shot.characters) + ".")
    if shot.dialogue:
        # Sound is designed later; the picture only needs the speaker's mouth moving.
        parts.append(f"{shot.speaker or 'The character'} is speaking.")
    parts.append(f"Lighting: {shot.lighting}.")
    parts.append(f"Composition: {shot.composition}.")
    if look:
        parts.append("Look: " + "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in look.items()) + ".")
    parts.append("Cinematic, photorealistic; no on-screen text, subtitles or watermark.")
    return " ".join(p for p in parts if p)


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def covering_duration(requested: float, allowed: Iterable[float]) -> float:
    """The shortest allowed length that covers `requested` (else the longest):
    the editor can trim a clip that is too long, but cannot lengthen one."""
    options = sorted(allowed)
    for value in options:
        if value + 1e-6 >= requested:
            return value
    return options[-1]


# -- finished clips ------------------------------------------------------------


def clip_asset_from_file(
    path: str | Path,
    *,
    shot: Shot,
    provider: str,
    input_hash: str,
    metadata: Mapping[str, Any] | None = None,
) -> ClipAsset:
    """A `ClipAsset` with what the file really holds (duration, frames, fps,
    size); a `ProviderError` when the file is not a playable video."""
    from filmcrew.tools.media import count_frames, probe

    try:
        info = probe(path)
        frames = count_frames(path)
    except FilmcrewError as exc:
        raise ProviderError(
            f"{provider} returned a file for shot {shot.id} that is not a playable video: {exc}",
            provider=provider,
        ) from exc
    if info.video_codec is None or not info.width or not info.height:
        raise ProviderError(f"{provider} returned a file for shot {shot.id} without a video stream", provider=provider)
    fps = info.fps or (frames / info.duration if info.duration else 0.0)
    return ClipAsset(
        shot_id=shot.id,
        block_id=shot.block_id,
        path=str(path),
        duration=round(info.duration, 4),
        frames=frames,
        fps=max(1, round(fps)),
        width=info.width,
        height=info.height,
        provider=provider,
        input_hash=input_hash,
        metadata=dict(metadata or {}),
    )


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
    complete clip. Cached clips are hard-linked into place (copied across
    file systems).
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

    @classmethod
    def from_config(
        cls,
        cfg: ClipConfig,
        cache_dir: str | Path,
        *,
        generator: ClipGenerator | None = None,
        env: Mapping[str, str] | None = None,
    ) -> "ClipService":
        """A service with the config's size, fps, concurrency and timeout."""
        return cls(
            generator or make_clip_generator(cfg, env),
            cache_dir,
            resolution=(cfg.width, cfg.height),
            fps=cfg.fps,
            concurrency=cfg.concurrency,
            timeout=cfg.timeout,
        )

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

    def _from_cache(self, key: str, job: ClipJob) -> ClipAsset | None:
        clip, sidecar = self._cache_paths(key)
        if not (clip.is_file() and sidecar.is_file()) or clip.stat().st_size == 0:
            return None
        try:
            cached = ClipAsset.model_validate_json(sidecar.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            # A damaged sidecar costs one re-render, not a failed run.
            log.warning("ignoring unreadable clip cache entry %s: %s", sidecar, exc)
            return None
        out_path = Path(job.out_path)
        _link_or_copy(clip, out_path)
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
            _link_or_copy(out_path, clip)
            atomic_write_text(sidecar, asset.model_copy(update={"path": str(clip)}).model_dump_json(indent=2))
        except OSError as exc:
            # The clip itself is done; a cache that cannot be written only costs a later re-render.
            log.warning("could not cache clip for shot %s in %s: %s", asset.shot_id, self.cache_dir, exc)


def _link_or_copy(src: Path, dst: Path) -> None:
    """Put `src`'s content at `dst` atomically: a hard link, or a copy across devices."""
    dst = Path(dst)
    if dst.exists() and os.path.samefile(src, dst):
        return
    with atomic_path(dst) as tmp:
        tmp.unlink()
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)


# -- provider selection --------------------------------------------------------

_VEO_KEYS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
_SORA_KEY = "OPENAI_API_KEY"
_KLING_KEYS = ("KLING_ACCESS_KEY", "KLING_SECRET_KEY")


def _require_sdk(module: str, message: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError as exc:
        raise ConfigurationError(message) from exc


def _has_module(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def make_clip_generator(cfg: ClipConfig, env: Mapping[str, str] | None = None) -> ClipGenerator:
    """The provider `cfg.provider` names, with its key from `env` (default: the
    process environment); its SDK is imported only here."""
    env = os.environ if env is None else env
    options: dict[str, Any] = {"poll_interval": cfg.poll_interval}
    if cfg.model:
        options["model"] = cfg.model
    if cfg.base_url:
        options["base_url"] = cfg.base_url

    if cfg.provider == "previz":
        from filmcrew.tools.clips.previz import PrevizRenderer

        return PrevizRenderer()

    if cfg.provider == "veo":
        key = next((env[k] for k in _VEO_KEYS if env.get(k)), None)
        if not key:
            raise ConfigurationError(
                "clips.provider is veo but no API key is set: set GEMINI_API_KEY (or GOOGLE_API_KEY) "
                "to a key with Vertex AI access, or use clips.provider: previz"
            )
        _require_sdk("google.genai", "the veo clip provider needs google-genai: pip install 'filmcrew[gemini]'")
        from filmcrew.tools.clips.veo import VeoGenerator

        return VeoGenerator(api_key=key, **options)

    if cfg.provider == "sora":
        key = env.get(_SORA_KEY)
        if not key:
            raise ConfigurationError(
                "clips.provider is sora but OPENAI_API_KEY is not set: set it, or use clips.provider: previz"
            )
        _require_sdk("openai", "the sora clip provider needs the openai SDK: pip install 'openai>=1.93'")
        from filmcrew.tools.clips.sora import SoraGenerator

        return SoraGenerator(api_key=key, **options)

    if cfg.provider == "kling":
        missing = [k for k in _KLING_KEYS if not env.get(k)]
        if missing:
            raise ConfigurationError(
                f"clips.provider is kling but {' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set: set KLING_ACCESS_KEY and KLING_SECRET_KEY, "
                "or use clips.provider: previz"
            )
        _require_sdk("httpx", "the kling clip provider needs httpx: pip install 'httpx>=0.27'")
        from filmcrew.tools.clips.kling import KlingGenerator

        return KlingGenerator(access_key=env["KLING_ACCESS_KEY"], secret_key=env["KLING_SECRET_KEY"], **options)

    raise ConfigurationError(
        f"unknown clip provider {cfg.provider!r}: choose one of {', '.join(CLIP_PROVIDERS)}"
    )


def describe_clip_providers(env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """For `filmcrew doctor`: each clip provider, whether it can run, and why."""
    env = os.environ if env is None else env

    def row(name: str, configured: bool, why: str) -> dict[str, Any]:
        return {"name": name, "configured": configured, "why": why}

    rows = [
        row("previz", True, "offline default, always available")
        if _has_module("filmcrew.tools.clips.previz")
        else row("previz", False, "the previz renderer is missing from this install of filmcrew")
    ]

    veo_key = next((k for k in _VEO_KEYS if env.get(k)), None)
    if not veo_key:
        rows.append(row("veo", False, "needs GEMINI_API_KEY (or GOOGLE_API_KEY) with Vertex AI access"))
    elif not _has_module("google.genai"):
        rows.append(row("veo", False, f"{veo_key} is set but google-genai is missing: pip install 'filmcrew[gemini]'"))
    else:
        rows.append(row("veo", True, f"{veo_key} is set"))

    if not env.get(_SORA_KEY):
        rows.append(row("sora", False, "needs OPENAI_API_KEY"))
    elif not _has_module("openai"):
        rows.append(row("sora", False, "OPENAI_API_KEY is set but the openai SDK is missing: pip install openai"))
    else:
        # The key alone does not prove the endpoint still serves videos.
        why = "OPENAI_API_KEY is set (OpenAI scheduled the Sora API to shut down on 2026-09-24)"
        rows.append(row("sora", True, why))

    if any(not env.get(k) for k in _KLING_KEYS):
        rows.append(row("kling", False, "needs KLING_ACCESS_KEY and KLING_SECRET_KEY"))
    else:
        rows.append(row("kling", True, "KLING_ACCESS_KEY and KLING_SECRET_KEY are set"))
    return rows
