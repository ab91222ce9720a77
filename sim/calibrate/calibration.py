"""One calibration: read the records, keep the period, and fit every part of a scenario.

`calibrate(request)` is the whole of `sim calibrate` except writing: it returns a
`Calibration`, which `scenario_writer` turns into a scenario file and the output layer into
the calibration page and figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.calibrate.arrivals_fit import ArrivalFit, fit_arrivals
from sim.calibrate.counters import CounterFit, fit_counters
from sim.calibrate.dossier_fit import DossierFit, FirstTrips, fit_dossiers
from sim.calibrate.dossiers import Dossiers
from sim.calibrate.fields import DOCUMENT_MISSING, TICKET
from sim.calibrate.intervals import LEVEL
from sim.calibrate.mapping import load_mapping
from sim.calibrate.patience_fit import PatienceFit, fit_patience
from sim.calibrate.period import Period, period_of
from sim.calibrate.poisson_tests import PoissonTests, check_poisson
from sim.calibrate.reading import read_records, skipped_by_file
from sim.calibrate.sample import TicketSample, ticket_sample
from sim.calibrate.service_fit import BOOTSTRAP, ServiceFit, fit_services
from sim.calibrate.shares import ShareFit, fit_shares
from sim.calibrate.tickets import Procedure, Tickets
from sim.calibrate.working_days import working_days
from sim.scenario.types import clock_minutes

DEFAULT_CUTOFF = "15:00"
DEFAULT_HOURS_PER_DAY = 6.0


@dataclass(frozen=True)
class CalibrationRequest:
    """What `sim calibrate` was asked."""

    tickets: Path
    dossiers: Path | None = None
    columns: Path | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    cutover: dt.date | None = None
    cutoff: str = DEFAULT_CUTOFF
    back_office_staff: int | None = None
    hours_per_day: float = DEFAULT_HOURS_PER_DAY
    skip_bad: bool = False
    level: float = LEVEL
    bootstrap: int = BOOTSTRAP


@dataclass(frozen=True)
class Calibration:
    """Every fit of one calibration, with what it was made from."""

    request: CalibrationRequest
    period: Period
    tickets: Tickets
    sample: TicketSample
    procedures: dict[str, Procedure]
    arrivals: ArrivalFit
    poisson: PoissonTests
    services: list[ServiceFit]
    patience: PatienceFit | None
    counters: CounterFit
    shares: ShareFit
    holidays: list[dt.date]  # weekdays of the period without a ticket
    dossiers: Dossiers | None
    dossier_fit: DossierFit | None

    @property
    def skipped(self) -> list[tuple[str, dict[str, int]]]:
        """Each record file's name and its rows left out by reason (`skipped_by_file`)."""
        return skipped_by_file(self.tickets, self.dossiers)


def calibrate(request: CalibrationRequest) -> Calibration:
    """Read, check and fit; raises a ScenarioError (RecordError) on bad records."""
    tickets, dossiers = read_records(request.tickets, request.dossiers,
                                     load_mapping(request.columns), request.skip_bad)
    period = period_of(tickets.frame[TICKET.created], request.first, request.last)
    sample = ticket_sample(tickets, period)
    procedures = {p: tickets.procedures[p] for p in tickets.procedures
                  if (sample.frame["procedure"] == p).any()}
    return _fits(request, period, tickets, sample, procedures, dossiers)


def _fits(request: CalibrationRequest, period: Period, tickets: Tickets, sample: TicketSample,
          procedures: dict[str, Procedure], dossiers: Dossiers | None) -> Calibration:
    level = request.level
    arrivals_first = fit_arrivals(sample, level=level)
    poisson = check_poisson(sample, arrivals_first.daily)
    arrivals = (fit_arrivals(sample, overdispersed=True, level=level)
                if poisson.dispersion.rejects else arrivals_first)
    served = sample.frame[sample.frame[TICKET.served].notna()]
    durations = {p: served.loc[served["procedure"] == p, "service"].to_numpy()
                 for p in procedures}
    services = fit_services(durations, {p: procedures[p].desk for p in procedures}, level,
                            request.bootstrap)
    holidays = list(sample.closed)
    return Calibration(
        request, period, tickets, sample, procedures, arrivals, poisson, services,
        fit_patience(sample, level), fit_counters(sample), fit_shares(sample, list(procedures),
                                                                      level),
        holidays, dossiers, _dossier_fit(request, period, dossiers, sample, holidays))


def _years(period: Period) -> range:
    return range(period.first.year - 1, period.last.year + 2)


def _dossier_fit(request: CalibrationRequest, period: Period, dossiers: Dossiers | None,
                 sample: TicketSample, closed: list[dt.date]) -> DossierFit | None:
    if dossiers is None:
        return None
    calendar = working_days(closed, _years(period))
    staff_hours = (request.back_office_staff * request.hours_per_day
                   if request.back_office_staff is not None else None)
    return fit_dossiers(dossiers.frame, period, calendar, request.cutover or period.first,
                        clock_minutes(request.cutoff), first_trips_by_month(sample),
                        staff_hours, request.level)


def first_trips_by_month(sample: TicketSample) -> FirstTrips:
    """First trips (tickets less returns for a missing paper) per procedure and month."""
    frame = sample.frame
    month = frame[TICKET.created].dt.to_period("M").astype(str)
    first = np.where(frame[TICKET.reason] == DOCUMENT_MISSING, 0, 1)
    table = frame.assign(month=month, first=first).groupby(["procedure", "month"])["first"].sum()
    trips: FirstTrips = {}
    for (procedure, label), count in table.items():
        trips.setdefault(str(procedure), {})[str(label)] = int(count)
    return trips
