"""The bundled scenarios are found both in a checkout and in an installed wheel, and the wheel's
package data takes every one of them (.ci/run installs a real wheel and runs it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from test_scenarios import BUNDLED, SCENARIOS

import sim
from sim.scenario import bundled

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_finds_the_scenarios_folder() -> None:
    assert sim.BUNDLED_SCENARIOS == BUNDLED
    assert sim.DEMO_SCENARIO == BUNDLED / "demo.yaml"


def test_an_installed_package_finds_its_bundled_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "sim"
    (package / "bundled").mkdir(parents=True)
    monkeypatch.setattr(bundled, "files", lambda name: package)
    assert bundled.bundled_scenarios() == package / "bundled"


def test_the_wheel_takes_every_bundled_scenario() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sim.bundled"]
    for path in SCENARIOS:
        relative = path.relative_to(BUNDLED)
        assert any(relative.match(pattern) and len(relative.parts) == len(Path(pattern).parts)
                   for pattern in patterns), relative
