"""The random streams of one run: one generator per random quantity, and within a quantity one
per item.

A run is given one seed (the experiment derives it, see `sim.experiment.plan`) and every
random quantity draws from its own generator spawned from it. Streams are named, and new ones
are only ever appended to STREAMS, so adding a random quantity never changes the numbers of the
existing ones. Items that each draw a batch of their own (a procedure's online filings, a
transferred batch, a random outage) get their own generator under their quantity's stream,
keyed by what the item is (a procedure id) and not by its position, so that adding or changing
one item leaves the draws of every other item as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

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
    "tickets",  # whether a citizen holds a priority ticket (one uniform per citizen)
    "appointments",  # whether a citizen books, does not come, and how punctual (three each)
    "return_lags",  # opening days until a return, one per trip
    "pickup",  # collecting the result of a counter dossier, per submitting citizen
    "pickup_backlog",  # collecting the result of a transferred dossier, per backlog entry
    "inquiries",  # inquiries about a transferred dossier, per backlog entry
)


def streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent generators, one per random quantity, for a run with this seed."""
    return _Streams(seed)


class _Streams(dict):
    """The generators of one run, each made when first asked for: a run uses about half of
    them, and making one costs as much as simulating a few citizens. Each is spawned from the
    seed by its place in STREAMS, so when it is made changes none of its numbers."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.children = dict(zip(STREAMS, np.random.SeedSequence(seed).spawn(len(STREAMS)),
                                 strict=True))

    def __missing__(self, name: str) -> np.random.Generator:
        made = self[name] = np.random.Generator(np.random.PCG64(self.children[name]))
        return made


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
