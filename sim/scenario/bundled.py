"""Where the bundled scenarios are, whether sim is installed from a wheel or run from a checkout.

The scenarios live in the repository's top-level ``scenarios/`` folder. A wheel ships that folder
as the package data folder ``sim/bundled`` (setup.py maps it; nothing is copied in the
repository), so an installed sim finds them inside itself; in a source checkout (an editable
install, or the repository on the path) there is no ``sim/bundled`` and they are the
``scenarios/`` folder beside the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def bundled_scenarios() -> Path:
    """The folder of the bundled scenarios (demo.yaml, centres/, theory/)."""
    package = Path(str(files("sim"))).resolve()
    installed = package / "bundled"
    return installed if installed.is_dir() else package.parent / "scenarios"


BUNDLED_SCENARIOS = bundled_scenarios()
