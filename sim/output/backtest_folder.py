"""A backtest's folder, written whole or not at all: every observed value with its position
and interval (by day, by half-hour), the coverage of each metric, the figure and a manifest."""

from __future__ import annotations

from pathlib import Path

from sim.calibrate.backtest import Backtest
from sim.output.figures.backtest import backtest_figure
from sim.output.figures.style import save_figure
from sim.output.folder import atomic_folder
from sim.output.json_file import write_json
from sim.output.manifest import package_versions

DAYS_FILE, SLOTS_FILE, COVERAGE_FILE = ("backtest_days.csv", "backtest_half_hours.csv",
                                        "backtest_coverage.csv")


def write_backtest_folder(backtest: Backtest, folder: Path) -> Path:
    """The CSV tables, figures/backtest.png and manifest.json."""
    with atomic_folder(folder) as staging:
        backtest.days.to_csv(staging / DAYS_FILE, index=False)
        backtest.slots.to_csv(staging / SLOTS_FILE, index=False)
        backtest.coverage.to_csv(staging / COVERAGE_FILE, index=False)
        (staging / "figures").mkdir()
        save_figure(backtest_figure(backtest), staging / "figures" / "backtest.png")
        write_json(_manifest(backtest), staging / "manifest.json")
    return folder


def _manifest(backtest: Backtest) -> dict:
    request = backtest.request
    return {"kind": "backtest", "scenario": str(request.scenario),
            "tickets": str(request.tickets),
            "columns": str(request.columns) if request.columns else None,
            "period": [backtest.period.first.isoformat(), backtest.period.last.isoformat()],
            "replications": request.replications, "seed": request.seed,
            "dossiers": str(request.dossiers) if request.dossiers else None,
            "on_time_share": backtest.on_time,
            "skipped": backtest.skipped, "versions": package_versions()}
