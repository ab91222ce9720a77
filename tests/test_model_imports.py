"""The model stands on the scenario alone: no module of `sim/model/` imports from a layer above
it (experiment, analysis, output, the command line), nor a private name of another module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "sim" / "model"
ALLOWED = ("sim.model", "sim.scenario")  # the model and the layer below it


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every `import` and `from ... import` of the file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


@pytest.mark.parametrize("path", sorted(MODEL.glob("*.py")), ids=lambda p: p.name)
def test_model_imports_only_the_model_and_the_scenario(path: Path) -> None:
    for module, names in imports(path):
        if module == "sim" or module.startswith("sim."):
            assert module.startswith(ALLOWED), f"{path.name} imports {module}"
            private = [name for name in names if name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {module}"


SCENARIO = MODEL.parent / "scenario"


@pytest.mark.parametrize("path", sorted(SCENARIO.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(SCENARIO)))
def test_scenario_imports_only_the_scenario(path: Path) -> None:
    """The scenario is the lowest layer: it imports nothing from the model or above."""
    for module, _ in imports(path):
        if module == "sim" or module.startswith("sim."):
            assert module.startswith("sim.scenario"), f"{path.name} imports {module}"
