"""Every citizen of one run, before it starts: sampled, moved into their desk's own open hours,
then given their tickets and bookings.

The order matters: a citizen books from the moment they would have walked in, which is within
their desk's open hours.
"""

from __future__ import annotations

import numpy as np

from sim.model.appointments import assign_tickets
from sim.model.arrivals import Intensity
from sim.model.calendar import Timeline
from sim.model.citizens import Citizens, sample_citizens
from sim.model.desk_hours import arrivals_in_open_hours, pool_intensities
from sim.scenario.schema import Scenario


def run_citizens(scenario: Scenario, timeline: Timeline, intensity: Intensity,
                 rngs: dict[str, np.random.Generator]
                 ) -> tuple[list[Intensity], Citizens, np.ndarray]:
    """Each counter pool's arrival intensity, the citizens, and the slot starts left empty by
    no-shows."""
    pool_intensity = pool_intensities(scenario, timeline, intensity)
    sampled = arrivals_in_open_hours(sample_citizens(scenario, intensity, rngs), intensity,
                                     pool_intensity)
    citizens, no_show_slots = assign_tickets(scenario, timeline, sampled, rngs)
    return pool_intensity, citizens, no_show_slots
