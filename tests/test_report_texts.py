"""The report's word catalogues: both languages hold the same texts, every text the
templates ask for exists, and an unknown design or lever is an error, not an empty string."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from experiments.report import texts
from experiments.report.numbers import fmt_eur, fmt_eur_compact, fmt_number
from experiments.report.style import (
    design_colour,
    design_description,
    design_label,
    lever_description,
    lever_label,
)


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    nl, en = texts.CATALOGUES["nl"], texts.CATALOGUES["en"]
    assert set(nl) == set(en)
    assert all(texts.placeholders(nl[k]) == texts.placeholders(en[k]) for k in nl)


def test_a_key_missing_in_one_language_stops_the_check() -> None:
    nl = dict(texts.CATALOGUES["nl"])
    en = dict(texts.CATALOGUES["en"])
    del en["brief.kicker"]
    with pytest.raises(texts.CatalogueError, match=r"brief\.kicker"):
        texts.check_catalogues({"nl": nl, "en": en})


def test_a_placeholder_in_one_language_only_stops_the_check() -> None:
    en = dict(texts.CATALOGUES["en"]) | {"brief.title_n": "Access: variants compared"}
    with pytest.raises(texts.CatalogueError, match="placeholders"):
        texts.check_catalogues({"nl": texts.CATALOGUES["nl"], "en": en})


def test_markup_only_in_html_texts_and_escaped_values() -> None:
    en = dict(texts.CATALOGUES["en"]) | {"brief.kicker": "<b>bold</b>"}
    with pytest.raises(texts.CatalogueError, match="markup"):
        texts.check_catalogues({"nl": en, "en": en})
    shown = texts.t("brief.head_variant_html", "en", v="<script>", base="b")
    assert "<strong>&lt;script&gt;</strong>" in shown


def _template_keys() -> set[str]:
    """Every literal key the templates pass to t()."""
    keys: set[str] = set()
    root = resources.files("experiments.report").joinpath("templates")
    stack = [root]
    while stack:
        for entry in stack.pop().iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith(".j2"):
                keys |= set(re.findall(r"\bt\('([a-z_.]+)'", entry.read_text(encoding="utf-8")))
    return keys


def test_every_text_the_templates_use_exists() -> None:
    keys = _template_keys()
    assert len(keys) > 20  # the brief's headings, leads and labels
    missing = sorted(k for k in keys if not texts.has(k))
    assert missing == []


def test_unknown_text_is_an_error() -> None:
    with pytest.raises(texts.CatalogueError, match="no text"):
        texts.t("brief.no_such_text", "nl")


def test_unknown_design_or_lever_is_an_error() -> None:
    for ask in (design_label, design_description):
        with pytest.raises(ValueError, match="unknown design 'no_such_design'"):
            ask("no_such_design", "nl")
    with pytest.raises(ValueError, match="unknown design"):
        design_colour("no_such_design")
    for ask in (lever_label, lever_description):
        with pytest.raises(ValueError, match="unknown lever 'no_such_lever'"):
            ask("no_such_lever", "en")
    assert design_label("early_signalling", "nl") == "Vroegsignalering"
    assert lever_label("chain_care", "en") == "chain care"


def test_numbers_in_each_language() -> None:
    assert fmt_number(1234.5, 1, "nl") == "1.234,5"
    assert fmt_number(1234.5, 1, "en") == "1,234.5"
    assert fmt_number(-3, 0, "en") == "\u22123"
    assert fmt_eur(1234, 0, "nl") == "€ 1.234"
    assert fmt_eur_compact(1_234_000, "nl") == "€ 1,2 mln"
    assert fmt_eur_compact(1_234_000, "en") == "€1.2 million"


def test_every_text_the_report_code_asks_for_exists() -> None:
    """Literal keys in t("...") and the brief's b.t("...") (under `brief.`) all exist."""
    root = resources.files("experiments.report")
    keys: set[str] = set()
    for entry in root.iterdir():
        if entry.name.endswith(".py"):
            code = entry.read_text(encoding="utf-8")
            keys |= set(re.findall(r'(?<![\w.])t\(\s*"([a-z_]+\.[a-z_.]+)"', code))
            keys |= {f"brief.{k}" for k in re.findall(r'\bb\.t\(\s*"([a-z_]+)"', code)}
    assert len(keys) > 50
    assert sorted(k for k in keys if not texts.has(k)) == []
