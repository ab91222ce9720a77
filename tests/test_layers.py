"""Layers import only downwards: a module of `sim/` imports from its own layer or one below it,
never above, and never a private name of another module.

The layers, lowest first (README, "Layout"): the scenario (what to simulate), the model (one
run), analysis (measurements of a run and statistics of tables), the experiment (units, seeds,
executors, the store), calibration from a centre's records (fits and backtests), decisions
that run experiments, output (files, figures, pages), the Python API, the page of `sim app`, the
command line, and the package's own `sim/__init__.py` above them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sim"
LAYERS = ("scenario", "model", "analysis", "experiment", "calibrate", "decide", "output", "api",
          "app", "cli")
TOP = len(LAYERS)  # sim/__init__.py


def layer_of(module: str) -> int:
    """The rank of a dotted module name of the package (`sim.output.report` -> output's)."""
    parts = module.split(".")
    if parts == ["sim"]:
        return TOP
    return LAYERS.index(parts[1])


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every `import` and `from ... import` of the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return [(module, names) for module, names in found
            if module == "sim" or module.startswith("sim.")]


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer() -> None:
    for path in SOURCES:
        layer_of(module_name(path))  # raises ValueError for a folder outside the layers


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_run_downwards(path: Path) -> None:
    here = module_name(path)
    for module, names in imports(path):
        assert layer_of(module) <= layer_of(here), f"{here} imports {module}, a layer above it"
        private = [name for name in names if name.startswith("_")]
        assert not private, f"{here} imports private {private} from {module}"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The walk finds imports inside functions too (a lazy upward import is still upward)."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from sim.output.report import write_report\n")
    assert [module for module, _ in imports(source)] == ["sim.output.report"]
    assert layer_of("sim.output.report") > layer_of("sim.model.centre")
