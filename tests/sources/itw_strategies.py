"""Fuzzing for the IT-worker CSV adapters: documents with the adapter's real columns, cells
drawn from plausible values, troublemakers and noise, in UTF-8 and not."""

from __future__ import annotations

import csv
import io

from hypothesis import strategies as st

from sanctrace.sources import itw_clients_csv, itw_logins_csv, itw_payouts_csv, itw_profiles_csv

COLUMNS = {
    "itw-profiles": (itw_profiles_csv.REQUIRED, itw_profiles_csv.OPTIONAL),
    "itw-logins": (itw_logins_csv.REQUIRED, itw_logins_csv.OPTIONAL),
    "itw-payouts": (itw_payouts_csv.REQUIRED, itw_payouts_csv.OPTIONAL),
    "itw-clients": (itw_clients_csv.REQUIRED, itw_clients_csv.OPTIONAL),
}
MAIN_TABLE = {
    "itw-profiles": "itw_profile",
    "itw-logins": "itw_login",
    "itw-payouts": "itw_payout",
    "itw-clients": "itw_engagement",
}
PLAUSIBLE = [
    "W001",
    "acct-1",
    "Kim Jin",
    "kim@example.com",
    "US",
    "China",
    "Atlantis",
    "2024-03-01T08:00:00Z",
    "2024-03-01 08:00:00+09:00",
    "2024-02-30T00:00:00",
    "1.2.3.4",
    "::1",
    "999.1.1.1",
    "3389",
    "70000",
    "AnyDesk",
    "1500.00",
    "1,500",
    "1,50",
    "-5",
    "1e400",
    "NaN",
    "USDT",
    "usd",
    "wallet",
    "bank",
    "review",
    "boost",
    "4.5",
    "9",
    "inf",
    "0123456789abcdef",
    "ffffffffffffffff0",
    "../../etc/passwd",
    "/etc/hosts",
    "photo.png",
    "a;b;;c",
    "",
    " ",
    "\x00",
    '"',
    "two\nlines",
    "\ufeff",
    "x" * 2100,
]


@st.composite
def itw_documents(draw: st.DrawFn, kind: str) -> bytes:
    """A file shaped like ``kind``'s input: its columns (optional ones thinned, now and then
    a required one missing or an unknown one added), rows of the right width or one off."""
    required, optional = COLUMNS[kind]
    header = [*required, *draw(st.lists(st.sampled_from(optional), unique=True))]
    if draw(st.integers(0, 9)) == 0:
        header.remove(draw(st.sampled_from(list(required))))
    if draw(st.integers(0, 9)) == 0:
        header.append("unknown_column")
    header = draw(st.permutations(header))
    cell = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=10))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 5))):
        width = max(0, len(header) + draw(st.sampled_from([0, 0, 0, -1, 1])))
        writer.writerow([draw(cell) for _ in range(width)])
    text = buf.getvalue()
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")
