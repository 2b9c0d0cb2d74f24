"""The clip-generation seam: `ClipGenerator` providers (previz offline
default, Veo, Sora, Kling) and the `ClipService` that validates references,
caches by input hash, limits concurrency and times out each clip; `jobs`
turns a shot plan into clip jobs with each block's references and look."""

from filmcrew.tools.clips.base import ClipGenerator, clip_input_hash

__all__ = ["ClipGenerator", "clip_input_hash"]
