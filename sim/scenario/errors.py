"""One error type for every problem a planner can make in a scenario.

Every message names the file, the field path, the bad value and what is allowed, so that the
planner can fix the scenario without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class _Nothing:
    """The value of a field that was not given at all."""

    def __repr__(self) -> str:
        return "nothing"


NOTHING = _Nothing()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, what was given, and what is allowed."""

    path: str
    value: object
    allowed: str

    def describe(self) -> str:
        where = self.path or "(top level)"
        return f"{where}: got {_show(self.value)}; allowed: {self.allowed}"


class ScenarioError(Exception):
    """A scenario that cannot be loaded or run; carries every problem found in one file."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        lines = [f"{self.source}: {p.describe()}" for p in self.problems]
        if len(lines) > 1:
            lines.insert(0, f"{self.source}: {len(lines)} problems")
        return "\n".join(lines)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
