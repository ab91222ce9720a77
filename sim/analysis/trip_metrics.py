"""Per-run metrics of the visits after the submission: trips to collect results (and those that
came to nothing because the result was not ready), all the trips a dossier cost its citizen,
and inquiries about transferred dossiers.

They appear only for scenarios that have those visits, so that the summary of any other
scenario keeps its metrics.
"""

from __future__ import annotations

import numpy as np

from sim.model.back_office import SOURCES
from sim.model.record import INQUIRY, NOT_READY, PICKUP, SERVED, RunRecord
from sim.scenario.schema import Scenario

PICKUP_METRICS: tuple[str, ...] = ("pickup_visits", "wasted_trip_share",
                                   "trips_per_dossier_total")
INQUIRY_METRICS: tuple[str, ...] = ("inquiries",)
COUNTER = SOURCES.index("counter")


def trip_metric_names(scenario: Scenario) -> list[str]:
    """The names of this module's metrics that the scenario has."""
    names = []
    if any(p.pickup is not None for p in scenario.procedures):
        names += PICKUP_METRICS
    if scenario.inquiries is not None:
        names += INQUIRY_METRICS
    return names


def trip_metrics(record: RunRecord) -> dict[str, float]:
    """Pick-up trips, the share of them wasted, trips per dossier, inquiries."""
    visits = record.visits
    counted = visits["arrival"] >= record.warmup_end
    purpose, outcome = visits["purpose"][counted], visits["outcome"][counted]
    pickups = purpose == PICKUP
    looked = pickups & np.isin(outcome, (SERVED, NOT_READY))
    return {
        "pickup_visits": float(pickups.sum()),
        "wasted_trip_share": (float((outcome[looked] == NOT_READY).mean()) if looked.any()
                              else np.nan),
        "trips_per_dossier_total": _trips_per_dossier(record),
        "inquiries": float((purpose == INQUIRY).sum()),
    }


def _trips_per_dossier(record: RunRecord) -> float:
    """Mean trips a counter dossier received after the warm-up cost its citizen: the trip it
    was accepted on (and those before it), and every trip to collect its result."""
    dossiers, visits = record.dossiers, record.visits
    mine = (dossiers["source"] == COUNTER) & (dossiers["received"] >= record.warmup_end)
    if not mine.any():
        return np.nan
    pickup = visits["purpose"] == PICKUP
    collect = np.bincount(visits["dossier"][pickup], minlength=len(dossiers["source"]))
    return float((dossiers["trips"][mine] + collect[mine]).mean())
