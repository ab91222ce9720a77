"""`sim allocate`: where K extra staff cut waiting (or overdue dossiers) most, over the centres
of a province or country file (sim/decide/gain_curves.py), printed as a table and written as a
results folder with a map (sim/output/allocation_folder.py)."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli.common import execution_options, interruptible, progress_bar
from sim.cli.province import PROVINCE_PATH, load_centres_or_fail
from sim.decide.allocate import OBJECTIVES
from sim.decide.gain_curves import allocate
from sim.experiment.executors import Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.output.allocation_folder import allocation_tables, default_folder, write_allocation
from sim.output.allocation_text import allocation_table, rising_words
from sim.output.names import titled
from sim.output.terminal import terminal, written_to
from sim.output.translations import LANGUAGES, translator


@click.command("allocate")
@click.argument("centres_file", metavar="PROVINCE_OR_COUNTRY", type=PROVINCE_PATH)
@click.option("--extra-staff", "-k", type=click.IntRange(min=1), required=True,
              help="How many extra people to place.")
@click.option("--objective", type=click.Choice(OBJECTIVES), default="waiting",
              show_default=True,
              help="waiting: total minutes waited (a counter at a desk that serves the "
                   "busiest queue, a group of counters too); overdue: "
                   "dossiers overdue at the end (one more back-office person).")
@click.option("--replications", "-n", type=click.IntRange(min=2), default=DEFAULT_REPLICATIONS,
              show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Results folder [default: allocation/ inside results/<file name> when a "
                   "province run is there, else results/<file name>_allocation].")
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True,
              help="Language of the table, the map and the province page.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@execution_options
def allocate_command(centres_file: Path, extra_staff: int, objective: str, replications: int,
                     seed: int, out: Path | None, lang: str, quiet: bool, jobs: int,
                     scheduler: str | None) -> None:
    """Where K extra staff cut total waiting (or overdue dossiers) most, by simulation: a gain
    curve per centre (+1, +2, ... people, paired on common random numbers), simulated in
    parallel, merged by the largest next gain."""
    loaded = load_centres_or_fail(centres_file)
    folder = out or default_folder(Path("results"), loaded.stem)
    with interruptible("gain simulations"), progress_bar(quiet, None, "gain simulations") as step:
        try:
            steps, curves = allocate(loaded, extra_staff, replications, seed, objective,
                                     Execution(jobs, scheduler), step)
        except ValueError as err:
            raise click.UsageError(str(err)) from None
        tables = allocation_tables(steps, curves, loaded)
        description = {"source": loaded.source, "name": loaded.province.name,
                       "objective": objective, "extra_staff": extra_staff,
                       "replications": replications, "root_seed": seed}
        named = titled(loaded.province.name, loaded.province.label, lang)
        written = write_allocation(tables, named, description, folder, lang)
    if quiet:
        return
    title = translator(lang).gettext("{name}: where {count} extra staff help most").format(
        name=named, count=extra_staff)
    baselines = {centre: options.baseline for centre, options in loaded.scenarios.items()}
    terminal().print(allocation_table(tables.steps, title, objective, lang, baselines))
    if not tables.rising.empty:
        names = {centre.id: centre.name for centre in loaded.centres}
        click.echo(rising_words(tables.rising, lang, names), err=True)
    click.echo(written_to(written, lang))
