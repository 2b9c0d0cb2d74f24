"""In-process sound doubles for stage and placement tests: a library with one asset
per category and speech that is silence of a predictable length."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from filmcrew.memory.sound_library import SoundAsset
from filmcrew.tools.sound.speech import SpeechClip, SpeechSynthesizer

__all__ = ["ShelfLibrary", "WordClockSpeech", "SECONDS_PER_WORD"]

SECONDS_PER_WORD = 0.25
_RATE = 48000


class ShelfLibrary:
    """One noise asset per category, each `length` seconds long; a search returns the
    asked category's asset and is remembered as (query, category)."""

    def __init__(self, root: Path, length: float = 3.0) -> None:
        self.root = root
        rng = np.random.default_rng(1)
        self.assets: list[SoundAsset] = []
        for category in ("ambience", "music", "foley", "sfx"):
            sf.write(root / f"{category}.wav", (rng.standard_normal(int(_RATE * length)) * 0.05).astype(np.float32), _RATE)
            self.assets.append(SoundAsset(id=f"{category}-1", path=f"{category}.wav", category=category, description=f"a {category} sound",
                                          duration=length, license="CC0", provenance="test"))
        self.searches: list[tuple[str, str | None]] = []

    def get(self, asset_id: str) -> SoundAsset:
        for asset in self.assets:
            if asset.id == asset_id:
                return asset
        raise KeyError(asset_id)

    def search(self, query: str, category: str | None = None, k: int = 5) -> list[tuple[SoundAsset, float]]:
        self.searches.append((query, category))
        return [(a, 0.9) for a in self.assets if category in (None, a.category)][:k]

    def asset_path(self, asset: SoundAsset) -> Path:
        return self.root / asset.path


class WordClockSpeech(SpeechSynthesizer):
    """Speech as silence lasting `SECONDS_PER_WORD` a word; remembers every text it spoke."""

    name = "word-clock"

    def __init__(self) -> None:
        self.said: list[str] = []

    def voices(self) -> list[str]:
        return ["narrator", "first", "second"]

    async def synthesize(self, text: str, out_path: Path, *, voice: str | None = None) -> SpeechClip:
        self.said.append(text)
        seconds = SECONDS_PER_WORD * len(text.split())
        out_path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(out_path, np.zeros(int(_RATE * seconds), dtype=np.float32), _RATE)
        return SpeechClip(path=out_path, duration=seconds, voice=voice or "narrator", sample_rate=_RATE)
