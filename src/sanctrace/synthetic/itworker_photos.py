"""Synthetic profile photos for the IT-worker population: each picture is a seeded pattern of
blocks (distinct pictures are far apart in pHash), and each variant of a picture is the same
picture resized and brightened, as a reused photo re-uploaded elsewhere would be (close in
pHash, different in bytes)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image


def picture_image(seed: int, picture: int, variant: int) -> Image:
    from PIL import Image as PILImage
    from PIL import ImageEnhance

    rng = random.Random(f"{seed}:{picture}")
    small = PILImage.new("L", (8, 8))
    small.putdata([rng.randrange(256) for _ in range(64)])
    size = 64 + 16 * variant
    image = small.resize((size, size), PILImage.Resampling.BILINEAR)
    if variant:
        image = ImageEnhance.Brightness(image).enhance(1.0 + 0.05 * variant)
    return image


def picture_hash(seed: int, picture: int, variant: int) -> str:
    """The pHash that ``itw-profiles`` computes for the picture's file."""
    import imagehash

    return str(imagehash.phash(picture_image(seed, picture, variant)))
