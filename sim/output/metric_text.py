"""The names of the metrics and how their values are written: one vocabulary for the report's
tables, the figures' panels, the recommendation's sentences and the province page.

A metric without a name here is shown by its id (a desk's ``utilisation:<desk>``, say); the
names are English msgids of the catalogues (:mod:`sim.output.translations`).
"""

from __future__ import annotations

from typing import NamedTuple

from sim.output.translations import N_, Translator
from sim.scenario.schema import Scenario


class MetricFormat(NamedTuple):
    """How a metric's values are written: as a share (a percentage) or a number, and with how
    many decimals."""

    share: bool
    decimals: int


METRIC_NAMES: dict[str, str] = {
    "arrived": N_("Visits"),
    "wait_mean": N_("Mean wait (min)"),
    "wait_p50": N_("Median wait (min)"),
    "wait_p90": N_("90th-percentile wait (min)"),
    "wait_p95": N_("95th-percentile wait (min)"),
    "wait_max": N_("Longest wait (min)"),
    "within_target_share": N_("Served within the target time"),
    "abandoned_share": N_("Gave up waiting"),
    "sent_home_share": N_("Sent home at closing"),
    "utilisation": N_("Counter utilisation"),
    "trips_per_citizen": N_("Trips per citizen"),
    "on_time_share": N_("Dossiers done on time"),
    "overdue": N_("Dossiers overdue at the end"),
    "lateness_p90": N_("90th-percentile lateness (working days)"),
    "back_office_utilisation": N_("Back-office utilisation"),
    "backlog_cleared_day": N_("Backlog cleared on working day"),
    "wait_mean:walk_in": N_("Mean wait, walk-in tickets (min)"),
    "wait_mean:booked": N_("Mean wait, booked citizens (min)"),
    "wait_mean:priority": N_("Mean wait, priority tickets (min)"),
    "wait_p90:walk_in": N_("90th-percentile wait, walk-in tickets (min)"),
    "wait_p90:booked": N_("90th-percentile wait, booked citizens (min)"),
    "wait_p90:priority": N_("90th-percentile wait, priority tickets (min)"),
    "no_show_share": N_("Booked citizens who did not come"),
    "booked_wait_mean": N_("Mean wait past the booked slot (min)"),
    "pickup_visits": N_("Trips to collect a result"),
    "wasted_trip_share": N_("Pick-ups that found the result not ready"),
    "trips_per_dossier_total": N_("Trips per dossier, collecting the result included"),
    "inquiries": N_("Inquiries about transferred dossiers"),
}

# In the order of the report's key figures. Targeted shares and counts keep a decimal: a mean
# of 79.6% shown as 80% beside "at least 80%", or 0.2 overdue dossiers shown as 0, would hide
# a miss the interval shows.
METRIC_FORMATS: dict[str, MetricFormat] = {
    "wait_mean": MetricFormat(False, 1),
    "wait_p90": MetricFormat(False, 1),
    "within_target_share": MetricFormat(True, 1),
    "abandoned_share": MetricFormat(True, 1),
    "sent_home_share": MetricFormat(True, 1),
    "trips_per_citizen": MetricFormat(False, 2),
    "utilisation": MetricFormat(True, 0),
    "on_time_share": MetricFormat(True, 1),
    "overdue": MetricFormat(False, 1),
    "lateness_p90": MetricFormat(False, 1),
    "backlog_cleared_day": MetricFormat(False, 0),
    "wasted_trip_share": MetricFormat(True, 1),
    "trips_per_dossier_total": MetricFormat(False, 2),
}
OTHER_FORMATS = {"arrived": MetricFormat(False, 0),
                 "back_office_utilisation": MetricFormat(True, 0),
                 "pickup_visits": MetricFormat(False, 0), "inquiries": MetricFormat(False, 0)}
DEFAULT_FORMAT = MetricFormat(False, 1)


def metric_format(metric: str) -> MetricFormat:
    """How the metric's values are written; other shares (``*_share``, ``utilisation:<desk>``)
    as whole percentages."""
    found = METRIC_FORMATS.get(metric) or OTHER_FORMATS.get(metric)
    if found is not None:
        return found
    share = metric.endswith("_share") or metric.startswith("utilisation")
    return MetricFormat(True, 0) if share else DEFAULT_FORMAT


def metric_name(t: Translator, metric: str) -> str:
    """The metric's name in the translator's language, or its id when it has none."""
    return t.gettext(METRIC_NAMES[metric]) if metric in METRIC_NAMES else metric


def metric_value(t: Translator, metric: str, value: float | None) -> str:
    """A value of the metric, written as the report writes it (``45,2``, ``12,5%``)."""
    share, decimals = metric_format(metric)
    return t.percent(value, decimals) if share else t.number(value, decimals)


def possible(low: float, high: float, share: bool) -> tuple[float, float]:
    """An interval as a page shows it, cut to the values the quantity can take: every metric
    is a count, a duration or a share, never below 0, and a share at most 1 (the t interval of
    a few replications can reach past either; summary.csv keeps it whole)."""
    return max(low, 0.0), (min(high, 1.0) if share else high)


def metric_amount(t: Translator, metric: str, value: float | None, signed: bool = False) -> str:
    """A value in a sentence or a narrow cell: a share as a percentage with one decimal, else
    three significant digits (``12,3%``, ``45,2``, ``0,0123``)."""
    if metric_format(metric).share:
        return t.percent(value, 1, signed=signed)
    return t.significant(value, signed=signed)


def target_value(t: Translator, metric: str, value: float) -> str:
    """A target as the planner set it: ``30``, ``7,5``, ``80%``, ``95,5%``."""
    return t.percent(value, None) if metric_format(metric).share else t.general(value)


def metric_title(t: Translator, metric: str, scenario: Scenario | None = None) -> str:
    """The metric's name as a target names it: ``Served within 30 min`` where the scenario
    sets the minutes of ``within_target_share``, else :func:`metric_name`."""
    within = None if scenario is None else scenario.targets.within_target_share
    if metric == "within_target_share" and within is not None:
        return t.gettext("Served within {minutes} min").format(minutes=t.general(within.minutes))
    return metric_name(t, metric)


def target_bound(t: Translator, metric: str, at_least: bool, value: float) -> str:
    """A target's bound in words: ``at least 90%``, ``at most 30``."""
    words = t.gettext("at least {value}") if at_least else t.gettext("at most {value}")
    return words.format(value=target_value(t, metric, value))


def target_text(t: Translator, metric: str, at_least: bool, value: float,
                name: str | None = None) -> str:
    """A target in words: ``90th-percentile wait (min) at most 30`` (``name`` instead of the
    metric's name, such as the minutes of ``within_target_share``)."""
    words = (t.gettext("{metric} at least {value}") if at_least
             else t.gettext("{metric} at most {value}"))
    return words.format(metric=name or metric_name(t, metric),
                        value=target_value(t, metric, value))
