"""The library sounds like its tags: each asset's audio is measured against what its
category and its tags claim, so a mislabelled or broken asset fails.

The rules are physical, not per asset: rain is broadband noise with no pitch; a
bell has a clear pitch and rings down; thunder and explosions live in the low
end; footsteps and knocks are trains of transients; a bed (ambience) never stops;
music has a tempo, and it is the tempo the catalogue states. Every asset of the
catalogue is checked in the slow test; the default test checks one asset of every
generator, so a new generator is covered from its first asset.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from filmcrew.tools.sound import synth
from filmcrew.tools.sound.analysis import estimate_tempo, spectral_features, tempo_support
from filmcrew.tools.sound.loudness import integrated_loudness

Rule = Callable[[dict[str, float]], bool]

CATEGORY_RULES: dict[str, tuple[str, Rule]] = {
    "ambience": ("a bed: at least 8 s and sound all the way through",
                 lambda f: f["duration"] >= 8 and f["active_ratio"] >= 0.25 and f["tail_active"]),
    "music": ("at least 15 s, continuous and pitched",
              lambda f: f["duration"] >= 15 and f["active_ratio"] >= 0.95 and f["tonality"] >= 0.5),
    "foley": ("a short sound with a beginning and an end (at most 12 s)", lambda f: f["duration"] <= 12),
    "sfx": ("a short sound with a beginning and an end (at most 12 s)", lambda f: f["duration"] <= 12),
}

# tag -> (what it claims, test). A tag applies when it is one of the asset's tags.
TAG_RULES: dict[str, tuple[str, Rule]] = {
    "rain": ("broadband noise, no pitch, bright", lambda f: f["tonality"] < 0.6 and f["centroid_hz"] > 1500),
    "applause": ("broadband noise bursts, no pitch", lambda f: f["tonality"] < 0.5 and f["centroid_hz"] > 1500),
    "whoosh": ("filtered noise, no pitch", lambda f: f["tonality"] < 0.5),
    "paper": ("crackling broadband noise", lambda f: f["tonality"] < 0.6 and f["centroid_hz"] > 1500),
    "cloth": ("rustling broadband noise", lambda f: f["tonality"] < 0.6 and f["centroid_hz"] > 1000),
    "wind": ("noise with a low roar", lambda f: f["tonality"] < 0.7 and f["low_ratio"] >= 0.2),
    "bell": ("a clear pitch that rings down", lambda f: f["tonality"] >= 0.8 and f["decay_db"] >= 10),
    "chime": ("a clear pitch", lambda f: f["tonality"] >= 0.8),
    "siren": ("a clear, continuous pitch", lambda f: f["tonality"] >= 0.6 and f["active_ratio"] >= 0.9),
    "horn": ("a clear pitch", lambda f: f["tonality"] >= 0.8),
    "thunder": ("low rumble", lambda f: f["low_ratio"] >= 0.3),
    "explosion": ("low boom", lambda f: f["low_ratio"] >= 0.5),
    "heartbeat": ("low thumps, repeated", lambda f: f["low_ratio"] >= 0.5 and f["onset_rate"] >= 0.5),
    "rumble": ("energy in the low end", lambda f: f["low_ratio"] >= 0.3),
    "footsteps": ("a train of transients", lambda f: f["onset_rate"] >= 0.8 and f["crest_db"] >= 5),
    "knock": ("sharp transients", lambda f: f["crest_db"] >= 6 and f["onset_rate"] > 0),
    "gunshot": ("one very sharp transient", lambda f: f["crest_db"] >= 12),
    "slam": ("a hard hit", lambda f: f["crest_db"] >= 10),
    "glass": ("rings or sparkles", lambda f: f["tonality"] >= 0.5 or f["centroid_hz"] >= 3000),
    # Small metal rings above the pitch range the tonality measure covers: bright and decaying counts.
    "metal": ("rings", lambda f: f["tonality"] >= 0.6 or (f["centroid_hz"] >= 2000 and f["decay_db"] >= 20)),
    "crickets": ("high chirps", lambda f: f["centroid_hz"] >= 2500),
    "cicadas": ("a high buzz", lambda f: f["centroid_hz"] >= 2500),
    "birdsong": ("high song", lambda f: f["centroid_hz"] >= 2000),
    "gulls": ("bright cries", lambda f: f["centroid_hz"] >= 1000 and f["tonality"] >= 0.5),
    "crowd": ("voices: energy in the speech band", lambda f: 300 <= f["centroid_hz"] <= 3500),
    "laughter": ("voices: energy in the speech band", lambda f: 500 <= f["centroid_hz"] <= 3500),
    "clock": ("regular ticks", lambda f: f["onset_rate"] >= 0.5 and f["crest_db"] >= 6),
    "typing": ("a train of clicks", lambda f: f["onset_rate"] >= 1.5 and f["crest_db"] >= 6),
    # An idling engine fires below the pitch range the tonality measure covers: periodic, not necessarily pitched.
    "engine": ("a low, periodic drone", lambda f: f["centroid_hz"] < 1500 and f["tonality"] >= 0.3 and f["active_ratio"] >= 0.9),
    "motor": ("a periodic drone", lambda f: f["centroid_hz"] < 1500 and f["tonality"] >= 0.3 and f["active_ratio"] >= 0.9),
    "drone": ("a held low tone", lambda f: f["centroid_hz"] < 1200),
}


def measure(audio: np.ndarray) -> dict[str, float]:
    f = dict(spectral_features(audio, synth.SR))
    f["duration"] = audio.shape[0] / synth.SR
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    peak = float(np.max(np.abs(mono)))
    f["dc_ratio"] = abs(float(mono.mean())) / peak if peak else 1.0
    # The last second of a bed is not silence: it loops into its start.
    tail = mono[-synth.SR:]
    f["tail_active"] = float(np.sqrt(np.mean(tail**2))) > 0.05 * float(np.sqrt(np.mean(mono**2)))
    f["lufs"] = integrated_loudness(audio, synth.SR) or -99.0
    return f


def problems(spec: synth.AssetSpec, audio: np.ndarray) -> list[str]:
    f = measure(audio)
    found = []
    if f["dc_ratio"] > 0.02:
        found.append(f"a DC offset of {f['dc_ratio']:.0%} of the peak")
    if not -40 < f["lufs"] <= -19:
        found.append(f"loudness {f['lufs']:.1f} LUFS, not levelled")
    claim, rule = CATEGORY_RULES[spec.category]
    if not rule(f):
        found.append(f"category {spec.category}: should be {claim}")
    for tag in spec.tags:
        if tag in TAG_RULES:
            claim, rule = TAG_RULES[tag]
            if not rule(f):
                found.append(f"tag {tag!r}: should be {claim}")
    if spec.category == "music":
        # The stated tempo must be what the audio pulses at: librosa's estimate near it (the
        # same pulse counted in halves or doubles counts), or a pulse period as strong as
        # any other in the bed's onsets.
        measured = estimate_tempo(audio, synth.SR, around=spec.tempo or 120.0)
        picked = measured is not None and spec.tempo is not None and any(
            abs(measured - spec.tempo * r) <= 0.08 * spec.tempo * r for r in (0.5, 1.0, 2.0))
        support = tempo_support(audio, synth.SR, spec.tempo) if spec.tempo else 0.0
        if not (picked or support >= 0.8):
            found.append(f"tempo measured {measured} (support {support:.2f} for {spec.tempo}), catalogue says {spec.tempo}")
    if found:
        shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in f.items()}
        found.append(f"measured {shown}")
    return found


def _one_per_generator() -> list[synth.AssetSpec]:
    chosen: dict[str, synth.AssetSpec] = {}
    for spec in synth.default_specs():
        chosen.setdefault(spec.generator, spec)
    return list(chosen.values())


@pytest.mark.parametrize("spec", _one_per_generator(), ids=lambda s: s.id)
def test_one_asset_of_every_generator_sounds_like_its_tags(spec: synth.AssetSpec):
    assert problems(spec, synth.render(spec)) == []


@pytest.mark.slow
@pytest.mark.parametrize("spec", synth.default_specs(), ids=lambda s: s.id)
def test_every_asset_sounds_like_its_tags(spec: synth.AssetSpec):
    assert problems(spec, synth.render(spec)) == []


def _relabelled(spec_id: str, **changes) -> synth.AssetSpec:
    from dataclasses import replace

    spec = next(s for s in synth.default_specs() if s.id == spec_id)
    return replace(spec, **changes)


@pytest.mark.parametrize(
    ("real", "false_tags", "category", "complaint"),
    [
        ("sfx_bell_hand", ("rain",), "sfx", "tag 'rain'"),  # a bell is pitched, rain is not
        ("amb_rain_light", ("bell",), "ambience", "tag 'bell'"),  # rain has no pitch
        ("foley_paper_crumple", ("thunder",), "foley", "tag 'thunder'"),  # paper has no low end
        ("sfx_heartbeat_calm", ("crickets",), "sfx", "tag 'crickets'"),
        ("foley_door_slam", ("ambience",), "ambience", "category ambience"),  # a one-shot is not a bed
    ],
)
def test_a_mislabelled_asset_fails(real, false_tags, category, complaint):
    spec = _relabelled(real, tags=false_tags, category=category)
    found = problems(spec, synth.render(_relabelled(real)))
    assert any(p.startswith(complaint) for p in found), found


def test_a_music_bed_with_the_wrong_tempo_fails():
    spec = _relabelled("music_playful_1", tempo=97.0)  # rendered at 132 BPM
    assert any(p.startswith("tempo measured") for p in problems(spec, synth.render(_relabelled("music_playful_1"))))
