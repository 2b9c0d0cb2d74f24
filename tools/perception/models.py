"""What perception reports about one media file: typed, JSON-serialisable.

Times are seconds from the start of the file. Measures are plain numbers with
their unit in the field description, so a reader (the FilmEval judge, the
audience reviewer, the sound designer) never has to guess a scale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "EventKind",
    "PerceptionEvent",
    "ShotMeasures",
    "VideoMeasures",
    "AudioMeasures",
    "Perception",
]

EventKind = Literal[
    "cut", "flash", "exposure_change", "black", "frozen", "motion_start", "motion_peak",
    "onset", "speech", "silence", "clipping",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PerceptionEvent(_Model):
    """One timecoded thing seen or heard."""

    kind: EventKind
    time: float = Field(ge=0, description="seconds from the start of the file")
    end: float | None = Field(default=None, description="for spans (black, frozen, speech, silence): where it ends")
    strength: float = Field(default=0.0, description="how strong, in the kind's own unit (see detail)")
    detail: str = ""


class ShotMeasures(_Model):
    """Measures of one shot, from its first frame to the frame before the next cut."""

    index: int
    start: float
    end: float
    mean_luma: float = Field(description="mean luma, 0-255")
    sharpness: float = Field(description="variance of the Laplacian of luma at analysis width")
    noise: float = Field(description="estimated noise sigma on flat areas, luma units")
    blockiness: float = Field(description="edge strength on the 8-pixel grid over off-grid; ~1 for no coding blocks")
    motion: float = Field(description="mean optical-flow speed, frame widths per second")
    movement: Literal["static", "pan", "tilt", "zoom", "handheld", "moving"] = Field(
        description="camera movement class from the mean flow field")
    colourfulness: float = Field(description="Hasler-Suesstrunk colourfulness")
    dominant_colours: list[str] = Field(default_factory=list, description="hex colours, most frequent first")
    colour_signature: list[float] = Field(default_factory=list, description="normalised hue-saturation histogram of the centre")
    face_share: float = Field(default=0.0, description="share of sampled frames with a detected face")
    face_height: float = Field(default=0.0, description="largest detected face height over frame height (0 if none)")
    face_signature: list[float] = Field(default_factory=list, description="hue-saturation histogram of the largest face")
    people_share: float = Field(default=0.0, description="share of sampled frames with a detected person")
    shot_size: Literal["close", "medium", "wide", "unknown"] = "unknown"
    black_share: float = 0.0
    frozen_share: float = 0.0

    @property
    def duration(self) -> float:
        return self.end - self.start


class VideoMeasures(_Model):
    width: int
    height: int
    fps: float
    duration: float
    frames: int
    times: list[float] = Field(description="time of each analysed frame")
    luma: list[float]
    sharpness: list[float] = Field(description="per analysed frame; NaN-free, measured on every third frame and held")
    motion: list[float]
    diff: list[float] = Field(description="mean absolute luma difference to the previous frame, 0-255")
    flicker: float = Field(description="median absolute second difference of mean luma, luma units (cuts and flashes are too rare to move it)")
    jerk: float = Field(description="share of frames whose motion jumps >3x its neighbours without a cut")


class AudioMeasures(_Model):
    present: bool = Field(description="False when the file has no audio stream")
    sample_rate: int = 0
    duration: float = 0.0
    integrated_lufs: float | None = Field(default=None, description="None when the track is silent")
    loudness_range_lu: float = 0.0
    short_term: list[tuple[float, float | None]] = Field(default_factory=list, description="(time, LUFS over 3 s)")
    peak_dbfs: float = -120.0
    clipping_share: float = Field(default=0.0, description="share of samples within 1 dB of full scale")
    silence_share: float = 1.0
    speech_share: float = 0.0
    music_share: float = 0.0
    noise_share: float = 0.0
    classes: list[tuple[float, str]] = Field(default_factory=list, description="(window start, silence|speech|music|noise), 0.5 s hop")
    onsets: list[float] = Field(default_factory=list)
    onset_rate: float = Field(default=0.0, description="onsets per second")
    onset_envelope: list[float] = Field(default_factory=list, description="spectral-flux onset strength every 10 ms, over its median")
    speech_modulation: float = Field(default=0.0, description="median 2-8 Hz envelope modulation in speech windows (clarity proxy)")


class Perception(_Model):
    path: str
    digest: str
    version: int
    video: VideoMeasures | None
    audio: AudioMeasures
    shots: list[ShotMeasures]
    events: list[PerceptionEvent]

    def events_of(self, *kinds: str) -> list[PerceptionEvent]:
        return [e for e in self.events if e.kind in kinds]
