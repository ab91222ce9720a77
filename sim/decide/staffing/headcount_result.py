"""What the headcount search found: the roster, how it was judged and confirmed, and where it
was written. Its words for a reader are in `sim.output.roster_text`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.analysis.confidence import t_interval
from sim.analysis.staffing.blocks import Block
from sim.analysis.targets import Target
from sim.decide.staffing.headcount_judge import Judge, Judged
from sim.decide.staffing.roster import Roster
from sim.experiment.runner import Results
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class HeadcountResult:
    """The roster of `headcount` people found for `blocks`, from theory's `start`.

    ``judged`` is the roster on the search's own replications; ``confirmation`` and
    ``baseline`` are the roster and the scenario as written, simulated together on as many
    fresh replications (``results``, root seed ``confirmation_seed``: none tuned on).
    """

    source: str
    headcount: int
    targets: tuple[Target, ...]
    blocks: tuple[Block, ...]
    start: Roster
    roster: Roster
    judged: Judged
    confirmation: Judged
    baseline: Judged
    results: Results  # options baseline and `option`, on the fresh replications
    confirmation_seed: int
    option: str
    changes: dict[str, object]
    written: Path | None
    comments_kept: bool
    uniform: bool
    rounds: int
    seed: int
    replications: int
    history: tuple[str, ...]
    runtime_seconds: float
    judge: Judge  # what the roster was judged by
    staffed: Scenario  # the scenario with the roster in place

    @property
    def met(self) -> bool:
        """Whether every target held on the search's replications."""
        return self.judged.met

    @property
    def confirmed(self) -> bool:
        """Whether every target also held on the fresh replications."""
        return self.confirmation.met


def paired_difference(first: HeadcountResult, second: HeadcountResult, replications: int,
                      seed: int) -> tuple[float, float, float]:
    """Mean and 95% interval of the first roster's shortfall minus the second's, replication
    by replication, both simulated on the same citizens (common random numbers; below 0: the
    first misses the targets by less)."""
    results = first.judge.run({"first": first.staffed, "second": second.staffed},
                              replications, seed)
    difference = (first.judge.replication_shortfalls(results, "first")
                  - first.judge.replication_shortfalls(results, "second"))
    return t_interval(difference)
