"""Effects: thunder, impacts, whooshes, explosions, engines, bells, gunshots, heartbeats.

Each models its cause: a crack then a rolling low rumble; a body thump or a
metal clang; a filter-bank sweep with a swell; combustion pulses through an
exhaust resonance; bell partials with their own decays; lub-dub thumps.
"""

from __future__ import annotations

import numpy as np

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _colored,
    _conv,
    _crossfade_loop,
    _fold_loop,
    _impulses,
    _lp,
    _modes,
    _n,
    _pan,
    _pan_moving,
    _place,
    _reverb,
    _smooth_random,
    _sum,
)

__all__ = ["thunder", "impact", "whoosh", "explosion", "engine", "bell", "gunshot", "heartbeat", "motor", "flame"]


def thunder(rng: np.random.Generator, distant: bool = False) -> np.ndarray:
    dur = 10.0
    n = _n(dur)
    t = np.arange(n) / SR
    onset = 0.3 if distant else 0.05
    roll = _smooth_random(n, rng, 3.0, 0.0, 1.0) ** 2 * _smooth_random(n, rng, 0.6, 0.3, 1.0)
    decay = np.exp(-np.maximum(t - onset, 0) / (3.0 if distant else 2.2)) * np.clip((t - onset) / (0.8 if distant else 0.05), 0, 1)
    rumble = _lp(_colored(n, rng, 2.0, 2), 160 if distant else 300, 3) * (decay * (0.4 + roll))[:, None]
    x = rumble
    if not distant:
        crack = np.zeros(n)
        for _ in range(12):
            _place(crack, _burst(rng, 0.08, rng.uniform(0.005, 0.03), 300, None) * rng.uniform(0.3, 1.0), _n(onset + rng.uniform(0, 0.25)))
        x = x + 0.5 * _reverb(crack, 2.0, 0.6, 4000, seed=91)[:n]
    return x


def impact(rng: np.random.Generator, kind: str = "heavy") -> np.ndarray:
    if kind == "metal":
        n = _n(3.0)
        f = rng.uniform(300, 500)
        clang = _modes(f * np.array([1, 2.76, 5.40, 8.93, 13.3]), [1.5, 1.0, 0.6, 0.35, 0.2], [1, 0.7, 0.5, 0.35, 0.2], 3.0, rng)
        x = clang + np.pad(0.6 * _burst(rng, 0.05, 0.006, 1000, None), (0, n - _n(0.05)))
        return _reverb(x, 1.5, 0.2, 6000, seed=101).mean(axis=1)[:n]
    n = _n(2.0)
    t = np.arange(n) / SR
    f = 40 + 90 * np.exp(-t / 0.05)
    boom = np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.25)
    x = boom + 0.7 * np.pad(_burst(rng, 0.06, 0.012, None, 3500), (0, n - _n(0.06)))
    return _reverb(x, 1.0, 0.15, 4000, seed=102).mean(axis=1)[:n]


def whoosh(rng: np.random.Generator, length: float = 1.0, pan_sweep: bool = False) -> np.ndarray:
    n = _n(length + 0.4)
    core = _n(length)
    u = np.clip(np.arange(n) / core, 0, 1)
    peak = rng.uniform(0.45, 0.65)
    env = np.where(u < peak, (u / peak) ** 2, np.exp(-(u - peak) / 0.12)) * (np.arange(n) < core + _n(0.3))
    centre = np.log(300) + (np.log(4500) - np.log(300)) * np.where(u < peak, u / peak, 1 - (u - peak) / (1 - peak) * 0.7)
    noise = rng.standard_normal(n)
    out = np.zeros(n)
    for fc in np.geomspace(200, 9000, 10):
        band = _bp(noise, fc / 1.3, fc * 1.3)
        weight = np.exp(-((np.log(fc) - centre) ** 2) / (2 * 0.45**2))
        out += band * weight
    out *= env
    if pan_sweep:
        return _pan_moving(out, np.tanh(4 * (u - peak)))
    return _pan(out, 0)


def explosion(rng: np.random.Generator, distant: bool = False) -> np.ndarray:
    n = _n(7.0)
    t = np.arange(n) / SR
    f = 28 + 50 * np.exp(-t / 0.12)
    boom = np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.8)
    blast = np.pad(_burst(rng, 0.2, 0.03, None, 6000 if not distant else 1200), (0, n - _n(0.2)))
    rumble = _lp(_colored(n, rng, 2.0), 200, 3) * np.exp(-t / 1.6) * np.clip(t / 0.05, 0, 1)
    debris = _conv(_impulses(n, rng, 150 * np.exp(-t / 0.8), 1.0), _burst(rng, 0.004, 0.001, 1500, None)) * 0.3
    x = 1.0 * boom + 0.8 * blast + 0.8 * rumble + (0.0 if distant else debris)
    if distant:
        x = _lp(x, 900, 2)
        x = np.concatenate([np.zeros(_n(0.2)), x])[:n]
    return _reverb(x, 2.5, 0.35, 3000, seed=111)[:n]


def engine(rng: np.random.Generator, dur: float = 6.0, rev: bool = False) -> np.ndarray:
    n = _n(dur + 0.5)
    t = np.arange(n) / SR
    if rev:
        rpm = 900 + 3600 * np.exp(-((t - dur * 0.45) / (dur * 0.18)) ** 2)
    else:
        rpm = 850 * (1 + 0.02 * _smooth_random(n, rng, 3, -1, 1))
    fire = rpm / 60 * 2  # a four-cylinder four-stroke fires twice per revolution
    phase = np.cumsum(fire / SR)
    train = np.zeros(n)
    idx = np.nonzero(np.diff(np.floor(phase)))[0]
    train[idx] = rng.uniform(0.8, 1.2, len(idx))
    kernel = _modes([rng.uniform(120, 150), rng.uniform(280, 330)], [0.02, 0.01], [1, 0.4], 0.08, rng) + 0.3 * _burst(rng, 0.08, 0.004, 300, 3000)
    x = _conv(train, kernel)
    intake = _bp(rng.standard_normal(n), 500, 2500) * 0.15 * (rpm / rpm.max())
    x = _lp(x + intake, 3500)
    return _crossfade_loop(x, _n(dur), 0.4) if not rev else x[: _n(dur)]


def bell(rng: np.random.Generator, kind: str = "church") -> np.ndarray:
    if kind == "church":
        dur, f, strikes, gap = 12.0, rng.uniform(200, 260), 3, 2.8
        ratios = np.array([0.5, 1.0, 1.2, 1.5, 2.0, 2.5, 2.67, 3.0, 4.0])
        decays = np.array([8.0, 5.0, 4.0, 3.0, 2.5, 1.5, 1.2, 1.0, 0.6])
        amps = np.array([0.6, 0.8, 0.7, 0.4, 1.0, 0.3, 0.25, 0.3, 0.15])
    elif kind == "ship":  # the ship's bell struck in pairs, as it strikes the watch
        dur, f, strikes, gap = 6.0, rng.uniform(520, 600), 4, 0.45
        ratios = np.array([1.0, 2.0, 2.4, 3.0, 4.1])
        decays = np.array([3.0, 2.0, 1.5, 1.0, 0.6])
        amps = np.array([1.0, 0.6, 0.5, 0.3, 0.15])
    else:  # hand bell
        dur, f, strikes, gap = 5.0, rng.uniform(850, 1000), 3, 0.5
        ratios = np.array([1.0, 2.0, 2.76, 3.9, 5.4])
        decays = np.array([2.0, 1.2, 0.8, 0.5, 0.3])
        amps = np.array([1.0, 0.5, 0.4, 0.2, 0.1])
    n = _n(dur)
    out = np.zeros(n)
    ring = _modes(f * ratios, decays, amps, dur, rng)
    for s in range(strikes):
        # ship's bells come in pairs: a short gap inside a pair, a longer one between pairs
        at = 0.05 + (s * gap if kind != "ship" else (s // 2) * 1.6 + (s % 2) * gap)
        _place(out, ring * (1.0 if s == 0 else 0.85), _n(at))
        _place(out, 0.2 * _burst(rng, 0.01, 0.002, 2000, None), _n(at))
    return _reverb(out, {"church": 3.0, "ship": 1.6}.get(kind, 1.0), 0.3, 6000, seed=121)[:n]


def gunshot(rng: np.random.Generator, outdoor: bool = False) -> np.ndarray:
    n = _n(3.5)
    t = np.arange(n) / SR
    shot = np.zeros(n)
    crack = _burst(rng, 0.004, 0.0007, 500, None) * 2.0
    blast = _burst(rng, 0.08, 0.015, 300, 5000)
    body = np.sin(2 * np.pi * 110 * t[: _n(0.15)]) * np.exp(-t[: _n(0.15)] / 0.04)
    _place(shot, crack, _n(0.05))
    _place(shot, blast, _n(0.05))
    _place(shot, 0.8 * body, _n(0.05))
    if outdoor:
        x = _lp(shot, 4000)
        echo = np.zeros(n)
        for d, a in ((0.35, 0.35), (0.8, 0.2), (1.4, 0.12), (2.1, 0.06)):
            _place(echo, _lp(shot, 1500) * a, _n(d))
        return _reverb(x + echo, 2.0, 0.25, 2500, seed=131)[:n]
    return _reverb(shot, 0.9, 0.45, 6000, seed=132)[:n]


def heartbeat(rng: np.random.Generator, bpm: float = 60.0, beats: int = 8) -> np.ndarray:
    period = 60.0 / bpm
    n = _n(period * beats)
    out = np.zeros(n + _n(0.5))
    gap = 0.3 * np.sqrt(60.0 / bpm)

    def thump(f: float, tau: float) -> np.ndarray:
        m = _n(0.3)
        tt = np.arange(m) / SR
        ff = f * (1 + 0.3 * np.exp(-tt / 0.02))
        return np.sin(np.cumsum(2 * np.pi * ff / SR)) * np.exp(-tt / tau) * np.clip(tt / 0.004, 0, 1)

    for b in range(beats):
        t0 = b * period + 0.05
        _place(out, thump(52, 0.06) + 0.3 * thump(104, 0.03), _n(t0))
        _place(out, 0.7 * thump(66, 0.045), _n(t0 + gap))
    out = _lp(out, 180)
    return _fold_loop(out, n)


def motor(rng: np.random.Generator, dur: float = 6.0, kind: str = "outboard") -> np.ndarray:
    """Small engines: a boat's outboard motor, a motorbike passing, a diesel truck idling."""
    n = _n(dur + 0.5)
    t = np.arange(n) / SR
    if kind == "outboard":
        fire = 95.0 * (1 + 0.03 * _smooth_random(n, rng, 2, -1, 1))  # a two-stroke fires every revolution
        res = (rng.uniform(500, 650), rng.uniform(1300, 1600))
    elif kind == "motorbike":
        fire = 40.0 + 60.0 * np.exp(-((t - dur * 0.5) / (dur * 0.2)) ** 2)
        res = (rng.uniform(180, 220), rng.uniform(400, 480))
    else:  # truck
        fire = 22.0 * (1 + 0.02 * _smooth_random(n, rng, 2, -1, 1))
        res = (rng.uniform(80, 100), rng.uniform(200, 240))
    phase = np.cumsum(fire / SR)
    train = np.zeros(n)
    idx = np.nonzero(np.diff(np.floor(phase)))[0]
    train[idx] = rng.uniform(0.8, 1.2, len(idx))
    kernel = _sum(_modes(list(res), [0.015, 0.008], [1, 0.5], 0.06, rng), 0.3 * _burst(rng, 0.04, 0.003, 300, 4000))
    x = _lp(_conv(train, kernel), 5000)
    if kind == "outboard":
        x += 0.2 * _bp(rng.standard_normal(n), 300, 2000)  # prop wash
        return _crossfade_loop(x, _n(dur), 0.4)
    if kind == "motorbike":
        near = np.exp(-((t - dur * 0.5) / (dur * 0.22)) ** 2)
        return _pan_moving(x * (0.15 + near), np.tanh(3 * (t / dur - 0.5)))[: _n(dur)]
    return _crossfade_loop(x, _n(dur), 0.4)


def flame(rng: np.random.Generator, kind: str = "match") -> np.ndarray:
    """Fire catching: a match struck and flaring, or a torch igniting with a roaring whoosh."""
    if kind == "match":
        n = _n(2.5)
        out = np.zeros(n)
        m = _n(0.12)
        scratch = _bp(rng.standard_normal(m), 1500, 8000) * np.hanning(m)
        _place(out, 0.8 * scratch, _n(0.1))
        flare = _bp(rng.standard_normal(_n(0.6)), 400, 6000) * np.exp(-np.arange(_n(0.6)) / _n(0.12))
        _place(out, 1.0 * flare, _n(0.2))
        burn = _lp(rng.standard_normal(_n(2.0)), 800) * 0.08
        _place(out, burn, _n(0.3))
        return out
    n = _n(3.0)
    t = np.arange(n) / SR
    swell = np.clip(t / 0.3, 0, 1) ** 2 * np.exp(-np.maximum(t - 0.4, 0) / 1.0)
    roar = _lp(_colored(n, rng, 1.2), 1500) * swell
    hiss = _bp(rng.standard_normal(n), 2000, 8000) * swell * 0.2
    return _reverb(roar + hiss, 1.0, 0.15, 5000, seed=141)[:n]
