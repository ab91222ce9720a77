"""Writing the staffed option: a copy of the scenario with the new option, comments kept.

The search ends in a file a planner can run and read. This module adds the option's entry to the
scenario text itself, so that the file's comments and layout survive, falls back to rewriting the
whole document when that cannot be done safely, and checks that the copy loads with the option.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import yaml

from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario
from sim.scenario.yaml_loader import parse_yaml_text

_OPTIONS_LINE = re.compile(r"^options[ \t]*:[ \t]*(#.*)?$")


def add_option_text(text: str, name: str, changes: dict[str, object], comment: str = ""
                    ) -> str | None:
    """The scenario text with a new entry under ``options:``, everything else (comments too)
    as it was; None when the file's options are written in a way this cannot extend (e.g. in
    flow style), so that the caller can rewrite the whole document instead.

    >>> print(add_option_text("name: x\\noptions:\\n  a: {}\\n", "b", {"desks.d.counters": 2}))
    name: x
    options:
      a: {}
      b:
        desks.d.counters: 2
    <BLANKLINE>
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if _OPTIONS_LINE.match(line)]
    if any(re.match(r"^options[ \t]*:", line) for line in lines) and not found:
        return None  # options given inline, e.g. options: {a: {...}}
    if len(found) > 1:
        return None
    if not found:
        entry = ["", "options:", *_entry_lines(name, changes, comment, 2)]
        return newline.join([*lines, *entry]) + newline
    head = found[0]
    last, indent = head, None
    for i in range(head + 1, len(lines)):
        line = lines[i]
        stripped = line.lstrip(" ")
        if not stripped:
            continue
        if line[0] not in " #":
            break  # the next top-level key
        if line[0] == " ":
            last = i
            if indent is None and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
    entry = _entry_lines(name, changes, comment, indent or 2)
    return newline.join([*lines[: last + 1], *entry, *lines[last + 1:]]) + newline


def _entry_lines(name: str, changes: dict[str, object], comment: str, indent: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{name}:" + (f"  # {comment}" if comment else "")
    lines = [head]
    for path, value in changes.items():
        if isinstance(value, dict):
            lines.append(f"{pad}  {path}:")
            lines += [f"{pad}    {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
        else:
            lines.append(f"{pad}  {path}: {json.dumps(value)}")
    return lines


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
    loaded = load_scenario(target, options=[name]).options[name]
    for path, value in changes.items():
        node: object = loaded
        for part in path.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        if node != value:
            raise RuntimeError(f"{target}: option {name} gives {path} = {node!r}, "
                               f"not {value!r}")
    return target, kept, name
