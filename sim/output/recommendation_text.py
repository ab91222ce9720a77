"""The recommendation in words: the sentence a leader reads, in each language, and
recommendation.json, which keeps the decision's facts with the sentence in every language
(``sentence`` in English, ``sentence_<lang>`` in the others) for those who read that file.

>>> from sim.analysis.targets import Target
>>> from sim.decide.recommendation import Assessment, Recommendation
>>> rec = Recommendation("one_more", (Target("wait_p90", "<=", 30),),
...                      (Assessment("one_more", 1234.5, ()),), extra_staff_hours=176.0)
>>> recommendation_sentence(rec, "vi")  # doctest: +NORMALIZE_WHITESPACE
'Khuyến nghị: one_more, phương án ít tốn kém nhất đạt mọi chỉ tiêu với độ tin cậy 95%
(1.234 giờ công, +176 giờ công so với phương án gốc).'
"""

from __future__ import annotations

from sim.analysis.targets import NO
from sim.decide.recommendation import Assessment, Recommendation, Shortfall
from sim.experiment.precision import PrecisionOutcome
from sim.output.metric_text import metric_amount, metric_name, target_text
from sim.output.translations import LANGUAGES, Translator, translator


def sentence_key(lang: str) -> str:
    """The key of a language's sentence in recommendation.json."""
    return "sentence" if lang == "en" else f"sentence_{lang}"


def stored_sentence(record: dict, lang: str) -> str:
    """The sentence of a recommendation.json in a language (English if it has none)."""
    return record.get(sentence_key(lang)) or record["sentence"]


def recommendation_sentence(recommendation: Recommendation, lang: str) -> str:
    """The recommendation in one sentence in the language."""
    t = translator(lang)
    confidence = t.percent(recommendation.confidence)
    chosen = recommendation.assessment(recommendation.recommended)
    if chosen is not None:
        # TRANSLATORS: {extra} has its sign (+176, -12); {confidence} is a percentage (95%).
        return t.gettext(
            "Recommended: {option}, the cheapest option that meets every target with "
            "{confidence} confidence ({cost} staff-hours, {extra} staff-hours against the "
            "baseline).").format(option=chosen.option, confidence=confidence,
                                 cost=t.number(chosen.cost_staff_hours),
                                 extra=t.signed(recommendation.extra_staff_hours))
    closest = recommendation.assessment(recommendation.closest)
    if closest is None:
        return t.gettext("The scenario sets no targets, so no option can be recommended; "
                         "compare the table.")
    # TRANSLATORS: {shortfalls} is a list of "misses ..." / "is not shown to meet ..." parts,
    # separated by semicolons.
    return t.gettext("No option meets every target with {confidence} confidence; the "
                     "closest, {option}, {shortfalls}.").format(
        confidence=confidence, option=closest.option,
        shortfalls=_shortfalls(t, closest, confidence))


def _shortfalls(t: Translator, closest: Assessment, confidence: str) -> str:
    return "; ".join(_shortfall(t, failing, confidence) for failing in closest.failing)


def _shortfall(t: Translator, failing: Shortfall, confidence: str) -> str:
    """One target the closest option fails, with the mean and its interval."""
    target = failing.target
    metric = target.metric
    interval = t.gettext("mean {mean}, {confidence} CI {low} to {high}").format(
        mean=metric_amount(t, metric, failing.mean), confidence=confidence,
        low=metric_amount(t, metric, failing.ci_low),
        high=metric_amount(t, metric, failing.ci_high))
    words = target_text(t, metric, target.at_least, target.value)
    if failing.verdict == NO:
        return t.gettext("misses {target} by {amount} ({interval})").format(
            target=words, amount=metric_amount(t, metric, failing.short_by), interval=interval)
    return t.gettext("is not shown to meet {target} with {confidence} confidence "
                     "({interval})").format(target=words, confidence=confidence,
                                            interval=interval)


def precision_note(outcome: PrecisionOutcome, goal: float, lang: str) -> str:
    """What a precision goal that the cap stopped short of reached instead."""
    t = translator(lang)
    option, metric, relative = outcome.worst
    count = outcome.replications
    return t.ngettext(
        "Precision {goal} was not reached within {count} replication (widest: {metric} of "
        "{option}, ±{relative}).",
        "Precision {goal} was not reached within {count} replications (widest: {metric} of "
        "{option}, ±{relative}).", count).format(
        goal=t.general(goal), count=count, metric=metric_name(t, metric), option=option,
        relative=t.percent(relative, 1))


def recommendation_record(recommendation: Recommendation) -> dict:
    """recommendation.json: the facts, with the sentence in every language."""
    facts = recommendation.record()
    sentences = {sentence_key(lang): recommendation_sentence(recommendation, lang)
                 for lang in ("en", *(lang for lang in LANGUAGES if lang != "en"))}
    return {"recommended": facts.pop("recommended"), **sentences, **facts}


def comparison_record(recommendation: Recommendation, replications: int,
                      outcome: PrecisionOutcome | None, goal: float | None) -> dict:
    """recommendation.json of `sim compare`: the recommendation, the replications it rests on
    and, with a precision goal, whether it was reached (the sentences say so when not)."""
    record = recommendation_record(recommendation)
    record["replications"] = replications
    if outcome is not None:
        option, metric, relative = outcome.worst
        record["precision"] = {
            "goal": goal, "reached": outcome.reached,
            "widest": {"option": option, "metric": metric, "relative_half_width": relative},
        }
        if not outcome.reached and goal is not None:
            for lang in LANGUAGES:
                record[sentence_key(lang)] += " " + precision_note(outcome, goal, lang)
    return record
