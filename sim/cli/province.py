"""`sim province ...`: click commands over the province files (sim/scenario/province) and the
province run (sim/output/province_run.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pandas as pd

from sim.analysis.offered_load import offered_load
from sim.cli.common import (
    ScenarioProblem,
    check_work_or_fail,
    execution_options,
    interruptible,
    lang_option,
    max_work_option,
    progress_bar,
    say_resumed,
)
from sim.experiment.executors import Execution
from sim.experiment.plan import DEFAULT_SEED, VISITS_MODES
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.work import STREAMED
from sim.output.check_text import (
    busiest_table,
    centre_warning,
    overload_after_init,
    province_heading,
    province_valid_line,
)
from sim.output.names import Names, titled
from sim.output.province_results import read_ranking
from sim.output.province_run import run_province
from sim.output.terminal import print_ranking, written_to
from sim.output.translations import LANGUAGES, translator
from sim.scenario.errors import ScenarioError
from sim.scenario.province.admin_units import AdminDataMissing, find_province
from sim.scenario.province.country import file_stem, load_centres
from sim.scenario.province.init import init_province
from sim.scenario.province.load import ProvinceSet, load_province

PROVINCE_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)
TOP = 15


class MissingExtra(click.ClickException):
    """An optional package the command needs is not installed: one message, exit code 2."""

    exit_code = 2


def load_province_or_fail(path: Path) -> ProvinceSet:
    try:
        return load_province(path)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None


def load_centres_or_fail(path: Path) -> ProvinceSet:
    """The centres of a province file, or of every province of a country file."""
    try:
        return load_centres(path)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None


def check_province(loaded: ProvinceSet, path: Path, lang: str) -> None:
    """`sim check` of a province file: its centres and options, each centre's busiest desk and
    that desk's offered load on its busiest day (baseline), and a warning where it is >= 1."""
    t = translator(lang)
    first = next(iter(loaded.scenarios.values())).baseline
    click.echo(province_heading(t, path, len(loaded.centres),
                                [Names(first, lang).option(o) for o in loaded.option_names()]))
    table = busiest_desks(loaded)
    desks = [Names(loaded.scenarios[centre].baseline, lang).desk(desk)
             for centre, desk in zip(table["centre"], table["busiest_desk"], strict=True)]
    click.echo(busiest_table(t, table, desks))
    for row, desk in zip(table.to_dict("records"), desks, strict=True):
        if row["day_load"] >= 1:
            click.echo(centre_warning(t, row, desk), err=True)
    click.echo(province_valid_line(t, path))


def busiest_desks(loaded: ProvinceSet) -> pd.DataFrame:
    """Each centre's busiest desk under the baseline and its offered load on its busiest day
    (1 or more: more work than its open counters can do). Centres of one template that
    differ in nothing else share a demand (a country's thousands of centres have a few hundred
    distinct ones), so each distinct scenario's load is worked out once."""
    rows = []
    busiest_of: dict[str, pd.Series] = {}
    for centre in loaded.centres:
        scenario = loaded.scenarios[centre.id].baseline
        key = scenario.model_dump_json(exclude={"name", "description"})
        if key not in busiest_of:
            load = offered_load(scenario)
            busiest_of[key] = load.loc[load["day_load"].idxmax()]
        busiest = busiest_of[key]
        rows.append({"centre": centre.id, "name": centre.name, "busiest_desk": busiest["desk"],
                     "day": busiest["busiest_day"], "visitors": busiest["visitors"],
                     "day_load": busiest["day_load"]})
    return pd.DataFrame(rows)


def warn_of_overload(written: Path, lang: str) -> None:
    """After init: how many centres the template's counters cannot keep up with at the demand
    given them, so that a planner sees it before a run ranks those centres first."""
    table = busiest_desks(load_centres_or_fail(written))
    over = table[table["day_load"] >= 1]
    if len(over):
        click.echo(overload_after_init(translator(lang), len(over), len(table),
                                       float(over["day_load"].max()), written), err=True)


@click.group()
def province() -> None:
    """Province scale: many commune centres from one template."""


@province.command("init")
@click.argument("name")
@click.option("--template", type=PROVINCE_PATH, required=True,
              help="Centre template scenario (with arrivals.per_day).")
@click.option("--demand", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV with code, visitors_per_day[, staff] per commune; default: a proxy.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Province file to write [default: <province>.yaml in the current folder].")
@click.option("--force", is_flag=True, help="Write over the province file if it exists.")
@lang_option("Language of what init prints.")
def init(name: str, template: Path, demand: Path | None, out: Path | None, force: bool,
         lang: str) -> None:
    """Write a province file for NAME with every new commune centre (codes, coordinates, areas,
    the old units merged into each) from administrative-unit data, with demand from --demand
    or a documented proxy. An existing file (a planner's edits in it) is kept unless --force."""
    with init_problems():
        province_name = find_province(name)
        target = out or Path(f"{file_stem(province_name)}.yaml")
        written = init_province(province_name, template, demand, target, overwrite=force)
    click.echo(translator(lang).gettext("province file written to {path}").format(path=written))
    warn_of_overload(written, lang)


@contextmanager
def init_problems() -> Iterator[None]:
    """What writing province files can meet, as the command's errors (exit code 2): a bad
    template or demand file, the data package missing, a name that is no province."""
    try:
        yield
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    except AdminDataMissing as err:
        raise MissingExtra(str(err)) from None
    except ValueError as err:
        raise click.UsageError(str(err)) from None


def run_options(command: Callable) -> Callable:
    """The options of `sim province run` and `sim country run`."""
    for option in reversed([
        click.option("--replications", "-n", type=click.IntRange(min=1),
                     default=DEFAULT_REPLICATIONS, show_default=True,
                     help="Replications per centre and option."),
        click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED,
                     show_default=True),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                     help="Results folder [default: results/<file name>]."),
        click.option("--visits", type=click.Choice(VISITS_MODES), default="sample",
                     show_default=True,
                     help="Per-visit log: none, replication 0 only (sample), or all."),
        click.option("--resume", is_flag=True,
                     help="Continue an interrupted run, skipping done units."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table."),
        click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True,
                     help="Language of report.html and the map."),
        execution_options, max_work_option]):
        command = option(command)
    return command


@province.command("run")
@click.argument("province_file", type=PROVINCE_PATH)
@run_options
def run(province_file: Path, **settings: Any) -> None:
    """Run every centre of PROVINCE_FILE and rank the centres by how far they miss targets.

    The replications of one option of one centre run together and write their tables as
    Parquet parts as they finish, so memory does not grow with the number of centres; an
    interrupted run continues with --resume.
    """
    run_centres(load_province_or_fail(province_file), None, **settings)


def run_centres(loaded: ProvinceSet, province_of: dict[str, str] | None, replications: int,
                seed: int, out: Path | None, visits: str, resume: bool, quiet: bool, lang: str,
                jobs: int, scheduler: str | None, max_work: float | None) -> None:
    """Run every centre of a province (or a country: `province_of`) and print the ranking."""
    # Parts are streamed to disk as each unit ends: only the largest unit must fit in memory.
    check_work_or_fail([scenario for centre in loaded.scenarios.values()
                        for scenario in centre.options.values()], replications, max_work,
                       quiet, held=STREAMED)
    folder = out or Path("results") / loaded.stem
    units = len(loaded.centres) * len(loaded.option_names()) * replications
    with interruptible("centre runs"), progress_bar(quiet, units, "centre runs") as advance:
        done = run_province(loaded, replications, seed, folder, Execution(jobs, scheduler),
                            visits, resume, advance, lang, province_of)
    say_resumed(done, units, quiet, "centre runs")
    if not quiet:
        template = next(iter(loaded.scenarios.values())).baseline
        title = titled(loaded.province.name, loaded.province.label, lang)
        print_ranking(read_ranking(done.folder), title, lang, replications, template)
        click.echo(written_to(done.folder, lang))


