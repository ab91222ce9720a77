"""Local worker processes: never more than there are units, and none outlives `sim`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sim.experiment import executors
from sim.experiment.executors import run_units

WAIT_SECONDS = 30  # a bound on waiting for processes that should be gone at once


def _pid_of_worker(_: int) -> int:
    return os.getpid()


def test_no_more_workers_than_units(monkeypatch) -> None:
    started: list[int] = []

    class Counting(executors.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **options: object) -> None:
            started.append(max_workers)
            super().__init__(max_workers, **options)

    monkeypatch.setattr(executors, "ProcessPoolExecutor", Counting)
    pids = set(run_units(_pid_of_worker, [(i,) for i in range(2)], jobs=300))
    assert started == [2]
    assert os.getpid() not in pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, only not yet reaped
        return stat.read().split(") ")[1][0] != "Z"


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from sim.experiment.executors import run_units

        def sleeper(index):
            Path({str(tmp_path)!r}, f"{{index}}.pid").write_text(str(os.getpid()))
            time.sleep(600)

        if __name__ == "__main__":
            list(run_units(sleeper, [(0,), (1,)], jobs=2))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + WAIT_SECONDS
    while len(list(tmp_path.glob("*.pid"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p.read_text()) for p in tmp_path.glob("*.pid")]
    assert len(workers) == 2, "the workers did not start"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "worker processes outlived the killed parent"
