"""The mixer: sound cues in, one stem per layer and a stereo master out.

What a dubbing mixer does, in order:

1. Place every cue of a layer on that layer's track: decode, resample,
   loop beds (music, ambience) or play once, trim to the cue, fade the
   edges, apply the cue's gain. `gain_db` therefore sets a cue against the
   other cues of its layer; the layer as a whole is levelled in step 2 or 3.
2. Voice and dialogue are levelled first (-16 LUFS integrated): they key
   everything else.
3. Background layers (music, ambience, foley, sfx) are high-passed and get a
   dynamic EQ: a cut around 1-4 kHz, the band that carries consonants, that
   opens only while someone speaks (a sidechain envelope with lookahead,
   attack and release), so the words sit in a gap and the background keeps
   its full colour between lines. Music and ambience are also ducked under
   the voice with the same envelope, and finally levelled to -28 LUFS. The
   order matters: each stem is measured as written, ducking included.
4. The stems are summed, and a lookahead limiter on 4x-oversampled peaks keeps
   the master at or under -1 dBTP. AAC encoding can push peaks above what the
   PCM held, so the master is trial-encoded with the delivery settings and,
   if the decoded peak passes -1 dBTP, limited again to a lower ceiling.
5. Every voice cue gets its speech-to-background ratio: the speech band of
   the voice stem against the speech band of everything else under it.

A stem whose loudness cannot be measured (silence, or under 400 ms of
signal) keeps its level and reports None. Stems are 24-bit stereo WAV in
`stems/`, the master is `mix.wav`, both written atomically; the returned
`MixReport` is for the caller to store. Every level is measured with
`filmcrew.tools.sound.loudness`, the package's one meter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, resample_poly, sosfilt

from filmcrew.errors import InputError
from filmcrew.memory.models import MixReport, SoundCue, SoundDesign, StemReport, VoiceCueReport
from filmcrew.memory.rundir import atomic_path
from filmcrew.tools.media import DELIVERY_AUDIO_ARGS, run_ffmpeg
from filmcrew.tools.sound.audio import read_audio
from filmcrew.tools.sound.loudness import (
    SILENCE_DB,
    integrated_loudness,
    oversampled_peaks,
    sample_peak_db,
    true_peak_db,
)

__all__ = [
    "mix",
    "LAYER_TARGETS",
    "DUCK_DB",
    "CARVE_BAND",
    "CARVE_DB",
    "limit",
    "voice_activity",
    "encoded_true_peak",
]

LAYERS = ("voice", "dialogue", "music", "ambience", "foley", "sfx")
FOREGROUND = ("voice", "dialogue")
LAYER_TARGETS: dict[str, float] = {
    "voice": -16.0, "dialogue": -16.0, "music": -28.0, "ambience": -28.0, "foley": -28.0, "sfx": -28.0,
}
# Beds loop to fill their cue; one-shot sounds play once (a door slam must not repeat).
LOOPED = ("music", "ambience")
# How far each bed dips while someone speaks.
DUCK_DB: dict[str, float] = {"music": 7.0, "ambience": 4.0}
HIGHPASS_HZ: dict[str, float] = {"music": 60.0, "ambience": 80.0, "foley": 50.0, "sfx": 30.0}
# The dynamic voice-band cut: how deep it goes in the consonant range (1-4 kHz)
# that carries intelligibility, per layer, while someone speaks.
CARVE_BAND = (1000.0, 4000.0)
CARVE_DB: dict[str, float] = {"music": -5.0, "ambience": -5.0, "foley": -2.5, "sfx": -2.0}
CEILING_DBTP = -1.0
# Speech-band filter for the intelligibility report.
SPEECH_BAND = (300.0, 4000.0)
# Trial encodes before giving up on the delivery ceiling (each lowers it by the overshoot).
ENCODE_TRIALS = 4


# --------------------------------------------------------------------------
# measurement
# --------------------------------------------------------------------------


def _peak_db(x: np.ndarray) -> float:
    peak = sample_peak_db(x)
    return SILENCE_DB if peak is None else peak


# --------------------------------------------------------------------------
# processing
# --------------------------------------------------------------------------


def limit(x: np.ndarray, sample_rate: int, ceiling_db: float = CEILING_DBTP, window: float = 0.01) -> np.ndarray:
    """Lookahead peak limiter on oversampled peaks: gain never exceeds what the ceiling needs.

    The required gain is min-filtered over +-`window`, then averaged over a
    window no wider, so the smoothed gain is still at or under the required
    gain at every sample: it starts to fall `window` before a peak and
    recovers after it, without overshoot. It adds no make-up gain."""
    ceiling = 10 ** (ceiling_db / 20)
    aim = ceiling * 0.998  # a hair under, so rounding never leaves a sample a hair over
    y = np.asarray(x, dtype=np.float64)
    half = max(1, int(window * sample_rate))
    for _ in range(4):
        peaks = oversampled_peaks(y, 0.5 * ceiling)
        if peaks.max() <= ceiling:
            return y
        need = np.minimum(1.0, aim / np.maximum(peaks, 1e-12))
        gain = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
        gain = uniform_filter1d(gain, size=2 * half + 1, mode="nearest")
        gain = np.minimum(gain, need)
        y = y * (gain[:, None] if y.ndim == 2 else gain)
        aim *= 0.995  # gain changes can shift peaks between samples: aim lower if a pass fell short
    # Anything left is tiny; a static trim settles it.
    over = oversampled_peaks(y, 0.5 * ceiling).max() / ceiling
    return y / over if over > 1 else y


def _highpass(x: np.ndarray, layer: str, sample_rate: int) -> np.ndarray:
    return sosfilt(butter(2, HIGHPASS_HZ[layer], btype="highpass", fs=sample_rate, output="sos"), x, axis=0)


def _dynamic_carve(x: np.ndarray, layer: str, sample_rate: int, activity: np.ndarray) -> np.ndarray:
    """Cut the voice band by up to CARVE_DB[layer], in proportion to the voice activity (0..1).

    A Butterworth band-pass has zero phase at its centre, so subtracting a
    share of it from the signal is a clean dip there (1 - k*B(f)), and being
    causal it never rings before a transient; where nobody speaks the
    activity is 0 and the signal passes untouched."""
    lo, hi = CARVE_BAND
    if hi >= sample_rate / 2 or not np.any(activity):
        return x
    band = sosfilt(butter(1, (lo, hi), btype="bandpass", fs=sample_rate, output="sos"), x, axis=0)
    depth = 1.0 - 10 ** (CARVE_DB[layer] / 20)
    return x - (depth * activity)[:, None] * band


def voice_activity(
    key: np.ndarray, n: int, sample_rate: int, *, threshold_db: float = -45.0,
    attack: float = 0.04, release: float = 0.35, lookahead: float = 0.03,
) -> np.ndarray:
    """A 0..1 envelope per sample: 1 while the key (the voice) is active, with attack, release and lookahead."""
    hop = max(1, int(0.01 * sample_rate))
    frames = int(np.ceil(n / hop))
    mono = np.abs(key).max(axis=1) if key.ndim == 2 else np.abs(key)
    padded = np.zeros(frames * hop)
    padded[:n] = mono[:n] ** 2
    rms_db = 10 * np.log10(padded.reshape(frames, hop).mean(axis=1) + 1e-20)
    active = rms_db > threshold_db
    # Lookahead: start just before the first word rather than on it.
    ahead = max(1, int(round(lookahead / 0.01)))
    active = np.convolve(active.astype(float), np.ones(ahead + 1), mode="full")[ahead : ahead + frames] > 0
    target = active.astype(float)
    a_coef = np.exp(-0.01 / attack)
    r_coef = np.exp(-0.01 / release)
    env = np.empty(frames)
    level = 0.0
    for i, t in enumerate(target):
        coef = a_coef if t > level else r_coef
        level = t + (level - t) * coef
        env[i] = level
    centres = (np.arange(frames) + 0.5) * hop
    return np.interp(np.arange(n), centres, env)


def _normalise(x: np.ndarray, target: float, sample_rate: int) -> tuple[np.ndarray, float | None]:
    loud = integrated_loudness(x, sample_rate)
    if loud is None:
        return x, None
    y = x * 10 ** ((target - loud) / 20)
    if np.max(np.abs(y)) < 0.999:
        return y, target  # a pure gain change: the loudness is now the target, exactly
    # The stem would clip as PCM: limit it, then report what is really there.
    y = limit(y, sample_rate, CEILING_DBTP)
    return y, integrated_loudness(y, sample_rate)


# --------------------------------------------------------------------------
# placing cues
# --------------------------------------------------------------------------


def _to_stereo(x: np.ndarray) -> np.ndarray:
    if x.ndim == 1:
        return np.stack([x, x], axis=1)
    if x.shape[1] == 1:
        return np.repeat(x, 2, axis=1)
    if x.shape[1] == 2:
        return x
    return x[:, :2]  # more channels: front left and right carry the program


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    if src == dst:
        return x
    g = np.gcd(src, dst)
    return resample_poly(x, dst // g, src // g, axis=0)


def _loop_to(x: np.ndarray, target: int, crossfade: int) -> np.ndarray:
    """Repeat `x` to `target` samples, equal-power crossfading each seam."""
    if len(x) >= target:
        return x[:target]
    xf = min(crossfade, len(x) // 4)
    if xf < 2:
        reps = int(np.ceil(target / len(x)))
        return np.concatenate([x] * reps)[:target]
    w = np.linspace(0, np.pi / 2, xf)[:, None]
    fin, fout = np.sin(w), np.cos(w)
    head = x.copy()
    head[-xf:] *= fout
    middle = head.copy()
    middle[:xf] *= fin
    out = np.zeros((target, x.shape[1]))
    period = len(x) - xf
    for k, pos in enumerate(range(0, target, period)):
        seg = head if k == 0 else middle
        end = min(target, pos + len(seg))
        out[pos:end] += seg[: end - pos]
    return out


def _fade(x: np.ndarray, fade_in: int, fade_out: int) -> np.ndarray:
    n = len(x)
    fade_in, fade_out = min(fade_in, n // 2), min(fade_out, n // 2)
    y = x.copy()
    if fade_in > 1:
        y[:fade_in] *= (np.sin(np.linspace(0, np.pi / 2, fade_in)) ** 2)[:, None]
    if fade_out > 1:
        y[n - fade_out :] *= (np.cos(np.linspace(0, np.pi / 2, fade_out)) ** 2)[:, None]
    return y


def _asset_path(cue: SoundCue, run_root: Path) -> Path:
    p = Path(cue.asset).expanduser()
    return p if p.is_absolute() else run_root / p


def _cue_audio(cue: SoundCue, audio: np.ndarray, sample_rate: int) -> np.ndarray:
    target = int(round(cue.duration * sample_rate))
    if cue.layer in LOOPED:
        x = _loop_to(audio, target, int(0.05 * sample_rate))
        fade_in = fade_out = int(min(1.0, cue.duration / 4) * sample_rate)
    else:
        x = audio[:target]
        # Just enough to avoid clicks: a transient must keep its attack.
        fade_in = int(0.002 * sample_rate)
        fade_out = int((0.02 if len(audio) > target else 0.005) * sample_rate)
    # A cue may set its own fades: a hard cut between scenes, or a long crossfade.
    if cue.fade_in is not None:
        fade_in = max(int(0.002 * sample_rate), int(cue.fade_in * sample_rate))
    if cue.fade_out is not None:
        fade_out = max(int(0.002 * sample_rate), int(cue.fade_out * sample_rate))
    return _fade(x, fade_in, fade_out) * 10 ** (cue.gain_db / 20)


def _write(path: Path, x: np.ndarray, sample_rate: int) -> None:
    import soundfile as sf

    with atomic_path(path) as tmp:
        sf.write(str(tmp), np.clip(x, -1.0, 1.0).astype(np.float32), sample_rate, format="WAV", subtype="PCM_24")


# --------------------------------------------------------------------------
# the mix
# --------------------------------------------------------------------------


def mix(
    design: SoundDesign,
    run_root: Path,
    *,
    sample_rate: int = 48000,
    progress: Callable[[str], None] | None = None,
) -> MixReport:
    """Render the stems and the master of `design` under `run_root`; return what was measured."""
    run_root = Path(run_root)
    say = progress or (lambda _msg: None)
    n = int(round(design.duration * sample_rate))
    if n <= 0:
        raise InputError(f"the sound design lasts {design.duration} s: nothing to mix")

    missing = [f"{c.id} ({c.asset})" for c in design.cues if not _asset_path(c, run_root).is_file()]
    if missing:
        raise InputError("sound cues point at missing audio files: " + ", ".join(missing))

    decoded: dict[Path, np.ndarray] = {}

    def place(layer: str) -> np.ndarray:
        cues = [c for c in design.cues if c.layer == layer]
        track = np.zeros((n, 2))
        for cue in cues:
            path = _asset_path(cue, run_root)
            if path not in decoded:
                try:
                    data, sr = read_audio(path)
                except InputError as exc:
                    raise InputError(f"sound cue {cue.id}: {exc}") from exc
                decoded[path] = _resample(_to_stereo(data), sr, sample_rate)
            x = _cue_audio(cue, decoded[path], sample_rate)
            start = int(round(cue.start * sample_rate))
            if start >= n or len(x) == 0:
                continue
            end = min(n, start + len(x))
            track[start:end] += x[: end - start]
        say(f"mix: placed {len(cues)} {layer} cue(s)")
        return track

    present = [layer for layer in LAYERS if any(c.layer == layer for c in design.cues)]
    reports: list[StemReport] = []
    master = np.zeros((n, 2))
    key = np.zeros((n, 2))

    def finish(layer: str, stem: np.ndarray, loud: float | None) -> None:
        # Written and summed at once, so a long film holds only a few tracks in memory.
        rel = f"stems/{layer}.wav"
        _write(run_root / rel, stem, sample_rate)
        reports.append(StemReport(
            layer=layer,
            path=rel,
            integrated_lufs=None if loud is None else round(loud, 2),
            target_lufs=LAYER_TARGETS[layer],
            peak_dbfs=round(_peak_db(stem), 2),
        ))
        master[:] += stem
        say(f"mix: {layer} stem at {'unmeasurable' if loud is None else f'{loud:.1f} LUFS'}")

    # The voice goes first: its levelled stem is the key that carves and ducks the rest.
    for layer in (layer for layer in present if layer in FOREGROUND):
        stem, loud = _normalise(place(layer), LAYER_TARGETS[layer], sample_rate)
        key += stem
        finish(layer, stem, loud)
    activity = voice_activity(key, n, sample_rate) if np.any(key) else np.zeros(n)
    voice_key = _band(key, sample_rate)
    del key
    background_band = np.zeros((n, 2))
    for layer in (layer for layer in present if layer not in FOREGROUND):
        x = _dynamic_carve(_highpass(place(layer), layer, sample_rate), layer, sample_rate, activity)
        if layer in DUCK_DB:
            x *= (10 ** (-DUCK_DB[layer] * activity / 20))[:, None]
        stem, loud = _normalise(x, LAYER_TARGETS[layer], sample_rate)
        background_band += _band(stem, sample_rate)
        finish(layer, stem, loud)
    decoded.clear()
    voice_reports = _voice_reports(design, voice_key, background_band, sample_rate)
    del voice_key, background_band

    pre_limit = master.copy()
    ceiling = CEILING_DBTP
    encoded = None
    mix_path = run_root / "mix.wav"
    for _trial in range(ENCODE_TRIALS):
        master = limit(pre_limit, sample_rate, ceiling)
        # What is written is 24-bit PCM: measure that, not the float it came from.
        master = np.round(np.clip(master, -1, 1) * (2**23 - 1)) / (2**23 - 1)
        _write(mix_path, master, sample_rate)
        if not np.any(master):
            break
        # The trial encodes the very file the export will mux: AAC's choices can
        # flip on differences far below a 24-bit step.
        encoded = encoded_true_peak(mix_path)
        if encoded <= CEILING_DBTP:
            break
        # The codec overshot: lower the ceiling by the overshoot and a little more.
        ceiling -= encoded - CEILING_DBTP + 0.1
        say(f"mix: AAC trial encode peaks at {encoded:.2f} dBTP; limiting to {ceiling:.2f} dBTP")
    if encoded is not None and encoded > CEILING_DBTP:
        # Still over after every trial: the encoder is close to linear in gain, so a plain
        # trim by the remaining overshoot settles it.
        master = master * 10 ** (-(encoded - CEILING_DBTP + 0.05) / 20)
        _write(mix_path, master, sample_rate)
        encoded = encoded_true_peak(mix_path)
        say(f"mix: trimmed the master; {encoded:.2f} dBTP after AAC")
    del pre_limit
    master_lufs = integrated_loudness(master, sample_rate)
    tp = true_peak_db(master)
    say(f"mix: master {'silent' if master_lufs is None else f'{master_lufs:.1f} LUFS'}, {tp:.1f} dBTP"
        + ("" if encoded is None else f", {encoded:.1f} dBTP after AAC"))
    return MixReport(
        stems=reports,
        master_path="mix.wav",
        master_lufs=None if master_lufs is None else round(master_lufs, 2),
        master_true_peak_dbtp=round(tp, 2),
        duration=n / sample_rate,
        sample_rate=sample_rate,
        encoded_true_peak_dbtp=None if encoded is None else round(encoded, 2),
        ceiling_dbtp=round(ceiling, 2),
        voice_cues=voice_reports,
    )


def _band(x: np.ndarray, sample_rate: int) -> np.ndarray:
    lo, hi = SPEECH_BAND
    hi = min(hi, 0.45 * sample_rate)
    return sosfilt(butter(4, (lo, hi), btype="bandpass", fs=sample_rate, output="sos"), x, axis=0)


def _rms_db(x: np.ndarray) -> float | None:
    power = float(np.mean(x**2)) if x.size else 0.0
    return 10 * np.log10(power) if power > 1e-12 else None


def _voice_reports(design: SoundDesign, voice: np.ndarray, background: np.ndarray, sample_rate: int) -> list[VoiceCueReport]:
    """Speech-to-background ratio of every voice cue, in the speech band, over the cue's span."""
    out = []
    for cue in design.cues:
        if cue.layer not in FOREGROUND:
            continue
        a = int(round(cue.start * sample_rate))
        b = min(len(voice), a + int(round(cue.duration * sample_rate)))
        speech_db, background_db = _rms_db(voice[a:b]), _rms_db(background[a:b])
        sbr = None if speech_db is None or background_db is None else round(speech_db - background_db, 2)
        out.append(VoiceCueReport(
            cue_id=cue.id, speaker=cue.speaker, start=cue.start, duration=cue.duration,
            speech_db=None if speech_db is None else round(speech_db, 2),
            background_db=None if background_db is None else round(background_db, 2), sbr_db=sbr,
        ))
    return out


def encoded_true_peak(path: Path) -> float:
    """True peak of the audio file at `path` after a round trip through the delivery AAC encoder (dBTP)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="filmcrew-trial-") as tmp:
        m4a = Path(tmp) / "trial.m4a"
        run_ffmpeg(["-i", str(path), "-vn", *DELIVERY_AUDIO_ARGS, str(m4a)])
        decoded, _sr = read_audio(m4a)
    return true_peak_db(decoded)
