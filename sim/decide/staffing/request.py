"""What `sim staff` (without --headcount) is asked to meet, and how its answer was checked, in
the words of the staffed copy's comment; kept apart from the search rounds themselves."""

from __future__ import annotations

from collections.abc import Sequence

from sim.analysis.staffing.criteria import staffing_targets
from sim.analysis.targets import Target, as_target
from sim.scenario.schema import Scenario


def checked_how(block_minutes: int | None, replications: int, seed: int, met: bool,
                confirmed: bool, confirmation_seed: int) -> str:
    """How the staffing was found and checked, for the comment of the written copy."""
    return (f"{'block' if block_minutes is None else f'{block_minutes} min'}, checked "
            f"with {replications} replications, seed {seed}"
            + ("" if met else "; TARGETS NOT MET")
            + ("; confirmed" if confirmed else "; NOT CONFIRMED")
            + f" on {replications} fresh replications, seed {confirmation_seed}")


def search_targets(scenario: Scenario, targets: Sequence[Target | str]) -> tuple[Target, ...]:
    """The targets given (parsed), or else the scenario's own; refused when there are none or
    one cannot guide staffing."""
    found = tuple(as_target(t) for t in targets) or staffing_targets(scenario)
    if not found:
        raise ValueError("no targets: give some (e.g. wait_p90<=30) or add `targets` to "
                         "the scenario")
    if scenario.patience is None and any(t.metric == "abandoned_share" for t in found):
        raise ValueError("the scenario has no patience, so nobody gives up: an "
                         "abandoned_share target cannot guide staffing")
    return found
