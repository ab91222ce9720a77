"""Writing the staffed option: a copy of the scenario with the new option, comments kept.

The search ends in a file a planner can run and read. This module loads the scenario with a
round-trip YAML reader (ruamel.yaml), which keeps comments, quotes and number forms, adds the
option's entry under ``options:`` and writes the document back, so that the planner's notes
survive. The layout is kept too, except that a flow collection spread over several lines comes
back on one, and the indentation everywhere follows the file's first nested mapping and list.
Options written in flow style (``options: {a: ...}``) are left, as before, to the fallback that
rewrites the whole document without comments; so is any copy that would not read back to the
same scenario with the strict loader. The copy is then loaded and checked for the option.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path

import yaml
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario
from sim.scenario.yaml_loader import parse_yaml_text

# Wide enough that no line of a scenario is folded: a folded line would move its comment.
_WIDTH = 4096


def add_option_text(text: str, name: str, changes: dict[str, object], comment: str = ""
                    ) -> str | None:
    """The scenario text with a new entry under ``options:`` (added at the end when the file
    has none), everything else (comments too) as it was; None when the file's options are
    written in a way this does not extend (in flow style, or not as a mapping) or the text is
    not one YAML mapping, so that the caller can rewrite the whole document instead.

    >>> print(add_option_text("name: x\\noptions:\\n  a: {}\\n", "b", {"desks.d.counters": 2}))
    name: x
    options:
      a: {}
      b:
        desks.d.counters: 2
    <BLANKLINE>
    """
    loaded = _round_trip_load(text)
    if loaded is None:
        return None
    reader, document = loaded
    indent = _follow_layout(reader, document)
    options = document.get("options")
    if options is not None and (not isinstance(options, CommentedMap) or options.fa.flow_style()):
        return None  # e.g. options: {a: {...}}
    before = _slot_before_entry(document)
    if options is None:
        document["options"] = options = CommentedMap()
    entry = _entry(changes)
    options[name] = entry
    if comment:
        options.yaml_add_eol_comment(" ".join(comment.split()), key=name,
                                     column=indent + len(name) + 3)
    if before is not None:
        _move_following_lines(before, _last_slot(entry) if entry else (options, name, 2))
    out = io.StringIO()
    reader.dump(document, out)
    written = out.getvalue()
    return written.replace("\n", "\r\n") if "\r\n" in text else written


def _round_trip_load(text: str) -> tuple[YAML, CommentedMap] | None:
    """The reader and the document, comments attached; None unless it is one block mapping."""
    reader = YAML(typ="rt")
    reader.preserve_quotes = True
    try:
        document = reader.load(text.replace("\r\n", "\n"))
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap) or not document or document.fa.flow_style():
        return None
    return reader, document


def _entry(changes: dict[str, object]) -> CommentedMap:
    """The option's mapping: dotted paths as keys, values as JSON-like YAML (texts in double
    quotes, so that a clock time such as "07:30" stays text for every YAML reader)."""
    return CommentedMap((path, _node(value)) for path, value in changes.items())


def _node(value: object) -> object:
    if isinstance(value, dict):
        return CommentedMap((_node(k), _node(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    return value


Slot = tuple[CommentedBase, object, int]


def _last_comment(node: object) -> Slot | None:
    """Where ruamel keeps the comments and blank lines that follow a block: on the deepest last
    item that carries a comment (container, key or index, position in its comment list)."""
    slot = None
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        key, position = (next(reversed(node)), 2) if isinstance(node, CommentedMap) else (
            len(node) - 1, 0)
        tokens = node.ca.items.get(key)
        if tokens and tokens[position] is not None:
            slot = (node, key, position)
        node = node[key]
    return slot


def _slot_before_entry(document: CommentedMap) -> Slot | None:
    """The comment slot of what the new entry follows: the last item of the options, or the
    ``options:`` key itself when it is empty; none when ``options:`` is added at the end of the
    file, which then gets a blank line before it."""
    options = document.get("options")
    if options:
        return _last_comment(options)
    tokens = document.ca.items.get("options")
    if "options" in document:
        return (document, "options", 2) if tokens and tokens[2] is not None else None
    _add_lines(_last_comment(document) or _last_slot(document), "\n")
    return None


def _move_following_lines(slot: Slot, target: Slot) -> None:
    """Keep with the item before the new entry its own comment and the indented comment lines
    under it, and move the blank lines and the comments that lead into the next top-level key
    to `target`, after the new entry (ruamel would print them between the old item and the
    new)."""
    container, key, position = slot
    token = container.ca.items[key][position]
    own, _, following = token.value.partition("\n")
    lines = following.split("\n")
    indented = [i for i, line in enumerate(lines) if line.startswith(" ") and line.strip()]
    cut = indented[-1] + 1 if indented else 0
    moved = "\n".join(lines[cut:])
    if moved:
        token.value = "\n".join([own, *lines[:cut]]) + "\n"
        _add_lines(target, moved)


def _add_lines(slot: Slot, lines: str) -> None:
    """Add comment or blank lines after the item of `slot`, after its own comment if any."""
    holder, key, position = slot
    tokens = holder.ca.items.setdefault(key, [None, None, None, None])
    if tokens[position] is None:
        tokens[position] = CommentToken("\n", CommentMark(0))
    token = tokens[position]
    token.value += ("" if token.value.endswith("\n") else "\n") + lines


def _last_slot(node: CommentedMap | CommentedSeq) -> Slot:
    """The comment slot of the deepest last item of a block mapping or list, not inside a flow
    collection (a comment there would be printed inside its brackets)."""
    while True:
        is_map = isinstance(node, CommentedMap)
        key = next(reversed(node)) if is_map else len(node) - 1
        value = node[key]
        if not (isinstance(value, CommentedMap | CommentedSeq) and value
                and not value.fa.flow_style()):
            return node, key, 2 if is_map else 0
        node = value


def _follow_layout(writer: YAML, document: CommentedMap) -> int:
    """Indent as the file does: its first nested block mapping and block list say by how much
    (the scenarios' own style, 2 and a list's dash 2 in, when it has neither). Returns the
    indentation of a mapping's keys."""
    mapping, sequence, offset = None, None, None
    for parent, child in _blocks_in(document):
        if isinstance(child, CommentedMap) and mapping is None:
            mapping = max(child.lc.col - parent.lc.col, 1)
        elif isinstance(child, CommentedSeq) and sequence is None:
            item = child.lc.item(0)[1] - parent.lc.col
            offset, sequence = max(item - 2, 0), max(item, 2)
    writer.width = _WIDTH
    writer.indent(mapping=mapping or 2, sequence=sequence or 4,
                  offset=2 if offset is None else offset)
    return mapping or 2


def _blocks_in(node: CommentedMap | CommentedSeq
               ) -> Iterator[tuple[CommentedMap, CommentedMap | CommentedSeq]]:
    """Each non-empty block mapping or list under `node` held by a key of a mapping, with that
    mapping, in the order of the file."""
    for child in node.values() if isinstance(node, CommentedMap) else node:
        if isinstance(child, CommentedMap | CommentedSeq) and child and not child.fa.flow_style():
            if isinstance(node, CommentedMap):
                yield node, child
            yield from _blocks_in(child)


def write_staffed_copy(source: str | Path, out: str | Path, option: str,
                       changes: dict[str, object], comment: str = ""
                       ) -> tuple[Path, bool, str]:
    """Write ``<out>/<stem>_<option>.yaml``: the scenario with the new option, and check that it
    loads with that option. Returns (path, whether the file's comments were kept, the option's
    name: `option`, or `option_2`, ... when the scenario already has one of that name)."""
    source = Path(source)
    text = source.read_text(encoding="utf-8")
    document = parse_yaml_text(text, str(source))
    existing = dict(document.get("options") or {}) if isinstance(document, dict) else {}
    name, n = option, 1
    while name in existing or name == "baseline":
        n += 1
        name = f"{option}_{n}"
    expected = copy.deepcopy(document)
    expected["options"] = {**existing, name: changes}
    new_text = add_option_text(text, name, changes, comment)
    kept = new_text is not None
    if kept:
        try:
            kept = parse_yaml_text(new_text, str(source)) == expected
        except ScenarioError:  # cannot be re-read: write the whole document instead
            kept = False
    if not kept:
        new_text = (f"# {source.name} with option {name} added by sim staff (comments of the "
                    "original are not kept)\n"
                    + yaml.safe_dump(expected, allow_unicode=True, sort_keys=False))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}_{option}.yaml"
    if target.resolve() == source.resolve():
        raise ValueError(f"{target} is the scenario itself; choose another folder")
    target.write_text(new_text, encoding="utf-8")
    check_option(target, name, changes)
    return target, kept, name


def check_option(path: Path, name: str, changes: dict[str, object]) -> None:
    """Load the written file with the option and check that it gives every changed value."""
    loaded = load_scenario(path, options=[name]).options[name]
    for dotted, value in changes.items():
        node: object = loaded
        for part in dotted.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        if node != value:
            raise RuntimeError(f"{path}: option {name} gives {dotted} = {node!r}, "
                               f"not {value!r}")
