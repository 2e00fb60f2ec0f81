"""``ais``: ships seen on AIS. ``ais vessels`` lists every vessel with its identity, flag,
identity anomalies and designated-vessel hits; ``ais detect`` (``cli/ais_detect.py``) runs
the behavioural detectors. Load AIS with ``sanctrace ingest ais-nmea FILE`` or ``ingest
ais-csv FILE``."""

from __future__ import annotations

import typer

from sanctrace.cli import ais_detect
from sanctrace.cli.output import console, err_console, print_json, table

# the engines (pandas) are imported by the commands that run them, so that the CLI starts fast

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")

app = typer.Typer(
    no_args_is_help=True,
    help="Ships on AIS: vessels seen, identity anomalies, designated vessels, detectors.",
)


@app.command("vessels")
def vessels_cmd(
    ctx: typer.Context,
    designated: bool = typer.Option(
        False, "--designated", help="Only vessels that match a designated vessel."
    ),
    json: bool = JSON,
) -> None:
    """Every vessel seen: latest name, IMO, call sign, flag (from the MMSI), first and last
    seen, positions, identity anomalies, designated-vessel hit."""
    with ctx.obj.open() as ws, err_console.status("reading AIS") as status:
        from sanctrace.maritime import vessels as engine

        rows = engine.summaries(
            ws, designated_only=designated, step=lambda what: status.update(what)
        )
    if json:
        print_json({"vessels": rows})
        return
    if not rows:
        console.print(
            "no vessels"
            + (" matching a designated vessel" if designated else "")
            + "; load AIS with `sanctrace ingest ais-nmea FILE` or `ingest ais-csv FILE`",
            highlight=False,
            markup=False,
        )
        return
    table(
        f"{len(rows)} vessels",
        [
            "mmsi",
            "name",
            "imo",
            "call sign",
            "flag",
            "first seen",
            "last seen",
            "positions",
            "anomalies",
            "designated",
        ],
        [
            [
                r.mmsi,
                r.name,
                r.imo,
                r.call_sign,
                r.flag or ("?" if r.station != "invalid" else "invalid"),
                r.first_seen and r.first_seen.isoformat(sep=" ", timespec="minutes"),
                r.last_seen and r.last_seen.isoformat(sep=" ", timespec="minutes"),
                r.positions,
                r.identity_anomalies,
                "; ".join(
                    f"{h.caption} ({h.entity_id}, {h.key} {h.value}, {h.score:.2f})"
                    for h in r.designated[:1]
                ),
            ]
            for r in rows
        ],
        right=["positions", "anomalies"],
    )


@app.command("identity")
def identity_cmd(
    ctx: typer.Context,
    mmsi: str = typer.Option(None, "--mmsi", help="Only this vessel."),
    json: bool = JSON,
) -> None:
    """Identity anomalies: one MMSI in two places at once, changes of name, IMO, call sign
    or flag, IMO check-digit failures."""
    with ctx.obj.open() as ws, err_console.status("identity anomalies"):
        from sanctrace.maritime import identity

        found = identity.anomalies(ws)
    if mmsi:
        found = [a for a in found if a.mmsi == mmsi.strip()]
    if json:
        print_json({"identity": found})
        return
    table(
        f"{len(found)} identity anomalies",
        ["mmsi", "kind", "start", "end", "detail"],
        [
            [
                a.mmsi,
                a.kind,
                a.start and a.start.isoformat(sep=" ", timespec="minutes"),
                a.end and a.end.isoformat(sep=" ", timespec="minutes"),
                ", ".join(f"{k} {v}" for k, v in a.detail.items() if k not in ("a", "b")),
            ]
            for a in found
        ],
    )


ais_detect.add_commands(app)


def register(main_app: typer.Typer) -> None:
    """Add the ``ais`` group (``ais detect`` comes from ``cli/ais_detect.py``)."""
    main_app.add_typer(app, name="ais")
