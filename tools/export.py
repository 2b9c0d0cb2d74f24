"""The export sequence: from the picture lock, the sound design and the mix to
the deliverables of a run.

`export_film` writes `timeline.otio` (picture, one audio track per sound
layer, and the mix), FCP 7 XML and an EDL beside it, renders the picture,
muxes the mix under it into `film.mp4` and counts the frames that came out.

The timeline is a hand-off to an editor: each layer's track plays the
mixer's levelled stem (`stems/<layer>.wav`, every gain, fade, duck and
loudness target applied), so the enabled tracks sum to the mix; the Mix track
is there but disabled. Every media file lives in the run folder, referenced
relative to the timeline (a file from elsewhere, such as a library sound, is
copied into `media/`), and `timeline.otioz` bundles timeline and media in one
file. The FCP XML gets absolute paths, which is what NLEs importing it expect,
and leaves the disabled Mix track out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import opentimelineio as otio

from filmcrew.memory.models import ClipSet, ExportReport, SoundDesign
from filmcrew.memory.rundir import atomic_write_text
from filmcrew.tools.media import count_frames
from filmcrew.tools.render import mux, render_picture, timeline_duration
from filmcrew.tools.timeline import (
    LAYER_TRACKS,
    absolute_media,
    build_final_timeline,
    export_interchange,
    localise_media,
    read_timeline,
    write_timeline,
)

__all__ = ["FILM", "TIMELINE", "BUNDLE", "export_film", "write_bundle"]

FILM = "film.mp4"
TIMELINE = "timeline.otio"
BUNDLE = "timeline.otioz"


def export_film(
    root: Path,
    fine_cut: Path,
    design: SoundDesign,
    mix: Path,
    *,
    width: int,
    height: int,
    fps: int,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:
    """Write the deliverables of the run in `root` and report where they are.

    `progress(frames_done, frames_total)` follows the picture render, the long part.
    Blocking (ffmpeg); run it in a thread from async code.
    """
    fine = read_timeline(fine_cut)
    stems = {layer: root / "stems" / f"{layer}.wav" for layer in LAYER_TRACKS}
    final = build_final_timeline(fine, design, root, mix_path=mix, fps=fps,
                                 stems={k: v for k, v in stems.items() if v.exists()})
    final.name = title or f"{root.name} - filmcrew"
    localise_media(final, root)
    write_timeline(final, root / TIMELINE)
    for_nle = absolute_media(final, root)
    for_nle.tracks[:] = [t for t in for_nle.tracks if t.enabled]
    exports = export_interchange(for_nle, root)
    exports["otioz"] = write_bundle(final, root)
    credits = _art_credits(root)
    if credits:
        exports["notes"] = _add_credits(root / "timeline.export-notes.json", credits)
    work = root / ".work"
    work.mkdir(exist_ok=True)
    picture = work / "picture.mp4"
    render_picture(fine, picture, width=width, height=height, fps=fps, progress=progress)
    film = root / FILM
    mux(picture, mix, film)
    picture.unlink(missing_ok=True)
    return ExportReport(film=str(film), timeline=str(root / TIMELINE), interchange={k: str(v) for k, v in exports.items()},
                        duration=round(timeline_duration(fine), 4), frames=count_frames(film))


def write_bundle(timeline: otio.schema.Timeline, root: Path) -> Path:
    """`timeline.otioz`: the timeline and every media file it plays, in one zip."""
    target = root / BUNDLE
    target.unlink(missing_ok=True)  # the adapter refuses to overwrite
    otio.adapters.write_to_file(absolute_media(timeline, root), str(target), adapter_name="otioz")
    return target


def _art_credits(root: Path) -> list[str]:
    """The art sets the clips drew from (each clip's `drawn.credits`), for the export notes."""
    path = root / "clips.json"
    if not path.is_file():
        return []
    clips = ClipSet.model_validate_json(path.read_text(encoding="utf-8")).clips
    return sorted({c for clip in clips if clip.drawn is not None for c in clip.drawn.credits})


def _add_credits(notes_path: Path, credits: list[str]) -> Path:
    notes = json.loads(notes_path.read_text(encoding="utf-8")) if notes_path.is_file() else {}
    notes["credits"] = [f"previz art: {c}" for c in credits]
    atomic_write_text(notes_path, json.dumps(notes, indent=2))
    return notes_path
