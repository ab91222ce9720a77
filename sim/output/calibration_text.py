"""The words of the calibration and backtest pages and figures: Vietnamese first, English
beside. Each is an English message of the gettext catalogues (sim/output/locale, as every word
a reader sees), looked up in both languages at once, since these pages show both.

Placeholders in braces are filled in by the page and the figures after translation. Words,
not ids: procedures are shown by the names citizens know.
"""

from __future__ import annotations

from sim.output.translations import N_, NP_, translator

BOTH = ("vi", "en")  # the page's languages, in the order it shows them

WORDS: dict[str, str] = {
    "title": N_("Calibration from the centre's own records"),
    "sources": N_("Records used"),
    "period": N_("Period"),
    "tickets_file": N_("Queue-ticket log"),
    "dossiers_file": N_("One-door dossier export"),
    "mapping_file": N_("Column mapping file"),
    "rows": N_("{read:,} rows read, {used:,} tickets used over {days} working days"),
    "skipped": N_("Rows left out (--skip-bad)"),
    "none_skipped": N_("No row was left out."),
    "file": N_("File"),
    "reason": N_("Reason"),
    "findings": N_("Main findings"),
    "arrivals": N_("Arrivals"),
    "per_day": N_("Visitors on an ordinary working day (first trips)"),
    "weekday": N_("Weekday"),
    "days": N_("Days"),
    "mean_per_day": N_("Mean per day"),
    "factor": N_("Factor"),
    "interval": N_("95% interval"),
    "weekdays_differ": N_("Visitor numbers differ between weekdays (p = {p:.2g})."),
    "weekdays_same": N_("Weekdays do not differ (p = {p:.2g}); no weekday factor is written."),
    "poisson": N_("Tests of the Poisson assumption"),
    "test": N_("Test"),
    "statistic": N_("Statistic"),
    "p_value": N_("p-value"),
    "verdict": N_("Verdict"),
    "cu_test": N_("Uniform positions within {block:g}-minute blocks (KS)"),
    "lewis_test": N_("Spacings between arrivals (Lewis, KS)"),
    "dispersion_test": N_("Dispersion across days (dispersion index)"),
    "rejects": N_("rejects Poisson"),
    "fits": N_("consistent with Poisson"),
    "poisson_ok": N_(
        "Within days, arrivals are consistent with the non-homogeneous Poisson "
        "process the model assumes."),
    "poisson_rejected": N_(
        "The data reject Poisson arrivals within days: people come in groups, "
        "by appointment, or faster-changing than the half-hour profile; treat "
        "simulated waits with care."),
    "overdispersed": N_(
        "Daily numbers vary more than Poisson allows (variance/mean "
        "{ratio:.2f}); the interval of per_day is widened to their real spread."),
    "not_overdispersed": N_("Daily numbers vary as Poisson allows (variance/mean {ratio:.2f})."),
    "service": N_("Minutes at the counter"),
    "procedure": N_("Procedure"),
    "desk": N_("Desk"),
    "n": N_("Sample"),
    "distribution": N_("Distribution"),
    "mean_minutes": N_("Mean (minutes)"),
    "cv": N_("cv"),
    "ad_p": N_("Anderson-Darling p"),
    "pooled": N_("few records ({n}): the {desk} desk's pooled fit"),
    "implausible": N_(
        "{count:,} implausible durations (under 5 seconds or over 8 hours) left"
        " out."),
    "gof_rejects": N_(
        "The chosen distribution of {names} departs from the data (p < 0.05); "
        "see the Q-Q figure."),
    "patience": N_("Patience"),
    "patience_line": N_(
        "{absent:,} absent when called, {answered:,} answered; {dist}, mean "
        "{mean:.1f} minutes, 95% interval {low:.1f} to {high}."),
    "no_upper": N_("no upper bound"),
    "patience_weeks": N_(
        "About {weeks} weeks of records would narrow the interval to ±20% of "
        "the mean (now {now:.1f} weeks)."),
    "patience_unbounded": N_(
        "Too few gave up: the data do not bound the mean; many more weeks of "
        "records are needed."),
    "patience_none": N_(
        "Nobody was absent when called: patience cannot be estimated (no "
        "patience is written)."),
    "counters": N_("Open counters by time of day"),
    "sessions": N_("Opening hours inferred"),
    "schedule": N_("Open counters (median day)"),
    "seen": N_("Counters seen"),
    "shares": N_("Procedure mix and priority classes"),
    "share": N_("Share"),
    "incomplete": N_("Missing a paper"),
    "priority_class": N_("Class"),
    "normal": N_("Normal"),
    "priority": N_("Priority"),
    "elderly": N_("Elderly"),
    "dossiers": N_("Dossiers and the back office"),
    "received": N_("Received"),
    "deadline": N_("Deadline (working days)"),
    "online": N_("Share filed without a visit"),
    "processing": N_("Processing: median / 90th pct (days)"),
    "on_time": N_("On time"),
    "backlog": N_("Open at {date}"),
    "hours_line": N_(
        "With {staff} staff × {hours:g} hours a day, a dossier takes at most "
        "about {per:.2f} staff-hours ({finished:,} dossiers finished in {days} "
        "working days) — an estimate, not a measurement."),
    "no_staff": N_(
        "No staff count given (--back-office-staff): the back office is not "
        "written into the scenario."),
    "figures": N_("Figures"),
    "provenance": N_("Provenance"),
    "provenance_line": N_("Made by sim calibrate ({versions}), {date}."),
    "fig.profile": N_("Arrivals by half-hour"),
    "fig.profile.y": N_("Visitors per hour"),
    "fig.profile.x": N_("Time the ticket was printed"),
    "fig.profile.observed": N_("observed, 95% interval"),
    "fig.daily": N_("Visitors per day"),
    "fig.daily.y": N_("First trips that day"),
    "fig.daily.band": N_("90% under Poisson, weekday means"),
    "fig.qq": N_("Minutes at the counter (Q-Q)"),
    "fig.qq.x": N_("Fitted quantile (minutes)"),
    "fig.qq.y": N_("Observed quantile (minutes)"),
    "fig.patience": N_("Patience: share still waiting"),
    "fig.patience.x": N_("Minutes waited"),
    "fig.patience.y": N_("Share still willing to wait"),
    "fig.patience.npmle": N_("nonparametric (Kaplan-Meier type)"),
    "fig.patience.fit": N_("fitted distribution"),
    "fig.counters": N_("Open counters by half-hour"),
    "fig.counters.y": N_("Open counters"),
    "fig.counters.band": N_("fewest to most over the days"),
    "fig.counters.median": N_("median day"),
    "fig.backtest": N_("Observed against simulated"),
    "fig.backtest.observed": N_("observed"),
    "fig.backtest.band": N_("simulated, {level:.0%} interval"),
    "fig.backtest.mean": N_("simulated mean"),
    "fig.backtest.slots": N_("By half-hour of arrival, pooled"),
    "metric.visits": N_("Visits"),
    "metric.wait_mean": N_("Mean wait (min)"),
    "metric.wait_p90": N_("90th-percentile wait (min)"),
    "metric.wait_max": N_("Longest wait (min)"),
    "metric.abandoned_share": N_("Share not served"),
    "metric.served_per_counter": N_("Served per counter"),
    "metric.dossiers_completed": N_("Dossiers finished"),
    "metric.slot_visits": N_("Visits per day"),
    "metric.slot_wait_mean": N_("Mean wait (min)"),
}

# Why a row of an export was left out (`--skip-bad`): the reasons the record checks give
# (sim/calibrate/tickets.py, dossiers.py), in words.
REASONS: dict[str, str] = {reason: reason for reason in (
    N_("missing created_at"), N_("missing NgayTiepNhan"), N_("unparseable time"),
    N_("unknown status"), N_("unknown completion reason"), N_("unknown procedure code"),
    N_("unknown priority"), N_("unknown counter code"), N_("unknown channel"),
    N_("called before created"), N_("served before called"), N_("completed before served"),
    N_("called ticket without a call time"), N_("served ticket without service times"),
    N_("expired ticket with a call time"), N_("absent ticket without a call time"),
    N_("promised before received"), N_("finished before received"),
    N_("returned before finished"),
)}


def reason_words(reason: str) -> dict[str, str]:
    """Why rows were left out, in both languages (as given, for a reason not listed here)."""
    if reason not in REASONS:
        return {lang: reason for lang in BOTH}
    return {lang: translator(lang).gettext(REASONS[reason]) for lang in BOTH}


# Scenario values shown by name: each in the context of its field, as the catalogues hold them.
VALUES: dict[str, dict[str, str]] = {
    "dist": {"exponential": NP_("dist", "exponential"), "gamma": NP_("dist", "gamma"),
             "lognormal": NP_("dist", "lognormal")},
    "weekday": {"mon": NP_("weekday", "mon"), "tue": NP_("weekday", "tue"),
                "wed": NP_("weekday", "wed"), "thu": NP_("weekday", "thu"),
                "fri": NP_("weekday", "fri"), "sat": NP_("weekday", "sat"),
                "sun": NP_("weekday", "sun")},
}


def value_words(field: str, value: str) -> dict[str, str]:
    """A scenario value (a distribution, a weekday) in words, in both languages."""
    message = VALUES[field].get(value)
    if message is None:
        return {lang: value for lang in BOTH}
    return {lang: translator(lang).pgettext(field, message) for lang in BOTH}


def words(key: str, **fields: object) -> dict[str, str]:
    """The Vietnamese and English of one entry, placeholders filled."""
    return {lang: translator(lang).fill(translator(lang).gettext(WORDS[key]), **fields)
            for lang in BOTH}


def both(key: str, **fields: object) -> str:
    """Vietnamese, then English, in one line (for figures)."""
    pair = words(key, **fields)
    return f"{pair['vi']} / {pair['en']}"
