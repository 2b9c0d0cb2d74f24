"""Crowd reactions and animals: applause, cheering, laughter, gasps, a barking dog, an owl, gulls.

Human reactions are built from the same parts as the crowd murmur: a
glottal pulse train (or breath noise) through vowel formants, with the
rhythm of the reaction (a laugh's "ha" syllables at about five a second, a
cheer's long open vowels gliding up). Applause is many independent clappers,
each a short band-limited noise burst at its own steady rate. Animal calls
are tonal: a bark is a short, harsh, falling harmonic burst; an owl's hoot
a soft low sine with a slight bend; a gull's cry a bright descending squeal.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _colored,
    _crossfade_loop,
    _lp,
    _n,
    _pan,
    _place,
    _reverb,
    _smooth_random,
)

__all__ = ["applause", "cheer", "laughter", "gasp", "dog_bark", "owl", "gulls"]

_VOWEL_FORMANTS = {"a": (730, 1090, 2440), "o": (570, 840, 2410), "e": (530, 1840, 2480), "u": (300, 870, 2240), "i": (270, 2290, 3010)}
_VR = 16000  # voices are synthesised at 16 kHz and upsampled: they carry little above 5 kHz


def _voiced(rng: np.random.Generator, f0: np.ndarray, vowel: str, female: bool, breath: float = 0.15) -> np.ndarray:
    """A glottal pulse train following the pitch contour `f0` (at 16 kHz) through a vowel's formants."""
    m = len(f0)
    phase = np.cumsum(f0 / _VR) % 1.0
    src = (phase - 0.5) + breath * rng.standard_normal(m)
    out = np.zeros(m)
    scale = 1.15 if female else 1.0
    for fc, gain, bw in zip(_VOWEL_FORMANTS[vowel], (1.0, 0.6, 0.3), (90, 120, 160)):
        f = fc * scale
        sos = butter(1, (f - bw, min(f + bw, _VR / 2 - 100)), btype="bandpass", fs=_VR, output="sos")
        out += gain * sosfilt(sos, src)
    return out


def _to_sr(x: np.ndarray) -> np.ndarray:
    return resample_poly(x, SR // 16000, 1, axis=0)


def applause(rng: np.random.Generator, dur: float = 8.0, size: str = "small") -> np.ndarray:
    """Applause: a few people (small) or a hall (large); it swells in, holds and dies away."""
    n = _n(dur)
    people = 8 if size == "small" else 60
    out = np.zeros((n, 2))
    u = np.linspace(0, 1, n)
    shape = np.clip(u / 0.1, 0, 1) * np.clip((1 - u) / 0.3, 0, 1)
    for _ in range(people):
        rate = rng.uniform(3.0, 5.5)
        lo = rng.uniform(700, 1500)
        clap = _burst(rng, 0.03, rng.uniform(0.004, 0.008), lo, lo * 4)
        mono = np.zeros(n)
        t = rng.uniform(0, 0.8)
        while t < dur:
            if rng.random() < shape[min(n - 1, _n(t))]:
                _place(mono, clap * rng.uniform(0.6, 1.0), _n(t))
            t += 1 / rate * rng.uniform(0.9, 1.1)
        out += _pan(mono, rng.uniform(-0.9, 0.9)) * rng.uniform(0.4, 1.0)
    return _reverb(out, 0.8 if size == "small" else 1.8, 0.3 if size == "small" else 0.5, 7000, seed=401)[:n]


def cheer(rng: np.random.Generator, dur: float = 6.0, size: str = "crowd") -> np.ndarray:
    """A crowd cheering: open vowels rising and held, whoops, over applause."""
    m = int(dur * _VR)
    voices = np.zeros((m, 2))
    talkers = 12 if size == "group" else 30
    for _ in range(talkers):
        female = rng.random() < 0.5
        base = rng.uniform(200, 280) if female else rng.uniform(120, 170)
        start = rng.uniform(0, 0.6)
        length = rng.uniform(1.0, dur - start - 0.2)
        k = int(length * _VR)
        uu = np.linspace(0, 1, k)
        f0 = base * (1 + 0.35 * np.minimum(uu / 0.2, 1) + 0.05 * np.sin(2 * np.pi * rng.uniform(4, 7) * uu * length))
        v = _voiced(rng, f0, str(rng.choice(["a", "o", "e"])), female, 0.3) * np.sin(np.pi * uu) ** 0.5
        seg = np.zeros(m)
        s0 = int(start * _VR)
        seg[s0 : s0 + k] = v[: m - s0]
        voices += _pan(seg, rng.uniform(-0.9, 0.9))[:m] * rng.uniform(0.3, 1.0)
    voices = _to_sr(voices)[: _n(dur)]
    voices /= np.sqrt(np.mean(voices**2)) + 1e-12
    clap = applause(rng, dur, "large")
    clap /= np.sqrt(np.mean(clap**2)) + 1e-12
    x = 0.7 * voices + 0.5 * clap
    return _reverb(_lp(x, 6000), 1.5, 0.4, 5000, seed=402)[: _n(dur)]


def laughter(rng: np.random.Generator, dur: float = 4.0, size: str = "group") -> np.ndarray:
    """People laughing: bursts of breathy 'ha' syllables at about five a second, pitch falling through each burst."""
    m = int(dur * _VR)
    out = np.zeros((m, 2))
    people = 1 if size == "one" else (6 if size == "group" else 20)
    for _ in range(people):
        female = rng.random() < 0.5
        base = rng.uniform(220, 320) if female else rng.uniform(130, 190)
        mono = np.zeros(m)
        t = rng.uniform(0, 0.5)
        while t < dur - 0.5:
            sylls = int(rng.integers(4, 9))
            rate = rng.uniform(4.0, 6.0)
            for s in range(sylls):
                k = int(_VR * 0.12)
                uu = np.linspace(0, 1, k)
                f0 = base * (1.15 - 0.25 * s / sylls) * (1 - 0.1 * uu)
                syl = _voiced(rng, f0, "a", female, 0.6) * np.sin(np.pi * uu) ** 0.8
                s0 = int((t + s / rate) * _VR)
                if s0 + k < m:
                    mono[s0 : s0 + k] += syl * (1 - 0.5 * s / sylls)
            t += sylls / rate + rng.uniform(0.4, 1.5)
        out += _pan(mono, rng.uniform(-0.8, 0.8)) * rng.uniform(0.4, 1.0)
    x = _to_sr(out)[: _n(dur)]
    return _reverb(x, 0.7 if size != "crowd" else 1.6, 0.25, 5000, seed=403)[: _n(dur)]


def gasp(rng: np.random.Generator, size: str = "one") -> np.ndarray:
    """A sharp inhaled gasp of surprise, from one person or a whole audience."""
    dur = 2.0
    n = _n(dur)
    out = np.zeros((n, 2))
    people = 1 if size == "one" else 25
    for _ in range(people):
        m = _n(rng.uniform(0.25, 0.4))
        uu = np.linspace(0, 1, m)
        env = np.clip(uu / 0.15, 0, 1) ** 0.5 * np.exp(-np.maximum(uu - 0.3, 0) / 0.25)
        f1, f2 = _VOWEL_FORMANTS[str(rng.choice(["a", "o"]))][:2]
        breath = _bp(rng.standard_normal(m), f1 * 0.7, f1 * 1.4) + 0.7 * _bp(rng.standard_normal(m), f2 * 0.8, f2 * 1.25)
        breath += 0.5 * _bp(rng.standard_normal(m), 2500, 6000)
        t0 = 0.1 + (rng.gamma(2.0, 0.04) if people > 1 else 0)
        _place(out[:, 0], breath * env * rng.uniform(0.5, 1.0), _n(t0))
        out[:, 1] = out[:, 0] if people == 1 else out[:, 1]
        if people > 1:
            _place(out[:, 1], breath * env * rng.uniform(0.5, 1.0), _n(t0 + rng.uniform(0, 0.03)))
    return _reverb(out, 0.5 if size == "one" else 1.6, 0.2 if size == "one" else 0.45, 6000, seed=404)[:n]


def dog_bark(rng: np.random.Generator, barks: int = 3, size: str = "medium") -> np.ndarray:
    """A dog barking: short, harsh, falling harmonic bursts, outdoors."""
    base = {"small": 700, "medium": 450, "large": 260}[size]
    n = _n(0.6 + 0.45 * barks + 1.0)
    out = np.zeros(n)
    t = 0.1
    for _ in range(barks):
        m = _n(rng.uniform(0.12, 0.2))
        tt = np.arange(m) / SR
        f0 = base * rng.uniform(0.9, 1.1) * (1.1 - 0.3 * tt / tt[-1])
        phase = np.cumsum(2 * np.pi * f0 / SR)
        tone = sum(np.sin(k * phase) / k**0.7 for k in range(1, 12))
        rough = 1 + 0.5 * np.sin(2 * np.pi * 60 * tt)  # vocal-fold roughness
        env = np.clip(tt / 0.01, 0, 1) * np.exp(-tt / 0.07)
        bark = tone * rough * env + 0.3 * _bp(rng.standard_normal(m), 1000, 4000) * env
        _place(out, _bp(bark, 200, 5000), _n(t))
        t += rng.uniform(0.3, 0.5)
    return _reverb(out, 1.2, 0.25, 5000, seed=405)[:n]


def owl(rng: np.random.Generator, dur: float = 12.0) -> np.ndarray:
    """A tawny owl calling in the night woods: soft low hoots, a pause, a wavering 'hoo-hoo-hoo'."""
    n = _n(dur + 1.5)
    out = np.zeros(n)
    t = rng.uniform(0.5, 1.5)
    while t < dur:
        for k, (length, f) in enumerate(((0.6, 420), (0.25, 400), (0.7, 410), (0.2, 390), (0.2, 395), (0.5, 405))):
            m = _n(length)
            tt = np.arange(m) / SR
            ff = f * rng.uniform(0.97, 1.03) * (1 + 0.03 * np.sin(2 * np.pi * 6 * tt)) * (1 + 0.04 * np.sin(np.pi * tt / length))
            hoot = (np.sin(np.cumsum(2 * np.pi * ff / SR)) + 0.1 * np.sin(2 * np.cumsum(2 * np.pi * ff / SR))) * np.sin(np.pi * tt / length) ** 1.5
            _place(out, hoot, _n(t))
            t += length + (0.8 if k == 0 else 0.12)
        t += rng.uniform(3.0, 5.0)
    night = 0.03 * _lp(_colored(n, rng, 1.5, 1), 400)
    x = _reverb(0.6 * out + night, 1.8, 0.35, 4000, seed=406)
    return _crossfade_loop(x[:n], _n(dur))


def gulls(rng: np.random.Generator, dur: float = 15.0, count: int = 4) -> np.ndarray:
    """Seagulls crying over a harbour or a beach: bright descending squeals, near and far."""
    n = _n(dur + 1.5)
    out = np.zeros((n, 2))
    for _ in range(count):
        pan = rng.uniform(-0.9, 0.9)
        far = rng.uniform(0.2, 1.0)
        mono = np.zeros(n)
        t = rng.uniform(0, 4)
        while t < dur:
            calls = int(rng.integers(1, 5))
            for c in range(calls):
                m = _n(rng.uniform(0.25, 0.45) if c == 0 else rng.uniform(0.12, 0.2))
                tt = np.arange(m) / SR
                u = tt / tt[-1]
                f0 = rng.uniform(1100, 1500) * (1.15 - 0.4 * u ** 1.5)
                ph = np.cumsum(2 * np.pi * f0 / SR)
                cry = sum(np.sin(k * ph) / k for k in range(1, 6)) * np.sin(np.pi * u) ** 0.6
                _place(mono, cry * far, _n(t))
                t += m / SR + rng.uniform(0.05, 0.15)
            t += rng.uniform(2.0, 6.0)
        out += _pan(_lp(mono, 2500 + 4000 * far), pan)
    air = 0.05 * _bp(_colored(n, rng, 1.2, 2), 100, 1500) * _smooth_random(n, rng, 0.3, 0.5, 1.0)[:, None]
    x = _reverb(out, 1.2, 0.3, 6000, seed=407)[:n] + air
    return _crossfade_loop(x, _n(dur))
