"""Foley with objects: knocks, breaking glass, bottles, wood, metal, a bicycle, and small handled things.

Each is a struck or scraped body: a short excitation (a click, a noise
burst, a stick-slip pulse train) through the resonant modes of the material.
Wood has few, low, quickly damped modes; metal has many inharmonic, long
ringing ones; glass is bright and ringing; a bottle adds the Helmholtz
resonance of its air.
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
from filmcrew.tools.sound.synth.foley import creak

__all__ = ["knock", "glass_break", "bottle", "wood", "metal", "bicycle", "typing", "zipper", "switch", "dig", "rope"]

_KNOCK_MODES = {
    "wood": ([110, 240, 420, 700], [0.06, 0.04, 0.025, 0.015]),
    "metal": ([380, 1040, 1990, 3270], [0.5, 0.3, 0.2, 0.12]),
    "glass": ([1400, 3300, 5900], [0.25, 0.12, 0.06]),
}


def knock(rng: np.random.Generator, surface: str = "wood", count: int = 3) -> np.ndarray:
    """Knuckles knocking on a wooden door, a metal door or a window pane."""
    freqs, decays = _KNOCK_MODES[surface]
    n = _n(0.6 + 0.25 * count + 1.0)
    out = np.zeros(n)
    for k in range(count):
        body = _modes(np.array(freqs) * rng.uniform(0.97, 1.03, len(freqs)), decays, [1, 0.6, 0.4, 0.25][: len(freqs)], 0.8, rng)
        tap = _burst(rng, 0.01, 0.0015, 800, None)
        _place(body, 0.4 * tap, 0)
        _place(out, body * (1.0 if k < count - 1 else 1.15) * rng.uniform(0.85, 1.0), _n(0.1 + 0.22 * k + rng.normal(0, 0.01)))
    return _reverb(out, 0.6, 0.12, 6000, seed=301).mean(axis=1)[:n]


def glass_break(rng: np.random.Generator, size: str = "window") -> np.ndarray:
    """Glass shattering: a crack, a burst of bright shards, then pieces tinkling as they fall."""
    n = _n(3.0)
    out = np.zeros(n)
    _place(out, 1.0 * _burst(rng, 0.05, 0.01, 1500, None), _n(0.05))
    shards = 80 if size == "window" else 30
    for i in range(shards):
        f0 = rng.uniform(2500, 9000)
        ring = _modes(f0 * np.array([1.0, 2.3, 3.9]), np.array([0.08, 0.05, 0.03]) * rng.uniform(0.5, 1.5), [1, 0.5, 0.3], 0.3, rng)
        when = 0.05 + (rng.gamma(1.2, 0.05) if i < shards // 2 else 0.3 + rng.gamma(2.0, 0.25))
        _place(out, ring * rng.uniform(0.1, 0.6) * (1.0 if i < shards // 2 else 0.5), _n(when))
    return _reverb(out, 0.8, 0.15, 9000, seed=302).mean(axis=1)[:n]


def bottle(rng: np.random.Generator, kind: str = "set_down") -> np.ndarray:
    """A glass bottle: set down on a table, uncorked, clinking against another, rolling, or blown across."""
    n = _n(2.5)
    out = np.zeros(n)
    body = rng.uniform(700, 900)
    ring = _modes(body * np.array([1.0, 2.6, 4.9]), [0.25, 0.12, 0.06], [1, 0.4, 0.2], 0.8, rng)
    if kind == "set_down":
        knock = _modes([rng.uniform(180, 230), rng.uniform(420, 500)], [0.03, 0.02], [1, 0.5], 0.15, rng)
        _place(out, 0.7 * knock, _n(0.1))
        _place(out, 0.35 * ring, _n(0.1))
    elif kind == "uncork":
        squeak = creak(rng, 0.4, 300, 500) * 0.3
        _place(out, squeak, _n(0.1))
        pop = _sum(_burst(rng, 0.02, 0.004, 300, 4000), _modes([rng.uniform(350, 450)], [0.02], [1.2], 0.08, rng))
        _place(out, 1.2 * pop, _n(0.52))
        _place(out, 0.15 * _bp(rng.standard_normal(_n(0.4)), 800, 4000) * np.exp(-np.arange(_n(0.4)) / _n(0.1)), _n(0.53))
    elif kind == "clink":
        for k in range(2):
            _place(out, 0.6 * ring * rng.uniform(0.7, 1.0), _n(0.1 + 0.35 * k))
            _place(out, 0.3 * _burst(rng, 0.004, 0.0008, 3000, None), _n(0.1 + 0.35 * k))
    elif kind == "roll":
        m = _n(2.0)
        u = np.linspace(0, 1, m)
        rumble = _bp(rng.standard_normal(m), 150, 1200) * np.sin(np.pi * u) ** 0.5
        ticks = _conv(_impulses(m, rng, 25 * np.sin(np.pi * u), 0.5), ring[: _n(0.1)])
        _place(out, 0.4 * rumble + 0.3 * ticks, _n(0.1))
    else:  # "blow": breath across the neck sounds the bottle's air
        m = _n(1.8)
        u = np.linspace(0, 1, m)
        f = rng.uniform(110, 160)
        tone = np.sin(2 * np.pi * f * np.arange(m) / SR) * np.sin(np.pi * u) ** 0.7
        breath = _bp(rng.standard_normal(m), f * 0.9, f * 1.1) * 2 + 0.1 * _bp(rng.standard_normal(m), 1000, 5000)
        _place(out, 0.6 * tone + 0.3 * breath * np.sin(np.pi * u), _n(0.1))
    return out


def wood(rng: np.random.Generator, kind: str = "creak") -> np.ndarray:
    """Wood: a floorboard or hull creaking, a plank dropped, a chair scraped back, an axe chopping."""
    if kind == "creak":
        n = _n(2.5)
        out = np.zeros(n)
        _place(out, creak(rng, 1.6, 35, 90), _n(0.2))
        return out
    if kind == "plank_drop":
        n = _n(2.0)
        out = np.zeros(n)
        for k, a in enumerate((1.0, 0.5, 0.25)):
            body = _modes(rng.uniform([120, 310, 560, 900], [150, 360, 640, 1000]), [0.08, 0.05, 0.03, 0.02], [1, 0.6, 0.4, 0.2], 0.4, rng)
            _place(out, a * body, _n(0.1 + 0.18 * k * (1 - 0.2 * k)))
        return _reverb(out, 0.7, 0.15, 5000, seed=311).mean(axis=1)[:n]
    if kind == "chair_scrape":
        n = _n(1.6)
        out = np.zeros(n)
        m = _n(0.8)
        u = np.linspace(0, 1, m)
        rate = 120 + 80 * np.sin(np.pi * u) + 20 * _smooth_random(m, rng, 15, -1, 1)
        phase = np.cumsum(rate / SR)
        train = np.zeros(m)
        train[np.nonzero(np.diff(np.floor(phase)))[0]] = 1
        legs = _modes([rng.uniform(400, 500), rng.uniform(900, 1100), rng.uniform(1700, 1900)], [0.01, 0.008, 0.005], [1, 0.7, 0.4], 0.03, rng)
        _place(out, _conv(train, legs) * np.sin(np.pi * u) ** 0.5, _n(0.1))
        return out
    # chop: an axe into a log, a few strokes
    n = _n(3.0)
    out = np.zeros(n)
    for k in range(3):
        hit = _sum(_burst(rng, 0.05, 0.01, 300, 6000), 0.8 * _modes([rng.uniform(180, 240), rng.uniform(500, 600)], [0.05, 0.03], [1, 0.5], 0.05, rng))
        _place(out, hit, _n(0.1 + 0.9 * k))
        _place(out, 0.2 * _bp(rng.standard_normal(_n(0.15)), 2000, 7000), _n(0.1 + 0.9 * k + 0.02))
    return _reverb(out, 1.2, 0.15, 5000, seed=312).mean(axis=1)[:n]


def metal(rng: np.random.Generator, kind: str = "clank") -> np.ndarray:
    """Metal: a clank of a tool set down, a chain rattling, a padlock snapping shut, a tool dropped on concrete."""
    n = _n(2.5)
    out = np.zeros(n)

    def ring(f: float, scale: float = 1.0) -> np.ndarray:
        return _modes(f * np.array([1.0, 2.76, 5.4, 8.9]), np.array([0.4, 0.25, 0.15, 0.08]) * scale, [1, 0.6, 0.4, 0.25], 1.2 * scale, rng)

    if kind == "clank":
        _place(out, ring(rng.uniform(500, 700)), _n(0.1))
        _place(out, 0.5 * _burst(rng, 0.02, 0.003, 1000, None), _n(0.1))
    elif kind == "chain":
        for _ in range(60):
            _place(out, 0.3 * ring(rng.uniform(1800, 4000), 0.15) * rng.uniform(0.2, 1.0), _n(0.1 + rng.uniform(0, 1.6) ** 1.2))
    elif kind == "lock":
        _place(out, 0.6 * ring(rng.uniform(2500, 3200), 0.1), _n(0.2))
        _place(out, 0.8 * _burst(rng, 0.01, 0.001, 2000, None), _n(0.2))
        _place(out, ring(rng.uniform(1500, 1900), 0.15), _n(0.55))
        _place(out, 1.0 * _burst(rng, 0.008, 0.001, 1500, None), _n(0.55))
    else:  # drop
        for k, a in enumerate((1.0, 0.55, 0.3, 0.15)):
            _place(out, a * ring(rng.uniform(800, 1000), 0.5), _n(0.1 + 0.25 * k * (1 - 0.15 * k)))
            _place(out, a * 0.6 * _burst(rng, 0.01, 0.002, 1200, None), _n(0.1 + 0.25 * k * (1 - 0.15 * k)))
    return _reverb(out, 0.8, 0.15, 7000, seed=321).mean(axis=1)[:n]


def bicycle(rng: np.random.Generator, kind: str = "bell") -> np.ndarray:
    """A bicycle: its thumb bell ringing twice, the freewheel ticking as it coasts, or pedalling past."""
    if kind == "bell":
        n = _n(2.5)
        out = np.zeros(n)
        f = rng.uniform(2900, 3300)
        tone = _modes(f * np.array([1.0, 1.02, 2.35, 3.9]), [0.6, 0.55, 0.25, 0.1], [1, 0.8, 0.3, 0.15], 2.0, rng)
        for k in range(2):
            for j in range(4):  # the striker bounces on the dome a few times per flick
                _place(out, tone * (0.9 if j == 0 else 0.3) * (1.0 if k == 0 else 0.9), _n(0.1 + 0.4 * k + 0.03 * j))
        return out
    if kind == "freewheel":
        dur = 4.0
        n = _n(dur)
        u = np.linspace(0, 1, n)
        rate = 28 * (1 - 0.7 * u)  # the wheel slows as it coasts
        phase = np.cumsum(rate / SR)
        train = np.zeros(n)
        train[np.nonzero(np.diff(np.floor(phase)))[0]] = 1
        click = _modes([rng.uniform(3000, 3500), rng.uniform(5500, 6200)], [0.004, 0.003], [1, 0.5], 0.02, rng)
        tyre = _bp(rng.standard_normal(n), 150, 900) * 0.05 * (1 - 0.6 * u)
        return _conv(train, click) + tyre
    # pedalling by: chain rattle and tyre hum rising and falling as it passes
    dur = 5.0
    n = _n(dur)
    u = np.linspace(0, 1, n)
    near = np.exp(-((u - 0.5) / 0.18) ** 2)
    tyre = _bp(rng.standard_normal(n), 120, 1200) * (0.2 + near)
    chain = _conv(_impulses(n, rng, 40.0, 0.5), _modes([rng.uniform(2000, 2600)], [0.006], [1], 0.02, rng)) * (0.1 + near)
    return 0.5 * tyre + 0.8 * chain


def typing(rng: np.random.Generator, dur: float = 5.0, machine: str = "keyboard") -> np.ndarray:
    """Typing: a computer keyboard's plastic clicks, or a typewriter's type-bar strikes and carriage bell."""
    n = _n(dur)
    out = np.zeros(n + _n(1.0))
    t = 0.1
    count = 0
    while t < dur - 0.2:
        if machine == "keyboard":
            hit = _sum(_modes(rng.uniform([1800, 3500], [2400, 4200]), [0.01, 0.006], [1, 0.5], 0.04, rng), 0.5 * _burst(rng, 0.01, 0.002, 2000, None))
            _place(out, hit * rng.uniform(0.5, 1.0), _n(t))
            t += rng.gamma(2.0, 0.05) + (rng.uniform(0.2, 0.5) if rng.random() < 0.12 else 0)
        else:
            hit = _sum(_modes(rng.uniform([600, 1900, 3800], [800, 2300, 4300]), [0.03, 0.02, 0.01], [1, 0.6, 0.3], 0.1, rng), _burst(rng, 0.02, 0.003, 800, None))
            _place(out, hit * rng.uniform(0.7, 1.0), _n(t))
            count += 1
            t += rng.gamma(3.0, 0.06)
            if count % 28 == 0 and t < dur - 0.8:
                _place(out, 0.5 * _modes([2600, 5200], [0.6, 0.3], [1, 0.3], 0.8, rng), _n(t))
                t += 0.6
    return _reverb(out, 0.5, 0.1, 7000, seed=331).mean(axis=1)[:n]


def zipper(rng: np.random.Generator, dur: float = 1.2) -> np.ndarray:
    """A zip pulled: a fast train of teeth clicks whose rate follows the hand."""
    n = _n(dur + 0.3)
    m = _n(dur)
    u = np.linspace(0, 1, m)
    rate = 180 + 420 * np.sin(np.pi * u) ** 0.8
    phase = np.cumsum(rate / SR)
    train = np.zeros(m)
    train[np.nonzero(np.diff(np.floor(phase)))[0]] = 1
    tooth = _burst(rng, 0.003, 0.0006, 2500, 9000)
    out = np.zeros(n)
    _place(out, _conv(train, tooth) * (0.5 + 0.5 * np.sin(np.pi * u)), _n(0.1))
    return out


def switch(rng: np.random.Generator, kind: str = "light") -> np.ndarray:
    """A light switch flicked, or a lamp's pull cord: two clicks of plastic and spring."""
    n = _n(1.0)
    out = np.zeros(n)
    f = (2600, 4800) if kind == "light" else (1800, 3600)
    for k, a in enumerate((1.0, 0.5)):
        click = _sum(_modes(np.array(f) * rng.uniform(0.95, 1.05, 2), [0.008, 0.004], [1, 0.6], 0.03, rng), 0.5 * _burst(rng, 0.004, 0.0008, 2000, None))
        _place(out, a * click, _n(0.1 + 0.012 * k))
    return out


def dig(rng: np.random.Generator, ground: str = "earth", strokes: int = 3) -> np.ndarray:
    """A spade digging: the blade cuts in, earth or sand is lifted and thrown down."""
    n = _n(0.3 + 1.4 * strokes)
    out = np.zeros(n)
    lo, hi = (200, 3000) if ground == "earth" else (500, 7000)
    for k in range(strokes):
        t0 = 0.1 + 1.4 * k
        cut = _sum(_burst(rng, 0.15, 0.05, lo, hi), 0.4 * _modes([rng.uniform(700, 900), rng.uniform(1800, 2100)], [0.02, 0.015], [1, 0.5], 0.05, rng))
        _place(out, cut, _n(t0))
        m = _n(0.5)
        grains = _conv(_impulses(m, rng, 500 * np.hanning(m), 0.8), _burst(rng, 0.004, 0.001, lo, hi))
        _place(out, 0.5 * grains, _n(t0 + 0.7))
    return out


def rope(rng: np.random.Generator, kind: str = "strain") -> np.ndarray:
    """A rope: straining under load (slow fibrous creaks), or pulled hand over hand through the palms."""
    n = _n(4.0)
    out = np.zeros(n)
    if kind == "strain":
        for t0 in (0.2, 1.6, 2.8):
            _place(out, 0.7 * creak(rng, rng.uniform(0.7, 1.1), 25, 60), _n(t0))
        return _lp(out, 2500)
    for k in range(5):
        m = _n(0.45)
        u = np.linspace(0, 1, m)
        pull = _bp(rng.standard_normal(m), 600, 5000) * np.sin(np.pi * u) ** 2
        _place(out, pull * rng.uniform(0.6, 1.0), _n(0.15 + 0.7 * k))
    return out
