"""Where `sim allocate` puts one more person: at the desk with the highest offered load over its
open counter-minutes (site shares and schedules count), working whenever that desk is open; how
the curves of gains are merged into a placement (the same as one person at a time), and what
`sim allocate` writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.decide.allocate import (
    OBJECTIVES,
    Step,
    greedy_one_at_a_time,
    steps_table,
    with_one_more,
)
from sim.decide.gain_curves import Curve, allocate, merge, rising_gains
from sim.experiment.executors import Execution
from sim.output.allocation_text import (
    Allocation,
    allocation_rows,
    allocation_section,
    allocation_words,
    rising_words,
)
from sim.scenario.load import scenario_from_document
from sim.scenario.province.load import load_province
from sim.scenario.schema import Scenario

PROVINCE = Path(__file__).parent / "fixtures" / "province" / "province.yaml"
PROCEDURE = {"name": "p", "service": {"dist": "exponential", "mean": 10}}


def centre(**sections: object) -> Scenario:
    document = {"name": "allocate", "calendar": {"start": "2025-07-01", "working_days": 3},
                "arrivals": {"per_day": 100},
                "procedures": [{**PROCEDURE, "id": "a", "share": 0.5, "desk": "general"},
                               {**PROCEDURE, "id": "b", "share": 0.5, "desk": "land"}],
                **sections}
    return scenario_from_document(document, "allocate").baseline


def test_a_closed_period_stays_closed() -> None:
    scenario = centre(desks={"general": {"counters": 2, "schedule": {"07:30": 2, "13:30": 0}},
                             "land": {"counters": 3}})
    more, where = with_one_more(scenario, "waiting")
    assert where == "general"
    assert more.desks["general"].counters == 3
    assert more.desks["general"].schedule == {"07:30": 3, "13:30": 0}


def test_the_busiest_desk_counts_its_open_counters() -> None:
    """General has 3 counters but opens only 1: it is busier than land with 2 open."""
    scenario = centre(desks={"general": {"counters": 3, "schedule": {"07:30": 1}},
                             "land": {"counters": 2}})
    assert with_one_more(scenario, "waiting").where == "general"


def test_one_more_person_sits_only_where_a_position_is_free() -> None:
    """General is the busier desk (1 counter against 2) but has no free position: the person
    goes to land; with no free position anywhere, the allocation says so."""
    general = {"counters": 1, "positions": 1}
    scenario = centre(desks={"general": general, "land": {"counters": 2, "positions": 3}})
    assert with_one_more(scenario, "waiting").where == "land"
    assert with_one_more(centre(desks={"general": {"counters": 1}, "land": {"counters": 2}}),
                         "waiting").where == "general"
    full = centre(desks={"general": general, "land": {"counters": 2, "positions": 2}})
    with pytest.raises(ValueError, match="positions"):
        with_one_more(full, "waiting")


def test_the_busiest_desk_counts_site_shares() -> None:
    """The same desks at two sites: the site that 90% of citizens go to is the busier."""
    desks = {"general": {"counters": 2}, "land": {"counters": 2}}
    scenario = centre(sites={"small": {"share": 0.1, "desks": desks},
                             "big": {"share": 0.9, "desks": desks}})
    more, where = with_one_more(scenario, "waiting")
    assert where in ("big.general", "big.land")
    assert more.sites["big"].desks[where.split(".")[1]].counters == 3
    assert more.sites["small"].desks == scenario.sites["small"].desks


def test_curves_place_people_exactly_as_the_one_at_a_time_greedy() -> None:
    """The merge of curves simulated in parallel is the greedy of today, step for step: same
    centres, same desks, the same gains to the last bit (same scenarios and seeds)."""
    province = load_province(PROVINCE)
    for objective in OBJECTIVES:
        greedy = greedy_one_at_a_time(province, 7, replications=3, seed=11, objective=objective)
        merged, _ = allocate(province, 7, replications=3, seed=11, objective=objective,
                             execution=Execution(jobs=2))
        assert merged == greedy, objective


def curve(name: str, gains: list[float]) -> Curve:
    """A centre whose objective falls by `gains` (the same in each of three replications)."""
    levels = np.cumsum([0.0, *gains])
    values = [np.full(3, 1000.0 - level) for level in levels]
    return Curve(name, name, levels=[], wheres=["general"] * len(gains), values=values)


def test_merge_takes_the_largest_next_gain_first_ties_to_the_centre_listed_first() -> None:
    centres = [curve("a", [5, 3, 1]), curve("b", [5, 4, 0.5])]
    steps, short = merge(centres, 4)
    assert [s.centre for s in steps] == ["a", "b", "b", "a"]
    assert [s.gain for s in steps] == [5, 5, 4, 3]
    assert not short


def test_merge_says_which_curves_it_ran_out_of() -> None:
    """b's one simulated gain is used at step 2; what b has left to cut (996 minutes) bounds
    its next gain above a's 3, so b's next gain is needed, and its bound holds the third place
    until it is known: a's 3 may come third or not."""
    steps, short = merge([curve("a", [5, 3]), curve("b", [4])], 3)
    assert [s.centre for s in steps] == ["a", "b"]
    assert short == {"b"}


def test_a_bound_holds_its_place_so_only_the_curves_within_the_k_places_go_deeper() -> None:
    """a's bound (995) comes second and holds that place; b's 4 comes third, and b's own
    bound, fourth, is not needed for 3 people until a's next gain is known."""
    steps, short = merge([curve("a", [5]), curve("b", [4])], 3)
    assert [s.centre for s in steps] == ["a", "b"]
    assert short == {"a"}


def test_a_centre_with_less_left_to_cut_than_the_gains_placed_is_not_simulated_further(
        ) -> None:
    """Waiting never goes below 0: a centre whose citizens wait 2 minutes in all cannot gain
    more than 2, below the 4 of each person placed; only its baseline is ever simulated."""
    small = Curve("small", "small", levels=[], values=[np.full(3, 2.0)])
    steps, short = merge([small, curve("busy", [5, 4, 4])], 3)
    assert [s.centre for s in steps] == ["busy"] * 3 and not short
    assert merge([small, curve("busy", [5, 4, 1])], 3)[1] == {"small"}, "2 > 1: needed"


def test_rising_gains_are_found_where_a_later_person_gains_more() -> None:
    rising = rising_gains([curve("flat", [5, 3, 1]), curve("convex", [2, 6, 1])])
    assert rising == [("convex", 1, True)], "the same rise in every replication: clear"
    noisy = curve("noisy", [2, 3])  # a rise of 1 on average, of 11, 1 and -9 by replication
    noisy.values[1] = noisy.values[1] + np.array([0.0, 5.0, -5.0])
    assert rising_gains([noisy]) == [("noisy", 1, False)]


def test_gains_of_the_test_province_diminish() -> None:
    """Where greedy placement is optimal: each centre's gains fall person by person (say where
    they do not, clearly, with 95% confidence)."""
    _, curves = allocate(load_province(PROVINCE), 8, replications=5, seed=2)
    assert not [r for r in rising_gains(curves) if r[2]]


def test_sim_allocate_writes_the_table_the_files_the_map_and_the_province_page(
        tmp_path: Path) -> None:
    runner = CliRunner()
    results = tmp_path / "province"
    ran = runner.invoke(main, ["province", "run", str(PROVINCE), "-n", "2", "-q", "--out",
                               str(results)])
    assert ran.exit_code == 0, ran.output
    english = runner.invoke(main, ["report", str(results), "--lang", "en"])
    assert english.exit_code == 0, english.output
    out = runner.invoke(main, ["allocate", str(PROVINCE), "-k", "4", "-n", "3", "--lang", "en",
                               "--out", str(results / "allocation")])
    assert out.exit_code == 0, out.output
    steps = pd.read_csv(results / "allocation" / "allocation.csv", dtype={"centre": str})
    assert list(steps["step"]) == [1, 2, 3, 4]
    assert "Phường Hai (102)" in out.output and "hours of waiting saved" in out.output
    doubtful = steps[(steps["gain_ci_low"] <= 0) & (steps["gain_ci_high"] >= 0)]
    assert ("Warning" in out.output) == (not doubtful.empty)
    assert (results / "allocation" / "figures" / "allocation_map.png").is_file()
    page = (results / "report.html").read_text(encoding="utf-8")
    assert "Nơi cán bộ tăng cường giúp nhiều nhất" in page, "the page in its own language (vi)"
    section = page.index("<h2>Nơi cán bộ tăng cường giúp nhiều nhất")
    assert "giảm thời gian chờ của người dân nhiều nhất" in page[section:], "what for"
    assert section < page.index("<h2>Các chỉ số dùng để đánh giá"), "before the long monthly table"
    assert page.index('src="data:image/png', section) < page.index("<table>", section), (
        "the section shows its map above its table")
    assert "Where extra staff help most" in (results / "report.en.html").read_text(
        encoding="utf-8"), "the page `sim report --lang en` wrote is written again too"
    assert page.count("Phường Hai (102)") >= (steps["centre"] == "102").sum()
    counters = (steps["where"] == "general").sum()
    assert counters, "the busy test province's people go to its counters"
    assert out.output.count("General counters: one more counter") == counters
    assert page.count("Quầy tiếp nhận chung: thêm một quầy") == counters
    assert "general:" not in out.output and "general:" not in page, "words, not the desk's id"


def test_sim_allocate_of_a_broken_file_names_it(tmp_path: Path) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text("name: x\ntemplate: none.yaml\ncentres: [{id: '1', name: a}]\n")
    out = CliRunner().invoke(main, ["allocate", str(broken), "-k", "1"])
    assert out.exit_code == 2 and "none.yaml" in out.output and "Traceback" not in out.output


def test_where_gains_rise_the_sentence_names_the_centres() -> None:
    rising = pd.DataFrame({"centre": ["03127", "03127", "03169"], "person": [2, 3, 2],
                           "clear": [True, False, False]})
    sentence = rising_words(rising, "vi", {"03127": "Xã Mường Pồn"})
    assert sentence.startswith("Tại 2 trung tâm (Xã Mường Pồn (03127), 03169), người được bố "
                               "trí sau giảm được nhiều hơn người được bố trí trước (1 trường")
    assert rising_words(rising.iloc[:0], "vi", {}) == ""


def test_the_page_names_a_centre_whose_gains_rise_though_nobody_went_there() -> None:
    """Gains may rise at a centre that received no one (its first person gained too little
    to be chosen): the page's sentence names it all the same, from every centre's name."""
    steps = steps_table([Step(1, "01", "Xã Một", "general", 40.0, 30.0, 50.0)])
    centres = pd.DataFrame({"centre": ["01", "02"], "name": ["Xã Một", "Xã Mường Pồn"],
                            "latitude": [20.0, 20.1], "longitude": [105.0, 105.1],
                            "people": [1, 0], "gain": [40.0, 0.0]})
    rising = pd.DataFrame({"centre": ["02"], "person": [1], "clear": [True]})
    section = allocation_section(Allocation(steps, centres, "waiting", rising, {}), "vi")
    assert "Xã Mường Pồn (02)" in section["rising"], section["rising"]


def test_waiting_gains_are_shown_in_hours_and_stored_in_minutes() -> None:
    """allocation.csv keeps minutes; the table and the page read hours (a month's gain at a busy
    centre is thousands of minutes), with the unit saying so."""
    steps = pd.DataFrame({"step": [1], "centre": ["101"], "name": ["Xã Một"],
                          "where": ["back_office"], "gain": [13336.2], "gain_ci_low": [-60.0],
                          "gain_ci_high": [26700.0], "cumulative_gain": [13336.2]})
    row = allocation_rows(steps, "waiting", "vi", {})[0]
    assert (row["gain"], row["interval"], row["cumulative"]) == (
        "222,3", "-1,0 – 445,0", "222,3")
    assert row["doubtful"], "the interval holds 0"
    assert allocation_rows(steps, "overdue", "en", {})[0]["gain"] == "13,336.2"
    assert "hours of waiting saved" in allocation_words(steps, "waiting", "en")["unit"]
    goals = {objective: allocation_words(steps, objective, "en")["goal"]
             for objective in ("waiting", "overdue")}
    assert "cut citizens' waiting most" in goals["waiting"] and "--objective overdue" in (
        goals["waiting"]), "the page says what the people were placed for, and the other way"
    assert "cut overdue dossiers most" in goals["overdue"]
