"""The previz renderer: real H.264 clips in which the camera language is visible.

Every check measures decoded pixels (or the file itself), at 320x180 so the
whole module runs in seconds; nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from filmcrew.errors import FilmcrewError
from filmcrew.memory.models import ReferenceImage, Shot
from filmcrew.tools.clips import previz
from filmcrew.tools.clips.base import clip_input_hash
from filmcrew.tools.clips.previz import PrevizRenderer, render_previz, resolve_look
from filmcrew.tools.media import count_frames, ffmpeg_exe, probe

W, H = 320, 180
SIZE = (W, H)


# -- helpers -------------------------------------------------------------------


def make_shot(**kw) -> Shot:
    base = dict(id="S1", block_id="B1", shot_size="wide", movement="static", angle="eye_level",
                action="Maya waits by the harbour wall.", characters=["Maya"], duration=1.0)
    base.update(kw)
    return Shot(**base)


def render(tmp_path: Path, name: str, shot: Shot, refs=(), duration: float = 1.0, clean: bool = True, **kw):
    """Render without caption and slate unless asked, so pixels measure the picture."""
    out = tmp_path / f"{name}.mp4"
    kw.setdefault("caption", not clean)
    kw.setdefault("slate", not clean)
    asset = render_previz(shot, list(refs), duration, SIZE, out, **kw)
    return asset, decode(out)


def decode(path: Path) -> np.ndarray:
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)


def red_area(frame: np.ndarray) -> float:
    """Fraction of the frame covered by the red test character."""
    f = frame.astype(np.int16)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    return float(((r > 110) & (r - g > 60) & (r - b > 60)).mean())


def luma(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def crossings(profile: np.ndarray) -> int:
    """Zero crossings of a detrended 1-D profile: twice the number of stripes."""
    k = 15
    trend = np.convolve(np.pad(profile, k, mode="edge"), np.ones(2 * k + 1) / (2 * k + 1), mode="same")[k:-k]
    sign = np.sign(profile - trend)
    sign = sign[sign != 0]
    return int((np.diff(sign) != 0).sum())


def best_shift(a: np.ndarray, b: np.ndarray, max_shift: int, min_overlap: int = 60) -> int:
    """The shift s maximising the correlation of a[x] with b[x + s]."""
    best, best_s = -2.0, 0
    for s in range(-max_shift, max_shift + 1):
        lo, hi = max(0, -s), min(len(a), len(b) - s)
        if hi - lo < min_overlap:
            continue
        x, y = a[lo:hi], b[lo + s : hi + s]
        x, y = x - x.mean(), y - y.mean()
        denom = float(np.sqrt((x * x).sum() * (y * y).sum())) or 1.0
        c = float((x * y).sum()) / denom
        if c > best:
            best, best_s = c, s
    return best_s


@pytest.fixture
def red_character(tmp_path: Path) -> ReferenceImage:
    img = Image.new("RGB", (200, 300), (220, 30, 30))
    path = tmp_path / "maya.png"
    img.save(path)
    return ReferenceImage(name="Maya", kind="character", path=str(path))


@pytest.fixture
def stripes(tmp_path: Path) -> ReferenceImage:
    """Regular vertical stripes, twice as wide as the frame: a scale gauge."""
    x = np.arange(1280)
    col = np.where((x // 10) % 2 == 0, 230, 40).astype(np.uint8)
    arr = np.empty((360, 1280, 3), np.uint8)
    arr[..., 0], arr[..., 1], arr[..., 2] = col, col, np.maximum(col, 90)
    path = tmp_path / "stripes.png"
    Image.fromarray(arr).save(path)
    return ReferenceImage(name="pier", kind="location", path=str(path))


def random_bars(rng: np.random.Generator, length: int) -> np.ndarray:
    values: list[int] = []
    while len(values) < length:
        values += [int(rng.integers(30, 230))] * int(rng.integers(6, 40))
    return np.array(values[:length], np.uint8)


@pytest.fixture
def barcode(tmp_path: Path) -> ReferenceImage:
    """Bars of random widths, in green across and in blue down: any shift has one best match."""
    rng = np.random.default_rng(7)
    arr = np.zeros((720, 1280, 3), np.uint8)
    arr[..., 1] = random_bars(rng, 1280)[None, :]
    arr[..., 2] = random_bars(rng, 720)[:, None]
    path = tmp_path / "barcode.png"
    Image.fromarray(arr).save(path)
    return ReferenceImage(name="market", kind="location", path=str(path))


@pytest.fixture
def horizon(tmp_path: Path) -> ReferenceImage:
    arr = np.full((360, 640, 3), 235, np.uint8)
    arr[180:] = 25
    path = tmp_path / "horizon.png"
    Image.fromarray(arr).save(path)
    return ReferenceImage(name="plain", kind="location", path=str(path))


# -- the file ------------------------------------------------------------------


def test_clip_is_h264_with_the_exact_frame_count(tmp_path: Path):
    shot = make_shot()
    out = tmp_path / "clip.mp4"
    asset = render_previz(shot, [], 1.0, SIZE, out)
    info = probe(out)
    assert info.video_codec == "h264" and info.audio_codec is None
    assert (info.width, info.height) == SIZE
    assert count_frames(out) == 24 == asset.frames
    assert asset.duration == pytest.approx(1.0) and asset.fps == 24
    # a duration that is not a whole number of frames rounds to the nearest frame
    odd = render_previz(shot, [], 0.52, SIZE, tmp_path / "odd.mp4", fps=25)
    assert count_frames(tmp_path / "odd.mp4") == round(0.52 * 25) == odd.frames


async def test_generate_returns_a_clip_asset_with_camera_and_events(tmp_path: Path):
    shot = make_shot(movement="whip_pan", shot_size="medium", lens="50mm", characters=["Maya", "Tom"],
                     action="Maya turns; behind her the door slams.")
    look = {"time_of_day": "dusk"}
    asset = await PrevizRenderer().generate(shot, [], 2.0, SIZE, tmp_path / "c.mp4", fps=24, look=look)
    assert asset.provider == "previz" and asset.shot_id == "S1" and asset.block_id == "B1"
    assert asset.input_hash == clip_input_hash("previz", shot, [], 2.0, SIZE, 24, look)
    assert asset.metadata["camera"] == {"size": "medium", "movement": "whip_pan", "angle": "eye_level", "lens": "50mm"}
    events = asset.metadata["events"]
    assert events[0] == {"t": 0.0, "kind": "shot_start", "description": events[0]["description"]}
    assert [e["t"] for e in events] == sorted(e["t"] for e in events)
    assert all(0.0 <= e["t"] <= 2.0 for e in events)
    kinds = {e["kind"]: e["t"] for e in events}
    assert kinds["whip_pan_start"] < kinds["whip_pan_end"] <= kinds["door_slam"]
    assert asset.metadata["look"]["time_of_day"] == "dusk"
    assert Path(asset.path).exists()


def test_same_inputs_give_the_same_clip(tmp_path: Path):
    shot = make_shot(movement="handheld", lighting="rain at night", action="Maya runs; thunder rolls.")
    a = render_previz(shot, [], 1.0, SIZE, tmp_path / "a.mp4")
    b = render_previz(shot, [], 1.0, SIZE, tmp_path / "b.mp4")
    assert np.array_equal(decode(tmp_path / "a.mp4"), decode(tmp_path / "b.mp4"))
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()
    assert a.metadata == b.metadata and a.input_hash == b.input_hash


# -- framing -----------------------------------------------------------------


def test_shot_size_sets_the_subject_scale_with_a_reference(tmp_path: Path, red_character, stripes):
    areas = {}
    for size in ("extreme_wide", "wide", "full", "medium", "close_up"):
        _, frames = render(tmp_path, size, make_shot(shot_size=size), [red_character, stripes], duration=0.25)
        areas[size] = red_area(frames[0])
    values = list(areas.values())
    assert all(b > a * 1.3 for a, b in zip(values, values[1:])), areas
    assert areas["extreme_wide"] > 0.001 and areas["close_up"] > 0.3


def test_shot_size_sets_the_scale_of_a_procedural_character(tmp_path: Path):
    """Without references a stand-in is drawn; its footprint is what differs
    from the same shot rendered with nobody in it."""
    covered = {}
    for size in ("wide", "medium", "close_up"):
        _, with_maya = render(tmp_path, f"{size}-m", make_shot(shot_size=size), duration=0.25)
        _, empty = render(tmp_path, f"{size}-e", make_shot(shot_size=size, characters=[]), duration=0.25)
        diff = np.abs(with_maya[0].astype(int) - empty[0].astype(int)).max(axis=2)
        covered[size] = float((diff > 40).mean())
    assert covered["wide"] * 3 < covered["medium"] < covered["close_up"], covered


def test_a_character_reference_matches_by_name_ignoring_case(tmp_path: Path, red_character):
    ref = red_character.model_copy(update={"name": "MAYA"})
    shot = make_shot(characters=["maya", "Tom"], shot_size="full")
    asset, frames = render(tmp_path, "ci", shot, [ref], duration=0.25)
    assert red_area(frames[0]) > 0.02
    sources = {c["name"]: c["source"] for c in asset.metadata["characters"]}
    assert sources == {"maya": "reference", "Tom": "procedural"}


def test_a_location_reference_becomes_the_background(tmp_path: Path):
    path = tmp_path / "meadow.png"
    Image.new("RGB", (400, 240), (40, 200, 60)).save(path)
    loc = ReferenceImage(name="meadow", kind="location", path=str(path))
    _, with_ref = render(tmp_path, "loc", make_shot(characters=[]), [loc], duration=0.25)
    _, without = render(tmp_path, "noloc", make_shot(characters=[]), duration=0.25)
    r, g, b = with_ref[0][40:140, 60:260].reshape(-1, 3).mean(axis=0)
    assert g > r + 80 and g > b + 80
    r2, g2, b2 = without[0][40:140, 60:260].reshape(-1, 3).mean(axis=0)
    assert not (g2 > r2 + 80 and g2 > b2 + 80)


# -- movement ------------------------------------------------------------------


def test_static_holds_and_rain_still_falls(tmp_path: Path):
    _, still = render(tmp_path, "still", make_shot(characters=[]), duration=0.5)
    # identical input frames; only the encoder's requantisation differs
    assert np.abs(still[0].astype(int) - still[-1].astype(int)).mean() < 0.5
    _, rain = render(tmp_path, "rain", make_shot(characters=[], lighting="heavy rain"), duration=0.5)
    assert np.abs(rain[3].astype(int) - rain[4].astype(int)).mean() > 1.0


def test_pan_moves_the_picture_sideways_and_tilt_moves_it_up(tmp_path: Path, barcode):
    def across(frame: np.ndarray) -> np.ndarray:
        return frame[20:160, :, 1].astype(np.float32).mean(axis=0)

    def down(frame: np.ndarray) -> np.ndarray:
        return frame[:, 60:260, 2].astype(np.float32).mean(axis=1)

    pan_right = make_shot(movement="pan", characters=[], action="The camera pans right.")
    _, pan = render(tmp_path, "pan", pan_right, [barcode])
    assert -0.65 * W < best_shift(across(pan[0]), across(pan[-1]), int(W * 0.7)) < -0.35 * W  # the picture slides left
    assert abs(best_shift(down(pan[0]), down(pan[-1]), 20, min_overlap=100)) <= 2

    _, tilt = render(tmp_path, "tilt", make_shot(movement="tilt", characters=[]), [barcode])
    # tilting up slides the picture down
    assert best_shift(down(tilt[0]), down(tilt[-1]), int(H * 0.6), min_overlap=50) > 0.25 * H
    assert abs(best_shift(across(tilt[0]), across(tilt[-1]), 20, min_overlap=200)) <= 2


def test_dolly_in_and_zoom_in_grow_the_subject_differently(tmp_path: Path, red_character, stripes):
    """Both push in on the subject; only the zoom magnifies the background as much."""
    growth, bg = {}, {}
    for move in ("zoom_in", "dolly_in", "dolly_out", "dolly_zoom"):
        _, frames = render(tmp_path, move, make_shot(movement=move), [red_character, stripes])
        growth[move] = red_area(frames[-1]) / red_area(frames[0])
        # above the subject: stripes per frame width, first frame over last = background magnification
        bg[move] = crossings(luma(frames[0])[5:45].mean(axis=0)) / crossings(luma(frames[-1])[5:45].mean(axis=0))
    assert growth["zoom_in"] > 1.8 and growth["dolly_in"] > 1.8
    assert growth["dolly_out"] < 0.6
    assert 0.85 < growth["dolly_zoom"] < 1.15
    assert bg["zoom_in"] > 1.35
    assert 0.97 < bg["dolly_in"] < 1.25
    assert bg["dolly_zoom"] > 1.4


def test_truck_slides_the_subject_more_than_the_background(tmp_path: Path, red_character, barcode):
    truck_right = make_shot(movement="truck", action="Camera trucks right.")
    _, frames = render(tmp_path, "truck", truck_right, [red_character, barcode])

    def red_x(frame: np.ndarray) -> float:
        f = frame.astype(np.int16)
        mask = (f[..., 0] - f[..., 1] > 60) & (f[..., 0] - f[..., 2] > 60)
        return float(np.nonzero(mask)[1].mean())

    subject_shift = red_x(frames[-1]) - red_x(frames[0])
    bg_shift = best_shift(luma(frames[0])[5:40].mean(axis=0), luma(frames[-1])[5:40].mean(axis=0), W // 2)
    assert subject_shift < -0.3 * W
    assert -0.25 * W < bg_shift < -2


def test_tracking_brings_the_subject_in_and_follows_it(tmp_path: Path, red_character, barcode):
    asset, frames = render(tmp_path, "track", make_shot(movement="tracking", action="Maya walks along the quay."),
                           [red_character, barcode], duration=2.0)
    assert red_area(frames[0]) == 0.0
    assert red_area(frames[-1]) > 0.01
    enters = [e["t"] for e in asset.metadata["events"] if e["kind"] == "subject_enters"]
    assert enters and 0.0 < enters[0] < 1.0
    # once followed, the subject holds its place while the background keeps moving
    n = len(frames)
    assert abs(red_area(frames[-1]) - red_area(frames[n - 8])) < 0.01
    assert np.abs(luma(frames[-1])[5:30] - luma(frames[n - 8])[5:30]).mean() > 5


def test_whip_pan_smears_the_picture_between_two_holds(tmp_path: Path, barcode):
    asset, frames = render(tmp_path, "whip", make_shot(movement="whip_pan", characters=[]), [barcode], duration=2.0)
    ev = {e["kind"]: e["t"] for e in asset.metadata["events"]}
    mid = int(round((ev["whip_pan_start"] + ev["whip_pan_end"]) / 2 * 24))

    def detail(frame: np.ndarray) -> float:
        return float(np.abs(np.diff(luma(frame)[10:120], axis=1)).mean())

    assert detail(frames[mid]) < 0.5 * detail(frames[0])
    assert detail(frames[-1]) > 0.7 * detail(frames[0])


def test_handheld_shakes(tmp_path: Path, barcode):
    asset, frames = render(tmp_path, "hand", make_shot(movement="handheld", characters=[]), [barcode], duration=2.0)
    first = luma(frames[0])[20:80].mean(axis=0)
    shifts = [best_shift(first, luma(f)[20:80].mean(axis=0), 20, 200) for f in frames[::4]]
    assert len(set(shifts)) >= 3
    assert any(e["kind"] == "camera_jolt" for e in asset.metadata["events"])


# -- angle ---------------------------------------------------------------------


def horizon_angle(frame: np.ndarray) -> float:
    y = luma(frame)
    cols = [int(W * 0.2), int(W * 0.8)]
    rows = [int(np.argmax(y[:, c - 2 : c + 3].mean(axis=1) < 128)) for c in cols]
    return float(np.degrees(np.arctan2(rows[1] - rows[0], cols[1] - cols[0])))


def test_dutch_rolls_the_horizon(tmp_path: Path, horizon):
    asset, dutch = render(tmp_path, "dutch", make_shot(angle="dutch", characters=[]), [horizon], duration=0.25)
    _, level = render(tmp_path, "level", make_shot(characters=[]), [horizon], duration=0.25)
    assert 9 < abs(horizon_angle(dutch[0])) < 17
    assert abs(horizon_angle(level[0])) < 1.5
    assert abs(asset.metadata["dutch_roll_degrees"]) == pytest.approx(13.0)


def test_low_and_high_angles_converge_the_verticals(tmp_path: Path, stripes):
    def top_vs_bottom(angle: str) -> float:
        _, frames = render(tmp_path, angle, make_shot(angle=angle, characters=[]), [stripes], duration=0.25)
        y = luma(frames[0])
        return crossings(y[5:25].mean(axis=0)) / crossings(y[150:170].mean(axis=0))

    # low: the world narrows toward the top, so more stripes fit across the top rows
    assert top_vs_bottom("low") > 1.15
    assert top_vs_bottom("high") < 0.87
    assert 0.93 < top_vs_bottom("eye_level") < 1.07


def test_over_the_shoulder_puts_a_dark_shoulder_in_a_bottom_corner(tmp_path: Path, stripes):
    two = dict(shot_size="medium", characters=["Maya", "Tom"])
    asset, ots = render(tmp_path, "ots", make_shot(angle="over_the_shoulder", **two), [stripes], duration=0.25)
    _, plain = render(tmp_path, "plain", make_shot(**two), [stripes], duration=0.25)
    drop = [luma(plain[0])[120:, x0:x1].mean() - luma(ots[0])[120:, x0:x1].mean() for x0, x1 in ((0, 80), (240, 320))]
    assert max(drop) > 40
    # we look past Tom at Maya
    assert {"name": "Tom", "source": "foreground shoulder"} in asset.metadata["characters"]


def test_overhead_looks_down_on_the_ground(tmp_path: Path):
    _, eye = render(tmp_path, "eye", make_shot(characters=[]), duration=0.25)
    _, top = render(tmp_path, "top", make_shot(angle="overhead", characters=[]), duration=0.25)

    def sky_vs_ground(frame: np.ndarray) -> float:
        return float(np.abs(frame[10:40].reshape(-1, 3).mean(0) - frame[140:170].reshape(-1, 3).mean(0)).sum())

    assert sky_vs_ground(eye[0]) > 60 and sky_vs_ground(top[0]) < 30


# -- atmosphere ----------------------------------------------------------------


def test_time_of_day_and_grade_change_the_picture(tmp_path: Path):
    def mean_rgb(name: str, **kw) -> np.ndarray:
        _, frames = render(tmp_path, name, make_shot(characters=[]), duration=0.25, **kw)
        return frames[0].reshape(-1, 3).mean(axis=0)

    day = mean_rgb("day", look={"time_of_day": "day"})
    night = mean_rgb("night", look={"time_of_day": "night"})
    golden = mean_rgb("golden", look={"time_of_day": "golden_hour"})
    warm = mean_rgb("warm", look={"time_of_day": "day", "temperature": 1.0})
    grey = mean_rgb("grey", look={"time_of_day": "day", "saturation": 0.0})
    assert night.mean() < 0.5 * day.mean()
    assert golden[0] / golden[2] > 1.3 * day[0] / day[2]
    assert warm[0] / warm[2] > 1.2 * day[0] / day[2]
    assert np.ptp(grey) < 6


def test_look_comes_from_the_shot_words_unless_given():
    shot = make_shot(lighting="low-key, moonlight through the rain", action="Maya waits.")
    look = resolve_look(shot)
    assert (look.time_of_day, look.weather) == ("night", "rain")
    assert look.contrast > 1.0 and look.temperature < 0
    given = resolve_look(shot, {"time_of_day": "golden_hour", "weather": "fog", "saturation": 0.5})
    assert (given.time_of_day, given.weather) == ("golden_hour", "fog")
    assert given.saturation < resolve_look(shot, {"time_of_day": "golden_hour", "weather": "fog"}).saturation
    assert resolve_look(make_shot(action="Snow falls on the square at dawn.")).weather == "snow"
    with pytest.raises(ValueError, match="time_of_day"):
        resolve_look(shot, {"time_of_day": "teatime"})


def test_actions_become_sync_events(tmp_path: Path):
    shot = make_shot(action="Lightning splits the sky, thunder follows; Maya falls against the door.",
                     lighting="storm")
    asset = render_previz(shot, [], 3.0, (64, 36), tmp_path / "ev.mp4")
    kinds = [e["kind"] for e in asset.metadata["events"]]
    assert {"shot_start", "lightning", "thunder", "impact", "door"} <= set(kinds)
    times = {e["kind"]: e["t"] for e in asset.metadata["events"]}
    assert times["lightning"] < times["thunder"]
    assert times["thunder"] < times["impact"]


# -- failure -------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_no_partial_file_when_ffmpeg_fails(tmp_path: Path, monkeypatch):
    fake = tmp_path / "fake-ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Unknown encoder libx264' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(previz, "ffmpeg_exe", lambda: str(fake))
    out_dir = tmp_path / "clips"
    with pytest.raises(FilmcrewError, match="Unknown encoder"):
        render_previz(make_shot(), [], 1.0, SIZE, out_dir / "s1.mp4")
    assert leftovers(out_dir) == []


def test_no_partial_file_when_rendering_fails_midway(tmp_path: Path, monkeypatch):
    real = previz._Clip.frame

    def flaky(self, i):
        if i == 10:
            raise RuntimeError("disk on fire")
        return real(self, i)

    monkeypatch.setattr(previz._Clip, "frame", flaky)
    out_dir = tmp_path / "clips"
    with pytest.raises(RuntimeError, match="disk on fire"):
        render_previz(make_shot(movement="pan"), [], 1.0, SIZE, out_dir / "s1.mp4")
    assert leftovers(out_dir) == []


def test_a_cancelled_render_leaves_nothing(tmp_path: Path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(FilmcrewError):
        render_previz(make_shot(), [], 1.0, SIZE, tmp_path / "clips" / "s1.mp4", cancel=cancel)
    assert leftovers(tmp_path / "clips") == []


@pytest.mark.parametrize("resolution", [(321, 180), (8, 8)])
def test_resolutions_h264_cannot_take_are_refused(tmp_path: Path, resolution):
    with pytest.raises(ValueError, match="resolution"):
        render_previz(make_shot(), [], 1.0, resolution, tmp_path / "x.mp4")
