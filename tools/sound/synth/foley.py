"""Foley: the sounds people make with their bodies and the objects they handle.

Footsteps per surface (heel and toe strikes), doors (latch clicks, a
stick-slip hinge creak, body thumps, frame rattle), cloth rustle, glass
(inharmonic glass modes), paper (crumple crackle, page swish) and keys
(clusters of small inharmonic metal hits).
"""

from __future__ import annotations

import numpy as np

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _conv,
    _impulses,
    _lp,
    _modes,
    _n,
    _place,
    _reverb,
    _smooth_random,
    _sum,
)

__all__ = ["creak", "footsteps", "door", "cloth_rustle", "glass_clink", "paper", "keys"]


def _step(rng: np.random.Generator, surface: str, strength: float) -> np.ndarray:
    if surface == "concrete":
        heel = _burst(rng, 0.06, 0.006, 700, 7000) + 0.6 * _modes([90, 160], [0.02, 0.015], [1, 0.5], 0.06, rng)
        toe = 0.5 * _burst(rng, 0.04, 0.004, 1000, 8000)
        scuff = 0.15 * _burst(rng, 0.08, 0.03, 2000, 9000)
        out = np.zeros(_n(0.25))
        _place(out, heel, 0)
        _place(out, toe, _n(rng.uniform(0.05, 0.08)))
        _place(out, scuff, _n(0.07))
        return out * strength
    if surface == "wood":
        body = _modes(rng.uniform([160, 380, 700, 1250], [200, 450, 820, 1400]), [0.05, 0.04, 0.03, 0.02], [1, 0.6, 0.4, 0.2], 0.2, rng)
        click = 0.4 * _burst(rng, 0.02, 0.002, 1500, 8000)
        out = np.zeros(_n(0.3))
        _place(out, body + np.pad(click, (0, len(body) - len(click))), 0)
        _place(out, 0.5 * body, _n(rng.uniform(0.06, 0.09)))
        if rng.random() < 0.25:  # a loose board creaks now and then
            _place(out, 0.3 * creak(rng, 0.25, 90, 160), _n(0.05))
        return out * strength
    if surface in ("gravel", "snow"):
        length = 0.18 if surface == "gravel" else 0.28
        n = _n(length + 0.05)
        grains_rate = 900 if surface == "gravel" else 350
        env = np.interp(np.arange(n), [0, _n(0.02), n], [0.2, 1.0, 0.0])
        lo, hi = (1000, 8000) if surface == "gravel" else (300, 3500)
        grain = _burst(rng, 0.003, 0.0008, lo, hi)
        crunch = _conv(_impulses(n, rng, grains_rate * env, 0.8), grain)
        out = np.zeros(_n(length + 0.2))
        _place(out, crunch, 0)
        _place(out, 0.6 * crunch, _n(rng.uniform(0.08, 0.12)))
        if surface == "snow":
            _place(out, 0.5 * _modes([90], [0.03], [1], 0.08, rng), 0)
        return out / (np.max(np.abs(out)) + 1e-9) * strength
    if surface in ("sand", "leaves"):
        # Many small grains (sand) or dry leaf fragments (leaves) crushed under the foot.
        n = _n(0.35)
        env = np.interp(np.arange(n), [0, _n(0.03), _n(0.2), n], [0.3, 1.0, 0.4, 0.0])
        lo, hi, rate = (200, 3000, 700) if surface == "sand" else (1500, 9000, 250)
        crush = _conv(_impulses(n, rng, rate * env, 0.9), _burst(rng, 0.006, 0.002, lo, hi))
        thud = _modes([60], [0.03], [0.4 if surface == "sand" else 0.2], 0.3, rng)
        out = _sum(crush / (np.max(np.abs(crush)) + 1e-9), thud)
        return out * strength
    if surface in ("mud", "puddle"):
        n = _n(0.5)
        squelch = _bp(rng.standard_normal(n), 150, 1800) * np.exp(-np.arange(n) / _n(0.08))
        suck = np.zeros(n)
        m = _n(0.12)
        t = np.arange(m) / SR
        f = rng.uniform(180, 320) * (1 + 1.5 * t / t[-1])
        _place(suck, np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.04), _n(0.18))
        spray = _bp(rng.standard_normal(n), 1500, 7000) * np.exp(-np.arange(n) / _n(0.05)) * (0.6 if surface == "puddle" else 0.1)
        return (0.8 * squelch + 0.5 * suck + spray) * strength
    if surface == "tile":
        heel = _sum(_burst(rng, 0.03, 0.003, 1500, 9000), 0.5 * _modes(rng.uniform([900, 2200], [1100, 2600]), [0.01, 0.008], [1, 0.5], 0.04, rng))
        out = np.zeros(_n(0.25))
        _place(out, heel, 0)
        _place(out, 0.5 * _burst(rng, 0.02, 0.002, 2500, 9000), _n(rng.uniform(0.05, 0.07)))
        return out * strength
    if surface == "grass":
        n = _n(0.3)
        swish = _bp(rng.standard_normal(n), 1500, 6500) * np.hanning(n) ** 2
        twigs = _conv(_impulses(n, rng, 60, 0.8), _burst(rng, 0.002, 0.0006, 2000, None))
        thud = _modes([70], [0.03], [0.5], 0.3, rng)
        return (0.6 * swish + 0.2 * twigs + 0.4 * thud) * strength
    if surface == "metal":
        ring = _modes(rng.uniform([420, 1130, 2210, 3650], [470, 1220, 2350, 3800]), [0.25, 0.15, 0.1, 0.06], [1, 0.6, 0.4, 0.3], 0.5, rng)
        hit = _burst(rng, 0.03, 0.004, 800, 8000)
        out = np.zeros(_n(0.6))
        _place(out, 0.5 * ring + np.pad(hit, (0, len(ring) - len(hit))), 0)
        _place(out, 0.25 * ring, _n(0.07))
        return out * strength
    raise ValueError(surface)


def footsteps(rng: np.random.Generator, dur: float = 5.0, surface: str = "concrete", pace: float = 1.8) -> np.ndarray:
    n = _n(dur)
    out = np.zeros(n + _n(0.7))
    t = 0.15
    k = 0
    while t < dur - 0.2:
        strength = (1.0 if k % 2 == 0 else 0.8) * rng.uniform(0.85, 1.05)
        _place(out, _step(rng, surface, strength), _n(t))
        t += (1.0 / pace) * rng.uniform(0.96, 1.04)
        k += 1
    rt = {"concrete": 0.8, "wood": 0.6, "metal": 1.2, "tile": 1.4}.get(surface, 0.0)
    if rt:
        return _reverb(out, rt, 0.12, 5000, seed=61).mean(axis=1)[:n]
    return out[:n]


def creak(rng: np.random.Generator, dur: float = 1.2, f_lo: float = 40.0, f_hi: float = 120.0) -> np.ndarray:
    """Hinge creak: stick-slip pulses whose rate glides, through a resonant door body."""
    n = _n(dur)
    u = np.linspace(0, 1, n)
    rate = f_lo + (f_hi - f_lo) * np.sin(np.pi * u) ** 0.7 + 8 * _smooth_random(n, rng, 20, -1, 1)
    phase = np.cumsum(rate / SR)
    train = np.zeros(n)
    train[np.nonzero(np.diff(np.floor(phase)))[0]] = 1.0
    train *= rng.uniform(0.6, 1.0, n)
    body = _modes([rng.uniform(650, 750), rng.uniform(1050, 1200), rng.uniform(1800, 2100)], [0.015, 0.01, 0.008], [1, 0.7, 0.4], 0.04, rng)
    x = _conv(train, body) + 0.3 * _conv(train, _burst(rng, 0.003, 0.0008, 2000, None))
    return x * np.sin(np.pi * u) ** 0.5


def door(rng: np.random.Generator, action: str = "open") -> np.ndarray:
    n = _n(3.0 if action != "slam" else 3.5)
    out = np.zeros(n)
    latch = _modes(rng.uniform([2600, 3900], [3000, 4400]), [0.02, 0.015], [1, 0.6], 0.06, rng) + _burst(rng, 0.06, 0.002, 2000, None)
    thump_w = _modes([rng.uniform(85, 100), rng.uniform(170, 200), rng.uniform(320, 380)], [0.12, 0.08, 0.05], [1, 0.6, 0.35], 0.4, rng)
    if action == "open":
        _place(out, 0.5 * latch, _n(0.1))
        _place(out, 0.4 * latch, _n(0.25))
        _place(out, 0.7 * creak(rng, rng.uniform(1.1, 1.5), 40, 120), _n(0.35))
    elif action == "close":
        _place(out, 0.5 * creak(rng, 0.45, 50, 90), _n(0.05))
        _place(out, 0.9 * thump_w + 0.3 * np.pad(_burst(rng, 0.05, 0.01, None, 2500), (0, len(thump_w) - _n(0.05))), _n(0.5))
        _place(out, 0.6 * latch, _n(0.52))
    else:  # slam: a harder, lower blow, the frame rattles after it
        big = _modes([rng.uniform(60, 75), rng.uniform(130, 150), rng.uniform(250, 290), 520], [0.25, 0.15, 0.1, 0.05], [1, 0.7, 0.5, 0.3], 0.8, rng)
        blast = _burst(rng, 0.1, 0.015, None, 5000)
        _place(out, 1.2 * big, _n(0.1))
        _place(out, 0.9 * blast, _n(0.1))
        _place(out, 0.7 * latch, _n(0.11))
        for _ in range(6):
            _place(out, 0.25 * _burst(rng, 0.02, 0.003, 1500, 7000), _n(0.15 + rng.uniform(0, 0.25)))
    rt = 1.3 if action == "slam" else 0.7
    return _reverb(out, rt, 0.2 if action == "slam" else 0.12, 5000, seed=71).mean(axis=1)[:n]


def cloth_rustle(rng: np.random.Generator, dur: float = 4.0, heavy: bool = False) -> np.ndarray:
    n = _n(dur)
    out = np.zeros(n)
    t = 0.1
    while t < dur - 0.3:
        m = _n(rng.uniform(0.3, 1.0))
        flutter = np.abs(_lp(rng.standard_normal(m), 30, 2))
        flutter /= flutter.max() + 1e-9
        env = np.hanning(m) * (0.3 + 0.7 * flutter)
        hi = _bp(rng.standard_normal(m), 1500, 9000)
        lo = _bp(rng.standard_normal(m), 300, 1500)
        mv = (hi + (0.8 if heavy else 0.25) * lo) * env
        _place(out, mv * rng.uniform(0.5, 1.0), _n(t))
        t += len(mv) / SR * rng.uniform(0.6, 1.4) + rng.uniform(0.0, 0.5)
    return out


def _glass_hit(rng: np.random.Generator, f0: float, ring: float) -> np.ndarray:
    ratios = np.array([1.0, 2.32, 4.25, 6.63])
    # Callers add the strike click themselves: its level depends on what hit the glass.
    return _modes(f0 * ratios * rng.uniform(0.995, 1.005, 4), ring * np.array([1.0, 0.55, 0.3, 0.15]), [1, 0.5, 0.3, 0.15], ring * 1.5, rng)


def glass_clink(rng: np.random.Generator, kind: str = "toast") -> np.ndarray:
    n = _n(2.5)
    out = np.zeros(n)
    click = _burst(rng, 0.006, 0.0008, 3000, None)
    if kind == "toast":
        for f0 in (rng.uniform(900, 1100), rng.uniform(1150, 1350)):
            _place(out, 0.5 * _glass_hit(rng, f0, 0.9), _n(0.1))
        _place(out, 0.6 * click, _n(0.1))
        _place(out, 0.15 * _glass_hit(rng, 1200, 0.4), _n(0.25))  # the small bounce after the toast
    else:  # a glass set down on a table
        knock = _modes([rng.uniform(220, 300), rng.uniform(500, 650)], [0.03, 0.02], [1, 0.5], 0.15, rng)
        _place(out, 0.6 * knock, _n(0.1))
        _place(out, 0.25 * _glass_hit(rng, rng.uniform(1500, 1800), 0.3), _n(0.1))
        _place(out, 0.4 * click, _n(0.1))
    return out


def paper(rng: np.random.Generator, kind: str = "crumple") -> np.ndarray:
    if kind == "crumple":
        dur = 2.5
        n = _n(dur)
        squeezes = np.zeros(n)
        for c in np.linspace(0.1, dur - 0.5, 4) + rng.uniform(0, 0.2, 4):
            m = _n(rng.uniform(0.3, 0.5))
            _place(squeezes, np.hanning(m) * rng.uniform(0.5, 1.0), _n(c))
        grains = _conv(_impulses(n, rng, 50 + 600 * squeezes, 0.9), _burst(rng, 0.004, 0.001, 600, 10000))
        body = _bp(rng.standard_normal(n), 800, 6000) * squeezes * 0.15
        return grains + body
    if kind == "tear":
        n = _n(1.5)
        m = _n(0.9)
        u = np.linspace(0, 1, m)
        fibres = _conv(_impulses(m, rng, 2500 * np.sin(np.pi * u) ** 0.5, 0.7), _burst(rng, 0.002, 0.0005, 1500, 9000))
        out = np.zeros(n)
        _place(out, fibres + 0.2 * _bp(rng.standard_normal(m), 2000, 8000) * np.sin(np.pi * u), _n(0.1))
        return out
    if kind == "unfold":  # a folded letter opened: two crisp flips and a soft crackle
        n = _n(2.0)
        out = np.zeros(n)
        for k in range(2):
            m = _n(0.35)
            u = np.linspace(0, 1, m)
            flip = _bp(rng.standard_normal(m), 1200, 7000) * np.sin(np.pi * u) ** 2
            _place(out, flip, _n(0.1 + 0.6 * k))
            _place(out, 0.6 * _burst(rng, 0.015, 0.003, 2000, None), _n(0.1 + 0.6 * k + 0.3))
        crackle = _conv(_impulses(_n(0.6), rng, 80.0, 0.8), _burst(rng, 0.003, 0.0008, 1000, 9000))
        _place(out, 0.4 * crackle, _n(1.3))
        return out
    n = _n(1.2)  # page turn: a swish with flutter and a crisp end
    m = _n(0.6)
    u = np.linspace(0, 1, m)
    flutter = 0.6 + 0.4 * np.abs(np.sin(2 * np.pi * 18 * u * 0.6))
    swish = _bp(rng.standard_normal(m), 1000, 8000) * np.sin(np.pi * u) ** 1.5 * flutter
    out = np.zeros(n)
    _place(out, swish, _n(0.1))
    _place(out, 0.7 * _burst(rng, 0.02, 0.003, 2000, None), _n(0.68))
    return out


def keys(rng: np.random.Generator, kind: str = "jingle") -> np.ndarray:
    n = _n(2.0)
    out = np.zeros(n)

    def hit(a: float) -> np.ndarray:
        return a * _modes(rng.uniform(2500, 9000, 3), rng.uniform(0.06, 0.25, 3), rng.uniform(0.4, 1.0, 3), 0.4, rng)

    if kind == "jingle":
        for burst_t in (0.1, 0.55, 1.0):
            for _ in range(int(rng.integers(10, 20))):
                _place(out, hit(rng.uniform(0.2, 1.0)), _n(burst_t + rng.gamma(2, 0.04)))
    else:  # dropped on a table: a dense cluster, a thud, a few settling rattles
        for _ in range(30):
            _place(out, hit(rng.uniform(0.3, 1.0)), _n(0.1 + rng.uniform(0, 0.08)))
        _place(out, 0.8 * _modes([180, 420], [0.04, 0.02], [1, 0.4], 0.15, rng), _n(0.1))
        for i in range(5):
            _place(out, hit(0.4 / (i + 1)), _n(0.3 + 0.1 * i + rng.uniform(0, 0.05)))
    return _reverb(out, 0.5, 0.1, 8000, seed=81).mean(axis=1)[:n]
