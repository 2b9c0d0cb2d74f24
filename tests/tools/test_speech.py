"""Speech: offline eSpeak NG through ctypes, and ElevenLabs against a local fake server."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from fakes.elevenlabs_server import FakeElevenLabs
from filmcrew.config import SpeechConfig
from filmcrew.errors import ConfigurationError, InputError, ProviderError
from filmcrew.tools.sound import (
    ElevenLabsSynthesizer,
    EspeakSynthesizer,
    cast_voices,
    describe_speech_providers,
    make_speech_synthesizer,
    voice_for,
)
from filmcrew.tools.sound.elevenlabs import PREMADE_VOICES


def _f0(x: np.ndarray, sr: int) -> float:
    """Median pitch of the voiced 40 ms frames, by autocorrelation."""
    frame, pitches = int(0.04 * sr), []
    for i in range(0, len(x) - frame, frame):
        seg = x[i : i + frame]
        if np.sqrt(np.mean(seg**2)) < 0.02:
            continue
        ac = np.correlate(seg, seg, "full")[frame - 1 :]
        lo, hi = sr // 400, sr // 70
        pitches.append(sr / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(pitches))


@pytest.fixture(scope="module")
def espeak() -> EspeakSynthesizer:
    return EspeakSynthesizer()


async def test_espeak_speaks_and_longer_text_takes_longer(espeak: EspeakSynthesizer, tmp_path: Path):
    short = await espeak.synthesize("Hello there.", tmp_path / "short.wav")
    long = await espeak.synthesize(
        "Hello there. The storm will reach the harbour before midnight, so tie the boats and bring the nets inside.",
        tmp_path / "long.wav",
    )
    data, sr = sf.read(long.path)
    assert sr == long.sample_rate == 48000 and data.ndim == 1
    assert abs(len(data) / sr - long.duration) < 1e-6
    assert np.sqrt(np.mean(data**2)) > 0.03  # audible speech, not silence
    assert 0.4 < short.duration < 2.0
    assert long.duration > 3 * short.duration
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.wav", "short.wav"]  # no temp files left


async def test_voices_differ(espeak: EspeakSynthesizer, tmp_path: Path):
    voices = espeak.voices()
    assert voices[0] == "en-us" and len(voices) >= 6
    assert {"en-gb+f3", "en-us+m3"} <= set(voices)
    line = "Nobody in the village knew who had sent the letter."
    a = await espeak.synthesize(line, tmp_path / "a.wav", voice="en-us")
    b = await espeak.synthesize(line, tmp_path / "b.wav", voice="en-gb+f3")
    xa, sr = sf.read(a.path)
    xb, _ = sf.read(b.path)
    assert a.voice == "en-us" and b.voice == "en-gb+f3"
    # a female variant speaks clearly higher than the male narrator
    assert _f0(xb, sr) > 1.5 * _f0(xa, sr)


async def test_espeak_is_safe_under_concurrency(espeak: EspeakSynthesizer, tmp_path: Path):
    lines = ["One.", "Two words here.", "Three whole words, and then a few more after them.", "Four."]
    clips = await asyncio.gather(*(espeak.synthesize(t, tmp_path / f"{i}.wav", voice=espeak.voices()[i])
                                   for i, t in enumerate(lines)))
    durations = [c.duration for c in clips]
    assert durations[2] == max(durations)  # each call got its own audio back
    solo = await espeak.synthesize(lines[2], tmp_path / "solo.wav", voice=espeak.voices()[2])
    assert abs(solo.duration - clips[2].duration) < 0.02


async def test_espeak_rejects_bad_input(espeak: EspeakSynthesizer, tmp_path: Path):
    with pytest.raises(InputError):
        await espeak.synthesize("   ", tmp_path / "x.wav")
    with pytest.raises(InputError, match="no voice"):
        await espeak.synthesize("Hi.", tmp_path / "x.wav", voice="en-gb+nosuchvariant")
    assert not (tmp_path / "x.wav").exists()
    with pytest.raises(ConfigurationError):
        EspeakSynthesizer(default_voice="xx-nowhere")


def test_voice_for_is_stable_and_keeps_the_narrator_apart():
    voices = ["narrator", "a", "b", "c", "d"]
    assert voice_for(None, voices) == "narrator"
    assert voice_for("Mara", voices) == voice_for("  mara ", voices) != "narrator"
    assert len({voice_for(f"character {i}", voices) for i in range(40)}) == 4
    cast = cast_voices(["Mara", "Old Tom", "The Child", "Inspector"], voices)
    assert len(set(cast.values())) == 4 and "narrator" not in cast.values()
    assert cast == cast_voices(["Inspector", "The Child", "Old Tom", "Mara"], voices)


def test_provider_selection(monkeypatch):
    assert isinstance(make_speech_synthesizer(SpeechConfig()), EspeakSynthesizer)
    assert make_speech_synthesizer(SpeechConfig(voice="en-gb+f3")).voices()[0] == "en-gb+f3"
    with pytest.raises(ConfigurationError, match="ELEVENLABS_API_KEY"):
        make_speech_synthesizer(SpeechConfig(provider="elevenlabs"), env={})
    eleven = make_speech_synthesizer(SpeechConfig(provider="elevenlabs", base_url="http://127.0.0.1:9"),
                                     env={"ELEVENLABS_API_KEY": "k"})
    assert isinstance(eleven, ElevenLabsSynthesizer) and eleven.base_url == "http://127.0.0.1:9"
    rows = {r["provider"]: r for r in describe_speech_providers(env={})}
    assert rows["espeak"]["configured"] is True and rows["espeak"]["in_use"] and rows["espeak"]["seam"] == "speech"
    assert rows["elevenlabs"]["configured"] is False and "ELEVENLABS_API_KEY" in rows["elevenlabs"]["reason"]
    keyed = describe_speech_providers(SpeechConfig(provider="elevenlabs"), env={"ELEVENLABS_API_KEY": "k"})
    assert {r["provider"]: r for r in keyed}["elevenlabs"]["configured"] and keyed[1]["in_use"] and not keyed[0]["in_use"]


# -- ElevenLabs ---------------------------------------------------------------


def _eleven(fake: FakeElevenLabs, **kw) -> ElevenLabsSynthesizer:
    kw.setdefault("backoff", 0.01)
    return ElevenLabsSynthesizer(fake.api_key, base_url=fake.base_url, **kw)


async def test_elevenlabs_success_speaks_the_wire_protocol(tmp_path: Path):
    with FakeElevenLabs() as fake:
        synth = _eleven(fake, output_format="pcm_44100")
        text = "The lighthouse is dark tonight."
        clip = await synth.synthesize(text, tmp_path / "line.wav", voice="Rachel")
    req = fake.requests[-1]
    assert req["method"] == "POST" and req["path"] == f"/v1/text-to-speech/{PREMADE_VOICES['Rachel']}"
    assert req["headers"]["xi-api-key"] == "test-key"
    assert req["query"] == {"output_format": "pcm_44100"}
    assert req["json"]["text"] == text and req["json"]["model_id"] == "eleven_multilingual_v2"
    data, sr = sf.read(clip.path)
    assert sr == 48000 and clip.voice == "Rachel"
    assert abs(clip.duration - 0.065 * len(text)) < 0.01  # the fake's 44.1 kHz answer, resampled
    assert np.sqrt(np.mean(data**2)) > 0.01


async def test_elevenlabs_mp3_is_decoded(tmp_path: Path):
    with FakeElevenLabs() as fake:
        clip = await _eleven(fake).synthesize("An mp3 answer.", tmp_path / "mp3.wav")
    assert fake.requests[-1]["query"]["output_format"] == "mp3_44100_128"
    assert fake.requests[-1]["path"].endswith(PREMADE_VOICES["George"])  # narrator by default
    assert abs(clip.duration - 0.065 * len("An mp3 answer.")) < 0.08  # mp3 adds codec padding


async def test_elevenlabs_honours_retry_after_on_429(tmp_path: Path):
    with FakeElevenLabs() as fake:
        fake.fail_next(429, headers={"Retry-After": "1"})
        started = time.monotonic()
        clip = await _eleven(fake, output_format="pcm_24000").synthesize("Again, please.", tmp_path / "r.wav")
        waited = time.monotonic() - started
    assert len(fake.requests) == 2 and clip.path.exists()
    assert waited >= 0.95  # the server's Retry-After, not the 10 ms backoff


async def test_elevenlabs_bad_key_fails_at_once(tmp_path: Path):
    with FakeElevenLabs(api_key="right") as fake:
        synth = ElevenLabsSynthesizer("wrong", base_url=fake.base_url, backoff=0.01)
        with pytest.raises(ProviderError, match="ELEVENLABS_API_KEY") as err:
            await synth.synthesize("Hello.", tmp_path / "no.wav")
    assert err.value.status == 401 and len(fake.requests) == 1
    assert not (tmp_path / "no.wav").exists()


async def test_elevenlabs_gives_up_after_repeated_500(tmp_path: Path):
    with FakeElevenLabs() as fake:
        fake.fail_next(500, times=10)
        with pytest.raises(ProviderError, match="3 attempts") as err:
            await _eleven(fake, max_retries=2).synthesize("Hello.", tmp_path / "no.wav")
    assert err.value.status == 500 and err.value.retryable and len(fake.requests) == 3
    assert list(tmp_path.iterdir()) == []


async def test_elevenlabs_unknown_voice_and_voice_list(tmp_path: Path):
    with FakeElevenLabs() as fake:
        synth = _eleven(fake, output_format="pcm_22050")
        with pytest.raises(ProviderError, match="404.*not found"):
            await synth.synthesize("Hello.", tmp_path / "x.wav", voice="NoSuchVoiceId")
        voices = await synth.list_voices()
        assert "Narrator Clone" in {v["name"] for v in voices} and "Narrator Clone" in synth.voices()
        clip = await synth.synthesize("Cloned voice.", tmp_path / "clone.wav", voice="Narrator Clone")
    assert fake.requests[-1]["path"] == "/v1/text-to-speech/cl0n3dV01c3xxxxxxxxx" and clip.path.exists()


async def test_elevenlabs_sound_effect(tmp_path: Path):
    with FakeElevenLabs() as fake:
        clip = await _eleven(fake, output_format="pcm_44100").sound_effect("glass shattering on stone", 2.5, tmp_path / "fx.wav")
    req = fake.requests[-1]
    assert req["path"] == "/v1/sound-generation"
    assert req["json"]["text"] == "glass shattering on stone" and req["json"]["duration_seconds"] == 2.5
    assert abs(clip.duration - 2.5) < 0.01
