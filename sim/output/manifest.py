"""The manifest that makes a results folder explain itself: what was run, with which seeds and
versions, by which command, and how long it took."""

from __future__ import annotations

import datetime as dt
import platform
import sys
from collections.abc import Sequence
from importlib import metadata

from sim.experiment.runner import Results
from sim.scenario.document import scenario_document
from sim.scenario.load import ScenarioSet

RUN, PROVINCE = "run", "province"  # the kinds of results folder, as manifests name them
PACKAGES = ("sim", "simpy", "numpy", "pandas", "pyarrow", "pydantic", "scipy", "matplotlib")


def build_manifest(results: Results, command: list[str] | None = None) -> dict:
    """A JSON-ready description of the run: resolved scenarios, seeds, versions, command."""
    return run_manifest(results.scenarios, results.root_seed, results.seeds,
                        results.runtime_seconds, command)


def run_manifest(scenarios: ScenarioSet, root_seed: int, seeds: Sequence[int],
                 runtime_seconds: float, command: list[str] | None = None) -> dict:
    """The manifest of a run of `scenarios` with these seeds."""
    return {
        "kind": RUN,
        "scenario_file": scenarios.source,
        "scenario_name": scenarios.baseline.name,
        "baseline": scenario_document(scenarios.baseline, with_options=True),
        "options": {name: scenario_document(scenario)
                    for name, scenario in scenarios.options.items()},
        "root_seed": root_seed,
        "replication_seeds": list(seeds),
        "replications": len(seeds),
        "versions": package_versions(),
        "command": command if command is not None else sys.argv,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runtime_seconds": round(runtime_seconds, 3),
    }


def package_versions() -> dict[str, str]:
    """Installed versions of Python and the packages a result depends on."""
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found
