"""Dotted paths into a scenario (``desks.land.counters``, ``procedures[2].service.mean``).

Options and ``--set`` overrides name the field they change by such a path, the same notation
that error messages use, so a planner can copy a path from an error into an option.
"""

from __future__ import annotations

import copy
import re

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class PathError(ValueError):
    """A path that does not lead to a field of the scenario."""


def parse_path(path: str) -> list[str | int]:
    """Split a dotted path into keys and list indices.

    >>> parse_path("procedures[2].service.mean")
    ['procedures', 2, 'service', 'mean']
    """
    parts: list[str | int] = []
    position = 0
    for match in _SEGMENT.finditer(path):
        gap = path[position:match.start()]
        if gap not in ("", "."):
            raise PathError(f"cannot read {path!r} near {gap!r}")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    if not parts or position != len(path) or path.startswith("."):
        raise PathError(f"cannot read {path!r}")
    return parts


def with_change(document: dict, path: str, value: object) -> dict:
    """A deep copy of document with the field at path set to value; document is not touched.

    >>> base = {"desks": {"land": {"counters": 2}}}
    >>> with_change(base, "desks.land.counters", 3), base
    ({'desks': {'land': {'counters': 3}}}, {'desks': {'land': {'counters': 2}}})
    """
    changed = copy.deepcopy(document)
    *parents, last = parse_path(path)
    node: object = changed
    walked: list[str | int] = []
    for part in parents:
        node = _step(node, part, path, walked)
        walked.append(part)
    _assign(node, last, value, path)
    return changed


def _step(node: object, part: str | int, path: str, walked: list[str | int]) -> object:
    if isinstance(part, int):
        if isinstance(node, list) and 0 <= part < len(node):
            return node[part]
    elif isinstance(node, dict) and part in node:
        return node[part]
    where = _describe(walked)
    raise PathError(f"{path!r}: {where} has no {part!r}" + _choices(node))


def _assign(node: object, last: str | int, value: object, path: str) -> None:
    if isinstance(last, int) and isinstance(node, list) and 0 <= last < len(node):
        node[last] = value
    elif isinstance(last, str) and isinstance(node, dict):
        node[last] = value  # a new key is checked by the schema, which lists the allowed ones
    else:
        raise PathError(f"{path!r}: cannot set {last!r} here" + _choices(node))


def _describe(walked: list[str | int]) -> str:
    if not walked:
        return "the scenario"
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in walked)
    return text.lstrip(".")


def _choices(node: object) -> str:
    if isinstance(node, dict):
        return " (it has: " + ", ".join(map(str, node)) + ")"
    if isinstance(node, list):
        return f" (indices 0 to {len(node) - 1})"
    return ""
