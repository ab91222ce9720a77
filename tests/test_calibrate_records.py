"""The example records, reading them, and what `sim calibrate` does with bad ones.

- The bundled records are what the generator writes (the tests know their truth).
- Every bad row is named with its file, row (as a spreadsheet numbers it) and column, the
  command exits with code 2 and writes nothing; `--skip-bad` leaves the rows out and counts
  them by reason.
- A calibrated scenario passes `sim check`, runs with `sim run`, and each fitted value carries
  a comment with its interval.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from sim.calibrate.dossiers import read_dossiers
from sim.calibrate.example.generate import RECORDS, example_records
from sim.calibrate.example.vendor import DOSSIER_DAMAGE, TICKET_DAMAGE
from sim.calibrate.fields import PRIORITIES, REASONS, STATUSES
from sim.calibrate.mapping import TicketWords, load_mapping
from sim.calibrate.tickets import read_tickets
from sim.cli import main
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario

TICKETS, DOSSIERS, COLUMNS = (RECORDS / name for name in (
    "ward_tickets.csv", "ward_dossiers.xlsx", "ward_columns.yaml"))


@pytest.fixture(scope="module")
def generated():
    return example_records()


def test_the_bundled_records_are_what_the_generator_writes(generated, tmp_path: Path) -> None:
    written = tmp_path / "tickets.csv"
    generated.vendor_tickets.to_csv(written, index=False, encoding="utf-8-sig",
                                    lineterminator="\r\n")
    assert written.read_bytes() == TICKETS.read_bytes()
    bundled = pd.read_excel(DOSSIERS, dtype=object, keep_default_na=False)
    assert len(bundled) == len(generated.vendor_dossiers)
    assert list(bundled.columns) == list(generated.vendor_dossiers.columns)
    assert YAML(typ="safe").load(COLUMNS.read_text(encoding="utf-8")) == generated.mapping


def test_the_mapping_words_are_the_fields_words() -> None:
    """The mapping file's vocabularies are the ones the readers check against."""
    annotation = TicketWords.model_fields
    for field, words in (("status", STATUSES), ("completion_reason", REASONS),
                         ("priority", PRIORITIES)):
        allowed = annotation[field].annotation.__args__[1].__args__
        assert tuple(allowed) == words


def run(*arguments: str):
    return CliRunner().invoke(main, ["calibrate", *arguments], catch_exceptions=False)


def test_bad_rows_are_named_with_file_row_and_column(tmp_path: Path) -> None:
    out = tmp_path / "out" / "ward.yaml"
    result = run("--tickets", str(TICKETS), "--columns", str(COLUMNS), "--out", str(out))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if ", column " in line]
    assert len(lines) == len(TICKET_DAMAGE)
    text = TICKETS.read_text(encoding="utf-8-sig").splitlines()
    for line in lines:
        row, column, value = re.search(r"row (\d+), column ([^:]+): got '([^']*)'", line).groups()
        assert str(TICKETS) in line
        header = text[0].split(",")
        assert text[int(row) - 1].split(",")[header.index(column)] == value
    assert {re.search(r"column ([^:]+):", line).group(1) for line in lines} == {
        "Giờ lấy số", "Giờ gọi", "Mã dịch vụ", "Giờ kết thúc"}
    assert not out.parent.exists()  # nothing written


def test_bad_dossier_rows_are_named_too() -> None:
    mapping = load_mapping(COLUMNS)
    with pytest.raises(ScenarioError) as raised:
        read_dossiers(DOSSIERS, mapping.dossiers)
    message = raised.value.message()
    assert f"{len(DOSSIER_DAMAGE)} problems" in message
    assert "column NgayHenTra" in message and "column MaTTHC: got '9.999999'" in message


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Two weeks of the example tickets calibrated with --skip-bad: the scenario and output."""
    out = tmp_path_factory.mktemp("calibrated") / "ward.yaml"
    result = run("--tickets", str(TICKETS), "--columns", str(COLUMNS), "--from", "2025-07-01",
                 "--to", "2025-07-14", "--skip-bad", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out, result.output


def test_skip_bad_counts_rows_by_reason_and_the_scenario_checks_and_runs(
        calibrated: tuple[Path, str], tmp_path: Path) -> None:
    out, output = calibrated
    assert "skipped rows: 4\n  ward_tickets.csv: 4 (1 called before created" in output
    assert (out.parent / "calibration" / "report.html").is_file()
    assert ("# Rows left out (--skip-bad): 4\n#   ward_tickets.csv: 4 (1 called before created"
            in out.read_text("utf-8"))
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    ran = runner.invoke(main, ["run", str(out), "-n", "1", "--no-report", "--quiet",
                               "--out", str(tmp_path / "results")])
    assert ran.exit_code == 0, ran.output


def test_the_patience_interval_is_written_each_language_s_way(
        calibrated: tuple[Path, str]) -> None:
    """Its upper end was formatted once, the Vietnamese way, for both sentences."""
    out, _ = calibrated
    page = (out.parent / "calibration" / "report.html").read_text(encoding="utf-8")
    english = re.search(r"95% interval (\S+) to (\S+?)\.<", page) or re.search(
        r"95% interval (\S+) to (\S+?)\.\s", page)
    assert english, "the English patience sentence"
    assert all("," not in end for end in english.groups()), english.group(0)


def test_every_fitted_value_carries_its_interval(calibrated: tuple[Path, str]) -> None:
    out, _ = calibrated
    document = YAML().load(out.read_text(encoding="utf-8"))
    comments = {
        "per_day": document["arrivals"].ca.items["per_day"],
        "patience": document.ca.items["patience"],
        **{f"profile {clock}": document["arrivals"]["profile"].ca.items.get(clock)
           for clock, value in document["arrivals"]["profile"].items() if value > 0},
        **{f"{p['id']} {key}": p.ca.items.get(key) for p in document["procedures"]
           for key in ("share", "service")},
    }
    for what, comment in comments.items():
        assert comment and "95%: " in comment[2].value, what
    assert "ward_tickets.csv, 2025-07-01 to 2025-07-14" in comments["per_day"][2].value


def test_a_scenario_from_default_fields_needs_no_mapping(tmp_path: Path) -> None:
    """ISO dates, our words and scenario ids as codes: read without a mapping file."""
    path = tmp_path / "tickets.csv"
    rows = ["id,procedure_id,status,created_at,called_at,served_at,completed_at,"
            "completion_reason"]
    for day in range(1, 4):
        for minute in range(0, 200, 10):
            created = f"2025-07-0{day} {8 + minute // 60:02d}:{minute % 60:02d}:05"
            called = f"2025-07-0{day} {8 + minute // 60:02d}:{minute % 60:02d}:35"
            done = f"2025-07-0{day} {8 + minute // 60:02d}:{minute % 60 + 7:02d}:35"
            rows.append(f"{day}{minute},intake,done,{created},{called},{called},{done},success")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tickets = read_tickets(path, load_mapping(None).tickets)
    assert len(tickets.frame) == 60 and list(tickets.procedures) == ["intake"]
    assert tickets.procedures["intake"].desk == "general"


@pytest.mark.parametrize(("change", "column", "reason"), [
    (("procedure_id", "Khai sinh"), "procedure_id", "a scenario procedure id"),
    (("status", "expired"), "called_at", "an expired ticket was never called"),
    (("completion_reason", "gone"), "completion_reason", "one of 'success'"),
    (("called_at", "2025-07-01 07:00:00"), "called_at", "a time at or after created_at"),
    (("created_at", "2025-07-01 25:00:00"), "created_at", "a date and time"),
])
def test_each_rule_names_its_column(tmp_path: Path, change: tuple[str, str], column: str,
                                    reason: str) -> None:
    header = ["procedure_id", "status", "created_at", "called_at", "served_at", "completed_at",
              "completion_reason"]
    row = dict(zip(header, ["intake", "done", "2025-07-01 08:00:00", "2025-07-01 08:01:00",
                            "2025-07-01 08:01:10", "2025-07-01 08:09:00", "success"],
                   strict=True))
    row[change[0]] = change[1]
    path = tmp_path / "t.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_tickets(path, load_mapping(None).tickets)
    assert f"row 2, column {column}" in raised.value.message()
    assert reason in raised.value.message()


def test_a_missing_column_lists_the_columns_the_file_has(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("created_at,procedure_id\n2025-07-01 08:00:00,intake\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_tickets(path, load_mapping(None).tickets)
    assert "the file has: created_at, procedure_id" in raised.value.message()


def test_a_bad_mapping_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("tickets:\n  colums: {}\n", encoding="utf-8")
    result = run("--tickets", str(TICKETS), "--columns", str(path), "--out",
                 str(tmp_path / "x.yaml"))
    assert result.exit_code == 2
    assert "tickets.colums" in result.output and "columns, date_format" in result.output


def test_the_written_scenario_loads(calibrated: tuple[Path, str]) -> None:
    out, _ = calibrated
    scenario = load_scenario(out).baseline
    assert [p.id for p in scenario.procedures][:2] == ["certification", "civil_status"]
    assert abs(sum(p.share for p in scenario.procedures) - 1) < 1e-9


def test_the_calibration_page_is_vietnamese_first_with_names_and_figures(
        calibrated: tuple[Path, str]) -> None:
    out, _ = calibrated
    folder = out.parent / "calibration"
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.index('lang="vi">Hiệu chỉnh') < page.index('lang="en">Calibration')
    assert "Chứng thực bản sao từ bản chính" in page  # procedures by name, not id
    assert "Thời gian kiên nhẫn chờ" in page and "Patience" in page
    assert page.count("data:image/png;base64,") == 5
    assert "http" not in page.replace('http-equiv', '')  # nothing fetched from elsewhere
    assert sorted(p.name for p in (folder / "figures").iterdir()) == [
        "arrival_profile.png", "arrivals_per_day.png", "open_counters.png", "patience.png",
        "service_qq.png"]


def test_a_planners_own_file_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("name: my own scenario\n", encoding="utf-8")
    result = run("--tickets", str(TICKETS), "--columns", str(COLUMNS), "--skip-bad", "--out",
                 str(out))
    assert result.exit_code == 2 and "was not written by sim calibrate" in result.output
    assert out.read_text(encoding="utf-8") == "name: my own scenario\n"
