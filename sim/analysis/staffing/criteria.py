"""Staffing criteria: each target as a per-visit quantity whose mean over a time block must stay
at or below a limit.

The theory step predicts these block means and the simulation check measures them, so that both
judge a block by the same quantity; the rest of the staffing package never handles target
text (targets are read and checked in `sim.analysis.targets`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.targets import TARGET_METRICS, Target, scenario_targets
from sim.analysis.waits import PERCENTILES, VisitWaits, served_within, waited, waited_longer
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Criterion:
    """A target as a per-visit quantity averaged over a block that must stay <= limit: the wait
    (``mean``), or whether a visit waited longer than ``minutes`` (``exceed``), was not served
    within them (``not_within``), gave up (``abandon``) or waited at all (``waited``)."""

    kind: str  # mean | exceed | not_within | abandon | waited
    minutes: float  # the threshold of exceed and not_within
    limit: float

    def per_visit(self, visits: VisitWaits) -> np.ndarray:
        """The quantity of each visit (as floats) whose mean must stay <= limit."""
        if self.kind == "mean":
            values = visits.wait
        elif self.kind == "exceed":
            values = waited_longer(visits.wait, self.minutes)
        elif self.kind == "not_within":
            values = ~served_within(visits, self.minutes)
        elif self.kind == "abandon":
            values = visits.abandoned
        else:  # waited
            values = waited(visits.wait)
        return values.astype(float)


def target_criterion(target: Target, within_minutes: float) -> Criterion:
    """The criterion of a staffing target; `within_minutes` are within_target_share's."""
    if target.metric == "wait_mean":
        return Criterion("mean", 0.0, target.value)
    if target.metric in PERCENTILES:  # p-th percentile <= T  <=>  P(wait > T) <= 1 - p
        return Criterion("exceed", target.value, 1 - PERCENTILES[target.metric] / 100)
    if target.metric == "within_target_share":
        return Criterion("not_within", within_minutes, 1 - target.value)
    return Criterion({"abandoned_share": "abandon", "waited_share": "waited"}[target.metric],
                      0.0, target.value)


def staffing_targets(scenario: Scenario) -> tuple[Target, ...]:
    """The scenario's own targets that staffing can aim at (the per-desk wait metrics)."""
    return tuple(t for t in scenario_targets(scenario.targets) if t.metric in TARGET_METRICS)
