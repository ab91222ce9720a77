"""The recommendation in words: which option, why, and why each other option does not do, in
the reader's language with the options' own names; and recommendation.json, which keeps the
decision's facts with these words in every language (``sentence`` in English,
``sentence_<lang>`` in the others) for those who read that file.

>>> from sim.analysis.targets import Target
>>> from sim.decide.recommendation import Assessment, Recommendation, Shortfall
>>> target = Target("on_time_share", ">=", 0.9)
>>> rec = Recommendation("one_more", (target,), (
...     Assessment("baseline", 1058.0, (Shortfall(target, "no", 0.16, 0.14, 0.18, 0.74),)),
...     Assessment("one_more", 1234.5, ())), extra_staff_hours=176.5)
>>> lead, why_not = recommendation_lines(rec, "en")
>>> lead[:60]
'Recommended: one_more. It is the cheapest option that meets '
>>> lead[-63:]
'it needs 1,234 staff-hours, 176 more than the current staffing.'
>>> why_not
'baseline: Dossiers done on time is 16.0% (between 14.0% and 18.0%), against the target of \
at least 90%.'
"""

from __future__ import annotations

from sim.analysis.targets import NO
from sim.decide.recommendation import Assessment, Recommendation, Shortfall
from sim.experiment.precision import PrecisionOutcome
from sim.output.metric_text import metric_amount, metric_name, metric_title, target_bound
from sim.output.names import Names, quoted_list
from sim.output.translations import LANGUAGES, Translator, translator
from sim.scenario.schema import Scenario


def sentence_key(lang: str) -> str:
    """The key of a language's sentence in recommendation.json."""
    return "sentence" if lang == "en" else f"sentence_{lang}"


def stored_sentence(record: dict, lang: str) -> str:
    """The sentence of a recommendation.json in a language (English if it has none)."""
    return record.get(sentence_key(lang)) or record["sentence"]


def _option_name(names: Names | None, option: str) -> str:
    """An option's name on a page; its id only where there is no scenario (the API's facts)."""
    return option if names is None else names.option(option)


def recommendation_lines(recommendation: Recommendation, lang: str,
                         scenario: Scenario | None = None) -> list[str]:
    """The decision first, then one sentence for each other option saying why not."""
    t = translator(lang)
    names = None if scenario is None else Names(scenario, lang)
    chosen = recommendation.assessment(recommendation.recommended)
    closest = recommendation.assessment(recommendation.closest)
    if chosen is None and closest is None:
        return [t.gettext("The scenario sets no targets, so no option can be recommended; "
                          "compare the table.")]
    lead = chosen or closest
    first = (_recommended(t, names, recommendation, chosen) if chosen is not None
             else _closest(t, names, recommendation, closest))
    return [first, *(_why_not(t, names, assessment) for assessment in recommendation.options
                     if assessment is not lead)]


def recommendation_sentence(recommendation: Recommendation, lang: str,
                            scenario: Scenario | None = None) -> str:
    """The recommendation and its reasons as one paragraph."""
    return " ".join(recommendation_lines(recommendation, lang, scenario))


def _recommended(t: Translator, names: Names | None, recommendation: Recommendation,
                 chosen: Assessment) -> str:
    return t.gettext(
        "Recommended: {option}. It is the cheapest option that meets every target with "
        "{confidence} confidence; it needs {cost} staff-hours, {change}.").format(
        option=_option_name(names, chosen.option),
        confidence=t.percent(recommendation.confidence), cost=t.number(chosen.cost_staff_hours),
        change=_change(t, recommendation.extra_staff_hours or 0.0))


def _change(t: Translator, extra: float) -> str:
    """Staff-hours against the current staffing, in words (never ``+0``)."""
    amount = round(abs(extra))
    if amount == 0:
        return t.gettext("as many as the current staffing")
    if extra > 0:
        return t.gettext("{amount} more than the current staffing").format(
            amount=t.number(amount))
    return t.gettext("{amount} fewer than the current staffing").format(amount=t.number(amount))


def _closest(t: Translator, names: Names | None, recommendation: Recommendation,
             closest: Assessment) -> str:
    sentence = t.gettext("No option meets every target with {confidence} confidence. The "
                         "closest is {option}: {reasons}.").format(
        confidence=t.percent(recommendation.confidence),
        option=_option_name(names, closest.option), reasons=_reasons(t, names, closest))
    others = [recommendation.assessment(option) for option in recommendation.as_near]
    if not others:
        return sentence
    fields = {"option": _option_name(names, closest.option),
              "others": quoted_list(t, [_option_name(names, a.option) for a in others]),
              "cost": t.number(closest.cost_staff_hours)}
    if all(a.cost_staff_hours > closest.cost_staff_hours for a in others):
        # "Of these": options further from the targets may well need fewer staff-hours.
        tie = t.ngettext("{others} is as near (neither is nearer on every target); of the "
                         "two, {option} is chosen because it needs fewer staff-hours ({cost}).",
                         "{others} are as near (none is nearer on every target); of these, "
                         "{option} is chosen because it needs the fewest staff-hours ({cost}).",
                         len(others))
    else:
        tie = t.ngettext("{others} is as near (neither is nearer on every target) and needs as "
                         "many staff-hours ({cost}); {option} comes first in the scenario.",
                         "{others} are as near (none is nearer on every target), and {option} "
                         "needs no more staff-hours than any of them ({cost}); it comes first "
                         "in the scenario.", len(others))
    return f"{sentence} {tie.format(**fields)}"


def _why_not(t: Translator, names: Names | None, assessment: Assessment) -> str:
    option = _option_name(names, assessment.option)
    if assessment.meets_all:
        return t.gettext("{option} also meets every target, but needs {cost} "
                         "staff-hours.").format(option=option,
                                                cost=t.number(assessment.cost_staff_hours))
    return t.gettext("{option}: {reasons}.").format(option=option,
                                                    reasons=_reasons(t, names, assessment))


def _reasons(t: Translator, names: Names | None, assessment: Assessment) -> str:
    """The targets the option misses; only where it misses none, those it is not shown to
    meet (the clearest reasons, so that a leader reads one or two, not every target)."""
    scenario = None if names is None else names.scenario
    missed = [f for f in assessment.failing if f.verdict == NO] or list(assessment.failing)
    return "; ".join(_shortfall(t, failing, scenario) for failing in missed)


def _shortfall(t: Translator, failing: Shortfall, scenario: Scenario | None) -> str:
    """One target not met, with the mean, its interval and the target, in words."""
    target = failing.target
    metric = target.metric
    fields = {"metric": metric_title(t, metric, scenario),
              "value": metric_amount(t, metric, failing.mean),
              "low": metric_amount(t, metric, failing.ci_low),
              "high": metric_amount(t, metric, failing.ci_high),
              "target": target_bound(t, metric, target.at_least, target.value)}
    if failing.verdict == NO:
        # TRANSLATORS: {low} and {high} bound the 95% confidence interval of {value}.
        return t.gettext("{metric} is {value} (between {low} and {high}), against the target "
                         "of {target}").format(**fields)
    return t.gettext("{metric} is {value} (between {low} and {high}), too close to the target "
                     "of {target} to be sure").format(**fields)


def precision_note(outcome: PrecisionOutcome, goal: float, lang: str,
                   scenario: Scenario | None = None) -> str:
    """What a precision goal that the cap stopped short of reached instead."""
    t = translator(lang)
    option, metric, relative = outcome.worst
    names = None if scenario is None else Names(scenario, lang)
    count = outcome.replications
    return t.ngettext(
        "Precision {goal} was not reached within {count} replication (widest: {metric} of "
        "{option}, ±{relative}).",
        "Precision {goal} was not reached within {count} replications (widest: {metric} of "
        "{option}, ±{relative}).", count).format(
        goal=t.general(goal), count=count, metric=metric_name(t, metric),
        option=_option_name(names, option), relative=t.percent(relative, 1))


def page_lines(recommendation: Recommendation, record: dict, lang: str,
               scenario: Scenario) -> list[str]:
    """The recommendation's lines on a page, written again from its facts in the page's
    language (so that any folder can be shown in any language), with the note of a precision
    goal not reached that its recommendation.json keeps."""
    lines = recommendation_lines(recommendation, lang, scenario)
    precision = record.get("precision")
    if precision and not precision["reached"] and precision.get("goal") is not None:
        widest = precision["widest"]
        outcome = PrecisionOutcome(False, (widest["option"], widest["metric"],
                                           widest["relative_half_width"]),
                                   int(record.get("replications", 0)))
        lines.append(precision_note(outcome, precision["goal"], lang, scenario))
    return lines


def recommendation_record(recommendation: Recommendation,
                          scenario: Scenario | None = None) -> dict:
    """recommendation.json: the facts, with the sentence in every language."""
    facts = recommendation.record()
    sentences = {sentence_key(lang): recommendation_sentence(recommendation, lang, scenario)
                 for lang in ("en", *(lang for lang in LANGUAGES if lang != "en"))}
    return {"recommended": facts.pop("recommended"), **sentences, **facts}


def comparison_record(recommendation: Recommendation, replications: int,
                      outcome: PrecisionOutcome | None, goal: float | None,
                      scenario: Scenario | None = None) -> dict:
    """recommendation.json of `sim compare`: the recommendation, the replications it rests on
    and, with a precision goal, whether it was reached (the sentences say so when not)."""
    record = recommendation_record(recommendation, scenario)
    record["replications"] = replications
    if outcome is not None:
        option, metric, relative = outcome.worst
        record["precision"] = {
            "goal": goal, "reached": outcome.reached,
            "widest": {"option": option, "metric": metric, "relative_half_width": relative},
        }
        if not outcome.reached and goal is not None:
            for lang in LANGUAGES:
                record[sentence_key(lang)] += " " + precision_note(outcome, goal, lang,
                                                                   scenario)
    return record
