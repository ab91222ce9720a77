"""The dossiers of a backtest: the back office simulated over the whole period (dossiers carry
over from day to day, so the days cannot be run apart), starting from the dossiers the export
shows open on its first day, and set against what the export says: dossiers finished on each
working day, and the on-time share over the period.

The on-time share is counted as the model counts it: of the dossiers due by the period's last
day, among those received in the period or open at its start, the share finished by their
promised time (one still open is late). The transferred dossiers' remaining work is not in
the export, so each open dossier starts the period with the whole work of its procedure; a
dossier then at an outside body (a land-registry branch) is processed again and handed off
again, so the first days' completions lean late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.columns import tidy_frame
from sim.analysis.daily_frames import daily_columns
from sim.analysis.dossier_metrics import dossier_metrics
from sim.calibrate.dossier_fit import backlog_days_left
from sim.calibrate.fields import DOSSIER
from sim.calibrate.working_days import WorkingDays
from sim.model.centre import simulate
from sim.scenario.document import scenario_document
from sim.scenario.labels import replace_options
from sim.scenario.load import validate_document
from sim.scenario.schema import Scenario

DOSSIER_SEED_KEY = 1_000_000  # the dossier runs' seeds, apart from every day's


@dataclass(frozen=True)
class DossierPeriod:
    """The period's days and what the export holds for them."""

    days: list[dt.date]  # opening days (the ticket log's)
    closed: list[dt.date]  # weekdays of the period without tickets
    frame: pd.DataFrame  # the dossier export's rows (Dossiers.frame)
    calendar: WorkingDays


def period_scenario(baseline: Scenario, period: DossierPeriod, source: str) -> Scenario:
    """The scenario over the period, its backlog the dossiers open on the first day."""
    document = scenario_document(baseline)
    replace_options(document, {})
    document["calendar"] = {**document["calendar"], "start": period.days[0].isoformat(),
                            "working_days": len(period.days),
                            "holidays": [d.isoformat() for d in period.closed]}
    document["backlog"] = open_at_start(baseline, period)
    document["warmup_minutes"] = 0
    return validate_document(document, source)


def open_at_start(baseline: Scenario, period: DossierPeriod) -> list[dict]:
    """A backlog entry per procedure with dossiers open on the first day."""
    entries = []
    with_work = {p.id for p in baseline.procedures if p.back_office is not None}
    for procedure, rows in period.frame.groupby("procedure"):
        if procedure not in with_work:
            continue
        left = backlog_days_left(rows, period.calendar, period.days[0])
        if left:
            entries.append({"procedure": procedure, "count": len(left),
                            "days_left": {"dist": "empirical", "values": left}})
    return entries


def observed_dossiers(period: DossierPeriod) -> tuple[pd.Series, float]:
    """Dossiers finished on each opening day, and the period's on-time share."""
    frame, first = period.frame, pd.Timestamp(period.days[0])
    end = pd.Timestamp(period.days[-1]) + pd.Timedelta(days=1)
    counted = (frame[DOSSIER.received] >= first) | ~(frame[DOSSIER.finished] < first)
    counted &= frame[DOSSIER.received] < end
    finished = frame.loc[counted, DOSSIER.finished].dropna().dt.date
    per_day = finished.value_counts().reindex(period.days, fill_value=0)
    judged = frame[counted & (frame[DOSSIER.due] < end)]
    on_time = judged[DOSSIER.finished].notna() & (judged[DOSSIER.finished] <= judged[DOSSIER.due])
    return per_day, float(on_time.mean()) if len(judged) else np.nan


def simulated_dossiers(scenario: Scenario, seeds: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Per replication: dossiers completed on each opening day, and the on-time share."""
    per_day, on_time = [], []
    for seed in seeds:
        record = simulate(scenario, seed)
        daily = tidy_frame([daily_columns(record, scenario)])
        per_day.append(daily["completed"].to_numpy(dtype=float))
        on_time.append(dossier_metrics(record, scenario)["on_time_share"])
    return np.array(per_day), np.array(on_time)
