"""The indicators a centre is judged by, for the report: each option's months as the one-door
system counts them (:mod:`sim.analysis.official_indicators`), in the reader's language, beside
the model's own share on time by the minute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.analysis.official_indicators import (
    grouped_indicators,
    indicator_summary,
    monthly_indicators,
)
from sim.experiment import stream
from sim.experiment.runner import Results
from sim.model.calendar import build_timeline
from sim.output.metric_text import possible
from sim.output.names import Names
from sim.output.translations import N_, Translator
from sim.scenario.schema import Calendar

DOSSIER_COLUMNS = ["option", "replication", "received", "due", "completed"]

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
    monthly = monthly_indicators(results.dossiers, calendar.start, run_end(calendar))
    return _rows(monthly, names.option, names.t)


def province_indicator_rows(folder: Path, centres: dict[str, tuple[str, Calendar]],
                            option: str, t: Translator) -> list[dict]:
    """The rows of :func:`indicator_rows` for each centre of a province folder (``centres``:
    id -> its name on the page and its calendar) under one option, read from the folder's
    dossier parts; empty when the folder keeps none."""
    files = sorted((folder / "dossiers").glob("*.parquet"))
    monthly = [table for chunk in stream.chunks(files)
               for table in _centre_months(chunk, centres, option)]
    if not monthly:
        return []
    table = pd.concat(monthly, ignore_index=True)
    assert not table.duplicated(["centre", "replication", "month"]).any(), "a run was split"
    table = table.rename(columns={"centre": "option"})
    return _rows(table.sort_values("option", kind="stable"), lambda c: centres[c][0], t)


def _centre_months(files: list[Path], centres: dict[str, tuple[str, Calendar]],
                   option: str) -> list[pd.DataFrame]:
    """The months of every run (centre, replication) of these dossier parts under the option.
    Why CHUNK_BATCHES parts at a time: a country's dossiers do not fit in memory at once, and
    a part holds one option of one centre, so no run is split between two reads."""
    dossiers = pq.ParquetDataset(files, filters=[("option", "==", option)]).read(
        columns=[*DOSSIER_COLUMNS, "centre"]).to_pandas()
    dossiers["centre"] = dossiers["centre"].astype(str)
    dossiers = dossiers[dossiers["centre"].isin(centres)].sort_values("centre", kind="stable")
    by_calendar: dict[tuple[dt.date, float], list[str]] = {}  # centres counted together
    for centre in dossiers["centre"].unique():
        calendar = centres[centre][1]
        by_calendar.setdefault((calendar.start, run_end(calendar)), []).append(centre)
    return [grouped_indicators(dossiers[dossiers["centre"].isin(group)],
                               ["centre", "replication"], start, end)
            for (start, end), group in by_calendar.items()]


def months_note(t: Translator, calendar: Calendar) -> str:
    """Which days the first and last months hold: the period's, not the whole months."""
    last = build_timeline(calendar).days[-1].date
    return t.gettext("The period runs from {start} to {end}: its first and last months count "
                     "only the days within it.").format(start=t.date(calendar.start),
                                                        end=t.date(last))


def run_end(calendar: Calendar) -> float:
    """The run's end: the last closing of its calendar (minutes since the start date)."""
    return build_timeline(calendar).days[-1].closes


def _rows(monthly: pd.DataFrame, name: Callable[[str], str], t: Translator) -> list[dict]:
    if monthly.empty or not monthly["to_handle"].sum():
        return []
    summary = indicator_summary(monthly)
    cells = {(option, month, metric): {"mean": mean, "ci_low": low, "ci_high": high}
             for option, month, metric, mean, low, high in zip(
                 summary["option"], summary["month"], summary["metric"], summary["mean"],
                 summary["ci_low"], summary["ci_high"], strict=True)}
    return [{"option": name(option), "month": t.month(dt.date.fromisoformat(month + "-01")),
             "cells": [_cell(t, cells[(option, month, metric)], decimals)
                       for metric, _, decimals in COLUMNS]}
            for option, month in monthly[["option", "month"]].drop_duplicates().itertuples(
                index=False)]


def _cell(t: Translator, row: dict[str, float], decimals: int | None) -> dict:
    """A mean; a share with its interval, cut to the shares there can be (0 to 100%)."""
    share = decimals is None
    write = (lambda v: t.percent(v, 1)) if share else (lambda v: t.number(v, decimals))
    low, high = possible(row["ci_low"], row["ci_high"], share)
    interval = (t.gettext("95% CI {low} – {high}").format(low=write(low), high=write(high))
                if share and row["ci_high"] > row["ci_low"] else "")
    return {"value": write(row["mean"]), "ci": interval}
