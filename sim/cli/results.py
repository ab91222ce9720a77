"""`sim plot` and `sim report`: figures and pages of a results folder, without re-running."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from sim.cli.common import (
    ScenarioProblem,
)
from sim.output.manifest import PROVINCE
from sim.output.pages import language_page
from sim.output.plots import ResultPlots
from sim.output.province_map import save_province_map
from sim.output.province_page import write_province_page
from sim.output.province_results import load_province_results
from sim.output.report import write_report
from sim.output.results_io import (
    ResultsFolderError,
    folder_kind,
    load_comparison,
    load_recommendation,
    load_results,
)
from sim.output.translations import LANGUAGES

RESULTS_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@contextmanager
def _readable_folder() -> Iterator[None]:
    """A results folder that cannot be read is bad input: one message, exit code 2."""
    try:
        yield
    except ResultsFolderError as err:
        raise ScenarioProblem(str(err)) from None


@click.command()
@click.argument("results_dir", type=RESULTS_DIR)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of titles and labels.")
@click.option("--format", "formats", type=click.Choice(["png", "svg"]), multiple=True,
              default=("png", "svg"), show_default=True, help="Image formats (repeatable).")
def plot(results_dir: Path, lang: str, formats: tuple[str, ...]) -> None:
    """Draw the figures of RESULTS_DIR into RESULTS_DIR/figures/ (for a province folder, the
    map of its centres)."""
    with _readable_folder():
        if folder_kind(results_dir) == PROVINCE:
            found = load_province_results(results_dir)
            first = next(iter(found.scenarios.values()), {}).get("baseline")
            written = save_province_map(found.ranking, found.title(lang), results_dir / "figures",
                                        lang, formats, first)
        else:
            written = ResultPlots(load_results(results_dir, figures_only=True), lang=lang).save_all(
                results_dir / "figures", formats)
    for path in written:
        click.echo(str(path))


@click.command()
@click.argument("results_dir", type=RESULTS_DIR)
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True,
              help="Language of the report.")
def report(results_dir: Path, lang: str) -> None:
    """Write RESULTS_DIR/report.LANG.html: one self-contained page for a leader in that
    language (for a province folder, the province page), without re-running; report.html, the
    page the run wrote in its own language, stays as it is beside it."""
    target = language_page(results_dir, lang)
    with _readable_folder():
        if folder_kind(results_dir) == PROVINCE:
            path = write_province_page(results_dir, lang, target)
        else:
            path = write_report(load_results(results_dir, figures_only=True), target, lang,
                                load_comparison(results_dir), load_recommendation(results_dir))
    click.echo(f"report written to {path}")
