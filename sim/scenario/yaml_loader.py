"""Strict YAML reading for scenario files.

PyYAML's safe loader silently keeps the last of two duplicate keys and reads unquoted clock times
such as ``13:30`` as base-60 integers (810). Both would quietly change a scenario, so our loader
rejects duplicates and keeps clock times as text. It follows YAML 1.1, where ``1e9`` and ``2e2``
are text; our loader reads them as numbers, as YAML 1.2 does. And a few lines of YAML can stand
for a huge document (aliases of aliases: "billion laughs") or nest deeper than Python recurses,
so the loader counts levels and values, every alias for what it stands for, while it reads.

It stays on PyYAML rather than ruamel.yaml (which writes the staffed copies) because it would not
get smaller there: ruamel's YAML 1.2 mode reads ``yes`` as text and ``010`` as 10, changing what
existing files mean, its 1.1 mode reads ``13:30`` as 810 again, so the resolver overrides, the
counting composer and the error translation would all be needed anyway; only the duplicate-key
check would come for free.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from sim.scenario.errors import Problem, ScenarioError, show
from sim.scenario.limits import MAX_YAML_DEPTH, MAX_YAML_NODES

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
# YAML 1.2's floats with an exponent (core schema), such as 1e9, 2e2 and 1.5E3, which YAML 1.1
# reads as text. The forms without one are read as YAML 1.1 reads them: `010` stays the octal 8
# and a code such as `03583` stays text.
_EXPONENT_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")


class StrictLoader(yaml.SafeLoader):
    """Safe loader that rejects duplicate keys, reads ``HH:MM`` as a string and YAML 1.2 floats
    as numbers, and refuses documents nested or expanding beyond the limits."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0  # values read so far, each alias counted as what it stands for
        self._sizes: dict[int, int] = {}  # id of a finished node -> values it stands for
        self._tagged: set[yaml.Node] = set()  # scalars given an explicit tag (`!!timestamp x`)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Count what each node stands for as it is read, and stop at the first node past a
        limit: an alias adds its anchor's size at once, so a bomb is never expanded."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise YamlLimitError(mark, "an alias inside the value it names",
                                     "aliases only to values given in full before them")
            self._count(self._sizes[id(node)], mark)
            return node
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlLimitError(mark, f"more than {MAX_YAML_DEPTH} levels of nesting",
                                 f"at most {MAX_YAML_DEPTH} levels of lists and mappings")
        before = self._values
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._count(1, mark)
        self._sizes[id(node)] = self._values - before
        return node

    def compose_scalar_node(self, anchor: str | None) -> yaml.ScalarNode:
        """A scalar, remembered when its tag is the file's own rather than implied."""
        explicit = self.peek_event().tag not in (None, "!")
        node = super().compose_scalar_node(anchor)
        if explicit:
            self._tagged.add(node)
        return node

    def _count(self, values: int, mark: yaml.Mark) -> None:
        self._values += values
        if self._values > MAX_YAML_NODES:
            raise YamlLimitError(mark, f"more than {MAX_YAML_NODES:,} values",
                                 f"at most {MAX_YAML_NODES:,} values in a file, each alias "
                                 "counted as the values it stands for")

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        """Turn the errors of PyYAML's constructors on odd text (a 5,000-digit number, an empty
        `!!int`, `!!timestamp x`) into YAML errors that carry the line and column; a plain
        date that is none (31 February) is kept as text for the schema to refuse at its
        field. Those constructors raise whatever their parsing meets (ValueError, IndexError,
        AttributeError), so every error but our own and PyYAML's is turned."""
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, DuplicateKeyError):
            raise
        except Exception as err:  # any failure to read a value is the file's
            if node.tag == _TIMESTAMP and node not in self._tagged:
                return self._as_text(node)
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {show(getattr(node, 'value', ''))}: {err}",
                node.start_mark) from None

    def _as_text(self, node: yaml.ScalarNode) -> str:
        """A plain value that looks like a date but is none (2025-13-01, 31 February), kept as
        the text it is: the schema then refuses it at its field (`calendar.start`), saying
        what a date is. A value the file tags `!!timestamp` stays a YAML problem."""
        self.recursive_objects.pop(node, None)
        self.constructed_objects[node] = node.value
        return node.value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Refuse a key given twice, and a key that is a list or mapping."""
        if not isinstance(node, yaml.MappingNode):  # `!!set name`: PyYAML's own error
            return super().construct_mapping(node, deep=deep)
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


StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _EXPONENT_FLOAT,
                                   list("-+.0123456789"))


class YamlLimitError(Exception):
    """A file nested or expanding beyond what a scenario can need."""

    def __init__(self, mark: yaml.Mark, what: str, allowed: str):
        self.line, self.what, self.allowed = mark.line + 1, what, allowed
        super().__init__(f"line {self.line}: {what}")


class DuplicateKeyError(Exception):
    """A mapping in the file names the same key twice."""

    def __init__(self, key: object, first_line: int, second_line: int):
        self.key, self.first_line, self.second_line = key, first_line, second_line
        super().__init__(f"duplicate key {key!r} on lines {first_line} and {second_line}")


def parse_yaml_text(text: str, source: str) -> object:
    """Parse YAML text strictly; syntax errors and duplicate keys become ScenarioErrors."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except YamlLimitError as err:
        raise ScenarioError(source, [Problem(f"line {err.line}", err.what, err.allowed)]) from None
    except DuplicateKeyError as err:
        raise ScenarioError(
            source,
            [Problem(f"line {err.second_line}", err.key,
                     f"each key once per mapping (first given on line {err.first_line})")],
        ) from None
    except yaml.YAMLError as err:
        raise ScenarioError(source, [_syntax_problem(err)]) from None


def _syntax_problem(err: yaml.YAMLError) -> Problem:
    """Where a YAML mistake is, and what to look at there.

    A scanner's context is the token that is wrong (a key without ':', an unclosed quote), so
    its start is the place; the problem mark is where the scanner gave up, often a line later.
    A parser's context is the whole block or bracket the bad token sits in, which may start on
    the file's first line; there the problem mark is the line that does not fit (or, when the
    first key of a block is the mis-indented one, the line after it).
    """
    context = getattr(err, "context_mark", None)
    problem = getattr(err, "problem_mark", None)
    scanning = isinstance(err, yaml.scanner.ScannerError) and context is not None
    mark = context if scanning else problem or context
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    reason = getattr(err, "problem", None) or str(err)
    allowed = "well-formed YAML"
    if not scanning and context is not None and mark is not None and context.line != mark.line:
        inside = str(getattr(err, "context", "")).removeprefix("while parsing a ")
        allowed += (f" (check the brackets of the {inside} that opens on line {context.line + 1})"
                    if inside.startswith("flow") else
                    " (check the indentation of this line and of the lines just above it: "
                    "a block's keys line up under its first key)")
    return Problem(where, reason, allowed)


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
