"""Staffing: the fewest counters per desk and time block that meet service targets.

The search has two steps, and the second one decides; a third confirms its answer.

1. Theory, per desk and time block (default: each hour of the opening sessions). The desk's
   own demand (the procedures' share of visitors x the site's fraction x the trips that an
   incomplete dossier causes, and the expected pick-ups and inquiries that come to the desk:
   ``visit_demand``) gives its counter visits per minute on the busiest ordinary day.
   Its modified offered load ``m(t) = integral of lambda(u) P(S > t - u) du`` (the load on
   infinitely many counters with the desk's own service law, so that the load lags a peak) is
   read as a stationary queue with load ``m(t)`` every 5 minutes: Erlang C, or Erlang A when
   citizens give up. A block gets the fewest counters with which its visits, taken together,
   meet every target, but never more than the desk's ``positions`` (its physical counters).
2. Simulation, over the whole run (every day, not only the busiest). Each desk's ``schedule``
   is set to its block counts, and the scenario is simulated with one seed (common random
   numbers across rounds). A desk passes when every target holds on its own visits by the 95%
   confidence bound on the safe side (``ci_high`` for ``<=``, ``ci_low`` for ``>=``) and no block
   is clearly (its whole interval) beyond a limit. While a desk fails, a counter is added in each
   block that is clearly beyond, or else in the block that contributes most to the failure;
   when three rounds of additions bring nothing, or every position is open where more are
   needed, the targets are out of reach (within positions) and the closest counts are kept.
   Once every desk passes, a counter is taken away, one block per desk and round, where theory
   for one counter fewer, scaled by how the simulation compared with theory over the whole
   desk, stays clearly (90%) inside every limit; a removal stays only if the simulation
   agrees. On a stationary M/M/c queue theory and simulation agree, no block can
   spare a counter, and the answer is the Erlang C minimum.
3. Confirmation. The counts were kept because they passed on the search's own seed, so they
   are simulated once more on as many fresh replications (root seed ``fresh_seed``: none of
   their seeds is one the search used) and judged by the same rule; the report says whether
   every target was confirmed there, or which fell short.

Approximations of the theory step (the simulation corrects them, at the price of more runs):

* Citizens who arrive while the centre is closed (a queue at the door before opening or over
  lunch) are served first at opening, ``c`` at a time (a fluid approximation), and later
  arrivals wait behind what is left of them. The time they spent before opening counts against
  no block (no counter can shorten it; block values in the simulation leave it out too), but it
  does count in the desk-level check, as in every other metric of the simulator.
* Erlang A assumes exponential patience. For another patience law the chain uses the rate
  ``P(patience <= 60) / E[min(patience, 60)]`` (exactly ``1 / mean`` for exponential patience),
  and a citizen's own giving up follows the scenario's patience law.
* Erlang A waiting-time tails ``P(W > t)`` are taken as exponential with the exact chance of
  waiting and the exact mean wait until service (exact for Erlang C, on the safe side
  otherwise: giving up ahead in the queue makes the true tail lighter).
* Returns of citizens who gave up or were sent home, guidance, disruptions and back-office help
  are left to the simulation; so are pick-up trips that find the result not ready, and when a
  transferred dossier asked about is completed is a fluid approximation (``visit_demand``).

The package follows those steps, one job per module (each imports only the ones above it):
``criteria`` (the targets, read in `sim.analysis.targets`, as per-visit quantities averaged over
a block), ``blocks`` (the stretches of a day), ``demand`` (visits and offered load per desk),
``visit_demand`` (the pick-ups and inquiries among them), ``formulas`` (Erlang C and A),
``theory_plan`` (step 1), ``check`` (judging one simulation; the wait statistics are those of
`sim.analysis.waits`). Steps 2 and 3 run simulations, so they are a decision above the
experiment layer: ``sim.decide.staffing`` (``search``, with `staff` the entry point, ``result``
and ``option_writer``). The names below are re-exported so that callers import from
``sim.analysis.staffing`` alone.
"""

from sim.analysis.staffing.blocks import DEFAULT_BLOCK_MINUTES, Block, time_blocks
from sim.analysis.staffing.check import per_desk_metrics
from sim.analysis.staffing.criteria import staffing_targets
from sim.analysis.staffing.demand import (
    GRID,
    DeskDemand,
    arrivals_per_minute,
    desk_demand,
    offered_load_curve,
    visits_per_citizen,
)
from sim.analysis.staffing.formulas import QueueModel as QueueModel  # for the tests
from sim.analysis.staffing.formulas import erlang_c_waiting
from sim.analysis.staffing.theory_plan import MAX_COUNTERS, TheoryPlan, theory_schedule

__all__ = [
    "DEFAULT_BLOCK_MINUTES",
    "GRID",
    "MAX_COUNTERS",
    "Block",
    "DeskDemand",
    "TheoryPlan",
    "arrivals_per_minute",
    "desk_demand",
    "erlang_c_waiting",
    "offered_load_curve",
    "per_desk_metrics",
    "staffing_targets",
    "theory_schedule",
    "time_blocks",
    "visits_per_citizen",
]
