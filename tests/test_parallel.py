"""The same experiment gives the same results, byte for byte, whatever runs it: this process,
local worker processes, or a Dask distributed cluster (a LocalCluster on 127.0.0.1 here)."""

from __future__ import annotations

import time
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


def _wait_for(flag: Path) -> bool:
    """Whether the flag file appears within a minute."""
    for _ in range(600):
        if flag.exists():
            return True
        time.sleep(0.1)
    return False


def _first_waits_for_the_last(index: int, last: int, marker: str) -> int:
    """Unit 0 waits for the last unit to have run, which marks that; each unit gives back
    its index, or -1 if it waited in vain."""
    if index == last:
        Path(marker).touch()
    return index if index or _wait_for(Path(marker)) else -1


def test_on_dask_a_slow_unit_does_not_hold_back_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads and a window of one unit each: while unit 0 runs, the other thread must
    get through every later unit (a window refilled only in order would wait for unit 0
    first, which waits for the last unit: it would time out and give -1); the results still
    come back in submission order, though unit 0 finishes last."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_UNITS_PER_THREAD", 1)
    units = [(index, 7, str(tmp_path / "last ran")) for index in range(8)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  dashboard_address=None, processes=False) as cluster:
        came_back = list(executors.run_units(_first_waits_for_the_last, units,
                                             scheduler=cluster.scheduler_address))
    assert came_back == list(range(8))


def _pair_waits_for_each_other(index: int, folder: str) -> int:
    """Unit 0 at once; units 1 and 2 each mark that they run, then wait for the other: they
    finish only if they run at the same time. The index back, or -1 if it waited in vain."""
    if index == 0:
        return 0
    (Path(folder) / str(index)).touch()
    return index if _wait_for(Path(folder) / str(3 - index)) else -1


def test_on_dask_the_window_is_recounted_as_workers_join(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An adaptive cluster may have no worker when the run connects. Here the scheduler is
    made to say so once: the window is then one unit (one per thread, at least one), and
    only a window counted again after that unit sees both threads and lets the pair, which
    must run together, in at once (a window counted once would time out and give -1)."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "DASK_UNITS_PER_THREAD", 1)
    real = distributed.Client.nthreads
    asked: list[bool] = []

    def none_at_first(client: object, *args: object, **kwargs: object) -> dict:
        asked.append(True)
        return {} if len(asked) == 1 else real(client, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "nthreads", none_at_first)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  dashboard_address=None, processes=False) as cluster:
        came_back = list(executors.run_units(_pair_waits_for_each_other,
                                             [(index, str(tmp_path)) for index in range(3)],
                                             scheduler=cluster.scheduler_address))
    assert came_back == [0, 1, 2]


def _square(value: int) -> int:
    return value * value


def test_on_dask_an_adaptive_cluster_with_no_worker_yet_runs_every_unit() -> None:
    """With no worker at the start, the first units are submitted all the same (an adaptive
    cluster starts workers for tasks waiting, so waiting for a worker first would wait for
    ever), and the results come back in order."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, threads_per_worker=1,
                                  dashboard_address=None, processes=False) as cluster:
        cluster.adapt(minimum=0, maximum=2, interval="100ms")
        squares = list(executors.run_units(_square, [(value,) for value in range(30)],
                                           scheduler=cluster.scheduler_address))
    assert squares == [value * value for value in range(30)]
