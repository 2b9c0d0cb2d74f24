"""Sound tools the sound designer calls: speech synthesis, the sound library's
builder and importer, procedural sound generation, the loudness meter and the
mixer. Speech sits behind the `SpeechSynthesizer` interface (offline eSpeak NG
by default, ElevenLabs when configured; `providers` picks one); `synth` renders
the generated, tagged library that `library` builds and
`filmcrew.memory.sound_library` searches; `loudness` is the one BS.1770 meter
everything is measured with; `placement` times the sound designer's decisions
on the picture lock as cues; `mix` turns a `SoundDesign` into
loudness-normalised stems and a limited stereo master with a `MixReport`.
"""

from filmcrew.tools.sound.elevenlabs import ElevenLabsSynthesizer
from filmcrew.tools.sound.mixer import mix
from filmcrew.tools.sound.providers import describe_speech_providers, make_speech_synthesizer
from filmcrew.tools.sound.speech import (
    EspeakSynthesizer,
    SpeechClip,
    SpeechSynthesizer,
    cast_voices,
    voice_for,
)

__all__ = [
    "SpeechClip",
    "SpeechSynthesizer",
    "EspeakSynthesizer",
    "ElevenLabsSynthesizer",
    "voice_for",
    "cast_voices",
    "make_speech_synthesizer",
    "describe_speech_providers",
    "mix",
]
