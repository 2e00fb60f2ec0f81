"""The text layer of a PDF, page by page, through pypdf (pure Python, maintained, typed).

A PDF without a text layer (a scan) is refused with the fix (OCR it first) rather than read
as an empty document, and a broken one is refused with pypdf's reason.
"""

from __future__ import annotations

import io
import warnings

from sanctrace.errors import InputError

MAX_PAGES = 2_000


def pdf_to_text(data: bytes, name: str, max_pages: int = MAX_PAGES) -> str:
    """Pages' text joined by blank lines; ``InputError`` naming ``name`` if there is none."""
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            # pypdf warns about each repair it makes to a damaged file; it logs them as well
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(name, "the PDF is encrypted with a password; decrypt it first")
            count = len(reader.pages)
            if count > max_pages:
                raise InputError(name, f"the PDF has {count} pages, over the limit of {max_pages}")
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:
        # pypdf raises many types (PdfReadError, ValueError, KeyError, struct.error, ...) on
        # damaged input; for the user they all mean one thing: this file cannot be read
        raise InputError(name, f"broken PDF: {type(exc).__name__}: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(name, "the PDF has no text layer (a scan?); run OCR on it first")
    return text
