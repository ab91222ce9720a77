"""The Python API: the same verbs as the command line, for notebooks and scripts.

>>> import sim
>>> results = sim.run(sim.DEMO_SCENARIO, replications=1, options=["baseline"])
>>> results.summary.query("metric == 'wait_mean'")[["option", "replications"]].values.tolist()
[['baseline', 1]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sim.experiment.runner import DEFAULT_REPLICATIONS, Results, run_experiment
from sim.experiment.seeds import DEFAULT_SEED
from sim.scenario.load import ScenarioSet, load_scenario

DEMO_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "demo.yaml"
RESULTS_ROOT = Path("results")


def run(
    scenario: str | Path | ScenarioSet,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    options: Sequence[str] = (),
    overrides: Sequence[str] = (),
) -> Results:
    """Load (if given a path) and run a scenario; returns tidy result frames."""
    scenarios = (scenario if isinstance(scenario, ScenarioSet)
                 else load_scenario(scenario, overrides=overrides, options=options))
    return run_scenarios(scenarios, replications, seed)


def run_scenarios(
    scenarios: ScenarioSet,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    on_replication_done: Callable[[int], None] | None = None,
) -> Results:
    """Run an already loaded scenario set."""
    return run_experiment(scenarios, replications, seed, on_replication_done)


def default_results_folder(scenarios: ScenarioSet) -> Path:
    """results/<scenario file name without extension>, relative to the working directory."""
    return RESULTS_ROOT / scenarios.stem
