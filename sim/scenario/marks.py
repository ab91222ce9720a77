"""Markers for messages that are translated where they are shown, not where they are written:
the catalogues' extractor finds them by name, and they return the English text unchanged. They
live at the bottom layer so that any layer can mark its messages; `sim.output.translations`
translates them."""

from __future__ import annotations


def N_(message: str) -> str:  # the gettext convention for "translate later"
    """Mark an English text for the catalogues where it is kept in a table and translated later
    (the extractor finds it; the text itself is returned unchanged)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark an English text and its context for the catalogues, to be translated later with
    `Translator.pgettext`."""
    return message
