"""The indicators a centre is judged by, for the report: each option's months as the one-door
system counts them (:mod:`sim.analysis.official_indicators`), in the reader's language, beside
the model's own share on time by the minute."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sim.analysis.official_indicators import indicator_summary, monthly_indicators
from sim.experiment.runner import Results
from sim.model.calendar import build_timeline
from sim.output.names import Names
from sim.output.translations import N_

COLUMNS = (  # indicator, heading, decimals (None: a share)
    ("to_handle", N_("Dossiers to handle (received + carried over)"), 0),
    ("late", N_("Late (finished late + open past due)"), 0),
    ("on_time_rate", N_("On time by date"), None),
    ("progress_score", N_("Progress score (of 20)"), 1),
)


def indicator_headings(names: Names) -> list[str]:
    """The headings of the indicators' table after the option and the month."""
    return [names.t.gettext(heading) for _, heading, _ in COLUMNS]


def indicator_rows(results: Results, names: Names) -> list[dict]:
    """A row per option and month: the month's counts (means over replications) and its
    on-time rate with the 95% interval; empty without dossiers that have a deadline."""
    calendar = results.scenarios.baseline.calendar
    end = build_timeline(calendar).days[-1].closes
    monthly = monthly_indicators(results.dossiers, calendar.start, end)
    if monthly.empty or not monthly["to_handle"].sum():
        return []
    summary = indicator_summary(monthly).set_index(["option", "month", "metric"])
    return [{"option": names.option(option), "month": _month(names, month),
             "cells": [_cell(names, summary.loc[(option, month, metric)], decimals)
                       for metric, _, decimals in COLUMNS]}
            for option, month in monthly[["option", "month"]].drop_duplicates().itertuples(
                index=False)]


def _month(names: Names, month: str) -> str:
    """A month as the language writes it (``tháng 7 2025``)."""
    return names.t.month(dt.date.fromisoformat(month + "-01"))


def _cell(names: Names, row: pd.Series, decimals: int | None) -> dict:
    """A mean; a share with its interval."""
    t = names.t
    share = decimals is None
    write = (lambda v: t.percent(v, 1)) if share else (lambda v: t.number(v, decimals))
    interval = (t.gettext("95% CI {low} – {high}").format(low=write(row["ci_low"]),
                                                          high=write(row["ci_high"]))
                if share and row["ci_high"] > row["ci_low"] else "")
    return {"value": write(row["mean"]), "ci": interval}
