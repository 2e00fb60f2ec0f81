"""Analyse email files and keep the results: each file ingested through the ``email`` adapter
(its messages, URLs, hops and attachment hashes, with provenance) and each message's latest
verdict in ``phish_verdict``, replaced when the message is analysed again."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sanctrace.errors import InputError
from sanctrace.phishing.analysis import LookalikeFn, MessageAnalysis, analyse_all
from sanctrace.phishing.brands import Brand, load_brands
from sanctrace.sources.email_message import read_mail
from sanctrace.workspace import Workspace


@dataclass
class Batch:
    """The analyses of a batch of files, and the files that could not be read (with why)."""

    messages: list[MessageAnalysis] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"messages": [m.to_dict() for m in self.messages]}
        if self.errors:
            out["errors"] = self.errors
        return out


def analyse_files(
    paths: Sequence[Path],
    ws: Workspace | None = None,
    brands: list[Brand] | None = None,
    lookalike: LookalikeFn | None = None,
    progress: Callable[[int], None] | None = None,
) -> Batch:
    """Analyse each file; with ``ws``, ingest it and record its verdicts. A file that is not
    an email is listed in ``errors`` and the others go on."""
    brands = load_brands() if brands is None else brands
    batch = Batch()
    for n, path in enumerate(paths, 1):
        try:
            mail = read_mail(path)
        except InputError as exc:
            batch.errors.append({"file": str(path), "reason": exc.reason})
            continue
        analyses = analyse_all(mail, brands, lookalike)
        batch.messages.extend(analyses)
        if ws is not None:
            from sanctrace.sources.ingest import ingest

            ingest(ws, "email", path)
            record_verdicts(ws, analyses)
        if progress:
            progress(n)
    return batch


def stored_verdicts(ws: Workspace) -> tuple[int, Counter[str], Counter[str]]:
    """From the stored verdicts: how many messages were analysed, how many got each
    verdict, and in how many non-clean messages each feature fired (weight above zero)."""
    verdicts = ws.table("phish_verdict").to_pyarrow().to_pylist()
    counts = Counter(v["verdict"] for v in verdicts)
    fired: Counter[str] = Counter()
    for v in verdicts:
        if v["verdict"] != "clean":
            fired.update({f["name"] for f in json.loads(v["features"]) if f["weight"] > 0})
    return len(verdicts), counts, fired


def record_verdicts(ws: Workspace, analyses: Sequence[MessageAnalysis]) -> None:
    """Replace the stored verdict of each analysed message."""
    now = datetime.now(UTC).replace(tzinfo=None)
    keys = [a.key for a in analyses]
    with ws.writing() as w:
        w.delete_in("phish_verdict", "message_key", keys)
        w.insert(
            "phish_verdict",
            [
                {
                    "message_key": a.key,
                    "verdict": a.verdict,
                    "score": a.score,
                    "features": json.dumps([f.to_dict() for f in a.features], ensure_ascii=False),
                    "analysed_at": now,
                }
                for a in analyses
            ],
        )
