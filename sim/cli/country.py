"""`sim country ...`: every commune centre of the country (sim/scenario/province/country.py),
written by `init` and run by `run` as one experiment with the province machinery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sim.cli.common import ScenarioProblem, lang_option
from sim.cli.province import (
    PROVINCE_PATH,
    init_problems,
    run_centres,
    run_options,
    warn_of_overload,
)
from sim.output.translations import translator
from sim.scenario.errors import ScenarioError
from sim.scenario.province.country import load_country
from sim.scenario.province.country_init import DEFAULT_TEMPLATES, KINDS, init_country


def provinces_option(command: Any) -> Any:
    return click.option("--provinces", "only", multiple=True, metavar="NAME",
                        help="Only these provinces (repeatable; any usual spelling).")(command)


@click.group()
def country() -> None:
    """The whole country: every commune centre of every province."""


@country.command("init")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("country"),
              show_default=True, help="New folder for country.yaml and provinces/.")
@click.option("--template", "templates", multiple=True, metavar="KIND=FILE",
              help=f"The template of a kind of unit ({', '.join(KINDS)}; repeatable) "
                   "[default: the bundled centres of scenarios/centres].")
@click.option("--demand", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV with code, visitors_per_day[, staff] per unit; default: a proxy.")
@provinces_option
@lang_option("Language of what init prints.")
def init(out: Path, templates: tuple[str, ...], demand: Path | None,
         only: tuple[str, ...], lang: str) -> None:
    """Write a province file for every province (one centre per new commune-level unit, each
    from the template of its kind) and the country file that names them."""
    with init_problems():
        written = init_country(out, _templates(templates), demand, only)
    click.echo(translator(lang).gettext("country file written to {path}").format(path=written))
    warn_of_overload(written, lang)


def _templates(given: tuple[str, ...]) -> dict[str, Path]:
    """KIND=FILE pairs, every kind known and every file there."""
    chosen = {}
    for pair in given:
        kind, _, file = pair.partition("=")
        if kind not in KINDS or not file:
            raise click.BadParameter(f"{pair!r}; allowed: KIND=FILE with KIND one of "
                                     f"{', '.join(KINDS)}", param_hint="--template")
        if not Path(file).is_file():
            raise click.BadParameter(f"{file}: no such file", param_hint="--template")
        chosen[kind] = Path(file)
    return {**DEFAULT_TEMPLATES, **chosen}


@country.command("run")
@click.argument("country_file", type=PROVINCE_PATH)
@provinces_option
@run_options
def run(country_file: Path, only: tuple[str, ...], **settings: Any) -> None:
    """Run every centre of COUNTRY_FILE (or of the --provinces given) as one experiment, and
    rank the provinces and the centres by how far they miss their targets."""
    try:
        loaded = load_country(country_file, only)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    run_centres(loaded.centres(), loaded.province_of(), **settings)
