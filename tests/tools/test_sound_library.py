"""The tagged sound library: generated assets, search by meaning, atomic builds, imports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from filmcrew.memory.sound_library import GENERATED_LICENSE, SoundAsset, SoundLibrary
from filmcrew.tools.sound import synth
from filmcrew.tools.sound.library import build_default_library, default_library, import_folder, is_complete_default

# A small, varied subset keeps the build to a few seconds; the full catalogue
# is checked below through its metadata.
SUBSET = [
    "amb_rain_window", "amb_rain_light", "amb_night_crickets", "music_tense_1", "music_tender_1",
    "foley_door_slam", "sfx_heartbeat_racing", "sfx_thunder_close",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> SoundLibrary:
    root = tmp_path_factory.mktemp("sounds") / "lib"
    return build_default_library(root, only=SUBSET)


def test_built_assets_are_real_measured_licensed_audio(library: SoundLibrary):
    assert sorted(a.id for a in library.assets) == sorted(SUBSET)
    for asset in library.assets:
        path = library.asset_path(asset)
        data, sr = sf.read(path, always_2d=True)
        assert sr == 48000
        assert abs(data.shape[0] / sr - asset.duration) < 1e-3
        assert 1.0 <= asset.duration <= 30.0
        assert asset.license == GENERATED_LICENSE
        assert asset.provenance.startswith("filmcrew.tools.sound.synth.") and "seed=" in asset.provenance
        assert asset.loudness_lufs is not None
        # levelled to -20 LUFS unless the peak ceiling held a spiky sound back
        assert -32.0 < asset.loudness_lufs <= -19.0
        assert asset.peak_dbfs is not None and asset.peak_dbfs <= -0.9
        assert np.sqrt(np.mean(data**2)) > 1e-3, f"{asset.id} is silent"
    music = library.get("music_tense_1")
    assert music.tempo == 108.0 and music.key == "D minor"
    assert library.get("amb_rain_window").channels == 2


def test_beds_loop_without_a_click(library: SoundLibrary):
    for asset_id in ("amb_rain_window", "amb_night_crickets", "music_tense_1", "music_tender_1"):
        data, _ = sf.read(library.asset_path(library.get(asset_id)), always_2d=True)
        steps = np.abs(np.diff(data, axis=0))
        seam = np.abs(data[0] - data[-1])
        # the jump from the last sample back to the first is an ordinary step
        assert np.all(seam <= np.quantile(steps, 0.999, axis=0) + 1e-4), asset_id


def test_search_finds_what_the_words_mean(library: SoundLibrary):
    best, score = library.search("rain on a window at night")[0]
    assert best.id == "amb_rain_window" and score > 0.3
    assert library.search("tense suspense score")[0][0].id == "music_tense_1"
    assert library.search("tense suspense score", category="music")[0][0].category == "music"
    assert all(a.category == "sfx" for a, _ in library.search("storm", category="sfx", k=3))
    scores = [s for _, s in library.search("a door slams shut", k=4)]
    assert scores == sorted(scores, reverse=True)


def test_embeddings_are_cached_beside_the_manifest(library: SoundLibrary):
    library.search("rain")
    key = json.loads((library.root / "embeddings.json").read_text())
    assert key["embedder"] == library.embedder.name
    assert np.load(library.root / "embeddings.npy").shape == (len(library), library.embedder.dim)

    class Counting:
        name, dim, calls = library.embedder.name, library.embedder.dim, 0

        def embed(self, texts):
            Counting.calls += len(texts)
            return library.embedder.embed(texts)

    again = SoundLibrary(library.root, embedder=Counting())
    again.search("rain")
    assert Counting.calls == 1  # only the query: the asset vectors came from the cache


def test_the_catalogue_covers_the_brief():
    specs = synth.default_specs()
    assert len(specs) >= 200
    assert len({s.id for s in specs}) == len(specs)
    counts = {c: sum(s.category == c for s in specs) for c in ("ambience", "music", "foley", "sfx")}
    assert min(counts.values()) >= 40, counts
    text = {s.category: " ".join(" ".join(x.tags) + " " + x.description.lower() for x in specs if x.category == s.category)
            for s in specs}
    for word in ("rain", "wind", "birds", "traffic", "room tone", "ocean", "insects", "crowd", "fire", "storm", "river",
                 "harbour", "gulls", "train", "cave", "clock"):
        assert word in text["ambience"], word
    for word in ("footsteps", "door", "slam", "cloth", "glass", "paper", "keys", "wood", "gravel", "snow", "sand", "metal",
                 "water", "oars", "bicycle", "bottle", "knock", "rope", "sail"):
        assert word in text["foley"], word
    for word in ("thunder", "fire", "impact", "whoosh", "explosion", "engine", "bell", "gunshot", "heartbeat", "applause",
                 "cheer", "laughter", "gasp", "siren", "horn", "motor"):
        assert word in text["sfx"], word
    music = [s for s in specs if s.category == "music"]
    moods = {s.mood for s in music}
    assert len(moods) >= 8, moods
    for mood in moods:
        beds = [s for s in music if s.mood == mood]
        # several tempos and keys per mood
        assert len({s.tempo for s in beds}) >= 3 and len({s.key for s in beds}) >= 3, mood
    for s in music:
        assert s.tempo and s.key
    for s in specs:
        assert s.description and len(s.tags) >= 4, s.id
    # same seed, same sound: a rebuilt library is identical
    spec = next(s for s in specs if s.id == "foley_keys_jingle")
    assert np.array_equal(synth.render(spec), synth.render(spec))


def test_search_over_the_full_catalogue(tmp_path: Path):
    # Search needs only the manifest, so the whole catalogue is checked without rendering it.
    assets = [
        SoundAsset(id=s.id, path=f"{s.category}/{s.id}.flac", category=s.category, description=s.description,
                   tags=list(s.tags), mood=s.mood, duration=10.0, license=GENERATED_LICENSE, provenance=s.provenance())
        for s in synth.default_specs()
    ]
    (tmp_path / "manifest.json").write_text(json.dumps({"assets": [a.model_dump() for a in assets]}))
    lib = SoundLibrary(tmp_path)
    assert lib.search("rain on a window at night")[0][0].id == "amb_rain_window"
    assert lib.search("tense suspense score")[0][0].id.startswith("music_tense")
    assert lib.search("footsteps on a wooden floor")[0][0].id.startswith("foley_footsteps_wood")
    assert lib.search("rowing a boat with oars")[0][0].id.startswith("foley_oars")
    assert lib.search("a bottle dropped into the sea")[0][0].id in ("foley_splash_small", "foley_bottle_blow")
    assert lib.search("seagulls over the harbour")[0][0].id.startswith("amb_seagulls")
    assert lib.search("the audience applauds")[0][0].id.startswith("sfx_applause")
    assert lib.search("birds singing in the woods at dawn")[0][0].id == "amb_forest_morning"
    assert lib.search("sad piano", category="music")[0][0].mood == "melancholy"
    assert lib.search("a huge explosion")[0][0].id.startswith("sfx_explosion")


def _tiny_catalogue(monkeypatch, ids=("foley_keys_jingle", "sfx_whoosh_fast")):
    chosen = [s for s in synth.default_specs() if s.id in ids]
    monkeypatch.setattr(synth, "default_specs", lambda: list(chosen))
    return chosen


def test_default_builds_once_and_reuses(tmp_path: Path, monkeypatch):
    _tiny_catalogue(monkeypatch)
    root = tmp_path / "sounds"
    messages: list[str] = []
    lib = default_library(root, progress=messages.append)
    assert len(lib) == 2 and is_complete_default(lib)
    assert any("2/2" in m for m in messages)
    stamp = (root / "manifest.json").stat().st_mtime_ns
    again = default_library(root, progress=messages.append)
    assert (root / "manifest.json").stat().st_mtime_ns == stamp and len(again) == 2
    # a missing file makes the library incomplete, and it is rebuilt
    (root / lib.get("sfx_whoosh_fast").path).unlink()
    rebuilt = default_library(root)
    assert rebuilt.asset_path(rebuilt.get("sfx_whoosh_fast")).exists()


def test_default_root_comes_from_the_environment(tmp_path: Path, monkeypatch):
    _tiny_catalogue(monkeypatch, ids=("sfx_whoosh_fast",))
    monkeypatch.setenv("FILMCREW_SOUNDS_DIR", str(tmp_path / "from_env"))
    lib = default_library()
    assert lib.root == tmp_path / "from_env" and (tmp_path / "from_env" / "manifest.json").exists()


def test_an_interrupted_build_is_never_trusted(tmp_path: Path, monkeypatch):
    _tiny_catalogue(monkeypatch)
    real_render = synth.render

    def crash(spec):
        if spec.id == "sfx_whoosh_fast":
            raise KeyboardInterrupt
        return real_render(spec)

    monkeypatch.setattr(synth, "render", crash)
    root = tmp_path / "sounds"
    with pytest.raises(KeyboardInterrupt):
        default_library(root)
    assert not root.exists()
    assert list(tmp_path.iterdir()) == []  # no half-built folder left behind either
    monkeypatch.setattr(synth, "render", real_render)
    assert is_complete_default(default_library(root))


def test_a_subset_build_does_not_pass_for_the_default(library: SoundLibrary):
    assert not is_complete_default(library)


def test_import_folder_measures_tags_and_skips_unreadable(tmp_path: Path, monkeypatch):
    src = tmp_path / "my_sounds"
    (src / "doors").mkdir(parents=True)
    t = np.arange(48000 * 2) / 48000
    sf.write(src / "doors" / "creaky_door.wav", 0.3 * np.sin(2 * np.pi * 300 * t), 48000)
    sf.write(src / "harbour_ambience.flac", 0.05 * np.random.default_rng(1).standard_normal((44100 * 20, 2)), 44100)
    (src / "broken.wav").write_bytes(b"RIFF....not really a wave file")
    (src / "README.txt").write_text("notes")
    (tmp_path / "tags.csv").write_text(
        "file,category,description,tags,license,attribution\n"
        "harbour_ambience.flac,ambience,Seagulls and ropes in a harbour,harbour;sea;gulls,CC-BY-SA-3.0,Jane Doe\n"
    )
    lib = SoundLibrary(tmp_path / "lib")
    added, skipped = import_folder(lib, src, tmp_path / "tags.csv")
    assert len(added) == 2
    assert [name for name, _ in skipped] == ["broken.wav"]
    harbour = next(a for a in added if "harbour" in a.id)
    assert harbour.category == "ambience" and harbour.tags == ["harbour", "sea", "gulls"]
    assert harbour.license == "CC-BY-SA-3.0" and harbour.attribution == "Jane Doe"
    assert harbour.sample_rate == 44100 and harbour.channels == 2 and abs(harbour.duration - 20.0) < 1e-3
    # white noise at -26 dBFS RMS per channel: two channels and K-weighting put it near -20 LUFS
    assert harbour.loudness_lufs is not None and -21.5 < harbour.loudness_lufs < -18.5
    door = next(a for a in added if "door" in a.id)
    assert door.category == "foley" and "door" in door.tags
    assert lib.asset_path(door).exists() and lib.asset_path(door).is_relative_to(lib.root)
    assert SoundLibrary(tmp_path / "lib").search("gulls at the harbour")[0][0].id == harbour.id

    # a rebuild of the default library keeps what the user imported
    _tiny_catalogue(monkeypatch, ids=("sfx_whoosh_fast",))
    rebuilt = default_library(tmp_path / "lib")
    assert {a.id for a in rebuilt.assets} >= {harbour.id, door.id, "sfx_whoosh_fast"}
    assert rebuilt.asset_path(rebuilt.get(harbour.id)).exists()
