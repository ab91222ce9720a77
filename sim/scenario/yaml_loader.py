"""Strict YAML reading for scenario files.

PyYAML's safe loader silently keeps the last of two duplicate keys and reads unquoted clock times
such as ``13:30`` as base-60 integers (810). Both would quietly change a scenario, so our loader
rejects duplicates and keeps clock times as text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from sim.scenario.errors import Problem, ScenarioError

_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


class StrictLoader(yaml.SafeLoader):
    """Safe loader that rejects duplicate keys and reads ``HH:MM`` as a string."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        """Turn value errors of PyYAML's constructors (31 February, a 5,000-digit number)
        into YAML errors that carry the line and column."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError) as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {getattr(node, 'value', '')!r}: {err}", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, yaml.Mark] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool | dt.date) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping",
                    key_node.start_mark)
            if key in seen:
                first = seen[key].line + 1
                raise DuplicateKeyError(key, first, key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and _SEXAGESIMAL.match(value):
            return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


class DuplicateKeyError(Exception):
    """A mapping in the file names the same key twice."""

    def __init__(self, key: object, first_line: int, second_line: int):
        self.key, self.first_line, self.second_line = key, first_line, second_line
        super().__init__(f"duplicate key {key!r} on lines {first_line} and {second_line}")


def parse_yaml_text(text: str, source: str) -> object:
    """Parse YAML text strictly; syntax errors and duplicate keys become ScenarioErrors."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except DuplicateKeyError as err:
        raise ScenarioError(
            source,
            [Problem(f"line {err.second_line}", err.key,
                     f"each key once per mapping (first given on line {err.first_line})")],
        ) from None
    except yaml.YAMLError as err:
        # The context mark (e.g. "while scanning a simple key") is where the mistake is; the
        # problem mark is where the parser noticed, often the line after.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(err, "problem", None) or str(err)
        raise ScenarioError(source, [Problem(where, reason, "well-formed YAML")]) from None


def read_yaml_file(path: Path) -> object:
    """Read a scenario file; a missing or unreadable file is a ScenarioError, not a traceback."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        missing = Problem("", str(path), "an existing scenario file")
        raise ScenarioError(str(path), [missing]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(str(path), [Problem("", type(err).__name__,
                                                "a readable UTF-8 text file")]) from None
    return parse_yaml_text(text, str(path))
