"""Reference images and the shots they belong to: the helpers every clip provider shares.

`validate_references` checks every image before anything is spent;
`references_for_block` picks the images all shots of a block share (the
characters it names and the one location matching its place);
`primary_reference` picks the single image an image-to-video provider starts
from; `fit_reference_image` crops and scales it to the clip's frame;
`names_match` is the one rule for matching an image's name to a character or
a place.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from filmcrew.errors import InputError
from filmcrew.inputs import os_error_reason
from filmcrew.memory.models import ReferenceImage, SceneBlock, Shot

__all__ = [
    "MAX_REFERENCE_PIXELS",
    "fit_reference_image",
    "names_match",
    "primary_reference",
    "references_for_block",
    "validate_references",
]


#: Largest reference image we open: 8K UHD is 33 million pixels. A PNG of a few
#: hundred KB can claim 20000x20000 (a "decompression bomb"); it is refused
#: from its header, before any pixel is decoded.
MAX_REFERENCE_PIXELS = 40_000_000


def validate_references(refs: Sequence[ReferenceImage]) -> None:
    """Raise `InputError` naming the first reference that is not a readable image.

    Runs before any generation: a paid provider must not render half a film
    and then trip over a typo in the last block's image path.
    """
    from PIL import Image, UnidentifiedImageError

    for ref in refs:
        path = Path(ref.path)
        label = f"reference image {ref.name!r} ({path})"
        try:
            exists, is_file = path.exists(), path.is_file()
        except OSError as exc:
            raise InputError(f"reference image {ref.name!r} cannot be used: {os_error_reason(exc)}") from None
        if not exists:
            raise InputError(f"{label} does not exist: fix the path in the brief or remove the reference")
        if not is_file:
            raise InputError(f"{label} is not a file: point the reference at an image file (PNG or JPEG)")
        try:
            with warnings.catch_warnings():
                # PIL only warns between its own limit and twice that; ours is explicit.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(path) as img:
                    width, height = img.size  # from the header; nothing decoded yet
                    if width * height > MAX_REFERENCE_PIXELS:
                        raise InputError(
                            f"{label} is {width}x{height} = {width * height / 1e6:.0f} million pixels, above the limit of "
                            f"{MAX_REFERENCE_PIXELS / 1e6:.0f} million pixels: scale it down (a reference needs no more than 4K)"
                        )
                    img.verify()
        except Image.DecompressionBombError as exc:
            raise InputError(f"{label} has too many pixels ({exc}); scale it down") from None
        except PermissionError:
            raise InputError(f"{label} cannot be read (permission denied): make the file readable") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(f"{label} is not a readable image ({reason}): replace it with a PNG or JPEG") from None


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def names_match(a: str, b: str) -> bool:
    """True when one name's words appear, in order, inside the other's.

    Word-level rather than character-level containment: "Mara" matches
    "Mara Quinn" and "lighthouse" matches "the old lighthouse", but "Ann"
    does not match "Joanna". Case and punctuation do not count. This is the
    one rule for matching a reference image to a character or a place.
    """
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def references_for_block(block: SceneBlock, refs: Sequence[ReferenceImage]) -> list[ReferenceImage]:
    """The references every shot of `block` shares: the characters it names
    (in the brief's order) and the one location image matching its place."""
    chosen: list[ReferenceImage] = []
    for ref in refs:
        if ref.kind == "character" and any(names_match(ref.name, name) for name in block.characters):
            chosen.append(ref)
    for ref in refs:
        if ref.kind == "location" and names_match(ref.name, block.location):
            chosen.append(ref)
            break
    return chosen


_WIDE_SIZES = {"extreme_wide", "wide", "full"}


def primary_reference(shot: Shot, refs: Sequence[ReferenceImage]) -> ReferenceImage | None:
    """The one reference a single-image provider should start from.

    Image-to-video models treat the image as the opening frame, so a wide
    shot starts from the location and a closer shot from the first character
    it shows; otherwise the first reference.
    """
    if not refs:
        return None
    locations = [r for r in refs if r.kind == "location"]
    characters = [r for r in refs if r.kind == "character"]
    if shot.shot_size in _WIDE_SIZES and locations:
        return locations[0]
    for name in shot.characters:
        for ref in characters:
            if names_match(ref.name, name):
                return ref
    return characters[0] if characters else refs[0]


def fit_reference_image(path: str | Path, size: tuple[int, int], *, fmt: str = "PNG") -> bytes:
    """The image cropped to the clip's aspect ratio and scaled to `size`.

    Providers want the start image in the output's shape (Sora rejects any
    other size); cropping the centre here keeps all providers framing alike.
    """
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        fitted = ImageOps.fit(img, size, method=Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if fmt.upper() in ("JPEG", "JPG"):
        fitted.save(buf, format="JPEG", quality=92)
    else:
        fitted.save(buf, format="PNG")
    return buf.getvalue()
