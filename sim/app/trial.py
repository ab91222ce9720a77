"""A short experiment for the page: the baseline and the leader's setting, a few replications
of a few working days, with the same seeds for both (common random numbers), so that the
difference the page shows, and its interval, comes from the setting and not from other citizens.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.comparison import comparison_table
from sim.analysis.targets import scenario_targets
from sim.api import run_scenarios
from sim.experiment.plan import DEFAULT_SEED
from sim.scenario.labels import replace_options
from sim.scenario.load import BASELINE, ScenarioSet, scenario_from_document
from sim.scenario.yaml_loader import read_yaml_file

SETTING = "setting"  # the option the page runs beside the baseline
DAYS = 5  # working days of a short run: numbers within seconds
REPLICATIONS = 5
SHOWN = ("wait_mean", "wait_p90", "within_target_share", "on_time_share")


@dataclass(frozen=True)
class Trial:
    """The setting against the baseline: per metric shown, each one's mean and 95% interval,
    and the setting's paired difference from the baseline with its interval."""

    table: pd.DataFrame  # option, metric, mean, ci_low, ci_high, diff_mean, diff_ci_*, ...
    days: int
    replications: int
    seed: int

    def row(self, option: str, metric: str) -> pd.Series | None:
        """One option's row for a metric (None when the run does not measure it)."""
        rows = self.table[(self.table["option"] == option) & (self.table["metric"] == metric)]
        return None if rows.empty else rows.iloc[0]


def short_scenarios(source: Path, changes: dict[str, object], days: int = DAYS) -> ScenarioSet:
    """The baseline and the setting (an option of ``changes``), both cut to ``days`` working
    days (or fewer, when the scenario has fewer); a bad setting raises ScenarioError."""
    document = read_yaml_file(source)
    trial = copy.deepcopy(document) if isinstance(document, dict) else document
    if isinstance(trial, dict):
        replace_options(trial, {SETTING: changes})
        days = min(days, int(trial.get("calendar", {}).get("working_days", days)))
    return scenario_from_document(trial, str(source), [f"calendar.working_days={days}"],
                                  [BASELINE, SETTING])


def run_trial(source: Path, changes: dict[str, object], days: int = DAYS,
              replications: int = REPLICATIONS, seed: int = DEFAULT_SEED) -> Trial:
    """Simulate the baseline and the setting with the same seeds and compare them."""
    scenarios = short_scenarios(source, changes, days)
    results = run_scenarios(scenarios, replications, seed)
    table = comparison_table(results.summary, results.replications,
                             scenario_targets(scenarios.baseline.targets))
    return Trial(table[table["metric"].isin(SHOWN)].reset_index(drop=True),
                 scenarios.baseline.calendar.working_days, replications, seed)
