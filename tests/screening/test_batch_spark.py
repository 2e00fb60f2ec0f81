"""Batch screening on Spark gives what it gives in this process: the same rows from
``screen_rows_spark``, and the same CSV, byte for byte, from ``sanctrace --backend spark
screen-file``. Workers read the index file beside the workspace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sanctrace.errors import WorkspaceError
from sanctrace.screening import suppressions
from sanctrace.screening.batch import read_csv, screen_rows, screen_rows_spark
from sanctrace.screening.index import cache_path, get_index
from sanctrace.workspace import Workspace
from tests.cli.invoke import run

pytestmark = pytest.mark.spark

RI = "unsc-KPi.033"  # RI WON HO on the UN list; suppressed for the query "RI WON HO"

INPUT = """\
id,name,schema,birth_date,country,identifier,note
1,RI WON HO,,,,,suppressed: one of two matches left out
2,Park Seo-jun,,,,,no match
3,,,,,IMO7937317,identifier only
4,,,,,,nothing to screen
5,Yoon Hojin,Spaceship,,,,unknown schema
6,Lee Won-ho,,,,,"a variant, not the suppressed query"
7,Korea Mining Development Trading Corp,Organization,,,,
8,윤호진,,,,,Hangul
9,"Ri, Won-ho",,1964,kp,,"the suppressed query again; quoted, with
a newline"
10,,,,,0x03893a7c7463AE47D46bc7f091665f1893656003,wallet
"""


@pytest.fixture(scope="module")
def workspace(bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled workspace with one reviewed false positive: RI WON HO is not unsc-KPi.033."""
    path = tmp_path_factory.mktemp("batch_spark") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    with Workspace.open(path) as ws:
        suppressions.suppress(ws, "RI WON HO", RI, "born 1987; the listed man 1964", "alice")
    return path


@pytest.fixture(scope="module")
def infile(workspace: Path) -> Path:
    path = workspace.with_name("in.csv")
    path.write_text(INPUT, encoding="utf-8")
    return path


def test_spark_gives_the_rows_of_the_in_process_path(workspace: Path, infile: Path) -> None:
    parsed = read_csv(infile)
    with Workspace.open(workspace) as ws:
        index, found = get_index(ws), suppressions.active(ws)
        expected = list(screen_rows(index, parsed.rows, 0.7, found, parsed.columns))
    spark = Workspace.open(workspace, backend="spark")
    got = screen_rows_spark(spark, infile, 0.7, partitions=3)
    assert got == expected
    # the input covers every case, so the comparison means something
    assert [s.status for s in got].count("skipped") == 2
    assert {s.status for s in got} == {"matched", "unmatched", "skipped"}
    first = got[0]
    assert first.suppressed == 1 and RI not in {r["match_entity_id"] for r in first.rows}
    assert [s.line for s in got] == [line for line, _ in parsed.rows]
    assert got[8].rows[0]["note"].endswith("quoted, with\na newline")
    # a higher threshold, parsed rows given directly: still the same
    strict = screen_rows_spark(spark, parsed.rows, 0.99, columns=parsed.columns)
    assert strict == list(screen_rows(index, parsed.rows, 0.99, found, parsed.columns))
    assert sum(len(s.rows) for s in strict) < sum(len(s.rows) for s in got)


def test_the_cli_writes_the_same_csv_on_both_backends(
    workspace: Path, infile: Path, tmp_path: Path
) -> None:
    duck_out, spark_out = tmp_path / "duck.csv", tmp_path / "spark.csv"
    cache_path(Workspace.open(workspace, backend="spark")).unlink(missing_ok=True)
    spark = run(
        workspace, "--backend", "spark", "screen-file", str(infile), "--out", str(spark_out)
    )
    assert spark.exit_code == 0, spark.output
    duck = run(workspace, "screen-file", str(infile), "--out", str(duck_out), "--json")
    assert duck.exit_code == 0, duck.output
    assert spark_out.read_bytes() == duck_out.read_bytes()
    summary = json.loads(duck.stdout)
    assert (summary["rows"], summary["skipped"], summary["suppressed"]) == (10, 2, 2)
    expected = (
        f"10 rows screened: {summary['matched']} matched, {summary['unmatched']} unmatched, "
        f"2 skipped; 2 reviewed false positives left out; {summary['written']} rows written"
    )
    assert expected in " ".join(spark.stdout.split())


def test_spark_needs_a_spark_workspace(workspace: Path, infile: Path) -> None:
    with Workspace.open(workspace) as ws, pytest.raises(WorkspaceError, match="--backend spark"):
        screen_rows_spark(ws, infile)
