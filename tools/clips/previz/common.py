"""Types and small pure helpers that every part of the previz renderer shares.

Colours and world rectangles, seeded randomness (the same words always give
the same picture), colour arithmetic, the easing curve and point geometry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

Color = tuple[int, int, int]
Rect = tuple[float, float, float, float]


def _seed(*parts: Any) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def _rng(*parts: Any) -> np.random.Generator:
    return np.random.default_rng(_seed(*parts))


def _mix(a: Sequence[float], b: Sequence[float], t: float) -> Color:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def _shade(c: Sequence[float], k: float) -> Color:
    return tuple(int(max(0, min(255, round(x * k)))) for x in c)  # type: ignore[return-value]


def _smooth(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3 - 2 * u)


def _homography_apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.c_[pts, np.ones(len(pts))] @ m.T
    return p[:, :2] / p[:, 2:3]


def _bbox(pts: np.ndarray) -> Rect:
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())
