"""The last answer of a pure function is remembered for the very same arguments only."""

from __future__ import annotations

from sim.model.memo import remember_last


def test_only_the_very_same_arguments_get_the_remembered_answer() -> None:
    calls: list[tuple[int, ...]] = []

    @remember_last
    def total(values: tuple[int, ...]) -> list[int]:
        calls.append(values)
        return [sum(values)]

    first = (1, 2)
    assert total(first) is total(first)  # remembered: one call
    equal = tuple([1, 2])  # equal, but another object: worked out again
    assert total(equal) == [3] and total(equal) is not total(first)
    assert len(calls) == 3  # first, equal, then first again (only the last is remembered)
