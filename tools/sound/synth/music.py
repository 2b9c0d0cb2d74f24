"""Music beds: a chord progression per mood in a real key and tempo.

Each mood has a scale, progressions, a chord instrument, an arpeggio or
ostinato, a seeded melody and percussion where it calls for it. Voices are
additive (piano, pad, strings, brass, marimba, pluck) and FM (electric
piano, bass, celesta), with envelopes; note tails are folded back onto the
start so a bed loops without a seam.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import numpy as np

from filmcrew.tools.sound.synth._dsp import (
    SR,
    _bp,
    _burst,
    _fold_loop,
    _modes,
    _n,
    _pan,
    _place,
    _reverb,
    seed_for,
)

__all__ = ["music_bed", "MOODS", "NOTE_NAMES", "SCALES"]


NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "harmonic_minor": (0, 2, 3, 5, 7, 8, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
}


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _adsr(n: int, a: float, d: float, s: float, r: float, gate: int) -> np.ndarray:
    """Attack/decay/sustain/release envelope over n samples with the key held for `gate`."""
    env = np.zeros(n)
    na, nd = _n(a), _n(d)
    gate = min(gate, n)
    idx = np.arange(gate)
    env[:gate] = np.where(
        idx < na, idx / max(na, 1), np.maximum(s, 1 - (1 - s) * np.minimum((idx - na) / max(nd, 1), 1))
    )
    level = env[gate - 1] if gate > 0 else 0
    rest = n - gate
    if rest > 0:
        env[gate:] = level * np.exp(-np.arange(rest) / max(_n(r) / 5, 1))
    return env


def _additive(f: float, n: int, amps: np.ndarray, stretch: float = 0.0, decays=None, phase_seed: int = 0) -> np.ndarray:
    t = np.arange(n) / SR
    out = np.zeros(n)
    rng = np.random.default_rng(phase_seed)
    for k, a in enumerate(amps, start=1):
        fk = f * k * np.sqrt(1 + stretch * k * k)
        if fk > 16000:
            break
        partial = a * np.sin(2 * np.pi * fk * t + rng.uniform(0, 6.28))
        if decays is not None:
            partial *= np.exp(-t / decays[k - 1])
        out += partial
    return out


@lru_cache(maxsize=2048)
def _note(inst: str, midi: int, dur: float) -> np.ndarray:
    """One note of an instrument, tail included, at unit velocity (cached: loops repeat notes)."""
    f = _hz(midi)
    if inst == "piano":
        n = _n(dur + 1.5)
        k = np.arange(1, 13)
        amps = 1 / k**1.3 * (1 + 0.3 * (k == 2))
        decays = 2.8 / k**0.7 * (440 / max(f, 110)) ** 0.3
        x = _additive(f, n, amps, stretch=0.0004, decays=decays, phase_seed=midi)
        env = _adsr(n, 0.004, 0.1, 1.0, 0.3, _n(dur))
        return x * env * 0.5
    if inst == "epiano":
        n = _n(dur + 1.0)
        t = np.arange(n) / SR
        index = 1.8 * np.exp(-t / 0.25) + 0.3
        x = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t))
        x += 0.15 * np.exp(-t / 0.05) * np.sin(2 * np.pi * f * 14 * t)
        return x * np.exp(-t / 1.6) * _adsr(n, 0.003, 0.1, 1.0, 0.25, _n(dur)) * 0.5
    if inst == "celesta":
        n = _n(dur + 2.0)
        t = np.arange(n) / SR
        index = 2.5 * np.exp(-t / 0.15)
        x = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * 3.5 * t))
        return x * np.exp(-t / 1.2) * 0.4
    if inst == "marimba":
        n = _n(0.9)
        return _modes([f, f * 3.93, f * 9.2], [0.35, 0.08, 0.03], [1.0, 0.35, 0.12], 0.9) * 0.6
    if inst == "pluck":
        n = _n(0.8)
        k = np.arange(1, 9)
        return _additive(f, n, 1 / k, decays=0.35 / k**0.8, phase_seed=midi) * _adsr(n, 0.002, 0.05, 1, 0.1, n) * 0.5
    if inst == "bass":
        n = _n(dur + 0.3)
        t = np.arange(n) / SR
        index = 1.2 * np.exp(-t / 0.12) + 0.4
        x = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t)) + 0.5 * np.sin(2 * np.pi * f * t)
        return x * _adsr(n, 0.008, 0.2, 0.7, 0.12, _n(dur)) * 0.6
    if inst in ("pad", "strings"):
        n = _n(dur + 1.2)
        t = np.arange(n) / SR
        k = np.arange(1, 13)
        amps = 1 / k * np.exp(-k * (0.25 if inst == "pad" else 0.12))
        x = np.zeros(n)
        for detune in (-0.004, 0.004):
            vib = 1 + (0.003 * np.sin(2 * np.pi * 5.3 * t) if inst == "strings" else 0)
            # broadcast first: for the pad `vib` is a plain 1, and the cumulative sum of a
            # scalar would be one sample of phase, i.e. a constant (DC) instead of a tone
            phase = np.cumsum(np.broadcast_to(2 * np.pi * f * (1 + detune) * vib / SR, (n,)))
            for kk, a in zip(k, amps):
                if f * kk > 12000:
                    break
                x += a * np.sin(kk * phase + kk)
        att = 0.6 if inst == "pad" else 0.2
        return x * _adsr(n, att, 0.3, 0.85, 1.0, _n(dur)) * 0.25
    if inst == "brass":
        n = _n(dur + 0.4)
        t = np.arange(n) / SR
        env = _adsr(n, 0.06, 0.2, 0.75, 0.25, _n(dur))
        bright = 2 + 9 * env
        x = np.zeros(n)
        phase = 2 * np.pi * f * t + 0.002 * np.sin(2 * np.pi * 5 * t)
        for k in range(1, 17):
            if f * k > 12000:
                break
            x += np.exp(-k / bright) / k**0.5 * np.sin(k * phase)
        return x * env * 0.3
    raise ValueError(f"unknown instrument {inst}")


@lru_cache(maxsize=32)
def _drum(kind: str) -> np.ndarray:
    rng = np.random.default_rng(seed_for(kind))  # not hash(): str hashes change per process
    if kind == "kick":
        n = _n(0.5)
        t = np.arange(n) / SR
        f = 45 + 110 * np.exp(-t / 0.04)
        return np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.18) + 0.3 * _burst(rng, 0.5, 0.004, None, 4000)
    if kind == "snare":
        n = _n(0.35)
        t = np.arange(n) / SR
        body = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.05)
        return 0.5 * body + 0.8 * _burst(rng, 0.35, 0.07, 1200, 9000)
    if kind == "hat":
        return 0.5 * _burst(rng, 0.08, 0.015, 7000, None)
    if kind == "shaker":
        n = _n(0.12)
        x = _bp(rng.standard_normal(n), 4000, 11000) * np.hanning(n) ** 2
        return 0.4 * x
    if kind == "timpani":
        n = _n(2.0)
        t = np.arange(n) / SR
        f = 98 * (1 + 0.04 * np.exp(-t / 0.1))
        ph = np.cumsum(2 * np.pi * f / SR)
        x = np.sin(ph) * np.exp(-t / 0.9) + 0.4 * np.sin(1.5 * ph) * np.exp(-t / 0.5) + 0.2 * np.sin(1.98 * ph) * np.exp(-t / 0.4)
        return x + 0.3 * _burst(rng, 2.0, 0.01, None, 2000)
    if kind == "lowtom":
        n = _n(0.8)
        t = np.arange(n) / SR
        f = 55 + 30 * np.exp(-t / 0.05)
        return np.sin(np.cumsum(2 * np.pi * f / SR)) * np.exp(-t / 0.25)
    raise ValueError(kind)


@dataclass(frozen=True)
class _Mood:
    scale: str
    progressions: tuple[tuple[int, ...], ...]
    chord_inst: str
    arp_inst: str | None
    lead_inst: str | None
    drums: str  # "none" | "pulse" | "march" | "light"
    arp: str  # pattern name
    reverb: tuple[float, float]
    register: int  # melody centre (midi)
    beats_per_chord: int = 4
    # Which mood's bass line, melody rhythm and colour notes this one follows
    # (the six original moods follow their own).
    style: str = ""


MOODS: dict[str, _Mood] = {
    "tense": _Mood("harmonic_minor", ((0, 0, 5, 4), (0, 5, 3, 4)), "strings", "pluck", None, "pulse", "ostinato", (1.6, 0.35), 76),
    "tender": _Mood("major", ((0, 5, 3, 4), (0, 3, 5, 4)), "pad", "epiano", "piano", "none", "broken", (2.0, 0.45), 74),
    "triumphant": _Mood("major", ((0, 4, 5, 3), (0, 3, 4, 0)), "brass", None, "brass", "march", "none", (1.8, 0.3), 72),
    "melancholy": _Mood("minor", ((0, 5, 2, 6), (0, 3, 5, 4)), "piano", None, "strings", "none", "broken", (2.4, 0.5), 69),
    "playful": _Mood("major", ((0, 5, 1, 4), (0, 3, 1, 4)), "pluck", "marimba", "marimba", "light", "bounce", (0.9, 0.2), 79, 2),
    "mysterious": _Mood("phrygian", ((0, 1, 0, 6), (0, 6, 5, 1)), "pad", "celesta", "celesta", "none", "sparse", (3.0, 0.6), 81),
    "hopeful": _Mood("major", ((0, 4, 5, 3), (3, 0, 4, 4)), "strings", "piano", "piano", "light", "broken", (1.8, 0.35), 76, style="tender"),
    "peaceful": _Mood("major", ((0, 3, 0, 4), (0, 5, 3, 0)), "pad", "celesta", None, "none", "sparse", (2.6, 0.5), 79, style="mysterious"),
    "urgent": _Mood("minor", ((0, 5, 6, 4), (0, 0, 5, 6)), "strings", "pluck", None, "march", "ostinato", (1.2, 0.25), 74, style="tense"),
    "ominous": _Mood("phrygian", ((0, 1, 0, 1), (0, 6, 0, 1)), "pad", None, None, "pulse", "none", (3.0, 0.55), 64, style="mysterious"),
    "nostalgic": _Mood("dorian", ((0, 3, 0, 3), (0, 6, 3, 4)), "piano", "pluck", "strings", "none", "broken", (2.2, 0.45), 72, style="melancholy"),
    "romantic": _Mood("major", ((0, 5, 3, 4), (0, 2, 3, 4)), "strings", "piano", "strings", "none", "broken", (2.2, 0.45), 74, style="tender"),
    "dreamy": _Mood("major", ((0, 3, 5, 3), (0, 1, 3, 0)), "pad", "celesta", "epiano", "none", "broken", (3.0, 0.6), 78, style="tender"),
}


def music_bed(
    rng: np.random.Generator, mood: str = "tender", key: str = "C", tempo: float = 80.0, target_seconds: float = 24.0
) -> np.ndarray:
    m = MOODS[mood]
    mood = m.style or mood  # the rules below are written per style
    root = 48 + NOTE_NAMES.index(key)  # around C3
    scale = SCALES[m.scale]
    beat = 60.0 / tempo
    bar = 4 * beat
    # Whole 4-bar phrases (so the loop point falls on a phrase), as close to
    # the target as possible but never longer than 30 s.
    phrases = [k for k in range(1, 9) if 4 * k * bar <= 30.0] or [1]
    bars = 4 * min(phrases, key=lambda k: abs(4 * k * bar - target_seconds))
    length = bars * bar
    n = _n(length)
    tail = _n(3.0)
    layers = {name: np.zeros((n + tail, 2)) for name in ("bass", "chord", "arp", "lead", "drums")}

    def degree_midi(deg: int, octave: int = 0) -> int:
        return root + scale[deg % 7] + 12 * (deg // 7 + octave)

    def chord(deg: int) -> list[int]:
        return [degree_midi(deg + i) for i in (0, 2, 4)]

    def add(layer: str, inst: str, midi: int, start: float, dur: float, vel: float, pan: float = 0.0) -> None:
        note = _note(inst, int(midi), round(dur, 3))
        jitter = rng.normal(0, 0.004) if start > 0 else 0.0
        sig = _pan(note * vel * rng.uniform(0.9, 1.05), pan)
        _place(layers[layer], sig, _n(max(0.0, start + jitter)))

    prog = m.progressions[int(rng.integers(len(m.progressions)))]
    chord_len = m.beats_per_chord * beat
    chords_total = int(round(length / chord_len))
    melody_pitch = m.register
    for ci in range(chords_total):
        deg = prog[ci % len(prog)]
        t0 = ci * chord_len
        notes = chord(deg)
        # chords: held or re-struck
        if m.chord_inst in ("pad", "strings"):
            for j, p in enumerate(notes):
                add("chord", m.chord_inst, p + 12, t0, chord_len, 0.5, pan=(-0.5, 0.0, 0.5)[j])
            if mood == "tense" and ci % 4 == 3:
                add("chord", "strings", notes[0] + 13, t0, chord_len, 0.25, pan=0.3)  # a rubbing minor second
        elif m.chord_inst == "brass":
            for j, p in enumerate(notes):
                add("chord", "brass", p + 12, t0, beat * 1.8, 0.45, pan=(-0.4, 0.0, 0.4)[j])
                add("chord", "brass", p + 12, t0 + 2 * beat, beat * 1.8, 0.4, pan=(-0.4, 0.0, 0.4)[j])
        elif m.chord_inst == "piano":
            for j, p in enumerate(notes):
                add("chord", "piano", p + 12, t0 + j * beat * 0.5, chord_len - j * beat * 0.5, 0.45, pan=-0.2 + 0.2 * j)
        elif m.chord_inst == "pluck":
            for b in range(m.beats_per_chord):
                if b % 2 == 1:
                    for p in notes:
                        add("chord", "pluck", p + 12, t0 + b * beat, beat * 0.5, 0.3, pan=0.3)
        # bass
        if mood in ("tense",):
            for e in range(int(m.beats_per_chord * 2)):
                add("bass", "bass", notes[0] - 12, t0 + e * beat / 2, beat * 0.4, 0.55 if e % 2 == 0 else 0.4)
        elif mood in ("playful",):
            for b in range(m.beats_per_chord):
                add("bass", "pluck", (notes[0] if b % 2 == 0 else notes[2]) - 12, t0 + b * beat, beat * 0.4, 0.8)
        elif mood == "triumphant":
            for b in range(m.beats_per_chord):
                add("bass", "bass", notes[0] - 12 + (12 if b % 2 else 0), t0 + b * beat, beat * 0.85, 0.6)
        elif mood == "mysterious":
            add("bass", "pad", notes[0] - 12, t0, chord_len, 0.6)
            add("bass", "pad", notes[0] - 5, t0, chord_len, 0.3)
        else:
            add("bass", "bass", notes[0] - 12, t0, chord_len * 0.95, 0.45)
        # arpeggio / ostinato
        if m.arp_inst:
            if m.arp == "ostinato":
                pattern = [notes[0], notes[0] + 12, notes[1], notes[0] + 12] * m.beats_per_chord
                step = beat / 4
            elif m.arp == "broken":
                pattern = [notes[0], notes[1], notes[2], notes[1] + 12, notes[2], notes[1]] + [notes[0] + 12, notes[2]]
                pattern = pattern[: m.beats_per_chord * 2]
                step = beat / 2
            elif m.arp == "bounce":
                pattern = [notes[0] + 12, notes[2], notes[1] + 12, notes[2]] * m.beats_per_chord
                pattern = pattern[: m.beats_per_chord * 2]
                step = beat / 2
            else:  # sparse
                pattern = [notes[2] + 12, None, notes[1] + 24, None, notes[0] + 24, None, None, notes[2] + 12]
                step = beat / 2
            for i, p in enumerate(pattern):
                if p is None or (m.arp == "sparse" and rng.random() < 0.3):
                    continue
                vel = 0.35 if m.arp != "ostinato" else (0.3 if i % 4 == 0 else 0.18)
                add("arp", m.arp_inst, p + 12, t0 + i * step, step * 0.9, vel, pan=0.35 * np.sin(i))
        # melody: chord tones on strong beats, scale steps between, a random walk kept in range
        if m.lead_inst and ci % 2 == (0 if mood != "melancholy" else 1) or (m.lead_inst and mood == "playful"):
            rhythm = {
                "tender": [1.5, 0.5, 2.0],
                "triumphant": [1.0, 0.5, 0.5, 2.0],
                "melancholy": [3.0, 1.0],
                "playful": [0.5, 0.5, 0.5, 0.5],
                "mysterious": [2.0, 2.0],
            }.get(mood, [2.0, 2.0])
            t = t0
            for j, d in enumerate(rhythm):
                d = d * beat
                if j == 0:
                    target = min(notes, key=lambda p: abs((p + 24) - melody_pitch)) + 24
                    melody_pitch = target if abs(target - melody_pitch) < 8 else melody_pitch
                else:
                    step_deg = int(rng.choice([-2, -1, 1, 2] if mood != "triumphant" else [-3, 2, 3, 4, -1]))
                    cand = [degree_midi(d0, o) for o in range(-1, 5) for d0 in range(7)]
                    cand = sorted(cand, key=lambda p: abs(p - melody_pitch))
                    up = [p for p in cand if (p - melody_pitch) * step_deg > 0]
                    melody_pitch = up[min(abs(step_deg) - 1, len(up) - 1)] if up else melody_pitch
                    if abs(melody_pitch - m.register) > 9:
                        melody_pitch -= 12 * np.sign(melody_pitch - m.register)
                lead_vel = 0.5 if m.lead_inst != "brass" else 0.55
                add("lead", m.lead_inst, int(melody_pitch), t, d * 0.95, lead_vel, pan=0.1)
                t += d
        # percussion
        for b in range(m.beats_per_chord):
            tb = t0 + b * beat
            if m.drums == "pulse":
                if b % 2 == 0:
                    add_drum = _drum("lowtom")
                    _place(layers["drums"], _pan(add_drum * 0.55, 0), _n(tb))
                    _place(layers["drums"], _pan(add_drum * 0.35, 0), _n(tb + beat * 0.35))
            elif m.drums == "march":
                if b == 0 and ci % 2 == 0:
                    _place(layers["drums"], _pan(_drum("timpani") * 0.8, -0.1), _n(tb))
                _place(layers["drums"], _pan(_drum("snare") * (0.35 if b % 2 else 0.2), 0.15), _n(tb))
                _place(layers["drums"], _pan(_drum("kick") * (0.6 if b % 2 == 0 else 0.0), 0), _n(tb))
            elif m.drums == "light":
                for h in range(2):
                    _place(layers["drums"], _pan(_drum("shaker") * (0.5 if h == 0 else 0.3), 0.4), _n(tb + h * beat / 2))
                if b % 2 == 0:
                    _place(layers["drums"], _pan(_drum("kick") * 0.35, 0), _n(tb))
    balance = {"bass": 0.9, "chord": 0.8, "arp": 0.7, "lead": 0.8, "drums": 0.7}
    mix = sum(balance[k] * v for k, v in layers.items())
    rt, wet = m.reverb
    wetmix = _reverb(mix, rt, wet, 5000, seed=51)
    return _fold_loop(wetmix, n)
