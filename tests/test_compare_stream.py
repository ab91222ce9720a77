"""`sim compare` streams each unit's tables to disk as `sim run` does: the main process gets
back no table, the folder is the same whatever runs the units, an interrupted comparison
resumes (with a precision goal too, its rounds played again) to the folder of an uninterrupted
one, and the decision is the one `sim.compare` makes in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from test_run_resume import OPTIONS, TINY, stop_after

from sim.cli import main
from sim.decide.compare import compare
from sim.experiment.unit import FRAMES, Written
from sim.scenario.load import load_scenario

FILES = ["comparison.csv", "recommendation.json", "summary.csv", "replications.csv",
         *(f"{name}.parquet" for name in FRAMES)]
FIXED = ("-n", "3")
PRECISE = ("--precision", "0.02", "--max-replications", "14")  # rounds of 10, then 4


def invoke(out: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["compare", str(TINY), "--seed", "5", "-q", "--no-report",
                                     "--out", str(out), *args])


def compare_ok(out: Path, *args: str) -> Path:
    result = invoke(out, *args)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], Path]:
    root = tmp_path_factory.mktemp("whole")
    return {args: compare_ok(root / args[0].strip("-"), *args) for args in (FIXED, PRECISE)}


def assert_same_folder(first: Path, second: Path) -> None:
    for name in FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_precision_goal_takes_two_rounds(uninterrupted: dict) -> None:
    record = json.loads((uninterrupted[PRECISE] / "recommendation.json").read_text("utf-8"))
    assert record["replications"] == 14 and not record["precision"]["reached"]


@pytest.mark.parametrize("args", [FIXED, PRECISE], ids=["n", "precision"])
def test_the_main_process_gets_no_table(args: tuple[str, ...], tmp_path: Path,
                                        unit_results: list[object]) -> None:
    returned = unit_results
    out = compare_ok(tmp_path / "out", *args)
    assert returned and all(isinstance(result, Written) for result in returned)
    replications = pd.read_csv(out / "replications.csv")["replication"].nunique()
    assert len(returned) == OPTIONS * replications


@pytest.mark.parametrize("args", [FIXED, PRECISE], ids=["n", "precision"])
def test_local_processes_write_the_same_folder(args: tuple[str, ...], uninterrupted: dict,
                                               tmp_path: Path) -> None:
    assert_same_folder(compare_ok(tmp_path / "out", *args, "--jobs", "2"),
                       uninterrupted[args])


@pytest.mark.parametrize(("args", "stop"), [(FIXED, 4), (PRECISE, 35)],
                         ids=["n", "precision-second-round"])
def test_an_interrupted_comparison_resumes_to_the_uninterrupted_folder(
        args: tuple[str, ...], stop: int, uninterrupted: dict, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, stop)
    interrupted = invoke(out, *args)
    assert interrupted.exit_code == 130, interrupted.output
    assert "--resume to continue" in interrupted.output
    assert not out.exists(), "nothing half-written is published"
    monkeypatch.undo()
    resumed = CliRunner().invoke(main, ["compare", str(TINY), "--seed", "5", "--no-report",
                                        "--out", str(out), "--resume", *args])
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    total = "" if args == PRECISE else f" of {3 * OPTIONS}"  # a goal: not known beforehand
    assert f"resumed: {stop}{total} runs were already done" in resumed.output
    assert_same_folder(out, uninterrupted[args])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no staging folder left"
    again = CliRunner().invoke(main, ["compare", str(TINY), "--seed", "5", "--no-report",
                                      "--out", str(out), "--resume", *args])
    assert again.exit_code == 0 and "nothing to do" in again.output, again.output


def test_a_resume_with_another_goal_or_a_run_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    stop_after(monkeypatch, 2)
    assert invoke(out, *PRECISE).exit_code == 130
    monkeypatch.undo()
    other = invoke(out, "--precision", "0.1", "--max-replications", "14", "--resume")
    assert other.exit_code == 2 and "differs in precision" in other.output, other.output
    run = CliRunner().invoke(main, ["run", str(TINY), "--seed", "5", "-q", "--no-report",
                                    "--out", str(out), "--resume"])
    assert run.exit_code == 2 and "differs in kind" in run.output, run.output


@pytest.mark.parametrize("args", [FIXED, PRECISE], ids=["n", "precision"])
def test_the_decision_is_the_one_made_in_memory(args: tuple[str, ...],
                                                uninterrupted: dict) -> None:
    precision = args == PRECISE
    comparison = compare(load_scenario(TINY), None if precision else 3,
                         0.02 if precision else None, seed=5, max_replications=14)
    folder = uninterrupted[args]
    csv = comparison.table.to_csv(index=False)
    assert (folder / "comparison.csv").read_text(encoding="utf-8") == csv
    assert (folder / "summary.csv").read_text(encoding="utf-8") == (
        comparison.results.summary.to_csv(index=False))
    record = json.loads((folder / "recommendation.json").read_text(encoding="utf-8"))
    assert record["recommended"] == comparison.recommendation.recommended
    assert (comparison.precision is not None) == precision
