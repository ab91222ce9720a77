"""Seeds of an experiment: one root seed for a whole experiment and one derived seed per
replication (the random streams inside a run are the model's, `sim.model.streams`).

Replication r of every option and every centre gets the same seed, so options are compared on
the same citizens (common random numbers).
"""

from __future__ import annotations

import numpy as np

DEFAULT_SEED = 20250701  # the reform's first day: fixed, so that a run without --seed repeats


def replication_seed(root_seed: int, replication: int) -> int:
    """The seed of one replication, derived from the root seed independently of any other run.

    >>> replication_seed(1, 0) == replication_seed(1, 0) != replication_seed(1, 1)
    True
    """
    sequence = np.random.SeedSequence(root_seed, spawn_key=(replication,))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def fresh_seed(seed: int, replications: int) -> int:
    """A root seed whose first `replications` replications share no seed with the first
    `replications` of `seed`: the next one up that does (in practice seed + 1), so that a
    result tuned on one experiment can be judged on citizens it has not seen.

    >>> fresh_seed(20250701, 10)
    20250702
    """
    tuned = {replication_seed(seed, r) for r in range(replications)}
    fresh = seed + 1
    while not tuned.isdisjoint(replication_seed(fresh, r) for r in range(replications)):
        fresh += 1
    return fresh
