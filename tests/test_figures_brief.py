"""Figures (PNG + SVG, titles from the data) and the council brief, in Dutch and English."""

from __future__ import annotations

import base64
import re

import pytest
from _synthetic import make_tables

from experiments import stats
from experiments.report import figures
from experiments.report.brief import write_brief
from experiments.report.numbers import fmt_eur, fmt_eur_compact
from experiments.report.style import DESIGN_COLOURS, TOTAL_COST, design_colour, design_label

META = {
    "model_version": "0.1.0-test",
    "git_commit": "abc1234def",
    "date": "2025-01-31",
    "profile": "testgemeente",
}


@pytest.fixture(scope="module")
def tables():
    return make_tables(replications=12, years=4, population=40_000)


@pytest.fixture(scope="module")
def made(tables, tmp_path_factory):
    runs, outcomes = tables
    out = {}
    for lang in ("nl", "en"):
        d = tmp_path_factory.mktemp(f"out_{lang}")
        figs = figures.make_all_figures(outcomes, d / "figures", lang=lang)
        brief = write_brief(d, runs, outcomes, figs, lang=lang, meta=META)
        out[lang] = (figs, brief)
    return out


def test_every_figure_written_as_png_and_svg(made) -> None:
    for lang in ("nl", "en"):
        figs, _ = made[lang]
        assert set(figs) == set(figures.FIGURE_NAMES)
        for f in figs.values():
            assert f.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert f.png.stat().st_size > 10_000
            assert "<svg" in f.svg.read_text(encoding="utf-8")[:2000]
            assert f.paths == (f.png, f.svg)
            assert f.title and f.caption


def test_titles_state_the_finding_from_the_data(tables, made) -> None:
    _, outcomes = tables
    d = stats.paired_differences(outcomes).set_index(["design", "outcome"])
    saving = -d.loc[("early_signalling", TOTAL_COST), "median"]
    assert saving > 0
    for lang in ("nl", "en"):
        title = made[lang][0]["total_cost"].title
        assert fmt_eur(saving, 0, lang) in title
        assert design_label("early_signalling", lang) in title
    assert made["nl"][0]["total_cost"].title != made["en"][0]["total_cost"].title
    # the caption explains the uncertainty
    assert "p5–p95" in made["nl"][0]["outcomes"].caption
    assert "herhalingen" in made["nl"][0]["outcomes"].caption
    assert "replications" in made["en"][0]["outcomes"].caption


def test_design_colours_fixed_and_in_svg(made) -> None:
    assert len(set(DESIGN_COLOURS.values())) == len(DESIGN_COLOURS)  # one colour each
    assert design_colour("gatekeeping") == "#0072B2"
    svg = made["nl"][0]["total_cost"].svg.read_text(encoding="utf-8").lower()
    from _synthetic import DESIGNS as SHOWN  # the designs in the synthetic tables

    for design in SHOWN:
        assert DESIGN_COLOURS[design].lower() in svg


def test_svg_text_in_dutch_number_format(made) -> None:
    svg = made["nl"][0]["total_cost"].svg.read_text(encoding="utf-8")
    assert re.search(r"€ \d\.\d{3}", svg)  # e.g. € 2.196
    svg_en = made["en"][0]["total_cost"].svg.read_text(encoding="utf-8")
    assert re.search(r"€\d,\d{3}", svg_en)


def _page(path) -> str:
    return path.read_text(encoding="utf-8").replace("\u00a0", " ")


def test_brief_is_self_contained_with_every_figure(made) -> None:
    for lang in ("nl", "en"):
        figs, brief = made[lang]
        page = _page(brief)
        assert brief.name == ("brief.html" if lang == "nl" else "brief_en.html")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "<link" not in page and "<script" not in page
        assert page.count("data:image/png;base64,") == len(figs)
        for f in figs.values():
            assert base64.b64encode(f.png.read_bytes()).decode("ascii") in page


def test_brief_contains_key_numbers(tables, made) -> None:
    _, outcomes = tables
    d = stats.paired_differences(outcomes).set_index(["design", "outcome"])
    med = d.loc[("early_signalling", TOTAL_COST), "median"]
    s = stats.summarise(outcomes).set_index(["design", "outcome"])
    base = s.loc[("gatekeeping", TOTAL_COST), "median"]
    for lang in ("nl", "en"):
        page = _page(made[lang][1])
        assert fmt_eur(abs(med), 0, lang) in page
        assert fmt_eur(base, 0, lang) in page
        assert fmt_eur_compact(abs(med) * 40_000, lang) in page
        assert META["git_commit"] in page and META["model_version"] in page
    nl = _page(made["nl"][1])
    assert " mln" in nl and "40.000" in nl  # Dutch number format


def test_brief_languages_differ(made) -> None:
    nl, en = _page(made["nl"][1]), _page(made["en"][1])
    assert '<html lang="nl">' in nl and '<html lang="en">' in en
    for word in (
        "Onzekerheden",
        "Wie betaalt meer",
        "Poortwachter (wijkteam)",
        "Ja zeggen is goedkoper",
        "Vroegsignalering",
    ):
        assert word in nl and word not in en
    for word in ("Uncertainties", "Who pays more", "Yes is cheaper", "Early signalling"):
        assert word in en and word not in nl


def test_brief_makes_its_own_figures_when_none_given(tables, tmp_path) -> None:
    runs, outcomes = tables
    sub = outcomes[outcomes["year"] <= 2]
    path = write_brief(tmp_path, runs, sub, None, lang="en")
    page = _page(path)
    assert page.count("data:image/png;base64,") == len(figures.FIGURE_NAMES)
    assert "unknown" in page  # no git commit given
    with pytest.raises(ValueError):
        write_brief(tmp_path, runs, sub, {}, lang="fr")
