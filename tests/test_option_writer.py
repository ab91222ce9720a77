"""The staffed copy written through ruamel.yaml: the same scenario as the regex writer it replaced.

`write_staffed_copy` used to add the option by editing the text with regular expressions; it now
loads the file with ruamel.yaml's round-trip reader, adds the entry and writes the document back.
The old writer is kept below as the reference: on bundled scenarios and on files whose options
sit between comments, both copies load to equal scenarios, and every comment of the original is
still in the new copy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sim.decide.staffing import add_option_text, write_staffed_copy
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny.yaml"
TINY_TEXT = TINY.read_text(encoding="utf-8")
WITHOUT_OPTIONS = TINY_TEXT.split("options:")[0]
# Options between the desks and the targets, with an empty-line gap and comments on both sides.
BETWEEN_COMMENTS = WITHOUT_OPTIONS + """\
options:   # the planner's own
  extra_general:
    desks.general.counters: 3   # one more
  # more options to come

# the targets of the leaders
targets:   # from the brief
  within_target_share: {minutes: 10, at_least: 0.8}
# the end
"""
EMPTY_OPTIONS = WITHOUT_OPTIONS + "options:   # none yet\n\n# targets\ntargets: {wait_p90: 30}\n"
SCHEDULE = {"07:30": 3, "09:30": 2, "13:30": 1}


def _regex_add_option_text(text: str, name: str, changes: dict[str, object], comment: str = ""
                           ) -> str | None:
    """The regex writer this module replaced (sim.decide.staffing.option_writer before ruamel)."""
    options_line = re.compile(r"^options[ \t]*:[ \t]*(#.*)?$")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if options_line.match(line)]
    if any(re.match(r"^options[ \t]*:", line) for line in lines) and not found:
        return None
    if len(found) > 1:
        return None
    if not found:
        entry = ["", "options:", *_regex_entry(name, changes, comment, 2)]
        return newline.join([*lines, *entry]) + newline
    last, indent = found[0], None
    for i in range(found[0] + 1, len(lines)):
        line = lines[i]
        stripped = line.lstrip(" ")
        if not stripped:
            continue
        if line[0] not in " #":
            break
        if line[0] == " ":
            last = i
            if indent is None and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
    entry = _regex_entry(name, changes, comment, indent or 2)
    return newline.join([*lines[: last + 1], *entry, *lines[last + 1:]]) + newline


def _regex_entry(name: str, changes: dict[str, object], comment: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}{name}:" + (f"  # {comment}" if comment else "")]
    for path, value in changes.items():
        if isinstance(value, dict):
            lines.append(f"{pad}  {path}:")
            lines += [f"{pad}    {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
        else:
            lines.append(f"{pad}  {path}: {json.dumps(value)}")
    return lines


def _comments(text: str) -> list[str]:
    """The comments of a file: what follows a '#' that starts a line or follows a space."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append(stripped)
        elif " #" in line:
            found.append(line[line.index(" #") + 1:].strip())
    return found


def _cases() -> list[tuple[str, str, str]]:
    """(case, scenario text, desk path): bundled files, and the fixture in several layouts."""
    bundled = [("demo", "scenarios/demo.yaml", "desks.general"),
               ("mid_size_ward", "scenarios/centres/mid_size_ward.yaml", "desks.general"),
               ("two_sites", "scenarios/centres/urban_ward_two_sites.yaml",
                "sites.main.desks.general"),
               ("rural", "scenarios/centres/rural_merged_commune.yaml", "desks.general")]
    cases = [(case, (ROOT / file).read_text(encoding="utf-8"), path)
             for case, file, path in bundled]
    return [*cases, ("tiny", TINY_TEXT, "desks.general"),
            ("no_options", WITHOUT_OPTIONS, "desks.general"),
            ("between_comments", BETWEEN_COMMENTS, "desks.land"),
            ("empty_options", EMPTY_OPTIONS, "desks.general"),
            ("crlf", BETWEEN_COMMENTS.replace("\n", "\r\n"), "desks.general")]


@pytest.mark.parametrize(("case", "text", "desk"), _cases(), ids=[c[0] for c in _cases()])
def test_ruamel_copy_loads_as_the_regex_copy_did_and_keeps_comments(
        tmp_path: Path, case: str, text: str, desk: str) -> None:
    changes = {f"{desk}.counters": 3, f"{desk}.schedule": SCHEDULE}
    source = tmp_path / f"{case}.yaml"
    source.write_bytes(text.encode("utf-8"))
    written, kept, name = write_staffed_copy(source, tmp_path / "new", "staffed", changes,
                                             "sim staff: wait_p90<=30; checked")
    assert kept and name == "staffed"
    old_text = _regex_add_option_text(text, name, changes, "sim staff: wait_p90<=30; checked")
    old = tmp_path / "old" / f"{case}.yaml"
    old.parent.mkdir()
    old.write_bytes(old_text.encode("utf-8"))
    new_set, old_set = load_scenario(written), load_scenario(old)
    assert new_set.baseline == old_set.baseline
    assert new_set.options == old_set.options
    new_text = written.read_bytes().decode("utf-8")
    for comment in _comments(text):
        assert comment in new_text, comment
    assert "# sim staff: wait_p90<=30; checked" in new_text


def test_entry_goes_after_the_last_option_and_before_the_comments_of_the_next_key() -> None:
    added = add_option_text(BETWEEN_COMMENTS, "staffed", {"desks.land.counters": 2}, "note")
    assert added is not None
    tail = added[added.index("options:"):]
    assert tail == """\
options:   # the planner's own
  extra_general:
    desks.general.counters: 3   # one more
  # more options to come
  staffed:  # note
    desks.land.counters: 2

# the targets of the leaders
targets:   # from the brief
  within_target_share: {minutes: 10, at_least: 0.8}
# the end
"""
    crlf = add_option_text(BETWEEN_COMMENTS.replace("\n", "\r\n"), "staffed",
                           {"desks.land.counters": 2}, "note")
    assert crlf == added.replace("\n", "\r\n")


def test_clock_times_are_quoted_for_every_yaml_reader_and_layout_is_followed() -> None:
    four = "name: x\nprocedures:\n- id: a\n  share: 1\noptions:\n    one:\n        a.b: 1\n"
    added = add_option_text(four, "staffed", {"desks.g.schedule": SCHEDULE})
    assert added is not None and added.startswith(four)
    assert '        "07:30": 3\n' in added  # four spaces a level, as the file
    assert yaml.safe_load(added)["options"]["staffed"] == {"desks.g.schedule": SCHEDULE}


@pytest.mark.parametrize("text", ["options: {a: {}}\n", "{name: x}\n", "- 1\n", "a: [\n", "",
                                  "options: [1]\n"])
def test_texts_left_to_the_whole_document_rewrite(text: str) -> None:
    assert add_option_text(text, "b", {"desks.d.counters": 2}) is None
