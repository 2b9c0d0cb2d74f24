"""Sound tools the sound designer calls: speech synthesis, procedural sound
generation for the default library, and the mixer. Speech sits behind the
`SpeechSynthesizer` interface (offline eSpeak NG by default, ElevenLabs when
configured); `synth` renders the generated, tagged library that
`filmcrew.memory.sound_library` searches; `mix` turns a `SoundDesign` into
loudness-normalised stems and a limited stereo master with a `MixReport`.
"""

from filmcrew.tools.sound.elevenlabs import ElevenLabsSynthesizer
from filmcrew.tools.sound.mixer import mix
from filmcrew.tools.sound.speech import (
    EspeakSynthesizer,
    SpeechClip,
    SpeechSynthesizer,
    cast_voices,
    describe_speech_providers,
    make_speech_synthesizer,
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
