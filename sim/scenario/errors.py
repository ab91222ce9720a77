"""One error type for every problem a planner can make in a scenario.

Every message names the file, the field path, the bad value and what is allowed, so that the
planner can fix the scenario without reading a traceback.
"""

from __future__ import annotations

import itertools
import math
import reprlib
from dataclasses import dataclass


class _Nothing:
    """The value of a field that was not given at all."""

    def __repr__(self) -> str:
        return "nothing"


NOTHING = _Nothing()
PROBLEMS_SHOWN = 20  # a file can have a million problems; the first ones say what to fix


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, what was given, and what is allowed."""

    path: str
    value: object
    allowed: str

    def describe(self) -> str:
        where = plain(self.path or "(top level)", PATH_SHOWN)
        return f"{where}: got {show(self.value)}; allowed: {plain(self.allowed, ALLOWED_SHOWN)}"


class ScenarioError(Exception):
    """A scenario that cannot be loaded or run; carries every problem found in one file."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        """One line per problem (the first PROBLEMS_SHOWN of them), after a count if several."""
        count, source = len(self.problems), plain(self.source, PATH_SHOWN)
        lines = [f"{source}: {p.describe()}" for p in self.problems[:PROBLEMS_SHOWN]]
        if count > PROBLEMS_SHOWN:
            lines.append(f"{source}: and {count - PROBLEMS_SHOWN:,} more problems")
        if count > 1:
            lines.insert(0, f"{source}: {count:,} problems")
        return "\n".join(lines)


class _BoundedRepr(reprlib.Repr):
    """A repr that looks at only the first few items, levels and characters of a value, so
    that showing a value a file made huge (a long list, a deep mapping, a 4,000-digit number)
    costs no more than showing a small one. Mappings keep their order, as the file wrote them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxdict = 4, 20
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = 40
        self.maxstring = self.maxother = 200

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() <= 256:
            return repr(x)
        # str() of a huge integer takes time quadratic in its digits (and fails past 4,300).
        return f"<a number of about {int(x.bit_length() * math.log10(2)) + 1:,} digits>"

    def repr_dict(self, x: dict, level: int) -> str:
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        items = [f"{self.repr1(key, level - 1)}: {self.repr1(value, level - 1)}"
                 for key, value in itertools.islice(x.items(), self.maxdict)]
        if len(x) > self.maxdict:
            items.append("...")
        return "{" + ", ".join(items) + "}"


_BOUNDED = _BoundedRepr()
SHOWN, PATH_SHOWN, ALLOWED_SHOWN = 80, 300, 1_000  # characters of a value, a path, the rest


def show(value: object) -> str:
    """A value as a problem shows it: its repr, cut to SHOWN characters, never built whole."""
    return _cut(_BOUNDED.repr(value), SHOWN)


def plain(text: str, limit: int) -> str:
    """Text of a message as one line of plain characters, cut to limit: a path or what is
    allowed can hold the file's own keys or names, with line breaks or terminal escapes."""
    return "".join(char if char.isprintable() else repr(char)[1:-1]
                   for char in _cut(text, limit))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
