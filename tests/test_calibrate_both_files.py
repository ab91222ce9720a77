"""`sim calibrate` with both exports: what it says about the bad rows of each file.

- With `--skip-bad`, the terminal and the scenario's header count every row left out, file by
  file, as the calibration page lists them: the example records have an unknown procedure code
  in each file, two rows, not one.
- Without it, both files are read and checked before the command stops, and one error names
  the bad rows of each (exit code 2, nothing written), so the planner is not stopped twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.calibrate.example.generate import RECORDS
from sim.calibrate.example.vendor import DOSSIER_DAMAGE, TICKET_DAMAGE
from sim.calibrate.problems import skipped_lines
from sim.cli import main

TICKETS, DOSSIERS, COLUMNS = (RECORDS / name for name in (
    "ward_tickets.csv", "ward_dossiers.xlsx", "ward_columns.yaml"))
RECORD_OPTIONS = ("--tickets", str(TICKETS), "--dossiers", str(DOSSIERS), "--columns",
                  str(COLUMNS), "--from", "2025-07-01", "--to", "2025-07-28")


def run(*arguments: str):
    return CliRunner().invoke(main, ["calibrate", *RECORD_OPTIONS, *arguments])


def test_the_counts_of_two_files_stay_apart() -> None:
    lines = skipped_lines([("a.csv", {"unknown procedure code": 1, "unparseable time": 2}),
                           ("b.xlsx", {}), ("c.xlsx", {"unknown procedure code": 1})],
                          "skipped rows")
    assert lines == ["skipped rows: 4",
                     "  a.csv: 3 (1 unknown procedure code, 2 unparseable time)",
                     "  c.xlsx: 1 (1 unknown procedure code)"]
    assert skipped_lines([("a.csv", {})], "skipped rows") == []


@pytest.fixture(scope="module")
def skipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """The terminal, the scenario and the page of a calibration with --skip-bad."""
    out = tmp_path_factory.mktemp("both") / "ward.yaml"
    result = run("--skip-bad", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out.parent / "calibration" / "report.html").read_text(encoding="utf-8")
    return result.output, out.read_text(encoding="utf-8"), page


def test_every_skipped_row_is_counted_with_its_file(skipped: tuple[str, str, str]) -> None:
    output, scenario, page = skipped
    rows = len(TICKET_DAMAGE) + len(DOSSIER_DAMAGE)
    tickets = (f"ward_tickets.csv: {len(TICKET_DAMAGE)} (1 called before created, "
               "1 unparseable time, 1 completed before served, 1 unknown procedure code)")
    dossiers = (f"ward_dossiers.xlsx: {len(DOSSIER_DAMAGE)} (1 promised before received, "
                "1 unknown procedure code)")
    assert f"skipped rows: {rows}\n  {tickets}\n  {dossiers}\n" in output
    assert (f"# Rows left out (--skip-bad): {rows}\n#   {tickets}\n#   {dossiers}\n"
            in scenario)
    assert page.count("<td>ward_tickets.csv</td>") + page.count(
        "<td>ward_dossiers.xlsx</td>") == rows  # the page's table, row for row


def test_bad_rows_of_both_files_are_named_in_one_error(tmp_path: Path) -> None:
    out = tmp_path / "out" / "ward.yaml"
    result = run("--out", str(out))
    assert result.exit_code == 2 and result.exception is not None
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert f"{TICKETS}: {len(TICKET_DAMAGE)} problems" in result.output
    assert f"{DOSSIERS}: {len(DOSSIER_DAMAGE)} problems" in result.output
    assert f"{TICKETS}: row 3705, column Mã dịch vụ: got 'DV99'" in result.output
    assert f"{DOSSIERS}: row 1651, column MaTTHC: got '9.999999'" in result.output
    assert "Traceback" not in result.output
    assert not out.parent.exists()  # nothing written
