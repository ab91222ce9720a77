"""A small file cannot ask the loader for unbounded work, and no message grows with the value it
shows: aliases that expand to millions of values and deep nesting are refused as the file is
read, and a problem shows at most a few dozen characters of any value."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim.scenario.errors import Problem, ScenarioError, show
from sim.scenario.limits import MAX_YAML_DEPTH, MAX_YAML_NODES
from sim.scenario.load import load_scenario
from sim.scenario.yaml_loader import parse_yaml_text, read_yaml_file

VALID = Path(__file__).parent / "broken" / "valid.yaml"


def billion_laughs(levels: int = 9) -> str:
    """Ten aliases of the level below at each level: 10**levels values from a dozen lines
    (level 4, on line 5, is the first to stand for more than 100,000)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def _problem(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_yaml_text(text, "x.yaml")
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    return message


def test_billion_laughs_is_refused_at_once() -> None:
    started = time.perf_counter()
    message = _problem(billion_laughs())
    assert time.perf_counter() - started < 2
    assert message.startswith("x.yaml: line 5: got 'more than 100,000 values'"), message
    assert "each alias counted as the values it stands for" in message


def test_aliases_that_stay_small_are_read() -> None:
    document = parse_yaml_text(billion_laughs(levels=3), "x.yaml")
    assert len(document["a3"]) == 10 and document["a3"][0][0][0] == ["lol"] * 10


def test_an_alias_inside_what_it_names_is_refused() -> None:
    assert "an alias inside the value it names" in _problem("a: &a [1, *a]\n")
    assert "an alias inside the value it names" in _problem("a: &a {b: *a}\n")


@pytest.mark.parametrize("nested", [
    "[" * 900 + "]" * 900,
    "a:\n" + "".join(" " * level + f"k{level}:\n" for level in range(1, 900)) + " " * 900 + "1\n",
    "a: " + "{b: " * 900 + "1" + "}" * 900 + "\n",
])
def test_deep_nesting_is_refused(nested: str) -> None:
    assert f"more than {MAX_YAML_DEPTH} levels of nesting" in _problem(nested)


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_YAML_DEPTH - 1
    assert parse_yaml_text("[" * depth + "]" * depth, "x.yaml") is not None


def test_a_long_flat_file_up_to_the_limit_is_read() -> None:
    count = MAX_YAML_NODES // 4  # keep the test quick; the limit itself is the count above
    document = parse_yaml_text("v: [" + ", ".join(["1"] * count) + "]", "x.yaml")
    assert len(document["v"]) == count


def test_a_scenario_with_a_bomb_in_a_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    text = VALID.read_text(encoding="utf-8").replace(
        "name: valid\n", billion_laughs() + "name: valid\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="more than 100,000 values"):
        load_scenario(path)


def test_a_value_is_shown_without_building_its_whole_repr() -> None:
    """repr() of these takes seconds or fails (an integer of 100,000 digits); show() takes
    no longer than for a small value and stays short."""
    huge_int = 10 ** 100_000
    values = [list(range(10 ** 7)), "x" * 10 ** 7, huge_int, {i: [i] * 10 for i in range(10 ** 5)}]
    nested: list = []
    for _ in range(10_000):
        nested = [nested]
    values.append(nested)
    started = time.perf_counter()
    shown = [show(value) for value in values]
    assert time.perf_counter() - started < 0.5
    assert all(len(text) <= 80 for text in shown), shown
    assert shown[2] == "<a number of about 100,001 digits>"


def test_a_mapping_is_shown_in_the_order_of_the_file() -> None:
    assert show({"dist": "uniform", "low": -1, "high": 20}) == \
        "{'dist': 'uniform', 'low': -1, 'high': 20}"


def test_a_huge_bad_value_gives_a_short_message(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    values = ", ".join(["-1"] * 20_000)
    text = VALID.read_text(encoding="utf-8").replace(
        "{dist: exponential, mean: 15}", f"{{dist: empirical, values: [{values}]}}")
    path.write_text(text + "description: " + "x" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert len(str(caught.value)) < 400, str(caught.value)


def test_a_thousand_problems_are_counted_and_the_first_shown(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    holidays = ", ".join(["1999-01-01"] * 1_000)
    path.write_text(VALID.read_text(encoding="utf-8").replace(
        "working_days: 5\n", f"working_days: 5\n  holidays: [{holidays}]\n"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 1,000 problems"
    assert lines[1].startswith(f"{path}: calendar.holidays[0]: got datetime.date(1999, 1, 1)")
    assert lines[-1] == f"{path}: and 980 more problems" and len(lines) == 22


def test_what_is_allowed_is_cut_too() -> None:
    line = Problem("desks.x", 1, "a desk: " + ", ".join(f"d{i}" for i in range(100_000)))
    assert len(line.describe()) < 1_100


def test_an_unreadable_number_is_shown_short() -> None:
    message = _problem("a: " + "9" * 5_000 + "\n")
    assert "cannot read '99999" in message and len(message) < 300


def test_a_huge_duplicate_key_is_shown_short(tmp_path: Path) -> None:
    key = "k" * 1_000_000  # a complex key ("? "): a plain one is at most 1,024 characters
    path = tmp_path / "dup.yaml"
    path.write_text(f"? {key}\n: 1\n? {key}\n: 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_yaml_file(path)
    assert "each key once per mapping" in str(caught.value) and len(str(caught.value)) < 300


@pytest.mark.parametrize("text", ["!!int ", "a: !!float\n", "a: !!int ''\n", "a: !!timestamp x\n",
                                  "a: !!timestamp 2025-13-01\n", "!!set name\n", "a: !!map 1\n"])
def test_an_empty_or_broken_tagged_value_is_a_yaml_problem(text: str) -> None:
    """PyYAML's constructors fail with IndexError on an empty `!!int` and AttributeError on a
    `!!timestamp` that is not one (found by the fuzz test)."""
    assert "well-formed YAML" in _problem(text)


@pytest.mark.parametrize("key", ["13:30-17:00", "a-b", "constrained-float", "list[int]"])
def test_a_key_that_looks_like_a_pydantic_label_is_named_as_a_key(key: str) -> None:
    """Pydantic names the member of a union it tried with labels such as 'constrained-float';
    a key of the file with '-' or '[' in it was taken for one, and the loader crashed."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(VALID, overrides=[f'calendar={{"{key}": 1}}'])
    assert (f"calendar.{key} (set by --set calendar): got '{key}'; allowed: one of the known keys"
            in str(caught.value))


@pytest.mark.parametrize("key", ["two\nlines", "\x1b[31mred\x1b[0m", "tab\there", "sep\x1eend"])
def test_a_key_with_control_characters_stays_on_one_plain_line(tmp_path: Path, key: str) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(VALID.read_text(encoding="utf-8") + yaml_line(key), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    lines = str(caught.value).split("\n")
    assert len(lines) == 1 and lines[0].isprintable(), lines
    assert repr(key)[1:-1] in lines[0]


def yaml_line(key: str) -> str:
    """A top-level key written with YAML's escapes, as a double-quoted key."""
    escaped = key.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    escaped = escaped.replace("\x1b", "\\e").replace("\x1e", "\\x1e")
    return f'"{escaped}": 1\n'
