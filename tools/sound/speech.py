"""The speech seam: a line of text in, a WAV file of it spoken out.

`EspeakSynthesizer` is the offline default: libespeak-ng and its voice data
ship inside the `espeakng-loader` wheel, and we drive the library directly
through ctypes (no subprocess, no system package). It is a formant
synthesiser: robotic but clearly intelligible English, with several accents
and voice variants so characters sound different. `ElevenLabsSynthesizer`
(in `elevenlabs.py`) is the cloud provider; `providers.py` picks one from
the config and tells `filmcrew doctor` which ones can run here.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from filmcrew.errors import ConfigurationError, InputError, ProviderError
from filmcrew.memory.rundir import atomic_path

__all__ = [
    "SpeechClip",
    "SpeechSynthesizer",
    "VoiceOption",
    "EspeakSynthesizer",
    "voice_for",
    "cast_voices",
    "espeak_voices",
    "write_wav",
]

OUTPUT_RATE = 48000


@dataclass
class SpeechClip:
    """A synthesised line on disk."""

    path: Path
    duration: float
    voice: str
    sample_rate: int


@dataclass(frozen=True)
class VoiceOption:
    """A voice a provider offers for a language, with what it sounds like (for casting)."""

    name: str
    gender: str = "unknown"  # female | male | unknown
    age: str = "unknown"  # child | young | adult | old | unknown


class SpeechSynthesizer(ABC):
    """A text-to-speech provider. Implementations write `out_path` only when the
    audio is complete (write elsewhere, then rename)."""

    name: str = "speech"

    @abstractmethod
    def voices(self) -> list[str]:
        """Voice names this provider accepts; the first is the narrator's."""

    def voices_for(self, language: str) -> list[VoiceOption]:
        """The voices that speak `language` (an ISO 639-1 code), narrator first.

        A provider that knows nothing of languages or timbres offers its
        plain voice list; casting then only keeps characters apart."""
        return [VoiceOption(v) for v in self.voices()]

    @abstractmethod
    async def synthesize(self, text: str, out_path: Path, *, voice: str | None = None) -> SpeechClip:
        """Speak `text` into a WAV file at `out_path`."""

    def describe(self) -> str:
        return self.name


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def voice_for(character: str | None, voices: Sequence[str]) -> str:
    """A stable voice for a character: the same name gets the same voice in every
    run and process. None (the narrator) gets the first voice; characters are
    spread over the others so no one shares the narrator's voice when there
    is a choice."""
    if not voices:
        raise ValueError("no voices to choose from")
    if character is None or len(voices) == 1:
        return voices[0]
    key = " ".join(character.lower().split())
    pool = list(voices[1:])
    return pool[_digest(key) % len(pool)]


def cast_voices(characters: Sequence[str], voices: Sequence[str]) -> dict[str, str]:
    """Distinct voices for a cast, as far as the voices go.

    Each character starts from `voice_for`'s choice and moves to the next free
    voice on a clash, in sorted name order, so the casting does not depend on
    the order characters were mentioned."""
    cast: dict[str, str] = {}
    pool = list(voices[1:]) or list(voices)
    taken: set[str] = set()
    for name in sorted(set(characters), key=lambda c: " ".join(c.lower().split())):
        first = voice_for(name, voices)
        start = pool.index(first) if first in pool else 0
        choice = first
        for i in range(len(pool)):
            candidate = pool[(start + i) % len(pool)]
            if candidate not in taken:
                choice = candidate
                break
        taken.add(choice)
        cast[name] = choice
    return cast


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write float or int16 mono samples as 16-bit PCM WAV, atomically."""
    import soundfile as sf

    data = np.asarray(samples)
    if data.dtype != np.int16:
        data = np.clip(data, -1.0, 1.0)
    with atomic_path(Path(path)) as tmp:
        sf.write(str(tmp), data, sample_rate, format="WAV", subtype="PCM_16")


def _trim_silence(x: np.ndarray, sr: int, threshold_db: float = -50.0, keep: float = 0.03) -> np.ndarray:
    """Cut leading and trailing silence so a line starts when its cue starts."""
    if x.size == 0:
        return x
    thr = 10 ** (threshold_db / 20) * max(float(np.max(np.abs(x))), 1e-9)
    loud = np.nonzero(np.abs(x) > thr)[0]
    if loud.size == 0:
        return x
    margin = int(keep * sr)
    return x[max(0, loud[0] - margin) : min(len(x), loud[-1] + margin + 1)]


# --------------------------------------------------------------------------
# eSpeak NG through ctypes
# --------------------------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # report errors instead of calling exit() in our process
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH, _PARAM_RANGE = 1, 2, 3, 4

# Our voice names -> eSpeak names. eSpeak calls British English plain "en".
_LANGUAGE_ALIASES = {"en-gb": "en", "en-uk": "en", "english": "en"}

# Candidate voices, narrator first, alternating timbres; only those the
# bundled data accepts are offered. Each has its own rate and pitch so that
# two characters with the same base voice still differ.
_VOICE_CANDIDATES: dict[str, tuple[int, int]] = {
    "en-us": (160, 45),
    "en-gb+f3": (165, 55),
    "en-us+m3": (170, 40),
    "en-us+f2": (170, 60),
    "en-gb-scotland": (160, 45),
    "en-gb+m7": (150, 25),
    "en-us+f4": (165, 65),
    "en-gb-x-rp": (160, 50),
    "en-us+m1": (175, 62),
    "en-029+f1": (165, 55),
    "en-us-nyc": (175, 56),
    "en-gb+f5": (160, 60),
}


# What each English candidate sounds like, for casting (eSpeak's plain voices are male).
_VOICE_TRAITS: dict[str, tuple[str, str]] = {
    "en-us": ("male", "adult"), "en-gb+f3": ("female", "adult"), "en-us+m3": ("male", "adult"),
    "en-us+f2": ("female", "young"), "en-gb-scotland": ("male", "adult"), "en-gb+m7": ("male", "old"),
    "en-us+f4": ("female", "young"), "en-gb-x-rp": ("male", "adult"), "en-us+m1": ("male", "young"),
    "en-029+f1": ("female", "adult"), "en-us-nyc": ("male", "adult"), "en-gb+f5": ("female", "old"),
}
# For other languages: the language's own voice with eSpeak's variants, each
# with its rate, pitch and what it sounds like. The plain voice narrates.
_LANGUAGE_VARIANTS: tuple[tuple[str, int, int, str, str], ...] = (
    ("", 160, 45, "male", "adult"),
    ("f3", 165, 55, "female", "adult"),
    ("m3", 170, 40, "male", "adult"),
    ("f2", 170, 62, "female", "young"),
    ("m1", 175, 60, "male", "young"),
    ("grandma", 150, 50, "female", "old"),
    ("grandpa", 150, 35, "male", "old"),
    ("f4", 165, 66, "female", "young"),
    ("m7", 150, 25, "male", "old"),
    ("f5", 160, 58, "female", "adult"),
    ("m2", 165, 48, "male", "adult"),
    ("f1", 180, 90, "female", "child"),
    ("m4", 185, 85, "male", "child"),
)


# int callback(short *wav, int numsamples, espeak_EVENT *events); wav is NULL at the end.
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _EspeakEngine:
    """The one libespeak-ng instance of this process.

    The library keeps global state and is not re-entrant, so every call goes
    through one process-wide lock; the synth callback only appends to the
    buffer of the call that holds the lock."""

    _instance: "_EspeakEngine | None" = None
    _create_lock = threading.Lock()
    lock = threading.Lock()

    @classmethod
    def get(cls) -> "_EspeakEngine":
        with cls._create_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def __init__(self):
        try:
            import espeakng_loader
        except ImportError as exc:
            raise ConfigurationError("offline speech needs the espeakng-loader package: pip install espeakng-loader") from exc
        lib_path = espeakng_loader.get_library_path()
        data_path = espeakng_loader.get_data_path()
        try:
            lib = ctypes.CDLL(lib_path)
        except OSError as exc:
            raise ConfigurationError(f"cannot load libespeak-ng from {lib_path}: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        self.lib = lib
        with self.lock:
            rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _INITIALIZE_DONT_EXIT)
            if rate <= 0:
                raise ConfigurationError(f"libespeak-ng failed to initialise with its data at {data_path}")
            self.sample_rate = int(rate)
            self._chunks: list[np.ndarray] = []
            # Kept on the instance: ctypes must not free the trampoline while C holds it.
            self._callback = _SynthCallback(self._collect)
            lib.espeak_SetSynthCallback(self._callback)
        self._available: dict[str, bool] = {}
        variants_dir = Path(data_path) / "voices" / "!v"
        self._variants = {p.name.lower() for p in variants_dir.iterdir()} if variants_dir.is_dir() else set()

    def _collect(self, wav, n, _events) -> int:
        if wav and n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0  # 0 = carry on synthesising

    @staticmethod
    def espeak_name(voice: str) -> str:
        base, plus, variant = voice.partition("+")
        base = _LANGUAGE_ALIASES.get(base.lower(), base)
        return f"{base}{plus}{variant}"

    def has_voice(self, voice: str) -> bool:
        if voice not in self._available:
            _, plus, variant = voice.partition("+")
            # eSpeak silently ignores an unknown "+variant", so look for its file ourselves.
            ok = not plus or variant.lower() in self._variants
            if ok:
                with self.lock:
                    ok = self.lib.espeak_SetVoiceByName(self.espeak_name(voice).encode()) == 0
            self._available[voice] = ok
        return self._available[voice]

    def synth(self, text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
        data = text.encode("utf-8")
        with self.lock:
            if self.lib.espeak_SetVoiceByName(self.espeak_name(voice).encode()) != 0:
                raise InputError(f"eSpeak has no voice {voice!r}")
            self.lib.espeak_SetParameter(_PARAM_RATE, int(rate), 0)
            self.lib.espeak_SetParameter(_PARAM_PITCH, int(pitch), 0)
            self._chunks = []
            err = self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            self.lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
        if err != 0:
            raise ProviderError(f"eSpeak failed to speak (error {err})", provider="espeak")
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def _voice_params(voice: str) -> tuple[int, int]:
    """(words per minute, pitch 0-99) for a voice name: its own for English candidates, its variant's otherwise."""
    if voice in _VOICE_CANDIDATES:
        return _VOICE_CANDIDATES[voice]
    variant = voice.partition("+")[2]
    for name, rate, pitch, _gender, _age in _LANGUAGE_VARIANTS:
        if name == variant:
            return rate, pitch
    return 165, 50


class EspeakSynthesizer(SpeechSynthesizer):
    """Offline English speech from libespeak-ng, resampled to 48 kHz mono WAV."""

    name = "espeak"

    def __init__(self, default_voice: str | None = None, *, rate: int | None = None, sample_rate: int = OUTPUT_RATE):
        self._engine = _EspeakEngine.get()
        self.rate = rate
        self.sample_rate = sample_rate
        self._voices = [v for v in _VOICE_CANDIDATES if self._engine.has_voice(v)]
        if not self._voices:
            raise ConfigurationError("the bundled eSpeak data has no English voice: reinstall espeakng-loader")
        if default_voice:
            if not self._engine.has_voice(default_voice):
                raise ConfigurationError(
                    f"eSpeak has no voice {default_voice!r}; try one of {', '.join(self._voices)}"
                )
            self._voices = [default_voice] + [v for v in self._voices if v != default_voice]

    def voices(self) -> list[str]:
        return list(self._voices)

    def voices_for(self, language: str) -> list[VoiceOption]:
        """English: the candidate voices; any other language eSpeak speaks: its voice with variants."""
        lang = (language or "en").lower()
        if lang.split("-")[0] == "en":
            return [VoiceOption(v, *_VOICE_TRAITS.get(v, ("unknown", "unknown"))) for v in self._voices]
        out = []
        for variant, _rate, _pitch, gender, age in _LANGUAGE_VARIANTS:
            name = f"{lang}+{variant}" if variant else lang
            if self._engine.has_voice(name):
                out.append(VoiceOption(name, gender, age))
        if not out:
            raise InputError(f"eSpeak has no voice for language {language!r}: use an ISO 639-1 code it speaks (en, es, fr, de, ru, ...)")
        return out

    def describe(self) -> str:
        return f"espeak-ng (offline, {len(self._voices)} English voices and other languages)"

    def render(self, text: str, voice: str | None = None) -> tuple[np.ndarray, int]:
        """Speak `text` into float samples at `self.sample_rate` (no file)."""
        from scipy.signal import resample_poly

        text = " ".join((text or "").split())
        if not text:
            raise InputError("there is no text to speak")
        voice = voice or self._voices[0]
        if not self._engine.has_voice(voice):
            raise InputError(f"eSpeak has no voice {voice!r}; try one of {', '.join(self._voices)}")
        rate, pitch = _voice_params(voice)
        raw = self._engine.synth(text, voice, self.rate or rate, pitch)
        x = raw.astype(np.float64) / 32768.0
        src = self._engine.sample_rate
        if src != self.sample_rate:
            g = np.gcd(src, self.sample_rate)
            x = resample_poly(x, self.sample_rate // g, src // g)
        return _trim_silence(x, self.sample_rate), self.sample_rate

    async def synthesize(self, text: str, out_path: Path, *, voice: str | None = None) -> SpeechClip:
        voice = voice or self._voices[0]
        samples, sr = await asyncio.to_thread(self.render, text, voice)
        await asyncio.to_thread(write_wav, Path(out_path), samples, sr)
        return SpeechClip(path=Path(out_path), duration=len(samples) / sr, voice=voice, sample_rate=sr)


def espeak_voices() -> list[str]:
    """The candidate voices the bundled eSpeak data accepts (loads the library)."""
    engine = _EspeakEngine.get()
    return [v for v in _VOICE_CANDIDATES if engine.has_voice(v)]
