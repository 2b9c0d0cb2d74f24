"""The mixer: stems at their loudness targets (checked by ffmpeg's own meter),
ducking under the voice, an exact master length, a true-peak-safe limiter."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from filmcrew.errors import InputError
from filmcrew.memory.models import SoundCue, SoundDesign
from filmcrew.tools.media import run_ffmpeg
from filmcrew.tools.sound import EspeakSynthesizer, mix
from filmcrew.tools.sound.loudness import true_peak_db
from filmcrew.tools.sound.mixer import limit

SR = 48000
DURATION = 13.37  # not a whole number of anything: the master must still be exact


def ebur128_integrated(path: Path) -> float:
    """ffmpeg's EBU R128 meter, independent of the pyloudnorm meter the mixer uses."""
    log = run_ffmpeg(["-nostats", "-i", str(path), "-af", "ebur128", "-f", "null", "-"]).stderr
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", log)[-1])


def cue(id_, layer, start, duration, asset, **kw) -> SoundCue:
    scale = {"music": "scene", "ambience": "scene", "voice": "shot", "dialogue": "shot"}.get(layer, "intra_shot")
    return SoundCue(id=id_, layer=layer, scale=scale, start=start, duration=duration, asset=asset, **kw)


@pytest.fixture(scope="module")
def assets(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("run")
    audio = root / "audio"
    audio.mkdir()
    rng = np.random.default_rng(3)
    t = np.arange(4 * SR) / SR
    # a steady chord: any change of its level in the stem is the mixer's doing
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6, 1760.0)) * 0.1
    sf.write(audio / "music.wav", np.stack([chord, np.roll(chord, 100)], axis=1), SR)
    sf.write(audio / "ambience.flac", 0.05 * rng.standard_normal((3 * SR, 2)), SR)
    steps = np.zeros(SR)
    burst = rng.standard_normal(int(0.03 * SR)) * np.exp(-np.arange(int(0.03 * SR)) / 200)
    for start in range(0, SR - len(burst), SR // 4):
        steps[start : start + len(burst)] += 0.5 * burst
    sf.write(audio / "foley.wav", steps, SR)
    sf.write(audio / "sfx.wav", 0.3 * rng.standard_normal(int(1.5 * 44100)) * np.exp(-np.arange(int(1.5 * 44100)) / 20000), 44100)
    sf.write(audio / "silence.wav", np.zeros(2 * SR), SR)
    speech = EspeakSynthesizer()
    asyncio.run(speech.synthesize("The storm reached the harbour just before midnight and nobody slept", audio / "line1.wav"))
    asyncio.run(speech.synthesize("Where is the lighthouse keeper", audio / "line2.wav", voice="en-gb+f3"))
    return root


def _design(root: Path) -> SoundDesign:
    line1 = sf.info(root / "audio/line1.wav").duration
    line2 = sf.info(root / "audio/line2.wav").duration
    return SoundDesign(duration=DURATION, cues=[
        cue("m1", "music", 0.0, DURATION, "audio/music.wav"),
        cue("a1", "ambience", 0.0, DURATION, str(root / "audio/ambience.flac")),  # absolute paths work too
        cue("v1", "voice", 3.0, line1, "audio/line1.wav"),
        cue("d1", "dialogue", 10.0, line2, "audio/line2.wav"),
        cue("f1", "foley", 1.0, 1.0, "audio/foley.wav"),
        cue("s1", "sfx", 8.0, 4.0, "audio/sfx.wav", gain_db=-3.0),
    ])


@pytest.fixture(scope="module")
def mixed(assets: Path):
    messages: list[str] = []
    report = mix(_design(assets), assets, progress=messages.append)
    return assets, report, messages


def test_stems_meet_their_targets_by_an_independent_meter(mixed):
    root, report, messages = mixed
    layers = [s.layer for s in report.stems]
    assert layers == ["voice", "dialogue", "music", "ambience", "foley", "sfx"]
    for stem in report.stems:
        path = root / stem.path
        assert path.exists() and stem.path == f"stems/{stem.layer}.wav"
        info = sf.info(path)
        assert info.samplerate == SR and info.channels == 2 and info.frames == round(DURATION * SR)
        measured = ebur128_integrated(path)
        assert stem.integrated_lufs is not None
        assert abs(measured - stem.integrated_lufs) <= 1.0, (stem.layer, measured, stem.integrated_lufs)
        target = -16.0 if stem.layer in ("voice", "dialogue") else -28.0
        assert stem.target_lufs == target
        assert abs(measured - target) <= 0.5, (stem.layer, measured)
    assert any("master" in m for m in messages)


def test_master_is_exact_stereo_and_true_peak_safe(mixed):
    root, report, _ = mixed
    data, sr = sf.read(root / report.master_path, always_2d=True)
    assert sr == report.sample_rate == SR and data.shape == (round(DURATION * SR), 2)
    assert sf.info(root / report.master_path).subtype == "PCM_24"
    assert report.duration == pytest.approx(DURATION, abs=1 / SR)
    assert report.master_true_peak_dbtp <= -1.0 + 1e-6
    assert true_peak_db(data) <= -0.95
    assert abs(ebur128_integrated(root / report.master_path) - report.master_lufs) <= 1.0
    # the voice dominates: the master sits well above the -28 LUFS beds
    assert report.master_lufs > -22


def test_music_ducks_under_the_voice(mixed):
    root, report, _ = mixed
    music, _ = sf.read(root / "stems/music.wav")
    line1 = sf.info(root / "audio/line1.wav").duration

    def rms_db(a: float, b: float) -> float:
        seg = music[int(a * SR) : int(b * SR)]
        return 10 * np.log10(np.mean(seg**2))

    voiced = rms_db(3.5, 3.0 + line1 - 0.3)
    before = rms_db(1.5, 2.8)
    between = rms_db(3.0 + line1 + 0.8, 9.8)
    assert before - voiced >= 4.0, (before, voiced)
    assert abs(before - between) < 1.0  # it comes back once the voice stops


def test_beds_loop_and_one_shots_play_once(mixed):
    root, _, _ = mixed
    music, _ = sf.read(root / "stems/music.wav")
    windows = [np.sqrt(np.mean(music[i : i + SR // 4] ** 2)) for i in range(SR, int(12 * SR), SR // 4)]
    assert min(windows) > 0.1 * max(windows)  # a 4 s file fills the 13 s cue with no gap
    sfx, _ = sf.read(root / "stems/sfx.wav")
    assert np.max(np.abs(sfx[int(9.6 * SR) :])) == 0.0  # 1.5 s effect in a 4 s cue: not repeated
    assert np.max(np.abs(sfx[int(8.0 * SR) : int(9.4 * SR)])) > 0.0
    assert np.max(np.abs(sfx[: int(8.0 * SR) - 1])) == 0.0


def test_a_silent_layer_does_not_crash(assets: Path, tmp_path: Path):
    design = SoundDesign(duration=3.0, cues=[
        cue("a", "ambience", 0.0, 3.0, str(assets / "audio/silence.wav")),
        cue("v", "voice", 0.5, 2.0, str(assets / "audio/line2.wav")),
    ])
    report = mix(design, tmp_path)
    amb = next(s for s in report.stems if s.layer == "ambience")
    assert amb.integrated_lufs is None and amb.peak_dbfs <= -100
    assert (tmp_path / "stems/ambience.wav").exists()
    voice = next(s for s in report.stems if s.layer == "voice")
    assert voice.integrated_lufs == pytest.approx(-16.0, abs=0.5)

    only_silence = mix(SoundDesign(duration=1.0, cues=[cue("a", "ambience", 0, 1.0, str(assets / "audio/silence.wav"))]), tmp_path / "quiet")
    assert only_silence.master_lufs is None and (tmp_path / "quiet/mix.wav").exists()


def test_missing_assets_are_named(tmp_path: Path):
    design = SoundDesign(duration=2.0, cues=[cue("door-3", "foley", 0.0, 1.0, "audio/nope.wav")])
    with pytest.raises(InputError, match="door-3"):
        mix(design, tmp_path)
    assert not (tmp_path / "mix.wav").exists()


def test_limiter_holds_the_ceiling_and_leaves_quiet_parts_alone():
    t = np.arange(2 * SR) / SR
    # near-Nyquist sines whose peaks fall between samples, far over the ceiling
    hot = 1.3 * np.sin(2 * np.pi * 11025.3 * t + 0.7)
    quiet = 0.1 * np.sin(2 * np.pi * 440 * t)
    x = np.where(t < 1.0, hot, quiet)
    y = limit(np.stack([x, x], axis=1), SR, ceiling_db=-1.0)
    assert true_peak_db(y) <= -1.0 + 1e-6
    assert np.allclose(y[int(1.1 * SR) :, 0], x[int(1.1 * SR) :])  # no make-up gain, no pumping afterwards


def _band_ratio_db(x: np.ndarray, a: float, b: float) -> float:
    """Energy in the voice band (1-4 kHz) over energy at 150-600 Hz, in dB, over [a, b) seconds."""
    from scipy.signal import butter, sosfiltfilt

    seg = x[int(a * SR) : int(b * SR)]
    voice_band = sosfiltfilt(butter(4, (1200, 3500), btype="bandpass", fs=SR, output="sos"), seg, axis=0)
    low_band = sosfiltfilt(butter(4, (150, 600), btype="bandpass", fs=SR, output="sos"), seg, axis=0)
    return float(10 * np.log10(np.mean(voice_band**2) / np.mean(low_band**2)))


def test_voice_band_cut_on_the_background_only_while_someone_speaks(mixed):
    root, _, _ = mixed
    ambience, _ = sf.read(root / "stems/ambience.wav")
    line1 = sf.info(root / "audio/line1.wav").duration
    before = _band_ratio_db(ambience, 1.0, 2.8)
    voiced = _band_ratio_db(ambience, 3.4, 3.0 + line1 - 0.3)
    between = _band_ratio_db(ambience, 3.0 + line1 + 1.2, 9.8)
    # white noise: the same spectral balance everywhere, except where the voice needs room
    assert before - voiced >= 3.0, (before, voiced)
    assert abs(before - between) < 0.5, (before, between)  # a dynamic EQ, not a static cut


def test_every_voice_cue_reports_its_speech_to_background_ratio(mixed):
    _, report, _ = mixed
    assert [v.cue_id for v in report.voice_cues] == ["v1", "d1"]
    for v in report.voice_cues:
        assert v.speech_db is not None and v.background_db is not None
        assert v.sbr_db == pytest.approx(v.speech_db - v.background_db, abs=0.02)
        assert v.sbr_db > 10.0, v  # -16 LUFS speech over -28 LUFS beds, carved and ducked


def _film_audio_true_peak(root: Path, mix_path: Path) -> float:
    """Mux the master under a picture exactly as the export does, then measure the delivered film's audio."""
    from filmcrew.tools.render import mux
    from filmcrew.tools.sound.audio import read_audio

    picture = root / "picture.mp4"
    run_ffmpeg(["-f", "lavfi", "-i", f"color=c=black:s=64x36:r=24:d={DURATION}", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(picture)])
    film = mux(picture, mix_path, root / "film.mp4")
    data, _ = read_audio(film)
    return true_peak_db(data)


def test_the_delivered_aac_film_stays_under_minus_one_dbtp(tmp_path: Path):
    # A "voice" of short, hard noise bursts: levelled to -16 LUFS its peaks sit on the
    # limiter, and AAC's pre-echo alone pushes them past the ceiling (to about -0.1 dBTP).
    rng = np.random.default_rng(5)
    t = np.arange(int(DURATION * SR)) / SR
    bursts = rng.standard_normal(len(t)) * ((t * 2) % 1.0 < 0.03)
    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio/bursts.wav", 0.5 * bursts, SR)
    sf.write(tmp_path / "audio/bed.wav", 0.05 * rng.standard_normal((3 * SR, 2)), SR)
    design = SoundDesign(duration=DURATION, cues=[
        cue("v1", "voice", 0.0, DURATION, "audio/bursts.wav"), cue("a1", "ambience", 0.0, DURATION, "audio/bed.wav")])
    messages: list[str] = []
    report = mix(design, tmp_path, progress=messages.append)
    assert report.master_true_peak_dbtp <= -1.0 + 1e-6
    assert report.encoded_true_peak_dbtp is not None and report.encoded_true_peak_dbtp <= -1.0
    assert report.ceiling_dbtp < -1.0 and any("AAC trial encode" in m for m in messages)
    assert _film_audio_true_peak(tmp_path, tmp_path / report.master_path) <= -1.0


def test_the_film_from_an_ordinary_mix_is_under_the_ceiling_too(mixed):
    root, report, _ = mixed
    assert report.encoded_true_peak_dbtp is not None and report.encoded_true_peak_dbtp <= -1.0
    assert _film_audio_true_peak(root, root / report.master_path) <= -1.0
