"""What a sound is, measured: loudness, spectrum, onsets, pitch, decay, tempo and key.

The importer records these for a user's files, and the library's tag check
uses them to prove that each asset sounds like its category (rain is
broadband noise, a bell has a clear pitch and a decay, music has a tempo).

Spectral and envelope features are computed here with numpy and scipy on a
mono mix at 22.05 kHz: they are cheap and need no compilation. Tempo and key
come from librosa (onset-strength tempogram, chroma), whose numba code
compiles on first use; they are only asked for music (`rhythm=True`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks, resample_poly

from filmcrew.tools.sound.audio import to_mono
from filmcrew.tools.sound.loudness import measure

__all__ = ["Analysis", "analyse", "estimate_key", "estimate_tempo", "spectral_features", "tempo_support"]

RATE = 22050
FRAME = 2048
HOP = 512
# Krumhansl-Kessler key profiles (probe-tone ratings), C first.
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
_NOTES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass
class Analysis:
    duration: float
    loudness_lufs: float | None
    peak_dbfs: float | None
    tempo: float | None = None
    key: str | None = None
    features: dict[str, float] = field(default_factory=dict)


def _mono_at_rate(data: np.ndarray, sample_rate: int) -> np.ndarray:
    x = to_mono(data)
    if sample_rate != RATE:
        g = np.gcd(int(sample_rate), RATE)
        x = resample_poly(x, RATE // g, int(sample_rate) // g)
    return x


def _power_spectrogram(x: np.ndarray) -> np.ndarray:
    if len(x) < FRAME:
        x = np.pad(x, (0, FRAME - len(x)))
    n = 1 + (len(x) - FRAME) // HOP
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(n)[:, None]
    frames = x[idx] * np.hanning(FRAME)[None, :]
    return np.abs(np.fft.rfft(frames, axis=1)) ** 2  # (frames, bins)


def spectral_features(data: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Loudness-independent descriptors of a sound, averaged over its active frames.

    - `centroid_hz`, `rolloff_hz` (85 % of the energy below), `bandwidth_hz`;
    - `flatness`: geometric over arithmetic mean of the power spectrum, 1 for
      white noise, near 0 for a few sinusoids (median over frames);
    - `tonality`: the strongest normalised autocorrelation at a pitch lag
      (50-2000 Hz), near 1 for a periodic sound, near 0 for noise;
    - `onset_rate`: spectral-flux onsets per second;
    - `crest_db`: peak over RMS of the frame envelope (impulsive sounds are high);
    - `decay_db`: how far the envelope falls from its loudest frame to the
      end, in dB (a struck sound rings down, a bed stays level);
    - `low_ratio`: the share of energy below 250 Hz;
    - `active_ratio`: the share of frames within 30 dB of the loudest.
    """
    x = _mono_at_rate(data, sample_rate)
    if not np.any(x):
        return {}
    spec = _power_spectrogram(x)
    freqs = np.fft.rfftfreq(FRAME, 1 / RATE)
    energy = spec.sum(axis=1)
    env_db = 10 * np.log10(energy + 1e-20)
    active = env_db > env_db.max() - 30
    s = spec[active]
    e = s.sum(axis=1, keepdims=True) + 1e-20
    p = s / e
    centroid = (p * freqs).sum(axis=1)
    bandwidth = np.sqrt((p * (freqs[None, :] - centroid[:, None]) ** 2).sum(axis=1))
    cum = np.cumsum(p, axis=1)
    rolloff = freqs[np.argmax(cum >= 0.85, axis=1)]
    band = (freqs > 40) & (freqs < 10000)
    sb = s[:, band] + 1e-20
    flatness = np.exp(np.mean(np.log(sb), axis=1)) / np.mean(sb, axis=1)
    low_ratio = s[:, freqs < 250].sum() / s.sum()

    # Onsets: half-wave rectified log-spectral flux, peaks above a local median.
    logs = np.log1p(1000 * spec / (spec.max() + 1e-20))
    flux = np.maximum(np.diff(logs, axis=0), 0).sum(axis=1)
    if len(flux) > 3 and flux.max() > 0:
        flux = flux / flux.max()
        peaks, _ = find_peaks(flux, height=max(0.1, 2.5 * float(np.median(flux))), distance=max(1, int(0.05 * RATE / HOP)))
        onset_rate = len(peaks) / (len(x) / RATE)
    else:
        onset_rate = 0.0

    # Periodicity: normalised autocorrelation of the loudest frames.
    loud = np.argsort(energy)[-min(24, len(energy)):]
    lo_lag, hi_lag = int(RATE / 2000), int(RATE / 50)
    clarity = []
    for i in loud:
        frame = x[i * HOP : i * HOP + FRAME]
        if len(frame) < FRAME:
            continue
        frame = frame - frame.mean()
        ac = np.fft.irfft(np.abs(np.fft.rfft(frame, 2 * FRAME)) ** 2)[:FRAME]
        if ac[0] <= 0:
            continue
        # Divide by the overlap so long lags are not penalised for being long.
        norm = ac / ac[0] * FRAME / (FRAME - np.arange(FRAME))
        # Skip the main lobe: low-passed noise stays correlated over short lags
        # without being pitched; a period shows as a peak after the first zero crossing.
        below = np.flatnonzero(norm[:hi_lag] < 0)
        start = max(lo_lag, int(below[0])) if below.size else hi_lag
        clarity.append(float(np.max(norm[start:hi_lag])) if start < hi_lag else 0.0)
    tonality = float(np.median(clarity)) if clarity else 0.0

    rms_env = np.sqrt(energy / FRAME)
    crest_db = 20 * np.log10((rms_env.max() + 1e-20) / (np.sqrt(np.mean(rms_env**2)) + 1e-20))
    peak_i = int(np.argmax(env_db))
    tail = env_db[-max(1, len(env_db) // 20):].mean()
    decay_db = float(env_db[peak_i] - tail)
    return {
        "centroid_hz": round(float(np.median(centroid)), 1),
        "rolloff_hz": round(float(np.median(rolloff)), 1),
        "bandwidth_hz": round(float(np.median(bandwidth)), 1),
        "flatness": round(float(np.median(flatness)), 4),
        "tonality": round(min(1.0, tonality), 4),
        "onset_rate": round(float(onset_rate), 3),
        "crest_db": round(float(crest_db), 2),
        "decay_db": round(decay_db, 2),
        "low_ratio": round(float(low_ratio), 4),
        "active_ratio": round(float(active.mean()), 4),
    }


def estimate_tempo(data: np.ndarray, sample_rate: int, around: float = 120.0) -> float | None:
    """Beats per minute from librosa's onset-strength tempogram; None for a sound without a pulse.

    `around` centres librosa's prior (a log-normal over tempo, one octave wide):
    asking "which tempo near this one does the audio support best?". A bed
    whose pulse is elsewhere still answers with its own tempo."""
    import librosa

    x = _mono_at_rate(data, sample_rate).astype(np.float32)
    if len(x) < 4 * RATE:
        return None
    onset = librosa.onset.onset_strength(y=x, sr=RATE, hop_length=HOP)
    if not np.any(onset):
        return None
    tempo = librosa.feature.tempo(onset_envelope=onset, sr=RATE, hop_length=HOP, aggregate=np.median, start_bpm=around)
    value = float(np.atleast_1d(tempo)[0])
    return round(value, 1) if value > 0 else None


def tempo_support(data: np.ndarray, sample_rate: int, bpm: float) -> float:
    """How strongly the audio's pulse agrees with `bpm`, 0..1.

    The autocorrelation of librosa's onset strength at the beat period (or
    half or twice it, the same pulse counted differently), over its highest
    value for any tempo from 40 to 240 BPM: 1 when the stated tempo is the
    strongest pulse there is, low when the audio pulses at another rate."""
    import librosa

    hop = 256
    x = _mono_at_rate(data, sample_rate).astype(np.float32)
    onset = librosa.onset.onset_strength(y=x, sr=RATE, hop_length=hop)
    onset = onset - onset.mean()
    if len(onset) < 8 or not np.any(onset):
        return 0.0
    ac = np.correlate(onset, onset, mode="full")[len(onset) - 1:]
    ac = ac / (ac[0] + 1e-12) * len(onset) / (len(onset) - np.arange(len(onset)))  # unbiased
    frames_per_second = RATE / hop

    def at(tempo: float) -> float:
        lag = 60.0 / tempo * frames_per_second
        lo, hi = int(np.floor(lag * 0.98)), int(np.ceil(lag * 1.02)) + 1
        return float(np.max(ac[max(1, lo):min(len(ac), hi)])) if lo < len(ac) else 0.0

    lo_lag, hi_lag = int(60.0 / 240 * frames_per_second), int(60.0 / 40 * frames_per_second) + 1
    best = float(np.max(ac[lo_lag:min(len(ac), hi_lag)])) if lo_lag < len(ac) else 0.0
    if best <= 0:
        return 0.0
    return max(0.0, min(1.0, max(at(bpm), at(bpm * 2), at(bpm / 2)) / best))


def estimate_key(data: np.ndarray, sample_rate: int) -> str | None:
    """The best-correlating major or minor key of librosa's chroma (Krumhansl-Kessler profiles)."""
    import librosa

    x = _mono_at_rate(data, sample_rate).astype(np.float32)
    if len(x) < RATE:
        return None
    chroma = librosa.feature.chroma_stft(y=x, sr=RATE, hop_length=HOP, tuning=0.0).mean(axis=1)
    if not np.any(chroma):
        return None
    best, name = -2.0, None
    for mode, profile in (("major", _MAJOR), ("minor", _MINOR)):
        for shift in range(12):
            r = float(np.corrcoef(chroma, np.roll(profile, shift))[0, 1])
            if r > best:
                best, name = r, f"{_NOTES[shift]} {mode}"
    return name


def analyse(data: np.ndarray, sample_rate: int, *, rhythm: bool = False) -> Analysis:
    """Everything measured about one sound; tempo and key only when `rhythm` (music)."""
    loud, peak = measure(data, sample_rate)
    result = Analysis(
        duration=data.shape[0] / sample_rate, loudness_lufs=loud, peak_dbfs=peak,
        features=spectral_features(data, sample_rate),
    )
    if rhythm:
        result.tempo = estimate_tempo(data, sample_rate)
        result.key = estimate_key(data, sample_rate)
    return result
