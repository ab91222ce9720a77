"""Whatever a file holds, the loader answers with a valid scenario or one clean ScenarioError,
and `sim check` with exit code 0 or 2 and one message: never another exception.

Three kinds of input, each derandomized with a bounded number of examples: random bytes;
random YAML, as random text of YAML's tokens and as random nested documents built from the
schema's own keys and scalars a planner might write (or mistype); and the bundled scenario
files with random edits (lines deleted, repeated, swapped or re-indented, characters and
numbers replaced).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sim.cli import main
from sim.scenario.distributions import DISTRIBUTION_NAMES
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario
from sim.scenario.problems import model_keys
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").rglob("*.yaml"))
QUICK_TO_CHECK = [ROOT / "tests" / "broken" / "valid.yaml",
                  ROOT / "tests" / "fixtures" / "tiny.yaml",
                  *sorted((ROOT / "scenarios" / "theory").glob("*.yaml"))]
FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def loads_or_refuses(path: Path) -> None:
    """A valid scenario, or a ScenarioError whose every line names the file and is plain text
    (no line break or terminal escape from the file inside a line)."""
    try:
        load_scenario(path)
        event("valid")
    except ScenarioError as err:
        event("refused")
        lines = str(err).split("\n")
        assert all(line.startswith(f"{path}: ") and line.isprintable() for line in lines), lines


def check_exits_cleanly(path: Path) -> None:
    """`sim check` succeeds (0) or prints one error message (2); no traceback either way."""
    result = CliRunner().invoke(main, ["check", str(path)])
    event(f"sim check exit code {result.exit_code}")
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith("Error: "), result.output


def _write(tmp_path_factory: pytest.TempPathFactory, content: bytes | str) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "scenario.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- random bytes and random YAML text ---------------------------------------------------------
YAML_TOKENS = [
    "name", "calendar", "start", "procedures", "desks", "general", "counters", "dist",
    ":", ": ", " ", "  ", "\n", "\n  ", "\n    ", "- ", "-", "[", "]", "{", "}", ",", "? ", "&a ",
    "*a", "&b ", "*b", "!!str ", "!!int ", "!!float ", "!!binary ", "!!set ", "!!omap ",
    "!!timestamp ", "!!bool ", "!!null ", "!!seq ", "!!map ",
    "!!python/object:os.system ", "!foo ", "'", '"', "#", "|", ">", "~", "null", "yes", "1",
    "1e9", "-3", "0x1f", "0o17", "1_000", ".inf", ".nan", "07:30", "13:30-17:00",
    "2025-07-01", "2025-02-30", "2025-07-01 08:00", "---\n", "...\n", "%YAML 1.2\n", "\t", "\\",
    "\x00", "\x85", "\ufeff", "é", "Phường", "<<: ", "9" * 30,
]


@FUZZ
@given(content=st.binary(max_size=400))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    path = _write(tmp_path_factory, content)
    loads_or_refuses(path)
    check_exits_cleanly(path)


@FUZZ
@given(text=st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join))
def test_random_yaml_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = _write(tmp_path_factory, text)
    loads_or_refuses(path)
    check_exits_cleanly(path)


# --- random documents from the schema's keys ----------------------------------------------------
def _models(model: type[BaseModel], found: dict[type, None]) -> dict[type, None]:
    """Every model reachable from `model` through its fields."""
    found[model] = None
    pending = [info.annotation for info in model.model_fields.values()]
    while pending:
        annotation = pending.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                _models(annotation, found)
        else:
            pending += list(get_args(annotation))
    return found


SCHEMA_KEYS = sorted({key for model in _models(Scenario, {}) for key in model_keys(model)})
WORDS = [*DISTRIBUTION_NAMES, "outage", "slowdown", "blocked", "general", "land", "main",
         "serve_all", "send_home", "counter_first", "dedicated", "earliest_deadline", "mon",
         "sat", "baseline", "07:30", "24:00", "07:30-11:30", "13:30-17:00", "2025-07-01 08:00",
         "desks.general.counters", "procedures[0].service.mean", "counters_stop", "1e9"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 30), st.integers(), st.floats(),
    st.floats(-1e3, 1e4), st.text(max_size=8), st.sampled_from(WORDS),
    st.dates(dt.date(1990, 1, 1), dt.date(2110, 1, 1)), st.dates(),
)
KEYS = st.one_of(st.sampled_from(SCHEMA_KEYS), st.sampled_from(WORDS), st.integers(0, 3),
                 st.text(max_size=5))
DOCUMENTS = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=40)
TOP_LEVEL = st.dictionaries(st.sampled_from([*model_keys(Scenario), "template", "centres"]),
                            DOCUMENTS, max_size=10)


@FUZZ
@given(document=TOP_LEVEL)
def test_random_documents_of_schema_keys(tmp_path_factory: pytest.TempPathFactory,
                                         document: dict[str, Any]) -> None:
    path = _write(tmp_path_factory, yaml.safe_dump(document, allow_unicode=True))
    loads_or_refuses(path)
    check_exits_cleanly(path)


# --- bundled scenarios with random edits --------------------------------------------------------
NUMBERS = ["0", "-1", "1e308", "-1e308", "1e-320", "1.0e+300", "3e2", "2.5", ".nan", "-.inf",
           "99999999999", "2000", "0.999", "1441", "10081", "9999-12-31", "1999-12-31"]


@st.composite
def edited(draw: st.DrawFn, files: list[Path]) -> str:
    """A bundled scenario's text with one to three random edits."""
    lines = draw(st.sampled_from(files)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(lines) - 1))
        line = lines[where]
        edit = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "dedent", "number",
                                     "characters"]))
        if edit == "delete":
            del lines[where]
        elif edit == "repeat":
            lines.insert(where, line)
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], line
        elif edit in ("indent", "dedent"):
            lines[where] = "  " + line if edit == "indent" else line[2:]
        elif edit == "number":
            digits = [i for i, c in enumerate(line) if c.isdigit()]
            if digits:
                at = draw(st.sampled_from(digits))
                end = at
                while end < len(line) and (line[end].isdigit() or line[end] == "."):
                    end += 1
                lines[where] = line[:at] + draw(st.sampled_from(NUMBERS)) + line[end:]
        else:
            start = draw(st.integers(0, len(line)))
            stop = draw(st.integers(start, min(len(line), start + 4)))
            replacement = draw(st.lists(st.sampled_from(YAML_TOKENS), max_size=3).map("".join))
            lines[where] = line[:start] + replacement + line[stop:]
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=edited(BUNDLED))
def test_edited_bundled_scenarios_load_or_are_refused(tmp_path_factory: pytest.TempPathFactory,
                                                      text: str) -> None:
    loads_or_refuses(_write(tmp_path_factory, text))


@settings(FUZZ, max_examples=200)
@given(text=edited(QUICK_TO_CHECK))
def test_edited_scenarios_are_checked_or_refused(tmp_path_factory: pytest.TempPathFactory,
                                                 text: str) -> None:
    check_exits_cleanly(_write(tmp_path_factory, text))
