"""Every mistake a planner can make in a scenario gives one readable message.

Each file in tests/broken/ is tests/broken/valid.yaml with exactly one mistake, named for it.
The message must name the file, the exact field path, the bad value and what is allowed:
``FILE: PATH: got VALUE; allowed: WHAT``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario.distributions import DISTRIBUTION_NAMES
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario, scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.yaml_loader import parse_yaml_text, read_yaml_file

BROKEN = Path(__file__).parent / "broken"
VALID = BROKEN / "valid.yaml"
MISSING = BROKEN / "no_such_file.yaml"
LONG_SCENARIO = Path(__file__).parent.parent / "scenarios" / "centres" / "mid_size_ward.yaml"
TOP_LEVEL_KEYS = (
    "name", "description", "calendar", "arrivals", "procedures", "desks", "patience",
    "return_probability", "max_trips", "at_closing", "warmup_minutes", "options", "targets",
)


@dataclass(frozen=True)
class Case:
    """One broken scenario and what its message must say."""

    id: str
    path: str | tuple[str, ...]  # the exact field path; a tuple lists equally good paths
    value: str | None  # what follows "got " (the repr of the bad value); None: nothing to show
    allowed: tuple[str, ...] = ()  # key words of the text after "allowed: "
    also: tuple[str, ...] = ()  # further text the problem's line must contain
    problems: int = 1  # a file with one mistake should give one problem
    file: str | None = None  # file in tests/broken/ without ".yaml"; default: the id
    overrides: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    bug: str | None = None  # why the current message is wrong: the case is a strict xfail

    @property
    def source(self) -> Path:
        return MISSING if self.id == "missing_file" else BROKEN / f"{self.file or self.id}.yaml"


CASES = [
    # Reading the file
    Case("missing_file", "(top level)", repr(str(MISSING)), ("an existing scenario file",)),
    Case("not_yaml", "line 11, column 18", "'mapping values are not allowed here'",
         ("well-formed YAML",)),
    Case("missing_colon", ("line 4", "line 4, column 3"), None, ("well-formed YAML",)),
    Case("duplicate_key", "line 6", "'working_days'", ("each key once", "line 4")),
    Case("misindented_key", "line 5, column 2", '"expected <block end>',
         ("well-formed YAML", "indentation of this line")),
    Case("unclosed_bracket", "line 6, column 1", None,
         ("well-formed YAML", "brackets of the flow sequence that opens on line 5")),
    Case("top_level_list", "(top level)", "'a list'", ("mapping", "name", "calendar")),
    Case("list_as_key", "line 2, column 3", None, ("well-formed YAML",),
         also=("a key must be a plain value",)),
    Case("impossible_date", "calendar.start", "'2025-02-30'", ("a valid date",)),
    Case("impossible_month", "calendar.start", "'2025-13-01'", ("a valid date", "month")),
    # Keys
    Case("unknown_top_level_key", "staff", "'staff'", ("one of the known keys", *TOP_LEVEL_KEYS)),
    Case("unknown_nested_key", "desks.general.counter", "'counter'", ("counters", "schedule"),
         also=("did you mean 'counters'?",)),  # not also "counters: required"
    Case("misspelt_required_key", "procedure", "'procedure'", ("one of the known keys",),
         also=("did you mean 'procedures'?",)),
    Case("missing_calendar_start", "calendar.start", None, ("required", "YYYY-MM-DD")),
    Case("bad_desk_name", "desks.General", "'General'", ("lower-case",)),
    # Types and ranges
    Case("wrong_type_counters", "desks.general.counters", "'two'", ("integer",)),
    Case("counters_zero", "desks.general.counters", "0", ("greater than or equal to 1",)),
    Case("yes_as_counters", "desks.general.counters", "True", ("integer",)),
    Case("share_above_one", "procedures[0].share", "1.5", ("less than or equal to 1",)),
    Case("share_as_percentage", "procedures[0].share", "'60%'",
         ("a number, not a percentage (60% is 0.6)",)),
    Case("negative_mean", "procedures[1].service.mean", "-15", ("greater than 0",)),
    Case("infinite_service_mean", "procedures[1].service.mean", "inf", ("finite",)),
    # A number where a mapping is expected: the form to write instead
    Case("deadline_as_number", "procedures[1].deadline", "3",
         ("a mapping with the keys working_days", "write deadline: {working_days: 3}")),
    Case("patience_as_number", "patience", "120",
         ("a mapping with a 'dist' key", "write patience: {dist: exponential, mean: 120}",
          "patience: {dist: deterministic, mean: 120}")),
    Case("desk_as_number", "desks.general", "2",
         ("counters (required), schedule", "write general: {counters: 2}")),
    # Clock times and sessions
    Case("bad_session_clock", "calendar.sessions[0]", "'7:30-11:30'", ("HH:MM-HH:MM",)),
    Case("bad_profile_clock", "arrivals.profile.7:30", "'7:30'", ("HH:MM",)),
    Case("session_closes_before_opening", ("calendar.sessions[0]", "calendar.sessions"), None,
         ("close after it opens",), also=("'11:30-07:30'",)),
    Case("overlapping_sessions", ("calendar.sessions", "calendar.sessions[1]"), None,
         ("overlap",), also=("13:30-17:00",)),
    # Distributions
    Case("unknown_distribution", "procedures[0].service", "{'dist': 'lognorm'",
         ("'dist' key", *DISTRIBUTION_NAMES)),
    Case("lognormal_without_cv", "procedures[0].service.cv", None, ("required",)),
    Case("negative_uniform_duration", "procedures[1].service",
         "{'dist': 'uniform', 'low': -1, 'high': 20}", ("minutes from 0 to 10,080", "low -1")),
    Case("nan_duration_bound", ("procedures[1].service.low", "procedures[1].service"), None,
         ("finite",), also=("nan",)),
    Case("triangular_out_of_order", "procedures[1].service",
         "{'dist': 'triangular', 'low': 5, 'mode': 20, 'high': 10}", ("low <= mode <= high",)),
    # Arrivals
    Case("both_per_day_and_per_hour", "arrivals", "{'per_day': 100, 'per_hour': 10",
         ("exactly one of per_day or per_hour",)),
    Case("neither_per_day_nor_per_hour", "arrivals", "{'profile':",
         ("exactly one of per_day or per_hour",)),
    Case("profile_with_per_hour", "arrivals", "{'per_hour': 10", ("profile goes with per_day",)),
    Case("surge_to_before_from", "arrivals.surges[0]", "{'from': datetime.date(2025, 7, 10)",
         ("'to' (2025-07-01) is before 'from' (2025-07-10)",)),
    # Desks and procedures
    Case("schedule_exceeds_counters", "desks.general", "{'counters': 2, 'schedule': {'07:30': 3}}",
         ("3 counters at 07:30", "only 2")),
    Case("unknown_desk", "procedures[1].desk", "'genral'",
         ("a desk defined under desks", "general")),
    Case("duplicate_procedure_id", "procedures[1].id", "'birth'",
         ("not used by another procedure",)),
    Case("shares_not_adding_up", "procedures", None, ("adding up to 1",), also=("0.9",)),
    Case("unknown_at_closing", "at_closing", "'serve_none'", ("send_home", "serve_all")),
    Case("serve_all_without_counter_at_closing", "desks.general.schedule",
         "{'07:30': 2, '16:00': 0}", ("at least 1 open counter", "closing (17:00)",
                                      "at_closing send_home")),
    Case("serve_all_without_counter_at_saturday_closing",
         "desks.general.schedule (set by --set desks.general.schedule)", None,
         ("closing (11:30)",), file="valid",
         overrides=("at_closing=serve_all", 'calendar.saturday_sessions=["07:30-11:30"]',
                    'desks.general.schedule={"07:30": 2, "11:00": 0, "13:30": 2}')),
    Case("serve_all_without_counter_at_closing_at_a_site",
         "sites.old_hq.desks.general.schedule (set by --set sites)", None, ("closing (17:00)",),
         file="valid",
         overrides=("at_closing=serve_all", "desks=null",
                    'sites={main: {share: 0.6, desks: {general: {counters: 2}}}, old_hq: {share: '
                    '0.4, desks: {general: {counters: 1, schedule: {"07:30": 1, "13:30": 0}}}}}')),
    # Counters that serve several desks (serves, pick)
    Case("serves_unknown_desk",
         "desks.general.serves[1] (set by --set desks.general.serves)", "'land'",
         ("a desk at this site", "general"), file="valid",
         overrides=("desks.general.serves=[general, land]",)),
    Case("serves_desk_twice",
         "desks.general.serves[1] (set by --set desks.general.serves)", "'general'",
         ("each desk once", "serves[0]"), file="valid",
         overrides=("desks.general.serves=[general, general]",)),
    Case("serves_not_its_own_queue", "desks.general.serves (set by --set desks)", "['flex']",
         ("includes 'general' itself",), file="valid",
         overrides=("desks={general: {counters: 2, serves: [flex]}, flex: {counters: 1}}",)),
    Case("serves_with_tickets", "tickets (set by --set tickets)", "'given'",
         ("no tickets or appointments", "serves"), file="valid",
         overrides=("desks={general: {counters: 2}, flex: {counters: 1, serves: [general]}}",
                    "tickets={priority: {elderly: 0.1}, rule: strict}")),
    Case("pick_without_serves", "desks.general.pick (set by --set desks.general.pick)",
         "'longest_waiting'", ("no pick without serves",), file="valid",
         overrides=("desks.general.pick=longest_waiting",)),
    Case("unknown_pick", "desks.general.pick (set by --set desks.general.pick)", "'oldest'",
         ("first_in_order", "longest_waiting"), file="valid",
         overrides=("desks.general.pick=oldest",)),
    Case("serves_desk_of_another_site", "sites.main.desks.general.serves[1] (set by --set sites)",
         "'land'", ("a desk at this site: general",), file="valid",
         overrides=("desks=null", "sites={main: {share: 0.6, desks: {general: {counters: 2, "
                    "serves: [general, land]}}}, old_hq: {share: 0.4, desks: {general: "
                    "{counters: 1}, land: {counters: 1}}}}")),
    Case("option_serves_unknown_desk", "options.pool.desks.general.serves[1]", "'nope'",
         ("a desk at this site: general",), file="valid",
         overrides=("options={pool: {desks.general.serves: [general, nope]}}",)),
    # Options
    Case("option_missing_field", "options.extra.desks.nope.counters", "3",
         ("desks has no 'nope'", "general")),
    Case("option_breaks_validation", "options.extra.desks.general.counters", "-1",
         ("greater than or equal to 1",)),
    Case("option_closes_desk_before_serve_all_closing",
         "options.early.desks.general.schedule", None,
         ("closing (17:00)",), file="valid",
         overrides=("at_closing=serve_all",
                    'options={early: {desks.general.schedule: {"07:30": 2, "16:00": 0}}}')),
    # Command line: --set and --option on the valid file
    Case("set_bad_path", "--set desks.nope.counters", "3", ("desks has no 'nope'", "general"),
         file="valid", overrides=("desks.nope.counters=3",)),
    Case("set_malformed", "--set", "'desks.general.counters'", ("PATH=VALUE",),
         file="valid", overrides=("desks.general.counters",)),
    Case("set_value_breaks_validation",
         "desks.general.counters (set by --set desks.general.counters)", "-1",
         ("greater than or equal to 1",), file="valid", overrides=("desks.general.counters=-1",)),
    Case("unknown_option", "--option", "'nope'", ("an option of the scenario", "baseline", "extra"),
         file="valid", options=("nope",)),
]


def _param(case: Case) -> pytest.param:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


def test_valid_scenario_loads() -> None:
    loaded = load_scenario(VALID)
    assert loaded.baseline.name == "valid"
    assert list(loaded.options) == ["baseline", "extra"]
    assert loaded.options["baseline"].desks["general"].counters == 2
    assert loaded.options["extra"].desks["general"].counters == 3


def test_a_procedure_without_a_name_is_named_by_its_id() -> None:
    document = read_yaml_file(VALID)
    del document["procedures"][0]["name"]  # type: ignore[index]
    procedures = scenario_from_document(document, str(VALID)).baseline.procedures
    assert [p.name for p in procedures] == ["birth", "Đất đai"]


def test_unquoted_clock_times_are_read_as_text() -> None:
    """``13:30`` unquoted is a clock time, not YAML 1.1's base-60 integer 810."""
    scenario = load_scenario(BROKEN / "unquoted_clock_times.yaml").baseline
    assert scenario.calendar.sessions == ["07:30-11:30", "13:30-17:00"]
    assert scenario.calendar.cutoff == "14:30"
    assert scenario.arrivals.profile == {"07:30": 1.0, "13:30": 0.5}
    assert scenario.desks["general"].schedule == {"07:30": 1, "13:30": 2}


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_broken_scenario_message(case: Case) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(case.source, overrides=case.overrides, options=case.options)
    source = str(case.source)
    message = str(caught.value)
    lines = message.splitlines()
    if case.problems == 1:
        assert len(lines) == 1, message
    else:
        assert lines[0] == f"{source}: {case.problems} problems", message
        assert len(lines) == case.problems + 1, message

    paths = (case.path,) if isinstance(case.path, str) else case.path
    found = [
        line for line in lines for path in paths if line.startswith(f"{source}: {path}: got ")
    ]
    assert found, f"no problem at {' or '.join(paths)} in:\n{message}"
    line = found[0]
    got, separator, allowed = line.partition("; allowed: ")
    assert separator, line
    if case.value is not None:
        assert got.split(": got ", 1)[1].startswith(case.value), line
    for word in case.allowed:
        assert word in allowed, line
    for text in case.also:
        assert text in line, line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def test_a_misindented_line_of_a_long_scenario_is_reported_where_it_is() -> None:
    """Indent each key line of a bundled scenario one space less: the error names that line,
    or (when the block's first key is the mis-indented one, which sets the block's indentation)
    the first line after that key's own block; never the file's first line."""
    lines = LONG_SCENARIO.read_text(encoding="utf-8").splitlines()
    checked, wrong = 0, []
    for index, line in enumerate(lines):
        if _indent(line) < 2 or line.lstrip().startswith(("#", "-")):
            continue
        changed = [*lines[:index], line[1:], *lines[index + 1:]]
        try:
            parse_yaml_text("\n".join(changed), "x.yaml")
            continue  # still YAML (one more space is not always an error there): schema's job
        except ScenarioError as err:
            reported = int(str(err).split("line ")[1].split(",")[0]) - 1
        between = changed[index + 1:reported]
        if reported < index or any(_indent(other) <= _indent(line) for other in between
                                   if other.strip() and not other.lstrip().startswith("#")):
            wrong.append(f"line {index + 1} reported at line {reported + 1}")
        checked += 1
    assert checked > 100 and wrong == [], wrong


def test_every_broken_file_is_tested() -> None:
    named = {c.source.name for c in CASES} | {VALID.name, "unquoted_clock_times.yaml"}
    on_disk = {p.name for p in BROKEN.glob("*.yaml")}
    assert on_disk - named == set()
    assert named - on_disk == {MISSING.name}


NOT_ONE_EDIT = ("valid", "top_level_list", "unquoted_clock_times")


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in BROKEN.glob("*.yaml") if p.stem not in NOT_ONE_EDIT)
)
def test_broken_file_differs_from_valid_in_one_place(name: str) -> None:
    """One mistake per file: a single changed, added or removed block of lines."""
    valid = VALID.read_text(encoding="utf-8").splitlines()
    broken = (BROKEN / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    changes = [op for op in difflib.SequenceMatcher(None, valid, broken).get_opcodes()
               if op[0] != "equal"]
    assert len(changes) == 1, changes


# Junk in numeric fields: either the scenario loads or the planner gets a ScenarioError,
# never a traceback.

NUMERIC_FIELDS = (
    "desks.general.counters",
    "procedures[0].share",
    "procedures[1].service.mean",
    "procedures[0].service.cv",
    "arrivals.per_day",
    "arrivals.profile.07:30",
    "calendar.working_days",
    "max_trips",
    "return_probability",
    "warmup_minutes",
    "options.extra: desks.general.counters",  # the value of the option's change
)
JUNK = st.one_of(
    st.integers(min_value=-(10**100), max_value=10**100),
    st.floats(),  # nan, inf, -0.0, subnormals
    st.booleans(),
    st.none(),
    st.text(max_size=20),
    st.dates(),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(min_value=-5, max_value=5), max_size=2),
)


def _set(document: dict, field: str, value: object) -> dict:
    if field.startswith("options.extra: "):  # the option's key is itself a dotted path
        return with_change(document, "options.extra", {field.split(": ")[1]: value})
    return with_change(document, field, value)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(field=st.sampled_from(NUMERIC_FIELDS), value=JUNK)
def test_junk_in_numeric_fields_loads_or_is_a_scenario_error(
    tmp_path_factory: pytest.TempPathFactory, field: str, value: object
) -> None:
    document = _set(read_yaml_file(VALID), field, value)  # type: ignore[arg-type]
    path = tmp_path_factory.mktemp("junk") / "junk.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as err:
        assert str(err).startswith(f"{path}: "), str(err)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(field=st.sampled_from(NUMERIC_FIELDS[:-1]), text=st.text(max_size=20))
def test_junk_text_in_set_override_loads_or_is_a_scenario_error(field: str, text: str) -> None:
    try:
        load_scenario(VALID, overrides=(f"{field}={text}",))
    except ScenarioError as err:
        assert str(err).startswith(f"{VALID}"), str(err)
