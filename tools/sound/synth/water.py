"""Water: streams, lapping waves, splashes, drips, pouring, oars and a boat at its mooring.

Moving water sounds the way it does because of bubbles: each air bubble
trapped by the flow rings once at its Minnaert frequency (about 3 / radius
Hz, radius in metres) with a short rising chirp as it nears the surface.
Streams are thousands of such bubbles over band-limited turbulence; a splash
is a noise burst followed by a cluster of larger, lower bubbles; a drip is
one bubble after a tiny impact; pouring into a vessel is a stream whose
resonance rises as the air column above the liquid shortens.
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
    _hp,
    _impulses,
    _lp,
    _modes,
    _n,
    _pan,
    _place,
    _reverb,
    _smooth_random,
    _sum,
)
from filmcrew.tools.sound.synth.foley import creak

__all__ = ["stream", "lapping", "splash", "drips", "pour", "oars", "sail_flap"]


def _bubble(rng: np.random.Generator, f0: float, tau: float | None = None) -> np.ndarray:
    """One bubble: a sine at f0 rising as it decays (the Minnaert chirp)."""
    tau = tau if tau is not None else float(np.clip(12.0 / f0, 0.004, 0.04))
    m = _n(tau * 6)
    t = np.arange(m) / SR
    f = f0 * (1 + rng.uniform(0.1, 0.6) * t / (tau * 6))
    return np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / tau) * np.clip(t / 0.0005, 0, 1)


def _bubbles(n: int, rng: np.random.Generator, rate: np.ndarray | float, lo: float, hi: float, channels: int = 2) -> np.ndarray:
    """A bubble field: Poisson arrivals of bubbles with log-spaced pitches in [lo, hi].

    A bank of twelve bubble kernels, each convolved with its own impulse
    train, sounds the same as drawing every bubble afresh at a fraction of
    the cost."""
    out = np.zeros((n, channels))
    pitches = np.geomspace(lo, hi, 12)
    rate_arr = np.broadcast_to(np.asarray(rate, dtype=float), (n,)) / len(pitches)
    for c in range(channels):
        for f0 in pitches:
            kernel = _bubble(rng, float(f0) * rng.uniform(0.97, 1.03))
            out[:, c] += _conv(_impulses(n, rng, rate_arr, 0.6), kernel)
    return out


def stream(rng: np.random.Generator, dur: float = 20.0, flow: str = "brook") -> np.ndarray:
    """Running water: a trickle, a babbling brook, a river or a waterfall."""
    n = _n(dur + 1.5)
    rates = {"trickle": 60, "brook": 320, "river": 700, "waterfall": 900}
    lo, hi = {"trickle": (600, 3000), "brook": (300, 2500), "river": (150, 1500), "waterfall": (120, 1200)}[flow]
    surge = _smooth_random(n, rng, 0.8, 0.5, 1.0)
    bubbles = _bubbles(n, rng, rates[flow] * surge, lo, hi)
    bubbles /= np.sqrt(np.mean(bubbles**2)) + 1e-12
    rush = _bp(_colored(n, rng, 0.8, 2), 200, 7000) * surge[:, None]
    weight = {"trickle": 0.05, "brook": 0.25, "river": 0.6, "waterfall": 1.4}[flow]
    x = 0.6 * bubbles + weight * rush
    if flow == "waterfall":
        x += 0.5 * _lp(_colored(n, rng, 1.5, 2), 250)
    return _crossfade_loop(x, _n(dur))


def lapping(rng: np.random.Generator, dur: float = 20.0, boat: bool = False) -> np.ndarray:
    """Small waves lapping on a shore or a jetty; with `boat`, a moored hull knocks and its ropes creak."""
    n = _n(dur + 1.5)
    swell = np.zeros(n)
    t = rng.uniform(0.2, 1.0)
    while t < dur + 1.5:
        m = _n(rng.uniform(0.5, 1.1))
        u = np.linspace(0, 1, m)
        _place(swell, np.sin(np.pi * u) ** 2 * rng.uniform(0.5, 1.0), _n(t))
        t += rng.uniform(1.2, 2.6)
    slosh = _bp(_colored(n, rng, 1.0, 2), 200, 2500) * swell[:, None]
    bubbles = _bubbles(n, rng, 8 + 250 * swell, 250, 1800)
    bubbles /= np.sqrt(np.mean(bubbles**2)) + 1e-12
    x = 0.7 * slosh / (np.sqrt(np.mean(slosh**2)) + 1e-12) + 0.35 * bubbles
    x += 0.08 * _lp(_colored(n, rng, 1.5, 2), 300)
    if boat:
        hull = np.zeros(n)
        for pos in np.nonzero(np.diff((swell > 0.6).astype(int)) == 1)[0]:
            knock = _modes(rng.uniform([90, 210, 380], [110, 250, 430]), [0.08, 0.05, 0.03], [1, 0.5, 0.3], 0.3, rng)
            _place(hull, knock * rng.uniform(0.5, 1.0), int(pos))
        ropes = np.zeros(n)
        for start in np.arange(rng.uniform(1, 3), dur, rng.uniform(3, 5)):
            _place(ropes, creak(rng, rng.uniform(0.5, 0.9), 60, 140), _n(start))
        x += _pan(0.8 * hull, -0.2) + _pan(0.35 * ropes, 0.4)
    return _crossfade_loop(x, _n(dur))


def splash(rng: np.random.Generator, size: str = "small") -> np.ndarray:
    """Something entering water: a pebble or a bottle (small), a body or an oar slapped flat (large)."""
    n = _n(2.5 if size == "large" else 1.5)
    out = np.zeros(n)
    hit = _burst(rng, 0.12 if size == "large" else 0.05, 0.03 if size == "large" else 0.01, 300, 9000)
    _place(out, hit * (1.0 if size == "large" else 0.7), _n(0.05))
    plop = _bubble(rng, rng.uniform(250, 400) if size == "small" else rng.uniform(120, 200), 0.025 if size == "small" else 0.05)
    _place(out, 1.2 * plop, _n(0.06))
    count = 40 if size == "large" else 12
    for _ in range(count):
        f0 = float(np.exp(rng.uniform(np.log(300), np.log(2500))))
        _place(out, 0.4 * _bubble(rng, f0) * rng.uniform(0.3, 1.0), _n(0.07 + rng.gamma(2, 0.05 if size == "small" else 0.12)))
    if size == "large":
        spray = _hp(rng.standard_normal(_n(1.0)), 2000) * np.exp(-np.arange(_n(1.0)) / _n(0.25))
        _place(out, 0.2 * spray, _n(0.1))
    return out


def drips(rng: np.random.Generator, dur: float = 12.0, space: str = "cave") -> np.ndarray:
    """Water dripping: slow drops into a pool, in a cave (long echo) or a sink (small room)."""
    n = _n(dur + 1.5)
    out = np.zeros(n)
    pitches = rng.uniform(700, 1800, 4)
    t = rng.uniform(0.1, 0.6)
    while t < dur + 1.0:
        f0 = float(rng.choice(pitches)) * rng.uniform(0.97, 1.03)
        drop = _bubble(rng, f0, rng.uniform(0.01, 0.02))
        drop[: _n(0.002)] += 0.3 * _burst(rng, 0.002, 0.0005, 2000, None)
        _place(out, drop * rng.uniform(0.4, 1.0), _n(t))
        t += rng.uniform(0.4, 1.6) if space == "cave" else rng.uniform(0.7, 1.3)
    x = _reverb(out, 3.5 if space == "cave" else 0.5, 0.6 if space == "cave" else 0.15, 5000, seed=201)[:n]
    x += 0.02 * _lp(_colored(n, rng, 1.5, 2), 200)
    return _crossfade_loop(x, _n(dur))


def pour(rng: np.random.Generator, vessel: str = "glass") -> np.ndarray:
    """Pouring water into a glass or a bottle: the resonance above the water rises as it fills."""
    dur = 3.5
    n = _n(dur)
    u = np.linspace(0, 1, n)
    env = np.clip(u / 0.05, 0, 1) * np.clip((1 - u) / 0.08, 0, 1)
    stream_noise = _bp(rng.standard_normal(n), 300, 6000)
    # Air column: quarter-wave resonance of a tube shortening as it fills.
    top = 0.25 if vessel == "bottle" else 0.12
    length = top * (1 - 0.8 * u)
    fc = 343 / (4 * length)
    out = np.zeros(n)
    block = _n(0.02)
    for i in range(0, n, block):
        f = float(np.clip(fc[i], 200, 8000))
        seg = stream_noise[max(0, i - 2048) : i + block]
        res = _bp(seg, f * 0.94, f * 1.06)[-min(block, n - i):]
        out[i : i + len(res)] = res
    bubbles = _bubbles(n, rng, 150.0, 500, 3000, channels=1)[:, 0]
    x = (1.5 * out / (np.sqrt(np.mean(out**2)) + 1e-12) + 0.3 * stream_noise + 0.5 * bubbles) * env
    return x


def oars(rng: np.random.Generator, dur: float = 8.0, pace: float = 0.5) -> np.ndarray:
    """Rowing a small boat: each stroke the blades dip in, pull through the water and lift out dripping,
    while the oarlocks creak; `pace` is strokes per second."""
    n = _n(dur)
    out = np.zeros((n + _n(2.0), 2))
    period = 1.0 / pace
    t = 0.2
    while t < dur - 0.5:
        for side, pan in ((0, -0.6), (1, 0.6)):
            catch = np.zeros(_n(period))
            _place(catch, 0.6 * _burst(rng, 0.04, 0.008, 400, 6000), 0)
            _place(catch, 0.9 * _bubble(rng, rng.uniform(180, 260), 0.03), _n(0.01))
            m = _n(min(0.7, period * 0.6))
            uu = np.linspace(0, 1, m)
            pull = _bp(rng.standard_normal(m), 250, 1800) * np.sin(np.pi * uu) ** 2 * 0.35
            _place(catch, pull, _n(0.05))
            for _ in range(10):  # drips from the lifted blade
                _place(catch, 0.25 * _bubble(rng, rng.uniform(800, 2200)), _n(0.05 + 0.7 * period * 0.6 + rng.uniform(0, 0.4)))
            lock = creak(rng, 0.35, 70, 150) * 0.45
            _place(catch, lock, _n(0.08))
            _place(out, _pan(catch, pan) * rng.uniform(0.8, 1.0), _n(t + side * 0.02))
        t += period * rng.uniform(0.97, 1.03)
    return _reverb(out, 0.8, 0.1, 5000, seed=211)[:n]


def sail_flap(rng: np.random.Generator, dur: float = 8.0, strength: float = 0.6) -> np.ndarray:
    """A sail, flag or tarp flapping in the wind: cloth snapping taut in bursts of flutter."""
    n = _n(dur + 1.5)
    gust = _smooth_random(n, rng, 0.5, 0.2, 1.0) ** 2
    rate = 6 + 14 * strength * gust
    phase = np.cumsum(rate / SR)
    snaps = np.zeros(n)
    idx = np.nonzero(np.diff(np.floor(phase)))[0]
    snaps[idx] = gust[idx] * rng.uniform(0.4, 1.0, len(idx))
    kernel = _sum(_burst(rng, 0.03, 0.006, 200, 4000), 0.5 * _modes([rng.uniform(90, 140)], [0.02], [0.6], 0.03, rng))
    flap = _conv(snaps, kernel)
    flutter = _bp(rng.standard_normal(n), 300, 3000) * (gust * (0.5 + 0.5 * np.sin(2 * np.pi * np.cumsum(rate * 2 / SR))))
    air = _bp(_colored(n, rng, 1.6, 1), 80, 600) * gust
    cloth = flap + 0.15 * flutter / (np.sqrt(np.mean(flutter**2)) + 1e-12) * np.max(np.abs(flap))
    # The wind that drives it is heard too: a low roar under the snapping cloth.
    x = cloth + 0.9 * air / (np.sqrt(np.mean(air**2)) + 1e-12) * np.sqrt(np.mean(cloth**2))
    return _crossfade_loop(_pan(x, 0.1), _n(dur))
