"""Dotted paths into a scenario (``desks.land.counters``, ``procedures[2].service.mean``).

Options and ``--set`` overrides name the field they change by such a path, the same notation
that error messages use, so a planner can copy a path from an error into an option. The path is
followed through the schema as well as the document, so that it may pass through a section the
file leaves out but the schema fills with defaults (`arrivals.weekday_factor.sat: 0`).
"""

from __future__ import annotations

import copy
import re
from typing import Any, get_args, get_origin

from sim.scenario.problems import field_by_key, is_model, model_keys, unwrap
from sim.scenario.schema import Scenario

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

    A section that the file leaves out but that has defaults is written in on the way:

    >>> with_change({"arrivals": {"per_day": 100}}, "arrivals.weekday_factor.sat", 0)
    {'arrivals': {'per_day': 100, 'weekday_factor': {'sat': 0}}}
    """
    changed = copy.deepcopy(document)
    *parents, last = parse_path(path)
    node: object = changed
    kind: Any = Scenario
    walked: list[str | int] = []
    for part in parents:
        node, kind = _step(node, kind, part, path, walked)
        walked.append(part)
    _assign(node, last, value, path)
    return changed


def _step(node: object, kind: Any, part: str | int, path: str,
          walked: list[str | int]) -> tuple[object, Any]:
    """The node at part and its schema type; an absent section with defaults is created."""
    child = _child_type(kind, part)
    if isinstance(part, int):
        if isinstance(node, list) and 0 <= part < len(node):
            return node[part], child
    elif isinstance(node, dict):
        if part in node:
            return node[part], child
        if _has_defaults(kind, part):
            node[part] = {}
            return node[part], child
    raise PathError(f"{path!r}: " + _missing(node, kind, part, walked))


def _child_type(kind: Any, part: str | int) -> Any:
    """The schema type one step down (None where the schema says nothing, e.g. options)."""
    kind = unwrap(kind)
    if is_model(kind):
        field = field_by_key(kind, part)
        return field.annotation if field is not None else None
    if get_origin(kind) is dict:
        return get_args(kind)[1]
    if get_origin(kind) is list and isinstance(part, int):
        return get_args(kind)[0]
    return None


def _has_defaults(kind: Any, part: str | int) -> bool:
    """Whether part is an optional field holding a mapping (a section or a keyed table), which
    the path may fill in key by key; validation then asks for any required keys."""
    kind = unwrap(kind)
    field = field_by_key(kind, part) if is_model(kind) else None
    if field is None or field.is_required():
        return False
    inner = unwrap(field.annotation)
    return is_model(inner) or get_origin(inner) is dict


def _missing(node: object, kind: Any, part: str | int, walked: list[str | int]) -> str:
    where = _describe(walked)
    kind = unwrap(kind)
    if is_model(kind) and isinstance(part, str):
        if field_by_key(kind, part) is not None:
            return (f"{where} does not give {part!r}, which has no defaults to change one by "
                    f"one: set {part} whole")
        return f"{where} has no {part!r} (allowed: {', '.join(model_keys(kind))})"
    return f"{where} has no {part!r}" + _choices(node)


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
        return " (it has: " + (", ".join(map(str, node)) or "nothing") + ")"
    if isinstance(node, list):
        return f" (indices 0 to {len(node) - 1})"
    return ""
