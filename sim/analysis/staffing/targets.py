"""Staffing targets: what the search aims at, read from the command line or the scenario.

A target such as ``wait_p90<=30`` is parsed and checked once here (known metric, the direction in
which more counters help, a sensible value), and turned into the per-visit criterion that the
theory step and the per-block simulation check both average over a block, so that the rest of
the package never handles target text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sim.analysis import comparison
from sim.scenario.schema import Scenario

#: Metrics a staffing target can name, with the direction in which more counters help.
TARGET_METRICS: dict[str, str] = {
    "wait_mean": "<=",
    "wait_p50": "<=",
    "wait_p90": "<=",
    "wait_p95": "<=",
    "waited_share": "<=",
    "abandoned_share": "<=",
    "within_target_share": ">=",
}
_SHARES = frozenset({"waited_share", "abandoned_share", "within_target_share"})
_TARGET = re.compile(r"^\s*([A-Za-z0-9_:.]+)\s*(<=|>=|=<|=>|==|<|>|=)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Target:
    """A service level for each searched desk: ``metric op value``, e.g. ``wait_p90<=30``.

    Waits are in minutes; shares are fractions. ``within_target_share`` uses the scenario's
    ``targets.within_target_share.minutes`` (15 when the scenario sets none).
    """

    metric: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        return value <= self.value if self.op == "<=" else value >= self.value


def parse_target(text: str) -> Target:
    """Read ``METRIC<=VALUE`` or ``METRIC>=VALUE``; a share may be given in percent.

    >>> parse_target("wait_p90<=30")
    Target(metric='wait_p90', op='<=', value=30.0)
    >>> str(parse_target(" within_target_share >= 80% "))
    'within_target_share>=0.8'
    >>> parse_target("wait_p90>=30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: target 'wait_p90>=30': wait_p90 must be at most a value ...; write wait_p90<=30
    """
    match = _TARGET.match(text) if isinstance(text, str) else None
    if match is None or not match.group(3):
        raise ValueError(f"cannot read target {text!r}: write METRIC<=VALUE or METRIC>=VALUE, "
                         "e.g. wait_p90<=30 or within_target_share>=0.8")
    metric, op, value_text = match.groups()
    if metric not in TARGET_METRICS:
        raise ValueError(f"target {text!r}: unknown metric {metric!r}; a target can name "
                         + ", ".join(TARGET_METRICS))
    wanted = TARGET_METRICS[metric]
    if op in ("=<", "=>"):
        op = op[::-1]
    if op != wanted:
        word = "at most" if wanted == "<=" else "at least"
        effect = "more counters lower it" if wanted == "<=" else "more counters raise it"
        raise ValueError(f"target {text!r}: {metric} must be {word} a value ({effect}); "
                         f"write {metric}{wanted}{value_text}")
    percent = metric in _SHARES and value_text.endswith("%")
    try:
        value = float(value_text[:-1] if percent else value_text)
    except ValueError:
        raise ValueError(f"target {text!r}: {value_text!r} is not a number") from None
    value = value / 100 if percent else value
    if not math.isfinite(value):
        raise ValueError(f"target {text!r}: the value must be a finite number")
    if metric in _SHARES and not 0 < value < 1:
        raise ValueError(f"target {text!r}: {metric} is a share; give a value between 0 and 1 "
                         "(exclusive), e.g. 0.8 or 80%")
    if metric not in _SHARES and value <= 0:
        raise ValueError(f"target {text!r}: {metric} is in minutes; give a positive value "
                         "(no number of counters makes every wait zero)")
    return Target(metric, op, value)


def scenario_targets(scenario: Scenario) -> tuple[Target, ...]:
    """The scenario's own `targets` that staffing can aim at (waits, shares of waiting)."""
    return tuple(Target(t.metric, ">=" if t.at_least else "<=", t.value)
                 for t in comparison.scenario_targets(scenario.targets)
                 if t.metric in TARGET_METRICS)


@dataclass(frozen=True)
class Criterion:
    """A target as a per-visit quantity averaged over a block that must stay <= limit."""

    kind: str  # mean | exceed | not_within | abandon | waited
    minutes: float  # the threshold of exceed and not_within
    limit: float


def target_criterion(target: Target, within_minutes: float) -> Criterion:
    if target.metric == "wait_mean":
        return Criterion("mean", 0.0, target.value)
    if target.metric.startswith("wait_p"):  # p-th percentile <= T  <=>  P(wait > T) <= 1 - p
        return Criterion("exceed", target.value, 1 - int(target.metric[6:]) / 100)
    if target.metric == "within_target_share":
        return Criterion("not_within", within_minutes, 1 - target.value)
    return Criterion({"abandoned_share": "abandon", "waited_share": "waited"}[target.metric],
                      0.0, target.value)


def as_target(target: Target | str) -> Target:
    return target if isinstance(target, Target) else parse_target(target)
