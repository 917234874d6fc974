"""House style for every ketensim figure, table and brief.

One place for: the colour of each design (fixed across all figures) and of each financier;
the texts of each design and lever (behind `design_label`, `design_description`,
`design_colour`, `lever_label`, `lever_description`; an unknown name is an error); the names
of financiers and outcomes (read from the catalogues, `experiments.report.texts`); the
matplotlib settings. Numbers are formatted in `experiments.report.numbers`.

Colours: designs use the Okabe-Ito palette, financiers Paul Tol's "muted" palette; both are
safe for the common forms of colour blindness, and the two sets do not overlap, so a design
colour never means a financier.
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import sim.params as _params
from experiments.report.texts import check_lang, has, t
from sim.designs import BURN_IN_DESIGN, design_entries, design_entry, design_names, lever_entries

Lang = str  # "nl" or "en"

BASELINE = BURN_IN_DESIGN  # today's practice
# the domain's names come from the model's schema (experiments may import sim, not the reverse)
DESIGNS: tuple[str, ...] = design_names()
FINANCIERS: tuple[str, ...] = _params.FINANCIERS
CATEGORIES: tuple[str, ...] = _params.CATEGORIES
ESCALATIONS: tuple[str, ...] = _params.ESCALATIONS

TOTAL_COST = "total_chain_cost_eur_per_inhabitant_per_year"
ESCALATIONS_TOTAL = "escalations_total_per_1000_inhabitants_per_year"
PER_INH = "_eur_per_inhabitant_per_year"


def financier_outcome(financier: str) -> str:
    """Outcome name of the cost paid by one financier."""
    return f"cost_by_financier__{financier}{PER_INH}"


def category_outcome(category: str) -> str:
    """Outcome name of the cost in one category (care, administration, prevention)."""
    return f"cost_by_category__{category}{PER_INH}"


def escalation_outcome(kind: str) -> str:
    """Outcome name of one kind of escalation."""
    return f"escalations__{kind}_per_1000_inhabitants_per_year"


# --- colours ---------------------------------------------------------------------------

# each design's own colour (Okabe-Ito) from its declaration (sim.designs.registry); variants
# take the spare ones
DESIGN_COLOURS: dict[str, str] = {e.name: e.colour for e in design_entries()}
_SPARE_DESIGN_COLOURS = tuple(
    c
    for c in ("#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442", "#E69F00", "#009E73")
    if c not in DESIGN_COLOURS.values()
)

# Paul Tol "muted".
FINANCIER_COLOURS: dict[str, str] = {
    "wmo": "#332288",
    "youth": "#88CCEE",
    "participation": "#44AA99",
    "welfare": "#117733",
    "zvw": "#999933",
    "wlz": "#DDCC77",
    "own_contribution": "#CC6677",
    "care_finding_places": "#882255",
}
INK = "#222222"
MUTED_INK = "#555555"
GRID = "#DDDDDD"


# Variants of an experiment (a design plus levers) shown in place of designs: name ->
# labels per language and colour, in the experiment's order. Set with `use_variants`.
_VARIANTS: dict[str, dict[str, str]] = {}


@contextlib.contextmanager
def use_variants(labels: dict[str, dict[str, str]]) -> Iterator[None]:
    """While active, figures and the brief name, colour and order variants as given.

    `labels` maps a variant name to {"nl": ..., "en": ...} in the order to show them (the
    baseline first). A variant named like a design keeps the design's colour; the others
    take the spare Okabe-Ito colours in order, then the colours of designs not shown.
    """
    # spare Okabe-Ito colours first: a design's own colour keeps meaning that design
    free = [c for c in (*_SPARE_DESIGN_COLOURS, *DESIGN_COLOURS.values())]
    taken = {DESIGN_COLOURS[v] for v in labels if v in DESIGN_COLOURS}
    free = [c for c in free if c not in taken]
    table = {}
    for name, names in labels.items():
        colour = DESIGN_COLOURS[name] if name in DESIGN_COLOURS else free.pop(0)
        table[name] = {**names, "colour": colour}
    saved = dict(_VARIANTS)
    _VARIANTS.clear()
    _VARIANTS.update(table)
    try:
        yield
    finally:
        _VARIANTS.clear()
        _VARIANTS.update(saved)


def design_colour(design: str) -> str:
    """Fixed colour of a design (or variant, see `use_variants`)."""
    if design in _VARIANTS:
        return _VARIANTS[design]["colour"]
    _design_entry(design)
    return DESIGN_COLOURS[design]


def financier_colour(financier: str) -> str:
    """Fixed colour of a financier."""
    return FINANCIER_COLOURS.get(financier, "#BBBBBB")


def order_designs(designs: Any) -> list[str]:
    """Designs in the house order (baseline first), unknown ones after, alphabetically;
    variants (see `use_variants`) in the experiment's order."""
    present = list(dict.fromkeys(designs))
    if _VARIANTS and all(d in _VARIANTS for d in present):
        return [v for v in _VARIANTS if v in present]
    known = [d for d in DESIGNS if d in present]
    return known + sorted(d for d in present if d not in DESIGNS)


# --- designs and levers ----------------------------------------------------------------
# The texts and colour of each design and lever come from their declarations
# (sim.designs.registry): read only through design_label, design_description, design_colour,
# lever_label and lever_description below.

# the levers that have texts: switches a variant turns on (their parameters have none)
NAMED_LEVERS: tuple[str, ...] = tuple(e.switch for e in lever_entries())


def _design_entry(design: str):
    try:
        return design_entry(design)
    except KeyError:
        raise ValueError(
            f"unknown design {design!r}: no label or description "
            f"(known: {', '.join(design_names())}; variants are named with use_variants)"
        ) from None


def design_label(design: str, lang: Lang = "nl") -> str:
    """Display name of a design (or of a variant, see `use_variants`)."""
    if design in _VARIANTS:
        return _VARIANTS[design].get(check_lang(lang), design)
    return _design_entry(design).label[check_lang(lang)]


def design_ref(design: str, lang: Lang = "nl") -> str:
    """A design's name quoted for running text: ‘Vroegsignalering’."""
    return f"‘{design_label(design, lang)}’"


def design_description(design: str, lang: Lang = "nl") -> str:
    """What a design does, in two or three sentences for the council."""
    return _design_entry(design).description[check_lang(lang)]


def _lever_entry(lever: str):
    entry = next((e for e in lever_entries() if lever in (e.name, e.switch)), None)
    if entry is None:
        raise ValueError(f"unknown lever {lever!r}: no texts (known: {', '.join(NAMED_LEVERS)})")
    return entry


def lever_label(lever: str, lang: Lang = "nl") -> str:
    """Short display name of a lever: `ketenzorg`."""
    return _lever_entry(lever).label[check_lang(lang)]


def lever_description(lever: str, lang: Lang = "nl") -> str:
    """What a lever does, in one clause for the brief's list of variants."""
    return _lever_entry(lever).description[check_lang(lang)]


# --- financiers and outcomes (texts in texts/<lang>.yaml) ---------------------------------

# outcome name suffix -> its unit's key in the catalogues (units.<key>)
_UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    (PER_INH, "eur_per_inhabitant_per_year"),
    ("_per_1000_inhabitants_per_year", "per_1000_inhabitants_per_year"),
    ("_per_1000_inhabitants", "per_1000_inhabitants"),
    ("_per_inhabitant_per_year", "per_inhabitant_per_year"),
)


def _named(group: str, key: str, lang: Lang, fallback: str) -> str:
    name = f"{group}.{key}"
    return t(name, lang) if has(name) else fallback


def financier_name(financier: str, lang: Lang = "nl") -> str:
    """Display name of a financier (compartment)."""
    check_lang(lang)
    return _named("financiers", financier, lang, financier.replace("_", " ").capitalize())


def escalation_name(kind: str, lang: Lang = "nl") -> str:
    """Display name of a kind of escalation (crisis)."""
    check_lang(lang)
    return _named("escalations", kind, lang, kind.replace("_", " "))


def outcome_label(outcome: str, lang: Lang = "nl") -> str:
    """Short display name of an outcome, without its unit."""
    check_lang(lang)
    if has(f"outcomes.{outcome}.label"):
        return t(f"outcomes.{outcome}.label", lang)
    m = re.match(r"cost_by_financier__(.+?)_eur_", outcome)
    if m:
        return financier_name(m.group(1), lang)
    m = re.match(r"cost_by_category__(.+?)_eur_", outcome)
    if m:
        return _named("categories", m.group(1), lang, m.group(1))
    m = re.match(r"escalations__(.+?)_per_1000", outcome)
    if m:
        return escalation_name(m.group(1), lang)
    m = re.match(r"users__(.+?)_per_1000", outcome)
    if m:
        return t("outcome_users", lang, who=m.group(1).replace("_", " "))
    stem = outcome
    for suffix, _ in _UNIT_SUFFIXES:
        stem = stem.removesuffix(suffix)
    return stem.replace("__", ": ").replace("_", " ").capitalize()


def outcome_unit(outcome: str, lang: Lang = "nl") -> str:
    """Display unit of an outcome."""
    check_lang(lang)
    if has(f"outcomes.{outcome}.unit"):
        return t(f"outcomes.{outcome}.unit", lang)
    for suffix, key in _UNIT_SUFFIXES:
        if outcome.endswith(suffix):
            return t(f"units.{key}", lang)
    return ""


# --- matplotlib ------------------------------------------------------------------------


def rc_params() -> dict[str, Any]:
    """Matplotlib settings of the house style (use with `matplotlib.rc_context`)."""
    return {
        "font.family": "DejaVu Sans",
        "font.size": 9.5,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 9,
        "axes.labelcolor": INK,
        "axes.edgecolor": "#888888",
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "grid.color": GRID,
        "grid.linewidth": 0.7,
        "xtick.color": MUTED_INK,
        "ytick.color": INK,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 9,
        "legend.frameon": False,
        "legend.fontsize": 8.5,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.dpi": 150,
        "svg.fonttype": "none",
        "axes.formatter.use_locale": False,
    }


def wrap(text: str, width_inches: float, fontsize: float) -> str:
    """Wrap text to fit a width in inches at a font size (rough character estimate)."""
    chars = max(20, int(width_inches * 72 / (fontsize * 0.55)))
    return "\n".join(textwrap.fill(par, chars) if par else "" for par in text.split("\n"))
