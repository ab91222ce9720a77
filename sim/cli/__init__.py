"""The `sim` command: click commands, one module per command group, over `sim.api`."""

from sim.cli.entry import main

__all__ = ["main"]
