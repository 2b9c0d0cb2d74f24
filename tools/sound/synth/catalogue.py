"""The default library's catalogue: asset specs read from `catalogue.yaml`, and rendering one.

The catalogue is data so that adding an asset is adding an entry (a
generator name, its parameters, and the words that describe the sound);
the seed comes from the asset id, so each entry renders the same audio on
every machine. `render` calls the generator and levels the result with the
package's one loudness meter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy.signal import butter, sosfilt

from filmcrew.tools.sound.loudness import integrated_loudness
from filmcrew.tools.sound.synth import ambience, effects, foley, music, objects, signals, voices, water
from filmcrew.tools.sound.synth._dsp import SR, _n, seed_for

__all__ = [
    "AssetSpec",
    "GENERATORS",
    "GENERATOR_VERSION",
    "PEAK_CEILING_DB",
    "TARGET_LUFS",
    "default_specs",
    "level",
    "render",
]

# Bump when a generator or the catalogue changes what it renders: libraries
# built by an older version are then rebuilt rather than trusted.
GENERATOR_VERSION = 4
TARGET_LUFS = -20.0
PEAK_CEILING_DB = -1.0
CATEGORIES = ("ambience", "music", "foley", "sfx")

GENERATORS: dict[str, Callable[..., np.ndarray]] = {
    name: getattr(module, name) for module in (ambience, music, foley, objects, water, voices, signals, effects) for name in module.__all__
    if callable(getattr(module, name))
}


@dataclass(frozen=True)
class AssetSpec:
    """One asset of the default library: what to call, with what, and how to tag it."""

    id: str
    category: str  # ambience | music | foley | sfx
    generator: str
    params: dict[str, Any]
    description: str
    tags: tuple[str, ...]
    mood: str = ""
    tempo: float | None = None
    key: str | None = None
    seed: int = field(default=0)

    def provenance(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"filmcrew.tools.sound.synth.{self.generator}({args}) seed={self.seed} v{GENERATOR_VERSION}"


@lru_cache(maxsize=1)
def _catalogue() -> tuple[AssetSpec, ...]:
    import yaml

    text = resources.files("filmcrew.tools.sound.synth").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    specs: list[AssetSpec] = []
    seen: set[str] = set()
    for category, entries in data.items():
        if category not in CATEGORIES:
            raise ValueError(f"catalogue.yaml: unknown category {category!r}")
        for e in entries:
            if e["id"] in seen:
                raise ValueError(f"catalogue.yaml: asset id {e['id']!r} appears twice")
            if e["generator"] not in GENERATORS:
                raise ValueError(f"catalogue.yaml: {e['id']} names unknown generator {e['generator']!r}")
            seen.add(e["id"])
            specs.append(AssetSpec(
                id=e["id"], category=category, generator=e["generator"], params=dict(e.get("params") or {}),
                description=e["description"], tags=tuple(e["tags"]), mood=e.get("mood", ""),
                tempo=e.get("tempo"), key=e.get("key"), seed=seed_for(e["id"]),
            ))
    return tuple(specs)


def default_specs() -> list[AssetSpec]:
    """Every asset of the default library, in catalogue order."""
    return list(_catalogue())


def level(audio: np.ndarray, target_lufs: float = TARGET_LUFS, ceiling_db: float = PEAK_CEILING_DB) -> np.ndarray:
    """Gain to `target_lufs`, but never past the sample-peak ceiling."""
    x = np.asarray(audio, dtype=np.float64)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak <= 0:
        return x
    loud = integrated_loudness(x, SR)
    gain = 1.0 if loud is None else 10 ** ((target_lufs - loud) / 20)
    return x * min(gain, 10 ** (ceiling_db / 20) / peak)


# Below this nothing is heard, yet DC and infrasound cost headroom and shift the
# loudness meter's idea of a sound; every asset is high-passed here.
_SUBSONIC_HZ = 15.0
LOOPED_CATEGORIES = ("ambience", "music")


def _remove_subsonic(audio: np.ndarray, looped: bool) -> np.ndarray:
    """High-pass at 15 Hz. A loop is filtered as a loop (its tail primes the filter), so
    the seam stays seamless; a one-shot starts from silence."""
    sos = butter(2, _SUBSONIC_HZ, btype="highpass", fs=SR, output="sos")
    if not looped:
        return sosfilt(sos, audio, axis=0)
    prime = min(len(audio), SR)
    return sosfilt(sos, np.concatenate([audio[-prime:], audio]), axis=0)[prime:]


def render(spec: AssetSpec) -> np.ndarray:
    """Render one asset to float64 at 48 kHz (shape (n,) or (n, 2)), levelled."""
    rng = np.random.default_rng(spec.seed)
    audio = np.asarray(GENERATORS[spec.generator](rng, **spec.params), dtype=np.float64)
    if audio.ndim == 2 and audio.shape[1] == 1:
        audio = audio[:, 0]
    audio = _remove_subsonic(audio, spec.category in LOOPED_CATEGORIES)
    # Short fades: a generated file must never start or end on a click.
    fade = min(_n(0.003), len(audio) // 4)
    if fade > 1 and spec.category in ("foley", "sfx"):
        ramp = np.linspace(0, 1, fade)
        if audio.ndim == 2:
            ramp = ramp[:, None]
        audio[:fade] *= ramp
        audio[-fade:] *= ramp[::-1]
    return level(audio)
