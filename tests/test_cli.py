"""The `sim` command line: what `run`, `check` and `schema` print and write.

Runs use tests/fixtures/tiny.yaml (two working days, two desks, three options) with two
replications, so the whole file stays fast. Runs whose results several tests read are made once
per module.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner, Result
from scipy import stats

import sim
import sim.experiment.unit
import sim.output.run_folder
import sim.output.save
from sim.analysis.metrics import metric_names
from sim.cli import main
from sim.experiment.plan import DEFAULT_SEED, unit_seed
from sim.output.save import RESULT_FILES
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

TESTS = Path(__file__).parent
TINY = TESTS / "fixtures" / "tiny.yaml"
BROKEN = TESTS / "broken"
TINY_OPTIONS = ["baseline", "extra_general", "longer_sessions"]
TINY_DESKS = ["general", "land"]
N = 2
SEED = 123

FILES = {"summary.csv", "replications.csv", "visits.parquet", "intervals.parquet",
         "dossiers.parquet", "daily.parquet",
         "manifest.json"}
SUMMARY_COLUMNS = ["option", "metric", "mean", "std", "ci_low", "ci_high", "replications"]
REPLICATIONS_COLUMNS = ["option", "replication", "seed", "metric", "value"]
VISITS_COLUMNS = ["option", "replication", "citizen", "trip", "procedure", "desk", "day",
                  "arrival", "arrival_time", "start", "end", "wait", "guidance_wait", "outcome",
                  "ticket_class", "purpose", "dossier"]
INTERVALS_COLUMNS = ["option", "replication", "desk", "day", "time", "arrivals", "wait_mean",
                     "queue_mean", "busy_mean", "open_mean"]
# The metric names the issue asks for, in the order the summary lists them.
METRICS = ["arrived", "served", "wait_mean", "wait_served_mean", "wait_p50", "wait_p90",
           "wait_p95", "wait_max", "waited_share", "within_target_share", "abandoned_share",
           "sent_home_share", "incomplete_share", "blocked_share", "trips_per_citizen",
           "utilisation",
           *(f"utilisation:{desk}" for desk in TINY_DESKS), "queue_max", "overtime_minutes",
           "staff_hours", "overtime_staff_hours"]

# One file per kind of mistake: reading, keys, types/ranges, cross-references, options.
BAD_FILES = [
    ("not_yaml.yaml", "line 11"),
    ("duplicate_key.yaml", "line 6"),
    ("unknown_nested_key.yaml", "desks.general.counter"),
    ("negative_mean.yaml", "procedures[1].service.mean"),
    ("bad_session_clock.yaml", "calendar.sessions[0]"),
    ("shares_not_adding_up.yaml", "procedures"),
    ("option_breaks_validation.yaml", "options."),
    ("top_level_list.yaml", "(top level)"),
]


def invoke(args: list[str], monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    """Run `sim ARGS` in-process; sys.argv is set as the shell would set it. `run` writes no
    report here unless asked (figures take seconds; tests/test_report.py covers the report)."""
    if args[:1] == ["run"] and "--report" not in args:
        args = [*args, "--no-report"]
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "argv", ["sim", *args])
    return CliRunner().invoke(main, args)


def run_ok(args: list[str], monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    result = invoke(args, monkeypatch)
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def siblings(folder: Path) -> list[str]:
    """Names of everything next to ``folder`` (staging and retired folders would show here)."""
    return sorted(p.name for p in folder.parent.iterdir())


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], Result]:
    """`sim run tiny.yaml -n 2 --seed 123 --out OUT` once for the module."""
    out = tmp_path_factory.mktemp("tiny") / "out"
    args = ["run", str(TINY), "--replications", str(N), "--seed", str(SEED), "--out", str(out),
            "--report", "--lang", "en"]
    with pytest.MonkeyPatch.context() as monkeypatch:
        result = run_ok(args, monkeypatch)
    return out, ["sim", *args], result


# --- sim run: the files ------------------------------------------------------------------------

def test_run_writes_exactly_the_result_files(tiny_run) -> None:
    out, _, _ = tiny_run
    assert {p.name for p in out.iterdir()} == FILES | {"report.html"}
    assert set(RESULT_FILES) == FILES
    assert [p for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_summary_has_one_row_per_option_and_metric(tiny_run) -> None:
    out, _, _ = tiny_run
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert list(summary["option"].drop_duplicates()) == TINY_OPTIONS
    for option in TINY_OPTIONS:
        assert list(summary.loc[summary["option"] == option, "metric"]) == METRICS
    assert len(summary) == len(TINY_OPTIONS) * len(METRICS)
    assert not summary.duplicated(["option", "metric"]).any()
    assert (summary["replications"] == N).all()
    # The interval is the Student-t interval of the N per-run values: mean -/+ t s / sqrt(N),
    # up to float rounding: each way of computing it makes at most N + 6 roundings (the sum,
    # the spread, the products) of numbers no larger than `scale`.
    per_run = pd.read_csv(out / "replications.csv").groupby(["option", "metric"], sort=False)
    spread = stats.t.ppf(0.975, N - 1) * per_run["value"].std() / np.sqrt(N)
    by_metric = summary.set_index(["option", "metric"])
    scale = per_run["value"].apply(lambda v: v.abs().max()).fillna(0) + spread.fillna(0)
    for end, sign in (("ci_low", -1), ("ci_high", 1)):
        expected = per_run["value"].mean() + sign * spread
        error = (by_metric[end] - expected).abs()
        assert ((error <= (N + 6) * np.spacing(scale)) | (expected.isna() & by_metric[end].isna())
                ).all(), end
    # The metric list the issue names is the one the code knows.
    assert metric_names(load_scenario(TINY).baseline, TINY_DESKS) == METRICS


def test_replications_has_every_run_and_its_seed(tiny_run) -> None:
    out, _, _ = tiny_run
    per_run = pd.read_csv(out / "replications.csv")
    assert list(per_run.columns) == REPLICATIONS_COLUMNS
    assert len(per_run) == len(TINY_OPTIONS) * N * len(METRICS)
    assert list(per_run["option"].drop_duplicates()) == TINY_OPTIONS
    assert sorted(per_run["replication"].unique()) == list(range(N))
    for (_option, replication), group in per_run.groupby(["option", "replication"]):
        assert list(group["metric"]) == METRICS
        assert set(group["seed"]) == {unit_seed(SEED, replication)}
    # Common random numbers: replication r of every option has the same seed.
    assert per_run.groupby("replication")["seed"].nunique().eq(1).all()
    # The summary's mean is the mean of the per-run values.
    summary = pd.read_csv(out / "summary.csv").set_index(["option", "metric"])
    means = per_run.groupby(["option", "metric"])["value"].mean()
    pd.testing.assert_series_equal(means.loc[summary.index], summary["mean"], check_names=False)


def test_visits_parquet(tiny_run) -> None:
    out, _, _ = tiny_run
    visits = pd.read_parquet(out / "visits.parquet")
    assert list(visits.columns) == VISITS_COLUMNS
    assert list(visits["option"].astype(str).drop_duplicates()) == TINY_OPTIONS
    assert set(visits["replication"]) == set(range(N))
    assert set(visits["desk"].astype(str)) == set(TINY_DESKS)
    assert set(visits["procedure"].astype(str)) == {"certification", "land"}
    assert set(visits["outcome"].astype(str)) <= {"served", "abandoned", "sent_home"}
    assert set(visits["day"]) == {1, 2}
    assert (visits["trip"] >= 1).all()
    assert (visits["wait"] >= 0).all()


def test_arrived_counts_every_visit_without_warmup(tiny_run) -> None:
    out, _, _ = tiny_run
    visits = pd.read_parquet(out / "visits.parquet")
    per_run = pd.read_csv(out / "replications.csv")
    arrived = per_run[per_run["metric"] == "arrived"].set_index(["option", "replication"])["value"]
    counted = visits.groupby([visits["option"].astype(str), "replication"]).size()
    assert counted.to_dict() == arrived.astype(int).to_dict()


def test_intervals_parquet(tiny_run) -> None:
    out, _, _ = tiny_run
    intervals = pd.read_parquet(out / "intervals.parquet")
    assert list(intervals.columns) == INTERVALS_COLUMNS
    assert list(intervals["option"].astype(str).drop_duplicates()) == TINY_OPTIONS
    assert set(intervals["replication"]) == set(range(N))
    assert set(intervals["desk"].astype(str)) == set(TINY_DESKS)
    halves = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
    one_run = intervals[(intervals["option"] == "baseline") & (intervals["replication"] == 0)]
    for (_desk, _day), group in one_run.groupby(["desk", "day"]):
        assert list(group["time"]) == halves
    # 48 half-hours x 2 days x 2 desks per run.
    assert len(intervals) == 48 * 2 * len(TINY_DESKS) * N * len(TINY_OPTIONS)
    general = one_run[one_run["desk"] == "general"].set_index(["day", "time"])
    assert general.loc[(1, "08:00"), "open_mean"] == 2
    assert general.loc[(1, "12:00"), "open_mean"] == 0  # lunch


def test_manifest(tiny_run) -> None:
    out, command, _ = tiny_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["root_seed"] == SEED
    assert manifest["replication_seeds"] == [unit_seed(SEED, r) for r in range(N)]
    assert manifest["replications"] == N
    assert manifest["command"] == command
    assert manifest["runtime_seconds"] >= 0
    for package in ("python", "sim", "simpy", "numpy", "pandas", "pyarrow", "pydantic"):
        assert manifest["versions"][package] not in ("", "not installed"), package
    assert list(manifest["options"]) == TINY_OPTIONS
    expected = load_scenario(TINY)
    for name, resolved in manifest["options"].items():
        # A complete scenario of its own, equal to what the loader resolves for the option.
        assert Scenario.model_validate(resolved) == expected.options[name].model_copy(
            update={"options": Scenario.model_fields["options"].default})
    assert manifest["options"]["baseline"]["desks"]["general"]["counters"] == 2
    assert manifest["options"]["extra_general"]["desks"]["general"]["counters"] == 3
    assert manifest["options"]["longer_sessions"]["calendar"]["sessions"] == [
        "07:00-11:30", "13:30-17:30"]


def test_run_prints_a_table_of_the_options(tiny_run) -> None:
    _, _, result = tiny_run
    assert "Tiny test centre" in result.stdout
    assert "results written to" in result.stdout


@pytest.mark.parametrize("command", ["run", "compare"])
def test_run_and_compare_print_in_the_run_language(command: str, tmp_path: Path) -> None:
    """Under --lang vi the terminal speaks Vietnamese, as the report does: the table's
    headings, the options by their names and where the results went."""
    result = run_ok([command, str(TINY), "-n", "2", "--seed", str(SEED), "--out",
                     str(tmp_path / "out"), "--no-report", "--lang", "vi"])
    assert "phương án" in result.stdout
    assert f"đã ghi kết quả vào {tmp_path / 'out'}" in result.stdout
    assert "results written to" not in result.stdout
    if command == "run":
        assert "Tiny test centre: 2 lần mô phỏng" in result.stdout
    else:
        assert "Các phương án so với chỉ tiêu" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("lang", "names", "heading"), [
    ("en", ("Current staffing", "Option 1", "Option 2"), "utilisation"),
    ("vi", ("Giữ nguyên như hiện nay", "Phương án 1", "Phương án 2"), "mức sử dụng")])
def test_run_table_shows_option_names_whole(lang: str, names: tuple[str, ...], heading: str,
                                            tmp_path: Path) -> None:
    # An 80-column terminal (rich also uses 80 when stdout is a pipe or a CI log).
    result = CliRunner().invoke(main, ["run", str(TINY), "-n", str(N), "--out",
                                       str(tmp_path / "out"), "--lang", lang],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0
    for name in names:  # tiny.yaml gives no labels; a long name may wrap within its cell
        assert all(word in result.stdout for word in name.split()), name
    assert all(word in result.stdout for word in heading.split())
    assert "…" not in result.stdout


def test_python_api_returns_what_the_cli_wrote(tiny_run) -> None:
    out, _, _ = tiny_run
    results = sim.run(TINY, replications=N, seed=SEED)
    for name in ("summary", "replications"):
        written = pd.read_csv(out / f"{name}.csv")
        frame = getattr(results, name).astype({"option": str})
        pd.testing.assert_frame_equal(frame, written, check_dtype=False, check_exact=True)
    for name in ("visits", "intervals"):
        written = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(getattr(results, name), written, check_dtype=False,
                                      check_categorical=False, check_exact=True)
    assert results.seeds == tuple(unit_seed(SEED, r) for r in range(N))


# --- sim run: arguments ------------------------------------------------------------------------

def test_run_without_scenario_runs_the_demo_into_results_demo(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_ok(["run", "--option", "baseline", "-n", "1", "--quiet"])
    folder = tmp_path / "results" / "demo"
    assert {p.name for p in folder.iterdir()} == FILES
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["scenario_file"]).resolve() == sim.DEMO_SCENARIO
    assert manifest["root_seed"] == DEFAULT_SEED
    assert list(manifest["options"]) == ["baseline"]


def test_default_out_is_results_slash_file_stem(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_ok(["run", str(TINY), "-n", "1", "-q", "--option", "baseline"])
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["tiny"]
    assert {p.name for p in (tmp_path / "results" / "tiny").iterdir()} == FILES


def test_option_restricts_the_options(tmp_path) -> None:
    out = tmp_path / "out"
    run_ok(["run", str(TINY), "-n", "1", "-q", "--out", str(out),
            "--option", "longer_sessions", "--option", "baseline"])
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["option"]) == {"baseline", "longer_sessions"}
    assert len(summary) == 2 * len(METRICS)
    for name in ("visits", "intervals"):
        frame = pd.read_parquet(out / f"{name}.parquet")
        assert set(frame["option"].astype(str)) == {"baseline", "longer_sessions"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["options"]) == {"baseline", "longer_sessions"}


def test_unknown_option_is_a_scenario_problem(tmp_path) -> None:
    out = tmp_path / "out"
    result = invoke(["run", str(TINY), "-q", "--out", str(out), "--option", "nope"])
    assert result.exit_code == 2
    assert "--option" in result.output and "'nope'" in result.output
    assert "extra_general" in result.output
    assert not out.exists()


def test_set_changes_the_baseline_and_every_option(tmp_path, tiny_run) -> None:
    out = tmp_path / "out"
    run_ok(["run", str(TINY), "-n", str(N), "--seed", str(SEED), "-q", "--out", str(out),
            "--set", "desks.general.counters=1"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counters = {name: o["desks"]["general"]["counters"] for name, o in manifest["options"].items()}
    # --set applies to the baseline before the options: extra_general still sets its own 3.
    assert counters == {"baseline": 1, "extra_general": 3, "longer_sessions": 1}
    changed = pd.read_csv(out / "summary.csv").set_index(["option", "metric"])["mean"]
    before = pd.read_csv(tiny_run[0] / "summary.csv").set_index(["option", "metric"])["mean"]
    # Same seed, same citizens: one general counter instead of two makes them wait longer.
    assert changed["baseline", "wait_mean"] > before["baseline", "wait_mean"]
    assert changed["longer_sessions", "wait_mean"] > before["longer_sessions", "wait_mean"]
    assert changed["extra_general", "wait_mean"] == before["extra_general", "wait_mean"]


def test_bad_set_is_one_message_naming_the_set(tmp_path) -> None:
    out = tmp_path / "out"
    result = invoke(["run", str(TINY), "-q", "--out", str(out),
                     "--set", "desks.general.countrs=3"])
    assert result.exit_code == 2
    assert "tiny.yaml" in result.output
    assert "desks.general.countrs" in result.output and "--set" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_quiet_prints_nothing(tmp_path) -> None:
    out = tmp_path / "out"
    result = run_ok(["run", str(TINY), "-n", "1", "--quiet", "--out", str(out)])
    assert result.stdout == ""
    assert {p.name for p in out.iterdir()} == FILES


def test_same_seed_gives_identical_files_and_another_seed_different_ones(
        tmp_path, tiny_run) -> None:
    first, _, _ = tiny_run
    again, other = tmp_path / "again", tmp_path / "other"
    base = ["run", str(TINY), "-n", str(N), "-q"]
    run_ok([*base, "--seed", str(SEED), "--out", str(again)])
    run_ok([*base, "--seed", str(SEED + 1), "--out", str(other)])
    for name in ("summary.csv", "replications.csv"):
        assert (again / name).read_bytes() == (first / name).read_bytes(), name
        assert (other / name).read_bytes() != (first / name).read_bytes(), name
    for name in ("visits.parquet", "intervals.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(again / name),
                                      pd.read_parquet(first / name))
    assert not pd.read_parquet(other / "visits.parquet").equals(
        pd.read_parquet(first / "visits.parquet"))


@pytest.mark.parametrize("flag", ["--replications", "--seed"])
def test_bad_numbers_are_usage_errors(tmp_path, flag) -> None:
    out = tmp_path / "out"
    value = "0" if flag == "--replications" else "-1"
    result = invoke(["run", str(TINY), flag, value, "--out", str(out)])
    assert result.exit_code == 2
    assert flag in result.output
    assert not out.exists()


def test_run_with_no_visitors_succeeds(tmp_path) -> None:
    out = tmp_path / "out"
    result = invoke(["run", str(TINY), "-n", "1", "-q", "--out", str(out), "--option", "baseline",
                     "--set", "arrivals.weekday_factor={thu: 0, fri: 0}"])
    assert result.exit_code == 0, repr(result.exception)
    summary = pd.read_csv(out / "summary.csv").set_index("metric")
    assert summary.loc["arrived", "mean"] == 0


def test_out_dot_gives_no_traceback(tmp_path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("mine")
    monkeypatch.chdir(work)
    result = invoke(["run", str(TINY), "-n", "1", "-q", "--option", "baseline", "--out", "."])
    assert result.exit_code == 2, repr(result.exception)
    assert "files that sim did not write (keep.txt)" in result.output
    assert isinstance(result.exception, SystemExit)
    assert [p.name for p in work.iterdir()] == ["keep.txt"], "the folder must be left alone"


# --- bad scenarios: one message, exit code 2, nothing written ----------------------------------

@pytest.mark.parametrize("command", ["run", "check"])
@pytest.mark.parametrize(("name", "path"), BAD_FILES)
def test_bad_scenario_is_one_message_and_exit_2(tmp_path, command, name, path) -> None:
    out = tmp_path / "out"
    args = [command, str(BROKEN / name)] + (["--out", str(out)] if command == "run" else [])
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert name in result.stderr
    assert path in result.stderr
    assert "allowed:" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_scenario_leaves_existing_results_untouched(tmp_path) -> None:
    out = tmp_path / "results" / "valid"
    out.mkdir(parents=True)
    (out / "comparison.csv").write_text("earlier results")  # of an earlier sim compare
    (out / "manifest.json").write_text("{}")
    result = invoke(["run", str(BROKEN / "negative_mean.yaml"), "--out", str(out)])
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["comparison.csv", "manifest.json"]
    assert (out / "comparison.csv").read_text() == "earlier results"
    assert siblings(out) == ["valid"]


@pytest.mark.parametrize("command", ["run", "check"])
def test_missing_scenario_file_exits_2(tmp_path, command) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "no_such_scenario.yaml"
    args = [command, str(missing)] + (["--out", str(out)] if command == "run" else [])
    result = invoke(args)
    assert result.exit_code == 2
    assert "no_such_scenario.yaml" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


# --- interrupted runs leave nothing half-written -----------------------------------------------

class Interrupted(Exception):
    pass


@pytest.fixture(params=[Interrupted, KeyboardInterrupt], ids=["error", "ctrl-c"])
def failing_parquet(request, monkeypatch):
    """Make the second table file (intervals) fail after writing part of itself."""
    original = sim.output.run_folder.merge_parts

    def merge_parts(parts, target, *args, **kwargs):
        if Path(target).name == "intervals.parquet":
            Path(target).write_bytes(b"PAR1 half a file")
            raise request.param("interrupted while writing")
        return original(parts, target, *args, **kwargs)

    monkeypatch.setattr(sim.output.run_folder, "merge_parts", merge_parts)
    return request.param


def test_interrupted_write_publishes_nothing_and_resumes(tmp_path, failing_parquet,
                                                         monkeypatch) -> None:
    """A failure while the folder's files are written publishes nothing; the finished runs
    stay in the hidden staging folder, and --resume writes the folder without running them."""
    out = tmp_path / "out"
    args = ["run", str(TINY), "-n", "1", "-q", "--option", "baseline", "--out", str(out)]
    result = invoke(args)
    assert result.exit_code != 0
    assert not out.exists()
    assert siblings(out) == [".out.partial"]  # kept for --resume, and nothing else
    monkeypatch.undo()
    monkeypatch.setattr(sim.experiment.unit, "write_batch", _no_unit)  # nothing runs again
    run_ok([*args, "--resume"])
    assert {p.name for p in out.iterdir()} == FILES
    assert siblings(out) == ["out"]


def _no_unit(*_):
    raise AssertionError("a unit ran again")


def test_interrupted_write_keeps_previous_results(tmp_path, failing_parquet) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "comparison.csv").write_text("earlier results")  # of an earlier sim compare
    (out / "manifest.json").write_text("{}")
    result = invoke(["run", str(TINY), "-n", "1", "-q", "--option", "baseline",
                     "--out", str(out)])
    assert result.exit_code != 0
    assert sorted(p.name for p in out.iterdir()) == ["comparison.csv", "manifest.json"]
    assert siblings(out) == [".out.partial", "out"]


def test_interrupted_experiment_publishes_nothing(tmp_path, monkeypatch) -> None:
    original = sim.experiment.unit.write_batch
    calls = []

    def stop_after_first(*args):
        if calls:
            raise KeyboardInterrupt
        calls.append(original(*args))
        return calls[-1]

    monkeypatch.setattr(sim.experiment.unit, "write_batch", stop_after_first)
    out = tmp_path / "out"
    result = invoke(["run", str(TINY), "-n", "3", "-q", "--out", str(out)])
    assert result.exit_code == 130
    assert "--resume to continue" in result.output
    assert siblings(out) == [".out.partial"]


def test_save_results_failure_inside_writer_leaves_nothing(tmp_path, monkeypatch) -> None:
    """The same through the Python entry point of the writer, with a failing manifest."""
    results = sim.run(TINY, replications=1, options=["baseline"])

    def broken_manifest(*args, **kwargs):
        return {"not json": object()}

    monkeypatch.setattr(sim.output.save, "build_manifest", broken_manifest)
    with pytest.raises(TypeError):
        sim.output.save.save_results(results, tmp_path / "out", ["sim", "run"])
    assert list(tmp_path.iterdir()) == []


def test_successful_rerun_replaces_the_folder_without_leftovers(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "comparison.csv").write_text("earlier results")  # of an earlier sim compare
    (out / "manifest.json").write_text("{}")
    run_ok(["run", str(TINY), "-n", "1", "-q", "--option", "baseline", "--out", str(out)])
    assert {p.name for p in out.iterdir()} == FILES
    assert siblings(out) == ["out"]  # no .out.old or .out.*.tmp left beside it


# --- sim check ---------------------------------------------------------------------------------

GENERAL, LAND = "Desk for Chứng thực bản sao từ bản chính", "Desk for Đất đai"  # tiny's desks


def test_check_valid_prints_resolved_scenario_and_load_table() -> None:
    result = run_ok(["check", str(TINY), "--lang", "en"])
    assert result.stderr == ""
    assert "tiny.yaml: valid" in result.stdout
    for option in ("Current staffing", "Option 1", "Option 2"):
        assert f"Offered load, {option} (busiest day):" in result.stdout
    for column in ("desk", "busiest day", "visitors", "minutes of service asked",
                   "open counter-minutes", "day's load", "busiest half-hour's load"):
        assert column in result.stdout
    # The resolved scenario (defaults filled in) comes first and is valid YAML for the schema.
    resolved = yaml.safe_load(result.stdout.split("Offered load")[0])
    assert resolved["max_trips"] == 10  # a default the file does not give
    assert Scenario.model_validate(resolved) == load_scenario(TINY).baseline
    # Baseline general desk: 120 x 0.7 x 8 = 672 offered minutes over 2 x 450 counter minutes.
    baseline_table = result.stdout.split("Offered load, Current staffing")[1].split("\n\n")[0]
    general = next(line for line in baseline_table.splitlines() if line.strip().startswith(
        GENERAL))
    assert "672.00" in general and "900.00" in general and "0.75" in general


def test_one_replication_s_table_says_it_has_no_interval(tmp_path: Path) -> None:
    result = run_ok(["run", str(TINY), "-n", "1", "--no-report", "--lang", "en", "--out",
                     str(tmp_path / "one")])
    assert "one replication: no confidence interval" in result.stdout
    assert "half-width" not in result.stdout and "±" not in result.stdout
    two = run_ok(["run", str(TINY), "-n", "2", "--no-report", "--lang", "en", "--out",
                  str(tmp_path / "two")])
    assert "mean ± half-width of 95% CI" in two.stdout


def test_check_names_a_desk_an_option_adds_by_its_own_label() -> None:
    helper = ('options={"helper": {"desks.spare": {"counters": 1, "serves": ["general"], '
              '"label": {"vi": "Quầy phụ", "en": "Spare desk"}}}}')
    result = run_ok(["check", str(TINY), "--set", helper, "--lang", "en"])
    table = result.stdout.split("Offered load, Option 1 (busiest day):")[1]
    assert "Spare desk" in table and "Desk 3" not in table


def test_check_speaks_vietnamese_by_default() -> None:
    result = run_ok(["check", str(TINY), "--set", "desks.general.counters=1"])
    assert "Tải đặt ra, «Giữ nguyên như hiện nay» (ngày đông nhất):" in result.stdout
    assert "672,00" in result.stdout, "numbers the Vietnamese way"
    assert ("cảnh báo: «Giữ nguyên như hiện nay», Quầy Chứng thực bản sao từ bản chính: tải "
            "đặt ra 1,49") in result.stderr
    assert result.stdout.rstrip().endswith("tiny.yaml: hợp lệ (quá tải: quầy)")


def test_check_overloaded_desk_warns_on_stderr() -> None:
    result = run_ok(["check", str(TINY), "--set", "desks.general.counters=1", "--lang", "en"])
    assert "warning" in result.stderr
    assert f"Current staffing, {GENERAL}: offered load 1.49" in result.stderr
    assert LAND not in result.stderr  # land (0.80) is not overloaded
    assert "Option 1" not in result.stderr  # three counters there
    assert "warning" not in result.stdout
    assert "valid (overloaded: desks)" in result.stdout


def test_check_names_the_back_office_when_it_alone_is_overloaded() -> None:
    """office.yaml's desks keep up (loads 0.50 and 0.64) but its back office gets 5 times its
    hours: the last line must not blame the desks."""
    result = run_ok(["check", str(TESTS / "fixtures" / "office.yaml"), "--lang", "en"])
    assert result.stdout.rstrip().endswith("valid (overloaded: back office)")
    assert "transferred backlog 50 staff-hours" in result.stdout
    without = run_ok(["check", str(TESTS / "fixtures" / "office.yaml"), "--set", "backlog=[]",
                      "--lang", "en"])
    assert "no transferred backlog" in without.stdout
    assert "never clear" not in without.stdout


# --- sim schema and --help ---------------------------------------------------------------------

def test_schema_is_json_with_the_top_level_fields() -> None:
    result = run_ok(["schema"])
    schema = json.loads(result.stdout)
    assert {"calendar", "desks", "procedures", "arrivals"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"name", "calendar", "arrivals", "procedures"}
    assert {"desks", "sites", "back_office", "backlog", "disruptions"} <= set(schema["properties"])


@pytest.mark.parametrize("command", [[], ["run"], ["check"], ["schema"]])
def test_every_command_has_help(command) -> None:
    result = run_ok([*command, "--help"])
    assert "Usage:" in result.stdout
    for word in {"run": ["--replications", "--seed", "--out", "--option", "--set", "--quiet"],
                 "check": ["--set"]}.get(command[0] if command else "", []):
        assert word in result.stdout


def test_run_of_one_option_without_the_baseline_writes_its_report(tmp_path) -> None:
    """`--option X` alone: nothing to pair X with, so the page shows X without differences
    (it once failed looking for the baseline's column)."""
    out = tmp_path / "out"
    run_ok(["run", str(TINY), "-n", "2", "-q", "--option", "extra_general", "--report",
            "--out", str(out)])
    assert "report.html" in {p.name for p in out.iterdir()}
    assert set(pd.read_csv(out / "summary.csv")["option"]) == {"extra_general"}
