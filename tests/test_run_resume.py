"""`sim run` streams each unit's tables to disk and resumes an interrupted run: the folder it
publishes is the folder an uninterrupted run writes, whatever runs the units, and the main
process keeps no unit's tables."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from sim.analysis.figure_data import FIGURE_COLUMNS
from sim.cli import main
from sim.experiment import unit as unit_module
from sim.experiment.runner import run_experiment
from sim.experiment.unit import FRAMES, Written
from sim.output.report import render_report
from sim.scenario.load import load_scenario

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
OPTIONS = 3  # of tiny.yaml
TABLE_FILES = [f"{name}.parquet" for name in FRAMES]
FILES = ["summary.csv", "replications.csv", *TABLE_FILES]


def invoke(out: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["run", str(TINY), "-n", "3", "--seed", "5", "-q",
                                     "--no-report", "--out", str(out), *args])


def run_ok(out: Path, *args: str) -> Path:
    result = invoke(out, *args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_ok(tmp_path_factory.mktemp("whole") / "out")


def assert_same_folder(first: Path, second: Path) -> None:
    """Every file byte for byte: the summaries, and each table's one Parquet file."""
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def stop_after(monkeypatch: pytest.MonkeyPatch, units: int) -> None:
    """Ctrl-C once `units` units are done (monkeypatch.undo() lets the rest run)."""
    original = unit_module.write_batch
    done = []

    def stop(*args: object) -> object:
        if len(done) == units:
            raise KeyboardInterrupt
        done.append(original(*args))
        return done[-1]

    monkeypatch.setattr(unit_module, "write_batch", stop)


def test_interrupted_run_resumes_to_the_uninterrupted_folder(
        uninterrupted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, 4)
    interrupted = invoke(out)
    assert interrupted.exit_code == 130, interrupted.output
    assert "--resume to continue" in interrupted.output
    assert not out.exists(), "nothing half-written is published"
    monkeypatch.undo()
    resumed = CliRunner().invoke(main, ["run", str(TINY), "-n", "3", "--seed", "5",
                                        "--no-report", "--out", str(out), "--resume"])
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    assert f"resumed: 4 of {3 * OPTIONS} runs were already done" in resumed.output
    assert_same_folder(out, uninterrupted)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no staging folder left"


def test_local_processes_write_the_same_folder(uninterrupted: Path, tmp_path: Path) -> None:
    assert_same_folder(run_ok(tmp_path / "out", "--jobs", "2"), uninterrupted)


def test_a_damaged_part_is_run_again_on_resume(uninterrupted: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, 5)
    assert invoke(out).exit_code == 130
    monkeypatch.undo()
    part = sorted((tmp_path / ".out.partial" / "visits").iterdir())[1]
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    resumed = invoke(out, "--resume")
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    assert "re-ran 1 unit whose parts were damaged" in resumed.output
    assert_same_folder(out, uninterrupted)


def test_resume_with_another_seed_is_refused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, 2)
    assert invoke(out).exit_code == 130
    monkeypatch.undo()
    result = CliRunner().invoke(main, ["run", str(TINY), "-n", "3", "--seed", "6", "-q",
                                       "--no-report", "--out", str(out), "--resume"])
    assert result.exit_code == 2, result.output
    assert "differs in root_seed; run without --resume to start again" in result.output
    assert not out.exists()


def test_resume_of_a_damaged_plan_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, 1)
    assert invoke(out).exit_code == 130
    monkeypatch.undo()
    (tmp_path / ".out.partial" / "plan.json").write_text('{"root_seed": 5', encoding="utf-8")
    result = invoke(out, "--resume")
    assert result.exit_code == 2, result.output
    assert "plan.json is damaged (not a JSON object); run without --resume" in result.output


def test_resume_of_a_finished_run_does_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = run_ok(tmp_path / "out")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    monkeypatch.setattr(unit_module, "write_batch", _no_unit)
    result = CliRunner().invoke(main, ["run", str(TINY), "-n", "3", "--seed", "5",
                                       "--no-report", "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "nothing to do: every unit is done" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    refused = invoke(out, "--resume", "--visits", "sample")
    assert refused.exit_code == 2 and "finished run" in refused.output
    assert "differs in visits" in refused.output


def _no_unit(*_: object) -> None:
    raise AssertionError("a unit ran again")


def test_the_main_process_keeps_no_table(tmp_path: Path, unit_results: list[object]) -> None:
    """What each unit hands back to the main process is its name, the same few bytes however
    many replications run; each table's file is written part by part (a row group per unit),
    never gathered whole."""
    returned = unit_results
    sizes = {}
    for replications in (1, 4):
        returned.clear()
        out = run_ok(tmp_path / f"n{replications}", "-n", str(replications))
        assert len(returned) == OPTIONS * replications
        assert all(isinstance(result, Written) for result in returned)
        sizes[replications] = max(len(pickle.dumps(result)) for result in returned)
        for name in ("visits.parquet", "intervals.parquet", "daily.parquet"):  # tiny.yaml has
            groups = pq.ParquetFile(out / name).metadata.num_row_groups  # no dossiers
            assert groups == OPTIONS * replications, name
    assert sizes[4] == sizes[1] < 200


def test_visits_sample_keeps_replication_0(tmp_path: Path) -> None:
    out = run_ok(tmp_path / "out", "--visits", "sample")
    visits = pd.read_parquet(out / "visits.parquet")
    assert set(visits["replication"]) == {0}
    assert len(pd.read_parquet(out / "daily.parquet").groupby("replication")) == 3


def test_the_report_of_a_streamed_run_is_the_report_of_its_results(tmp_path: Path) -> None:
    """A streamed run reads back only FIGURE_COLUMNS of each table to draw its report: the
    page is the one drawn from every column of the same results in memory."""
    out = run_ok(tmp_path / "out", "--report", "--lang", "en")
    results = run_experiment(load_scenario(TINY), replications=3, seed=5)
    assert _without_date((out / "report.html").read_text(encoding="utf-8")) == _without_date(
        render_report(results, "en"))
    assert set(FIGURE_COLUMNS) == set(FRAMES)


def _without_date(page: str) -> str:
    return "\n".join(line for line in page.splitlines() if "(Vietnam time)" not in line)
