"""Write a province file: one centre per new commune-level unit, each a change of one template.

Why: a planner who wants to simulate a whole province needs its 90-170 centres with real codes,
names, locations and a first demand, not a hand-typed list. Demand comes from the planner's CSV
(``code, visitors_per_day[, staff]``); for units the CSV does not give, from a proxy.

The proxy (rows of docs/sources.md; "derived" = our arithmetic):

- Hà Nội commune level, 1 Jul-23 Sep 2025: 531,269 dossiers, about 64 per commune-level unit per
  working day (derived), 40% filed in person (docs/sources.md, Demand: Hà Nội commune level).
  So 64 x 0.40 = 25.6 in-person visitors per unit per day, taken as the national typical unit.
- With population: 25.6 / 30,500 residents per unit (derived: 101.34 M / 3,321; docs/sources.md,
  Structure: population per new unit) = 0.00084 visitors per resident per day (8.4 per 10,000).
- Without (`vietnamadminunits` has no population): 25.6 / 3.1 old communes per new unit (9,907
  merged into 3,193; docs/sources.md, Structure: units before) = 8.26 visitors per old commune
  per day, times the old communes merged into the unit (a split one counts in full).

visitors per day = max(1, round(rate x population or old communes)). Communes, wards and
special zones get the same rate: no published figure separates them, though busy urban wards see
200-700 visitors a day and remote communes 10-30; a planner who knows better gives a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
import yaml

from sim.scenario.atomic import write_text_atomically
from sim.scenario.limits import MAX_BACKLOG
from sim.scenario.load import load_scenario
from sim.scenario.province.admin_units import communes, find_province, source
from sim.scenario.schema import Scenario

IN_PERSON_PER_UNIT = 64 * 0.40  # 25.6 visitors per unit per day (Hà Nội, see above)
PER_RESIDENT = IN_PERSON_PER_UNIT / 30_500  # 0.00084 visitors per resident per day
PER_OLD_COMMUNE = IN_PERSON_PER_UNIT / 3.1  # 8.26 visitors per old commune per day
CSV_COLUMNS = "columns code, visitors_per_day and optionally staff"
HIGHLAND_KM2 = 150.0  # a commune this large takes the highland template (docs/sources.md)



def centres_title(place: str, english_place: str | None = None) -> dict[str, str]:
    """The `name` and `label` of a file of a place's commune centres: the name in Vietnamese,
    the label in each page's language."""
    vi = f"{place}: các trung tâm cấp xã"
    return {"name": vi, "label": {"vi": vi,
                                  "en": f"{english_place or place}: commune centres"}}


@dataclass(frozen=True)
class Demand:
    """One row of the planner's demand CSV."""

    visitors_per_day: float
    staff: int | None
    line: int


def init_province(province: str, template: Path, demand_csv: Path | None, out: Path,
                  overwrite: bool = False) -> Path:
    """Write the province file ``out`` for ``province`` from ``template`` and return its path;
    an existing ``out`` (a planner's edits in it) only with ``overwrite``, never the template.

    Raises ValueError for an unknown province, an ``out`` that exists or is the template, a
    template without ``arrivals.per_day`` or a bad demand CSV (naming the file, line, column and
    what is allowed); ScenarioError for a template that is not a valid scenario.
    """
    if out.exists() and out.resolve() == template.resolve():
        raise ValueError(f"{out}: is the template; allowed: another file for the province")
    if out.exists() and not overwrite:
        raise ValueError(f"{out}: exists; allowed: a file that does not exist yet, or --force "
                         "to write over it")
    name = find_province(province)
    codes = set(communes(name)["code"])
    demand = read_demand(demand_csv, codes, name) if demand_csv else {}
    return write_province(name, Templates(template), demand, demand_csv, out)


@dataclass(frozen=True)
class Templates:
    """The centre template, and other templates for some kinds of unit (`unit_kind`)."""

    default: Path
    by_kind: Mapping[str, Path] = field(default_factory=dict)

    def of(self, kind: str) -> Path:
        return self.by_kind.get(kind, self.default)


def unit_kind(kind: str, area_km2: float) -> str:
    """The kind of unit a template is chosen by: ward, special_zone, commune, or highland (a
    commune of at least HIGHLAND_KM2; the package gives no elevation, see docs/sources.md).

    >>> unit_kind("commune", 40.0), unit_kind("commune", 300.0), unit_kind("ward", 300.0)
    ('commune', 'highland', 'ward')
    """
    return "highland" if kind == "commune" and area_km2 >= HIGHLAND_KM2 else kind


def write_province(name: str, templates: Templates, demand: Mapping[str, Demand],
                   demand_csv: Path | None, out: Path, options: dict | None = None) -> Path:
    """Write the province file ``out`` of the province ``name`` (its short name): a centre per
    unit, each from the template of its kind, demand from ``demand`` or the proxy; ``options``
    for every centre when given (``{}``: the baseline only)."""
    units = communes(name)
    out.parent.mkdir(parents=True, exist_ok=True)
    scenarios = {path: _template_scenario(path) for path in {templates.default,
                                                             *templates.by_kind.values()}}
    centres = []
    for unit in units.itertuples():
        template = templates.of(unit_kind(unit.kind, unit.area_km2))
        centre = _centre(unit, demand.get(unit.code), scenarios[template])
        if template != templates.default:
            centre = {**dict(list(centre.items())[:-1]), "template": _relative(template, out),
                      "set": centre["set"]}
        centres.append(centre)
    document = {**centres_title(name), "province": name,
                "template": _relative(templates.default, out), "centres": centres,
                **({} if options is None else {"options": options})}
    header = _header(name, units, demand, demand_csv, scenarios[templates.default],
                     any(scenario.backlog for scenario in scenarios.values()))
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=10_000)  # a long merged_from stays on its line
    write_text_atomically(out, header + body)
    return out


def _template_scenario(template: Path) -> Scenario:
    scenario = load_scenario(template).baseline
    if scenario.arrivals.per_day is None:
        raise ValueError(f"{template}: arrivals: the template gives per_hour; allowed: a "
                         "template with arrivals.per_day (the value each centre replaces)")
    return scenario


def _relative(path: Path, out: Path) -> str:
    return Path(os.path.relpath(path.resolve(), out.resolve().parent)).as_posix()


def proxy_visitors(old_communes: int, population: float = math.nan) -> int:
    """Visitors per day from population when known, else from the old communes merged.

    >>> proxy_visitors(3), proxy_visitors(12), proxy_visitors(3, population=30_500)
    (25, 99, 26)
    """
    expected = population * PER_RESIDENT if not math.isnan(population) else (
        old_communes * PER_OLD_COMMUNE)
    return max(1, _round(expected))


def scaled_backlog(scenario: Scenario, per_day: float) -> dict[str, int]:
    """Each backlog entry's count in proportion to the centre's visitors against the
    template's: the dossiers a commune inherits from its old district grow with its size, so a
    small commune does not inherit a large one's. Only the counts that change, as `set` paths.

    >>> from sim.scenario.bundled import BUNDLED_SCENARIOS
    >>> from sim.scenario.load import load_scenario
    >>> template = load_scenario(BUNDLED_SCENARIOS / "centres/rural_merged_commune.yaml").baseline
    >>> template.arrivals.per_day, [item.count for item in template.backlog]
    (40.0, [50, 25])
    >>> scaled_backlog(template, 20), scaled_backlog(template, 40)
    ({'backlog[0].count': 25, 'backlog[1].count': 13}, {})
    """
    factor = per_day / scenario.arrivals.per_day
    counts = {f"backlog[{index}].count": min(MAX_BACKLOG, _round(item.count * factor))
              for index, item in enumerate(scenario.backlog)}
    return {path: count for (path, count), item in zip(counts.items(), scenario.backlog,
                                                       strict=True) if count != item.count}


def scaled_counters(counters: dict[str, int], staff: int) -> dict[str, int]:
    """Split staff between desks in proportion to the template's counters, at least 1 each.

    Largest remainder, so the counters add up to staff (to the number of desks when staff is
    fewer); ties go to the desk listed first.

    >>> scaled_counters({"general": 8, "civil_status": 2, "land": 2, "other": 2}, 12)
    {'general': 7, 'civil_status': 2, 'land': 2, 'other': 1}
    >>> scaled_counters({"general": 8, "civil_status": 2, "land": 2, "other": 2}, 2)
    {'general': 1, 'civil_status': 1, 'land': 1, 'other': 1}
    """
    total = sum(counters.values())
    quota = {desk: n * staff / total for desk, n in counters.items()}
    given = {desk: max(1, math.floor(q)) for desk, q in quota.items()}
    while sum(given.values()) < staff:
        given[max(quota, key=lambda d: quota[d] - given[d])] += 1
    while sum(given.values()) > staff and max(given.values()) > 1:
        given[max((d for d in quota if given[d] > 1), key=lambda d: given[d] - quota[d])] -= 1
    return given


def read_demand(path: Path, codes: set[str], province: str) -> dict[str, Demand]:
    """The planner's demand by commune code; every mistake is a ValueError naming where."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _read_rows(handle, path, codes, province)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such demand file; allowed: a CSV file with "
                         f"{CSV_COLUMNS}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text; allowed: a UTF-8 CSV file with "
                         f"{CSV_COLUMNS}") from None
    except csv.Error as err:
        raise ValueError(f"{path}: {err}; allowed: a CSV file with {CSV_COLUMNS}") from None
    except OSError as err:
        raise ValueError(f"{path}: cannot read it ({err.strerror}); allowed: a readable CSV "
                         f"file with {CSV_COLUMNS}") from None


def _read_rows(handle: TextIO, path: Path, codes: set[str], province: str) -> dict[str, Demand]:
    reader = csv.reader(handle)
    header = [cell.strip().lower() for cell in next(reader, [])]
    for column in ("code", "visitors_per_day"):
        if column not in header:
            raise ValueError(f"{path}: line 1: no column {column!r} (header: "
                             f"{', '.join(header) or 'empty'}); allowed: {CSV_COLUMNS}")
    demand: dict[str, Demand] = {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        where = f"{path}: line {reader.line_num}, column"
        code = cells.get("code", "")
        code = code.zfill(5) if code.isdigit() else code  # spreadsheets drop leading zeros
        if code not in codes:
            raise ValueError(f"{where} 'code': {cells.get('code', '')!r} is not a commune code "
                             f"of {province}; allowed: one of its {len(codes)} codes, e.g. "
                             f"{', '.join(sorted(codes)[:3])}")
        if code in demand:
            raise ValueError(f"{where} 'code': {code} is given twice (first on line "
                             f"{demand[code].line}); allowed: each code once")
        visitors = _number(cells.get("visitors_per_day", ""))
        if visitors is None or visitors <= 0:
            raise ValueError(f"{where} 'visitors_per_day': {cells.get('visitors_per_day', '')!r};"
                             " allowed: a number of visitors per day above 0")
        staff_text = cells.get("staff", "")
        staff = _number(staff_text)
        if staff_text and (staff is None or staff < 1 or not staff.is_integer()):
            raise ValueError(f"{where} 'staff': {staff_text!r}; allowed: a whole number of "
                             "counter staff, 1 or more, or empty (template counters kept)")
        demand[code] = Demand(visitors, int(staff) if staff_text else None, reader.line_num)
    return demand


def _centre(unit: Any, demand: Demand | None, scenario: Scenario) -> dict:
    per_day = (_plain_number(demand.visitors_per_day) if demand
               else proxy_visitors(unit.old_communes, unit.population))
    changes: dict[str, object] = {"arrivals.per_day": per_day}
    changes.update(scaled_backlog(scenario, per_day))
    if demand and demand.staff and scenario.desks:
        template = {name: desk.counters for name, desk in scenario.desks.items()}
        for desk, counters in scaled_counters(template, demand.staff).items():
            changes[f"desks.{desk}.counters"] = counters
            schedule = scenario.desks[desk].schedule
            if schedule:  # keep the template's pattern, scaled and within the new counters
                factor = counters / template[desk]
                changes[f"desks.{desk}.schedule"] = _FlowDict(
                    {clock: min(counters, _round(n * factor)) for clock, n in schedule.items()})
    return {
        "id": unit.code, "name": unit.name, "kind": unit.kind,
        "latitude": unit.latitude, "longitude": unit.longitude,
        "area_km2": None if pd.isna(unit.area_km2) else unit.area_km2,
        "merged_from": _FlowList(unit.merged_from), "set": changes,
    }


def _header(name: str, units: pd.DataFrame, demand: dict[str, Demand], demand_csv: Path | None,
            scenario: Scenario, backlog: bool) -> str:
    """The comment that opens the province file: where units, demand and counters come from."""
    data = source()
    lines = [
        f"{name}: {len(units)} commune centres, one per commune-level unit after 1 July 2025.",
        f"Written by `sim province init` on {dt.date.today().isoformat()}.",
        f"Units: PyPI package {data.package} {data.version} ({data.licence}; {data.homepage}):",
        "  codes, names, kinds, centroids and areas (null where the package gives none or 0),",
        "  and its old-to-new map for merged_from; its sources: danhmuchanhchinh.gso.gov.vn,",
        "  sapnhap.bando.com.vn, Google geocoding.",
        "Demand (set arrivals.per_day):",
        *_demand_lines(units, demand, demand_csv),
        "Counters:",
        *_counter_lines(demand, scenario),
        *(["Backlog (set backlog[i].count where it changes): each entry of the centre's",
           "  template in proportion to its visitors per day against the template's, rounded",
           "  half up."]
          if backlog else []),
    ]
    return "".join(f"# {line}\n" for line in lines) + "\n"


def _demand_lines(units: pd.DataFrame, demand: dict[str, Demand],
                  demand_csv: Path | None) -> list[str]:
    """How each centre's visitors per day were set: the planner's CSV, or one of two proxies."""
    lines = []
    if demand_csv:
        lines.append(f"  {len(demand)} centres from {demand_csv} (visitors_per_day as given).")
    proxy = units[~units["code"].isin(list(demand))]
    with_population = int(proxy["population"].notna().sum())
    if with_population:
        lines += [
            f"  {with_population} centres from a proxy: population x {PER_RESIDENT:.6f}"
            " visitors per day,",
            "  rounded, at least 1. 64 dossiers per unit per day (Hà Nội, 1 Jul-23 Sep 2025)",
            "  x 40% in person / 30,500 residents per unit (docs/sources.md of sim).",
        ]
    if len(proxy) > with_population:
        lines += [
            f"  {len(proxy) - with_population} centres from a proxy: old communes merged x "
            f"{PER_OLD_COMMUNE:.2f} visitors per day,",
            "  rounded, at least 1 (no population in the package). 8.26 = 64 dossiers per unit",
            "  per day (Hà Nội, 1 Jul-23 Sep 2025) x 40% in person / 3.1 old communes per new",
            "  unit (docs/sources.md of sim); the same rate for communes, wards and special",
            "  zones.",
        ]
    return lines


def _counter_lines(demand: dict[str, Demand], scenario: Scenario) -> list[str]:
    """How each centre's counters were set: the template's, or the CSV's staff split."""
    if not any(d.staff for d in demand.values()):
        return ["  the template's (no staff given)."]
    if not scenario.desks:
        return ["  the template's: it uses sites:, so the CSV's staff column is not applied."]
    return [
        "  where the CSV gives staff, staff are split between the desks in proportion to the",
        f"  template's counters ({_counters(scenario)}; largest remainder, at least 1",
        "  per desk; schedules scaled alike); elsewhere the template's.",
        "  Template options keep their own absolute counter values.",
    ]


def _counters(scenario: Scenario) -> str:
    return ", ".join(f"{name} {desk.counters}" for name, desk in (scenario.desks or {}).items())


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _plain_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _round(value: float) -> int:
    """Half up, not Python's half to even: 2.5 counters is 3."""
    return math.floor(value + 0.5)


class _FlowList(list):
    """A list written on one line: `[a, b]`."""


class _FlowDict(dict):
    """A mapping written on one line: `{a: 1, b: 2}`."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML with nested block lists indented under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(_FlowList, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))
_Dumper.add_representer(_FlowDict, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data, flow_style=True))
