"""Targets: what a scenario's `targets` section or ``sim staff --target`` asks of a metric, and
the one rule that judges a metric by them.

A target is ``metric op value`` with op ``<=`` (at most) or ``>=`` (at least), in the metric's
own units (waits in minutes, shares as fractions). It is judged by its 95% confidence interval:
it is met when the bound on the safe side (``ci_high`` for ``<=``, ``ci_low`` for ``>=``) meets
it, so that an option is not called good on luck. Comparison, recommendation, the province
ranking and the staffing search all read targets from here, so they cannot disagree on what a
target means.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sim.scenario.schema import Scenario, Targets

AT_MOST, AT_LEAST = "<=", ">="
YES, NO, UNCLEAR = "yes", "no", "unclear"
DEFAULT_TARGET_MINUTES = 15.0  # within_target_share when the scenario sets no target

#: The direction of every metric a target can name: each field of the scenario's `targets`
#: (whose within_target_share names its minutes and its share), and waited_share, which only
#: ``--target`` can name.
DIRECTIONS: dict[str, str] = {
    "wait_mean": AT_MOST,
    "wait_p50": AT_MOST,
    "wait_p90": AT_MOST,
    "wait_p95": AT_MOST,
    "wait_max": AT_MOST,
    "waited_share": AT_MOST,
    "within_target_share": AT_LEAST,
    "abandoned_share": AT_MOST,
    "sent_home_share": AT_MOST,
    "on_time_share": AT_LEAST,
    "overdue": AT_MOST,
    "lateness_p90": AT_MOST,
}
#: Metrics a staffing target (``--target``) can name: the ones measured for each desk, in the
#: order the staffing check lists them; more counters help in their direction.
TARGET_METRICS: dict[str, str] = {name: DIRECTIONS[name] for name in (
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "waited_share", "abandoned_share",
    "within_target_share")}
_SHARES = frozenset({"waited_share", "abandoned_share", "within_target_share"})
_TARGET_TEXT = re.compile(r"^\s*([A-Za-z0-9_:.]+)\s*(<=|>=|=<|=>|==|<|>|=)\s*(.*?)\s*$")
_SAME_OP = {"=<": AT_MOST, "=>": AT_LEAST}  # the same bound, written the other way round


@dataclass(frozen=True)
class Target:
    """A bound on one metric: ``metric op value``, e.g. ``wait_p90<=30``.

    ``within_target_share`` counts visits served within the scenario's
    ``targets.within_target_share.minutes`` (`target_minutes`).
    """

    metric: str
    op: str  # AT_MOST or AT_LEAST
    value: float

    def __post_init__(self) -> None:
        if self.op not in (AT_MOST, AT_LEAST):
            raise ValueError(f"target {self.metric}: op must be {AT_MOST!r} or {AT_LEAST!r}, "
                             f"not {self.op!r}")

    @property
    def at_least(self) -> bool:
        return self.op == AT_LEAST

    def __str__(self) -> str:
        """As typed on the command line (and shown by the staffing check)."""
        return f"{self.metric}{self.op}{self.value:g}"

    def describe(self) -> str:
        """As the comparison and the recommendation show it."""
        return f"{self.metric} {self.op} {self.value:g}"

    def _on_good_side(self, value: float) -> bool:
        return value >= self.value if self.at_least else value <= self.value

    def holds(self, value: float) -> bool:
        """Whether a value meets the target; no number (NaN, infinite) never does."""
        return math.isfinite(value) and self._on_good_side(value)

    def safe_bound(self, ci_low: float, ci_high: float) -> float:
        """The end of a 95% interval that must meet the target: the worse one."""
        return ci_low if self.at_least else ci_high

    def verdict(self, ci_low: float, ci_high: float) -> str:
        """YES when the safe-side bound meets the target (the whole interval does), NO when
        the other bound misses it too (none of the interval does), else UNCLEAR; UNCLEAR also
        without an interval (one replication)."""
        if math.isnan(ci_low) or math.isnan(ci_high):
            return UNCLEAR
        other = ci_high if self.at_least else ci_low
        if self._on_good_side(self.safe_bound(ci_low, ci_high)):
            return YES
        return UNCLEAR if self._on_good_side(other) else NO

    def shortfall(self, mean: float) -> float:
        """How far the mean is on the wrong side of the target (0 when it meets it)."""
        gap = self.value - mean if self.at_least else mean - self.value
        return max(gap, 0.0)


def scenario_targets(targets: Targets) -> list[Target]:
    """The targets a scenario's `targets` section sets, in the section's order."""
    found = []
    for name, value in targets.model_dump(exclude_none=True).items():
        share = value["at_least"] if name == "within_target_share" else value
        found.append(Target(name, DIRECTIONS[name], float(share)))
    return found


def target_minutes(scenario: Scenario) -> float:
    """The wait that within_target_share counts as within the target."""
    target = scenario.targets.within_target_share
    return target.minutes if target is not None else DEFAULT_TARGET_MINUTES


def parse_target(text: str) -> Target:
    """Read ``METRIC<=VALUE`` or ``METRIC>=VALUE`` (``--target``); a share may be in percent.

    Only `TARGET_METRICS`, each in the direction more counters help, with a value that some
    number of counters can reach; every refusal names the text given and says what to write.

    >>> parse_target("wait_p90<=30")
    Target(metric='wait_p90', op='<=', value=30.0)
    >>> str(parse_target(" within_target_share >= 80% "))
    'within_target_share>=0.8'
    >>> parse_target("wait_p90>=30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: target 'wait_p90>=30': wait_p90 must be at most a value ...; write wait_p90<=30
    """
    match = _TARGET_TEXT.match(text) if isinstance(text, str) else None
    if match is None or not match.group(3):
        raise ValueError(f"cannot read target {text!r}: write METRIC<=VALUE or METRIC>=VALUE, "
                         "e.g. wait_p90<=30 or within_target_share>=0.8")
    metric, op, value_text = match.groups()
    _check_metric_and_op(text, metric, _SAME_OP.get(op, op), value_text)
    value = _target_value(text, metric, value_text)
    return Target(metric, TARGET_METRICS[metric], value)


def as_target(target: Target | str) -> Target:
    """A Target as given, or parsed from its text."""
    return target if isinstance(target, Target) else parse_target(target)


def _check_metric_and_op(text: str, metric: str, op: str, value_text: str) -> None:
    if metric not in TARGET_METRICS:
        raise ValueError(f"target {text!r}: unknown metric {metric!r}; a target can name "
                         + ", ".join(TARGET_METRICS))
    wanted = TARGET_METRICS[metric]
    if op != wanted:
        word = "at most" if wanted == AT_MOST else "at least"
        effect = "more counters lower it" if wanted == AT_MOST else "more counters raise it"
        raise ValueError(f"target {text!r}: {metric} must be {word} a value ({effect}); "
                         f"write {metric}{wanted}{value_text}")


def _target_value(text: str, metric: str, value_text: str) -> float:
    """The number of a target's text: finite, a share strictly between 0 and 1 (``80%``
    allowed), or a positive number of minutes."""
    share = metric in _SHARES
    percent = share and value_text.endswith("%")
    try:
        value = float(value_text[:-1] if percent else value_text)
    except ValueError:
        raise ValueError(f"target {text!r}: {value_text!r} is not a number") from None
    value = value / 100 if percent else value
    if not math.isfinite(value):
        raise ValueError(f"target {text!r}: the value must be a finite number")
    if share and not 0 < value < 1:
        raise ValueError(f"target {text!r}: {metric} is a share; give a value between 0 and 1 "
                         "(exclusive), e.g. 0.8 or 80%")
    if not share and value <= 0:
        raise ValueError(f"target {text!r}: {metric} is in minutes; give a positive value "
                         "(no number of counters makes every wait zero)")
    return value
