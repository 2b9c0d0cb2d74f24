"""Ambiences: stereo, loopable beds that model their physical cause.

Rain (hiss plus droplet transients, muffled by glass or thudding on a roof),
wind (three gusting noise bands and whistles), forest birds, city traffic
(rumble, passing cars with a Doppler drop, horns), room tone, ocean surf,
night insects, crowd murmur (synthetic talkers through vowel formants) and
fire crackle.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _colored,
    _conv,
    _crossfade_loop,
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

from filmcrew.tools.sound.synth.effects import thunder
from filmcrew.tools.sound.synth.foley import creak

__all__ = ["rain", "wind", "forest_birds", "city_traffic", "room_tone", "ocean_surf", "night_insects", "crowd_murmur", "fire_crackle", "storm", "cabin"]


def rain(rng: np.random.Generator, dur: float = 20.0, intensity: float = 0.6, surface: str = "open") -> np.ndarray:
    n = _n(dur + 1.5)
    hiss = _bp(_colored(n, rng, 0.7, 2), 400, 9000)
    hiss *= _smooth_random(n, rng, 0.3, 0.85, 1.15)[:, None]
    drops = np.zeros((n, 2))
    rate = 400 + 2600 * intensity
    for c in range(2):
        for lo, hi, tau in ((2500, 12000, 0.0015), (1200, 6000, 0.003)):
            kernel = _burst(rng, 0.012, tau, lo, hi)
            drops[:, c] += _conv(_impulses(n, rng, rate / 2, 0.7), kernel)
    drops /= np.sqrt(np.mean(drops**2)) + 1e-12
    if surface == "window":
        # Heard from inside: the glass muffles the downpour; single drops tap and ring on it.
        bed = _lp(0.7 * hiss + 0.5 * drops, 2500, 2)
        taps = np.zeros((n, 2))
        for c in range(2):
            freqs = rng.uniform(2200, 5200, 4)
            kernel = _modes(freqs, rng.uniform(0.008, 0.025, 4), rng.uniform(0.3, 1.0, 4), 0.06, rng)
            kernel[: _n(0.004)] += 0.3 * _burst(rng, 0.004, 0.0008, 3000, None)
            taps[:, c] = _conv(_impulses(n, rng, 14 + 30 * intensity, 0.6), kernel)
        taps /= np.sqrt(np.mean(taps**2)) + 1e-12
        # rivulets: faint low gurgle
        gurgle = _bp(_colored(n, rng, 1.0, 2), 150, 600) * _smooth_random(n, rng, 1.5, 0.0, 1.0)[:, None] ** 3
        # The drops ringing on the glass are what says 'window': they sit clearly over the muffled bed.
        x = bed + 0.7 * taps + 0.15 * gurgle
    elif surface == "roof":
        thuds = np.zeros((n, 2))
        for c in range(2):
            kernel = _modes(rng.uniform(250, 700, 3), [0.02, 0.015, 0.01], [1, 0.6, 0.4], 0.08, rng)
            thuds[:, c] = _conv(_impulses(n, rng, 60 + 120 * intensity, 0.6), kernel)
        thuds /= np.sqrt(np.mean(thuds**2)) + 1e-12
        x = 0.6 * hiss + 0.5 * drops + 0.45 * thuds
    else:
        x = (0.8 * hiss + 0.6 * drops) * (0.6 + 0.4 * intensity)
    return _crossfade_loop(x, _n(dur))


def wind(rng: np.random.Generator, dur: float = 20.0, strength: float = 0.5) -> np.ndarray:
    n = _n(dur + 1.5)
    base = _colored(n, rng, 1.6, 2)
    bands = [(80, 300), (300, 900), (900, 2500)]
    x = np.zeros((n, 2))
    gust = _smooth_random(n, rng, 0.15 + 0.2 * strength, 0.15, 1.0) ** 1.5
    for i, (lo, hi) in enumerate(bands):
        env = 0.5 * gust + 0.5 * _smooth_random(n, rng, 0.25 + 0.1 * i, 0.1, 1.0)
        x += _bp(base, lo, hi) * env[:, None] * (1.0, 0.8, 0.5)[i]
    if strength > 0.6:
        # Howl: narrow resonances excited by the gusts, several pitches so the
        # changing balance between them reads as a gliding whistle.
        white = rng.standard_normal((n, 2))
        for f in rng.uniform(450, 1100, 4):
            band = _bp(white, f * 0.985, f * 1.015, 2)
            band /= np.sqrt(np.mean(band**2)) + 1e-12
            env = (gust * _smooth_random(n, rng, 0.3, 0.0, 1.0)) ** 2
            x += 0.35 * strength * band * env[:, None]
    return _crossfade_loop(x, _n(dur))


def _chirp_syllable(rng: np.random.Generator, f0: float, dur: float, shape: str) -> np.ndarray:
    n = _n(dur)
    u = np.linspace(0, 1, n)
    if shape == "up":
        f = f0 * (0.8 + 0.5 * u)
    elif shape == "down":
        f = f0 * (1.3 - 0.5 * u)
    elif shape == "warble":
        f = f0 * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(25, 45) * u * dur))
    else:  # "trill": a fast constant note
        f = f0 * np.ones(n)
    phase = np.cumsum(2 * np.pi * f / SR)
    env = np.sin(np.pi * u) ** 2
    return env * (np.sin(phase) + 0.15 * np.sin(2 * phase))


def forest_birds(rng: np.random.Generator, dur: float = 20.0, density: float = 0.5) -> np.ndarray:
    n = _n(dur + 1.5)
    leaves = _bp(_colored(n, rng, 0.5, 2), 1500, 8000) * _smooth_random(n, rng, 0.4, 0.2, 1.0)[:, None]
    air = _lp(_colored(n, rng, 1.5, 2), 400) * 0.6
    birds = np.zeros((n, 2))
    species = int(3 + 3 * density)
    for _ in range(species):
        f0 = rng.uniform(2200, 5500)
        shape = rng.choice(["up", "down", "warble", "trill"])
        syl = rng.uniform(0.04, 0.16) if shape != "trill" else rng.uniform(0.02, 0.04)
        gap = syl * rng.uniform(0.3, 1.2)
        count = int(rng.integers(3, 10))
        pan = rng.uniform(-0.9, 0.9)
        far = rng.random() < 0.4
        t = rng.uniform(0, 3)
        mono = np.zeros(n)
        while t < dur + 1.0:
            pos = _n(t)
            for k in range(count):
                fk = f0 * (1 + 0.05 * rng.standard_normal()) * (1.0 if shape != "trill" else 1.0 + 0.02 * (k % 2))
                _place(mono, _chirp_syllable(rng, fk, syl, shape), pos, rng.uniform(0.6, 1.0))
                pos += _n(syl + gap)
            t += rng.uniform(1.5, 5.0) / (0.5 + density)
        if far:
            mono = _lp(mono, 3500) * 0.4
        birds += _pan(mono, pan) * rng.uniform(0.5, 1.0)
    birds = _reverb(birds, 0.9, 0.25, 7000, seed=11)[:n]
    birds /= np.sqrt(np.mean(birds**2)) + 1e-12
    x = 0.25 * leaves + 0.1 * air + 0.6 * birds
    return _crossfade_loop(x, _n(dur))


def city_traffic(rng: np.random.Generator, dur: float = 20.0, busy: float = 0.5) -> np.ndarray:
    n = _n(dur + 1.5)
    rumble = _lp(_colored(n, rng, 2.0, 2), 220, 3) * _smooth_random(n, rng, 0.2, 0.7, 1.0)[:, None]
    x = 0.8 * rumble
    t_all = np.arange(n) / SR
    cars = int(dur / (6.0 - 4.0 * busy)) + 2
    for _ in range(cars):
        tc = rng.uniform(-1, dur + 2)
        width = rng.uniform(0.8, 2.0)
        span = slice(max(0, _n(tc - 4 * width)), min(n, _n(tc + 4 * width)))
        t = t_all[span] - tc
        if len(t) < 10:
            continue
        env = 1 / (1 + (t / width) ** 2)
        f0 = rng.uniform(25, 45)
        # Doppler: pitch a few percent up while approaching, down while leaving.
        f = f0 * (1 + 0.04 * np.tanh(-t / (0.5 * width)))
        phase = np.cumsum(2 * np.pi * f / SR)
        engine = sum(np.sin(k * phase) / k for k in range(1, 7))
        tyres = _bp(rng.standard_normal(len(t)), 150, 1800)
        tyres /= np.sqrt(np.mean(tyres**2)) + 1e-12
        car = (0.5 * engine + 0.9 * tyres) * env
        direction = rng.choice([-1, 1])
        pan = direction * np.tanh(t / width)
        x[span] += _pan_moving(car, pan) * rng.uniform(0.3, 0.8)
    if busy > 0.6:
        for _ in range(int(rng.integers(1, 3))):
            tone = np.zeros(_n(0.5))
            tt = np.arange(len(tone)) / SR
            for f in (420.0, 530.0):
                tone += sum(np.sin(2 * np.pi * f * k * tt) / k for k in (1, 3, 5, 7))
            tone *= np.minimum(1, np.minimum(tt / 0.02, (tt[-1] - tt) / 0.05))
            horn = _reverb(_lp(tone, 2500) * 0.12, 1.5, 0.6, 3000)
            _place(x, horn, _n(rng.uniform(0, dur)))
    x = _reverb(x, 1.2, 0.15, 3500, seed=21)[:n]
    return _crossfade_loop(x, _n(dur))


def room_tone(rng: np.random.Generator, dur: float = 20.0, hvac: bool = False) -> np.ndarray:
    n = _n(dur + 1.5)
    x = _lp(_colored(n, rng, 1.0, 2), 1100, 2) * 0.5
    t = np.arange(n) / SR
    hum = sum(a * np.sin(2 * np.pi * f * t) for f, a in ((60, 0.06), (120, 0.04), (180, 0.015)))
    x += hum[:, None]
    if hvac:
        air = _bp(_colored(n, rng, 0.8, 2), 120, 700) * _smooth_random(n, rng, 0.1, 0.85, 1.0)[:, None]
        x += 0.8 * air
    return _crossfade_loop(x, _n(dur))


def ocean_surf(rng: np.random.Generator, dur: float = 20.0, rough: float = 0.4) -> np.ndarray:
    n = _n(dur + 1.5)
    crash_env = np.zeros(n)
    wash_env = np.zeros(n)
    roar_env = np.zeros(n)
    period = 9.0 - 4.0 * rough
    t = rng.uniform(-3, 0)
    while t < dur + 1.5:
        rise, fall = rng.uniform(1.2, 2.5), rng.uniform(2.5, 4.5)
        amp = rng.uniform(0.6, 1.0)
        m = _n(rise + fall * 2)
        u = np.arange(m) / SR
        swell = np.where(u < rise, (u / rise) ** 2, np.exp(-(u - rise) / fall))
        _place(crash_env, amp * swell**1.5, _n(t))
        washing = np.where(u < rise + 0.4, 0.0, np.exp(-(u - rise - 0.4) / (fall * 1.3)))
        washing[: _n(rise + 0.4)] = 0
        ramp = np.clip((u - rise - 0.2) / 0.4, 0, 1)
        _place(wash_env, amp * washing * ramp, _n(t))
        _place(roar_env, amp * swell, _n(t))
        t += period * rng.uniform(0.8, 1.2)
    roar = _bp(_colored(n, rng, 1.5, 2), 50, 500)
    crash = _bp(_colored(n, rng, 0.8, 2), 400, 6000)
    wash = _bp(_colored(n, rng, 0.3, 2), 2500, 12000)
    x = 0.9 * roar * (0.4 + 0.6 * roar_env)[:, None] + 0.8 * crash * crash_env[:, None] + 0.35 * wash * wash_env[:, None]
    return _crossfade_loop(x, _n(dur))


def night_insects(rng: np.random.Generator, dur: float = 20.0, kind: str = "crickets") -> np.ndarray:
    n = _n(dur + 1.5)
    t = np.arange(n) / SR
    x = 0.05 * _lp(_colored(n, rng, 1.2, 2), 600)
    crickets = 5 if kind == "crickets" else 2
    for _ in range(crickets):
        f = rng.uniform(3800, 5200)
        carrier = np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) + 0.1 * np.sin(4 * np.pi * f * t)
        pulse_len = rng.uniform(0.012, 0.02)
        pulse_rate = rng.uniform(25, 40)
        pulses = int(rng.integers(2, 5))
        period = rng.uniform(0.35, 0.9)
        train = np.zeros(n)
        c = rng.uniform(0, period)
        while c < dur + 1.5:
            for k in range(pulses):
                idx = _n(c + k / pulse_rate)
                if idx < n:
                    train[idx] = 1.0
            c += period * rng.uniform(0.95, 1.05)
        env = _conv(train, np.hanning(_n(pulse_len)))
        x += _pan(carrier * env, rng.uniform(-0.8, 0.8)) * rng.uniform(0.2, 0.7)
    if kind == "cicadas":
        buzz = _bp(rng.standard_normal((n, 2)), 4000, 7000)
        am = 0.5 + 0.5 * np.sign(np.sin(2 * np.pi * rng.uniform(120, 180) * t))
        am = _lp(am, 900)
        swell = _smooth_random(n, rng, 0.12, 0.05, 1.0) ** 2
        x += 0.8 * buzz * (am * swell)[:, None]
    return _crossfade_loop(x, _n(dur))


_VOWELS = np.array(
    [
        (730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480),
        (570, 840, 2410), (660, 1720, 2410), (490, 1350, 1690), (440, 1020, 2240),
    ],
    dtype=float,
)


def crowd_murmur(rng: np.random.Generator, dur: float = 20.0, size: str = "room") -> np.ndarray:
    # Babble has little energy above 4 kHz: synthesise at 16 kHz and upsample,
    # a third of the work for the same sound.
    sr = 16000
    n = int((dur + 1.5) * sr)
    talkers = 12 if size == "room" else 36
    out = np.zeros((n, 2))
    sos_cache: dict[tuple[int, int], np.ndarray] = {}
    for _ in range(talkers):
        female = rng.random() < 0.5
        f0 = rng.uniform(180, 240) if female else rng.uniform(95, 135)
        voice = np.zeros(n)
        t = rng.uniform(0, 2)
        while t < dur + 1.5:
            talk = rng.uniform(1.0, 4.0)
            end = min(t + talk, dur + 1.5)
            while t < end:
                syl = rng.uniform(0.14, 0.3)
                m = int(syl * sr)
                start = int(t * sr)
                if start + m >= n:
                    break
                f = f0 * (1 + 0.15 * rng.uniform(-1, 1)) * np.linspace(1.0, rng.uniform(0.9, 1.1), m)
                phase = np.cumsum(f / sr) % 1.0
                src = (phase - 0.5) + 0.15 * rng.standard_normal(m)
                formants = _VOWELS[rng.integers(len(_VOWELS))] * (1.12 if female else 1.0)
                shaped = np.zeros(m)
                for i, (fc, gain) in enumerate(zip(formants, (1.0, 0.6, 0.3))):
                    key = (int(fc), i)
                    if key not in sos_cache:
                        bw = 90 + 40 * i
                        sos_cache[key] = butter(1, (fc - bw, fc + bw), btype="bandpass", fs=sr, output="sos")
                    shaped += gain * sosfilt(sos_cache[key], src)
                shaped *= np.hanning(m) ** 0.7 * rng.uniform(0.4, 1.0)
                voice[start : start + m] += shaped
                t += syl * rng.uniform(0.9, 1.2)
            t = end + rng.uniform(0.4, 2.5)
        voice *= 1 / (1 + rng.uniform(0, 3))  # distance
        out += _pan(voice, rng.uniform(-0.9, 0.9))
    out = resample_poly(out, 3, 1, axis=0)
    rt = 0.7 if size == "room" else 1.8
    out = _reverb(out, rt, 0.5 if size == "room" else 0.9, 4000, seed=31)[: _n(dur + 1.5)]
    return _crossfade_loop(_lp(out, 4500), _n(dur))


def fire_crackle(rng: np.random.Generator, dur: float = 20.0, indoor: bool = False) -> np.ndarray:
    n = _n(dur + 1.5)
    flicker = _smooth_random(n, rng, 4.0, 0.5, 1.0) * _smooth_random(n, rng, 0.3, 0.6, 1.0)
    roar = _lp(_colored(n, rng, 1.8, 2), 380, 2) * flicker[:, None]
    hiss = _bp(_colored(n, rng, 0.2, 2), 2000, 6000) * 0.08
    activity = _smooth_random(n, rng, 0.5, 0.2, 1.0) ** 2
    crackle = np.zeros((n, 2))
    for c in range(2):
        small = _conv(_impulses(n, rng, (10 if not indoor else 6) * activity, 1.0), _burst(rng, 0.004, 0.0008, 1500, None))
        pops = _conv(
            _impulses(n, rng, 0.5 * activity, 0.5),
            _sum(_burst(rng, 0.02, 0.003, None, 6000), _modes([rng.uniform(200, 400)], [0.02], [0.6], 0.06, rng)),
        )
        crackle[:, c] = small + 1.5 * pops
    # Scaled by peak, not RMS: sparse clicks have a huge crest factor, and the
    # roar must carry the body of the sound with the crackle on top of it.
    crackle /= np.max(np.abs(crackle)) + 1e-12
    roar /= np.sqrt(np.mean(roar**2)) + 1e-12
    x = 0.22 * roar + 0.5 * hiss + 0.9 * crackle
    if indoor:
        x = _reverb(x, 0.5, 0.2, 5000, seed=41)[:n]
    return _crossfade_loop(x, _n(dur))


def storm(rng: np.random.Generator, dur: float = 20.0, intensity: float = 0.9) -> np.ndarray:
    """A storm: heavy rain and gusting wind, with thunder rolling in the distance now and then."""
    n = _n(dur)

    def unit(x: np.ndarray) -> np.ndarray:
        return x / (np.sqrt(np.mean(x**2)) + 1e-12)

    # Rain on top, the wind's low roar under it, thunder rolling through: a storm
    # is all three, not rain with a breeze.
    x = unit(rain(rng, dur, intensity)) + 0.7 * unit(wind(rng, dur, 0.5 + 0.4 * intensity))
    t = rng.uniform(1.0, 4.0)
    while t < dur - 3.0:
        roll = thunder(rng, distant=True)
        roll = roll / (np.sqrt(np.mean(roll[: _n(4.0)] ** 2)) + 1e-12)
        _place(x[:, 0], roll[:, 0], _n(t))
        _place(x[:, 1], roll[:, 1], _n(t))
        t += rng.uniform(6.0, 10.0)
    return x[:n]


def cabin(rng: np.random.Generator, dur: float = 20.0, vehicle: str = "train") -> np.ndarray:
    """Inside a moving vehicle: a train's rumble with rail joints clacking, a car's road roar, a ship's engine throb."""
    n = _n(dur + 1.5)
    t = np.arange(n) / SR
    rumble = _lp(_colored(n, rng, 1.8, 2), {"train": 250, "car": 400, "ship": 150}[vehicle], 2)
    rumble /= np.sqrt(np.mean(rumble**2)) + 1e-12
    x = 0.8 * rumble
    if vehicle == "train":
        clacks = np.zeros(n)
        period = 1.6
        pos = rng.uniform(0, period)
        while pos < dur + 1.5:
            for d in (0.0, 0.11):  # two bogies over each joint
                hit = _modes(rng.uniform([70, 180, 420], [90, 220, 480]), [0.06, 0.04, 0.02], [1, 0.6, 0.3], 0.25, rng)
                _place(clacks, hit, _n(pos + d))
            pos += period * rng.uniform(0.98, 1.02)
        x += _pan(0.6 * clacks, 0.0)
    elif vehicle == "car":
        x += 0.4 * _bp(_colored(n, rng, 0.8, 2), 300, 2000) * _smooth_random(n, rng, 0.2, 0.7, 1.0)[:, None]
    else:
        throb = np.sin(2 * np.pi * 11.0 * t) * 0.5 + 0.5
        engine = _lp(_colored(n, rng, 1.0, 1), 200) * throb
        # A slow diesel's firing hum: harmonics of about 55 Hz, beating with the throb.
        hum = sum(np.sin(2 * np.pi * 55.0 * k * t + k) / k for k in range(1, 7)) * (0.6 + 0.4 * throb)
        x += _pan(0.5 * engine / (np.sqrt(np.mean(engine**2)) + 1e-12) + 0.9 * hum / (np.sqrt(np.mean(hum**2)) + 1e-12), 0.0)
        for start in np.arange(rng.uniform(1, 3), dur, rng.uniform(3, 6)):
            c = creak(rng, rng.uniform(0.6, 1.0), 40, 100)
            _place(x[:, 0], 0.3 * c, _n(start))
    return _crossfade_loop(x, _n(dur))
