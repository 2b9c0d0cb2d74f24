"""Listen to the sound: loudness, clipping, onsets, and what kind of sound it is.

The track is decoded once by ffmpeg (no other decoder is needed). Loudness is
ITU-R BS.1770 through the package's one meter (`filmcrew.tools.sound.loudness`); onsets are peaks of librosa's spectral-flux
onset strength, picked with scipy (librosa's own peak picker is compiled by
numba on first use, which costs tens of seconds for no gain here).

Speech, music and noise are told apart per 1.5 s window by two measured
properties, not by a trained model: speech has a strong 2-8 Hz syllabic
modulation of its 300-3400 Hz envelope; music is tonal (low spectral
flatness) without it; noise is flat and unmodulated. It is a heuristic and
is labelled as such wherever it is reported.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from filmcrew.errors import InputError
from filmcrew.tools.media import ffmpeg_exe
from filmcrew.tools.perception.models import AudioMeasures, PerceptionEvent

__all__ = ["analyse_audio", "decode_audio", "classify_windows", "ANALYSIS_RATE"]

ANALYSIS_RATE = 16000
WINDOW_S = 1.5
HOP_S = 0.5
SILENCE_DBFS = -50.0
CLIP_LEVEL = 0.891  # -1 dBFS


def decode_audio(path: str | Path, *, rate: int | None = None, channels: int = 2) -> tuple[np.ndarray, int]:
    """The file's first audio stream as float32 (samples, channels); rate None keeps 48 kHz."""
    rate = rate or 48000
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0", "-vn",
           "-ac", str(channels), "-ar", str(rate), "-f", "f32le", "-"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"cannot decode the sound of {path}: {msg[-1] if msg else 'ffmpeg failed'}")
    data = np.frombuffer(proc.stdout, dtype=np.float32)
    return data.reshape(-1, channels).copy(), rate


def _db(x: float) -> float:
    return float(20 * np.log10(max(x, 1e-6)))


def _short_term(stereo: np.ndarray, rate: int) -> list[tuple[float, float | None]]:
    # The package's one BS.1770 meter and gating rule (filmcrew.tools.sound.loudness).
    from filmcrew.tools.sound.loudness import integrated_loudness

    win, hop = 3 * rate, rate
    out: list[tuple[float, float | None]] = []
    for start in range(0, max(1, len(stereo) - win + 1), hop):
        chunk = stereo[start:start + win]
        if len(chunk) < int(0.5 * rate):
            break
        value = integrated_loudness(chunk, rate)
        out.append((round(start / rate, 3), None if value is None else round(value, 2)))
    return out


def _bandpass(y: np.ndarray, rate: int, lo: float, hi: float) -> np.ndarray:
    from scipy.signal import butter, sosfiltfilt

    sos = butter(4, [lo, hi], btype="band", fs=rate, output="sos")
    return sosfiltfilt(sos, y)


def classify_windows(mono: np.ndarray, rate: int = ANALYSIS_RATE) -> list[tuple[float, str, float]]:
    """(start, class, modulation) per 1.5 s window with a 0.5 s hop.

    Class is silence, speech, music or noise. Modulation is the share of the
    speech-band envelope's fluctuation that lies at 2-8 Hz (syllable rate).
    """
    if len(mono) < rate // 4:
        return []
    band = _bandpass(mono.astype(np.float64), rate, 300, 3400)
    env_hop = rate // 100  # 10 ms envelope
    n_env = len(band) // env_hop
    env = np.sqrt(np.mean(band[: n_env * env_hop].reshape(n_env, env_hop) ** 2, axis=1) + 1e-12)
    win, hop = int(WINDOW_S * rate), int(HOP_S * rate)
    nfft = 1024
    out = []
    for start in range(0, max(1, len(mono) - win + 1), hop):
        seg = mono[start:start + win].astype(np.float64)
        if len(seg) < win // 2:
            break
        rms = float(np.sqrt(np.mean(seg ** 2)))
        t = round(start / rate, 3)
        if _db(rms) < SILENCE_DBFS:
            out.append((t, "silence", 0.0))
            continue
        e = env[start // env_hop: (start + win) // env_hop]
        e = e - e.mean()
        spec = np.abs(np.fft.rfft(e * np.hanning(len(e)))) ** 2
        freqs = np.fft.rfftfreq(len(e), d=0.01)
        total = spec[(freqs > 0.5) & (freqs < 30)].sum()
        syllabic = spec[(freqs >= 2) & (freqs <= 8)].sum()
        modulation = float(syllabic / total) if total > 0 else 0.0
        # Depth: how far the envelope dips between syllables (speech pauses; a bed does not).
        env_db = 20 * np.log10(env[start // env_hop: (start + win) // env_hop] + 1e-9)
        depth = float(np.percentile(env_db, 90) - np.percentile(env_db, 15)) if len(env_db) else 0.0
        frames = np.lib.stride_tricks.sliding_window_view(seg, nfft)[:: nfft // 2]
        mag = np.abs(np.fft.rfft(frames * np.hanning(nfft), axis=1)) + 1e-10
        flatness = float(np.median(np.exp(np.mean(np.log(mag), axis=1)) / np.mean(mag, axis=1)))
        if modulation > 0.35 and depth > 15:
            label = "speech"
        elif flatness < 0.2:
            label = "music"
        else:
            label = "noise"
        out.append((t, label, round(modulation, 4)))
    return out


def _onsets(mono: np.ndarray, rate: int) -> tuple[list[float], list[float]]:
    """Onset times, and the onset-strength envelope (10 ms hop, over its median)."""
    import librosa
    from scipy.signal import find_peaks

    hop = rate // 100
    strength = librosa.onset.onset_strength(y=mono.astype(np.float32), sr=rate, hop_length=hop)
    if not len(strength) or float(strength.max()) <= 0:
        return [], []
    median = float(np.median(strength))
    mad = float(np.median(np.abs(strength - median))) + 1e-9
    peaks, _ = find_peaks(strength, height=median + 6 * mad, distance=5, prominence=3 * mad)
    envelope = [round(float(v), 2) for v in strength / max(median, 1e-6)]
    # librosa's onset envelope lags the attack by about one hop.
    return [round(max(0.0, (p - 1) * hop / rate), 3) for p in peaks], envelope


def analyse_audio(path: str | Path, *, has_audio: bool, channels: int = 2) -> tuple[AudioMeasures, list[PerceptionEvent]]:
    """Measure the sound of `path`; a file without an audio stream is reported as such, not guessed.

    `channels` is the track's own count: decoding mono as stereo would spread it at -3 dB and
    hide its peaks and clipping.
    """
    if not has_audio:
        return AudioMeasures(present=False), []
    import pyloudnorm

    stereo, rate = decode_audio(path, channels=1 if channels == 1 else 2)
    if len(stereo) == 0:
        return AudioMeasures(present=False), []
    duration = len(stereo) / rate
    peak = float(np.abs(stereo).max())
    # Lossy codecs ring around a clipped plateau instead of holding it at 1.0, so "clipped"
    # means within 1 dB of full scale rather than exactly at it.
    clipped = np.abs(stereo) >= CLIP_LEVEL
    clip_share = float(clipped.any(axis=1).mean())
    integrated = pyloudnorm.Meter(rate).integrated_loudness(stereo) if duration >= 0.5 else float("-inf")
    short = _short_term(stereo, rate)
    finite = [v for _, v in short if v is not None]
    gated = [v for v in finite if integrated is not None and np.isfinite(integrated) and v > integrated - 20]
    lra = float(np.percentile(gated, 95) - np.percentile(gated, 10)) if len(gated) >= 2 else 0.0

    from scipy.signal import resample_poly

    mono = resample_poly(stereo.mean(axis=1), ANALYSIS_RATE, rate).astype(np.float32)
    windows = classify_windows(mono, ANALYSIS_RATE)
    labels = [w[1] for w in windows]
    share = {k: (labels.count(k) / len(labels) if labels else 0.0) for k in ("silence", "speech", "music", "noise")}
    speech_mod = [w[2] for w in windows if w[1] == "speech"]
    onsets, envelope = _onsets(mono, ANALYSIS_RATE) if share["silence"] < 1.0 else ([], [])

    events: list[PerceptionEvent] = [
        PerceptionEvent(kind="onset", time=t, detail="sound onset (spectral flux peak)") for t in onsets
    ]
    # Spans of speech and silence from consecutive windows (heuristic classes).
    for kind in ("speech", "silence"):
        span_start = None
        for i, (t, label, _) in enumerate(windows + [(duration, "", 0.0)]):
            if label == kind and span_start is None:
                span_start = t
            elif label != kind and span_start is not None:
                end = min(duration, windows[i - 1][0] + WINDOW_S)
                events.append(PerceptionEvent(kind=kind, time=span_start, end=round(end, 3),
                                              detail="heuristic class from modulation and flatness"))
                span_start = None
    if clip_share > 0:
        idx = np.flatnonzero(clipped.any(axis=1))
        events.append(PerceptionEvent(kind="clipping", time=round(idx[0] / rate, 3), end=round(idx[-1] / rate, 3),
                                      strength=round(clip_share, 6), detail="share of samples within 1 dB of full scale"))
    measures = AudioMeasures(
        present=True,
        sample_rate=rate,
        duration=round(duration, 3),
        integrated_lufs=round(float(integrated), 2) if np.isfinite(integrated) else None,
        loudness_range_lu=round(lra, 2),
        short_term=short,
        peak_dbfs=round(_db(peak), 2),
        clipping_share=round(clip_share, 6),
        silence_share=round(share["silence"], 4),
        speech_share=round(share["speech"], 4),
        music_share=round(share["music"], 4),
        noise_share=round(share["noise"], 4),
        classes=[(w[0], w[1]) for w in windows],
        onsets=onsets,
        onset_rate=round(len(onsets) / duration, 4) if duration else 0.0,
        onset_envelope=envelope,
        speech_modulation=round(float(np.median(speech_mod)), 4) if speech_mod else 0.0,
    )
    return measures, events
