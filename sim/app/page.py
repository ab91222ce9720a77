"""The page of `sim app`, a Streamlit script (`sim app` runs it with `streamlit run`).

Streamlit runs the script again whenever a slider moves: the sliders make a Setting, its
option is simulated beside the baseline (sim/app/trial.py, cached per setting), and the
numbers are shown with their intervals; the last part saves the setting as an option.
Streamlit, from the Python data ecosystem, turns such a script into a local page without any
HTML or JavaScript of ours.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from sim.app.saving import SaveRefused, is_bundled, save_copy, save_into
from sim.app.setting import (
    STEP_MINUTES,
    Setting,
    baseline_setting,
    session_blocks,
    setting_changes,
)
from sim.app.trial import DAYS, REPLICATIONS, SETTING, SHOWN, Trial, run_trial
from sim.app.words import EN, VI, both, desk_words, difference, estimate, metric_words
from sim.experiment.plan import DEFAULT_SEED
from sim.output.names import Names
from sim.output.translations import N_
from sim.scenario.errors import ScenarioError
from sim.scenario.load import BASELINE, load_scenario
from sim.scenario.schema import Scenario

MOST_MINUTES = 60  # opening earlier or closing later: at most an hour
DEFAULT_OPTION = "tried_setting"


def arguments(argv: list[str]) -> argparse.Namespace:
    """What `sim app` passes after `--`: the scenario and the size of the short runs."""
    parser = argparse.ArgumentParser(prog="sim app page")
    parser.add_argument("--scenario", type=Path, required=True)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    return parser.parse_args(argv)


@st.cache_resource
def baseline_of(source: str) -> Scenario:
    return load_scenario(source, options=[BASELINE]).baseline


@st.cache_data(max_entries=64, show_spinner=False)
def cached_trial(source: str, changes: str, days: int, replications: int, seed: int) -> Trial:
    """The trial of a setting (its option as JSON, so that the cache can key on it)."""
    return run_trial(Path(source), json.loads(changes), days, replications, seed)


def counter_sliders(scenario: Scenario, setting: Setting) -> Setting:
    """A slider per desk and session: the counters open then."""
    st.sidebar.subheader(both(N_("Counters at each desk")))
    for label, levels in setting.counters.items():
        st.sidebar.markdown(f"**{desk_words(scenario, label)}**")
        for block_index, block in enumerate(session_blocks(scenario)):
            count = st.sidebar.slider(
                both(N_("Counters open {hours}"), hours=block.label),
                min_value=0, max_value=2 * max(levels) + 2, value=levels[block_index],
                key=f"counters:{label}:{block_index}")
            setting = setting.with_counters(label, block_index, count)
    return setting


def other_sliders(setting: Setting) -> Setting:
    """Opening hours, Saturday mornings and back-office staff."""
    st.sidebar.subheader(both(N_("Opening hours")))
    earlier = st.sidebar.slider(both(N_("Open earlier (minutes)")), 0, MOST_MINUTES, 0,
                                STEP_MINUTES, key="open_earlier")
    later = st.sidebar.slider(both(N_("Close later (minutes)")), 0, MOST_MINUTES, 0,
                              STEP_MINUTES, key="close_later")
    saturday = st.sidebar.checkbox(both(N_("Open on Saturday mornings")),
                                   setting.saturday_mornings, key="saturday")
    staff = setting.back_office_staff
    if staff is not None:
        st.sidebar.subheader(both(N_("Back office")))
        staff = st.sidebar.slider(both(N_("Back-office staff")), 0, 2 * staff + 2, staff,
                                  key="back_office_staff")
    return replace(setting, open_earlier=earlier, close_later=later,
                   saturday_mornings=saturday, back_office_staff=staff)


def results_table(trial: Trial) -> pd.DataFrame:
    """Per metric: the baseline and the setting with their intervals, and the difference."""
    rows = []
    for metric in SHOWN:
        base, mine = trial.row(BASELINE, metric), trial.row(SETTING, metric)
        if base is None or mine is None:
            continue
        rows.append({both(N_("Measure")): metric_words(metric),
                     both(N_("Baseline")): estimate(metric, base),
                     both(N_("This setting")): estimate(metric, mine),
                     both(N_("Difference")): difference(metric, mine)})
    return pd.DataFrame(rows)


def provenance(trial: Trial) -> str:
    """How the numbers were made, in both languages."""
    words = [t.fill(t.ngettext(
        "{replications} replication of {days} working days, with the same citizens for the "
        "baseline and this setting (seed {seed}); in brackets, 95% intervals.",
        "{replications} replications of {days} working days, with the same citizens for the "
        "baseline and this setting (seed {seed}); in brackets, 95% intervals.",
        trial.replications), replications=trial.replications, days=trial.days,
        seed=str(trial.seed)) for t in (VI, EN)]
    return "  \n".join(words)


def save_section(source: Path, changes: dict[str, object]) -> None:
    """Save the setting as an option: into a copy, or into the scenario once confirmed."""
    st.subheader(both(N_("Save this setting as an option")))
    if not changes:
        st.info(both(N_("This setting is the baseline's: there is nothing to save.")))
        return
    name = st.text_input(both(N_("Option name")), DEFAULT_OPTION, key="option_name")
    places = [N_("A copy beside the scenario")]
    if not is_bundled(source):
        places.append(N_("The scenario file itself"))
    place = st.radio(both(N_("Save to")), places, format_func=both, key="place")
    into = place == N_("The scenario file itself")
    confirmed = st.checkbox(both(N_("Yes, add the option to {file}"), file=source.name)
                            if into else both(N_("Yes, write the copy")), key="confirm")
    if st.button(both(N_("Save")), disabled=not confirmed, key="save"):
        try:
            written = (save_into(source, name, changes) if into
                       else save_copy(source, name, changes)[0])
        except (SaveRefused, ScenarioError, RuntimeError, OSError, ValueError) as err:
            st.error(both(N_("Not saved: {reason}"), reason=str(err)))
            return
        st.success(both(N_("Saved option {name} in {path}"), name=name, path=str(written)))


def main() -> None:
    """The whole page, drawn again on every change."""
    args = arguments(sys.argv[1:])
    st.set_page_config(page_title=both(N_("Try a staffing setting")), layout="wide")
    scenario = baseline_of(str(args.scenario))
    st.title(both(N_("Try a staffing setting")))
    titles = dict.fromkeys(Names(scenario, lang).title() for lang in ("vi", "en"))
    st.caption(" · ".join([*titles, str(args.scenario)]))  # English only where it differs
    setting = other_sliders(counter_sliders(scenario, baseline_setting(scenario)))
    changes = setting_changes(scenario, setting)
    try:
        with st.spinner(both(N_("Simulating…"))):
            trial = cached_trial(str(args.scenario), json.dumps(changes, sort_keys=True),
                                 args.days, args.replications, args.seed)
    except ScenarioError as err:
        st.error(both(N_("This setting is not a valid scenario: {reason}"),
                      reason=err.message()))
        return
    st.table(results_table(trial).set_index(both(N_("Measure"))))
    st.caption(provenance(trial))
    save_section(args.scenario, changes)


if __name__ == "__main__":
    main()
