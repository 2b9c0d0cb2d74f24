"""Props and creatures placed in the scene: icons standing on the ground, held, or flying.

A `_Thing` lives in world units like a figure, on the character layer, so it
moves with the people in a tracking shot and is matted like them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageChops

from .common import Rect
from .dressing import _shaded


@dataclass
class _Thing:
    name: str  # the script's word for it
    icon: str
    x: float  # centre, world units
    base: float  # world y of its bottom edge (the ground it stands on, or the hand holding it)
    height: float  # world units
    creature: bool = False
    flip: bool = False
    aspect: float = 1.0  # width / height of the trimmed icon
    behind: bool = False  # drawn behind the people (a ladder they climb), not in front
    travel: float = 0.0  # world x it moves by over a handover (0: it stays put)

    def bbox(self) -> Rect:
        w = self.height * self.aspect
        return self.x - w / 2, self.base - self.height, self.x + w / 2, self.base


def _paint_thing(rgb: Image.Image, mask: Image.Image, thing: _Thing, region: Rect, r: float, light: float) -> bool:
    """Paste `thing` into the layer; True when some of it is inside."""
    x0, y0, _, _ = region
    px = int(round(thing.height * r))
    if px < 3:
        return False
    color, alpha = _shaded(thing.icon, px, round(light, 2), 0.0, (0, 0, 0), thing.flip)
    bx0, by0, _, _ = thing.bbox()
    left, top = int(math.floor((bx0 - x0) * r)), int(math.floor((by0 - y0) * r))
    if left >= rgb.width or top >= rgb.height or left + color.width <= 0 or top + color.height <= 0:
        return False
    rgb.paste(color, (left, top), alpha)
    box = (left, top, left + color.width, top + color.height)
    mask.paste(ImageChops.lighter(mask.crop(box), alpha), (left, top))
    return True
