"""The leaders' report: one self-contained HTML page, rendered by a real browser.

The browser test prints the page to PDF with headless Chromium (installed by .ci/run) and reads
the text back, so it checks what a reader sees, Vietnamese diacritics included.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from browser import CHROMIUM_FLAGS, chromium
from click.testing import CliRunner
from pypdf import PdfReader

import sim
from sim.cli import main
from sim.output.names import Names
from sim.output.report import render_report, write_report
from sim.output.results_io import load_results

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"


@pytest.fixture(scope="module")
def compared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    result = CliRunner().invoke(main, ["compare", str(TINY), "-n", "3", "--out", str(out),
                                       "--set", 'targets={"wait_p90": 30}', "-q"])
    assert result.exit_code == 0, result.output
    return out


def rendered_text(html: Path, tmp_path: Path) -> str:
    """The page as a reader sees it: printed to PDF by headless Chromium, text read back."""
    pdf = tmp_path / "page.pdf"
    subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    # Fonts set "fi" as one ligature glyph; NFKC turns it back into two letters.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_compare_writes_a_self_contained_report(compared_folder: Path) -> None:
    html = (compared_folder / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external resources"
    assert "<script" not in html and "<link" not in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_browser_shows_the_recommendation_and_every_option(
        compared_folder: Path, tmp_path: Path, lang: str) -> None:
    page = tmp_path / f"report-{lang}.html"
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(compared_folder), "--lang", lang])
    assert result.exit_code == 0, result.output
    shutil.copy(compared_folder / f"report.{lang}.html", page)
    text = rendered_text(page, tmp_path)
    recommendation = json.loads((compared_folder / "recommendation.json").read_text("utf-8"))
    sentence = recommendation["sentence_vi" if lang == "vi" else "sentence"]
    assert re.sub(r"\s+", " ", sentence)[:60] in text
    names = Names(load_results(compared_folder).scenarios.baseline, lang)
    for option in ("baseline", "extra_general", "longer_sessions"):
        assert names.option(option) in text
    heading = {"vi": "Khuyến nghị", "en": "Recommendation"}[lang]
    assert heading in text, "Vietnamese text must render and read back with its diacritics"


def test_run_without_compare_still_recommends(tmp_path: Path) -> None:
    """A 600-minute wait target that every option meets: the report, made without `compare`,
    recommends the cheapest option, the baseline (the others add counters or hours)."""
    results = sim.run(TINY, replications=2, overrides=['targets={"wait_p90": 600}'])
    html = render_report(results, "en")
    assert "Recommended: Current staffing. It is the cheapest option that meets every target" \
        in html


def test_report_of_a_folder_that_is_not_results_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "manifest.json" in result.output


def test_write_report_leaves_no_staging_file(tmp_path: Path) -> None:
    results = sim.run(TINY, replications=1, options=["baseline"])
    path = write_report(results, tmp_path / "report.html", "vi")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert "Phương án" in path.read_text(encoding="utf-8")
