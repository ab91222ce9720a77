"""The HTML pages' templates and their writing, in one place.

Every value a template shows is escaped: scenario, centre and option names come from planners'
files and are data, never markup (a name with `<script>` must show as text, not run).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, Template

from sim.scenario.atomic import write_text_atomically

# autoescape=True, not select_autoescape(): our templates are named *.html.j2, which the
# extension rule would leave unescaped.
_ENVIRONMENT = Environment(loader=PackageLoader("sim.output", "templates"), autoescape=True)


def page_template(name: str) -> Template:
    """A template of sim/output/templates, with every value escaped."""
    return _ENVIRONMENT.get_template(name)


def language_page(folder: Path, lang: str) -> Path:
    """The page `sim report --lang` writes beside the run's own report.html."""
    return folder / f"report.{lang}.html"


def write_page(html: str, path: Path) -> Path:
    """Write a page whole or not at all (a hidden sibling renamed into place)."""
    write_text_atomically(path, html)
    return path
