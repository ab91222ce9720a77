"""The Python API: the same verbs as the command line, for notebooks and scripts.

>>> import sim
>>> results = sim.run(sim.DEMO_SCENARIO, replications=1, options=["baseline"])
>>> results.summary.query("metric == 'wait_mean'")[["option", "replications"]].values.tolist()
[['baseline', 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.decide.compare import Comparison, compare
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.runner import DEFAULT_REPLICATIONS, Results, run_experiment
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import ScenarioSet, load_scenario

__all__ = ["DEMO_SCENARIO", "Comparison", "compare", "default_results_folder", "run",
           "run_scenarios"]

DEMO_SCENARIO = BUNDLED_SCENARIOS / "demo.yaml"
RESULTS_ROOT = Path("results")


def run(
    scenario: str | Path | ScenarioSet,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    options: Sequence[str] = (),
    overrides: Sequence[str] = (),
    execution: Execution = IN_PROCESS,
) -> Results:
    """Load (if given a path) and run a scenario; returns tidy result frames."""
    scenarios = (scenario if isinstance(scenario, ScenarioSet)
                 else load_scenario(scenario, overrides=overrides, options=options))
    return run_scenarios(scenarios, replications, seed, execution=execution)


run_scenarios = run_experiment  # run an already loaded scenario set (same arguments)


def default_results_folder(scenarios: ScenarioSet) -> Path:
    """results/<scenario file name without extension>, relative to the working directory."""
    return RESULTS_ROOT / scenarios.stem
