"""Compare a scenario's options with common random numbers, against the baseline and the
targets, and recommend one: the decision `sim compare` reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.comparison import comparison_table
from sim.analysis.targets import scenario_targets
from sim.decide.recommendation import Recommendation, recommend
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.precision import DEFAULT_CAP, PrecisionOutcome, run_to_precision
from sim.experiment.runner import DEFAULT_REPLICATIONS, Results, run_experiment
from sim.scenario.load import ScenarioSet, load_scenario


@dataclass(frozen=True, repr=False)
class Comparison:
    """Options compared with common random numbers: the results, the paired comparison table,
    the recommendation, and (with a precision goal) whether it was reached."""

    results: Results
    table: pd.DataFrame  # option, metric, mean, ci_low, ci_high, diff_*, meets_target
    recommendation: Recommendation  # the decision's facts; its words: sim.output
    precision: PrecisionOutcome | None = None

    def __repr__(self) -> str:
        decided = self.recommendation
        verdict = (f"recommended: {decided.recommended}" if decided.recommended is not None
                   else f"no option meets every target (closest: {decided.closest})")
        return repr(self.results).replace("<Results", "<Comparison", 1) + f"\n  {verdict}"


def compare(
    scenario: str | Path | ScenarioSet,
    replications: int | None = None,
    precision: float | None = None,
    seed: int = DEFAULT_SEED,
    max_replications: int = DEFAULT_CAP,
    on_replication_done: Callable[[int], None] | None = None,
    execution: Execution = IN_PROCESS,
    options: Sequence[str] = (),
    overrides: Sequence[str] = (),
) -> Comparison:
    """Run every option (N replications, or until the target metrics' 95% CI half-widths are
    within `precision` of their means) and compare them with the baseline and the targets,
    keeping every table in memory (`sim compare` streams them: sim/output/compare_folder.py).
    `options` and `overrides` (``PATH=VALUE``) apply to a scenario given as a path, as in
    `sim.run`; the baseline is compared whichever options are named, as it is what the others
    are compared with."""
    chosen = list(dict.fromkeys(["baseline", *options])) if options else []
    scenarios = (scenario if isinstance(scenario, ScenarioSet)
                 else load_scenario(scenario, overrides=overrides, options=chosen))
    outcome = None
    if precision is not None:
        results, outcome = run_to_precision(scenarios, precision, precision_metrics(scenarios),
                                            seed, max_replications, on_replication_done,
                                            execution)
    else:
        results = run_experiment(scenarios, replications or DEFAULT_REPLICATIONS, seed,
                                 on_replication_done, execution)
    table, recommendation = judge(scenarios, results.summary, results.replications)
    return Comparison(results, table, recommendation, outcome)


def precision_metrics(scenarios: ScenarioSet) -> list[str]:
    """The metrics a precision goal applies to: the targets' (the mean wait without any)."""
    return [t.metric for t in scenario_targets(scenarios.baseline.targets)] or ["wait_mean"]


def judge(scenarios: ScenarioSet, summary: pd.DataFrame, replications: pd.DataFrame
          ) -> tuple[pd.DataFrame, Recommendation]:
    """The comparison table and the recommendation, from the metric rows alone (the summary
    and the replications)."""
    targets = scenario_targets(scenarios.baseline.targets)
    table = comparison_table(summary, replications, targets)
    return table, recommend(table, targets)
