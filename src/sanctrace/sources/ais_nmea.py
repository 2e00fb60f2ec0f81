"""``ais-nmea``: raw AIS as receivers log it, NMEA 0183 sentences ``!AIVDM`` / ``!AIVDO`` (any
talker: ``!BSVDM``, ``!SAVDM``, ...), one per line, decoded with pyais.

- Multipart messages (type 5 takes two sentences) are reassembled by sequence id, channel
  and tag-block source; a message whose fragments do not all arrive is quarantined
  ("truncated multipart").
- Time: each sentence's NMEA 4.0 tag block (``\\s:station,c:1617228000*hh\\!AIVDM,...``; ``c:``
  in Unix seconds, or milliseconds when it has 13 digits), else the Gatehouse ``$PGHP``
  header line just before the message. A position without either is quarantined ("no
  time"): the AIS message itself carries only the second of the minute, and guessing the
  rest would plant false tracks. Identity reports (types 5, 24) without a time are kept
  with a null ``ts``: what a vessel called itself is worth keeping even undated.
- Stored: positions from types 1, 2, 3, 18, 19 and 27 (``ais_position``); identity from
  5, 19 and 24 (``ais_static``: IMO, name, call sign, ship type, draught, destination; AIS'
  "not available" zeros and blanks become null). Other message types are quarantined as not
  stored; so are other NMEA sentences (``$GPGGA``), text that is not NMEA, bad checksums
  (sentence or tag block), bad fragment numbers and payloads pyais cannot decode.
- Every position then passes ``ais_common.check_positions`` (not available, out of range,
  duplicate, the same message relayed again within 30 s, time going backwards). Speed and
  course are stored as reported (null when AIS says not available); deriving them from
  positions is the track engine's work.
- Blank lines and lines starting with ``#`` are comments. ``rows_read`` counts the other
  lines; a multipart message is several lines and one row.

Speed: types 1, 2, 3 and 18 (most of any feed) are decoded together by ``ais_vector``
(numpy), the rest one by one by pyais; docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from sanctrace.errors import InputError
from sanctrace.sources import ais_vector
from sanctrace.sources.ais_common import (
    EARLIEST_US,
    LATEST_US,
    NO_TIME,
    arrow_table,
    check_positions,
    mmsi_text,
)
from sanctrace.sources.base import Parsed, Progress, Quarantined

BATCH = 1 << 16
"""Hot sentences decoded together (bounded memory on files of millions of lines)."""
PROGRESS_EVERY = 1 << 14

STORED_POSITIONS = frozenset({1, 2, 3, 18, 19, 27})
STORED_STATIC = frozenset({5, 19, 24})
MESSAGE_NAMES = {
    4: "base station report",
    6: "binary addressed message",
    7: "binary acknowledge",
    8: "binary broadcast message",
    9: "SAR aircraft position",
    10: "UTC and date inquiry",
    11: "UTC and date response",
    12: "addressed safety message",
    13: "safety acknowledge",
    14: "safety broadcast message",
    15: "interrogation",
    16: "assignment mode command",
    17: "DGNSS broadcast",
    20: "data link management",
    21: "aid-to-navigation report",
    22: "channel management",
    23: "group assignment command",
    25: "single slot binary message",
    26: "multiple slot binary message",
    28: "aid-to-navigation report (single slot)",
}


def xor_checksum(body: bytes) -> int:
    """NMEA's checksum: the XOR of every byte between the start mark and ``*``."""
    return functools.reduce(operator.xor, body, 0)


def _hex2(text: bytes) -> int | None:
    if len(text) != 2:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


def _tag_fields(body: bytes) -> tuple[int | None, bytes, bytes | None, str | None]:
    """``(time in microseconds, source, group id, error)`` from a tag block's fields
    (``s:station,c:1617228000,g:1-2-42``, the text before its ``*``); the checksum is
    checked by the caller (together with the sentences', vectorised)."""
    ts: int | None = None
    source = b""
    group: bytes | None = None
    for item in body.split(b","):
        key = item[:2]
        if key == b"c:":
            value = item[2:]
            if not value.isdigit() or len(value) > 16:
                return None, b"", None, f"tag-block time {item[:20]!r} is not a number"
            number = int(value)
            ts = number * 1000 if len(value) >= 13 else number * 1_000_000
            if not EARLIEST_US <= ts < LATEST_US:
                return (
                    None,
                    b"",
                    None,
                    (f"implausible tag-block time c:{number} (before 1990 or after 2100)"),
                )
        elif key == b"s:":
            source = item[2:]
        elif key == b"g:" and item.count(b"-") == 2:
            group = item.rsplit(b"-", 1)[1]
    return ts, source, group, None


def _sum_ok(body: bytes, text: bytes) -> bool:
    expected = _hex2(text)
    return expected is not None and expected == xor_checksum(body)


def _pghp(fields: list[bytes]) -> int | None:
    """The time of a Gatehouse ``$PGHP,1,yyyy,mm,dd,hh,mm,ss,ms,...`` header, or None."""
    try:
        y, mo, d, h, mi, s, ms = (int(f) for f in fields[2:9])
        seconds = int(datetime(y, mo, d, h, mi, s, tzinfo=UTC).timestamp())
        value = seconds * 1_000_000 + ms * 1000
    except (ValueError, TypeError, OverflowError):
        return None
    return value if EARLIEST_US <= value < LATEST_US and 0 <= ms < 1000 else None


@dataclass
class _Multipart:
    total: int
    first_line: int
    ts: int | None
    sentences: list[bytes] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class _Columns:
    """Position or identity columns gathered from pyais-decoded messages."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.data: dict[str, list[Any]] = {n: [] for n in names}

    def add(self, **values: Any) -> None:
        for name, column in self.data.items():
            column.append(values.get(name))


POSITION_COLUMNS = (
    "mmsi",
    "ts",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "nav_status",
    "msg_type",
    "line",
    "message",  # a hash of the payload, for relayed duplicates (not stored)
)
STATIC_COLUMNS = (
    "mmsi",
    "ts",
    "imo",
    "name",
    "call_sign",
    "ship_type",
    "draught",
    "destination",
    "line",
)


class AisNmea:
    name = "ais-nmea"
    version = "1"
    description = "raw AIS NMEA (!AIVDM/!AIVDO, multipart, tag-block or $PGHP times) via pyais"

    def parse(self, path: Path, progress: Progress | None = None) -> Parsed:
        return _Reader(path, progress).read()


class _Reader:
    def __init__(self, path: Path, progress: Progress | None) -> None:
        self.path = path
        self.progress = progress
        self.out = Parsed()
        self.pending_time: int | None = None  # from a $PGHP line, for the next message
        self.multipart: dict[tuple[bytes, bytes, bytes], _Multipart] = {}
        # hot sentences waiting for the vectorised decoder
        self.hot_lines: list[int] = []
        self.hot_payloads: list[bytes] = []
        self.hot_ts: list[int] = []
        self.hot_bodies: list[bytes] = []
        self.hot_sums: list[bytes] = []
        self.hot_tag_bodies: list[bytes] = []  # b"" for a sentence without a tag block
        self.hot_tag_sums: list[bytes] = []
        # decoded positions: numpy chunks from the hot path, lists from pyais
        self.chunks: list[dict[str, npt.NDArray[Any]]] = []
        self.cold = _Columns(POSITION_COLUMNS)
        self.static = _Columns(STATIC_COLUMNS)
        self.bad: list[tuple[int, str]] = []  # (line, reason); raw filled in at the end

    # -- the pass over the file ---------------------------------------------------------

    def read(self) -> Parsed:
        # The hot path, inline: a single-sentence type 1, 2, 3 or 18 report with at most a
        # plain tag block is queued for the vectorised decoder and checksums in a few
        # bytes operations; anything else (or anything odd) takes ``_line``, which checks
        # it in full. Both paths give the same result for the lines the hot path takes.
        hot_first = ais_vector.HOT_FIRST
        lines, payloads, times = self.hot_lines, self.hot_payloads, self.hot_ts
        bodies, sums = self.hot_bodies, self.hot_sums
        tag_bodies, tag_sums = self.hot_tag_bodies, self.hot_tag_sums
        progress, out = self.progress, self.out
        for number, line in self._lines():
            out.rows_read += 1
            if progress and out.rows_read % PROGRESS_EVERY == 0:
                progress(out.rows_read)
            sentence = line
            tag_body = tag_sum = b""
            ts: int | None = None
            if line[0] == 92:  # '\\': a tag block
                end = line.find(b"\\", 1)
                star = line.rfind(b"*", 0, end) if end > 0 else -1
                c = line.find(b"c:", 0, end)
                if star <= 0 or star + 1 == end or (c > 0 and line[c - 1] not in b"\\,"):
                    self._line(number, line)
                    continue
                tag_body, tag_sum, sentence = line[1:star], line[star + 1 : end], line[end + 1 :]
                if c > 0:
                    stop = line.find(b",", c, star)
                    value = line[c + 2 : star if stop < 0 else stop]
                    if len(value) != 10 or not value.isdigit():
                        self._line(number, line)
                        continue
                    ts = int(value) * 1_000_000
                    if not EARLIEST_US <= ts < LATEST_US:
                        self._line(number, line)
                        continue
            fields = sentence.split(b",")
            if (
                len(fields) != 7
                or fields[1] != b"1"
                or len(fields[5]) != 28
                or fields[5][0] not in hot_first
                or len(fields[6]) != 4
                or fields[6][:2] != b"0*"
                or sentence[0] != 33
                or sentence[3:6] not in (b"VDM", b"VDO")
            ):
                self._line(number, line)
                continue
            if ts is None:
                ts, self.pending_time = self.pending_time, None
            lines.append(number)
            payloads.append(fields[5])
            times.append(NO_TIME if ts is None else ts)
            bodies.append(sentence[1:-3])
            sums.append(fields[6][2:])
            tag_bodies.append(tag_body)
            tag_sums.append(tag_sum)
            if len(lines) >= BATCH:
                self._flush_hot()
        self._flush_hot()
        for part in self.multipart.values():
            self._truncated(part)
        self.multipart.clear()
        if self.progress:
            self.progress(self.out.rows_read)
        self._finish()
        return self.out

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        try:
            fh = self.path.open("rb")
        except OSError as exc:
            raise InputError(
                str(self.path), f"cannot read the file: {exc.strerror or exc}"
            ) from exc
        seen = False
        with fh:
            for number, raw in enumerate(fh, 1):
                line = raw.strip()
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:].strip()
                if not line or line[0] == 35:  # '#': a comment
                    continue
                seen = True
                yield number, line
        if not seen:
            raise InputError(
                str(self.path), "no NMEA sentences: the file is empty or only comments"
            )

    def _line(self, number: int, line: bytes) -> None:
        ts: int | None = None
        source = b""
        group: bytes | None = None
        tag_body = tag_sum = b""
        if line[0] == 92:  # '\': an NMEA 4.0 tag block
            end = line.find(b"\\", 1)
            star = line.rfind(b"*", 1, end)
            if end < 0 or star < 0 or star + 1 == end:
                self.bad.append((number, "tag block without its checksum or closing backslash"))
                return
            tag_body, tag_sum, line = line[1:star], line[star + 1 : end], line[end + 1 :]
            ts, source, group, error = _tag_fields(tag_body)
            if error:
                ok = _sum_ok(tag_body, tag_sum)
                self.bad.append((number, error if ok else "bad tag-block checksum"))
                return
        if line[:1] == b"$":
            if line.startswith(b"$PGHP,1,"):
                time = _pghp(line.split(b","))
                if time is None:
                    self.bad.append((number, "unreadable $PGHP time header"))
                else:
                    self.pending_time = time
                return
            name = line.split(b",", 1)[0][:12].decode("ascii", "replace")
            self.bad.append((number, f"not an AIS sentence ({name}); AIS is !xxVDM or !xxVDO"))
            return
        if line[:1] != b"!" or line[3:6] not in (b"VDM", b"VDO"):
            self.bad.append((number, "not an NMEA AIS sentence (!xxVDM or !xxVDO)"))
            return
        star = line.rfind(b"*")
        fields = line[:star].split(b",") if star > 0 else []
        if star < 0 or len(line) != star + 3:
            self.bad.append((number, "no checksum (*hh) at the end of the sentence"))
            return
        if len(fields) != 7:
            self.bad.append((number, f"{len(fields)} fields where an AIS sentence has 7"))
            return
        if ts is None:
            ts, self.pending_time = self.pending_time, None
        count, part, payload = fields[1], fields[2], fields[5]
        if not payload:
            self.bad.append((number, "empty payload"))
            return
        if (
            count == b"1"
            and len(payload) == 28
            and payload[0] in ais_vector.HOT_FIRST
            and fields[6] == b"0"
        ):
            self.hot_lines.append(number)
            self.hot_payloads.append(payload)
            self.hot_ts.append(NO_TIME if ts is None else ts)
            self.hot_bodies.append(line[1:star])
            self.hot_sums.append(line[star + 1 :])
            self.hot_tag_bodies.append(tag_body)
            self.hot_tag_sums.append(tag_sum)
            return
        if tag_sum and not _sum_ok(tag_body, tag_sum):
            self.bad.append((number, "bad tag-block checksum"))
            return
        if not _sum_ok(line[1:star], line[star + 1 :]):
            self.bad.append((number, "bad checksum"))
            return
        if not (count.isdigit() and part.isdigit() and 1 <= int(part) <= int(count) <= 9):
            self.bad.append((number, f"bad fragment numbers: part {part!r} of {count!r}"))
            return
        total, k = int(count), int(part)
        if total == 1:
            self._decode([line], number, ts)
            return
        key = (b"g", group, b"") if group is not None else (source, fields[3], fields[4])
        held = self.multipart.get(key)
        if k == 1:
            if held is not None:
                self._truncated(held)
            self.multipart[key] = _Multipart(total, number, ts, [line], [number])
            return
        if held is None or held.total != total or len(held.sentences) + 1 != k:
            self.bad.append(
                (number, f"multipart fragment {k} of {total} without the fragments before it")
            )
            return
        held.sentences.append(line)
        held.lines.append(number)
        if held.ts is None:
            held.ts = ts
        if k == total:
            del self.multipart[key]
            self._decode(held.sentences, held.first_line, held.ts)

    def _truncated(self, part: _Multipart) -> None:
        for line in part.lines:
            self.bad.append(
                (
                    line,
                    f"truncated multipart: {len(part.sentences)} of {part.total} fragments arrived",
                )
            )

    # -- pyais, one message at a time ---------------------------------------------------

    def _decode(self, sentences: list[bytes], line: int, ts: int | None) -> None:
        import pyais

        try:
            msg = pyais.decode(*sentences)
            values = msg.asdict()
        except Exception as exc:  # pyais raises many types on garbage; all mean "cannot decode"
            self.bad.append(
                (line, f"pyais cannot decode the message: {type(exc).__name__}: {exc}"[:300])
            )
            return
        kind = values.get("msg_type")
        if not isinstance(kind, int) or (
            kind not in STORED_POSITIONS and kind not in STORED_STATIC
        ):
            what = MESSAGE_NAMES.get(kind, "unknown type") if isinstance(kind, int) else "unknown"
            self.bad.append((line, f"message type {kind!r} ({what}) is not stored"))
            return
        mmsi = values.get("mmsi")
        if not isinstance(mmsi, int):
            self.bad.append((line, "message without an MMSI"))
            return
        if kind in STORED_POSITIONS:
            if ts is None:
                self.bad.append(
                    (line, "no time: no tag-block c: time and no $PGHP header before it")
                )
            else:
                payload = b"".join(s.split(b",")[5] for s in sentences)
                self.cold.add(
                    mmsi=mmsi,
                    ts=ts,
                    line=line,
                    msg_type=kind,
                    message=hash(payload),
                    **_position(kind, values),
                )
        if kind in STORED_STATIC:
            row = _static(kind, values)
            if row:
                self.static.add(mmsi=mmsi, ts=None if ts is None else ts, line=line, **row)

    # -- the vectorised path ------------------------------------------------------------

    def _flush_hot(self) -> None:
        n = len(self.hot_lines)
        if not n:
            return
        lines = np.array(self.hot_lines, dtype=np.int64)
        ts = np.array(self.hot_ts, dtype=np.int64)
        ok = _checksums_ok(self.hot_bodies, self.hot_sums)
        tagged = np.fromiter(map(len, self.hot_tag_sums), dtype=np.int64, count=n) > 0
        tag_ok = np.ones(n, dtype=np.bool_)
        if tagged.any():
            which = np.flatnonzero(tagged)
            tag_ok[which] = _checksums_ok(
                [self.hot_tag_bodies[i] for i in which], [self.hot_tag_sums[i] for i in which]
            )
        decoded = ais_vector.decode(self.hot_payloads)
        valid = decoded["valid"]
        timed = ts != NO_TIME
        for i in np.flatnonzero(~(ok & tag_ok & valid & timed)):
            if not tag_ok[i]:
                reason = "bad tag-block checksum"
            elif not ok[i]:
                reason = "bad checksum"
            elif not valid[i]:
                reason = "payload has characters outside the AIS six-bit alphabet"
            else:
                reason = "no time: no tag-block c: time and no $PGHP header before it"
            self.bad.append((int(lines[i]), reason))
        keep = ok & tag_ok & valid & timed
        speed, course, heading = decoded["speed"], decoded["course"], decoded["heading"]
        self.chunks.append(
            {
                "mmsi": decoded["mmsi"][keep],
                "ts": ts[keep],
                "lat": decoded["lat"][keep],
                "lon": decoded["lon"][keep],
                "sog": np.where(speed == 102.3, np.nan, speed)[keep],
                "cog": np.where(course >= 360.0, np.nan, course)[keep],
                "heading": np.where(heading > 359, np.nan, heading.astype(np.float64))[keep],
                "nav_status": decoded["status"][keep],
                "msg_type": decoded["msg_type"][keep],
                "line": lines[keep],
                "message": np.fromiter(map(hash, self.hot_payloads), np.int64, count=n)[keep],
            }
        )
        for column in (
            self.hot_lines,
            self.hot_payloads,
            self.hot_ts,
            self.hot_bodies,
            self.hot_sums,
            self.hot_tag_bodies,
            self.hot_tag_sums,
        ):
            column.clear()

    # -- the tables ---------------------------------------------------------------------

    def _finish(self) -> None:
        cold = self.cold.data
        cold_arrays = {
            "mmsi": np.array(cold["mmsi"], dtype=np.int64),
            "ts": np.array(cold["ts"], dtype=np.int64),
            "lat": np.array(cold["lat"], dtype=np.float64),
            "lon": np.array(cold["lon"], dtype=np.float64),
            "sog": np.array([np.nan if v is None else v for v in cold["sog"]], dtype=np.float64),
            "cog": np.array([np.nan if v is None else v for v in cold["cog"]], dtype=np.float64),
            "heading": np.array(
                [np.nan if v is None else v for v in cold["heading"]], dtype=np.float64
            ),
            "nav_status": np.array(
                [-1 if v is None else v for v in cold["nav_status"]], dtype=np.int64
            ),
            "msg_type": np.array(cold["msg_type"], dtype=np.int64),
            "line": np.array(cold["line"], dtype=np.int64),
            "message": np.array(cold["message"], dtype=np.int64),
        }
        parts = [*self.chunks, cold_arrays]
        columns = {name: np.concatenate([p[name] for p in parts]) for name in POSITION_COLUMNS}
        order = np.argsort(columns["line"], kind="stable")  # file order, for the time rules
        columns = {name: c[order] for name, c in columns.items()}
        keep, rejected = check_positions(
            columns["mmsi"],
            columns["ts"],
            columns["lat"],
            columns["lon"],
            columns["line"],
            columns["message"],
        )
        for r in rejected:
            self.bad.append((int(columns["line"][r.index]), r.reason))
        kept = {name: c[keep] for name, c in columns.items()}
        status = kept.pop("nav_status")
        self.out.arrow["ais_position"] = arrow_table(
            "ais_position",
            {
                **kept,
                "mmsi": mmsi_text(kept["mmsi"]),
                "ts": pa.array(kept["ts"], pa.timestamp("us")),
                "nav_status": pa.array(status, pa.int32(), mask=status < 0),
            },
        )
        static = self.static.data
        self.out.arrow["ais_static"] = arrow_table(
            "ais_static",
            {
                **static,
                "mmsi": mmsi_text(np.array(static["mmsi"], dtype=np.int64)),
                "ts": pa.array(static["ts"], pa.int64()).cast(pa.timestamp("us")),
            },
        )
        self.out.quarantine = _with_raw(self.path, self.bad)


def _checksums_ok(bodies: list[bytes], sums: list[bytes]) -> npt.NDArray[np.bool_]:
    """Checksums of many sentences at once: XOR of each body, by ``reduceat``."""
    lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=len(bodies))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    data = np.frombuffer(b"".join(bodies), dtype=np.uint8)
    actual = np.bitwise_xor.reduceat(data, starts)
    hexes = np.frombuffer(b"".join(s if len(s) == 2 else b"zz" for s in sums), dtype=np.uint8)
    digits = hexes.astype(np.int64)
    value = np.where(digits >= 97, digits - 87, np.where(digits >= 65, digits - 55, digits - 48))
    good_digit = (
        ((digits >= 48) & (digits <= 57))
        | ((digits >= 65) & (digits <= 70))
        | ((digits >= 97) & (digits <= 102))
    )
    value = value.reshape(-1, 2)
    expected = value[:, 0] * 16 + value[:, 1]
    result: npt.NDArray[np.bool_] = good_digit.reshape(-1, 2).all(axis=1) & (expected == actual)
    return result


def _position(kind: int, v: dict[str, Any]) -> dict[str, Any]:
    """A pyais-decoded position's columns; AIS' "not available" values as None."""
    speed, course, heading = v.get("speed"), v.get("course"), v.get("heading")
    if kind == 27:  # long range: whole knots (63 n/a) and degrees (511 n/a)
        sog = None if speed is None or speed >= 63 else float(speed)
        cog = None if course is None or course >= 360 else float(course)
        heading = None
    else:
        sog = None if speed is None or speed >= 102.3 else float(speed)
        cog = None if course is None or course >= 360 else float(course)
        heading = None if heading is None or heading > 359 else float(heading)
    status = v.get("status")
    return {
        "lat": float(v.get("lat", 91.0)),
        "lon": float(v.get("lon", 181.0)),
        "sog": sog,
        "cog": cog,
        "heading": heading,
        "nav_status": int(status) if status is not None else None,
    }


def _text(value: Any) -> str | None:
    """AIS text: '@' padding and blanks stripped; empty means not available."""
    if not isinstance(value, str):
        return None
    text = value.replace("@", " ").strip()
    return " ".join(text.split()) or None


def _static(kind: int, v: dict[str, Any]) -> dict[str, Any]:
    """A pyais-decoded identity report's columns (empty when it says nothing)."""
    ship_type = v.get("ship_type")
    ship_type = int(ship_type) if ship_type else None
    if kind == 24:
        if v.get("partno") == 0:
            row: dict[str, Any] = {"name": _text(v.get("shipname"))}
        else:
            row = {"call_sign": _text(v.get("callsign")), "ship_type": ship_type}
    elif kind == 19:
        row = {"name": _text(v.get("shipname")), "ship_type": ship_type}
    else:
        imo = v.get("imo")
        draught = v.get("draught")
        row = {
            "imo": str(imo) if isinstance(imo, int) and imo > 0 else None,
            "name": _text(v.get("shipname")),
            "call_sign": _text(v.get("callsign")),
            "ship_type": ship_type,
            "draught": float(draught) if draught else None,
            "destination": _text(v.get("destination")),
        }
    return row if any(value is not None for value in row.values()) else {}


def _with_raw(path: Path, bad: list[tuple[int, str]]) -> list[Quarantined]:
    """Quarantined lines with their text, read back in one pass (kept out of memory until
    now: on a clean file of millions of lines there is nothing to keep)."""
    if not bad:
        return []
    wanted = {line for line, _ in bad}
    text: dict[int, str] = {}
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if number in wanted:
                text[number] = raw.rstrip(b"\r\n").decode("utf-8", "replace")[:2000]
    bad.sort(key=lambda b: b[0])
    return [Quarantined(reason, line=line, raw=text.get(line)) for line, reason in bad]
