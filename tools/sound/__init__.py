"""Sound tools the sound designer calls: speech synthesis and casting, the sound
library's builder and importer, procedural sound generation, analysis, the
loudness meter, placement and the mixer. Speech sits behind the
`SpeechSynthesizer` interface (offline eSpeak NG by default, ElevenLabs when
configured; `providers` picks one) and `cast` gives each speaking character one
voice for the film in the script's language; `synth` renders the generated,
tagged library that `library` builds (and fills with a user's files, measured
by `analysis`) and `filmcrew.memory.sound_library` searches; `loudness` is the
one BS.1770 meter everything is measured with; `placement` lays the sound
designer's scene, shot and intra-shot decisions on the picture lock; `mix`
turns a `SoundDesign` into loudness-normalised stems and a limited stereo
master with a `MixReport`.
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
