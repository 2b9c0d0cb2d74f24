"""One shot as a provider sees it: its prompt, its length, and the clip file it comes back as.

`shot_prompt` turns a shot's camera language and action into a video-model
prompt (deterministic, so the cache key and the prompt agree);
`covering_duration` picks the shortest length a provider offers that covers
the shot; `clip_asset_from_file` measures what a provider's file really holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from filmcrew.errors import FilmcrewError, ProviderError
from filmcrew.memory.models import ClipAsset, Shot
from filmcrew.tools.media import count_frames, probe

__all__ = ["clip_asset_from_file", "covering_duration", "shot_prompt"]


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
