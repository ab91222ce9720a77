"""The Python API: the same verbs as the command line, for notebooks and scripts.

>>> import sim
>>> results = sim.run(sim.DEMO_SCENARIO, replications=1, options=["baseline"])
>>> results.summary.query("metric == 'wait_mean'")[["option", "replications"]].values.tolist()
[['baseline', 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.decide.compare import Comparison, compare, judge
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.precision import PrecisionOutcome
from sim.experiment.runner import DEFAULT_REPLICATIONS, Results, run_experiment
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import ScenarioSet, load_scenario

if TYPE_CHECKING:
    from sim.output.province_results import ProvinceResults

__all__ = ["DEMO_SCENARIO", "Comparison", "compare", "default_results_folder", "load", "run",
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


def load(folder: str | Path) -> Results | Comparison | ProvinceResults:
    """A results folder read back as the object that made it: the `Results` of `sim run`
    (what `sim.run` returns), the `Comparison` of `sim compare` (what `sim.compare` returns:
    its table and recommendation worked out again from the folder's metric rows, as the
    command did), or the `ProvinceResults` of `sim province run`. A folder that is not one, or
    is damaged, raises sim.output.results_io.ResultsFolderError naming the file.

    The output modules load here, on first use: drawing a province's map needs matplotlib,
    which `import sim` does not load.
    """
    from sim.output.manifest import PROVINCE
    from sim.output.province_results import load_province_results
    from sim.output.results_io import folder_kind, load_recommendation, load_results

    if folder_kind(folder) == PROVINCE:
        return load_province_results(folder)
    results = load_results(folder)
    record = load_recommendation(folder)
    if record is None:
        return results
    table, recommendation = judge(results.scenarios, results.summary, results.replications)
    return Comparison(results, table, recommendation,
                      _precision(record, len(results.seeds)))


def _precision(record: dict, replications: int) -> PrecisionOutcome | None:
    """The precision outcome that recommendation.json keeps (None without a goal)."""
    precision = record.get("precision")
    if precision is None:
        return None
    widest = precision["widest"]
    return PrecisionOutcome(precision["reached"], (widest["option"], widest["metric"],
                                                   widest["relative_half_width"]), replications)
