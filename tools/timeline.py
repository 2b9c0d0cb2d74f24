"""The edit, as one OpenTimelineIO timeline: rough cut, edit operations, final
multi-track timeline, and interchange exports.

The OTIO timeline is the only model of the edit. Every time is a
`RationalTime`/`TimeRange` in whole frames at the timeline rate; every reason
an agent gave for a cut lives in the `"filmcrew"` metadata namespace of the
clip, track or marker it concerns.

Speed convention (the one OTIO documents for `LinearTimeWarp`): a time warp
does not change the duration of the item it is attached to. So a clip's
`source_range.duration` is what the clip occupies on the track (its timeline
duration), `source_range.start_time` is the first media frame it shows, and a
`LinearTimeWarp(time_scalar=s)` tells a player to read `s` times as much media
from that start: the clip consumes `duration * s` of source media. This is
what the CMX 3600 adapter reads from an M2 speed event, and what the renderer
in `filmcrew.tools.render` plays. Accelerated clips round their timeline
length DOWN to whole frames, so a warp never reads past the end of the media.

Edit operations (`reorder`, `remove`, `trim`, `accelerate`, `retain`) change
the timeline in place, append `{op, params, reason, ...}` to the clip's
`filmcrew.edit_history`, and raise `TimelineEditError` - leaving the timeline
untouched - when the edit cannot be made. `apply_decisions` runs a list of
`EditDecision`s on a copy and turns each rejection into a message for the
editor agent instead of raising.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import opentimelineio as otio

from filmcrew.errors import FilmcrewError, InputError
from filmcrew.memory.models import ClipAsset, EditDecision, Script, ShotPlan, SoundDesign
from filmcrew.memory.rundir import atomic_path, atomic_write_text

__all__ = [
    "PICTURE_TRACK",
    "MIX_TRACK",
    "NAMESPACE",
    "LAYER_TRACKS",
    "ShotSpan",
    "TimelineEditError",
    "build_rough_cut",
    "picture_track",
    "clip_speed",
    "media_path",
    "shot_spans",
    "reorder",
    "remove",
    "trim",
    "accelerate",
    "retain",
    "apply_decisions",
    "build_final_timeline",
    "localise_media",
    "absolute_media",
    "write_timeline",
    "read_timeline",
    "export_interchange",
]

log = logging.getLogger(__name__)

PICTURE_TRACK = "Picture"
MIX_TRACK = "Mix"
NAMESPACE = "filmcrew"
# Sound layers in the order their tracks are stacked under the picture.
LAYER_TRACKS: dict[str, str] = {
    "voice": "Voice",
    "dialogue": "Dialogue",
    "music": "Music",
    "ambience": "Ambience",
    "foley": "Foley",
    "sfx": "SFX",
}

MIN_CLIP_SECONDS = 0.5
MAX_SPEED = 4.0
VOICE_OVER_MARKER = "voice-over"


class TimelineEditError(FilmcrewError):
    """An edit that cannot be made; the message tells the editor what would work."""


@dataclass
class ShotSpan:
    """Where one shot sits on the picture track, in seconds.

    `start`/`duration` are timeline times; `source_start`/`source_duration`
    are the span of the clip's media that is shown (`duration * speed`).
    """

    shot_id: str
    block_id: str
    start: float
    duration: float
    speed: float
    source_start: float
    source_duration: float


# -- small helpers ------------------------------------------------------------


def _rt(frames: int, fps: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(frames, fps)


def _tr(start: int, duration: int, fps: float) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_rt(start, fps), _rt(duration, fps))


def _frames(seconds: float, fps: float) -> int:
    return int(round(seconds * fps))


def _meta(obj: Any) -> dict:
    """The filmcrew metadata dict of an OTIO object, created if missing: for writes."""
    if NAMESPACE not in obj.metadata:
        obj.metadata[NAMESPACE] = {}
    return obj.metadata[NAMESPACE]


def _get(obj: Any) -> Any:
    """The filmcrew metadata for reading; never adds the namespace, so a failed
    edit on an imported timeline leaves it byte-for-byte unchanged."""
    return obj.metadata.get(NAMESPACE, {})


def _plain(value: Any) -> Any:
    """OTIO metadata containers -> plain Python, so callers can compare and dump them."""
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "__iter__"):
        return [_plain(v) for v in value]
    return value


def _file_uri(path: str | Path, root: Path | None = None) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = (root or Path.cwd()) / p
    return p.resolve().as_uri()


def media_path(clip: otio.schema.Clip) -> Path:
    """Local path of a clip's `file://` media reference."""
    ref = clip.media_reference
    url = getattr(ref, "target_url", None)
    if not url:
        raise InputError(f"clip {clip.name!r} has no file media reference")
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return Path(url2pathname(parsed.path)) if parsed.scheme else Path(url)
    raise InputError(f"clip {clip.name!r} points to {url!r}; only local files can be rendered")


def picture_track(tl: otio.schema.Timeline) -> otio.schema.Track:
    """The picture track: the one named `Picture`, else the first video track."""
    video = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
    for t in video:
        if t.name == PICTURE_TRACK:
            return t
    if not video:
        raise InputError(f"timeline {tl.name!r} has no video track")
    return video[0]


def _warp(clip: otio.schema.Clip) -> otio.schema.LinearTimeWarp | None:
    for fx in clip.effects:
        if isinstance(fx, otio.schema.LinearTimeWarp) and not isinstance(fx, otio.schema.FreezeFrame):
            return fx
    return None


def clip_speed(clip: otio.schema.Clip) -> float:
    """The clip's playback speed (1.0 without a time warp)."""
    fx = _warp(clip)
    return float(fx.time_scalar) if fx is not None else 1.0


def _clips(track: otio.schema.Track) -> list[otio.schema.Clip]:
    return [c for c in track if isinstance(c, otio.schema.Clip)]


def _find(track: otio.schema.Track, shot_id: str) -> otio.schema.Clip:
    clips = _clips(track)
    for c in clips:
        if c.name == shot_id or _get(c).get("shot_id") == shot_id:
            return c
    known = ", ".join(c.name for c in clips) or "none"
    raise TimelineEditError(f"no shot {shot_id!r} on the picture track; shots in the cut: {known}")


def _consumed_frames(clip: otio.schema.Clip) -> float:
    """Media frames the clip shows: timeline frames times speed."""
    return clip.trimmed_range().duration.value * clip_speed(clip)


def _history(clip: otio.schema.Clip, op: str, params: dict, reason: str, **extra: Any) -> None:
    entry = {"op": op, "params": dict(params), "reason": reason, **extra}
    hist = list(_plain(_meta(clip).get("edit_history", [])))
    hist.append(entry)
    _meta(clip)["edit_history"] = hist


def _seconds(rt: otio.opentime.RationalTime) -> float:
    return round(rt.to_seconds(), 6)


# -- rough cut ----------------------------------------------------------------


def _block_voice_over(block: Any, plan: ShotPlan) -> str:
    if block.voice_over.strip():
        return block.voice_over.strip()
    lines = [s.voice_over.strip() for s in plan.shots if s.block_id == block.id and s.voice_over.strip()]
    return " ".join(lines)


def _refresh_voice_over_markers(track: otio.schema.Track) -> None:
    """Put each block's placeholder voice-over on the first clip of every run of
    that block's clips, spanning the run.

    Called after every edit, because a reorder can split a block and a trim
    changes its span; stale markers would tell the audience the wrong story.
    """
    blocks = {b["block_id"]: b for b in _plain(_get(track).get("blocks", []))}
    clips = _clips(track)
    for c in clips:
        keep = [m for m in c.markers if _get(m).get("kind") != VOICE_OVER_MARKER]
        if len(keep) != len(c.markers):
            c.markers[:] = keep
    i = 0
    while i < len(clips):
        first = clips[i]
        block_id = _get(first).get("block_id", "")
        j = i
        run_frames = 0
        while j < len(clips) and _get(clips[j]).get("block_id", "") == block_id:
            run_frames += int(clips[j].trimmed_range().duration.value)
            j += 1
        info = blocks.get(block_id)
        if info is not None and info.get("voice_over"):
            rate = first.trimmed_range().duration.rate
            first.markers.append(
                otio.schema.Marker(
                    name=f"VO {block_id}",
                    # Clip markers live in the clip's time frame (its source
                    # range), and the duration reaches over the whole run.
                    marked_range=otio.opentime.TimeRange(first.trimmed_range().start_time, _rt(run_frames, rate)),
                    color=otio.schema.MarkerColor.YELLOW,
                    metadata={
                        NAMESPACE: {
                            "kind": VOICE_OVER_MARKER,
                            "block_id": block_id,
                            "voice_over": info["voice_over"],
                            "shots": [c.name for c in clips[i:j]],
                        }
                    },
                )
            )
        i = j


def build_rough_cut(
    clips: Sequence[ClipAsset],
    plan: ShotPlan,
    script: Script,
    fps: int = 24,
    *,
    root: Path | None = None,
) -> otio.schema.Timeline:
    """One clip per planned shot, in plan order, at full length.

    Each block's placeholder voice-over rides on a marker so that a viewer can
    follow the story before any sound exists. Relative clip paths resolve
    against `root` (the run directory), else the working directory.
    """
    by_shot = {c.shot_id: c for c in clips}
    missing = [s.id for s in plan.shots if s.id not in by_shot]
    if missing:
        raise InputError(f"no clip for shot(s) {', '.join(missing)}; generate them before the rough cut")
    if not plan.shots:
        raise InputError("the shot plan has no shots; there is nothing to cut")

    blocks_meta = [
        {"block_id": b.id, "voice_over": _block_voice_over(b, plan), "narrative_objective": b.narrative_objective}
        for b in script.blocks
    ]
    track = otio.schema.Track(
        name=PICTURE_TRACK,
        kind=otio.schema.TrackKind.Video,
        metadata={NAMESPACE: {"role": "picture", "blocks": blocks_meta, "removed": []}},
    )
    for shot in plan.shots:
        asset = by_shot[shot.id]
        # Generated clips should already be at the film rate; if not, count
        # the same span of seconds in film frames.
        frames = asset.frames if asset.fps == fps else int(round(asset.frames * fps / asset.fps))
        if frames < 1:
            raise InputError(f"clip for shot {shot.id} ({asset.path}) has no frames; regenerate it")
        full = _tr(0, frames, fps)
        ref = otio.schema.ExternalReference(target_url=_file_uri(asset.path, root), available_range=full)
        track.append(
            otio.schema.Clip(
                name=shot.id,
                media_reference=ref,
                source_range=full,
                metadata={
                    NAMESPACE: {
                        "shot_id": shot.id,
                        "block_id": shot.block_id,
                        "shot_size": shot.shot_size,
                        "movement": shot.movement,
                        "angle": shot.angle,
                        "lens": shot.lens,
                        "action": shot.action,
                        "voice_over": shot.voice_over,
                        "duration_planned": shot.duration,
                        "provider": asset.provider,
                        "edit_history": [],
                    }
                },
            )
        )
    _refresh_voice_over_markers(track)
    tl = otio.schema.Timeline(
        name=script.synopsis.title,
        global_start_time=_rt(0, fps),
        metadata={NAMESPACE: {"stage": "rough_cut", "fps": fps, "logline": script.synopsis.logline}},
    )
    tl.tracks.append(track)
    return tl


def shot_spans(tl: otio.schema.Timeline) -> list[ShotSpan]:
    """Each shot of the picture track in timeline order (gaps are skipped)."""
    spans = []
    track = picture_track(tl)
    for clip in _clips(track):
        rng = clip.range_in_parent()
        speed = clip_speed(clip)
        dur = rng.duration.to_seconds()
        spans.append(
            ShotSpan(
                shot_id=_get(clip).get("shot_id", clip.name),
                block_id=_get(clip).get("block_id", ""),
                start=rng.start_time.to_seconds(),
                duration=dur,
                speed=speed,
                source_start=clip.trimmed_range().start_time.to_seconds(),
                source_duration=dur * speed,
            )
        )
    return spans


# -- edit operations ----------------------------------------------------------


def reorder(tl: otio.schema.Timeline, shot_id: str, position: int, reason: str) -> otio.schema.Timeline:
    """Move a shot to `position` (0-based index in the resulting order)."""
    track = picture_track(tl)
    clip = _find(track, shot_id)
    clips = _clips(track)
    n = len(clips)
    if isinstance(position, float):
        if not position.is_integer():
            raise TimelineEditError(f"reorder position must be a whole number, got {position}")
        position = int(position)
    if not 0 <= position < n:
        raise TimelineEditError(f"reorder position {position} is out of range; positions are 0-based, 0..{n - 1}")
    old = clips.index(clip)
    index = list(track).index(clip)
    # Move among clips only; gaps (from an imported edit) stay where they are.
    target = list(track).index(clips[position]) if position != old else index
    _history(clip, "reorder", {"position": position}, reason, from_position=old)
    del track[index]
    track.insert(target, clip)
    _refresh_voice_over_markers(track)
    return tl


def remove(tl: otio.schema.Timeline, shot_id: str, reason: str) -> otio.schema.Timeline:
    """Take a shot out of the cut; the track's `removed` list remembers it."""
    track = picture_track(tl)
    clip = _find(track, shot_id)
    clips = _clips(track)
    if len(clips) == 1:
        raise TimelineEditError(f"cannot remove {shot_id}: it is the last shot in the cut")
    position = clips.index(clip)
    _history(clip, "remove", {}, reason, position=position)
    removed = list(_plain(_get(track).get("removed", [])))
    removed.append(
        {
            "shot_id": _get(clip).get("shot_id", clip.name),
            "block_id": _get(clip).get("block_id", ""),
            "position": position,
            "reason": reason,
            "source_start": _seconds(clip.trimmed_range().start_time),
            "duration": _seconds(clip.trimmed_range().duration),
            "speed": clip_speed(clip),
            "target_url": getattr(clip.media_reference, "target_url", None),
            "metadata": _plain(_meta(clip)),
        }
    )
    del track[list(track).index(clip)]
    _meta(track)["removed"] = removed
    _refresh_voice_over_markers(track)
    return tl


def _min_frames(fps: float) -> int:
    return max(1, math.ceil(MIN_CLIP_SECONDS * fps - 1e-9))


def trim(tl: otio.schema.Timeline, shot_id: str, head: float, tail: float, reason: str) -> otio.schema.Timeline:
    """Cut `head` seconds off the start and `tail` off the end of the shot's media.

    Seconds are of source media; on an accelerated clip the timeline loses
    `(head + tail) / speed`.
    """
    track = picture_track(tl)
    clip = _find(track, shot_id)
    head, tail = float(head), float(tail)
    if head < 0 or tail < 0:
        raise TimelineEditError(f"trim {shot_id}: head and tail must be >= 0 seconds (got {head}, {tail})")
    src = clip.trimmed_range()
    fps = src.duration.rate
    h, t = _frames(head, fps), _frames(tail, fps)
    if h == 0 and t == 0:
        raise TimelineEditError(
            f"trim {shot_id}: head={head}s tail={tail}s is under one frame; trim at least {1 / fps:.3f}s or use retain"
        )
    speed = clip_speed(clip)
    consumed = _consumed_frames(clip)
    new_start = src.start_time.rescaled_to(fps).value + h
    new_consumed = consumed - h - t
    new_frames = int(math.floor(new_consumed / speed + 1e-9))
    cur = _seconds(src.duration)
    if new_consumed <= 0:
        raise TimelineEditError(
            f"trim {shot_id}: head+tail ({head + tail:.3f}s) reaches past the shot's media ({consumed / fps:.3f}s shown)"
        )
    if new_frames < _min_frames(fps):
        raise TimelineEditError(
            f"trim {shot_id}: would leave {new_frames / fps:.3f}s on the timeline; a shot must keep at least "
            f"{MIN_CLIP_SECONDS}s (it is {cur:.3f}s now), so trim at most {max(0.0, (consumed - _min_frames(fps) * speed) / fps):.3f}s in total"
        )
    avail = clip.media_reference.available_range if clip.media_reference else None
    if avail is not None and new_start + new_frames * speed > avail.end_time_exclusive().rescaled_to(fps).value + 1e-6:
        raise TimelineEditError(f"trim {shot_id}: the new range would read past the end of the media")
    _history(clip, "trim", {"head": head, "tail": tail}, reason, duration_before=cur, duration_after=round(new_frames / fps, 6))
    clip.source_range = _tr(int(round(new_start)), new_frames, fps)
    _refresh_voice_over_markers(track)
    return tl


def accelerate(tl: otio.schema.Timeline, shot_id: str, speed: float, reason: str) -> otio.schema.Timeline:
    """Play the shot's current media span at `speed` (a new speed replaces an old one).

    The clip's timeline duration becomes `media / speed`, rounded down to whole
    frames; the media span it shows stays the same.
    """
    track = picture_track(tl)
    clip = _find(track, shot_id)
    try:
        speed = float(speed)
    except (TypeError, ValueError):
        raise TimelineEditError(f"accelerate {shot_id}: speed must be a number, got {speed!r}") from None
    if not math.isfinite(speed) or speed <= 0 or speed > MAX_SPEED:
        raise TimelineEditError(f"accelerate {shot_id}: speed must be > 0 and <= {MAX_SPEED} (got {speed})")
    src = clip.trimmed_range()
    fps = src.duration.rate
    consumed = _consumed_frames(clip)
    new_frames = int(math.floor(consumed / speed + 1e-9))
    if new_frames < _min_frames(fps):
        raise TimelineEditError(
            f"accelerate {shot_id}: {speed}x would leave {new_frames / fps:.3f}s on the timeline; a shot must keep at "
            f"least {MIN_CLIP_SECONDS}s, so use at most {consumed / _min_frames(fps):.2f}x"
        )
    avail = clip.media_reference.available_range if clip.media_reference else None
    if avail is not None and src.start_time.rescaled_to(fps).value + new_frames * speed > avail.end_time_exclusive().rescaled_to(fps).value + 1e-6:
        raise TimelineEditError(f"accelerate {shot_id}: {speed}x would read past the end of the media")
    before = _seconds(src.duration)
    _history(clip, "accelerate", {"speed": speed}, reason, duration_before=before, duration_after=round(new_frames / fps, 6))
    fx = _warp(clip)
    if speed == 1.0:
        if fx is not None:
            clip.effects[:] = [e for e in clip.effects if e is not fx]
    elif fx is not None:
        fx.time_scalar = speed
    else:
        clip.effects.append(otio.schema.LinearTimeWarp(name=f"speed {speed}x", time_scalar=speed))
    clip.source_range = _tr(int(round(src.start_time.rescaled_to(fps).value)), new_frames, fps)
    _refresh_voice_over_markers(track)
    return tl


def retain(tl: otio.schema.Timeline, shot_id: str, reason: str) -> otio.schema.Timeline:
    """Keep the shot as it is; the decision and its reason are recorded."""
    track = picture_track(tl)
    clip = _find(track, shot_id)
    _history(clip, "retain", {}, reason)
    return tl


def _param(d: EditDecision, key: str, default: float | None = None) -> float:
    if key in d.params:
        return d.params[key]
    if default is None:
        raise TimelineEditError(f"{d.op} {d.shot_id}: missing parameter {key!r}")
    return default


def apply_decisions(
    tl: otio.schema.Timeline, decisions: Sequence[EditDecision]
) -> tuple[otio.schema.Timeline, list[str]]:
    """Apply decisions in order to a copy; rejected ones become error strings."""
    out = copy.deepcopy(tl)
    errors: list[str] = []
    for d in decisions:
        try:
            if d.op == "reorder":
                reorder(out, d.shot_id, _param(d, "position"), d.reason)
            elif d.op == "remove":
                remove(out, d.shot_id, d.reason)
            elif d.op == "trim":
                trim(out, d.shot_id, _param(d, "head", 0.0), _param(d, "tail", 0.0), d.reason)
            elif d.op == "accelerate":
                accelerate(out, d.shot_id, _param(d, "speed"), d.reason)
            elif d.op == "retain":
                retain(out, d.shot_id, d.reason)
            else:  # pragma: no cover - EditDecision.op is a Literal
                raise TimelineEditError(f"unknown edit op {d.op!r}")
        except TimelineEditError as exc:
            errors.append(f"{d.op} {d.shot_id}: {exc}")
    return out, errors


# -- final timeline -----------------------------------------------------------


def _audio_available(path: Path, fallback_frames: int, fps: float) -> otio.opentime.TimeRange:
    if path.exists():
        from filmcrew.tools.media import probe

        try:
            return _tr(0, max(1, _frames(probe(path).duration, fps)), fps)
        except FilmcrewError:
            pass
    return _tr(0, fallback_frames, fps)


def _stem_track(layer: str, cues: Sequence[Any], stem: Path, fps: int) -> otio.schema.Track:
    """One track of a layer's levelled stem: a clip wherever the layer's cues sound.

    The stem is what the mixer made of the cues (gains, fades, loudness target,
    ducking and the voice-band carve applied), so each clip plays the stem at
    the same time it sits on the timeline; summed, the enabled stem tracks are
    the mix before its limiter. Overlapping cues share one clip, which names
    them all in its metadata.
    """
    track = otio.schema.Track(name=LAYER_TRACKS[layer], kind=otio.schema.TrackKind.Audio,
                              metadata={NAMESPACE: {"role": "stem", "layer": layer, "path": str(stem)}})
    available = _audio_available(stem, 1, fps)
    last = int(available.end_time_exclusive().value)
    segments: list[list[Any]] = []  # [start frame, end frame, cues]
    for cue in cues:
        a = int(math.floor(cue.start * fps + 1e-6))
        b = min(last, int(math.ceil((cue.start + cue.duration) * fps - 1e-6)))
        if b <= a:
            continue
        if segments and a <= segments[-1][1]:
            segments[-1][1] = max(segments[-1][1], b)
            segments[-1][2].append(cue)
        else:
            segments.append([a, b, [cue]])
    end = 0
    for a, b, group in segments:
        if a > end:
            track.append(otio.schema.Gap(source_range=_tr(0, a - end, fps)))
        track.append(otio.schema.Clip(
            name=" + ".join(c.id for c in group),
            media_reference=otio.schema.ExternalReference(target_url=stem.resolve().as_uri(), available_range=available),
            source_range=_tr(a, b - a, fps),
            # The first cue's shot and block tie the clip to the picture; every cue it plays is listed.
            metadata={NAMESPACE: {"role": "stem", "layer": layer, "levelled": True,
                                  "shot_id": group[0].shot_id, "block_id": group[0].block_id,
                                  "cue_ids": [c.id for c in group], "cues": [c.model_dump(mode="json") for c in group]}},
        ))
        end = b
    return track


def build_final_timeline(
    picture: otio.schema.Timeline,
    design: SoundDesign,
    run_root: Path,
    *,
    mix_path: Path | None = None,
    fps: int = 24,
    stems: dict[str, Path] | None = None,
) -> otio.schema.Timeline:
    """The picture-locked cut plus one audio track per sound layer (and the mix).

    With `stems` (layer -> the mixer's levelled stem), a layer's track plays
    its stem where its cues sound, so an editor hears exactly the mix; the Mix
    track is then present but disabled, so it does not double the stems.
    Without stems, cues land on whole frames at `fps` pointing at their raw
    assets (gain in metadata only); cues of one layer that overlap go to extra
    tracks of that layer ("SFX 2", ...), since an OTIO track is a sequence and
    cannot hold two clips at once.
    """
    run_root = Path(run_root)
    tl = copy.deepcopy(picture)
    meta = _meta(tl)
    meta["stage"] = "final"
    meta["picture_locked"] = True
    meta["sound_duration"] = design.duration
    missing: list[str] = []
    for layer, track_name in LAYER_TRACKS.items():
        cues = sorted((c for c in design.cues if c.layer == layer), key=lambda c: (c.start, c.id))
        if stems is not None:
            stem = stems.get(layer)
            if cues and stem is not None and Path(stem).exists():
                tl.tracks.append(_stem_track(layer, cues, Path(stem), fps))
            elif cues:
                missing.extend(c.id for c in cues)
            continue
        lanes: list[tuple[otio.schema.Track, int]] = []  # track, end frame
        for cue in cues:
            start = _frames(cue.start, fps)
            dur = max(1, _frames(cue.duration, fps))
            lane = next((k for k, (_, end) in enumerate(lanes) if end <= start), None)
            if lane is None:
                name = track_name if not lanes else f"{track_name} {len(lanes) + 1}"
                track = otio.schema.Track(
                    name=name, kind=otio.schema.TrackKind.Audio, metadata={NAMESPACE: {"role": "sound", "layer": layer}}
                )
                lanes.append((track, 0))
                lane = len(lanes) - 1
            track, end = lanes[lane]
            if start > end:
                track.append(otio.schema.Gap(source_range=_tr(0, start - end, fps)))
            asset = Path(cue.asset)
            if not asset.is_absolute():
                asset = run_root / asset
            if not asset.exists():
                missing.append(cue.id)
            ref = otio.schema.ExternalReference(
                target_url=asset.resolve().as_uri(), available_range=_audio_available(asset, dur, fps)
            )
            track.append(
                otio.schema.Clip(
                    name=cue.id,
                    media_reference=ref,
                    source_range=_tr(0, dur, fps),
                    metadata={NAMESPACE: cue.model_dump(mode="json")},
                )
            )
            lanes[lane] = (track, start + dur)
        for track, _ in lanes:
            tl.tracks.append(track)
    if mix_path is not None:
        mix_path = Path(mix_path)
        dur = int(round(picture_track(tl).duration().rescaled_to(fps).value))
        track = otio.schema.Track(name=MIX_TRACK, kind=otio.schema.TrackKind.Audio, metadata={NAMESPACE: {"role": "mix"}})
        track.append(
            otio.schema.Clip(
                name="mix",
                media_reference=otio.schema.ExternalReference(
                    target_url=mix_path.resolve().as_uri(), available_range=_audio_available(mix_path, dur, fps)
                ),
                source_range=_tr(0, dur, fps),
                metadata={NAMESPACE: {"role": "mix", "path": str(mix_path)}},
            )
        )
        # The stems already make the mix; a Mix track playing too would double every sound.
        track.enabled = stems is None
        tl.tracks.append(track)
    if missing:
        meta["missing_audio"] = missing
    return tl


# -- media locations ------------------------------------------------------------


def _external(tl: otio.schema.Timeline) -> list[otio.schema.ExternalReference]:
    return [c.media_reference for c in tl.find_clips() if isinstance(c.media_reference, otio.schema.ExternalReference)]


def localise_media(tl: otio.schema.Timeline, root: Path, folder: str = "media") -> list[Path]:
    """Make every media path of `tl` relative to `root`, copying what lives elsewhere into `root/folder`.

    Relative, the timeline keeps working when the run folder is moved or zipped.
    Returns the files copied in.
    """
    root = Path(root).resolve()
    copied: dict[Path, Path] = {}
    for ref in _external(tl):
        url = ref.target_url
        parsed = urlparse(url)
        if parsed.scheme not in ("", "file"):
            continue
        path = Path(url2pathname(parsed.path)) if parsed.scheme else root / url
        path = path.resolve()
        if not path.is_relative_to(root):
            if path not in copied:
                target = root / folder / path.name
                if target.exists() and target.stat().st_size != path.stat().st_size:
                    target = root / folder / f"{len(copied)}-{path.name}"
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    import shutil

                    shutil.copy2(path, target)
                copied[path] = target
            path = copied[path]
        ref.target_url = path.relative_to(root).as_posix()
    return list(copied.values())


def absolute_media(tl: otio.schema.Timeline, root: Path) -> otio.schema.Timeline:
    """A copy of `tl` whose relative media paths are absolute `file://` URLs under `root`."""
    out = copy.deepcopy(tl)
    for ref in _external(out):
        if ref.target_url and urlparse(ref.target_url).scheme == "":
            ref.target_url = (Path(root) / ref.target_url).resolve().as_uri()
    return out


# -- files --------------------------------------------------------------------


def write_timeline(tl: otio.schema.Timeline, path: Path) -> Path:
    """Write `.otio` JSON atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        otio.adapters.write_to_file(tl, str(tmp), adapter_name="otio_json")
    return path


def read_timeline(path: Path) -> otio.schema.Timeline:
    path = Path(path)
    if not path.exists():
        raise InputError(f"no timeline at {path}")
    tl = otio.adapters.read_from_file(str(path), adapter_name="otio_json")
    if not isinstance(tl, otio.schema.Timeline):
        raise InputError(f"{path} holds a {type(tl).__name__}, not a timeline")
    return tl


def _strip_time_warps(tl: otio.schema.Timeline) -> list[str]:
    dropped = []
    for clip in tl.find_clips():
        fx = [e for e in clip.effects if isinstance(e, otio.schema.TimeEffect)]
        if fx:
            dropped.append(f"{clip.name}: {clip_speed(clip)}x speed")
            clip.effects[:] = [e for e in clip.effects if not isinstance(e, otio.schema.TimeEffect)]
    return dropped


_TC = r"\d\d:\d\d:\d\d[:;]\d\d"
_EDL_EVENT = re.compile(rf"^(\d{{3,}}\s+.*?\s)({_TC}) ({_TC}) ({_TC}) ({_TC})\s*$")
_EDL_M2 = re.compile(rf"^M2\s+.*?\s(-?[0-9.]+)\s+({_TC})\s*$")


def _fix_edl_speed_source_out(text: str, rate: float) -> str:
    """Make each M2 (speed) event's source out = source in + record length * speed.

    The cmx_3600 writer divides by the speed instead of multiplying, which
    contradicts its own reader and Avid's convention; an editor conforming
    from the EDL would otherwise pull too little media.
    """
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _EDL_EVENT.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        speed = None
        while j < len(lines) and lines[j] and not _EDL_EVENT.match(lines[j]):
            m2 = _EDL_M2.match(lines[j])
            if m2:
                speed = float(m2.group(1)) / rate
            j += 1
        if speed is not None:
            prefix, s_in, _s_out, r_in, r_out = m.groups()
            rec = otio.opentime.from_timecode(r_out, rate) - otio.opentime.from_timecode(r_in, rate)
            src_in = otio.opentime.from_timecode(s_in, rate)
            src_out = src_in + _rt(int(round(rec.value * speed)), rate)
            lines[i] = f"{prefix}{s_in} {otio.opentime.to_timecode(src_out, rate)} {r_in} {r_out}"
        i = j
    return "\n".join(lines)


def export_interchange(tl: otio.schema.Timeline, out_dir: Path, stem: str = "timeline") -> dict[str, Path]:
    """Write FCP 7 XML (`<stem>.xml`) and a CMX 3600 EDL (`<stem>.edl`).

    What each keeps:
    - FCP 7 XML (Resolve, Premiere): every video and audio track, clip order,
      timeline positions and durations, source in points, media paths and
      markers. It loses speed changes (the adapter writes no time effects: a
      sped-up clip comes in at 1x from its in point, at its timeline length,
      so sync with the sound is kept) and the filmcrew metadata.
    - CMX 3600 EDL: the picture track only (the format has one video track),
      with source/record timecodes, clip names and markers as comments, and
      each speed change as an M2 motion event (source out = in + record
      length * speed; the adapter's own value is corrected). It loses sound,
      filmcrew metadata and reel names longer than 8 characters.

    Whatever an adapter refuses is dropped from that file, not from the
    timeline; the returned dict then also has `"notes"`, a JSON file that
    lists what was dropped and why.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    notes: dict[str, list[str]] = {}

    xml_path = out_dir / f"{stem}.xml"
    xml_tl = copy.deepcopy(tl)
    dropped = _strip_time_warps(xml_tl)
    if dropped:
        notes["fcp_xml"] = [f"speed dropped (plays at 1x for the same timeline length): {d}" for d in dropped]
    try:
        text = otio.adapters.write_to_string(xml_tl, adapter_name="fcp_xml")
    except Exception as exc:  # an adapter bug must not lose the .otio or the film
        notes.setdefault("fcp_xml", []).append(f"not written: {type(exc).__name__}: {exc}")
        log.warning("FCP XML export failed: %s", exc)
    else:
        atomic_write_text(xml_path, text)
        written["fcp_xml"] = xml_path

    edl_path = out_dir / f"{stem}.edl"
    edl_tl = otio.schema.Timeline(name=tl.name, global_start_time=tl.global_start_time)
    edl_tl.tracks.append(copy.deepcopy(picture_track(tl)))
    others = [t.name for t in tl.tracks if t is not picture_track(tl)]
    if others:
        notes.setdefault("edl", []).append(f"tracks not in the EDL (one video track only): {', '.join(others)}")
    try:
        text = otio.adapters.write_to_string(edl_tl, adapter_name="cmx_3600")
    except Exception as exc:
        # Typically a time effect the format cannot say; retry without speeds.
        dropped = _strip_time_warps(edl_tl)
        try:
            text = otio.adapters.write_to_string(edl_tl, adapter_name="cmx_3600")
        except Exception as exc2:
            notes.setdefault("edl", []).append(f"not written: {type(exc2).__name__}: {exc2}")
            log.warning("EDL export failed: %s", exc2)
            text = None
        else:
            notes.setdefault("edl", []).append(f"speed dropped after {type(exc).__name__}: {exc}")
            notes["edl"].extend(f"speed dropped: {d}" for d in dropped)
    if text is not None:
        text = _fix_edl_speed_source_out(text, picture_track(tl).duration().rate)
        atomic_write_text(edl_path, text)
        written["edl"] = edl_path

    if notes:
        notes_path = out_dir / f"{stem}.export-notes.json"
        atomic_write_text(notes_path, json.dumps(notes, indent=2))
        written["notes"] = notes_path
    return written
