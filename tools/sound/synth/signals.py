"""Signals and cinematic effects: sirens, phones, horns, chimes, a ticking clock, risers, stingers and sparkle.

Man-made signals are tonal and simple by design: a siren is one oscillator
swept up and down, a telephone bell a hammer on two bells at 20 Hz, a horn a
few harmonics with a reed-like rasp, chimes are tuned tubes. The trailer
effects are the tools of a film score: a riser is noise and tones climbing
to a peak; a stinger is a low boom with a bright orchestral hit; sparkle is
a shimmer of high bell notes.
"""

from __future__ import annotations

import numpy as np

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _colored,
    _crossfade_loop,
    _fold_loop,
    _lp,
    _modes,
    _n,
    _pan,
    _pan_moving,
    _place,
    _reverb,
    _sum,
)

__all__ = ["siren", "phone", "horn", "chimes", "clock", "riser", "stinger", "sparkle"]


def siren(rng: np.random.Generator, dur: float = 8.0, kind: str = "wail", distant: bool = False) -> np.ndarray:
    """An emergency siren: a slow wail, a fast yelp, or the two-tone hi-lo; optionally far off."""
    n = _n(dur)
    t = np.arange(n) / SR
    if kind == "wail":
        f = 700 + 500 * (0.5 - 0.5 * np.cos(2 * np.pi * t / 4.0))
    elif kind == "yelp":
        f = 700 + 600 * np.abs(2 * ((t * 3.0) % 1.0) - 1)
    else:  # hi-lo
        f = np.where((t % 1.2) < 0.6, 950.0, 700.0)
    ph = np.cumsum(2 * np.pi * f / SR)
    tone = np.sin(ph) + 0.4 * np.sin(3 * ph) + 0.2 * np.sin(5 * ph)
    if distant:
        tone = _lp(tone, 1800)
        return _reverb(0.5 * tone, 2.5, 0.6, 3000, seed=501)[:n]
    return _pan_moving(tone, np.linspace(-0.6, 0.6, n))


def phone(rng: np.random.Generator, kind: str = "bell", rings: int = 3) -> np.ndarray:
    """A telephone ringing: an old bell phone's hammer, or a modern electronic trill."""
    period = 3.0 if kind == "bell" else 2.0
    n = _n(0.2 + period * rings)
    out = np.zeros(n)
    for r in range(rings):
        t0 = 0.1 + r * period
        if kind == "bell":
            strike = _modes(rng.uniform([1800, 2200], [1900, 2300]) * np.array([1.0, 1.0]), [0.15, 0.12], [1, 0.8], 0.2, rng)
            for k in range(int(2.0 * 20)):
                _place(out, strike * (0.8 if k % 2 else 1.0), _n(t0 + k / 20))
        else:
            m = _n(1.0)
            tt = np.arange(m) / SR
            f = np.where((tt * 16) % 1.0 < 0.5, 1300.0, 1600.0)
            _place(out, np.sin(np.cumsum(2 * np.pi * f / SR)) * 0.6, _n(t0))
    return _reverb(out, 0.5, 0.12, 7000, seed=502).mean(axis=1)[:n]


def horn(rng: np.random.Generator, kind: str = "car") -> np.ndarray:
    """A horn: a car's two-note honk, a ship's deep foghorn, or a train's chord."""
    if kind == "car":
        n = _n(1.5)
        m = _n(0.45)
        t = np.arange(m) / SR
        tone = sum(np.sin(2 * np.pi * f * k * t) / k for f in (415.0, 520.0) for k in range(1, 6))
        tone *= np.clip(t / 0.01, 0, 1) * np.clip((t[-1] - t) / 0.02, 0, 1)
        out = np.zeros(n)
        _place(out, tone, _n(0.1))
        _place(out, tone, _n(0.75))
        return _reverb(out, 1.0, 0.25, 5000, seed=503).mean(axis=1)[:n]
    if kind == "foghorn":
        n = _n(7.0)
        m = _n(3.5)
        t = np.arange(m) / SR
        f = 110.0
        rasp = 1 + 0.3 * np.sign(np.sin(2 * np.pi * f * t))
        tone = sum(np.sin(2 * np.pi * f * k * t) / k**0.8 for k in range(1, 10)) * rasp
        tone *= np.clip(t / 0.3, 0, 1) * np.clip((t[-1] - t) / 0.6, 0, 1)
        out = np.zeros(n)
        _place(out, _lp(tone, 1500), _n(0.2))
        return _reverb(out, 4.0, 0.5, 2500, seed=504)[:n]
    n = _n(4.0)  # train horn: a held minor chord
    m = _n(2.0)
    t = np.arange(m) / SR
    tone = sum(np.sin(2 * np.pi * f * k * t) / k for f in (311.0, 370.0, 466.0) for k in range(1, 5))
    tone *= np.clip(t / 0.05, 0, 1) * np.clip((t[-1] - t) / 0.2, 0, 1)
    out = np.zeros(n)
    _place(out, tone, _n(0.2))
    return _reverb(out, 2.5, 0.45, 4000, seed=505)[:n]


def chimes(rng: np.random.Generator, kind: str = "wind", dur: float = 12.0) -> np.ndarray:
    """Chimes: wind chimes stirring on a porch (a loopable bed), or a doorbell's two tones."""
    tubes = np.array([523.3, 587.3, 659.3, 784.0, 880.0])  # a pentatonic set
    ratios = np.array([1.0, 2.76, 5.4])
    if kind == "doorbell":
        n = _n(3.0)
        out = np.zeros(n)
        for k, f in enumerate((659.3, 523.3)):
            _place(out, _modes(f * ratios, [1.2, 0.5, 0.2], [1, 0.3, 0.1], 2.0, rng), _n(0.1 + 0.6 * k))
        return _reverb(out, 0.8, 0.2, 6000, seed=506).mean(axis=1)[:n]
    n = _n(dur + 1.5)
    out = np.zeros((n, 2))
    t = rng.uniform(0, 0.5)
    while t < dur + 1.0:
        f = float(rng.choice(tubes)) * 2
        ring = _modes(f * ratios, [2.0, 0.8, 0.3], [1, 0.3, 0.1], 2.5, rng)
        _place(out, _pan(ring * rng.uniform(0.2, 1.0), rng.uniform(-0.6, 0.6)), _n(t))
        t += rng.exponential(0.6)
    air = 0.05 * _bp(_colored(n, rng, 1.5, 2), 100, 1200)
    return _crossfade_loop(_reverb(out, 1.2, 0.2, 7000, seed=507)[:n] + air, _n(dur))


def clock(rng: np.random.Generator, dur: float = 8.0, kind: str = "mantel") -> np.ndarray:
    """A clock ticking in a quiet room: a mantel clock's tick-tock, or a grandfather clock's slow heavy beat."""
    period = 0.5 if kind == "mantel" else 1.0
    n = _n(dur)
    out = np.zeros(n + _n(1.0))
    hi, lo = ((3200, 2600), (1700, 1300)) if kind == "mantel" else ((1400, 1100), (900, 700))
    for k in range(int(dur / period)):
        f = hi if k % 2 == 0 else lo
        tick = _sum(_modes(np.array(f) * rng.uniform(0.99, 1.01, 2), [0.015, 0.01], [1, 0.6], 0.06, rng), 0.3 * _burst(rng, 0.004, 0.0008, 2000, None))
        _place(out, tick, _n(0.05 + k * period))
    # The quiet house the clock ticks in: a bed, not ticks in a vacuum.
    room = 0.04 * _lp(_colored(len(out), rng, 1.0, 1), 800)
    x = _reverb(out + room, 0.6, 0.15, 6000, seed=508).mean(axis=1)
    return _fold_loop(x, n)


def riser(rng: np.random.Generator, length: float = 4.0) -> np.ndarray:
    """A tension riser: noise and a cluster of tones climbing in pitch and level to a sudden stop."""
    n = _n(length + 0.3)
    m = _n(length)
    u = np.linspace(0, 1, m)
    env = u**2
    noise = _bp(rng.standard_normal(m), 500, 9000) * env
    tones = np.zeros(m)
    for f0 in (110.0, 164.8, 233.1):
        f = f0 * 2 ** (2.5 * u)
        tones += np.sin(np.cumsum(2 * np.pi * f / SR))
    x = np.zeros(n)
    _place(x, 0.4 * noise / (np.sqrt(np.mean(noise**2)) + 1e-12) * env + 0.5 * tones * env, 0)
    return _reverb(x, 1.5, 0.3, 8000, seed=509)[:n]


def stinger(rng: np.random.Generator, kind: str = "hit") -> np.ndarray:
    """A stinger: a trailer 'hit' (sub boom with a bright orchestral chord), or a dark low 'braam'."""
    n = _n(5.0)
    t = np.arange(n) / SR
    f = 35 + 60 * np.exp(-t / 0.08)
    boom = np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.9)
    if kind == "hit":
        chord = sum(np.sin(2 * np.pi * fr * k * t) / k for fr in (220.0, 261.6, 329.6) for k in range(1, 7))
        chord *= np.exp(-t / 0.7) * np.clip(t / 0.005, 0, 1)
        x = boom + 0.25 * chord + 0.4 * np.pad(_burst(rng, 0.1, 0.02, 800, None), (0, n - _n(0.1)))
    else:  # braam: low brass with a rasp, swelling then fading
        env = np.clip(t / 0.15, 0, 1) * np.exp(-np.maximum(t - 0.5, 0) / 1.2)
        tone = sum(np.sin(2 * np.pi * 55.0 * k * t) / k**0.6 for k in range(1, 20)) * (1 + 0.4 * np.sign(np.sin(2 * np.pi * 55 * t)))
        x = 0.6 * boom + 0.2 * _lp(tone, 2500) * env
    return _reverb(x, 2.5, 0.4, 5000, seed=510)[:n]


def sparkle(rng: np.random.Generator, length: float = 2.5) -> np.ndarray:
    """Magic sparkle: a shimmer of high bell notes rising and twinkling away."""
    n = _n(length + 1.5)
    out = np.zeros((n, 2))
    notes = 523.25 * 2 ** (np.array([0, 2, 4, 7, 9, 12, 14, 16, 19, 21, 24]) / 12)
    count = 24
    for k in range(count):
        f = float(notes[min(len(notes) - 1, int(k / count * len(notes)) + int(rng.integers(0, 2)))]) * 2
        ring = _modes(f * np.array([1.0, 2.0, 3.0]), [0.6, 0.3, 0.15], [1, 0.3, 0.1], 1.0, rng)
        _place(out, _pan(ring * rng.uniform(0.3, 0.8), rng.uniform(-0.8, 0.8)), _n(0.05 + length * 0.8 * k / count + rng.uniform(0, 0.05)))
    return _reverb(out, 2.0, 0.4, 9000, seed=511)[:n]
