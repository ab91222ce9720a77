"""Pre-sampled citizens: everything random about a person is drawn before the run starts.

Drawing attributes up front (in numpy batches, each quantity from its own stream) keeps the event
loop free of random-number calls and gives every staffing option the same citizens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.arrivals import Intensity, sample_arrival_times
from sim.model.sampling import quantiles
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Citizens:
    """Columns with one row per citizen (per citizen and trip for the per-trip quantities)."""

    arrival: np.ndarray  # minutes, first trip
    procedure: np.ndarray  # index into scenario.procedures
    desk: np.ndarray  # index into the desks of the run
    service: np.ndarray  # minutes at the counter (the same dossier on every trip)
    patience: np.ndarray | None  # (citizens, max_trips) minutes; None: patience is unlimited
    returns: np.ndarray | None  # (citizens, max_trips) uniforms: returns if below the probability
    return_clock: np.ndarray | None  # (citizens, max_trips) uniforms for the time of day

    def __len__(self) -> int:
        return len(self.arrival)


def sample_citizens(
    scenario: Scenario,
    intensity: Intensity,
    desk_names: list[str],
    rngs: dict[str, np.random.Generator],
) -> Citizens:
    """Draw every citizen of one replication."""
    arrival = sample_arrival_times(intensity, rngs["arrivals"])
    count = len(arrival)
    shares = np.cumsum([p.share for p in scenario.procedures])
    procedure = np.minimum(
        np.searchsorted(shares / shares[-1], rngs["routing"].random(count), side="right"),
        len(shares) - 1,
    )
    service_uniforms = rngs["service"].random(count)
    service = np.empty(count)
    for index, proc in enumerate(scenario.procedures):
        chosen = procedure == index
        service[chosen] = quantiles(proc.service, service_uniforms[chosen])
    desk_of_procedure = np.array([desk_names.index(p.desk) for p in scenario.procedures])
    trips = (count, scenario.max_trips)
    patience = (
        quantiles(scenario.patience, rngs["patience"].random(trips))
        if scenario.patience is not None else None
    )
    returning = scenario.return_probability > 0
    return Citizens(
        arrival=arrival,
        procedure=procedure,
        desk=desk_of_procedure[procedure],
        service=service,
        patience=patience,
        returns=rngs["returns"].random(trips) if returning else None,
        return_clock=rngs["return_times"].random(trips) if returning else None,
    )
