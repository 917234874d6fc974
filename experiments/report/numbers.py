"""Numbers, amounts and dates as the reader expects them, in one place.

Dutch: `1.234,5`, `€ 1.234`, `€ 1,5 mln`, `45%`, `23 november 2026`; English: `1,234.5`,
`€1,234`, `€1.5 million`, `45%`, `23 November 2026`. Negative numbers get a real minus
sign. Used by the brief, the figures (tick labels in the figure's language) and the tables.
"""

from __future__ import annotations

import datetime as dt
import math

from experiments.report.style import PER_INH
from experiments.report.texts import check_lang, t

MINUS = "\u2212"  # typographic minus sign
# a space in these stays unbroken on an HTML page: "€ 1.234", "1,5 mln"
_KEEP_TOGETHER: tuple[tuple[str, str], ...] = (
    ("€ ", "€\u00a0"),
    (" mln", "\u00a0mln"),
    (" mld", "\u00a0mld"),
    (" million", "\u00a0million"),
    (" billion", "\u00a0billion"),
)


def fmt_number(x: float, decimals: int = 0, lang: str = "nl", signed: bool = False) -> str:
    """Format a number: `1.234,5` in Dutch, `1,234.5` in English.

    `signed=True` puts `+` before positive numbers. Negative numbers get a real minus sign.
    """
    lang = check_lang(lang)
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


def fmt_eur(x: float, decimals: int = 0, lang: str = "nl", signed: bool = False) -> str:
    """Format an amount of euros: `€ 1.234` (nl) or `€1,234` (en); sign before the €."""
    text = fmt_number(x, decimals, lang, signed)
    sign = text[0] if text[:1] in (MINUS, "+") else ""
    body = text[len(sign) :]
    space = " " if lang == "nl" else ""
    return f"{sign}€{space}{body}"


def fmt_eur_compact(x: float, lang: str = "nl", decimals: int = 1, signed: bool = False) -> str:
    """Format a large amount: `€ 1,5 mln` / `€ 2,3 mld` (nl), `€1.5 million` (en).

    Amounts under one million are written in full: rounded to thousands from 10.000 on,
    to whole euros below.
    """
    lang = check_lang(lang)
    a = abs(float(x))
    if a >= 1e9:
        scaled, word = x / 1e9, ("mld" if lang == "nl" else "billion")
    elif a >= 1e6:
        scaled, word = x / 1e6, ("mln" if lang == "nl" else "million")
    else:
        return fmt_eur(round(x, -3) if a >= 1e4 else x, 0, lang, signed)
    return f"{fmt_eur(scaled, decimals, lang, signed)} {word}"


def fmt_pct(share: float, lang: str = "nl", decimals: int = 0) -> str:
    """Format a share 0..1 as a percentage: `45%` (both languages; decimal comma in nl)."""
    return f"{fmt_number(100 * share, decimals, lang)}%"


def fmt_signed_pct(share: float, lang: str = "nl") -> str:
    """A relative change as `+24%` or `−8%` (real minus sign)."""
    sign = "+" if share > 0 else ""
    return f"{sign}{fmt_pct(share, lang)}".replace("-", MINUS)


def share_text(x: float) -> str:
    """A share as a percentage that does not round a small non-zero share to 0.0%."""
    if x == 0 or x >= 0.001:
        return f"{x:.1%}"
    return f"{100 * x:.2g}%"


def fmt_value(x: float, outcome: str, lang: str = "nl", signed: bool = False) -> str:
    """Format a value of an outcome with sensible decimals (euros as €, rest plain)."""
    if outcome.endswith(PER_INH):  # the total chain cost too
        return fmt_eur(x, 0, lang, signed)
    if outcome.endswith("_share") and not signed:  # a share 0..1 as a percentage
        return fmt_pct(x, lang)
    a = abs(x) if x == x else 0.0
    decimals = 0 if a >= 100 else (1 if a >= 10 else 2 if a < 1 else 1)
    return fmt_number(x, decimals, lang, signed)


def long_date(iso: str, lang: str) -> str:
    """`2026-11-23` as `23 november 2026` (nl) or `23 November 2026` (en)."""
    try:
        d = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{d.day} {t(f'months.m{d.month:02d}', lang)} {d.year}"


def keep_together(page: str) -> str:
    """Unbreakable spaces in amounts (`€ 1.234`, `1,5 mln`) throughout an HTML page."""
    for a, b in _KEEP_TOGETHER:
        page = page.replace(a, b)
    return page


__all__ = [
    "MINUS",
    "fmt_eur",
    "fmt_eur_compact",
    "fmt_number",
    "fmt_pct",
    "fmt_signed_pct",
    "fmt_value",
    "keep_together",
    "long_date",
    "share_text",
]
