"""What a planner most likely meant: the known key an unknown one stands for, the fraction a
percentage stands for."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any


def misspelt_required(errors: list[dict[str, Any]],
                      known: Callable[[tuple], list[str]]) -> set[tuple]:
    """Where a required key is missing because a key beside it is that key misspelt
    ('centers' for 'centres'): one problem, the unknown key's with its suggestion, says it.
    ``known`` gives the keys allowed beside an unknown key's location; the missing key must be
    the one suggested among them all, so no problem is dropped that the suggestion leaves out."""
    missing = {item["loc"] for item in errors if item["type"] == "missing"}
    found = set()
    for item in errors:
        loc = item["loc"]
        if item["type"] == "extra_forbidden" and isinstance(loc[-1], str):
            found |= {(*loc[:-1], key) for key in closest_key(loc[-1], known(loc))
                      if (*loc[:-1], key) in missing}
    return found


def closest_key(key: str, known: list[str]) -> list[str]:
    """The known key that ``key`` most likely misspells, if any."""
    return difflib.get_close_matches(key, known, n=1, cutoff=0.75)


def percent_hint(given: object) -> str | None:
    """For "60%" where a number is wanted: the fraction to write instead (shares and
    probabilities are fractions from 0 to 1)."""
    text = given.strip() if isinstance(given, str) else ""
    try:
        fraction = f"{float(text[:-1]) / 100:g}" if text.endswith("%") else None
    except ValueError:
        return None
    return fraction and f"a number, not a percentage ({text} is {fraction})"
