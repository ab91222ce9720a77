"""The catalogues hold every word the code asks for, in every language, and a Vietnamese page
reads Vietnamese: no English word left untranslated and no raw metric id.

The msgids are extracted from the code the way ``pybabel extract`` does it (babel.cfg, the
keywords of sim/output/locale/README.md), so a word added to the code without a translation, a
catalogue that lacks or drops one, or a template ``sim.pot`` that the code has moved away from
all fail here.
"""

from __future__ import annotations

import ast
import datetime as dt
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
from sim.output.metric_text import metric_value, possible
from sim.output.province_report import write_province_report
from sim.output.province_results import load_province_results
from sim.output.report_text import assumptions, option_changes
from sim.output.results_io import load_results
from sim.output.translations import (
    LANGUAGES,
    LOCALE_DIR,
    catalogue_path,
    read_catalogue,
    translator,
)
from sim.scenario.load import load_scenario

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
           "backlog", "interval", "CI", "produced", "file", "centre", "centres", "rank",
           "current", "staffing", "between", "against", "fewer", "more", "also", "needs",
           "month", "late", "progress", "score", "missed", "unclear", "site", "general",
           "land", "civil_status", "business_other", "send_home", "earliest_deadline")

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


def _run(*args: object) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def _ids(scenario: object) -> list[str]:
    """The ids a planner gave that a page must never show: options, desks, sites."""
    return [*scenario.options, *scenario.desk_names(), *(scenario.sites or {})]


def _page_problems(page: Path, data: list[str], ids: list[str], metrics: list[str]) -> list[str]:
    text = visible_text(page.read_text(encoding="utf-8"), data)
    return untranslated(text, [*metrics, *ids])


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short comparison of a bundled centre with a back office, backlog, guidance and
    outages, spanning two months (so that the monthly indicators have two rows)."""
    out = tmp_path_factory.mktemp("compared") / "out"
    _run("compare", ROOT / "scenarios" / "centres" / "highland_commune.yaml", "-n", "2",
         "--out", out, "--set", "calendar.start=2025-07-29", "--set",
         "calendar.working_days=4", "-q")
    return out


def _run_data(folder: Path) -> tuple[list[str], list[str], list[str]]:
    """What a results folder's pages may show as the planner wrote it (the scenario's name,
    its file, the procedures' names, the versions), its ids, and its metrics."""
    results = load_results(folder)
    baseline = results.scenarios.baseline
    data = [baseline.name, str(results.scenarios.source),
            *(p.name for p in baseline.procedures),
            *(f"{name} {version}" for name, version in package_versions().items())]
    return data, _ids(baseline), list(results.summary["metric"].unique())


def test_a_page_is_dated_by_the_centres_clocks_and_months_read_in_words() -> None:
    """The machine may run in UTC; the planner reads Vietnam's time (UTC+7, no summer time),
    and a month as Vietnamese writes it."""
    when = dt.datetime(2026, 12, 3, 20, 30, tzinfo=dt.UTC)
    assert translator("vi").moment(when) == "4 tháng 12 năm 2026, 03:30 (giờ Việt Nam)"
    assert translator("en").moment(when) == "December 4, 2026, 03:30 (Vietnam time)"
    assert translator("vi").month(dt.date(2025, 7, 1)) == "tháng 7 năm 2025"
    assert translator("en").month(dt.date(2025, 7, 1)) == "July 2025"


def test_an_option_s_change_stands_beside_what_it_changes() -> None:
    """A leader reads "9 counters" and needs the 8 of today beside it."""
    demo = load_scenario(ROOT / "scenarios" / "demo.yaml")
    changes = {name: option_changes(demo.baseline, option, translator("vi"))
               for name, option in demo.options.items()}
    assert changes["extra_general_counter"] == [
        "Quầy: Quầy tiếp nhận chung: 9 quầy (hiện nay 8 quầy)"]
    assert changes["longer_sessions"] == [
        "Giờ làm việc: 07:00-11:30 (hiện nay 07:30-11:30), 13:30-17:30 (hiện nay 13:30-17:00)"]
    assert changes["saturday_mornings"] == ["Làm việc sáng thứ Bảy: 07:30-11:30"], "new: alone"
    assert changes["baseline"] == []
    # Names and dates hold commas of their own: a change is found part by part, not by
    # cutting the text at every comma.
    unlabelled = load_scenario(ROOT / "scenarios" / "demo.yaml", overrides=[
        "desks.business_other.label=null", "labels={}",
        'options={"more": {"desks.business_other.counters": 3}}'])
    assert option_changes(unlabelled.baseline, unlabelled.options["more"], translator("en")) == [
        "Counters: Desk for Social assistance, Household business registration: 3 counters "
        "(now 2 counters)"]
    highland = load_scenario(ROOT / "scenarios" / "centres" / "highland_commune.yaml")
    moved = option_changes(highland.baseline, highland.options["paper_intake_in_outages"],
                           translator("en"))
    assert moved and "service time ×1.5" in moved[0], "an outage that slows service says so"
    ward = load_scenario(ROOT / "scenarios" / "centres" / "urban_ward_two_sites.yaml")
    vi = translator("vi")
    assert option_changes(ward.baseline, ward.options["results_counter"], vi) == [
        "Quầy: Trụ sở mới của Trung tâm – Quầy trả kết quả: 1 quầy"], "an added desk's own label"
    assert "Bộ phận xử lý hồ sơ: 11 người (hiện nay 12 người)" in option_changes(
        ward.baseline, ward.options["back_office_to_counter"], vi), "only what changed"


def test_a_mean_just_short_of_its_target_is_not_rounded_onto_it() -> None:
    """79.6% served in time beside "at least 80%", or 0.2 overdue dossiers beside "none",
    must not read as the target met."""
    t = translator("vi")
    assert metric_value(t, "within_target_share", 0.796) == "79,6%"
    assert metric_value(t, "overdue", 0.2) == "0,2"
    assert metric_value(t, "on_time_share", 0.8849) == "88,5%"


def test_a_page_s_interval_stays_within_what_the_quantity_can_be() -> None:
    """A lateness of 0.2 days from three replications has a t interval from -0.1: a page
    shows it from 0, and a share's no higher than 100%."""
    assert possible(-0.1, 0.5, share=False) == (0.0, 0.5)
    assert possible(0.93, 1.02, share=True) == (0.93, 1.0)
    assert possible(2.0, 3.0, share=False) == (2.0, 3.0)


def test_a_disruption_says_when_it_strikes_and_for_how_long() -> None:
    ward = load_scenario(ROOT / "scenarios" / "centres" / "urban_ward_two_sites.yaml").baseline
    text = dict(assumptions(ward, translator("vi")))["Sự cố"]
    assert "hệ thống gián đoạn ngày 1 tháng 7 năm 2025 lúc 08:30, khoảng 120 phút" in text, text
    assert "hệ thống chạy chậm ×1,2 từ 1 tháng 7 năm 2025 đến 14 tháng 7 năm 2025" in text, text
    assert "trung bình 0,15 lần mỗi ngày" in text, text


def test_a_surge_reads_from_its_first_day_to_its_last() -> None:
    """The factor and the dates are told apart by words, not run together ("×1,2 1 tháng 7")."""
    demo = load_scenario(ROOT / "scenarios" / "demo.yaml").baseline
    demand = dict(assumptions(demo, translator("vi")))["Lượng người đến"]
    assert "cao điểm ×1,2 từ 1 tháng 7 năm 2025 đến 4 tháng 7 năm 2025" in demand, demand
    period = dict(assumptions(demo, translator("en")))["Period"]
    assert period == "22 working days, July 1, 2025 to July 30, 2025", "the last day too"


def test_a_vietnamese_comparison_report_reads_vietnamese(compared: Path) -> None:
    """No English word, raw id (option, desk, metric) or dotted path on the page."""
    data, ids, metrics = _run_data(compared)
    text = visible_text((compared / "report.html").read_text(encoding="utf-8"), data)
    assert "Khuyến nghị" in text and "Các chỉ số dùng để đánh giá Trung tâm" in text
    assert "Cách đọc các con số" in text and "9 trên 10 người dân" in text, "terms explained"
    assert "tháng đầu và tháng cuối chỉ tính những ngày trong khoảng này" in text
    assert "tháng 7 năm 2025" in text and "tháng 8 năm 2025" in text
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", text), "a dotted path on the page"
    assert not re.search(r"[+-]0(?![,\d])", text), "a signed zero on the page"
    assert _page_problems(compared / "report.html", data, ids, metrics) == [], text


def test_a_vietnamese_run_report_reads_vietnamese(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run("run", ROOT / "scenarios" / "centres" / "mid_size_ward.yaml", "-n", "2", "--out", out,
         "--set", "calendar.working_days=2", "-q")
    data, ids, metrics = _run_data(out)
    assert _page_problems(out / "report.html", data, ids, metrics) == []


def test_a_report_renders_again_in_each_language_side_by_side(compared: Path) -> None:
    _run("report", compared, "--lang", "en")
    _run("report", compared, "--lang", "vi")
    english = (compared / "report.en.html").read_text(encoding="utf-8")
    assert 'lang="en"' in english and "The indicators the centre is judged by" in english
    assert (compared / "report.vi.html").read_text(encoding="utf-8") == (
        compared / "report.html").read_text(encoding="utf-8").replace(
        _produced(compared / "report.html"), _produced(compared / "report.vi.html"))


def _produced(page: Path) -> str:
    """The page's time of making (the one part of two renderings that may differ)."""
    found = re.search(r"\d{1,2} tháng \d{1,2} năm \d{4}, \d\d:\d\d \(giờ Việt Nam\)",
                      page.read_text(encoding="utf-8"))
    assert found
    return found.group(0)


def test_a_vietnamese_province_page_reads_vietnamese(tmp_path: Path) -> None:
    """`sim province run` on the test province: the page, then the page rendered again."""
    out = tmp_path / "province"
    _run("province", "run", ROOT / "tests" / "fixtures" / "province" / "province.yaml", "-n", "2",
         "--out", out, "--visits", "none", "-q")
    found = load_province_results(out)
    scenario = next(iter(found.scenarios.values()))["baseline"]
    data = [found.name, *found.ranking["name"].unique(), *(p.name for p in scenario.procedures),
            found.provenance("vi")]
    ids = [*found.ranking["option"].unique(), *scenario.desk_names()]
    metrics = list(found.ranking["metric"].unique())
    for page in ("report.html", "report.vi.html"):
        if page == "report.vi.html":
            _run("report", out, "--lang", "vi")
        text = visible_text((out / page).read_text(encoding="utf-8"), data)
        assert "Số chỉ tiêu chưa đạt" in text and "(102)" in text, text
        assert untranslated(text, [*metrics, *ids]) == [], text


def test_the_province_page_writes_each_target_in_its_own_unit(tmp_path: Path) -> None:
    ranking = pd.DataFrame({
        "option": ["baseline"] * 3, "centre": ["01", "01", "02"], "name": ["Xã A"] * 2 + ["Xã B"],
        "latitude": [19.8, 19.8, 20.0], "longitude": [105.7, 105.7, 105.9],
        "metric": ["wait_p90", "abandoned_share", "wait_p90"],
        "target": ["wait_p90 <= 30", "abandoned_share <= 0.05", "wait_p90 <= 30"],
        "mean": [45.2, 0.081, 12.0], "meets_target": ["no", "unclear", "yes"],
        "missed": [1, 1, 0], "unclear": [1, 1, 0], "rank": [1, 1, 2]})
    page = write_province_report(ranking, "Tỉnh X", "provenance", tmp_path / "p.html", "vi")
    text = visible_text(page.read_text(encoding="utf-8"), ["Tỉnh X", "Xã A", "Xã B", "provenance"])
    assert "Thời gian chờ phân vị 90 (phút) không quá 30 (mô phỏng: 45,2)" in text
    assert "Bỏ về vì chờ lâu không quá 5% (mô phỏng: 8,1%)" in text
    assert "(01)" in text, "the centre code keeps its leading zero"
    assert untranslated(text, ["wait_p90", "abandoned_share", "baseline"]) == [], text
    assert "trung tâm xa chỉ tiêu nhất trong" not in text, "every failing centre is shown"


def test_the_province_page_says_when_it_shows_only_the_furthest_centres(
        tmp_path: Path) -> None:
    count = 30  # more than the page's 25
    ranking = pd.DataFrame({
        "option": ["baseline"] * count, "centre": [f"{i:02}" for i in range(count)],
        "name": [f"Xã {i}" for i in range(count)], "latitude": [20.0] * count,
        "longitude": [105.0 + i / 100 for i in range(count)], "metric": ["wait_p90"] * count,
        "target": ["wait_p90 <= 30"] * count, "mean": [40.0 + i for i in range(count)],
        "meets_target": ["no"] * count, "missed": [1] * count, "unclear": [0] * count,
        "rank": list(range(1, count + 1))})
    page = write_province_report(ranking, "Tỉnh X", "provenance", tmp_path / "p.html", "en")
    html = page.read_text(encoding="utf-8")
    assert "The 25 furthest of the 30 centres that do not meet every target" in html
    assert html.count("(simulated: ") == 25


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


def test_dates_write_the_month_in_words_not_abbreviated() -> None:
    """'1 thg 7, 2025' (Babel's medium format) is not how a Vietnamese report writes a date."""
    day = dt.date(2025, 7, 1)
    assert translator("vi").date(day) == "1 tháng 7 năm 2025"
    assert translator("en").date(day) == "July 1, 2025"
