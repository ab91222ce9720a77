"""The catalogues hold every word the code asks for, in every language, and a Vietnamese page
reads Vietnamese: no English word left untranslated and no raw metric id.

The msgids are extracted from the code the way ``pybabel extract`` does it (babel.cfg, the
keywords of sim/output/locale/README.md), so a word added to the code without a translation, a
catalogue that lacks or drops one, or a template ``sim.pot`` that the code has moved away from
all fail here.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from click.testing import CliRunner

from sim.cli import main
from sim.output.manifest import package_versions
from sim.output.province_report import write_province_report
from sim.output.results_io import load_results
from sim.output.translations import LANGUAGES, LOCALE_DIR, catalogue_path, read_catalogue

ROOT = Path(__file__).parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}  # as `pybabel extract -k NP_:1c,2`
PLACEHOLDER = re.compile(r"{(\w+)}")
# Words of the English pages that a Vietnamese page must never show (whole words, any case).
ENGLISH = ("the", "of", "and", "with", "per", "recommended", "recommendation", "option",
           "options", "target", "targets", "confidence", "mean", "wait", "waiting", "served",
           "staff", "staff-hours", "replication", "replications", "minutes", "min", "visitors",
           "dossier", "dossiers", "none", "misses", "closest", "cheapest", "figures",
           "assumptions", "provenance", "period", "demand", "procedures", "patience",
           "scenario", "seed", "day", "days", "hours", "share", "sent", "home", "closing",
           "counter", "counters", "desk", "trips", "utilisation", "overdue", "lateness",
           "backlog", "interval", "CI", "produced", "file", "centre", "centres", "rank")

Key = tuple[str | None, str]  # (msgctxt, msgid)


def code_messages() -> dict[Key, set[str]]:
    """Every msgid the code and the templates use, with the placeholders of its forms."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[Key, set[str]] = {}
    for _, _, message, _, context in extract_from_dir(ROOT, method_map, options_map,
                                                      keywords=KEYWORDS):
        forms = message if isinstance(message, tuple) else (message,)
        found[(context, forms[0])] = {name for form in forms
                                      for name in PLACEHOLDER.findall(form)}
    return found


def catalogue_messages(path: Path) -> dict[Key, tuple[str, ...]]:
    """A catalogue's messages (the header left out), each with its translated forms."""
    messages = {}
    for message in read_catalogue(path):
        if not message.id:
            continue
        assert not message.fuzzy, f"{path}: {message.id!r} is marked fuzzy"
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        messages[(message.context, singular)] = forms
    return messages


@pytest.fixture(scope="module")
def in_code() -> dict[Key, set[str]]:
    found = code_messages()
    assert len(found) > 100, "the extractor found too few messages: is babel.cfg right?"
    return found


def test_the_template_has_exactly_the_messages_of_the_code(in_code: dict) -> None:
    """sim.pot is made from the code: after a change of words, extract it again."""
    template = catalogue_messages(LOCALE_DIR / "sim.pot")
    assert sorted(set(in_code) - set(template), key=str) == [], "not in sim.pot"
    assert sorted(set(template) - set(in_code), key=str) == [], "in sim.pot, not in the code"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_code_is_translated(in_code: dict, lang: str) -> None:
    catalogue = catalogue_messages(catalogue_path(lang))
    missing = sorted((key for key in in_code if key not in catalogue), key=str)
    assert missing == [], f"{lang}: no translation"
    empty = sorted((key for key in in_code if not all(catalogue[key])), key=str)
    assert empty == [], f"{lang}: empty translation"
    for key, names in in_code.items():
        for form in catalogue[key]:
            assert set(PLACEHOLDER.findall(form)) <= names, (lang, key, form)
            assert set(PLACEHOLDER.findall(form)) >= names - {"count", "total"}, (lang, key)


def test_the_languages_have_the_same_messages() -> None:
    first, *others = LANGUAGES
    keys = set(catalogue_messages(catalogue_path(first)))
    for lang in others:
        assert set(catalogue_messages(catalogue_path(lang))) == keys, lang


def visible_text(page: str, data: list[str]) -> str:
    """What a reader sees of an HTML page, without the planner's own names and values."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    return re.sub(r"\s+", " ", text)


def untranslated(text: str, metrics: list[str]) -> list[str]:
    words = {w.lower() for w in re.findall(r"[\w-]+", text)}
    return sorted({w for w in ENGLISH if w.lower() in words}
                  | {m for m in metrics if re.search(rf"(?<![\w.]){re.escape(m)}\b", text)})


def test_a_vietnamese_report_reads_vietnamese(tmp_path: Path) -> None:
    """A short run of a bundled centre with a back office, backlog, guidance and outages."""
    scenario = ROOT / "scenarios" / "centres" / "highland_commune.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(scenario), "-n", "2", "--out", str(out),
                                       "--set", "calendar.working_days=2", "-q"])
    assert result.exit_code == 0, result.output
    results = load_results(out)
    baseline = results.scenarios.baseline
    data = [baseline.name, str(results.scenarios.source), *results.scenarios.options,
            *(f"{path} = {value}" for changes in baseline.options.values()
              for path, value in changes.items()),
            *(p.name for p in baseline.procedures),
            *(name for desks in baseline.site_desks().values() for name in desks),
            *(f"{name} {version}" for name, version in package_versions().items())]
    text = visible_text((out / "report.html").read_text(encoding="utf-8"), data)
    assert "Khuyến nghị" in text
    metrics = list(results.summary["metric"].unique())
    assert untranslated(text, metrics) == [], text


def test_a_vietnamese_province_page_reads_vietnamese(tmp_path: Path) -> None:
    ranking = pd.DataFrame({
        "option": ["baseline"] * 3, "centre": ["01", "01", "02"], "name": ["Xã A"] * 2 + ["Xã B"],
        "latitude": [19.8, 19.8, 20.0], "longitude": [105.7, 105.7, 105.9],
        "metric": ["wait_p90", "abandoned_share", "wait_p90"],
        "target": ["wait_p90 <= 30", "abandoned_share <= 0.05", "wait_p90 <= 30"],
        "mean": [45.2, 0.081, 12.0], "meets_target": ["no", "unclear", "yes"],
        "total_miss": [0.6, 0.6, 0.0], "rank": [1, 1, 2]})
    page = write_province_report(ranking, "Tỉnh X", "provenance", tmp_path / "p.html", "vi")
    text = visible_text(page.read_text(encoding="utf-8"), ["Tỉnh X", "Xã A", "Xã B", "provenance"])
    assert "Thời gian chờ phân vị 90 (phút) không quá 30 (45,2)" in text
    assert "Bỏ về vì chờ lâu không quá 5% (8,1%)" in text
    assert untranslated(text, ["wait_p90", "abandoned_share"]) == [], text


def _record_check_reasons() -> set[str]:
    """Every reason the record checks of sim/calibrate give a bad row: the first argument of a
    RowCheck (or of a helper building one), the `missing` of the shared time checks, or the
    first item of a rule of `rules`; "unparseable time" is given by the time checks."""
    reasons = set()
    for name in ("tickets.py", "dossiers.py"):
        tree = ast.parse((ROOT / "sim" / "calibrate" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("RowCheck", "_vocabulary", "_order_check")
                    and node.args and isinstance(node.args[0], ast.Constant)):
                reasons.add(node.args[0].value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                    node.func.id == "time_checks"):
                reasons |= {k.value.value for k in node.keywords if k.arg == "missing"}
            elif isinstance(node, ast.Tuple) and node.elts and isinstance(
                    node.elts[0], ast.Constant) and str(node.elts[0].value).count(" ") >= 2:
                reasons.add(node.elts[0].value)
    return {reason for reason in reasons if isinstance(reason, str)} | {"unparseable time"}


def test_every_reason_for_leaving_a_row_out_is_in_words() -> None:
    from sim.output.calibration_text import REASONS, reason_words

    assert _record_check_reasons() == set(REASONS)
    for reason in REASONS:
        words = reason_words(reason)
        assert words["en"] == reason and words["vi"] != reason, reason
