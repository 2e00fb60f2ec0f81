"""Vectorised decoding of the AIS position reports that make up most of a feed: types 1, 2
and 3 (class A) and 18 (class B), single-sentence, 168 bits.

pyais decodes one message at a time (about 70,000 a second on one core); ``ais-nmea`` must
ingest 50,000 a second with line handling, checks and the insert on top, so these messages
are decoded together: the six-bit armouring of N payloads unpacked at once with numpy and
each field cut out by shifts. Field positions are ITU-R M.1371-5's; scalings are pyais' own,
so the results are bit-identical to pyais (latitude and longitude rounded to 1e-6 degree
with pyais' integer formula). ``tests/sources/test_ais_nmea.py`` checks every field against
pyais on every real sample. Everything else (other types, other lengths) goes to pyais.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

PAYLOAD_CHARS = 28
"""168 bits: the length of every type 1, 2, 3 and 18 payload."""

HOT_FIRST = frozenset(b"123B")
"""First payload characters of the hot types ('1'..'3' are types 1-3, 'B' is 18)."""

Ints = npt.NDArray[np.int64]

# (start bit, width, signed) per field, by layout; ITU-R M.1371-5 tables 45 and 49
_CLASS_A = {
    "status": (38, 4, False),
    "speed": (50, 10, False),
    "lon": (61, 28, True),
    "lat": (89, 27, True),
    "course": (116, 12, False),
    "heading": (128, 9, False),
    "second": (137, 6, False),
}
_CLASS_B = {
    "speed": (46, 10, False),
    "lon": (57, 28, True),
    "lat": (85, 27, True),
    "course": (112, 12, False),
    "heading": (124, 9, False),
    "second": (133, 6, False),
}


def sixbit(payloads: Sequence[bytes]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The six-bit values (n x 28) of n payloads of 28 characters, and which payloads use
    only the armouring alphabet ('0'..'W', '`'..'w'); the others are garbage."""
    n = len(payloads)
    chars = np.frombuffer(b"".join(payloads), dtype=np.uint8).reshape(n, PAYLOAD_CHARS)
    alphabet = ((chars >= 48) & (chars <= 87)) | ((chars >= 96) & (chars <= 119))
    valid = np.asarray(alphabet.all(axis=1), dtype=np.bool_)
    values = chars.astype(np.int64) - 48
    values -= np.where(values > 40, 8, 0)
    return np.asarray(values & 63, dtype=np.int64), valid


def _field(values: Ints, start: int, width: int, signed: bool) -> Ints:
    first, last = start // 6, (start + width - 1) // 6
    acc = np.zeros(values.shape[0], dtype=np.int64)
    for column in range(first, last + 1):
        acc = (acc << 6) | values[:, column]
    acc = (acc >> ((last - first + 1) * 6 - (start - first * 6) - width)) & ((1 << width) - 1)
    if signed:
        acc = np.where(acc >= 1 << (width - 1), acc - (1 << width), acc)
    return acc


def _degrees(raw: Ints) -> npt.NDArray[np.float64]:
    """pyais' ``to_lat_lon``: round(raw / 600000, 6) computed exactly as (10 raw + 3) // 6
    millionths (numpy's integer floor division floors like Python's)."""
    result: npt.NDArray[np.float64] = ((10 * raw + 3) // 6) / 1e6
    return result


def decode(payloads: Sequence[bytes]) -> dict[str, npt.NDArray[Any]]:
    """Decode n hot payloads (see ``HOT_FIRST``; each 28 characters) into columns named and
    scaled as pyais names them: ``msg_type``, ``mmsi``, ``status`` (-1 for type 18, which
    has none), ``speed`` and ``course`` (tenths as floats), ``lon``, ``lat``, ``heading``,
    ``second``, plus ``valid`` (False for a payload outside the armouring alphabet; its
    other values are meaningless)."""
    values, valid = sixbit(payloads)
    msg_type = values[:, 0]
    mmsi = _field(values, 8, 30, False)
    class_b = msg_type == 18
    out: dict[str, npt.NDArray[Any]] = {"msg_type": msg_type, "mmsi": mmsi}
    for name in ("speed", "lon", "lat", "course", "heading", "second"):
        a = _field(values, *_CLASS_A[name])
        b = _field(values, *_CLASS_B[name])
        out[name] = np.where(class_b, b, a)
    out["status"] = np.where(class_b, -1, _field(values, *_CLASS_A["status"]))
    out["speed"] = out["speed"] / 10.0
    out["course"] = out["course"] / 10.0
    out["lon"] = _degrees(out["lon"].astype(np.int64))
    out["lat"] = _degrees(out["lat"].astype(np.int64))
    out["valid"] = valid
    return out
