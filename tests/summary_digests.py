"""Digests of `summary.csv` for every bundled scenario: a check that a change leaves results as
they were, byte for byte.

    PYTHONPATH=. python tests/summary_digests.py OUT_DIR

runs `sim run` on each scenario of tests/test_scenarios.py (SCENARIOS), every option, 2
replications and `calendar.working_days=5`, keeps each `summary.csv` under OUT_DIR and prints
one line per scenario: the sha256 of its summary.csv and the scenario's path. Run it on the
commit before a change (from a `git worktree add` of it) and on the change, then compare the
printed lines (or `cmp` the files): a refactoring must print the same digests.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from click.testing import CliRunner

from sim.cli import main

BUNDLED = Path(__file__).resolve().parent.parent / "scenarios"
# The same list as tests/test_scenarios.py (SCENARIOS), read from there so that they agree.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_scenarios import SCENARIOS  # noqa: E402

REPLICATIONS = 2
WORKING_DAYS = 5


def summary_digest(scenario: Path, out: Path) -> str:
    """Run one scenario as `sim run` does and return the sha256 of its summary.csv."""
    result = CliRunner().invoke(main, [
        "run", str(scenario), "-n", str(REPLICATIONS), "--out", str(out), "--no-report",
        "--quiet", "--set", f"calendar.working_days={WORKING_DAYS}"])
    if result.exit_code != 0:
        raise SystemExit(f"{scenario}: sim run failed ({result.exit_code}):\n{result.output}"
                         f"{result.exception!r}")
    return hashlib.sha256((out / "summary.csv").read_bytes()).hexdigest()


def province_digest(province: Path, out: Path) -> str:
    """Run a province file as `sim province run -n 2` does (default seed, sampled visits) and
    return the sha256 of its summary.csv."""
    result = CliRunner().invoke(main, [
        "province", "run", str(province), "-n", str(REPLICATIONS), "--out", str(out), "--quiet"])
    if result.exit_code != 0:
        raise SystemExit(f"{province}: sim province run failed ({result.exit_code}):\n"
                         f"{result.output}{result.exception!r}")
    return hashlib.sha256((out / "summary.csv").read_bytes()).hexdigest()


def main_digests(out_root: Path) -> None:
    for scenario in SCENARIOS:
        name = scenario.relative_to(BUNDLED).with_suffix("").as_posix().replace("/", "__")
        digest = summary_digest(scenario, out_root / name)
        print(f"{digest}  {scenario.relative_to(BUNDLED).as_posix()}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main_digests(Path(sys.argv[1]))
