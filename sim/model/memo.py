"""Remembering the last answer of a pure function of immutable scenario parts.

A province run simulates one centre's scenario for every replication in a row (a batch), and
each run works out the same timeline and arrival intensity from the same scenario objects. The
last call's arguments are compared by identity (kept alive with the answer, so an id is never
reused for another object): as cheap as a test can be, and never a stale answer, since scenario
parts are immutable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def remember_last(function: Callable[..., Result]) -> Callable[..., Result]:
    """`function`, answering a call with the very same arguments as the last from memory."""
    last: list[tuple[tuple[object, ...], Result]] = []  # one (arguments, answer) entry

    @functools.wraps(function)
    def remembered(*arguments: object) -> Result:
        entry = last[0] if last else None  # read once: another thread may replace it
        if entry is not None and len(entry[0]) == len(arguments) and all(
                given is kept for given, kept in zip(arguments, entry[0], strict=True)):
            return entry[1]
        answer = function(*arguments)
        last[:] = [(arguments, answer)]
        return answer

    return remembered
