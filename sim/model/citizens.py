"""Pre-sampled citizens: everything random about a person is drawn before the run starts.

Drawing attributes up front (in numpy batches, each quantity from its own stream) keeps the event
loop free of random-number calls and gives every staffing option the same citizens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.arrivals import Intensity, sample_arrival_times
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Pool:
    """A desk at a site: one queue and its counters."""

    site: str
    desk: str

    def label(self, single_site: bool) -> str:
        return self.desk if single_site else f"{self.site}.{self.desk}"

    def path(self, single_site: bool) -> str:
        """The desk's dotted path in the scenario file (``desks.general``, with several
        sites ``sites.north.desks.general``), as options name it."""
        return f"desks.{self.desk}" if single_site else f"sites.{self.site}.desks.{self.desk}"


def counter_pools(scenario: Scenario) -> list[Pool]:
    """Every (site, desk) pair, in the order of the scenario."""
    return [Pool(site, desk) for site, desks in scenario.site_desks().items() for desk in desks]


def pool_fractions(scenario: Scenario) -> list[float]:
    """Share of a desk's citizens that each pool gets: the site's share among the sites that
    have that desk (equal shares when those sites' shares are all zero)."""
    pools = counter_pools(scenario)
    site_share = ({name: s.share for name, s in scenario.sites.items()} if scenario.sites
                  else {"main": 1.0})
    fractions = []
    for pool in pools:
        peers = [p for p in pools if p.desk == pool.desk]
        total = sum(site_share[p.site] for p in peers)
        fractions.append(site_share[pool.site] / total if total > 0 else 1 / len(peers))
    return fractions


@dataclass(frozen=True)
class Citizens:
    """Columns with one row per citizen (per citizen and trip for the per-trip quantities)."""

    arrival: np.ndarray  # minutes, first trip
    procedure: np.ndarray  # index into scenario.procedures
    pool: np.ndarray  # index into counter_pools(scenario)
    site: np.ndarray  # index into the sites
    service: np.ndarray  # minutes at the counter (the same dossier on every trip)
    guided: np.ndarray  # bool: needs the guidance team first (on the first trip)
    guidance_time: np.ndarray  # minutes with the guidance team
    patience: np.ndarray | None  # (citizens, max_trips) minutes; None: patience is unlimited
    returns: np.ndarray | None  # (citizens, max_trips) uniforms: returns if below the probability
    return_clock: np.ndarray  # (citizens, max_trips) uniforms for the time of day of a return
    incomplete: np.ndarray  # (citizens, max_trips) uniforms: incomplete if below the share
    work: np.ndarray  # staff-hours of back-office work of the citizen's dossier
    delay_days: np.ndarray  # working days at an outside body
    # Ticket classes (sim.model.tickets codes) and booked slots, set by
    # sim.model.appointments.assign_tickets; None without priority tickets or appointments.
    ticket: np.ndarray | None = None  # class on the first trip
    later_ticket: np.ndarray | None = None  # class on later trips (a booking is for one)
    slot: np.ndarray | None = None  # minutes: start of the booked slot (cancelled if more
    # than late_limit late: then ticket is not BOOKED); nan without a booking

    def __len__(self) -> int:
        return len(self.arrival)


def sample_citizens(
    scenario: Scenario, intensity: Intensity, rngs: dict[str, np.random.Generator]
) -> Citizens:
    """Draw every citizen of one replication."""
    arrival = sample_arrival_times(intensity, rngs["arrivals"])
    count = len(arrival)
    procedures = scenario.procedures
    shares = np.cumsum([p.share for p in procedures])
    procedure = np.minimum(
        np.searchsorted(shares / shares[-1], rngs["routing"].random(count), side="right"),
        len(shares) - 1,
    )
    site, pool = _choose_sites(scenario, procedure, rngs["sites"].random(count))
    trips = (count, scenario.max_trips)
    # Two uniforms per citizen, drawn together: whether guided, and for how long.
    whether_guided, how_long = rngs["guidance"].random((count, 2)).T
    guided = whether_guided < np.array([p.guidance for p in procedures])[procedure]
    guidance_time = (scenario.guidance.service.ppf(how_long)
                     if scenario.guidance else np.zeros(count))
    return Citizens(
        arrival=arrival,
        procedure=procedure,
        pool=pool,
        site=site,
        service=per_procedure(procedures, procedure, rngs["service"].random(count),
                              lambda p: p.service),
        guided=guided,
        guidance_time=guidance_time,
        patience=(scenario.patience.ppf(rngs["patience"].random(trips))
                  if scenario.patience is not None else None),
        returns=rngs["returns"].random(trips) if scenario.return_probability > 0 else None,
        return_clock=rngs["return_times"].random(trips),
        incomplete=rngs["incomplete"].random(trips),
        work=per_procedure(procedures, procedure, rngs["back_office"].random(count), work_of),
        delay_days=per_procedure(procedures, procedure, rngs["handoffs"].random(count),
                                 lambda p: handoff_delay_of(scenario, p)),
    )


def per_procedure(procedures: list, procedure: np.ndarray, uniforms: np.ndarray,
                  distribution_of) -> np.ndarray:
    """Values drawn from each row's procedure's distribution (0 where it has none)."""
    values = np.zeros(len(procedure))
    for index, proc in enumerate(procedures):
        dist = distribution_of(proc)
        chosen = procedure == index
        if dist is not None and chosen.any():
            values[chosen] = as_distribution(dist).ppf(uniforms[chosen])
    return values


def work_of(procedure) -> object | None:
    return procedure.back_office.hours if procedure.back_office else None


def handoff_delay_of(scenario: Scenario, procedure) -> object | None:
    if procedure.back_office is None or procedure.back_office.handoff is None:
        return None
    return scenario.back_office.handoffs[procedure.back_office.handoff].delay_days


def _choose_sites(scenario: Scenario, procedure: np.ndarray,
                  uniforms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each citizen's site, among the sites that have their procedure's desk, by site share."""
    sites = list(scenario.site_desks())
    site_of_pool = np.array([sites.index(p.site) for p in counter_pools(scenario)],
                            dtype=np.int64)
    pool = np.zeros(len(procedure), dtype=np.int64)
    for index, proc in enumerate(scenario.procedures):
        chosen = procedure == index
        pool[chosen] = pools_chosen(scenario, proc.desk, uniforms[chosen])
    return site_of_pool[pool], pool


def pools_chosen(scenario: Scenario, desk: str, uniforms: np.ndarray) -> np.ndarray:
    """The pool of a desk each uniform chooses, among the sites that have it, by site share."""
    fractions = pool_fractions(scenario)
    candidates = np.array([i for i, p in enumerate(counter_pools(scenario)) if p.desk == desk])
    weights = np.cumsum([fractions[i] for i in candidates])
    return candidates[np.minimum(np.searchsorted(weights, uniforms, side="right"),
                                 len(candidates) - 1)]


def choose_pool(scenario: Scenario, desk: str, uniform: float) -> int:
    """The pool of a desk one uniform chooses (a visitor added during the run)."""
    return int(pools_chosen(scenario, desk, np.array([uniform]))[0])
