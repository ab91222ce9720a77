"""Pieces shared by the `sim` commands: options, progress bar, and turning bad input into
one message with exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sim.analysis.sanity import scenario_warnings
from sim.experiment.store import ResumeError
from sim.experiment.work import IN_MEMORY, Holding, WorkError, check_work, estimate_work
from sim.output.folder import FolderError
from sim.output.names import Names, quoted_list
from sim.output.streamed import Published
from sim.output.translations import LANGUAGES, translator
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario
from sim.scenario.schema import Scenario

SCENARIO_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


class ScenarioProblem(click.ClickException):
    """A bad scenario: one message, exit code 2 (like a usage error), no traceback."""

    exit_code = 2


def load_or_fail(path: Path, sets: tuple[str, ...], options: tuple[str, ...] = ()) -> ScenarioSet:
    try:
        return load_scenario(path, overrides=sets, options=options)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None


def execution_options(command: Callable) -> Callable:
    """--jobs and --scheduler: where the simulations run (results are the same)."""
    command = click.option("--scheduler", metavar="ADDRESS", default=None,
                           help="Run on the Dask distributed cluster at this scheduler "
                                "address (tcp://host:8786).")(command)
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=1,
                        show_default=True, help="Local worker processes.")(command)


def lang_option(what: str) -> Callable[[Callable], Callable]:
    """--lang: the language of what the command writes or prints (``what``, its help)."""
    return click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True,
                        help=what)


def report_options(command: Callable) -> Callable:
    """--lang and --no-report, shared by the commands that write a report."""
    command = lang_option("Language of report.html and of the table printed at the end.")(
        command)
    return click.option("--report/--no-report", default=True, show_default=True,
                        help="Write report.html, a one-page summary for leaders.")(command)


max_work_option = click.option(
    "--max-work", type=click.FloatRange(min=0), default=None, metavar="ITEMS",
    help="Refuse experiments above this many simulated visits, dossiers and outages "
         "[default: what half of this machine's memory holds].")


def check_work_or_fail(scenarios: Iterable[Scenario], replications: int, limit: float | None,
                       quiet: bool, held: Holding = IN_MEMORY) -> None:
    """Refuse, before any run, an experiment too large for what it holds in memory (`held`;
    exit code 2); say how long a long one will take."""
    estimate = estimate_work(scenarios, replications)
    try:
        check_work(estimate, limit, held)
    except WorkError as err:
        raise ScenarioProblem(str(err)) from None
    if not quiet and estimate.cpu_seconds >= LONG_RUN_SECONDS:
        click.echo(f"note: {estimate.describe(held)}", err=True)


@contextmanager
def interruptible(what: str = "runs") -> Iterator[None]:
    """A streamed run: a refused resume or output folder is a usage error (exit code 2), and
    Ctrl-C says how to continue (exit code 130)."""
    try:
        yield
    except (FolderError, ResumeError) as err:
        raise click.UsageError(str(err)) from None
    except KeyboardInterrupt:
        click.echo(f"interrupted: the finished {what} are kept; run the same command with "
                   "--resume to continue", err=True)
        sys.exit(130)


def say_resumed(published: Published, units: int | None, quiet: bool,
                what: str = "runs") -> None:
    """What a resumed run found: damaged parts run again (said even when quiet: files went bad
    while the run was interrupted), and the units already done (of `units`, when known)."""
    if published.repaired:
        click.echo(f"re-ran {published.repaired} unit{'s' * (published.repaired != 1)} whose "
                   "parts were damaged (not as written: truncated, changed or missing)",
                   err=True)
    if quiet:
        return
    if published.finished or published.resumed == units:
        click.echo("nothing to do: every unit is done")
    elif published.resumed:
        of = "" if units is None else f" of {units}"
        click.echo(f"resumed: {published.resumed}{of} {what} were already done")


LONG_RUN_SECONDS = 120

set_option = click.option(
    "--set", "sets", multiple=True, metavar="PATH=VALUE",
    help="Change a field of the baseline before options apply, e.g. desks.land.counters=3.")


@contextmanager
def progress_bar(quiet: bool, total: int | None, what: str = "replications"
                 ) -> Iterator[Callable[..., None]]:
    """A progress bar with time left on a terminal (none when piped or quiet)."""
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console,
                  disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task(what, total=total)
        yield lambda *_: progress.advance(task)


def warn_about(scenarios: ScenarioSet, lang: str) -> None:
    """Print each odd-looking setting once, in ``lang``, naming the options it applies to."""
    t, names = translator(lang), Names(scenarios.baseline, lang)
    by_warning: dict[str, list[str]] = {}
    for name, option in scenarios.options.items():
        for notice in scenario_warnings(option):
            said = t.gettext(notice.message).format(**notice.fields)
            by_warning.setdefault(said, []).append(names.option(name))
    for said, options in by_warning.items():
        if len(options) < len(scenarios.options):
            said = t.gettext("{options}: {warning}").format(options=quoted_list(t, options),
                                                            warning=said)
        click.echo(t.gettext("warning: {what}").format(what=said), err=True)
