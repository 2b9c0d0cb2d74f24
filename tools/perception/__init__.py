"""Perception: what any video file shows and sounds like, measured here.

`perceive(path)` decodes a clip or a film once (frames with OpenCV, sound via
ffmpeg) and returns a typed `Perception`: per-shot measures (sharpness, noise,
blockiness, exposure, motion and camera movement, dominant colours, faces and
people from OpenCV's shipped detectors), the audio's loudness over time,
clipping, onsets and its speech/music/noise share, and timecoded events
(cuts, flashes, exposure changes, black and frozen spans, motion starts and
peaks, sound onsets, speech spans). It works on whatever made the file — the
previz renderer, a clip provider, a user's own footage — and caches each
result by the file's content hash. FilmEval's judge, the audience reviewer
and the sound designer read the same measures.
"""

from filmcrew.tools.perception.audio import analyse_audio, classify_windows, decode_audio
from filmcrew.tools.perception.core import PERCEPTION_VERSION, perceive, perception_cache_dir
from filmcrew.tools.perception.models import (
    AudioMeasures,
    EventKind,
    Perception,
    PerceptionEvent,
    ShotMeasures,
    VideoMeasures,
)
from filmcrew.tools.perception.video import (
    analyse_video,
    appearance_signature,
    blockiness,
    colourfulness,
    noise_sigma,
    sharpness,
)

__all__ = [
    "perceive",
    "perception_cache_dir",
    "PERCEPTION_VERSION",
    "Perception",
    "PerceptionEvent",
    "EventKind",
    "ShotMeasures",
    "VideoMeasures",
    "AudioMeasures",
    "analyse_video",
    "analyse_audio",
    "decode_audio",
    "classify_windows",
    "sharpness",
    "noise_sigma",
    "blockiness",
    "colourfulness",
    "appearance_signature",
]
