"""``bench/load.py`` run small: it works, every request is answered, percentiles are reported.

No timing thresholds here: how fast the server is belongs to the benchmark (bench/LOAD.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LOAD = REPO / "bench" / "load.py"


def run_load(tmp_path: Path, *args: str) -> tuple[dict[str, Any], str]:
    out, numbers = tmp_path / "LOAD.md", tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, str(LOAD), *args, "--out", str(out), "--json", str(numbers)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(numbers.read_text()), out.read_text()


def check_rows(rows: dict[str, dict[str, Any]]) -> None:
    for label, row in rows.items():
        assert row["requests"] > 0, label
        assert 0 < row["p50"] <= row["p90"] <= row["p99"] <= row["max"], (label, row)
        assert row["throughput"] > 0, label


def test_a_small_load_is_answered_without_errors(examples_db: Path, tmp_path: Path) -> None:
    report, table = run_load(tmp_path, "--db", str(examples_db), "--clients", "10",
                             "--seconds", "3")
    rows = report["rows"]
    assert rows["all"]["error_rate"] == 0 and rows["all"]["errors"] == 0, rows["all"]
    assert rows["all"]["statuses"] == {"200": rows["all"]["requests"]}
    check_rows(rows)
    assert len(rows) > 10  # every endpoint of the mix was asked at least once, and "all"
    assert "| endpoint | requests | errors | error rate | throughput (req/s) | p50 (ms) " \
           "| p90 (ms) | p99 (ms) | max (ms) |" in table
    assert "| **all** | " in table


def test_a_load_while_ingesting_gets_no_server_errors(examples_db: Path, tmp_path: Path) -> None:
    report, table = run_load(tmp_path, "--db", str(examples_db), "--clients", "5",
                             "--seconds", "2", "--while-ingest", "8")
    rows = report["rows"]
    assert "exit 0" in report["ingest"], report["ingest"]
    # A request that waits too long for the writer is answered 503 (none, usually); nothing
    # else may fail.
    assert set(rows["all"]["statuses"]) <= {"200", "503"}, rows["all"]
    assert rows["all"]["failed_connections"] == 0
    check_rows(rows)
    assert "While the load ran, `diurna ingest` of 8 articles" in table
