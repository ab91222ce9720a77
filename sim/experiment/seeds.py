"""Seeds: one root seed for a whole experiment, one derived seed per replication, one stream per
random quantity, and within a stream one per item.

Replication r of every option and every centre gets the same seed, so options are compared on
the same citizens (common random numbers). Streams are named, and new ones are only ever appended
to STREAMS, so adding a random quantity never changes the numbers of the existing ones. Items
that each draw a batch of their own (a procedure's online filings, a transferred batch, a random
outage) get their own generator under their quantity's stream, keyed by what the item is (a
procedure id) and not by its position, so that adding or changing one item leaves the draws of
every other item as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

DEFAULT_SEED = 20250701  # the reform's first day: fixed, so that a run without --seed repeats

STREAMS: tuple[str, ...] = (
    "arrivals",  # unit-rate Poisson points mapped through the arrival intensity
    "routing",  # which procedure each citizen comes for
    "service",  # minutes at the counter
    "patience",  # minutes before giving up, one per trip
    "returns",  # whether someone who gave up or was sent home comes back, one per trip
    "return_times",  # clock time of each return trip
    "sites",  # which service point a citizen goes to
    "guidance",  # whether a citizen needs the guidance team, and for how long
    "incomplete",  # whether the dossier brought on a trip is incomplete
    "back_office",  # staff-hours of work of a dossier received at the counter
    "handoffs",  # working days at an outside body, counter dossiers
    "online",  # online filings: times, per procedure (item_stream)
    "online_work",  # online filings: work and hand-off delay, per procedure
    "backlog",  # transferred dossiers: days left to the deadline, per backlog entry
    "backlog_work",  # transferred dossiers: work and hand-off delay, per backlog entry
    "disruptions",  # outages: moments and lengths, per outage
)


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


def streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators, one per random quantity, for a run with this seed."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: np.random.Generator(np.random.PCG64(child))
            for name, child in zip(STREAMS, children, strict=True)}


def item_stream(seed: int, stream: str, key: str) -> np.random.Generator:
    """The generator of one item of a named stream in a run with this seed.

    >>> a = item_stream(1, "online", "land").random()
    >>> a == item_stream(1, "online", "land").random() != item_stream(1, "online", "birth").random()
    True
    """
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    sequence = np.random.SeedSequence(
        seed, spawn_key=(STREAMS.index(stream), int.from_bytes(digest, "big")))
    return np.random.Generator(np.random.PCG64(sequence))


def item_keys(names: Sequence[str]) -> list[str]:
    """Keys for items named by what they are: the name, and a repeat number from the second
    item of the same name on.

    >>> item_keys(["land", "birth", "land"])
    ['land', 'birth', 'land#2']
    """
    seen: dict[str, int] = {}
    keys = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        keys.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return keys
