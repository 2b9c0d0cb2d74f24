"""Typed records that cross a stage boundary.

Every stage reads these from the run directory and writes them back as JSON,
so each model is a plain pydantic model with stable field names. Controlled
vocabularies are `Literal`s: the craft model, real LLMs and the renderer all
agree on the same words.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

__all__ = [
    "ID_PATTERN",
    "Id",
    "MAX_BRIEF_CHARS",
    "MAX_DURATION_S",
    "MIN_DURATION_S",
    "SHOT_SIZES",
    "MOVEMENTS",
    "ANGLES",
    "TIMES_OF_DAY",
    "ShotSize",
    "Movement",
    "Angle",
    "TimeOfDay",
    "ReferenceImage",
    "Brief",
    "Character",
    "Synopsis",
    "SimplifiedStoryboard",
    "StoryboardShot",
    "DetailedStoryboard",
    "SceneBlock",
    "Script",
    "DialogueLine",
    "SceneBlocks",
    "default_duration",
    "ReferenceMatch",
    "Shot",
    "ShotPlan",
    "Critique",
    "Drawn",
    "ClipAsset",
    "ClipSet",
    "ReviewNote",
    "RecheckItem",
    "Recheck",
    "Review",
    "Recommendation",
    "Analysis",
    "EditDecision",
    "EditDecisionList",
    "SoundCue",
    "CastVoice",
    "Cast",
    "SoundDesign",
    "StemReport",
    "MixReport",
    "VoiceCueReport",
    "AudienceProfile",
    "BlockVoiceOver",
    "RoughCutPlan",
    "SceneSound",
    "ShotVoice",
    "EffectRequest",
    "SoundPlan",
    "SceneSoundPlan",
    "ShotSoundPlan",
    "IntraShotSoundPlan",
    "ExportReport",
]

ShotSize = Literal[
    "extreme_wide", "wide", "full", "medium_wide", "medium", "medium_close_up", "close_up", "extreme_close_up"
]
Movement = Literal[
    "static", "pan", "tilt", "dolly_in", "dolly_out", "truck", "pedestal", "crane", "handheld",
    "tracking", "zoom_in", "zoom_out", "arc", "whip_pan", "dolly_zoom",
]
Angle = Literal["eye_level", "high", "low", "overhead", "dutch", "over_the_shoulder", "point_of_view"]
TimeOfDay = Literal["dawn", "morning", "day", "afternoon", "golden_hour", "dusk", "night"]

SHOT_SIZES: tuple[str, ...] = ShotSize.__args__  # type: ignore[attr-defined]
MOVEMENTS: tuple[str, ...] = Movement.__args__  # type: ignore[attr-defined]
ANGLES: tuple[str, ...] = Angle.__args__  # type: ignore[attr-defined]
TIMES_OF_DAY: tuple[str, ...] = TimeOfDay.__args__  # type: ignore[attr-defined]


#: Ids written by a model (shots, blocks, cues) become file names: letters,
#: digits, `_`, `-` and `.`, not starting with a dot, so no id can name a folder
#: or climb out of the run directory (`../../x` is refused where it is parsed).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

#: Brief limits. 100,000 characters is about 16,000 English words: a long short
#: story. Past that the plan and the state files grow without making a better film.
MAX_BRIEF_CHARS = 100_000
MIN_DURATION_S = 1.0
MAX_DURATION_S = 600.0
# Longest a cue may start or run: a 600 s film slowed down still fits.
_MAX_TIMELINE_S = 3600.0
_WORDLIKE = re.compile(r"[^\W_]")


class _Record(BaseModel):
    # Unknown keys from a model's JSON are an error the model must hear about,
    # not silently dropped content.
    model_config = ConfigDict(extra="forbid")


class ReferenceImage(_Record):
    """A user's image of a character or a location, named as the script names it."""

    # A name is matched against the script's names; it is never a path.
    name: str = Field(min_length=1, max_length=80, pattern=r"^[^/\\\x00-\x1f.][^/\\\x00-\x1f]*$")
    kind: Literal["character", "location"]
    path: str = Field(min_length=1, max_length=4096)


class Brief(_Record):
    """What the user asks for. Every limit lives here, for the CLI, brief files and run files alike."""

    text: str
    references: list[ReferenceImage] = Field(default_factory=list, max_length=32)
    audience: str = Field(default="general", min_length=1, max_length=80)
    target_duration: float = 30.0
    style: str = Field(default="cinematic", max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _duration_grows_with_the_story(cls, data: Any) -> Any:
        # Without a stated duration a longer story gets a longer film (default_duration);
        # --duration, a brief file or a run file that gives one always wins.
        if isinstance(data, dict) and data.get("target_duration") is None and isinstance(data.get("text"), str):
            data = {**data, "target_duration": default_duration(data["text"])}
        return data

    @field_validator("text")
    @classmethod
    def _text_has_words(cls, value: str) -> str:
        if len(value) > MAX_BRIEF_CHARS:
            raise ValueError(
                f"the brief is {len(value):,} characters, above the limit of {MAX_BRIEF_CHARS:,} "
                "(about 16,000 words): shorten it"
            )
        if not value.strip():
            raise ValueError("the brief is empty: pass a sentence or more describing the film")
        if not _WORDLIKE.search(value):
            raise ValueError("the brief has no words (only punctuation or symbols): describe the film in a sentence or more")
        return value

    @field_validator("target_duration")
    @classmethod
    def _duration_in_range(cls, value: float) -> float:
        if not math.isfinite(value) or not MIN_DURATION_S <= value <= MAX_DURATION_S:
            raise ValueError(f"{value:g} is out of range: give seconds between {MIN_DURATION_S:g} and {MAX_DURATION_S:g}")
        return value


def default_duration(text: str) -> float:
    """The target duration of a brief that states none: 30 s up to 40 words, then 0.4 s
    for each further word (a 100-word story runs 54 s, a 150-word one 74 s), at most 120 s."""
    words = len(text[:MAX_BRIEF_CHARS].split())
    return float(min(120, round(30 + 0.4 * max(0, words - 40))))


class Character(_Record):
    name: str
    description: str
    reference: str | None = None


class Synopsis(_Record):
    title: str
    logline: str
    settings: list[str]
    characters: list[Character]
    plot: str
    language: str = Field(default="en", description="ISO 639-1 code of the brief's language; the script is written in it")


class SimplifiedStoryboard(_Record):
    background: str
    causal_chain: list[str]
    developments: list[str]
    twist: str
    outcome: str


class StoryboardShot(_Record):
    id: Id
    kind: Literal["primary", "contextual", "metaphorical"]
    description: str
    characters: list[str] = Field(default_factory=list)
    location: str
    block: str = Field(default="", description="the scene (one place, one time) the shot belongs to, e.g. b2")


class DetailedStoryboard(_Record):
    shots: list[StoryboardShot]


class DialogueLine(_Record):
    speaker: str = Field(min_length=1, description="a character of the script")
    text: str = Field(min_length=1)


class SceneBlock(_Record):
    """One place and one time: the unit that camera retrieval queries with."""

    id: Id
    prompt: str
    time_of_day: TimeOfDay
    location: str
    characters: list[str]
    visual_elements: list[str]
    narrative_objective: str
    rough_sound: str
    storyboard_shots: list[Id] = Field(default_factory=list, description="ids of the storyboard shots it stages")
    voice_over: str = ""
    mood: str = "neutral"
    dialogue: list[DialogueLine] = Field(default_factory=list, description="lines spoken on screen, in order")
    mentioned: list[str] = Field(default_factory=list, description="characters talked about here but not on screen")


class SceneBlocks(_Record):
    """The fourth step of the screenwriter's chain: the scene blocks alone."""

    blocks: list[SceneBlock]


class Script(_Record):
    synopsis: Synopsis
    simplified: SimplifiedStoryboard
    detailed: DetailedStoryboard
    blocks: list[SceneBlock]
    language: str = Field(default="en", description="ISO 639-1 code of the language the script is written in")


class ReferenceMatch(_Record):
    """A film reference that shaped a shot, with its retrieval score."""

    ref_id: str
    score: float
    shot_size: str
    movement: str
    angle: str
    summary: str
    sequence_id: str = ""
    position: int = 0
    situation: str = ""


class Shot(_Record):
    id: Id
    block_id: Id
    shot_size: ShotSize
    movement: Movement
    angle: Angle
    lens: str = "35mm"
    composition: str = "rule of thirds"
    lighting: str = "natural"
    action: str
    characters: list[str] = Field(default_factory=list)
    voice_over: str = ""
    dialogue: str = ""
    speaker: str | None = None
    facing: Literal["left", "right", "camera"] | None = Field(
        default=None, description="which way the subject looks on screen; the 180-degree rule keeps it per character in a block")
    duration: float = Field(gt=0, le=30)
    references: list[ReferenceMatch] = Field(default_factory=list)
    rationale: str = ""


class ShotPlan(_Record):
    shots: list[Shot]
    used_references: bool = True
    rounds: int = 1


class Critique(_Record):
    """One role's check of another role's proposal inside a stage debate."""

    approve: bool
    notes: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list, description="ids of the shots/blocks the notes concern")


class Drawn(_Record):
    """What a clip's frames really show, by name: only what was drawn and in the
    picture, never what the script asked for but the renderer could not draw."""

    setting: str | None = None
    landmark: str | None = None
    set_dressing: list[str] = Field(default_factory=list)
    props: list[str] = Field(default_factory=list)
    creatures: list[str] = Field(default_factory=list)
    effects: list[str] = Field(default_factory=list)
    characters: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    icons: dict[str, str] = Field(default_factory=dict, description="script word -> icon drawn for it")
    credits: list[str] = Field(default_factory=list, description="art sets whose licence asks for credit")


class ClipAsset(_Record):
    shot_id: Id
    block_id: Id
    path: str
    duration: float
    frames: int
    fps: int
    width: int
    height: int
    provider: str
    input_hash: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    drawn: Drawn | None = Field(default=None, description="what the frames show (renderers that know it)")


class ClipSet(_Record):
    clips: list[ClipAsset]


class ReviewNote(_Record):
    category: Literal["structure", "timing", "audio"]
    target: str
    severity: Literal["low", "medium", "high"] = "medium"
    text: str
    problem: str = Field(default="", max_length=40, description="the measured problem's kind (tools.cut_problems), when the note names one")
    at: float | None = Field(default=None, ge=0, le=_MAX_TIMELINE_S, description="seconds into the cut where it shows")


class RecheckItem(_Record):
    """One problem of the rough cut's review, looked for again in the fine cut."""

    problem: str
    target: str
    before: str = Field(description="what the review said of the rough cut")
    after: str = Field(description="what is measured in the fine cut")
    resolved: bool


class Recheck(_Record):
    """The short second review: the fine cut watched for the problems the edit addressed."""

    audience: str
    items: list[RecheckItem]
    new: list[str] = Field(default_factory=list, description="problems the fine cut has that the rough cut did not")


class Review(_Record):
    audience: str
    summary: str
    engagement: float = Field(ge=0, le=1)
    notes: list[ReviewNote]


class Recommendation(_Record):
    target: str
    issue: str
    action: Literal["reorder", "remove", "trim", "accelerate", "retain", "revoice", "regenerate"]
    params: dict[str, float | str] = Field(default_factory=dict)


class Analysis(_Record):
    structure: list[Recommendation]
    timing: list[Recommendation]
    audio: list[Recommendation]


class EditDecision(_Record):
    shot_id: Id
    op: Literal["reorder", "remove", "trim", "accelerate", "retain"]
    # reorder: position; trim: head, tail (seconds); accelerate: speed (>0)
    params: dict[str, float] = Field(default_factory=dict)
    reason: str


class EditDecisionList(_Record):
    decisions: list[EditDecision]


class SoundCue(_Record):
    id: Id
    layer: Literal["voice", "dialogue", "music", "ambience", "foley", "sfx"]
    scale: Literal["scene", "shot", "intra_shot"]
    # Bounded (which also refuses inf and NaN): a model's number sizes audio buffers.
    start: float = Field(ge=0, le=_MAX_TIMELINE_S)
    duration: float = Field(gt=0, le=_MAX_TIMELINE_S)
    asset: str = Field(description="path of the audio file, relative to the run directory or absolute")
    gain_db: float = Field(default=0.0, ge=-120, le=24)
    text: str = ""
    description: str = ""
    block_id: Id | None = None
    shot_id: Id | None = None
    syncs_to: str | None = Field(default=None, description="the visible event or span the cue is timed to")
    speaker: str | None = Field(default=None, description="voice cues: the character speaking, 'narrator' for voice-over")
    voice: str | None = Field(default=None, description="voice cues: the cast voice that speaks the line")
    fade_in: float | None = Field(default=None, ge=0, description="seconds; None lets the mixer choose for the layer")
    fade_out: float | None = Field(default=None, ge=0, description="seconds; None lets the mixer choose for the layer")


class CastVoice(_Record):
    """One speaking part and the voice that plays it for the whole film."""

    name: str = Field(min_length=1, description="the character's name, or 'narrator'")
    voice: str = Field(min_length=1, description="the speech provider's voice name or id")
    gender: Literal["female", "male", "unknown"] = "unknown"
    age: Literal["child", "young", "adult", "old", "unknown"] = "unknown"


class Cast(_Record):
    """The film's voices: one per speaking character, a narrator of its own, all in the script's language."""

    provider: str
    language: str = "en"
    narrator: CastVoice
    characters: list[CastVoice] = Field(default_factory=list)


class SoundDesign(_Record):
    cues: list[SoundCue]
    duration: float


class StemReport(_Record):
    layer: str
    path: str
    integrated_lufs: float | None
    target_lufs: float | None
    peak_dbfs: float


class VoiceCueReport(_Record):
    """How well one voice cue cuts through the background under it (speech-band levels)."""

    cue_id: str
    speaker: str | None = None
    start: float
    duration: float
    speech_db: float | None = Field(description="RMS of the voice stem in the speech band (300-4000 Hz), dBFS")
    background_db: float | None = Field(description="RMS of everything else in the same band and span, dBFS")
    sbr_db: float | None = Field(description="speech-to-background ratio in dB; None when either side is silent")


class MixReport(_Record):
    stems: list[StemReport]
    master_path: str
    master_lufs: float | None
    master_true_peak_dbtp: float
    duration: float
    sample_rate: int
    encoded_true_peak_dbtp: float | None = Field(
        default=None, description="true peak of the master after the delivery AAC encode (a trial encode), dBTP")
    ceiling_dbtp: float = Field(default=-1.0, description="the limiter ceiling the master was finally limited to")
    voice_cues: list[VoiceCueReport] = Field(default_factory=list)


class AudienceProfile(_Record):
    """A target viewer archetype the audience role plays."""

    # Bounded: a custom profile is user input, and its text reaches every review prompt.
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(max_length=2000)
    age_range: str = Field(max_length=80)
    preferences: list[str] = Field(max_length=50)
    attention_span_s: float = Field(gt=0, le=3600, description="how long one scene may run before this viewer drifts")
    preferred_shot_length_s: float = Field(gt=0, le=600)
    pacing: Literal["slow", "moderate", "fast"]
    tone: str = Field(max_length=200)
    expectations: list[str] = Field(max_length=50)


class BlockVoiceOver(_Record):
    block_id: Id
    text: str


class RoughCutPlan(_Record):
    """The editor's rough cut: clips stay in plan order; placeholder voice-over per block."""

    voice_over: list[BlockVoiceOver]
    note: str = ""


class SceneSound(_Record):
    block_id: Id
    ambience: str = Field(description="a search query for the sound library")
    music: str = Field(description="a search query for the music bed; empty for none")
    music_gain_db: float = Field(default=0.0, ge=-120, le=24)
    transition: Literal["crossfade", "cut"] = Field(
        default="crossfade", description="how this block's beds meet the next block's: overlap and fade, or a hard cut")
    reason: str = Field(default="", description="why this ambience, score and transition (the block's place, time, mood, arc)")


class ShotVoice(_Record):
    shot_id: Id
    text: str
    speaker: str | None = Field(default=None, description="character name; None for the narrator")
    offset: float = Field(default=0.2, ge=0, le=60, description="seconds after the shot starts")
    kind: Literal["voice", "dialogue"] = "voice"


class EffectRequest(_Record):
    shot_id: Id
    query: str
    at: float = Field(ge=0, le=60, description="seconds after the shot starts")
    layer: Literal["foley", "sfx"] = "sfx"
    syncs_to: str
    gain_db: float = Field(default=0.0, ge=-120, le=24)


class SoundPlan(_Record):
    """The sound designer's decisions; the stage resolves them to files and timecodes."""

    scenes: list[SceneSound]
    voices: list[ShotVoice]
    effects: list[EffectRequest]


class SceneSoundPlan(_Record):
    """Scene scale: ambience and score per block, following the film's emotional arc."""

    scenes: list[SceneSound]


class ShotSoundPlan(_Record):
    """Shot scale: voice-over and dialogue per shot, each with its speaker, inside the picture-locked shot."""

    voices: list[ShotVoice]


class IntraShotSoundPlan(_Record):
    """Intra-shot scale: foley and effects at the moments of visible events and the script's objects and actions."""

    effects: list[EffectRequest]


class ExportReport(_Record):
    film: str
    timeline: str
    interchange: dict[str, str] = Field(default_factory=dict)
    duration: float
    frames: int
