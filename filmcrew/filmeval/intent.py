"""What a run directory holds for the judge: the film, the brief, and declared intent.

The film (`film.mp4`) is what is judged. The brief is what it is judged
against. Everything else the crew wrote (script, shot plan, timeline, sound
design) is the film-maker's declared intent: the judge uses it to know what
was meant (which character a shot is meant to show, what the voice-over
says) and checks it against the film's measured frames and sound; it never
scores the plan in place of the film.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filmcrew.errors import InputError
from filmcrew.memory.models import AudienceProfile, Brief, ReferenceImage

__all__ = ["PlannedShot", "SpokenLine", "FilmIntent", "load_film"]


@dataclass(frozen=True)
class PlannedShot:
    id: str
    block_id: str
    start: float
    end: float
    characters: tuple[str, ...]
    shot_size: str
    movement: str
    angle: str
    action: str
    location: str = ""


@dataclass(frozen=True)
class SpokenLine:
    start: float
    end: float
    text: str
    speaker: str | None = None


@dataclass
class FilmIntent:
    """One film to judge and what it was meant to be."""

    run: str
    root: Path
    film: Path
    brief: Brief | None
    audience: AudienceProfile | None
    shots: list[PlannedShot] = field(default_factory=list)
    spoken: list[SpokenLine] = field(default_factory=list)
    references: list[ReferenceImage] = field(default_factory=list)
    block_text: dict[str, str] = field(default_factory=dict)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _timeline_spans(root: Path) -> dict[str, tuple[float, float]]:
    """shot id -> (start, end) on the final timeline's first video track."""
    path = root / "timeline.otio"
    if not path.exists():
        return {}
    try:
        import opentimelineio as otio

        tl = otio.adapters.read_from_file(str(path))
    except Exception:  # noqa: BLE001 - an unreadable timeline only loses timing hints
        return {}
    spans: dict[str, tuple[float, float]] = {}
    video = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
    if not video:
        return {}
    for clip in video[0].find_clips():
        meta = clip.metadata.get("filmcrew", {}) if hasattr(clip.metadata, "get") else {}
        shot_id = meta.get("shot_id") or clip.name
        rng = clip.trimmed_range_in_parent()
        if rng is not None:
            spans[str(shot_id)] = (rng.start_time.to_seconds(), rng.end_time_exclusive().to_seconds())
    return spans


def _brief(root: Path) -> Brief | None:
    data = _json(root / "brief.json")
    if isinstance(data, dict):
        try:
            return Brief.model_validate(data)
        except ValueError:
            pass
    for name in ("brief.txt", "brief.md"):
        p = root / name
        if p.exists():
            text = p.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                return Brief(text=text)
    return None


def load_film(run_dir: str | Path) -> FilmIntent:
    """Read a run directory (or any folder with a `film.mp4`); InputError when there is no film."""
    root = Path(run_dir).expanduser().resolve()
    if not root.is_dir():
        raise InputError(f"{run_dir} is not a directory: give a run directory that holds film.mp4")
    film = root / "film.mp4"
    if not film.is_file():
        raise InputError(f"{run_dir} holds no film.mp4: finish the run (filmcrew resume {run_dir}) or give another directory")
    brief = _brief(root)
    audience = None
    aud = _json(root / "audience.json")
    if isinstance(aud, dict):
        try:
            audience = AudienceProfile.model_validate(aud)
        except ValueError:
            audience = None
    if audience is None and brief is not None:
        try:
            from filmcrew.memory.audiences import get_audience

            audience = get_audience(brief.audience)
        except Exception:  # noqa: BLE001 - unknown archetype: pacing is judged without one
            audience = None
    intent = FilmIntent(run=root.name, root=root, film=film, brief=brief, audience=audience,
                        references=list(brief.references) if brief else [])
    script = _json(root / "script.json")
    locations: dict[str, str] = {}
    if isinstance(script, dict):
        for block in script.get("blocks", []):
            locations[block.get("id", "")] = block.get("location", "")
            intent.block_text[block.get("id", "")] = " ".join(
                str(block.get(k, "")) for k in ("prompt", "location", "narrative_objective", "voice_over"))
            intent.block_text[block.get("id", "")] += " " + " ".join(block.get("visual_elements", []) + block.get("characters", []))
    plan = _json(root / "shot_plan.json")
    spans = _timeline_spans(root)
    if isinstance(plan, dict):
        t = 0.0
        for s in plan.get("shots", []):
            sid = str(s.get("id"))
            start, end = spans.get(sid, (t, t + float(s.get("duration", 0) or 0)))
            if spans and sid not in spans:
                continue  # removed in the fine cut: not in the film
            t = end
            intent.shots.append(PlannedShot(
                id=sid, block_id=str(s.get("block_id", "")), start=start, end=end,
                characters=tuple(s.get("characters", [])), shot_size=str(s.get("shot_size", "")),
                movement=str(s.get("movement", "")), angle=str(s.get("angle", "")), action=str(s.get("action", "")),
                location=locations.get(str(s.get("block_id", "")), ""),
            ))
        intent.shots.sort(key=lambda p: p.start)
    design = _json(root / "sound_design.json")
    if isinstance(design, dict):
        for cue in design.get("cues", []):
            if cue.get("layer") in ("voice", "dialogue") and str(cue.get("text", "")).strip():
                start = float(cue.get("start", 0.0))
                intent.spoken.append(SpokenLine(start=start, end=start + float(cue.get("duration", 0.0)),
                                                text=str(cue["text"]), speaker=cue.get("speaker")))
        intent.spoken.sort(key=lambda s: s.start)
    return intent
