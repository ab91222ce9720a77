"""`sim check` and `sim schema`: validate a scenario or province file before running it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click
import yaml

from sim.analysis.offered_load import (
    back_office_load,
    group_load,
    offered_load,
    served_by_others,
)
from sim.cli.common import (
    SCENARIO_PATH,
    ScenarioProblem,
    set_option,
    warn_about,
)
from sim.cli.province import check_province
from sim.scenario.document import scenario_document
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document
from sim.scenario.province.load import is_province_document, province_from_document
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file


@click.command()
@click.argument("scenario", type=SCENARIO_PATH)
@set_option
def check(scenario: Path, sets: tuple[str, ...]) -> None:
    """Validate SCENARIO, print it resolved (defaults filled in) and the offered load per desk.

    A province file is checked as a province: every centre with every option.
    """
    try:
        document = read_yaml_file(scenario)
        if is_province_document(document):
            if sets:
                raise click.UsageError("--set changes a scenario file; in a province file "
                                       "change a centre's `set` or the template")
            check_province(province_from_document(document, scenario), scenario)
            return
        scenarios = scenario_from_document(document, str(scenario), sets)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    click.echo(yaml.safe_dump(scenario_document(scenarios.baseline, with_options=True),
                              allow_unicode=True, sort_keys=False))
    warn_about(scenarios)
    overloaded = {"desks": False, "back office": False}
    for name, option in scenarios.options.items():
        click.echo(f"offered load, option {name} (busiest day):")
        load = offered_load(option)
        click.echo(load.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
        helped = served_by_others(option)
        for row in load.itertuples():
            if row.day_load >= 1 and row.desk not in helped:
                overloaded["desks"] = True
                click.echo(f"warning: option {name}, desk {row.desk}: offered load "
                           f"{row.day_load:.2f} >= 1 on {row.busiest_day}; the queue grows all "
                           "day (add counters or hours)", err=True)
        overloaded["desks"] |= _report_groups(name, option, load)
        overloaded["back office"] |= _report_back_office(name, option)
        click.echo("")
    click.echo(f"{scenario}: valid{_overloaded_words(overloaded)}")


def _overloaded_words(overloaded: dict[str, bool]) -> str:
    """What the last line adds for what is overloaded in some option: desks, back office."""
    which = [part for part, over in overloaded.items() if over]
    if not which:
        return ""
    return " (overloaded: " + ", ".join(which) + ")"


def _report_groups(name: str, scenario: Scenario, load) -> bool:
    """Print the load of desks whose counters serve each other's queues, counted together;
    True when a group's is 1 or more."""
    groups = group_load(scenario, load)
    if groups.empty:
        return False
    click.echo("desks whose counters serve each other's queues, counted together:")
    click.echo(groups.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    for row in groups[groups["day_load"] >= 1].itertuples():
        click.echo(f"warning: option {name}, desks {row.desks}: offered load "
                   f"{row.day_load:.2f} >= 1 counted together; their queues grow all day",
                   err=True)
    return bool((groups["day_load"] >= 1).any())


def _report_back_office(name: str, scenario: Scenario) -> bool:
    """Print the back office's load for `check`; True when new work exceeds its hours."""
    load = back_office_load(scenario)
    if load is None:
        return False
    click.echo(f"back office, option {name}: {load['new_work_per_day']:.1f} staff-hours of new "
               f"work per ordinary day against {load['capacity_per_day']:.1f} "
               f"(load {load['load']:.2f}); {_backlog_words(load)}")
    if load["load"] >= 1:
        click.echo(f"warning: option {name}, back office: new work {load['load']:.2f} times its "
                   "hours; dossiers will pile up (add staff or counter_first)", err=True)
    return load["load"] >= 1


def _backlog_words(load: dict[str, float]) -> str:
    """The transferred backlog and how long the spare hours take to clear it, if there is one."""
    if load["backlog_hours"] <= 0:
        return "no transferred backlog"
    days = load["backlog_days_at_spare_capacity"]
    clears = (f"about {days:.1f} working days of the spare hours" if math.isfinite(days)
              else "which the spare hours never clear (there are none)")
    return f"transferred backlog {load['backlog_hours']:.0f} staff-hours, {clears}"



@click.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editor completion and validation)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
