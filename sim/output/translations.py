"""Every word a reader sees, in their language: the gettext catalogues and Babel's numbers.

The words live in ``sim/output/locale/<lang>/LC_MESSAGES/sim.po`` (one catalogue per language,
``sim.pot`` their template), edited with any PO editor, never in Python. A catalogue is read with
Babel and compiled in memory when first used, so there is no ``.mo`` file that could go stale.

The msgids are the English texts, not keys: a translator sees the English sentence in the PO
editor next to the box for their own, the standard gettext tools (``pybabel update``, Poedit,
Weblate) work as they are meant to, and a changed English text is marked fuzzy in every
language. The English catalogue repeats them, so that the English wording can be edited without
Python too. ``msgctxt`` tells apart the same English word that needs different words elsewhere
(a scenario value such as ``fifo`` is translated in the context of its field). Placeholders are
``{name}``; the code fills them with numbers already written the reader's way (Babel: ``5.156``,
``9,2`` and ``97,3%`` in Vietnamese), so a translator never sees a format code.

>>> vi = translator("vi")
>>> vi.gettext("Recommendation"), vi.number(5156), vi.number(9.24, 1), vi.percent(0.973, 1)
('Khuyến nghị', '5.156', '9,2', '97,3%')
>>> translator("en").ngettext("{count} staff", "{count} staff", 1).format(count=1)
'1 staff'
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
import string
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from sim.scenario.marks import N_ as N_  # re-exported: the output layer marks with them too
from sim.scenario.marks import NP_ as NP_

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "sim"
LANGUAGES = ("vi", "en")  # the catalogues under LOCALE_DIR; Vietnamese is the default
VIETNAMESE_DATE = "d 'tháng' M 'năm' y"  # 1 tháng 7 năm 2025
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7))  # Indochina Time, no daylight saving
MISSING = "–"  # where a statistic has no value (nobody came; one replication: no interval)


def catalogue_path(lang: str) -> Path:
    """Where the catalogue of a language lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    """A PO (or POT) file as a Babel catalogue."""
    with path.open("rb") as handle:
        return read_po(handle)


class Translator:
    """The words and numbers of one language: gettext's functions and Babel's formats."""

    def __init__(self, lang: str, translations: Translations) -> None:
        self.lang = lang
        self.translations = translations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: float) -> str:
        """The form for ``count``; a fraction takes the form of a count other than one."""
        whole = int(count) if float(count).is_integer() else 2
        return self.translations.ngettext(singular, plural, whole)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def fill(self, message: str, **fields: object) -> str:
        """A message's placeholders filled, numbers written the language's way even where the
        placeholder carries a Python format code (``{count:,}``, ``{share:.0%}``).

        >>> translator("vi").fill("{rows:,} rows, {share:.1%}, {mean:.2f}", rows=4472,
        ...                       share=0.973, mean=9.246)
        '4.472 rows, 97,3%, 9,25'
        """
        return _NumberFormatter(self).format(message, **fields)

    def number(self, value: float | None, decimals: int = 0) -> str:
        """A number with a fixed count of decimals and the language's grouping."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return self._format(value, lambda v: format_decimal(round(v, decimals) + 0.0, pattern,
                                                            locale=self.lang))

    def date(self, day: dt.date) -> str:
        """A date the language's way, its month in words: ``July 1, 2025`` (Babel's long
        format); in Vietnamese ``1 tháng 7 năm 2025``, as documents write it and as the month
        reads alone (``tháng 7 năm 2025``), rather than CLDR's ``1 tháng 7, 2025``."""
        pattern = VIETNAMESE_DATE if self.lang == "vi" else "long"
        return format_date(day, pattern, locale=self.lang)

    def month(self, day: dt.date) -> str:
        """A month and its year the language's way (CLDR's ``yMMMM``: ``tháng 7 năm 2025``,
        ``July 2025``)."""
        return format_skeleton("yMMMM", day, locale=self.lang)

    def moment(self, when: dt.datetime) -> str:
        """A moment as the centres' clocks show it, whatever the machine's zone: its date the
        language's way and the time in Vietnam (``3 tháng 12, 2026, 17:10 (giờ Việt Nam)``)."""
        local = when.astimezone(VIETNAM_TIME)
        return self.gettext("{date}, {time} (Vietnam time)").format(
            date=self.date(local.date()), time=local.strftime("%H:%M"))

    def general(self, value: float | None) -> str:
        """A number as written, without trailing zeros (15, 7,5; like Python's ``:g``)."""
        return self._format(value, lambda v: format_decimal(v, "#,##0.#########",
                                                            locale=self.lang))

    def significant(self, value: float | None, signed: bool = False) -> str:
        """Up to three significant digits (``12,3``, ``0,0123``), with a sign when asked."""
        pattern = "+@##;-@##" if signed else "@##"
        if value == 0:  # Babel writes zero with significant digits as "0.0"; zero has no sign
            return "0"
        return self._format(value, lambda v: format_decimal(v, pattern, locale=self.lang))

    def signed(self, value: float | None) -> str:
        """A whole number with its sign: ``+12``, ``-3``; zero without one: ``0``."""
        if value is not None and round(value) == 0:
            return "0"
        return self._format(value, lambda v: format_decimal(v, "+#,##0;-#,##0",
                                                            locale=self.lang))

    def percent(self, value: float | None, decimals: int | None = 0,
                signed: bool = False) -> str:
        """A share as a percentage with a fixed count of decimals (None: up to two, as
        needed: a target of 0.85 is ``85%``, of 0.955 ``95.5%``), with a sign when asked."""
        places = "##" if decimals is None else "0" * decimals
        pattern = "#,##0" + ("." + places if places else "") + "%"
        if signed:
            pattern = f"+{pattern};-{pattern}"
        digits = 2 + (2 if decimals is None else decimals)
        if signed and value is not None and round(value, digits) == 0:
            pattern = pattern.split(";")[0].lstrip("+")
        return self._format(value, lambda v: format_percent(round(v, digits) + 0.0, pattern,
                                                            locale=self.lang))

    @staticmethod
    def _format(value: float | None, write: Callable[[float], str]) -> str:
        if value is None or not math.isfinite(value):
            return MISSING
        return write(value)


class _NumberFormatter(string.Formatter):
    """Python's format codes of numbers, written by Babel in the translator's language."""

    def __init__(self, words: Translator) -> None:
        self.words = words

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return super().format_field(value, format_spec)
        number = float(value)
        spec = format_spec.lstrip(",")
        if spec.endswith("%") and spec[:1] == ".":
            return self.words.percent(number, int(spec[1:-1]))
        if spec.endswith("f") and spec[:1] == ".":
            return self.words.number(number, int(spec[1:-1]))
        if spec.endswith("g") and spec[:1] == ".":
            digits = int(spec[1:-1])
            return format_decimal(number, "@" + "#" * (digits - 1), locale=self.words.lang)
        if spec in ("", "g", "d"):
            return (self.words.number(number) if float(number).is_integer()
                    else self.words.general(number))
        return super().format_field(value, format_spec)


@cache
def translator(lang: str) -> Translator:
    """The translator of a language of LANGUAGES, its catalogue compiled on first use."""
    if lang not in LANGUAGES:
        raise ValueError(f"no labels for language {lang!r}; known: " + ", ".join(LANGUAGES))
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(catalogue_path(lang)))
    compiled.seek(0)
    return Translator(lang, Translations(fp=compiled, domain=DOMAIN))
