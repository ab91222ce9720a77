"""The recommendation a leader reads, as facts: the cheapest option that meets every target with
95% confidence, or, when none does, the closest (the fewest targets missed, then the fewest
unclear; among those, one that no other is as near to on every target and nearer on one, the
cheapest such) and which targets each option fails and by how much.

Cost is staff time: planned staff-hours plus overtime staff-hours (means over replications).
The sentences that say this in a reader's language are written in
:mod:`sim.output.recommendation_text`; here is only the decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sim.analysis.targets import NO, YES, Target
from sim.scenario.load import BASELINE

COST_METRICS = ("staff_hours", "overtime_staff_hours")
CONFIDENCE = 0.95


def option_costs(comparison: pd.DataFrame) -> dict[str, float]:
    """Mean staff-hours (planned plus overtime) of each option."""
    costs = comparison[comparison["metric"].isin(COST_METRICS)]
    return {str(option): float(group["mean"].sum())
            for option, group in costs.groupby("option", sort=False)}


@dataclass(frozen=True)
class Shortfall:
    """A target an option is not shown to meet: the verdict, the mean and its interval (None
    where there is no value), and how far the mean is on the wrong side."""

    target: Target
    verdict: str  # NO or UNCLEAR
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    short_by: float

    def record(self) -> dict:
        """As recommendation.json writes it."""
        return {"metric": self.target.metric, "target": self.target.describe(),
                "verdict": self.verdict, "mean": self.mean, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "short_by": self.short_by}


@dataclass(frozen=True)
class Assessment:
    """One option against the targets, with its cost in staff-hours (rounded to 0.1)."""

    option: str
    cost_staff_hours: float
    failing: tuple[Shortfall, ...]

    @property
    def meets_all(self) -> bool:
        return not self.failing

    @property
    def missed(self) -> int:
        """Targets missed: the whole interval on the wrong side."""
        return sum(f.verdict == NO for f in self.failing)

    def record(self) -> dict:
        return {"option": self.option, "cost_staff_hours": self.cost_staff_hours,
                "meets_all": self.meets_all, "failing": [f.record() for f in self.failing],
                "missed": self.missed}


@dataclass(frozen=True)
class Recommendation:
    """The decision: the recommended option (None when no target is set or none meets them
    all), the closest option otherwise, and every option's assessment."""

    recommended: str | None
    targets: tuple[Target, ...]
    options: tuple[Assessment, ...]
    extra_staff_hours: float | None = None  # the recommended option's cost over the baseline's
    closest: str | None = None  # when no option meets every target: the one nearest to it
    # Options as near as the closest (none of them nearer on every target): the closest is
    # the cheapest of them, so staff-hours decided.
    as_near: tuple[str, ...] = ()
    confidence: float = CONFIDENCE

    def assessment(self, option: str | None) -> Assessment | None:
        """The assessment of an option (None for None)."""
        return next((a for a in self.options if a.option == option), None)

    def record(self) -> dict:
        """The facts as recommendation.json writes them (its sentences are added in output)."""
        return {"recommended": self.recommended, "confidence": self.confidence,
                "targets": [t.describe() for t in self.targets],
                "options": [a.record() for a in self.options]}


def recommend(comparison: pd.DataFrame, targets: list[Target]) -> Recommendation:
    """The cheapest option meeting every target with 95% confidence, or the closest one."""
    costs = option_costs(comparison)
    assessments = tuple(_assess(option, comparison, targets, costs[option]) for option in costs)
    meeting = [a for a in assessments if a.meets_all]
    if not targets:
        return Recommendation(None, (), assessments)
    if meeting:
        best = min(meeting, key=lambda a: a.cost_staff_hours)
        extra = best.cost_staff_hours - costs.get(BASELINE, best.cost_staff_hours)
        return Recommendation(best.option, tuple(targets), assessments, extra_staff_hours=extra)
    nearest = _nearest(assessments, targets)
    closest = min(nearest, key=lambda a: a.cost_staff_hours)
    return Recommendation(None, tuple(targets), assessments, closest=closest.option,
                          as_near=tuple(a.option for a in nearest if a is not closest))


def _nearest(assessments: tuple[Assessment, ...], targets: list[Target]) -> list[Assessment]:
    """Of the options with the fewest targets missed, then the fewest not shown to be met,
    those no other of them is as near to on every target and nearer on one: shortfalls of
    unlike metrics (minutes, shares, counts) are compared target by target, never added up,
    so the cheapest is not called closest when another is nearer on every target."""
    fewest = min((a.missed, len(a.failing)) for a in assessments)
    tied = [a for a in assessments if (a.missed, len(a.failing)) == fewest]
    gaps = {a.option: [_gap(a, target) for target in targets] for a in tied}

    def nearer(a: Assessment, b: Assessment) -> bool:
        pairs = list(zip(gaps[a.option], gaps[b.option], strict=True))
        return all(x <= y for x, y in pairs) and any(x < y for x, y in pairs)

    return [b for b in tied if not any(nearer(a, b) for a in tied)]


def _gap(assessment: Assessment, target: Target) -> float:
    """How far the option's mean is on the wrong side of the target: 0 when it meets it, and
    as far as can be when it has no value (no visit to measure), so it is nearer to nothing."""
    gap = next((f.short_by for f in assessment.failing if f.target == target), 0.0)
    return math.inf if math.isnan(gap) else gap


def _assess(option: str, comparison: pd.DataFrame, targets: list[Target],
            cost: float) -> Assessment:
    rows = comparison[comparison["option"] == option].set_index("metric")
    failing = []
    for target in targets:
        if target.metric not in rows.index:
            continue
        row = rows.loc[target.metric]
        verdict = target.verdict(row["ci_low"], row["ci_high"])
        if verdict != YES:
            failing.append(Shortfall(target, verdict, _number(row["mean"]),
                                     _number(row["ci_low"]), _number(row["ci_high"]),
                                     target.shortfall(row["mean"])))
    return Assessment(option, round(cost, 1), tuple(failing))


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
