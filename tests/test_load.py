"""`sim.load` gives back what the run returned: a `sim run` folder the Results of `sim.run`, a
`sim compare` folder the Comparison of `sim.compare`, a province folder its ProvinceResults;
frames equal value for value and dtype for dtype (categories, timestamps and all)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import sim
from sim.cli import main
from sim.experiment.runner import Results
from sim.experiment.unit import FRAMES
from sim.output.results_io import ResultsFolderError

FIXTURES = Path(__file__).parent / "fixtures"
OFFICE = FIXTURES / "office.yaml"  # a back office: dossiers with deadlines and a backlog
TINY = FIXTURES / "tiny.yaml"
TARGET = ['targets={"wait_p90": 30}']


def written(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [*args, "--out", str(out), "-q", "--no-report"])
    assert result.exit_code == 0, result.output
    return out


def assert_same_results(loaded: Results, ran: Results) -> None:
    for name in ("summary", "replications", *FRAMES):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(ran, name),
                                      check_exact=True, obj=name)
    assert loaded.seeds == ran.seeds and loaded.root_seed == ran.root_seed
    assert loaded.scenarios.options == ran.scenarios.options


def test_a_run_folder_loads_as_the_results_of_sim_run(tmp_path: Path) -> None:
    folder = written(tmp_path, "run", str(OFFICE), "-n", "2", "--set", "arrivals.per_day=60")
    loaded = sim.load(folder)
    assert isinstance(loaded, Results)
    assert_same_results(loaded, sim.run(OFFICE, replications=2,
                                        overrides=["arrivals.per_day=60"]))


def test_a_compare_folder_loads_as_the_comparison_of_sim_compare(tmp_path: Path) -> None:
    folder = written(tmp_path, "compare", str(TINY), "-n", "3", "--set", TARGET[0])
    loaded = sim.load(folder)
    compared = sim.compare(TINY, replications=3, overrides=TARGET)
    assert isinstance(loaded, sim.Comparison)
    assert_same_results(loaded.results, compared.results)
    pd.testing.assert_frame_equal(loaded.table, compared.table, check_exact=True)
    assert loaded.recommendation == compared.recommendation
    assert loaded.precision is None


def test_compare_takes_options_and_overrides_as_run_does() -> None:
    compared = sim.compare(TINY, replications=2, options=["extra_general"], overrides=TARGET)
    assert list(compared.results.scenarios.options) == ["baseline", "extra_general"]
    assert compared.results.scenarios.baseline.targets.wait_p90 == 30
    assert set(compared.table["option"].astype(str)) == {"baseline", "extra_general"}


def test_a_province_folder_loads_with_its_metrics(tmp_path: Path) -> None:
    out = tmp_path / "province"
    result = CliRunner().invoke(main, ["province", "run", str(FIXTURES / "province" /
                                                              "province.yaml"),
                                       "-n", "2", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    loaded = sim.load(out)
    assert isinstance(loaded, sim.ProvinceResults)
    assert set(loaded.summary["centre"]) == set(loaded.scenarios)
    assert loaded.per_replication["replication"].nunique() == 2
    assert loaded.name in repr(loaded).splitlines()[0]


def test_loading_what_is_not_a_results_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(ResultsFolderError, match=str(tmp_path)):
        sim.load(tmp_path)


@pytest.fixture(scope="module")
def office() -> Results:
    return sim.run(OFFICE, replications=2)


def test_categories_are_the_same_in_every_table(office: Results) -> None:
    tables = [office.summary, office.replications, *(getattr(office, n) for n in FRAMES)]
    for column in ("option", "procedure", "desk", "outcome", "source"):
        dtypes = [table[column].dtype for table in tables if column in table.columns]
        assert dtypes and all(isinstance(d, pd.CategoricalDtype) for d in dtypes), column
        assert all(d == dtypes[0] for d in dtypes), column
    assert list(office.intervals["desk"].cat.categories) == ["general", "land"]


def test_timestamps_stand_beside_the_minutes(office: Results) -> None:
    start = pd.Timestamp("2025-07-01")
    visits, dossiers = office.visits, office.dossiers
    minutes = (visits["arrival_time"] - start) / pd.Timedelta(minutes=1)
    np.testing.assert_allclose(minutes, visits["arrival"], atol=1e-6)
    assert (visits["arrival_time"].dt.normalize()
            == start + pd.to_timedelta(visits["arrival"] // 1440, unit="D")).all()
    assert dossiers["completed_time"].isna().equals(dossiers["completed"].isna())
    assert dossiers["due_time"].isna().equals(~np.isfinite(dossiers["due"]))
    daily = office.daily
    assert (daily["date"] == daily["date"].dt.normalize()).all()
    assert daily["date"].iloc[0] == start


def test_every_timestamp_column_has_one_unit(office: Results, tmp_path: Path) -> None:
    """pandas picks a unit from the values (whole minutes: microseconds), so due dates and
    days came out in other units than arrivals: every table says nanoseconds, in memory and
    in the Parquet parts of a streamed run alike."""
    for name in FRAMES:
        table = getattr(office, name)
        for column in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[column]):
                assert table[column].dtype == "datetime64[ns]", (name, column)
    out = tmp_path / "run"
    assert CliRunner().invoke(main, ["run", str(OFFICE), "-n", "2", "-q", "--no-report",
                                     "--out", str(out)]).exit_code == 0
    for part in out.rglob("*.parquet"):
        for field in pq.read_schema(part):
            if pa.types.is_timestamp(field.type):
                assert field.type.unit == "ns", (part.name, field.name)


def test_a_counter_dossier_joins_the_visit_that_submitted_it(office: Results) -> None:
    keys = ["option", "replication", "citizen", "trip"]
    counter = office.dossiers[office.dossiers["source"] == "counter"].rename(
        columns={"trips": "trip", "procedure": "dossier_procedure"})
    joined = counter.merge(office.visits, on=keys, how="left", validate="one_to_one")
    assert len(counter) > 0 and joined["outcome"].eq("served").all()
    assert (joined["procedure"] == joined["dossier_procedure"]).all()
    assert (joined["end"] <= joined["received"] + 1e-9).all()
    others = office.dossiers[office.dossiers["source"] != "counter"]
    assert len(others) > 0 and (others["citizen"] == -1).all()


def test_repr_is_a_few_lines_with_the_key_metrics(office: Results) -> None:
    lines = repr(office).splitlines()
    assert len(lines) == 2 + len(office.scenarios.options)
    assert "2 replications" in lines[0] and OFFICE.as_posix() in lines[0]
    assert "wait_mean" in lines[1] and "on_time_share" in lines[1]
