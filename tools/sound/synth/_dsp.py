"""Building blocks shared by the generators: filters, coloured noise,
envelopes, modal resonators, impulse trains, a diffuse reverb, panning and
seamless loops. Everything runs at `SR` (48 kHz)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, fftconvolve, sosfilt

SR = 48000


def seed_for(name: str) -> int:
    """A seed from a name that is the same in every process (unlike `hash()`)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


# --------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------


def _n(seconds: float) -> int:
    return max(1, int(round(seconds * SR)))


@lru_cache(maxsize=256)
def _sos(kind: str, freq: float | tuple[float, float], order: int) -> np.ndarray:
    if isinstance(freq, tuple):
        lo, hi = freq
        hi = min(hi, SR * 0.45)
        return butter(order, (lo, hi), btype=kind, fs=SR, output="sos")
    return butter(order, min(freq, SR * 0.45), btype=kind, fs=SR, output="sos")


def _lp(x: np.ndarray, f: float, order: int = 2) -> np.ndarray:
    return sosfilt(_sos("lowpass", float(f), order), x, axis=0)


def _hp(x: np.ndarray, f: float, order: int = 2) -> np.ndarray:
    return sosfilt(_sos("highpass", float(f), order), x, axis=0)


def _bp(x: np.ndarray, lo: float, hi: float, order: int = 2) -> np.ndarray:
    return sosfilt(_sos("bandpass", (float(lo), float(hi)), order), x, axis=0)


def _colored(n: int, rng: np.random.Generator, exponent: float, channels: int = 1) -> np.ndarray:
    """Noise with power spectrum 1/f**exponent (0 white, 1 pink, 2 brown), unit RMS."""
    white = rng.standard_normal((n, channels))
    spec = np.fft.rfft(white, axis=0)
    f = np.fft.rfftfreq(n, 1 / SR)
    # Flat below 30 Hz: brown noise otherwise spends its energy on infrasound,
    # which costs peak headroom and is inaudible (the loudness meter ignores it).
    f = np.maximum(f, 30.0)
    spec *= (f ** (-exponent / 2))[:, None]
    spec[0] = 0
    out = np.fft.irfft(spec, n=n, axis=0)
    out /= np.sqrt(np.mean(out**2, axis=0, keepdims=True)) + 1e-12
    return out[:, 0] if channels == 1 else out


def _smooth_random(n: int, rng: np.random.Generator, rate_hz: float, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """A slowly wandering envelope in [lo, hi], changing about `rate_hz` times a second."""
    points = max(3, int(n / SR * rate_hz) + 3)
    values = rng.uniform(lo, hi, points)
    xs = np.linspace(0, n, points)
    env = np.interp(np.arange(n), xs, values)
    width = max(1, int(SR / rate_hz / 2))
    return uniform_filter1d(env, width, mode="nearest")


def _decay(n: int, tau: float, attack: float = 0.001) -> np.ndarray:
    t = np.arange(n) / SR
    env = np.exp(-t / max(tau, 1e-4))
    a = _n(attack)
    if a > 1:
        env[:a] *= np.linspace(0, 1, a) ** 1.5
    return env


def _burst(rng: np.random.Generator, dur: float, tau: float, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """A short noise burst with an exponential decay, optionally band-limited."""
    n = _n(dur)
    x = rng.standard_normal(n) * _decay(n, tau, attack=0.0005)
    if lo and hi:
        x = _bp(x, lo, hi)
    elif lo:
        x = _hp(x, lo)
    elif hi:
        x = _lp(x, hi)
    return x


def _modes(freqs, decays, amps, dur: float, rng: np.random.Generator | None = None) -> np.ndarray:
    """Struck modal resonator: a sum of exponentially decaying sinusoids."""
    n = _n(dur)
    t = np.arange(n) / SR
    out = np.zeros(n)
    phases = rng.uniform(0, 2 * np.pi, len(freqs)) if rng is not None else np.zeros(len(freqs))
    for f, d, a, p in zip(freqs, decays, amps, phases):
        if f >= SR * 0.45:
            continue
        out += a * np.exp(-t / d) * np.sin(2 * np.pi * f * t + p)
    # a 1 ms onset ramp keeps a random start phase from clicking
    r = min(n, _n(0.001))
    out[:r] *= np.linspace(0, 1, r)
    return out


def _place(out: np.ndarray, sig: np.ndarray, pos: int, gain: float = 1.0) -> None:
    if pos >= len(out) or pos + len(sig) <= 0:
        return
    start = max(pos, 0)
    s0 = start - pos
    end = min(len(out), pos + len(sig))
    out[start:end] += gain * sig[s0 : s0 + end - start]


def _sum(*parts: np.ndarray) -> np.ndarray:
    """Add signals of different lengths, all starting at sample 0."""
    out = np.zeros(max(len(p) for p in parts))
    for p in parts:
        out[: len(p)] += p
    return out


def _pan(x: np.ndarray, p: float) -> np.ndarray:
    """Constant-power pan, p in [-1, 1]."""
    theta = (np.clip(p, -1, 1) + 1) * np.pi / 4
    return np.stack([x * np.cos(theta), x * np.sin(theta)], axis=1)


def _pan_moving(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    theta = (np.clip(p, -1, 1) + 1) * np.pi / 4
    return np.stack([x * np.cos(theta), x * np.sin(theta)], axis=1)


def _impulses(n: int, rng: np.random.Generator, rate: float | np.ndarray, amp_sigma: float = 0.8) -> np.ndarray:
    """A sparse Poisson impulse train with log-normal amplitudes; `rate` may vary in time.

    Amplitudes are capped at 4x the median: one freak impulse would otherwise
    set the peak and push everything else down when the asset is levelled."""
    if np.isscalar(rate):
        prob = np.full(n, float(rate) / SR)
    else:
        prob = np.asarray(rate) / SR
    hits = rng.random(n) < prob
    train = np.zeros(n)
    k = int(hits.sum())
    train[hits] = np.minimum(rng.lognormal(0, amp_sigma, k), 4.0) * rng.choice([-1, 1], k)
    return train


def _conv(train: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return fftconvolve(train, kernel, mode="full")[: len(train)]


@lru_cache(maxsize=16)
def _ir(rt60: float, seed: int, brightness: float) -> np.ndarray:
    """A stereo exponentially decaying noise impulse response (a cheap diffuse reverb)."""
    rng = np.random.default_rng(seed)
    n = _n(rt60 * 1.1)
    t = np.arange(n) / SR
    env = np.exp(-6.91 * t / rt60)
    ir = rng.standard_normal((n, 2)) * env[:, None]
    ir = _lp(ir, brightness)
    ir[: _n(0.004)] *= np.linspace(0, 1, _n(0.004))[:, None]  # pre-delay softness
    return ir / np.sqrt(np.sum(ir**2, axis=0, keepdims=True))


def _reverb(x: np.ndarray, rt60: float, wet: float, brightness: float = 6000.0, seed: int = 7) -> np.ndarray:
    """Mono or stereo in, stereo out: dry plus a diffuse tail of `wet` relative level."""
    ir = _ir(round(rt60, 2), seed, brightness)
    dry = x if x.ndim == 2 else np.stack([x, x], axis=1)
    mono = dry.mean(axis=1)
    pad = np.concatenate([mono, np.zeros(len(ir))])
    tail = np.stack([fftconvolve(pad, ir[:, c])[: len(pad)] for c in range(2)], axis=1)
    dry = np.concatenate([dry, np.zeros((len(ir), 2))])
    return dry + wet * tail


def _fold_loop(x: np.ndarray, n: int) -> np.ndarray:
    """Fold everything past `n` samples back onto the start: a seamless loop for
    material rendered with a ring-out tail (music, reverbs)."""
    out = x[:n].copy()
    rest = x[n:]
    while len(rest):
        m = min(n, len(rest))
        out[:m] += rest[:m]
        rest = rest[m:]
    return out


def _crossfade_loop(x: np.ndarray, n: int, fade: float = 1.5) -> np.ndarray:
    """Loop noise-like material: x has n + fade samples; the overrun fades into the head.

    Equal-power curves because the two sides are uncorrelated noise."""
    f = min(_n(fade), len(x) - n, n // 2)
    out = x[:n].copy()
    if f <= 0:
        return out
    w = np.linspace(0, np.pi / 2, f)
    fin, fout = np.sin(w), np.cos(w)
    if out.ndim == 2:
        fin, fout = fin[:, None], fout[:, None]
    out[:f] = x[:f] * fin + x[n : n + f] * fout
    return out
