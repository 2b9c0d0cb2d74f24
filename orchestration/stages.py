"""The professional workflow as data: one `StageSpec` per stage of DESIGN.md.

A stage names who proposes (role, task), who critiques (optional), which run
files it reads (its fingerprint) and writes, the context its prompt gets, and
`apply`, which turns the accepted typed output into files. Custom roles add
stages of their own with `StageSpec(..., after="camera")`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from filmcrew.agents.agent import RejectedOutput
from filmcrew.memory.models import (
    Analysis,
    ClipSet,
    EditDecisionList,
    ExportReport,
    MixReport,
    Review,
    RoughCutPlan,
    Script,
    ShotPlan,
    SoundCue,
    SoundDesign,
    SoundPlan,
)

__all__ = ["StageSpec", "default_stages", "insert_stage", "cut_description", "cut_frames", "load_looks"]


def _summary_default(production: Any, output: BaseModel) -> str:
    return type(output).__name__


@dataclass
class StageSpec:
    name: str
    role: str
    task: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    context: Callable[[Any], dict[str, Any]]
    apply: Callable[[Any, Any, int], Awaitable[str]]
    critic: tuple[str, str] | None = None
    critic_context: Callable[[Any, Any], dict[str, Any]] = field(default=lambda p, d: {})
    result_tool: str | None = None
    params: Callable[[Any], Any] | None = None
    verify: Callable[[Any], bool] | None = None
    check: Callable[[Any, Any], None] | None = None
    summarise: Callable[[Any, Any], str] = _summary_default
    # Frames a vision-capable model of the proposing role gets to see.
    images: Callable[[Any], list[Path]] | None = None
    # For custom stages: the name of the stage this one follows.
    after: str | None = None


def insert_stage(stages: list[StageSpec], stage: StageSpec) -> list[StageSpec]:
    if stage.after is None:
        return [*stages, stage]
    names = [s.name for s in stages]
    if stage.after not in names:
        raise ValueError(f"stage {stage.name!r} wants to follow {stage.after!r}, which is not a stage: {', '.join(names)}")
    i = names.index(stage.after) + 1
    return [*stages[:i], stage, *stages[i:]]


# -- reading the run ---------------------------------------------------------------


def _script(p: Any) -> Script:
    return p.run.read_model("script.json", Script)


def _plan(p: Any) -> ShotPlan:
    return p.run.read_model("shot_plan.json", ShotPlan)


def _clips(p: Any) -> ClipSet:
    return p.run.read_model("clips.json", ClipSet)


def load_looks(p: Any) -> dict[str, dict[str, Any]]:
    """Per-block looks other roles decided (e.g. a colorist's grade), keyed by block id."""
    return p.run.read_json("looks.json", default={}) or {}


def _brightness(path: str, at: float) -> float:
    from filmcrew.tools.media import ffmpeg_exe

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-ss", f"{at:.3f}", "-i", path, "-frames:v", "1",
         "-vf", "scale=32:18", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
    )
    data = proc.stdout
    return round(sum(data) / (255.0 * len(data)), 3) if data else 0.5


def cut_frames(p: Any, timeline_name: str = "rough_cut.otio", width: int = 512) -> list[Path]:
    """One still per shot of the cut, from the middle of what the cut shows."""
    from filmcrew.tools.media import run_ffmpeg
    from filmcrew.tools.timeline import media_path, picture_track, read_timeline, shot_spans

    tl = read_timeline(p.run.path(timeline_name))
    paths = {c.name: media_path(c) for c in picture_track(tl).find_clips()}
    out_dir = p.run.path(".work/frames")
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    for span in shot_spans(tl):
        target = out_dir / f"{span.shot_id}.jpg"
        at = span.source_start + span.source_duration / 2
        run_ffmpeg(["-ss", f"{at:.3f}", "-i", str(paths[span.shot_id]), "-frames:v", "1", "-vf", f"scale={width}:-2", str(target)])
        frames.append(target)
    return frames


def cut_description(p: Any, timeline_name: str) -> dict[str, Any]:
    """What a viewer (or the sound designer) can know of a cut: shots in order with
    their timeline positions, camera, voice-over, brightness and the visible events
    re-timed through trims and speed changes."""
    from filmcrew.memory.rundir import file_digest
    from filmcrew.tools.timeline import read_timeline, shot_spans

    # Review, analysis and fine cut all look at the same cut; sample its frames once.
    key = ("cut", timeline_name, file_digest(p.run.path(timeline_name)), file_digest(p.run.path("clips.json")))
    if key in p.scratch:
        return p.scratch[key]
    tl = read_timeline(p.run.path(timeline_name))
    plan = {s.id: s for s in _plan(p).shots}
    clips = {c.shot_id: c for c in _clips(p).clips}
    voice_by_block = {v["block_id"]: v["text"] for v in (p.run.read_json("rough_cut_plan.json", {}) or {}).get("voice_over", [])}
    shots = []
    for span in shot_spans(tl):
        shot = plan[span.shot_id]
        clip = clips.get(span.shot_id)
        events = []
        for event in (clip.metadata.get("events", []) if clip else []):
            rel = (float(event["t"]) - span.source_start) / span.speed
            if 0 <= rel < span.duration:
                events.append({**event, "t": round(rel, 3)})
        shots.append({
            "shot_id": span.shot_id, "block_id": span.block_id, "start": round(span.start, 4), "duration": round(span.duration, 4),
            "speed": span.speed, "shot_size": shot.shot_size, "movement": shot.movement, "angle": shot.angle,
            "action": shot.action, "voice_over": shot.voice_over, "speaker": shot.speaker, "characters": shot.characters,
            "brightness": _brightness(clip.path, span.source_start + span.source_duration / 2) if clip else 0.5,
            "events": events,
        })
    blocks: list[dict[str, Any]] = []
    for shot in shots:
        if not blocks or blocks[-1]["block_id"] != shot["block_id"]:
            blocks.append({"block_id": shot["block_id"], "duration": 0.0, "shot_ids": [], "voice_words": 0})
        block = blocks[-1]
        block["duration"] = round(block["duration"] + shot["duration"], 4)
        block["shot_ids"].append(shot["shot_id"])
    for block in blocks:
        text = voice_by_block.get(block["block_id"]) or " ".join(s["voice_over"] for s in shots if s["block_id"] == block["block_id"])
        block["voice_words"] = len(text.split())
        block["voice_over"] = text
    total = sum(s["duration"] for s in shots)
    p.scratch[key] = {"duration": round(total, 4), "shot_count": len(shots), "average_shot_length": round(total / max(1, len(shots)), 3),
                      "shots": shots, "blocks": blocks}
    return p.scratch[key]


# -- stage functions -----------------------------------------------------------------


async def _apply_script(p: Any, output: Script, proposals: int) -> str:
    p.run.write_model("script.json", output)
    return f"{output.synopsis.title}: {len(output.blocks)} scene blocks, {len(output.detailed.shots)} storyboard shots"


def _check_plan(p: Any, output: ShotPlan) -> None:
    script = _script(p)
    blocks = {b.id for b in script.blocks}
    unknown = sorted({s.block_id for s in output.shots} - blocks)
    if unknown:
        raise RejectedOutput(f"shots name unknown scene blocks {', '.join(unknown)}; use {', '.join(sorted(blocks))}")
    missing = sorted(blocks - {s.block_id for s in output.shots})
    if missing:
        raise RejectedOutput(f"blocks {', '.join(missing)} have no shots; every block needs at least one")
    ids = [s.id for s in output.shots]
    if len(ids) != len(set(ids)):
        raise RejectedOutput("shot ids must be unique")


async def _apply_plan(p: Any, output: ShotPlan, proposals: int) -> str:
    _check_plan(p, output)
    # The references that shaped each block are saved beside every shot they shaped.
    found = p.scratch.get("references", {})
    shots = []
    for shot in output.shots:
        refs = shot.references or found.get(shot.block_id, [])[:5]
        shots.append(shot.model_copy(update={"references": refs}))
    plan = output.model_copy(update={"shots": shots, "rounds": max(1, proposals), "used_references": bool(p.config.use_camera_rag and found)})
    p.run.write_model("shot_plan.json", plan)
    total = sum(s.duration for s in plan.shots)
    return f"{len(plan.shots)} shots, {total:.1f} s, {'with' if plan.used_references else 'without'} film references, {plan.rounds} round(s)"


def _summarise_plan(p: Any, output: ShotPlan) -> str:
    return ", ".join(f"{s.id} {s.shot_size}/{s.movement}/{s.angle}" for s in output.shots[:12])


async def _apply_clips(p: Any, output: ClipSet, proposals: int) -> str:
    plan_ids = [s.id for s in _plan(p).shots]
    have = {c.shot_id for c in output.clips if Path(c.path).exists()}
    missing = [sid for sid in plan_ids if sid not in have]
    if missing:
        raise RejectedOutput(f"clips missing for shots {', '.join(missing)}; call render_clips for them")
    ordered = sorted(output.clips, key=lambda c: plan_ids.index(c.shot_id))
    p.run.write_model("clips.json", ClipSet(clips=ordered))
    return f"{len(ordered)} clips, {sum(c.duration for c in ordered):.1f} s"


def _clips_exist(p: Any) -> bool:
    try:
        return all(Path(c.path).exists() for c in _clips(p).clips)
    except FileNotFoundError:
        return False


async def _apply_rough_cut(p: Any, output: RoughCutPlan, proposals: int) -> str:
    from filmcrew.tools.timeline import build_rough_cut, write_timeline

    script = _script(p)
    lines = {v.block_id: v.text for v in output.voice_over}
    unknown = sorted(set(lines) - {b.id for b in script.blocks})
    if unknown:
        raise RejectedOutput(f"voice-over for unknown blocks {', '.join(unknown)}")
    script = script.model_copy(update={"blocks": [b.model_copy(update={"voice_over": lines.get(b.id, b.voice_over)}) for b in script.blocks]})
    clips = _clips(p).clips
    tl = build_rough_cut(clips, _plan(p), script, fps=p.config.clips.fps, root=p.run.root)
    p.run.write_model("rough_cut_plan.json", output)
    write_timeline(tl, p.run.path("rough_cut.otio"))
    return f"rough cut of {len(clips)} clips with {len(lines)} voice-over placeholders"


async def _apply_review(p: Any, output: Review, proposals: int) -> str:
    p.run.write_model("review.json", output)
    return f"{output.audience}: engagement {output.engagement:.2f}, {len(output.notes)} notes"


async def _apply_analysis(p: Any, output: Analysis, proposals: int) -> str:
    p.run.write_model("analysis.json", output)
    return f"{len(output.structure)} structure, {len(output.timing)} timing, {len(output.audio)} audio recommendations"


async def _apply_fine_cut(p: Any, output: EditDecisionList, proposals: int) -> str:
    from filmcrew.tools.render import timeline_duration
    from filmcrew.tools.timeline import apply_decisions, read_timeline, write_timeline

    rough = read_timeline(p.run.path("rough_cut.otio"))
    fine, errors = apply_decisions(rough, output.decisions)
    if errors:
        raise RejectedOutput("the timeline refused these edits: " + "; ".join(errors))
    fine.name = "fine cut (picture lock)"
    p.run.write_model("edits.json", output)
    write_timeline(fine, p.run.path("fine_cut.otio"))
    ops = [d.op for d in output.decisions if d.op != "retain"]
    return f"picture lock at {timeline_duration(fine):.2f} s after {len(ops)} edits ({', '.join(sorted(set(ops))) or 'none'})"


def _resolve_sound(library: Any, ref: str, category: str | None) -> Any | None:
    """`asset:<id>` names a library asset; anything else is a search query."""
    if ref.startswith("asset:"):
        wanted = ref.split(":", 1)[1]
        try:
            return library.get(wanted)
        except KeyError:
            # A model may name an id that does not exist; its words still say what it wants.
            ref = wanted.replace("-", " ").replace("_", " ")
    hits = library.search(ref, category=category, k=1)
    return hits[0][0] if hits else None


async def _apply_sound_design(p: Any, output: SoundPlan, proposals: int) -> str:
    from filmcrew.tools.render import timeline_duration
    from filmcrew.tools.sound.speech import voice_for
    from filmcrew.tools.timeline import read_timeline, shot_spans

    fine = read_timeline(p.run.path("fine_cut.otio"))
    spans = {s.shot_id: s for s in shot_spans(fine)}
    duration = timeline_duration(fine)
    unknown = sorted(({v.shot_id for v in output.voices} | {e.shot_id for e in output.effects}) - set(spans))
    if unknown:
        raise RejectedOutput(f"cues name shots not in the picture lock: {', '.join(unknown)}; use {', '.join(spans)}")
    library = p.services.get("sound_library")
    speech = p.services.get("speech")
    cues: list[SoundCue] = []
    block_spans: dict[str, tuple[float, float]] = {}
    for span in spans.values():
        start, end = block_spans.get(span.block_id, (span.start, span.start + span.duration))
        block_spans[span.block_id] = (min(start, span.start), max(end, span.start + span.duration))
    for scene in output.scenes:
        if scene.block_id not in block_spans:
            continue
        start, end = block_spans[scene.block_id]
        for layer, ref, gain in (("ambience", scene.ambience, 0.0), ("music", scene.music, scene.music_gain_db)):
            if not ref:
                continue
            asset = _resolve_sound(library, ref, layer)
            if asset is None:
                continue
            cues.append(SoundCue(id=f"{layer}-{scene.block_id}", layer=layer, scale="scene", start=round(start, 4),
                                 duration=round(end - start, 4), asset=str(library.asset_path(asset)), gain_db=gain,
                                 description=asset.description, block_id=scene.block_id, syncs_to=f"scene block {scene.block_id}"))
    voices = speech.voices()
    total_voice = len(output.voices)
    for i, line in enumerate(output.voices, start=1):
        span = spans[line.shot_id]
        room = span.duration - line.offset - 0.05
        if room <= 0.3:
            continue
        text = line.text
        clip = None
        for _attempt in range(3):
            target = p.run.audio_dir / f"{line.kind}-{line.shot_id}.wav"
            clip = await speech.synthesize(text, target, voice=voice_for(line.speaker, voices))
            if clip.duration <= room or len(text.split()) <= 3:
                break
            # Too long for the picture-locked shot: say less rather than overrun the cut.
            words = text.split()
            text = " ".join(words[: max(3, int(len(words) * room / clip.duration) - 1)]) + "."
        p.progress("sound_design", i, total_voice, f"voice {line.shot_id}")
        assert clip is not None
        cues.append(SoundCue(id=f"{line.kind}-{line.shot_id}", layer=line.kind, scale="shot", start=round(span.start + line.offset, 4),
                             duration=round(min(clip.duration, room), 4), asset=str(clip.path), text=text,
                             description=f"{line.speaker or 'narrator'} ({clip.voice})", block_id=span.block_id,
                             shot_id=line.shot_id, syncs_to=f"shot {line.shot_id}"))
    for n, effect in enumerate(output.effects, start=1):
        span = spans[effect.shot_id]
        if effect.at >= span.duration:
            continue
        asset = _resolve_sound(library, effect.query, effect.layer)
        if asset is None:
            continue
        start = span.start + effect.at
        length = min(asset.duration, 4.0, duration - start)
        if length <= 0.05:
            continue
        cues.append(SoundCue(id=f"{effect.layer}-{effect.shot_id}-{n}", layer=effect.layer, scale="intra_shot", start=round(start, 4),
                             duration=round(length, 4), asset=str(library.asset_path(asset)), gain_db=effect.gain_db,
                             description=asset.description, block_id=span.block_id, shot_id=effect.shot_id, syncs_to=effect.syncs_to))
    design = SoundDesign(cues=cues, duration=round(duration, 6))
    p.run.write_model("sound_plan.json", output)
    p.run.write_model("sound_design.json", design)
    layers = sorted({c.layer for c in cues})
    return f"{len(cues)} cues on {len(layers)} layers ({', '.join(layers)})"


async def _apply_mix(p: Any, output: MixReport, proposals: int) -> str:
    p.run.write_model("mix_report.json", output)
    stems = ", ".join(f"{s.layer} {s.integrated_lufs:.1f}" for s in output.stems if s.integrated_lufs is not None)
    return f"mix {output.duration:.2f} s; stems LUFS: {stems}; master {output.master_lufs}"


def _mix_exists(p: Any) -> bool:
    report = p.run.read_json("mix_report.json")
    return bool(report) and all(Path(s["path"]).exists() or p.run.path(s["path"]).exists() for s in report["stems"])


async def _apply_export(p: Any, output: ExportReport, proposals: int) -> str:
    if not p.run.path("film.mp4").exists():
        raise RejectedOutput("film.mp4 was not written; call export_film")
    p.run.write_model("export.json", output)
    return f"film.mp4 ({output.duration:.2f} s, {output.frames} frames), timeline.otio, {', '.join(output.interchange)}"


def default_stages() -> list[StageSpec]:
    def brief_ctx(p: Any) -> dict[str, Any]:
        return {"brief": p.brief.model_dump(mode="json"), "audience": p.audience.model_dump(mode="json")}

    def camera_ctx(p: Any) -> dict[str, Any]:
        return {"script": _script(p).model_dump(mode="json"), "target_duration": p.brief.target_duration,
                "use_references": p.config.use_camera_rag}

    return [
        StageSpec("script", "screenwriter", "structure_script", ("brief.json",), ("script.json",), brief_ctx, _apply_script,
                  params=lambda p: {"audience": p.audience.name}),
        StageSpec("camera", "cinematographer", "plan_camera", ("script.json",), ("shot_plan.json",), camera_ctx, _apply_plan,
                  critic=("screenwriter", "check_shot_plan"),
                  critic_context=lambda p, draft: {"script": _script(p).model_dump(mode="json"), "shot_plan": draft.model_dump(mode="json"),
                                                   "target_duration": p.brief.target_duration},
                  params=lambda p: {"rag": p.config.use_camera_rag, "rounds": p.config.debate_rounds},
                  check=_check_plan, summarise=_summarise_plan),
        StageSpec("clips", "cinematographer", "generate_clips", ("brief.json", "shot_plan.json", "looks.json"), ("clips.json",),
                  lambda p: {"shot_count": len(_plan(p).shots)}, _apply_clips, result_tool="render_clips",
                  params=lambda p: p.config.clips.model_dump(include={"provider", "model", "width", "height", "fps"}), verify=_clips_exist),
        StageSpec("rough_cut", "editor", "assemble_rough_cut", ("script.json", "shot_plan.json", "clips.json"),
                  ("rough_cut.otio", "rough_cut_plan.json"),
                  lambda p: {"script": _script(p).model_dump(mode="json"), "shot_plan": _plan(p).model_dump(mode="json")}, _apply_rough_cut),
        StageSpec("review", "audience", "review_cut", ("rough_cut.otio", "clips.json"), ("review.json",),
                  lambda p: {"audience": p.audience.model_dump(mode="json")}, _apply_review,
                  params=lambda p: p.audience.model_dump(mode="json"), images=lambda p: cut_frames(p)),
        StageSpec("analysis", "editor", "analyze_review", ("review.json", "rough_cut.otio"), ("analysis.json",),
                  lambda p: {"review": p.run.read_json("review.json"), "cut": cut_description(p, "rough_cut.otio"),
                             "attention_span_s": p.audience.attention_span_s}, _apply_analysis),
        StageSpec("fine_cut", "editor", "fine_cut", ("analysis.json", "rough_cut.otio"), ("fine_cut.otio", "edits.json"),
                  lambda p: {"analysis": p.run.read_json("analysis.json"), "cut": cut_description(p, "rough_cut.otio"),
                             "audience": p.audience.model_dump(mode="json")}, _apply_fine_cut),
        StageSpec("sound_design", "sound_designer", "design_sound", ("script.json", "fine_cut.otio", "analysis.json", "clips.json"),
                  ("sound_design.json", "sound_plan.json"),
                  lambda p: {"script": _script(p).model_dump(mode="json"), "cut": cut_description(p, "fine_cut.otio"),
                             "audio_notes": [r for r in (p.run.read_json("analysis.json") or {}).get("audio", [])]},
                  _apply_sound_design, params=lambda p: p.config.speech.model_dump()),
        StageSpec("mix", "sound_designer", "mix", ("sound_design.json",), ("mix.wav", "mix_report.json"),
                  lambda p: {"cue_count": len(p.run.read_json("sound_design.json")["cues"])}, _apply_mix, result_tool="mix_soundtrack",
                  verify=_mix_exists),
        StageSpec("export", "editor", "export", ("fine_cut.otio", "sound_design.json", "mix.wav"),
                  ("timeline.otio", "film.mp4", "export.json"), lambda p: {}, _apply_export, result_tool="export_film",
                  params=lambda p: p.config.clips.model_dump(include={"width", "height", "fps"})),
    ]
