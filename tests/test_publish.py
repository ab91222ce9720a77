"""Publishing a results folder is crash-safe and never destroys what sim did not write."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.output.folder import FolderError, check_target, write_files

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests/fixtures/tiny.yaml"


def _run(out: Path) -> CliRunner:
    return CliRunner().invoke(main, ["run", str(TINY), "-n", "1", "-q", "--no-report",
                                     "--option", "baseline", "--out", str(out)])


def test_a_file_kept_in_a_results_folder_is_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(out).exit_code == 0
    (out / "my_scenario.yaml").write_text("mine")
    result = _run(out)
    assert result.exit_code == 2
    assert "files that sim did not write (my_scenario.yaml)" in result.output
    assert (out / "my_scenario.yaml").read_text() == "mine"


def test_out_under_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = _run(tmp_path / "file" / "out")
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(FolderError, match="cannot write in"):
            check_target(locked / "out")
    finally:
        locked.chmod(0o755)


def test_a_folder_that_refuses_writes_is_refused(tmp_path: Path, monkeypatch) -> None:
    """What a read-only file system does, also to root: making anything in it fails."""
    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    with pytest.raises(FolderError, match="Read-only file system"):
        check_target(tmp_path / "out")


def test_a_kill_between_the_two_renames_is_repaired(tmp_path: Path) -> None:
    """The state a kill leaves between setting the old results aside and putting the new ones
    in place: no results folder, only `.out.old`. The next publisher repairs it."""
    out = tmp_path / "out"
    assert _run(out).exit_code == 0
    out.rename(tmp_path / ".out.old")
    assert _run(out).exit_code == 0
    assert (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = tmp_path / f".out.{int(finished.stdout)}.abcd.tmp"
    alive = tmp_path / f".out.{os.getppid()}.efgh.tmp"  # a running process's: kept
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "summary.csv").write_text("half written")
    assert _run(tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "out"]


def _publish_many(target: str, writer: int) -> None:
    for round_ in range(15):
        write_files(Path(target), {
            "manifest.json": lambda p, w=writer, r=round_: p.write_text(f'{{"w": {w}, "r": {r}}}'),
            "summary.csv": lambda p: p.write_text("option,metric\n"),
        })


def test_concurrent_publishers_into_one_folder_all_succeed(tmp_path: Path) -> None:
    target = tmp_path / "out"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_publish_many, args=(str(target), w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "summary.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
