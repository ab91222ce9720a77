"""The same experiment gives the same results, byte for byte, whatever runs it: this process,
local worker processes, or a Dask distributed cluster (a LocalCluster on 127.0.0.1 here)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.experiment import executors

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
CSV_FILES = ("summary.csv", "replications.csv")
PARQUET_FILES = ("visits.parquet", "intervals.parquet", "dossiers.parquet", "daily.parquet")


def run_into(folder: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["run", str(TINY), "-n", "4", "--seed", "99", "--out",
                                       str(folder), "-q", "--no-report", *extra])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return folder


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_into(tmp_path_factory.mktemp("sequential") / "out")


def assert_same(first: Path, second: Path) -> None:
    for name in CSV_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for name in PARQUET_FILES:
        pd.testing.assert_frame_equal(pd.read_parquet(first / name),
                                      pd.read_parquet(second / name), check_exact=True)


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_local_processes_give_identical_results(sequential: Path, tmp_path: Path,
                                                jobs: str) -> None:
    assert_same(sequential, run_into(tmp_path / "out", "--jobs", jobs))


def test_dask_cluster_gives_identical_results(sequential: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """One unit in flight per worker: the 4 units go in a window of 2, results in order."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_UNITS_PER_THREAD", 1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        assert_same(sequential, run_into(tmp_path / "out", "--scheduler",
                                         cluster.scheduler_address))
