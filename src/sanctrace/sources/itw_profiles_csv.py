"""``itw-profiles``: contractor and HR profiles, one row per profile (a worker may have several:
one per platform, resume or HR record).

Columns: ``worker_id``, ``name`` (required); ``profile_id``, ``platform``, ``email``,
``phone``, ``nationality``, ``location``, ``education``, ``work_history``, ``photo`` (an image
file, relative to the CSV's folder), ``photo_hash`` (a precomputed pHash), ``document_hash``,
``accounts`` (platform account ids, ``;``-separated), ``shipping_address``.

A photo file is hashed with imagehash's perceptual hash (pHash), so a reused profile photo is
found even re-encoded or resized. Files are read only inside the CSV's own folder: a path that
leads out of it (``..``, an absolute path, a link) is refused, as is an image too large to
decode safely.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from sanctrace.sources.base import Parsed, Progress, Row
from sanctrace.sources.itw_common import parse_rows, required_text, text
from sanctrace.sources.values import parse_country

REQUIRED: Final = ("worker_id", "name")
OPTIONAL: Final = (
    "profile_id",
    "platform",
    "email",
    "phone",
    "nationality",
    "location",
    "education",
    "work_history",
    "photo",
    "photo_hash",
    "document_hash",
    "accounts",
    "shipping_address",
)
MAX_PHOTO_BYTES: Final = 20 * 1024 * 1024
MAX_PHOTO_PIXELS: Final = 40_000_000  # Pillow's own bomb limit is ~89 Mpx; profile photos are small
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HEX = re.compile(r"^[0-9a-f]{8,128}$")
_PHASH = re.compile(r"^[0-9a-f]{16}$")


class ItwProfilesCsv:
    name = "itw-profiles"
    version = "1"
    description = "contractor/HR profiles: worker_id, name, email, nationality, photo, ..."

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        folder = path.resolve().parent

        def convert(row: Row) -> Row:
            email = text(row, "email")
            if email is not None:
                email = email.lower()
                if not _EMAIL.match(email):
                    raise ValueError(f"email {email!r} is not an email address")
            photo_hash = text(row, "photo_hash")
            if photo_hash is not None:
                photo_hash = photo_hash.lower()
                if not _PHASH.match(photo_hash):
                    raise ValueError(f"photo_hash {photo_hash!r} is not 16 hex digits (pHash)")
            photo = text(row, "photo")
            if photo is not None:
                computed = photo_phash(folder, photo)
                if photo_hash is not None and photo_hash != computed:
                    raise ValueError(
                        f"photo_hash {photo_hash} disagrees with {photo!r} (pHash {computed})"
                    )
                photo_hash = computed
            document_hash = text(row, "document_hash")
            if document_hash is not None:
                document_hash = document_hash.lower()
                if not _HEX.match(document_hash):
                    raise ValueError(f"document_hash {document_hash!r} is not a hex digest")
            accounts = sorted(
                {a.strip() for a in re.split(r"[;|]", row.get("accounts", ""))} - {""}
            )
            return {
                "worker_id": required_text(row, "worker_id"),
                "profile_id": text(row, "profile_id"),
                "platform": text(row, "platform"),
                "name": required_text(row, "name"),
                "email": email,
                "phone": text(row, "phone"),
                "nationality": parse_country(row.get("nationality", "")),
                "location": text(row, "location"),
                "education": text(row, "education"),
                "work_history": text(row, "work_history"),
                "photo_hash": photo_hash,
                "document_hash": document_hash,
                "accounts": ";".join(accounts) or None,
                "shipping_address": text(row, "shipping_address"),
            }

        return parse_rows(path, REQUIRED, OPTIONAL, "itw_profile", convert, progress)


def photo_phash(folder: Path, relative: str) -> str:
    """The pHash of the image at ``relative`` inside ``folder`` (16 hex digits); a
    ``ValueError`` for a path outside the folder, a missing, huge or unreadable image."""
    import imagehash  # Pillow and numpy: only when a photo is given
    from PIL import Image

    try:
        target = (folder / relative).resolve()
        if not target.is_relative_to(folder):
            raise ValueError(f"photo {relative!r} is outside the CSV's folder; it is not read")
        if not target.is_file():
            raise ValueError(f"photo {relative!r}: no such file beside the CSV")
        size = target.stat().st_size
    except (OSError, RuntimeError) as exc:  # a name too long, a link loop, no permission
        raise ValueError(f"photo {relative!r} cannot be read: {exc}") from None
    except ValueError as exc:
        if str(exc).startswith("photo "):
            raise
        raise ValueError(f"photo {relative!r} is not a usable path: {exc}") from None
    if size > MAX_PHOTO_BYTES:
        raise ValueError(f"photo {relative!r} is over {MAX_PHOTO_BYTES // 2**20} MiB")
    try:
        image = Image.open(target)
    except Exception as exc:  # Pillow raises many types for damaged images: all "unreadable"
        raise ValueError(f"photo {relative!r} is not a readable image ({exc})") from None
    with image:
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise ValueError(f"photo {relative!r} is {image.width}x{image.height} pixels")
        try:
            image.load()
            return str(imagehash.phash(image))
        except Exception as exc:  # as above: a truncated or damaged image
            raise ValueError(f"photo {relative!r} is not a readable image ({exc})") from None
