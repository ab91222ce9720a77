"""The package stays readable in small pieces: no module over 400 lines, short functions (the
median under 10 lines), and none over 40 lines unless its docstring says why it is longer
("Longer than most functions because ..."). Lines are counted from the first statement after
the docstring to the function's last line."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sim"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40
MEDIAN_FUNCTION_LINES = 10
REASON = "longer than most functions"


def functions(path: Path) -> list[tuple[str, int, str]]:
    """(name, body lines, docstring) of every function and method of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node) or ""
            body = node.body[1:] if docstring else node.body
            if body:
                found.append((node.name, node.end_lineno - body[0].lineno + 1, docstring))
    return found


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in SOURCES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_functions_are_short() -> None:
    every = [(path, *function) for path in SOURCES for function in functions(path)]
    median = statistics.median(lines for _, _, lines, _ in every)
    assert median < MEDIAN_FUNCTION_LINES, f"median function length {median} lines"
    long = [f"{path.relative_to(PACKAGE)}:{name} ({lines} lines)"
            for path, name, lines, docstring in every
            if lines > MAX_FUNCTION_LINES and REASON not in docstring.lower()]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines with no reason given: {long}"


def test_the_count_sees_a_long_function(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    body = "".join(f"    x{i} = {i}\n" for i in range(41))
    source.write_text(f'def f():\n    """Doc."""\n{body}')
    assert functions(source) == [("f", 41, "Doc.")]
