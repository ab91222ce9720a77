"""Names are data, never markup: a scenario, procedure, province or centre name with HTML,
terminal markup or mathtext shows as the text it is on every page, table and figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = '<script>alert("x")</script>'
HOSTILE = f'Phường [/bold] 1 [mới] {SCRIPT} & $\\frac{{$ <b>đậm</b>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def _invoke(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _assert_page_escapes(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert SCRIPT not in html and "<b>đậm</b>" not in html
    assert ESCAPED in html and "&lt;b&gt;đậm&lt;/b&gt;" in html


def test_run_and_compare_pages_and_tables_show_names_as_text(tmp_path: Path) -> None:
    sets = [f"--set=name='{HOSTILE}'", "--set=label=null",
            f"--set=procedures[0].name='{HOSTILE}'", "--set=calendar.working_days=2"]
    scenario = ROOT / "scenarios/demo.yaml"
    for command in ("run", "compare"):
        out = tmp_path / command
        printed = _invoke(command, scenario, "-n", "2", "--out", out, *sets)
        assert "[mới]" in printed and "[/bold]" in printed  # printed, not read as markup
        _assert_page_escapes(out / "report.html")
        _invoke("report", out, "--lang", "en")
        _assert_page_escapes(out / "report.en.html")
        _invoke("plot", out, "--format", "svg")  # "$...$" is not parsed as mathtext
        svg = next((out / "figures").glob("*.svg")).read_text(encoding="utf-8")
        assert "[mới]" in svg and "&lt;script&gt;" in svg


def test_province_page_and_table_show_names_as_text(tmp_path: Path) -> None:
    fixture = ROOT / "tests/fixtures/province"
    folder = tmp_path / "province"
    folder.mkdir()
    shutil.copy(fixture / "centre_template.yaml", folder)
    document = yaml.safe_load((fixture / "province.yaml").read_text(encoding="utf-8"))
    document["name"] = HOSTILE
    document["centres"][0]["name"] = HOSTILE
    (folder / "province.yaml").write_text(yaml.safe_dump(document, allow_unicode=True),
                                          encoding="utf-8")
    out = tmp_path / "out"
    printed = _invoke("province", "run", folder / "province.yaml", "-n", "2", "--out", out,
                      "--visits", "none")
    assert "[mới]" in printed
    _assert_page_escapes(out / "report.html")
    _invoke("report", out, "--lang", "en")
    _assert_page_escapes(out / "report.en.html")


def test_a_name_with_a_terminal_escape_is_refused() -> None:
    """ANSI escapes would act on the leader's terminal; no name may carry a control character."""
    result = CliRunner().invoke(main, ["check", str(ROOT / "scenarios/demo.yaml"),
                                       "--set", 'name="Phường \\e[31m đỏ"'])
    assert result.exit_code == 2, result.output
    assert "name" in result.output and "control characters" in result.output
    assert "\x1b" not in result.output
