"""Watch the picture: every frame once, through OpenCV.

Frames are decoded once at their native size. Cheap measures (luma, frame
difference, optical flow at 160 px wide, hue-saturation histograms) are taken
on every frame, so a cut or a flash is found at its exact frame; costlier ones
(sharpness, noise, blockiness, faces, people) on a sample, because they change
slowly within a shot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from filmcrew.errors import InputError
from filmcrew.tools.perception.models import PerceptionEvent, ShotMeasures, VideoMeasures

__all__ = ["analyse_video", "VideoAnalysis", "sharpness", "noise_sigma", "blockiness", "colourfulness", "appearance_signature"]

FLOW_WIDTH = 160  # optical flow is about where things move, not detail; small is enough and fast
DETAIL_WIDTH = 640  # sharpness and noise are measured at one width so films of any size compare
DETAIL_EVERY = 3  # frames between detail measures
FACE_FPS = 2.0  # face/person detector samples per second


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian: high for crisp edges, falls with blur."""
    import cv2

    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def noise_sigma(gray: np.ndarray) -> float:
    """Noise estimate (Immerkaer's operator) over the flattest half of the image.

    The operator cancels smooth gradients, so on flat areas what is left is
    noise; texture and edges are excluded by the gradient mask.
    """
    import cv2

    g = gray.astype(np.float64)
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float64)
    response = np.abs(cv2.filter2D(g, -1, kernel))[1:-1, 1:-1]
    grad = np.hypot(cv2.Sobel(g, cv2.CV_64F, 1, 0), cv2.Sobel(g, cv2.CV_64F, 0, 1))[1:-1, 1:-1]
    flat = grad <= np.percentile(grad, 50)
    if not flat.any():
        return 0.0
    return float(math.sqrt(math.pi / 2) * response[flat].mean() / 6.0)


def blockiness(gray: np.ndarray) -> float:
    """Mean luma step across the 8-pixel coding grid over the step elsewhere.

    Block-based codecs starved of bits leave edges on that grid; ~1.0 means
    no visible blocks. Measured at native size, where the grid is.
    """
    g = gray.astype(np.float64)
    dx = np.abs(np.diff(g, axis=1))
    dy = np.abs(np.diff(g, axis=0))
    cols = np.arange(dx.shape[1])
    rows = np.arange(dy.shape[0])
    on_x, on_y = (cols % 8) == 7, (rows % 8) == 7
    on = dx[:, on_x].mean() + dy[on_y, :].mean()
    off = dx[:, ~on_x].mean() + dy[~on_y, :].mean()
    return float(on / off) if off > 1e-6 else 1.0


def colourfulness(bgr: np.ndarray) -> float:
    b, g, r = (bgr[..., i].astype(np.float64) for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(math.hypot(rg.std(), yb.std()) + 0.3 * math.hypot(rg.mean(), yb.mean()))


def _hs_hist(bgr: np.ndarray) -> np.ndarray:
    import cv2

    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1], None, [12, 4], [0, 180, 0, 256]).ravel()
    total = hist.sum()
    return hist / total if total else hist


def _resize(img: np.ndarray, width: int) -> np.ndarray:
    import cv2

    h, w = img.shape[:2]
    if w <= width:
        return img
    return cv2.resize(img, (width, max(2, round(h * width / w))), interpolation=cv2.INTER_AREA)


def _dominant(bgr: np.ndarray, k: int = 4) -> list[str]:
    import cv2

    pixels = _resize(bgr, 64).reshape(-1, 3).astype(np.float32)
    k = min(k, len(pixels))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(7)  # the same film gives the same palette
    _, labels, centres = cv2.kmeans(pixels, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k)
    order = np.argsort(-counts)
    return ["#{:02x}{:02x}{:02x}".format(*(int(c) for c in centres[i][::-1])) for i in order]


@dataclass
class _Detectors:
    face: object
    people: object

    @classmethod
    def load(cls) -> "_Detectors":
        import cv2

        face = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"))
        hog = cv2.HOGDescriptor()
        hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        return cls(face=face, people=hog)

    def faces(self, gray: np.ndarray) -> list[tuple[int, int, int, int]]:
        h = gray.shape[0]
        found = self.face.detectMultiScale(gray, scaleFactor=1.15, minNeighbors=5, minSize=(max(12, h // 20),) * 2)
        return [tuple(int(v) for v in f) for f in found] if len(found) else []

    def people_found(self, bgr: np.ndarray) -> bool:
        img = _resize(bgr, 320)
        if img.shape[0] < 128 or img.shape[1] < 64:
            return False
        rects, weights = self.people.detectMultiScale(img, winStride=(8, 8), padding=(8, 8), scale=1.1)
        return bool(len(rects)) and float(np.max(weights)) > 0.5


@dataclass
class _Frame:
    """What is kept of one frame after it is decoded."""

    luma: float
    luma_std: float
    diff: float
    hist: np.ndarray
    motion: float = 0.0
    flow_dx: float = 0.0
    flow_dy: float = 0.0
    flow_div: float = 0.0
    flow_spread: float = 0.0
    detail: tuple[float, float, float] | None = None  # sharpness, noise, blockiness
    faces: list[tuple[int, int, int, int]] | None = None
    face_hist: np.ndarray | None = None
    person: bool | None = None
    centre_hist: np.ndarray | None = None
    colour: float = 0.0
    thumb: np.ndarray | None = None


@dataclass
class VideoAnalysis:
    measures: VideoMeasures
    shots: list[ShotMeasures]
    events: list[PerceptionEvent]


def _read_frames(path: Path, detectors: _Detectors | None) -> tuple[list[_Frame], float, int, int]:
    import cv2

    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise InputError(f"cannot open the video in {path}: the file is damaged or not a video")
    fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
    if not (1.0 <= fps <= 240.0):
        fps = 24.0
    frames: list[_Frame] = []
    prev_small = prev_flow_gray = None
    width = height = 0
    face_every = max(1, round(fps / FACE_FPS))
    try:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            height, width = bgr.shape[:2]
            gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            small = _resize(gray, FLOW_WIDTH)
            diff = float(np.abs(small.astype(np.int16) - prev_small).mean()) if prev_small is not None else 0.0
            fr = _Frame(luma=float(gray.mean()), luma_std=float(gray.std()), diff=diff, hist=_hs_hist(_resize(bgr, FLOW_WIDTH)))
            if prev_flow_gray is not None:
                flow = cv2.calcOpticalFlowFarneback(prev_flow_gray, small, None, 0.5, 3, 15, 3, 5, 1.2, 0)
                mag = np.hypot(flow[..., 0], flow[..., 1])
                fr.motion = float(mag.mean()) / small.shape[1]
                fr.flow_dx = float(flow[..., 0].mean()) / small.shape[1]
                fr.flow_dy = float(flow[..., 1].mean()) / small.shape[1]
                # Zoom shows as flow pointing away from (or towards) the centre.
                hh, ww = small.shape
                ys, xs = np.mgrid[0:hh, 0:ww]
                rx, ry = xs - ww / 2, ys - hh / 2
                norm = np.hypot(rx, ry) + 1e-6
                fr.flow_div = float(((flow[..., 0] * rx + flow[..., 1] * ry) / norm).mean()) / small.shape[1]
                fr.flow_spread = float(mag.std()) / small.shape[1]
            n = len(frames)
            if n % DETAIL_EVERY == 0:
                detail = _resize(gray, DETAIL_WIDTH)
                fr.detail = (sharpness(detail), noise_sigma(detail), blockiness(gray))
                h, w = bgr.shape[:2]
                centre = bgr[h // 4: 3 * h // 4, w // 4: 3 * w // 4]
                fr.centre_hist = _hs_hist(centre)
                fr.colour = colourfulness(_resize(bgr, FLOW_WIDTH))
                fr.thumb = _resize(bgr, 64)
            if detectors is not None and n % face_every == 0:
                det_gray = _resize(gray, 480)
                scale = gray.shape[1] / det_gray.shape[1]
                faces = detectors.faces(det_gray)
                fr.faces = [tuple(int(v * scale) for v in f) for f in faces]
                if fr.faces:
                    x, y, fw, fh = max(fr.faces, key=lambda f: f[3])
                    fr.face_hist = _hs_hist(bgr[y:y + fh, x:x + fw])
                if n % (face_every * 2) == 0:
                    fr.person = detectors.people_found(bgr)
            frames.append(fr)
            prev_small = small.astype(np.int16)
            prev_flow_gray = small
    finally:
        cap.release()
    if not frames:
        raise InputError(f"no picture could be decoded from {path}: the file is damaged or has no video stream")
    return frames, fps, width, height


def _hist_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Total-variation distance between two normalised histograms, 0..1."""
    return float(0.5 * np.abs(a - b).sum())


FLASH_MAX_S = 0.4  # lightning, a camera flash, a muzzle flash: the picture is back within this


def _find_flashes(frames: list[_Frame], fps: float) -> list[tuple[int, int]]:
    """(first, last) frames of each flash: luma jumps up and comes back, so it is not a cut."""
    back = max(2, round(fps * FLASH_MAX_S))
    found: list[tuple[int, int]] = []
    for i in range(1, len(frames)):
        before = frames[i - 1].luma
        if frames[i].luma - before < 35 or (found and i <= found[-1][1]):
            continue
        for k in range(i + 1, min(len(frames), i + 1 + back)):
            if abs(frames[k].luma - before) < 15 and _hist_distance(frames[k].hist, frames[i - 1].hist) < 0.3:
                found.append((i, k))
                break
    return found


def _find_cuts(frames: list[_Frame], flashes: list[tuple[int, int]], fps: float) -> list[int]:
    """Frames that start a new shot.

    A cut is a spike in frame difference (pixels or colour) far above its
    neighbours that persists: the frames after it still differ from the frame
    before it. Flash frames are excluded, since the picture comes back.
    """
    n = len(frames)
    hist_d = np.array([0.0] + [_hist_distance(frames[i - 1].hist, frames[i].hist) for i in range(1, n)])
    pix_d = np.array([f.diff for f in frames])
    flash_zone = set()
    for first, last in flashes:
        flash_zone.update(range(first, last + 2))
    cuts: list[int] = []
    min_gap = max(2, round(fps * 0.25))
    for i in range(1, n):
        if i in flash_zone:
            continue
        lo, hi = max(1, i - 6), min(n, i + 7)
        neigh = [j for j in range(lo, hi) if j != i]
        if not neigh:
            continue
        pix_base = float(np.median(pix_d[neigh]))
        hist_base = float(np.median(hist_d[neigh]))
        pix_spike = pix_d[i] > max(12.0, 3.5 * pix_base + 4.0)
        hist_spike = hist_d[i] > max(0.25, 3.0 * hist_base + 0.1)
        if not (pix_spike or hist_spike):
            continue
        # Persistence: two frames on, the picture still differs from before the cut.
        j = min(n - 1, i + 2)
        if j > i:
            persist_hist = _hist_distance(frames[i - 1].hist, frames[j].hist)
            if persist_hist < 0.5 * hist_d[i] and abs(frames[j].luma - frames[i - 1].luma) < 0.5 * abs(frames[i].luma - frames[i - 1].luma) and not pix_spike:
                continue
        if cuts and i - cuts[-1] < min_gap:
            continue
        cuts.append(i)
    return cuts


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, v in enumerate(list(mask) + [False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if i - start >= min_len:
                runs.append((start, i))
            start = None
    return runs


def _movement(fs: list[_Frame]) -> str:
    moving = [f for f in fs if f.motion > 0]
    if not moving:
        return "static"
    speed = float(np.mean([f.motion for f in moving]))
    if speed < 0.001:
        return "static"
    dx = abs(float(np.mean([f.flow_dx for f in moving])))
    dy = abs(float(np.mean([f.flow_dy for f in moving])))
    div = abs(float(np.mean([f.flow_div for f in moving])))
    # Direction that flips frame to frame (a shaking camera) averages out; speed does not.
    steady = max(dx, dy, div)
    if steady < 0.35 * speed:
        return "handheld"
    if div >= max(dx, dy):
        return "zoom"
    return "pan" if dx >= dy else "tilt"


def _shot(index: int, fs: list[_Frame], start: float, end: float, black: np.ndarray, frozen: np.ndarray,
          frame_height: int) -> ShotMeasures:
    details = [f.detail for f in fs if f.detail is not None]
    sampled = [f for f in fs if f.faces is not None]
    with_face = [f for f in sampled if f.faces]
    people = [f.person for f in fs if f.person is not None]
    centre = [f.centre_hist for f in fs if f.centre_hist is not None]
    face_h = max((max(b[3] for b in f.faces) for f in with_face), default=0)
    return ShotMeasures(
        index=index,
        start=round(start, 4),
        end=round(end, 4),
        mean_luma=float(np.mean([f.luma for f in fs])),
        sharpness=float(np.median([d[0] for d in details])) if details else 0.0,
        noise=float(np.median([d[1] for d in details])) if details else 0.0,
        blockiness=float(np.median([d[2] for d in details])) if details else 1.0,
        motion=float(np.mean([f.motion for f in fs])),
        movement=_movement(fs),  # type: ignore[arg-type]
        colourfulness=float(np.mean([f.colour for f in fs if f.centre_hist is not None] or [0.0])),
        colour_signature=[round(float(v), 5) for v in np.mean(centre, axis=0)] if centre else [],
        face_share=len(with_face) / len(sampled) if sampled else 0.0,
        face_height=face_h / frame_height if frame_height else 0.0,
        face_signature=[round(float(v), 5) for v in np.mean([f.face_hist for f in with_face], axis=0)] if with_face else [],
        people_share=float(np.mean(people)) if people else 0.0,
        black_share=float(black.mean()) if len(black) else 0.0,
        frozen_share=float(frozen.mean()) if len(frozen) else 0.0,
    )


def analyse_video(path: str | Path, *, detect_people: bool = True) -> VideoAnalysis:
    """Measure the picture of `path`: shots, per-frame series and timecoded events."""
    path = Path(path)
    detectors = _Detectors.load() if detect_people else None
    frames, fps, width, height = _read_frames(path, detectors)
    n = len(frames)
    times = [i / fps for i in range(n)]
    flashes = _find_flashes(frames, fps)
    cuts = _find_cuts(frames, flashes, fps)
    luma = np.array([f.luma for f in frames])
    std = np.array([f.luma_std for f in frames])
    diff = np.array([f.diff for f in frames])
    motion = np.array([f.motion for f in frames])
    black = (luma < 16) & (std < 10)
    # Frozen: no pixel moves for the run (a still held on screen), black excluded.
    still = (diff < 0.15) & ~black
    still[0] = False
    frozen = np.zeros(n, dtype=bool)
    for a, b in _runs(still, max(2, round(fps))):
        frozen[a - 1 if a else a:b] = True

    events: list[PerceptionEvent] = []
    for i in cuts:
        events.append(PerceptionEvent(kind="cut", time=round(times[i], 4), strength=round(float(diff[i]), 3),
                                      detail="mean luma change at the cut, 0-255"))
    for i, k in flashes:
        events.append(PerceptionEvent(kind="flash", time=round(times[i], 4), end=round(times[k], 4),
                                      strength=round(float(luma[i:k].max() - luma[i - 1]), 2), detail="luma rise, 0-255"))
    for a, b in _runs(black, 2):
        events.append(PerceptionEvent(kind="black", time=round(times[a], 4), end=round(b / fps, 4), detail="frames with luma < 16"))
    for a, b in _runs(frozen, 2):
        events.append(PerceptionEvent(kind="frozen", time=round(times[a], 4), end=round(b / fps, 4), detail="no pixel changes"))
    # Exposure change: a sustained luma shift over half a second with no cut or flash inside.
    half = max(2, round(fps / 2))
    boundaries = set(cuts) | {j for a, b in flashes for j in range(a, b + half + 2)}
    last = -10 * half
    for i in range(half, n):
        if any(j in boundaries for j in range(i - half + 1, i + 1)):
            continue
        delta = luma[i] - luma[i - half]
        if abs(delta) > 30 and i - last > half:
            events.append(PerceptionEvent(kind="exposure_change", time=round(times[i - half], 4), end=round(times[i], 4),
                                          strength=round(float(delta), 2), detail="luma change over the span, 0-255"))
            last = i
    # Motion: starts (after half a second of stillness) and peaks (local maxima well above the film's median).
    cut_set = set(cuts)
    moving = motion > 0.01
    quiet_run = 0
    for i in range(1, n):
        if i in cut_set:
            quiet_run = 0
            continue
        if moving[i] and quiet_run >= half:
            events.append(PerceptionEvent(kind="motion_start", time=round(times[i], 4), strength=round(float(motion[i]), 5),
                                          detail="optical-flow speed, frame widths per frame"))
        quiet_run = 0 if moving[i] else quiet_run + 1
    if n > 4:
        from scipy.signal import find_peaks

        base = float(np.median(motion[1:]))
        clean = motion.copy()
        for i in cuts:
            clean[max(0, i - 1): i + 2] = base  # a cut is not movement
        peaks, _ = find_peaks(clean, height=max(0.01, 3 * base), distance=max(1, round(fps / 2)))
        for i in peaks:
            events.append(PerceptionEvent(kind="motion_peak", time=round(times[i], 4), strength=round(float(clean[i]), 5),
                                          detail="optical-flow speed, frame widths per frame"))

    # Flicker: typical luma jitter frame to frame. The median ignores the few cuts and flashes
    # of a real film, so only jitter that runs through the picture counts.
    second = np.abs(np.diff(luma, 2)) if n > 2 else np.zeros(0)
    flicker = float(np.median(second)) if len(second) else 0.0
    jerks = 0
    counted = 0
    for i in range(2, n - 2):
        if any(abs(i - c) <= 2 for c in cuts):
            continue
        counted += 1
        neighbours = max(motion[i - 2], motion[i + 2], 0.002)
        if motion[i] > 3 * neighbours:
            jerks += 1
    jerk = jerks / counted if counted else 0.0

    bounds = [0] + cuts + [n]
    shots = []
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        if b <= a:
            continue
        shot = _shot(k, frames[a:b], a / fps, b / fps, black[a:b], frozen[a:b], height)
        thumbs = [f.thumb for f in frames[a:b] if f.thumb is not None]
        shot.shot_size = "close" if shot.face_height > 0.3 else "medium" if shot.face_height > 0.12 else (
            "wide" if shot.face_share == 0 and shot.people_share > 0 else "unknown")
        shot.dominant_colours = _dominant(thumbs[len(thumbs) // 2]) if thumbs else []
        shots.append(shot)

    measures = VideoMeasures(
        width=width, height=height, fps=fps, duration=n / fps, frames=n,
        times=[round(t, 4) for t in times],
        luma=[round(float(v), 3) for v in luma],
        sharpness=_held([f.detail[0] if f.detail else None for f in frames]),
        motion=[round(float(v), 6) for v in motion],
        diff=[round(float(v), 3) for v in diff],
        flicker=round(flicker, 4),
        jerk=round(jerk, 5),
    )
    events.sort(key=lambda e: (e.time, e.kind))
    return VideoAnalysis(measures=measures, shots=shots, events=events)


def _held(values: list[float | None]) -> list[float]:
    out, last = [], 0.0
    for v in values:
        last = v if v is not None else last
        out.append(round(float(last), 3))
    return out



def appearance_signature(image_path: str | Path) -> list[float]:
    """Hue-saturation signature of a still (a character's reference image): the
    largest face if OpenCV finds one, else the centre, as shots are measured."""
    import cv2

    bgr = cv2.imread(str(image_path))
    if bgr is None:
        raise InputError(f"cannot read image {image_path}")
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    faces = _Detectors.load().faces(gray)
    if faces:
        x, y, w, h = max(faces, key=lambda f: f[3])
        return [round(float(v), 5) for v in _hs_hist(bgr[y:y + h, x:x + w])]
    h, w = bgr.shape[:2]
    return [round(float(v), 5) for v in _hs_hist(bgr[h // 4: 3 * h // 4, w // 4: 3 * w // 4])]
