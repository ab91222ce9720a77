"""The `sim` command group: a thin click layer over the Python API in `sim.api`; each command
group lives in its own module."""

from __future__ import annotations

import click

from sim.cli.allocate import allocate_command
from sim.cli.app import app_command
from sim.cli.calibrate import backtest_command, calibrate_command
from sim.cli.check import check, schema
from sim.cli.country import country
from sim.cli.province import province
from sim.cli.results import plot, report
from sim.cli.run import compare, run
from sim.cli.staff import staff


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sim")
def main() -> None:
    """Simulate commune Public Administrative Service Centres: waiting times, trips and
    staffing options, from a YAML scenario file."""


for command in (run, compare, check, staff, plot, report, schema, province, country,
                allocate_command):
    main.add_command(command)
main.add_command(calibrate_command)
main.add_command(backtest_command)
main.add_command(app_command)
