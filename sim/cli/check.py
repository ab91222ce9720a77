"""`sim check` and `sim schema`: validate a scenario or province file before running it."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd
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
    lang_option,
    set_option,
    warn_about,
)
from sim.cli.province import check_province
from sim.output.check_text import (
    GROUP_COLUMNS,
    OVERLOADED,
    back_office_line,
    back_office_warning,
    desk_warning,
    group_heading,
    group_warning,
    load_heading,
    load_table,
    valid_line,
)
from sim.output.names import Names, named_like
from sim.output.translations import Translator, translator
from sim.scenario.document import scenario_document
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document
from sim.scenario.province.load import is_province_document, province_from_document
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file


@click.command()
@click.argument("scenario", type=SCENARIO_PATH)
@set_option
@lang_option("Language of the offered loads, warnings and verdict printed (the resolved "
             "scenario keeps the file's keys).")
def check(scenario: Path, sets: tuple[str, ...], lang: str) -> None:
    """Validate SCENARIO, print it resolved (defaults filled in) and the offered load per desk.

    A province file is checked as a province: every centre with every option.
    """
    try:
        document = read_yaml_file(scenario)
        if is_province_document(document):
            if sets:
                raise click.UsageError("--set changes a scenario file; in a province file "
                                       "change a centre's `set` or the template")
            check_province(province_from_document(document, scenario), scenario, lang)
            return
        scenarios = scenario_from_document(document, str(scenario), sets)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    click.echo(yaml.safe_dump(scenario_document(scenarios.baseline, with_options=True),
                              allow_unicode=True, sort_keys=False))
    warn_about(scenarios, lang)
    t = translator(lang)
    overloaded = dict.fromkeys(OVERLOADED, False)
    for name, option in scenarios.options.items():
        names = Names(named_like(option, scenarios.baseline), lang)
        click.echo(load_heading(t, names, name))
        load = offered_load(option)
        click.echo(load_table(t, names, load))
        helped = served_by_others(option)
        for row in load.to_dict("records"):
            if row["day_load"] >= 1 and row["desk"] not in helped:
                overloaded["desks"] = True
                click.echo(desk_warning(t, names, name, row), err=True)
        overloaded["desks"] |= _report_groups(t, names, name, option, load)
        overloaded["back office"] |= _report_back_office(t, names, name, option)
        click.echo("")
    click.echo(valid_line(t, scenario, overloaded))


def _report_groups(t: Translator, names: Names, name: str, scenario: Scenario,
                   load: pd.DataFrame) -> bool:
    """Print the load of desks whose counters serve each other's queues, counted together;
    True when a group's is 1 or more."""
    groups = group_load(scenario, load)
    if groups.empty:
        return False
    click.echo(group_heading(t))
    click.echo(load_table(t, names, groups, GROUP_COLUMNS))
    over = groups[groups["day_load"] >= 1]
    for row in over.to_dict("records"):
        click.echo(group_warning(t, names, name, row), err=True)
    return not over.empty


def _report_back_office(t: Translator, names: Names, name: str, scenario: Scenario) -> bool:
    """Print the back office's load for `check`; True when new work exceeds its hours."""
    load = back_office_load(scenario)
    if load is None:
        return False
    click.echo(back_office_line(t, names, name, load))
    if load["load"] >= 1:
        click.echo(back_office_warning(t, names, name, load["load"]), err=True)
    return load["load"] >= 1


@click.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editor completion and validation)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
