"""What a page calls the things a planner named with an id: options, procedures, desks and
sites, in the reader's language. A scenario's own labels come first (``labels:`` for options,
``label:`` on a procedure, desk or site); without one a procedure is called by its ``name``, a
desk by the procedures it serves ("Desk for Chứng thực, Đất đai"), and the others by a
numbered word of the catalogue ("Option 2", "Desk 3"), never by the raw id.

>>> from sim.scenario.load import load_scenario
>>> from sim.scenario.bundled import BUNDLED_SCENARIOS
>>> names = Names(load_scenario(BUNDLED_SCENARIOS / "demo.yaml").baseline, "vi")
>>> names.option("baseline"), names.option("longer_sessions"), names.desk("land")
('Giữ nguyên như hiện nay', 'Kéo dài giờ làm việc', 'Quầy đất đai')
"""

from __future__ import annotations

from sim.output.translations import Translator, translator
from sim.scenario.labels import Label
from sim.scenario.load import BASELINE
from sim.scenario.schema import Scenario

SHOWN_PROCEDURES = 2  # a desk is named by the procedures it serves: the first two, then "…"


def titled(name: str, label: Label | None, lang: str) -> str:
    """A scenario's or province file's name on a page: its label in the language, or the name
    the file gives."""
    return label.text(lang) if label is not None else name


def named_like(option: Scenario, baseline: Scenario) -> Scenario:
    """An option's scenario with the baseline's options and their labels: its own desks (one
    it adds) are named from it, the options as the baseline names and numbers them."""
    return option.model_copy(update={"labels": baseline.labels, "options": baseline.options})


def quoted_list(t: Translator, names: list[str]) -> str:
    """Names joined for a sentence, each quoted as the language quotes a name in running text
    (Vietnamese in «»; English plain)."""
    return ", ".join(t.pgettext("an option's name in a list", "{name}").format(name=name)
                     for name in names)


def option_name(scenario: Scenario | None, lang: str, option: str) -> str:
    """An option's name given its scenario; without one, the baseline's word or the id (the
    only name a table without its scenario knows)."""
    if scenario is not None:
        return Names(scenario, lang).option(option)
    return translator(lang).gettext("Current staffing") if option == BASELINE else option


class Names:
    """The names of one scenario's options, procedures, desks and sites in one language."""

    def __init__(self, scenario: Scenario, lang: str) -> None:
        self.scenario = scenario
        self.t: Translator = translator(lang)
        self.options = [BASELINE, *(o for o in scenario.options if o != BASELINE)]
        self.desks = scenario.desk_names()

    def _own(self, label: Label | None) -> str | None:
        return None if label is None else label.text(self.t.lang)

    def title(self) -> str:
        """The scenario's name: its label, or the name the file gives."""
        return titled(self.scenario.name, self.scenario.label, self.t.lang)

    def option(self, option: str) -> str:
        """An option's name: its label, or "the current staffing" / "Option N"."""
        own = self._own(self.scenario.labels.get(option))
        if own is not None:
            return own
        if option == BASELINE:
            return self.t.gettext("Current staffing")
        number = self.options.index(option) if option in self.options else len(self.options)
        return self.t.gettext("Option {number}").format(number=number)

    def procedure(self, procedure: str) -> str:
        """A procedure's name: its label, or the name citizens know it by."""
        found = next((p for p in self.scenario.procedures if p.id == procedure), None)
        if found is None:
            return procedure
        return self._own(found.label) or found.name

    def desk(self, desk: str) -> str:
        """A desk's name (``site.desk`` with sites): its label, else the procedures it serves,
        else (it only serves other desks' queues) "Desk N"."""
        site, _, name = desk.rpartition(".")
        by_site = self.scenario.site_desks()
        for desks in ([by_site[site]] if site in by_site else by_site.values()):
            if name in desks and desks[name].label is not None:
                own = self._own(desks[name].label)
                return self.site(site) + " – " + own if site else own
        served = self.desk_procedures(name)
        if served:
            text = self.t.gettext("Desk for {procedures}").format(procedures=served)
        else:
            number = self.desks.index(name) + 1 if name in self.desks else len(self.desks) + 1
            text = self.t.gettext("Desk {number}").format(number=number)
        return self.site(site) + " – " + text if site else text

    def desk_procedures(self, desk: str) -> str:
        """The names of the procedures served at a desk (by its name, without the site): the
        first SHOWN_PROCEDURES, then "…"; "" when none is."""
        served = [p.id for p in self.scenario.procedures if p.desk == desk]
        more = "…" if len(served) > SHOWN_PROCEDURES else ""
        return ", ".join(self.procedure(p) for p in served[:SHOWN_PROCEDURES]) + more

    def site(self, site: str) -> str:
        """A site's name: its label, or "Site N"."""
        sites = list(self.scenario.sites or {})
        if site in sites and self.scenario.sites[site].label is not None:
            return self._own(self.scenario.sites[site].label) or site
        number = sites.index(site) + 1 if site in sites else len(sites) + 1
        return self.t.gettext("Site {number}").format(number=number)
