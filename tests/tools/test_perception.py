"""Perception on clips synthesised with known events: a cut, a flash, motion, black frames, sounds.

Timecode tolerance: picture events within one frame (1/24 s); sound onsets within 30 ms.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from filmcrew.errors import InputError
from filmcrew.tools import perception
from filmcrew.tools.perception import blockiness, classify_windows, noise_sigma, perceive, sharpness

from filmeval.media import FPS, clicks, texture, tone, write_video

FRAME = 1 / FPS


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FILMCREW_CACHE_DIR", str(tmp_path / "cache"))


def test_cut_at_a_known_frame_is_found_and_splits_shots(tmp_path: Path):
    a, b = texture(1), texture(2)
    clip = write_video(tmp_path / "cut.mp4", [a] * 36 + [b] * 36)
    p = perceive(clip)
    cuts = [e.time for e in p.events_of("cut")]
    assert len(cuts) == 1 and abs(cuts[0] - 36 * FRAME) <= FRAME
    assert [round(s.start, 3) for s in p.shots] == [0.0, round(cuts[0], 3)]
    assert not p.events_of("flash")


def test_flash_is_a_flash_not_a_cut(tmp_path: Path):
    base = texture(4)
    bright = np.clip(base.astype(int) + 140, 0, 255).astype(np.uint8)
    frames = [base] * 20 + [bright] * 3 + [base] * 25
    p = perceive(write_video(tmp_path / "flash.mp4", frames))
    flashes = p.events_of("flash")
    assert len(flashes) == 1 and abs(flashes[0].time - 20 * FRAME) <= FRAME
    assert not p.events_of("cut")
    assert len(p.shots) == 1


def test_motion_starting_at_a_known_time_and_its_direction(tmp_path: Path):
    big = np.concatenate([texture(5), texture(6), texture(7)], axis=1)  # wide plate to pan over
    frames = [big[:, 0:192].copy() for _ in range(24)]  # one second still
    frames += [big[:, 3 * k: 3 * k + 192].copy() for k in range(1, 40)]  # then a steady pan, 3 px per frame
    p = perceive(write_video(tmp_path / "pan.mp4", frames))
    starts = p.events_of("motion_start")
    assert starts and abs(starts[0].time - 24 * FRAME) <= 2 * FRAME
    assert not p.events_of("cut")
    assert p.shots[0].movement == "pan"
    still = perceive(write_video(tmp_path / "still.mp4", [texture(5)] * 48))
    assert still.shots[0].movement == "static"
    assert still.events_of("frozen") and still.shots[0].frozen_share > 0.9


def test_black_frames_and_exposure(tmp_path: Path):
    black = np.zeros_like(texture(8))
    frames = [black] * 12 + [texture(8)] * 36
    p = perceive(write_video(tmp_path / "black.mp4", frames))
    spans = p.events_of("black")
    assert spans and spans[0].time == 0.0 and abs(spans[0].end - 12 * FRAME) <= FRAME


def test_picture_quality_measures_move_with_degradation():
    import cv2

    img = cv2.cvtColor(texture(9, 640, 360), cv2.COLOR_BGR2GRAY)
    blurred = cv2.GaussianBlur(img, (0, 0), 3)
    noisy = np.clip(img + np.random.default_rng(1).normal(0, 12, img.shape), 0, 255).astype(np.uint8)
    assert sharpness(blurred) < 0.5 * sharpness(img)
    assert noise_sigma(noisy) > noise_sigma(img) + 4
    ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 3])
    assert blockiness(cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE)) > blockiness(img) + 0.2


def test_sound_onsets_loudness_and_silence(tmp_path: Path):
    times = [0.5, 1.2, 2.0, 2.6]
    audio = clicks(times, 3.0)
    p = perceive(write_video(tmp_path / "clicks.mp4", [texture(10)] * 72, audio=audio))
    found = p.audio.onsets
    for t in times:
        assert min(abs(t - f) for f in found) <= 0.03, (t, found)
    assert p.audio.present and p.audio.integrated_lufs is not None
    assert len(p.audio.onset_envelope) == pytest.approx(300, abs=5)
    quiet = perceive(write_video(tmp_path / "quiet.mp4", [texture(10)] * 48, audio=np.zeros(2 * 48000)))
    assert quiet.audio.integrated_lufs is None and quiet.audio.silence_share == 1.0 and not quiet.audio.onsets
    mute = perceive(write_video(tmp_path / "mute.mp4", [texture(10)] * 24))
    assert mute.audio.present is False


def test_clipping_is_measured(tmp_path: Path):
    loud = np.clip(tone([220], 2.0, amp=3.0), -1, 1)
    p = perceive(write_video(tmp_path / "clip.mp4", [texture(11)] * 48, audio=loud))
    assert p.audio.clipping_share > 0.01 and p.events_of("clipping")


def test_speech_music_and_noise_are_told_apart():
    rate = 16000
    t = np.arange(int(4 * rate)) / rate
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.1, len(t))
    music = 0.1 * (np.sin(2 * np.pi * 262 * t) + np.sin(2 * np.pi * 330 * t) + np.sin(2 * np.pi * 392 * t))
    # Voiced harmonics in syllables of ~0.2 s at 4 per second, with pauses: speech's rhythm.
    voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    syllables = (np.sin(2 * np.pi * 4 * t) > 0.2).astype(float)
    speech = 0.1 * voice * syllables
    assert {c for _, c, _ in classify_windows(noise, rate)} == {"noise"}
    assert {c for _, c, _ in classify_windows(music, rate)} == {"music"}
    labels = [c for _, c, _ in classify_windows(speech, rate)]
    assert labels.count("speech") >= len(labels) - 1


def test_results_are_cached_by_content(tmp_path: Path, monkeypatch):
    clip = write_video(tmp_path / "c.mp4", [texture(12)] * 24)
    first = perceive(clip)
    assert list((tmp_path / "cache" / "perception").glob(f"{first.digest}-v*.json"))

    def boom(*a, **k):
        raise AssertionError("measured again")

    monkeypatch.setattr(perception.core, "analyse_video", boom)
    again = perceive(clip)
    assert again == first
    copy = tmp_path / "moved.mp4"
    copy.write_bytes(clip.read_bytes())
    assert perceive(copy).path == str(copy)  # same content, same measures, new path


def test_unreadable_files_are_input_errors(tmp_path: Path):
    bad = tmp_path / "film.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42 this is not a film" * 20)
    with pytest.raises(InputError):
        perceive(bad)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        perceive(empty)
    with pytest.raises(InputError, match="does not exist"):
        perceive(tmp_path / "missing.mp4")
