"""The words of `sim staff --headcount`: the roster as a table (blocks by roles), whether it meets
the targets, and how it compares with the scenario as written (the comparison of `sim compare`).
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from sim.decide.compare import judge
from sim.decide.staffing.headcount_judge import CENTRE, Judged
from sim.decide.staffing.headcount_result import HeadcountResult
from sim.decide.staffing.roster import guidance_site
from sim.output.metric_text import metric_amount, target_text
from sim.output.names import Names
from sim.output.recommendation_text import recommendation_sentence
from sim.output.terminal import comparison_table_view
from sim.output.translations import N_, Translator, translator
from sim.scenario.skills import BACK_OFFICE, GUIDANCE

ROLE_WORDS = {GUIDANCE: N_("guidance"), BACK_OFFICE: N_("back office")}


def role_name(names: Names, role: str) -> str:
    """What a page calls a role: a desk by its name (a results counter or a feedback desk as
    any other), a site's guidance team by its site's name, the others by their word."""
    t = names.t
    site = guidance_site(role)
    if site is not None:
        return t.fill(t.gettext("guidance at {site}"), site=names.site(site))
    return t.gettext(ROLE_WORDS[role]) if role in ROLE_WORDS else names.desk(role)


def roster_table(result: HeadcountResult, lang: str = "en") -> Table:
    """One row per block, one column per role (each desk's counters, the guides, the back
    office), and the people at work."""
    t = translator(lang)
    title = (t.gettext("Uniform split of {people} people (the same in every block)")
             if result.uniform else t.gettext("Roster of {people} people by time block"))
    table = Table(title=Text(t.fill(title, people=result.headcount)), title_justify="left",
                  caption=t.gettext("counters open per desk; people per role"))
    table.add_column(t.gettext("block"), no_wrap=True)
    names = Names(result.judge.baseline, lang)
    for role in result.roster.roles:
        table.add_column(Text(role_name(names, role)), justify="right")
    table.add_column(t.gettext("at work"), justify="right")
    for index, block in enumerate(result.blocks):
        counts = result.roster.block(index)
        table.add_row(block.label, *(str(n) for n in counts), str(sum(counts)))
    return table


def _misses(t: Translator, result: HeadcountResult, judged: Judged) -> str:
    """What falls short, in words: where, the target, and the bound that misses it."""
    targets = {str(target): target for target in result.targets}
    names = Names(result.judge.baseline, t.lang)
    words = []
    for row in judged.check[~judged.check["met"]].itertuples():
        target = targets[row.target]
        where = t.gettext("the whole centre") if row.desk == CENTRE else names.desk(row.desk)
        words.append(t.fill(t.gettext("{where}: {target} (safe-side bound {bound})"),
                            where=where,
                            target=target_text(t, target.metric, target.at_least, target.value),
                            bound=metric_amount(t, target.metric, row.bound)))
    return "; ".join(words)


def verdict_lines(result: HeadcountResult, lang: str = "en") -> list[str]:
    """Whether the roster meets every target, on the search's and on fresh replications, and
    by how much it misses where it does not."""
    t = translator(lang)
    lines = [t.fill(t.gettext("{rounds} rounds of simulation, {replications} replications "
                              "each (seed {seed}); {switches} switches between roles; "
                              "overtime {overtime:.1f} staff-hours"),
                    rounds=result.rounds, replications=result.replications, seed=str(result.seed),
                    switches=result.roster.switches(), overtime=result.confirmation.overtime)]
    for judged, words in ((result.judged, N_("on the search's replications")),
                          (result.confirmation, N_("on fresh replications (seed {seed})"))):
        where = t.fill(t.gettext(words), seed=str(result.confirmation_seed))
        if judged.met:
            lines.append(t.fill(t.gettext("every target met {where}"), where=where))
        else:
            lines.append(t.fill(t.gettext("NOT every target met {where}: {misses}"),
                                where=where, misses=_misses(t, result, judged)))
    if result.written is not None:
        lines.append(t.fill(t.gettext("option {option} written to {path}"),
                            option=result.option, path=str(result.written)))
    return lines


def comparison_view(result: HeadcountResult, lang: str = "en") -> Group:
    """The roster beside the scenario as written, on the fresh replications: the comparison
    and the recommendation of `sim compare`."""
    t = translator(lang)
    results = result.results
    table, recommendation = judge(results.scenarios, results.summary, results.replications)
    record = recommendation.record()
    costs = {o["option"]: o["cost_staff_hours"] for o in record["options"]}
    return Group(Text(t.gettext("The roster against the scenario as written"), style="bold"),
                 comparison_table_view(table, costs, lang),
                 Text(recommendation_sentence(recommendation, lang)))


def headcount_report(result: HeadcountResult, lang: str = "en") -> Group:
    """Everything `sim staff --headcount` prints."""
    return Group(roster_table(result, lang), *(Text(line) for line in verdict_lines(result, lang)),
                 comparison_view(result, lang))
