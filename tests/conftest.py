"""Fixtures shared by several test files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sim.experiment.executors import Execution


@pytest.fixture
def unit_results(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every result a unit hands back to the main process during the test, in order (the
    executor's map is wrapped to record them)."""
    returned: list[object] = []
    original = Execution.map

    def recording_map(self: Execution, function: object, units: object) -> Iterator[object]:
        for result in original(self, function, units):
            returned.append(result)
            yield result

    monkeypatch.setattr(Execution, "map", recording_map)
    return returned
