"""Turning the sound designer's decisions into timed cues on the picture lock.

A `SoundPlan` says what should be heard (a scene's ambience and score as
library queries, voice lines per shot, effects at moments inside shots);
`place_sound` resolves each to a file (a library asset or synthesised speech)
and a start and length on the timeline, at the three time scales of the
method: scene, shot and intra-shot.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal, Protocol

from filmcrew.memory.models import Cast, SoundCue, SoundDesign, SoundPlan
from filmcrew.memory.sound_library import SoundAsset
from filmcrew.tools.sound.cast import voice_of
from filmcrew.tools.sound.speech import SpeechClip, SpeechSynthesizer, voice_for
from filmcrew.tools.timeline import ShotSpan

__all__ = ["SoundSource", "EffectGenerator", "FILL_BELOW", "generate_missing_effects", "resolve_sound", "block_spans", "unplaceable_shots", "scene_cues", "voice_cues", "effect_cues", "place_sound"]

# Leave this much air between a line's end and the next cut.
_VOICE_TAIL = 0.05
# A shot with less room than this gets no line at all.
_MIN_VOICE_ROOM = 0.3
# Never shorten a line below this many words: past that, a clipped line is better than none.
_MIN_WORDS = 3
_VOICE_ATTEMPTS = 3
# Effects are short hits; a long file is cut off rather than smeared over the next shots.
_MAX_EFFECT = 4.0
_MIN_EFFECT = 0.05


class SoundSource(Protocol):
    """What placement needs of a sound library (`filmcrew.memory.sound_library.SoundLibrary`)."""

    def get(self, asset_id: str) -> SoundAsset: ...

    def search(self, query: str, category: str | None = None, k: int = 5) -> list[tuple[SoundAsset, float]]: ...

    def asset_path(self, asset: SoundAsset) -> Path: ...


def resolve_sound(library: SoundSource, ref: str, category: str | None) -> SoundAsset | None:
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


def block_spans(spans: Iterable[ShotSpan]) -> dict[str, tuple[float, float]]:
    """(start, end) on the timeline of each block, from its first shot to its last."""
    out: dict[str, tuple[float, float]] = {}
    for span in spans:
        start, end = out.get(span.block_id, (span.start, span.start + span.duration))
        out[span.block_id] = (min(start, span.start), max(end, span.start + span.duration))
    return out


def unplaceable_shots(plan: SoundPlan, spans: Mapping[str, ShotSpan]) -> list[str]:
    """Shots the plan's voices and effects name that are not in the cut."""
    named = {v.shot_id for v in plan.voices} | {e.shot_id for e in plan.effects}
    return sorted(named - set(spans))


# The longest crossfade between two scenes' beds; short blocks get a third of their length.
_CROSSFADE = 2.0
# A hard cut still needs a few milliseconds so the edit does not click.
_CUT_FADE = 0.01


def _scene_edge(transition: str, neighbour: tuple[float, float], span: tuple[float, float]) -> tuple[float, float]:
    """(overhang, fade) of a bed where its scene meets a neighbour: a short fade at a
    cut; otherwise a crossfade at most a third of either scene, half of it overhanging."""
    if transition == "cut":
        return 0.0, _CUT_FADE
    xf = min(_CROSSFADE, (neighbour[1] - neighbour[0]) / 3, (span[1] - span[0]) / 3)
    return xf / 2, xf


def scene_cues(plan: SoundPlan, spans: Iterable[ShotSpan], library: SoundSource) -> list[SoundCue]:
    """Ambience and music beds, each spanning its whole block, meeting the next block's
    beds the way the scene asks: a crossfade that overlaps the boundary, or a hard cut."""
    blocks = block_spans(spans)
    scenes = [scene for scene in plan.scenes if scene.block_id in blocks]
    cues: list[SoundCue] = []
    for i, scene in enumerate(scenes):
        start, end = blocks[scene.block_id]
        before = scenes[i - 1] if i > 0 else None
        after = scenes[i + 1] if i + 1 < len(scenes) else None
        fade_in = fade_out = None
        lead = tail = 0.0
        if before is not None:
            lead, fade_in = _scene_edge(before.transition, blocks[before.block_id], (start, end))
        if after is not None:
            tail, fade_out = _scene_edge(scene.transition, blocks[after.block_id], (start, end))
        meets = "" if after is None else f"; {scene.transition} into {after.block_id}"
        beds: tuple[tuple[Literal["ambience", "music"], str, float], ...] = (
            ("ambience", scene.ambience, 0.0), ("music", scene.music, scene.music_gain_db))
        for layer, ref, gain in beds:
            if not ref:
                continue
            asset = resolve_sound(library, ref, layer)
            if asset is None:
                continue
            cues.append(SoundCue(id=f"{layer}-{scene.block_id}", layer=layer, scale="scene", start=round(start - lead, 4),
                                 duration=round(end + tail - (start - lead), 4), asset=str(library.asset_path(asset)), gain_db=gain,
                                 description=asset.description, block_id=scene.block_id,
                                 syncs_to=f"scene block {scene.block_id}{meets}", fade_in=fade_in, fade_out=fade_out))
    return cues


async def voice_cues(
    plan: SoundPlan,
    spans: Mapping[str, ShotSpan],
    speech: SpeechSynthesizer,
    audio_dir: Path,
    *,
    cast: Cast | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[SoundCue]:
    """Each voice line spoken into `audio_dir` by its speaker's cast voice and laid on its
    shot; a line too long for its picture-locked shot is shortened and spoken again rather
    than overrun the cut."""
    voices = speech.voices()
    cues: list[SoundCue] = []
    total = len(plan.voices)
    for i, line in enumerate(plan.voices, start=1):
        span = spans[line.shot_id]
        room = span.duration - line.offset - _VOICE_TAIL
        if room <= _MIN_VOICE_ROOM:
            continue
        text = line.text
        if cast is not None:
            member = voice_of(cast, line.speaker)
            speaker, voice = member.name, member.voice
        else:
            speaker, voice = line.speaker or "narrator", voice_for(line.speaker, voices)
        clip: SpeechClip | None = None
        for _attempt in range(_VOICE_ATTEMPTS):
            clip = await speech.synthesize(text, audio_dir / f"{line.kind}-{line.shot_id}.wav", voice=voice)
            if clip.duration <= room or len(text.split()) <= _MIN_WORDS:
                break
            words = text.split()
            text = " ".join(words[: max(_MIN_WORDS, int(len(words) * room / clip.duration) - 1)]) + "."
        if on_progress is not None:
            on_progress(i, total, f"voice {line.shot_id}")
        assert clip is not None
        cues.append(SoundCue(id=f"{line.kind}-{line.shot_id}", layer=line.kind, scale="shot", start=round(span.start + line.offset, 4),
                             duration=round(min(clip.duration, room), 4), asset=str(clip.path), text=text,
                             description=f"{speaker} ({clip.voice})", block_id=span.block_id,
                             shot_id=line.shot_id, syncs_to=f"shot {line.shot_id}", speaker=speaker, voice=clip.voice))
    return cues


# Below this search score the library has nothing like the effect asked for, and a
# generator (ElevenLabs' text-to-sound-effects), when there is one, makes it instead.
FILL_BELOW = 0.3

#: description, out_path -> (path, seconds) of a generated effect.
EffectGenerator = Callable[[str, Path], Awaitable[tuple[Path, float]]]


async def generate_missing_effects(
    plan: SoundPlan, library: SoundSource, generate: EffectGenerator, audio_dir: Path,
) -> dict[str, tuple[Path, float]]:
    """query -> generated file for every effect query the library has no match for."""
    made: dict[str, tuple[Path, float]] = {}
    for effect in plan.effects:
        query = effect.query
        if query.startswith("asset:") or query in made:
            continue
        hits = library.search(query, category=effect.layer, k=1)
        if hits and hits[0][1] >= FILL_BELOW:
            continue
        slug = "-".join(re.findall(r"[a-z0-9]+", query.lower()))[:48] or "effect"
        made[query] = await generate(query, Path(audio_dir) / f"generated-{effect.layer}-{slug}.wav")
    return made


def effect_cues(
    plan: SoundPlan, spans: Mapping[str, ShotSpan], library: SoundSource, duration: float,
    generated: Mapping[str, tuple[Path, float]] | None = None,
) -> list[SoundCue]:
    """Foley and effects at moments inside shots, from the library or from `generated`
    files; one that would start past its shot or past the end of the film is dropped."""
    cues: list[SoundCue] = []
    generated = generated or {}
    for n, effect in enumerate(plan.effects, start=1):
        span = spans[effect.shot_id]
        if effect.at >= span.duration:
            continue
        if effect.query in generated:
            path, seconds = generated[effect.query]
            source, description = str(path), f"generated: {effect.query}"
        else:
            asset = resolve_sound(library, effect.query, effect.layer)
            if asset is None:
                continue
            source, description, seconds = str(library.asset_path(asset)), asset.description, asset.duration
        start = span.start + effect.at
        length = min(seconds, _MAX_EFFECT, duration - start)
        if length <= _MIN_EFFECT:
            continue
        cues.append(SoundCue(id=f"{effect.layer}-{effect.shot_id}-{n}", layer=effect.layer, scale="intra_shot", start=round(start, 4),
                             duration=round(length, 4), asset=source, gain_db=effect.gain_db,
                             description=description, block_id=span.block_id, shot_id=effect.shot_id, syncs_to=effect.syncs_to))
    return cues


async def place_sound(
    plan: SoundPlan,
    spans: Iterable[ShotSpan],
    duration: float,
    library: SoundSource,
    speech: SpeechSynthesizer,
    audio_dir: Path,
    *,
    cast: Cast | None = None,
    generate_effect: EffectGenerator | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> SoundDesign:
    """Every cue of `plan` placed on a cut of `duration` seconds whose shots are `spans`.

    With `generate_effect`, an effect the library has nothing like is generated.
    Raises `ValueError` when the plan names shots that are not in the cut.
    """
    by_shot = {s.shot_id: s for s in spans}
    unknown = unplaceable_shots(plan, by_shot)
    if unknown:
        raise ValueError(f"cues name shots not in the picture lock: {', '.join(unknown)}; use {', '.join(by_shot)}")
    cues = scene_cues(plan, by_shot.values(), library)
    cues += await voice_cues(plan, by_shot, speech, audio_dir, cast=cast, on_progress=on_progress)
    generated = await generate_missing_effects(plan, library, generate_effect, audio_dir) if generate_effect else {}
    cues += effect_cues(plan, by_shot, library, duration, generated)
    return SoundDesign(cues=cues, duration=round(duration, 6))
