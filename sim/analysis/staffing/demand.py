"""Demand of one desk: the counter visits it is asked to serve, minute by minute, and their load.

The theory step needs, per counter pool, the expected visits arriving in each minute of the run
and the modified offered load they put on the desk (the load on infinitely many counters with
the desk's own service law). This module derives both from the scenario alone, apart from any
staffing (the service laws' survival functions come from the distributions themselves).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

from sim.model.arrivals import Intensity
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.citizens import Pool
from sim.scenario.distributions import DistributionModel
from sim.scenario.schema import Scenario

GRID = 1.0  # minutes per step of the demand and offered-load grid
_SUBSTEPS = 20  # points per minute when integrating the service survival into the kernel


def visits_per_citizen(scenario: Scenario, procedure) -> float:
    """Expected counter visits of a citizen of this procedure: an incomplete dossier brings
    them back (up to max_trips); guidance changes the chance on the first trip."""
    share = procedure.incomplete
    first = share * (1 - procedure.guidance + procedure.guidance
                     * (scenario.guidance.incomplete_factor if scenario.guidance else 1.0))
    return 1.0 + first * sum(share**k for k in range(scenario.max_trips - 1))


@dataclass(frozen=True)
class DeskDemand:
    """What one counter pool is asked to do, kept apart from how it is staffed.

    ``per_minute`` holds the expected counter visits arriving in each minute of the run (the
    centre's visitors x the procedures' shares x the site's fraction x visits per citizen);
    ``kernel[j]`` is the mean time in service, within a minute's step, of a visit that arrived
    ``j`` minutes earlier, so that ``sum(kernel)`` is the mean service time and the convolution
    of the two is the desk's offered load.
    """

    label: str
    path: str  # dotted path of the desk in the scenario file, e.g. desks.general
    per_minute: np.ndarray
    service_mean: float
    kernel: np.ndarray


@dataclass(frozen=True)
class Visits:
    """Expected visits of one kind at one pool, per minute of the run, and their service law
    (the submissions of one procedure, or pick-ups, or inquiries:
    `sim.analysis.staffing.visit_demand`)."""

    per_minute: np.ndarray
    service: DistributionModel


def desk_demand(scenario: Scenario, arrivals_per_minute: np.ndarray, pool: Pool,
                fraction: float, others: Sequence[Visits] = ()) -> DeskDemand:
    """The demand of one pool, from the centre's expected visitors per minute (its procedures'
    submissions) and the pool's `others` (pick-ups and inquiries). The service law is the
    mixture over the whole run, weighted by each kind's expected visits (a simplification
    where the mixture changes over the day)."""
    single = scenario.sites is None
    procedures = [p for p in scenario.procedures if p.desk == pool.desk]
    own = np.array([fraction * p.share * visits_per_citizen(scenario, p) for p in procedures])
    others = [v for v in others if v.per_minute.any()]
    total = float(arrivals_per_minute.sum()) or 1.0  # the others' visits per visitor
    weights = np.array([*own, *(v.per_minute.sum() / total for v in others)])
    if weights.sum() <= 0:
        return DeskDemand(pool.label(single), pool.path(single),
                          np.zeros_like(arrivals_per_minute), 1.0, np.array([1.0]))
    share = weights / weights.sum()
    laws = [*(p.service for p in procedures), *(v.service for v in others)]
    service_mean = float(sum(s * law.expected() for s, law in zip(share, laws, strict=True)))
    per_minute = arrivals_per_minute * own.sum() + sum((v.per_minute for v in others),
                                                       np.zeros_like(arrivals_per_minute))
    return DeskDemand(pool.label(single), pool.path(single), per_minute,
                      max(service_mean, 1e-9), _kernel(share, laws))


def _kernel(share: np.ndarray, laws: Sequence[DistributionModel]) -> np.ndarray:
    """Mean survival of the service mixture over [j - 1/2, j + 1/2) (over [0, 1/2) for
    j = 0): a visit that arrived in the middle of a minute's step, seen in the middle of a
    later step."""
    longest = max(float(law.ppf(np.array([1 - 1e-7]))[0]) for law in laws)
    steps = int(min(math.ceil(longest) + 2, 7 * MINUTES_PER_DAY))
    fine = (np.arange((steps + 1) * _SUBSTEPS) + 0.5) / _SUBSTEPS
    mixed = sum(s * law.sf(fine) for s, law in zip(share, laws, strict=True))
    cuts = np.concatenate([[0], _SUBSTEPS // 2 + _SUBSTEPS * np.arange(steps)])
    return np.add.reduceat(mixed, cuts) / _SUBSTEPS


def arrivals_per_minute(intensity: Intensity, minutes: int) -> np.ndarray:
    """Expected visitors in each minute [k, k + 1) of the run: differences of
    ``Intensity.mass_until``, computed for all minutes at once."""
    edges = np.arange(minutes + 1) * GRID
    if len(intensity.rates) == 0:
        return np.zeros(minutes)
    after = intensity.cumulative
    before = after - intensity.rates * intensity.lengths
    knots = np.column_stack([intensity.starts, intensity.starts + intensity.lengths]).ravel()
    mass = np.column_stack([before, after]).ravel()
    return np.diff(np.interp(edges, knots, mass))


def offered_load_curve(demand: DeskDemand, open_mask: np.ndarray) -> np.ndarray:
    """Modified offered load of the visits that arrive while the centre is open, in the middle
    of each minute: ``m(t) = sum over u <= t of arrivals(u) * kernel(t - u)``."""
    arrivals = demand.per_minute * open_mask
    load = fftconvolve(arrivals, demand.kernel)[: len(arrivals)]
    return np.maximum(load, 0.0)
