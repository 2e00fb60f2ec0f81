"""Runs of consecutive rows, and epoch seconds as UTC datetimes: shared by the detectors."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def runs(continues: npt.NDArray[np.bool_], n: int) -> tuple[Ints, Ints]:
    """(start, end) index pairs of maximal runs over ``n`` rows, where ``continues[i]``
    says that row i + 1 belongs to the same run as row i (length ``n - 1``)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    breaks = np.flatnonzero(~np.asarray(continues, dtype=bool)) + 1
    starts = np.concatenate(([0], breaks)).astype(np.int64)
    ends = np.concatenate((breaks, [n])).astype(np.int64)
    return starts, ends


def utc(seconds: int) -> datetime:
    """Epoch seconds as an aware UTC datetime (JSON: ``...+00:00``)."""
    return datetime.fromtimestamp(int(seconds), tz=UTC)
