"""A results folder gives back what wrote it: run -> write -> load returns the same resolved
scenarios, and `sim report` and `sim plot` work on it, for run, compare and province folders
alike; a damaged folder gets one clear error with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from markupsafe import escape
from scenario_strategies import scenario_documents
from test_scenarios import SCENARIOS

from sim.cli import main
from sim.experiment.runner import run_experiment
from sim.experiment.unit import FRAMES
from sim.output.province_results import load_province_results
from sim.output.results_io import load_results
from sim.output.save import save_results
from sim.scenario.document import scenario_document
from sim.scenario.load import ScenarioSet, load_scenario, scenario_from_document, validate_document
from sim.scenario.province.load import load_province

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = SCENARIOS
# Eight working days from 1 July 2025 reach every dated outage of the bundled centres.
SHORT = ("calendar.working_days=8",)


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


GENERATED = settings(deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.function_scoped_fixture])


def _writes_back_as_itself(scenarios: ScenarioSet) -> None:
    """Every scenario through JSON in the scenario format and the validation gives itself."""
    for name, scenario in {"baseline (with options)": scenarios.baseline,
                           **scenarios.options}.items():
        document = json.loads(json.dumps(scenario_document(
            scenario, with_options=scenario is scenarios.baseline)))
        assert validate_document(document, "manifest.json") == scenario, name


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_option_of_a_bundled_scenario_writes_back_as_itself(path: Path) -> None:
    _writes_back_as_itself(load_scenario(path))


@GENERATED
@given(document=scenario_documents())
def test_every_generated_scenario_writes_back_as_itself(document: dict) -> None:
    _writes_back_as_itself(scenario_from_document(document, "generated.yaml"))


def _round_trip_with_pages(scenarios: ScenarioSet, folder: Path) -> None:
    """run -> write -> load gives the same scenarios and tables; report and plot succeed."""
    results = run_experiment(scenarios, replications=1)
    folder = save_results(results, folder)
    loaded = load_results(folder)
    assert loaded.scenarios.baseline == scenarios.baseline
    assert loaded.scenarios.options == scenarios.options
    assert loaded.seeds == results.seeds
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(results, name),
                                      check_dtype=False, check_categorical=False)
    assert "report written" in _cli("report", folder, "--lang", "en")
    assert "figures" in _cli("plot", folder, "--format", "png")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_run_write_load_then_report_and_plot(path: Path, tmp_path: Path) -> None:
    _round_trip_with_pages(load_scenario(path, overrides=SHORT), tmp_path / "out")


@settings(GENERATED, max_examples=4)  # each draws six figures twice: a few seconds
@given(document=scenario_documents())
def test_generated_scenario_run_write_load_then_report_and_plot(document: dict,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
    _round_trip_with_pages(scenario_from_document(document, "generated.yaml"), folder)


def test_compare_folder_reports_and_plots_again(tmp_path: Path) -> None:
    folder = tmp_path / "compared"
    _cli("compare", ROOT / "scenarios/centres/mid_size_ward.yaml", "-n", "2", "--out", folder,
         "--no-report", *(f"--set={change}" for change in SHORT))
    assert load_results(folder).scenarios.options == load_scenario(
        ROOT / "scenarios/centres/mid_size_ward.yaml", overrides=SHORT).options
    assert "report written" in _cli("report", folder, "--lang", "en")
    page = (folder / "report.en.html").read_text(encoding="utf-8")
    sentence = json.loads((folder / "recommendation.json").read_text(encoding="utf-8"))
    lead = sentence["sentence"][:60]  # the stored recommendation begins the page's, in English
    assert str(escape(lead)) in page and 'lang="en"' in page
    assert "figures" in _cli("plot", folder, "--format", "png")


def test_province_folder_reports_and_plots_again(tmp_path: Path) -> None:
    province_file = ROOT / "tests/fixtures/province/province.yaml"
    folder = tmp_path / "province"
    _cli("province", "run", province_file, "-n", "2", "--out", folder, "--visits", "none")
    found = load_province_results(folder)
    province = load_province(province_file)
    assert found.scenarios == {centre: dict(scenarios.options)
                               for centre, scenarios in province.scenarios.items()}
    before = (folder / "province.csv").read_text(encoding="utf-8")
    assert "report written" in _cli("report", folder, "--lang", "en")
    assert 'lang="en"' in (folder / "report.en.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in (folder / "report.html").read_text(encoding="utf-8")
    written = _cli("plot", folder, "--format", "png", "--lang", "vi").split()
    assert written and all(Path(p).suffix == ".png" and Path(p).is_file() for p in written)
    assert (folder / "province.csv").read_text(encoding="utf-8") == before
    _cli("plot", folder, "--format", "svg", "--lang", "en")
    maps = {option: (folder / "figures" / f"province_map_{option}.svg").read_text(
        encoding="utf-8") for option in ("baseline", "one_more_counter")}
    assert "(Current staffing)" in maps["baseline"], "the map names the option as the page does"
    assert "(One more counter)" in maps["one_more_counter"]
    assert "one_more_counter" not in maps["one_more_counter"]


@pytest.fixture(scope="module")
def good_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenarios = load_scenario(ROOT / "scenarios/theory/md1.yaml",
                              overrides=("calendar.working_days=1", "warmup_minutes=0"))
    return save_results(run_experiment(scenarios, 1), tmp_path_factory.mktemp("good") / "md1")


def _edited_manifest(edit: Callable[[dict], None]) -> Callable[[Path, Path], bytes]:
    def content(good: Path, _: Path) -> bytes:
        manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
        edit(manifest)
        return json.dumps(manifest).encode()
    return content


def _bytes(data: bytes) -> Callable[[Path, Path], bytes]:
    return lambda good, tmp: data


def _frame_without_option(_: Path, tmp_path: Path) -> bytes:
    path = tmp_path / "frame.parquet"
    pd.DataFrame({"x": [1]}).to_parquet(path)
    return path.read_bytes()


DAMAGE = {
    "not-json": ("manifest.json", _bytes(b"{not json"), "manifest.json: cannot be read"),
    "not-object": ("manifest.json", _bytes(b"[1, 2]"), "not a manifest"),
    "missing-key": ("manifest.json", _edited_manifest(lambda m: m.pop("baseline")),
                    "lacks baseline"),
    "invalid-scenario": ("manifest.json", _edited_manifest(
        lambda m: m["options"]["baseline"]["calendar"].update(working_days="many")),
        "options.baseline.calendar.working_days"),
    "unknown-kind": ("manifest.json", _edited_manifest(lambda m: m.update(kind="census")),
                     "kind 'census'"),
    "garbage-parquet": ("visits.parquet", _bytes(b"PAR1 garbage"),
                        "visits.parquet: cannot be read"),
    "empty-csv": ("summary.csv", _bytes(b""), "summary.csv: cannot be read"),
    "no-option-column": ("daily.parquet", _frame_without_option,
                         "daily.parquet: no option column"),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", ["report", "plot"])
def test_damaged_folder_gets_one_clear_error(good_folder: Path, tmp_path: Path, command: str,
                                             damage: str) -> None:
    name, content, says = DAMAGE[damage]
    folder = tmp_path / "damaged"
    folder.mkdir()
    for file in good_folder.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / name).write_bytes(content(good_folder, tmp_path))
    result = CliRunner().invoke(main, [command, str(folder)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # not an uncaught error
    assert says in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not (folder / "report.html").exists() and not (folder / "figures").exists()


def _strict_json(path: Path) -> object:
    def refuse(word: str) -> None:
        raise ValueError(f"{path.name} holds {word}, which is not JSON")
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def test_json_files_are_valid_json_when_statistics_do_not_exist(tmp_path: Path) -> None:
    """No visitor at all: waits and shares have no value, and the files say null, not NaN."""
    folder = tmp_path / "empty"
    _cli("compare", ROOT / "tests/fixtures/tiny.yaml", "-n", "2", "--out", folder, "-q",
         "--no-report", "--set", "arrivals.weekday_factor={thu: 0, fri: 0}",
         "--set", "targets.wait_mean=10")
    recommendation = _strict_json(folder / "recommendation.json")
    _strict_json(folder / "manifest.json")
    assert "null" in json.dumps(recommendation)  # the missing statistics, as JSON says it


def test_a_run_nobody_came_to_reports_and_plots(tmp_path: Path) -> None:
    """Found by the generated round trip: one expected visitor and a run without any; the
    figures that have nothing to show are left out instead of failing the report."""
    scenarios = load_scenario(ROOT / "tests/fixtures/tiny.yaml", options=["baseline"],
                              overrides=["arrivals.weekday_factor={thu: 0, fri: 0}"])
    _round_trip_with_pages(scenarios, tmp_path / "out")
