"""House style for every ketensim figure, table and brief.

One place for: the colour of each design (fixed across all figures), the colour of each
financier, the names of designs, financiers and outcomes in Dutch and English, and number
formatting (`€ 1.234,5` and `€ 1,5 mln` in Dutch, `€1,234.5` and `€1.5 million` in English).

Colours: designs use the Okabe-Ito palette, financiers Paul Tol's "muted" palette; both are
safe for the common forms of colour blindness, and the two sets do not overlap, so a design
colour never means a financier.
"""

from __future__ import annotations

import contextlib
import math
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import sim.params as _params
from sim.designs import design_names

Lang = str  # "nl" or "en"
LANGS = ("nl", "en")

BASELINE = "gatekeeping"
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

# Okabe-Ito. Baseline in blue, early signalling in bluish green, yes-is-cheaper in orange.
DESIGN_COLOURS: dict[str, str] = {
    "gatekeeping": "#0072B2",
    "early_signalling": "#009E73",
    "yes_is_cheaper": "#E69F00",
}
_SPARE_DESIGN_COLOURS = ("#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")

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
    """Fixed colour of a design (or variant); unknown designs get a stable spare colour."""
    if design in _VARIANTS:
        return _VARIANTS[design]["colour"]
    if design in DESIGN_COLOURS:
        return DESIGN_COLOURS[design]
    index = sum(ord(c) for c in design) % len(_SPARE_DESIGN_COLOURS)
    return _SPARE_DESIGN_COLOURS[index]


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


# --- names -----------------------------------------------------------------------------

DESIGN_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "gatekeeping": "Poortwachter (wijkteam)",
        "early_signalling": "Vroegsignalering",
        "yes_is_cheaper": "Ja zeggen is goedkoper",
    },
    "en": {
        "gatekeeping": "Gatekeeping (neighbourhood team)",
        "early_signalling": "Early signalling",
        "yes_is_cheaper": "Yes is cheaper",
    },
}

FINANCIER_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "wmo": "Wmo",
        "youth": "Jeugd",
        "participation": "Participatie",
        "welfare": "Welzijn",
        "zvw": "Zorgverzekering (Zvw)",
        "wlz": "Wlz",
        "own_contribution": "Eigen bijdrage",
        "care_finding_places": "Vindplaatsen",
    },
    "en": {
        "wmo": "Wmo (social support)",
        "youth": "Youth care",
        "participation": "Participation",
        "welfare": "Welfare",
        "zvw": "Health insurance (Zvw)",
        "wlz": "Long-term care (Wlz)",
        "own_contribution": "Own contribution",
        "care_finding_places": "Care-finding places",
    },
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "nl": {"care": "Zorg", "administration": "Administratie", "prevention": "Preventie en welzijn"},
    "en": {"care": "Care", "administration": "Administration", "prevention": "Prevention"},
}

ESCALATION_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "residential_youth": "Residentiële jeugdzorg",
        "nursing_home": "Opname verpleeghuis",
        "mental_health_crisis": "GGZ-crisis",
        "eviction": "Huisuitzetting",
        "problematic_debt": "Problematische schulden",
    },
    "en": {
        "residential_youth": "Residential youth care",
        "nursing_home": "Nursing home admission",
        "mental_health_crisis": "Mental health crisis",
        "eviction": "Eviction",
        "problematic_debt": "Problematic debt",
    },
}

# outcome name -> (label nl, unit nl, label en, unit en)
_OUTCOMES: dict[str, tuple[str, str, str, str]] = {
    TOTAL_COST: (
        "Totale ketenkosten",
        "€ per inwoner per jaar",
        "Total chain cost",
        "€ per inhabitant per year",
    ),
    "cost_municipality_eur_per_inhabitant_per_year": (
        "Uitgaven gemeente",
        "€ per inwoner per jaar",
        "Municipal spending",
        "€ per inhabitant per year",
    ),
    "informal_care_value_eur_per_inhabitant_per_year": (
        "Waarde van mantelzorg",
        "€ per inwoner per jaar",
        "Value of informal care",
        "€ per inhabitant per year",
    ),
    "wellbeing_index_0_100": ("Welzijn", "index 0–100", "Wellbeing", "index 0–100"),
    "unmet_need_person_weeks_per_1000_inhabitants_per_year": (
        "Onvervulde hulpvraag",
        "persoonsweken per 1.000 inwoners per jaar",
        "Unmet need",
        "person-weeks per 1,000 inhabitants per year",
    ),
    "weeks_from_onset_to_help_mean": (
        "Tijd van begin probleem tot hulp",
        "weken, gemiddeld",
        "Time from onset to help",
        "weeks, mean",
    ),
    ESCALATIONS_TOTAL: (
        "Escalaties (alle soorten)",
        "per 1.000 inwoners per jaar",
        "Escalations (all kinds)",
        "per 1,000 inhabitants per year",
    ),
    "carer_burnouts_per_1000_inhabitants_per_year": (
        "Uitgevallen mantelzorgers",
        "per 1.000 inwoners per jaar",
        "Carer burnouts",
        "per 1,000 inhabitants per year",
    ),
    "waiting_weeks_mean": ("Wachttijd", "weken, gemiddeld", "Waiting time", "weeks, mean"),
    "admin_hours_per_1000_inhabitants_per_year": (
        "Administratieve uren",
        "uren per 1.000 inwoners per jaar",
        "Administrative hours",
        "hours per 1,000 inhabitants per year",
    ),
    "informal_care_hours_per_inhabitant_per_year": (
        "Mantelzorg",
        "uren per inwoner per jaar",
        "Informal care",
        "hours per inhabitant per year",
    ),
    "formal_care_hours_per_inhabitant_per_year": (
        "Formele zorg",
        "uren per inwoner per jaar",
        "Formal care",
        "hours per inhabitant per year",
    ),
}

_UNIT_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    (PER_INH, "€ per inwoner per jaar", "€ per inhabitant per year"),
    (
        "_per_1000_inhabitants_per_year",
        "per 1.000 inwoners per jaar",
        "per 1,000 inhabitants per year",
    ),
    ("_per_1000_inhabitants", "per 1.000 inwoners", "per 1,000 inhabitants"),
    ("_per_inhabitant_per_year", "per inwoner per jaar", "per inhabitant per year"),
)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def design_name(design: str, lang: Lang = "nl") -> str:
    """Display name of a design (or of a variant, see `use_variants`)."""
    if design in _VARIANTS:
        return _VARIANTS[design].get(_check_lang(lang), design)
    return DESIGN_NAMES[_check_lang(lang)].get(design, design.replace("_", " ").capitalize())


def financier_name(financier: str, lang: Lang = "nl") -> str:
    """Display name of a financier (compartment)."""
    names = FINANCIER_NAMES[_check_lang(lang)]
    return names.get(financier, financier.replace("_", " ").capitalize())


def outcome_label(outcome: str, lang: Lang = "nl") -> str:
    """Short display name of an outcome, without its unit."""
    lang = _check_lang(lang)
    if outcome in _OUTCOMES:
        row = _OUTCOMES[outcome]
        return row[0] if lang == "nl" else row[2]
    m = re.match(r"cost_by_financier__(.+?)_eur_", outcome)
    if m:
        return financier_name(m.group(1), lang)
    m = re.match(r"cost_by_category__(.+?)_eur_", outcome)
    if m:
        return CATEGORY_NAMES[lang].get(m.group(1), m.group(1))
    m = re.match(r"escalations__(.+?)_per_1000", outcome)
    if m:
        return ESCALATION_NAMES[lang].get(m.group(1), m.group(1).replace("_", " "))
    m = re.match(r"users__(.+?)_per_1000", outcome)
    if m:
        who = m.group(1).replace("_", " ")
        return f"Cliënten {who}" if lang == "nl" else f"Clients {who}"
    stem = outcome
    for suffix, _, _ in _UNIT_SUFFIXES:
        stem = stem.removesuffix(suffix)
    return stem.replace("__", ": ").replace("_", " ").capitalize()


def outcome_unit(outcome: str, lang: Lang = "nl") -> str:
    """Display unit of an outcome."""
    lang = _check_lang(lang)
    if outcome in _OUTCOMES:
        row = _OUTCOMES[outcome]
        return row[1] if lang == "nl" else row[3]
    for suffix, nl, en in _UNIT_SUFFIXES:
        if outcome.endswith(suffix):
            return nl if lang == "nl" else en
    return ""


# --- numbers ---------------------------------------------------------------------------

MINUS = "\u2212"  # typographic minus sign


def fmt_number(x: float, decimals: int = 0, lang: Lang = "nl", signed: bool = False) -> str:
    """Format a number: `1.234,5` in Dutch, `1,234.5` in English.

    `signed=True` puts `+` before positive numbers. Negative numbers get a real minus sign.
    """
    lang = _check_lang(lang)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    value = round(float(x), decimals)
    if value == 0:
        value = 0.0  # no "-0"
    body = f"{abs(value):,.{decimals}f}"
    if lang == "nl":
        body = body.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    return sign + body


def fmt_eur(x: float, decimals: int = 0, lang: Lang = "nl", signed: bool = False) -> str:
    """Format an amount of euros: `€ 1.234` (nl) or `€1,234` (en); sign before the €."""
    text = fmt_number(x, decimals, lang, signed)
    sign = text[0] if text[:1] in (MINUS, "+") else ""
    body = text[len(sign) :]
    space = " " if lang == "nl" else ""
    return f"{sign}€{space}{body}"


def fmt_eur_compact(x: float, lang: Lang = "nl", decimals: int = 1, signed: bool = False) -> str:
    """Format a large amount: `€ 1,5 mln` / `€ 2,3 mld` (nl), `€1.5 million` (en).

    Amounts under one million are written in full: rounded to thousands from 10.000 on,
    to whole euros below.
    """
    lang = _check_lang(lang)
    a = abs(float(x))
    if a >= 1e9:
        scaled, word = x / 1e9, ("mld" if lang == "nl" else "billion")
    elif a >= 1e6:
        scaled, word = x / 1e6, ("mln" if lang == "nl" else "million")
    else:
        return fmt_eur(round(x, -3) if a >= 1e4 else x, 0, lang, signed)
    return f"{fmt_eur(scaled, decimals, lang, signed)} {word}"


def fmt_pct(share: float, lang: Lang = "nl", decimals: int = 0) -> str:
    """Format a share 0..1 as a percentage: `45%` (both languages; decimal comma in nl)."""
    return f"{fmt_number(100 * share, decimals, lang)}%"


def share_text(x: float) -> str:
    """A share as a percentage that does not round a small non-zero share to 0.0%."""
    if x == 0 or x >= 0.001:
        return f"{x:.1%}"
    return f"{100 * x:.2g}%"


def fmt_value(x: float, outcome: str, lang: Lang = "nl", signed: bool = False) -> str:
    """Format a value of an outcome with sensible decimals (euros as €, rest plain)."""
    if outcome.endswith(PER_INH) or outcome == TOTAL_COST:
        return fmt_eur(x, 0, lang, signed)
    a = abs(x) if x == x else 0.0
    decimals = 0 if a >= 100 else (1 if a >= 10 else 2 if a < 1 else 1)
    return fmt_number(x, decimals, lang, signed)


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
