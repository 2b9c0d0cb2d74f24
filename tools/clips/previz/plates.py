"""Plates and sprites: drawn once per clip, sampled once per frame.

`_rasterize` paints a region of the world through the camera's warp; a
`_Plate` holds the background raster and a `_Sprite` the subject layer, and
both hand out a frame-sized view of themselves for any camera position.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PIL import Image

from .common import Rect, _bbox, _homography_apply

_PLATE_PIXELS = 14_000_000  # beyond this a plate is drawn at a lower resolution


def _plate_resolution(region: Rect, zmax: float, cap: float) -> float:
    r = min(max(zmax, 0.25), cap)
    area = (region[2] - region[0]) * (region[3] - region[1])
    if area * r * r > _PLATE_PIXELS:
        r = math.sqrt(_PLATE_PIXELS / area)
    return r


def _rasterize(region: Rect, r: float, warp: np.ndarray | None, paint: Callable[[Rect, float], list[Image.Image]]
               ) -> list[Image.Image]:
    """Paint `region` (camera-aligned world units) at `r` px/unit, through the warp."""
    if warp is None:
        return paint(region, r)
    x0, y0, x1, y1 = region
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)
    sx0, sy0, sx1, sy1 = _bbox(_homography_apply(warp, corners))
    pad = 2.0 / r
    scene_region = (sx0 - pad, sy0 - pad, sx1 + pad, sy1 + pad)
    images = paint(scene_region, r)
    w, h = max(1, int(math.ceil((x1 - x0) * r))), max(1, int(math.ceil((y1 - y0) * r)))
    pix_to_cam = np.array([[1 / r, 0, x0], [0, 1 / r, y0], [0, 0, 1]])
    scene_to_pix = np.array([[r, 0, -scene_region[0] * r], [0, r, -scene_region[1] * r], [0, 0, 1]])
    m = scene_to_pix @ warp @ pix_to_cam
    m = m / m[2, 2]
    coeffs = tuple(float(v) for v in m.flatten()[:8])
    return [img.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC) for img in images]


class _Plate:
    """An RGB raster of a world region at `r` pixels per world unit.

    `softness` is how blurred the plate already is (world units): a plate that
    is soft on screen is sampled at half resolution, because its detail
    survives that and it halves the cost of the frame's largest step.
    """

    def __init__(self, image: Image.Image, x0: float, y0: float, r: float, softness: float = 0.0):
        self.image, self.x0, self.y0, self.r, self.softness = image, x0, y0, r, softness

    def _unscaled(self, bx: float, by: float, W: int, H: int) -> Image.Image:
        """1:1 sampling: a crop, plus a sub-pixel shift only along the axes that need one."""
        fx, fy = bx - math.floor(bx), by - math.floor(by)
        snap_x, snap_y = min(fx, 1 - fx) < 1e-4, min(fy, 1 - fy) < 1e-4
        ix = int(round(bx)) if snap_x else int(math.floor(bx))
        iy = int(round(by)) if snap_y else int(math.floor(by))
        pw, ph = self.image.size
        cw = W if snap_x else min(W + 1, pw - ix)
        ch = H if snap_y else min(H + 1, ph - iy)
        crop = self.image.crop((ix, iy, ix + cw, iy + ch))
        if snap_x and snap_y:
            return crop
        # Pillow skips the resampling pass of an axis whose box matches the image exactly
        box = (0.0 if snap_x else fx, 0.0 if snap_y else fy, W if snap_x else fx + W, H if snap_y else fy + H)
        return crop.resize((W, H), Image.Resampling.BILINEAR, box=box)

    def sample(self, ox: float, oy: float, z: float, size: tuple[int, int], blur: float = 0.0) -> Image.Image:
        W, H = size
        r = self.r
        bw, bh = W / z * r, H / z * r
        bx, by = (ox - self.x0) * r, (oy - self.y0) * r
        pw, ph = self.image.size
        # keep the box inside the plate by shifting, never by squashing
        bx = min(max(bx, 0.0), max(0.0, pw - bw))
        by = min(max(by, 0.0), max(0.0, ph - bh))
        box = (bx, by, min(pw, bx + bw), min(ph, by + bh))
        if blur <= 1.5 and abs(bw - W) < 1e-6 and abs(bh - H) < 1e-6 and bx + W <= pw and by + H <= ph:
            return self._unscaled(bx, by, W, H)
        if blur > 1.5:
            # a horizontal motion blur: averaging while shrinking, then stretching back
            small = max(8, int(round(W / blur)))
            smeared = self.image.resize((small, H), Image.Resampling.BILINEAR, box=box)
            return smeared.resize((W, H), Image.Resampling.BILINEAR)
        if self.softness * z >= 3.0:
            half = self.image.resize((W // 2, H // 2), Image.Resampling.BILINEAR, box=box)
            return half.resize((W, H), Image.Resampling.NEAREST)
        return self.image.resize((W, H), Image.Resampling.BILINEAR, box=box)


class _Sprite:
    """The subject layer: colour and matte per pose, placed in world units.

    Kept at up to two resolutions, so that a subject growing through a dolly
    is always scaled from the level nearest its size on screen (scaling down
    by a large factor costs more than the frame's other steps together).
    """

    def __init__(self, rgbs: list[Image.Image], masks: list[Image.Image], x0: float, y0: float, r: float,
                 zooms: np.ndarray):
        self.x0, self.y0 = x0, y0
        self.extent = (rgbs[0].width / r, rgbs[0].height / r)  # world units
        self.levels: list[tuple[float, list[Image.Image], list[Image.Image]]] = [(r, rgbs, masks)]
        zmin = float(zooms.min())
        if r / zmin > 1.15:
            f = max(zmin, r / 1.7) / r
            size = (max(1, int(round(rgbs[0].width * f))), max(1, int(round(rgbs[0].height * f))))
            small_rgbs = [im.resize(size, Image.Resampling.BOX) for im in rgbs]
            small_masks = [im.resize(size, Image.Resampling.BOX) for im in masks]
            self.levels.insert(0, (size[0] / self.extent[0], small_rgbs, small_masks))
        self.fixed_zoom = float(zooms[0]) if float(np.ptp(zooms)) < 1e-9 else None
        self.scaled: list[tuple[Image.Image, Image.Image]] = []
        if self.fixed_zoom is not None:
            # the subject never changes size: scale it once, then each frame is a plain paste
            size = (max(1, round(self.extent[0] * self.fixed_zoom)), max(1, round(self.extent[1] * self.fixed_zoom)))
            for rgb, mask in zip(rgbs, masks):
                if size != rgb.size:
                    rgb = rgb.resize(size, Image.Resampling.BILINEAR)
                    mask = mask.resize(size, Image.Resampling.BILINEAR)
                self.scaled.append((rgb, mask))

    def screen_rect(self, ox: float, oy: float, z: float, dx: float, dy: float) -> Rect:
        X0 = (self.x0 + dx - ox) * z
        Y0 = (self.y0 + dy - oy) * z
        return X0, Y0, X0 + self.extent[0] * z, Y0 + self.extent[1] * z

    def composite(self, frame: Image.Image, ox: float, oy: float, z: float, dx: float, dy: float, pose: int) -> None:
        W, H = frame.size
        X0, Y0, X1, Y1 = self.screen_rect(ox, oy, z, dx, dy)
        if self.scaled and abs(z - self.fixed_zoom) < 1e-9:  # type: ignore[operator]
            rgb, mask = self.scaled[pose]
            frame.paste(rgb, (int(round(X0)), int(round(Y0))), mask)
            return
        ix0, iy0 = max(0, int(math.floor(X0))), max(0, int(math.floor(Y0)))
        ix1, iy1 = min(W, int(math.ceil(X1))), min(H, int(math.ceil(Y1)))
        if ix1 <= ix0 or iy1 <= iy0:
            return
        # the smallest level that is not magnified by more than 10%
        r, rgbs, masks = next((lv for lv in self.levels if lv[0] >= z / 1.1), self.levels[-1])
        w, h = rgbs[pose].size
        k = r / z
        box = (max(0.0, (ix0 - X0) * k), max(0.0, (iy0 - Y0) * k), min(w, (ix1 - X0) * k), min(h, (iy1 - Y0) * k))
        size = (ix1 - ix0, iy1 - iy0)
        color = rgbs[pose].resize(size, Image.Resampling.BILINEAR, box=box)
        matte = masks[pose].resize(size, Image.Resampling.BILINEAR, box=box)
        frame.paste(color, (ix0, iy0), matte)
