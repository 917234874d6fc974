"""The brief tells the trade-off from the data: what gets better and worse, trends over the
years, totals for the real municipality, budgets, the societal cost-benefit table per actor,
figures in page order, one vocabulary, no internal names or ISO dates in Dutch text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from _synthetic import make_tables
from markupsafe import escape

from experiments import stats
from experiments.report import brief, figures, findings, mkba
from experiments.report.numbers import fmt_eur_compact, fmt_number, fmt_pct
from experiments.report.style import TOTAL_COST, design_label, outcome_label, use_variants

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
META = {
    "model_version": "0.1.0-test",
    "git_commit": "abc1234def",
    "date": "2025-01-31",
    "profile": "mid_city",
    "population": 8_000,
    "inhabitants": 40_000,
    "years": 4,
    "burn_in_years": 3,
    "wmo_budget": 400.0,
    "youth_budget": 300.0,
    "informal_care_price": 20.16,
    "behaviour": "calibrated",
}


@pytest.fixture(scope="module")
def tables():
    return make_tables(replications=8, years=4, population=8_000)


def _rising(outcomes: pd.DataFrame, outcome: str, factor: float) -> pd.DataFrame:
    """The outcome grows linearly to `factor` times its year-1 value in the last year."""
    out = outcomes.copy()
    years = int(out["year"].max())
    grow = 1 + (factor - 1) * (out["year"] - 1) / max(years - 1, 1)
    mask = (out["outcome"] == outcome) & (out["year"] > 0)
    out.loc[mask, "value"] = out.loc[mask, "value"] * grow[mask]
    yearly = out[(out["outcome"] == outcome) & (out["year"] > 0)]
    means = yearly.groupby("run_id")["value"].mean()
    year0 = (out["outcome"] == outcome) & (out["year"] == 0)
    out.loc[year0, "value"] = out.loc[year0, "run_id"].map(means)
    return out


@pytest.fixture(scope="module")
def pages(tables, tmp_path_factory):
    runs, outcomes = tables
    outcomes = _rising(outcomes, UNMET, 6.0)
    made = {}
    for lang in ("nl", "en"):
        d = tmp_path_factory.mktemp(f"brief_{lang}")
        figs = figures.make_all_figures(outcomes, d / "figures", lang=lang)
        path = brief.write_brief(d, runs, outcomes, figs, lang=lang, meta=META)
        made[lang] = (path.read_text(encoding="utf-8"), figs)
    return outcomes, made


def test_headline_names_what_gets_better_and_worse(pages):
    outcomes, made = pages
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    diffs = stats.paired_differences(data)
    summary = stats.summarise(data)
    for d in ("early_signalling", "yes_is_cheaper"):
        t = findings.trade_off(diffs, summary, d, "gatekeeping", "nl")
        rows = diffs[diffs["design"] == d].set_index("outcome")
        for o in findings.TRADE_OFF:
            label = outcome_label(o, "nl").lower()
            lower, higher = rows.loc[o, "share_lower"], rows.loc[o, "share_higher"]
            where = (
                "better"
                if lower >= findings.CLEAR_SHARE
                else "worse"
                if higher >= findings.CLEAR_SHARE
                else "unclear"
            )
            assert any(label in item.lower() for item in t[where]), (d, o, where, t)
        page = made["nl"][0]
        head = _headline(page)
        if t["better"] and t["worse"]:
            assert "De afweging:" in head
        for item in t["better"] + t["worse"]:
            assert str(escape(item)).replace("€ ", "€\u00a0") in head


def _headline(page: str) -> str:
    """The result per variant (in the annex since the one-page summary came on top)."""
    return page.split('<div class="headline">', 1)[1].split("<table")[0]


def test_year_end_values_and_a_sentence_where_an_outcome_rises(pages):
    _, made = pages
    nl, en = made["nl"][0], made["en"][0]
    assert "jaar 4:" in nl and "year 4:" in en  # year-4 values beside the averages
    assert re.search(r"Onvervulde hulpvraag stijgt in alle varianten", nl)
    assert re.search(r"Unmet need rises in every variant", en)


def test_flat_outcomes_get_no_trend_sentence(tables):
    _, outcomes = tables
    flat = _flat(outcomes)
    yearly = stats.summarise_by_year(stats.with_municipal_cost(flat))
    assert findings.trends(yearly, ["gatekeeping", "early_signalling"], "gatekeeping", "nl") == []


def test_headline_says_when_a_difference_has_not_settled(pages):
    # unmet need grows linearly to 6x its year-1 value in every design (`pages`), so each
    # paired difference in year 4 is 6 / 3.5 of its mean over the years: not settled
    outcomes, made = pages
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    last = stats.paired_differences(data, year=4).set_index(["design", "outcome"])
    base = stats.summarise(data, year=4).set_index(["design", "outcome"])
    for d in ("early_signalling", "yes_is_cheaper"):
        for lang, word in (("nl", "onvervulde hulpvraag "), ("en", "unmet need ")):
            sentence = findings.unsettled(data, d, "gatekeeping", 4, lang)
            assert sentence is not None and word in sentence
            shown = str(escape(sentence)).replace("€ ", "€\u00a0")
            assert shown in _headline(made[lang][0])
            # the figure given is the paired median of year 4, against the baseline's year 4
            med = last.loc[(d, UNMET), "median"]
            pct = fmt_pct(abs(med / base.loc[("gatekeeping", UNMET), "median"]), lang)
            assert f"{word}{'+' if med > 0 else chr(0x2212)}{pct}" in sentence


def _flat(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Every run's value the same in each year (its mean over the years)."""
    flat = outcomes.copy()
    for o in flat["outcome"].unique():
        m = flat["outcome"] == o
        per_run = flat[m & (flat["year"] == 0)].set_index("run_id")["value"]
        flat.loc[m, "value"] = flat.loc[m, "run_id"].map(per_run)
    return flat


def test_settled_differences_get_no_warning_and_a_shrinking_one_does(tables):
    _, outcomes = tables
    flat = _flat(outcomes)
    data = stats.with_municipal_cost(stats.with_derived_outcomes(flat))
    for d in ("early_signalling", "yes_is_cheaper"):
        assert findings.unsettled(data, d, "gatekeeping", 4, "nl") is None
    # early signalling's cost difference halved in the last year, in every replication
    cell = ["replication", "outcome", "year"]
    shrunk = flat.set_index(["design", *cell]).sort_index()
    es = shrunk.loc["early_signalling"]
    gk = shrunk.loc["gatekeeping"]
    last = (slice(None), TOTAL_COST, 4)
    halved = (gk.loc[last, "value"] + (es.loc[last, "value"] - gk.loc[last, "value"]) / 2).values
    shrunk.loc[("early_signalling", *last), "value"] = halved
    shrunk = shrunk.reset_index()
    data = stats.with_municipal_cost(stats.with_derived_outcomes(shrunk))
    sentence = findings.unsettled(data, "early_signalling", "gatekeeping", 4, "en")
    assert sentence is not None and "total chain cost" in sentence
    assert "unmet need" not in sentence
    assert findings.unsettled(data, "yes_is_cheaper", "gatekeeping", 4, "en") is None


def test_totals_for_the_real_municipality_not_the_sample(pages):
    outcomes, made = pages
    d = stats.paired_differences(outcomes).set_index(["design", "outcome"])
    change = d.loc[("early_signalling", TOTAL_COST), "median"]
    nl = made["nl"][0]
    assert fmt_eur_compact(change * 40_000, "nl", signed=True).replace(" ", "\u00a0") in nl
    assert fmt_eur_compact(abs(change) * 8_000, "nl").replace(" ", "\u00a0") not in nl
    assert "40.000 inwoners" in nl and "Gesimuleerd met 8.000 personen" in nl


def test_budgets_against_the_municipality_s_own(pages):
    outcomes, made = pages
    s = stats.summarise(outcomes).set_index(["design", "outcome"])
    wmo = s.loc[("gatekeeping", "cost_by_financier__wmo_eur_per_inhabitant_per_year"), "median"]
    nl = made["nl"][0]
    assert "Tegen de eigen begroting" in nl
    assert f"{fmt_number(100 * wmo / 400.0, 0, 'nl')}% van het budget" in nl


def test_figures_numbered_in_page_order_and_every_one_placed(pages):
    _, made = pages
    for lang, word in (("nl", "Figuur"), ("en", "Figure")):
        page, figs = made[lang]
        numbers = [int(n) for n in re.findall(rf"<figcaption>{word} (\d+)</figcaption>", page)]
        assert numbers == list(range(1, len(figs) + 1))


def test_dutch_text_has_one_vocabulary_and_no_internal_names(pages):
    _, made = pages
    nl = made["nl"][0]
    text = re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", nl)
    assert "2025-01-31" not in text and "31 januari 2025" in text
    assert "mid_city" not in text and "middelgrote stad" in text
    for word in ("inrichting", "replicatie", "ontwerp"):
        assert word not in text.lower(), word
    for f in made["nl"][1].values():
        assert "replicatie" not in f.caption and "ontwerp" not in f.caption.lower()
    assert "Gekalibreerd" in text and "niet gekalibreerd" not in text.lower()


def test_calibration_status_and_sensitivity_link_follow_the_run(tables, tmp_path):
    runs, outcomes = tables
    sub = outcomes[outcomes["year"] <= 2]
    figs = {"total_cost": figures.figure_total_cost(sub, tmp_path / "f")}
    meta = {**META, "behaviour": "default", "sensitivity_link": "../sens/report.html"}
    page = brief.write_brief(tmp_path, runs, sub, figs, meta=meta).read_text(encoding="utf-8")
    assert "Niet gekalibreerd" in page
    assert '<a href="../sens/report.html">gevoeligheidsanalyse</a>' in page
    page = brief.write_brief(tmp_path, runs, sub, figs, meta=META).read_text(encoding="utf-8")
    assert "geen gevoeligheidsanalyse meegeleverd" in page


def test_societal_table_per_actor_adds_up_and_scales(tables):
    _, outcomes = tables
    per_run = mkba.actor_outcomes(outcomes)
    wide = per_run[per_run["year"] == 0].pivot(index="run_id", columns="outcome", values="value")
    actors = [f"mkba__{a}" for a in mkba.ACTORS]
    np.testing.assert_allclose(wide[actors].sum(axis=1), wide[f"mkba__{mkba.SOCIETY}"])
    # society = chain cost + informal care value
    chain = outcomes[(outcomes["year"] == 0) & (outcomes["outcome"] == TOTAL_COST)]
    informal = outcomes[(outcomes["year"] == 0) & (outcomes["outcome"] == mkba.INFORMAL_VALUE)]
    expected = chain.set_index("run_id")["value"] + informal.set_index("run_id")["value"]
    np.testing.assert_allclose(wide[f"mkba__{mkba.SOCIETY}"], expected.loc[wide.index])
    table = mkba.societal_table(outcomes, "gatekeeping", 40_000)
    assert set(table["design"]) == {"early_signalling", "yes_is_cheaper"}
    for _, r in table.iterrows():
        assert r["p5"] <= r["change_eur_per_inhabitant_per_year"] <= r["p95"]
        assert r["change_eur_per_year_municipality"] == pytest.approx(
            r["change_eur_per_inhabitant_per_year"] * 40_000
        )
        expected_verdict = "cost" if r["p5"] > 0 else "benefit" if r["p95"] < 0 else "uncertain"
        assert r["verdict"] == expected_verdict
    carers = table[table["actor"] == "carers_informal_care"]
    assert carers["change_hours_per_inhabitant_per_year"].notna().all()


def test_variants_are_named_coloured_and_ordered_as_the_experiment(tables, tmp_path):
    _, outcomes = tables
    labels = {
        "gatekeeping": {"nl": "Poortwachter", "en": "Gatekeeping"},
        "yes_is_cheaper": {"nl": "Ja + eigen bijdrage", "en": "Yes + contribution"},
        "early_signalling": {"nl": "Vroeg + ketenzorg", "en": "Early + chain care"},
    }
    with use_variants(labels):
        assert design_label("early_signalling", "nl") == "Vroeg + ketenzorg"
        assert figures.order_designs(["early_signalling", "gatekeeping", "yes_is_cheaper"]) == [
            "gatekeeping",
            "yes_is_cheaper",
            "early_signalling",
        ]
        fig = figures.figure_trajectories(outcomes, tmp_path)
        assert fig.png.exists() and fig.svg.exists()
    assert design_label("early_signalling", "nl") == "Vroegsignalering"  # restored


def test_trajectory_title_states_the_direction(pages):
    _, made = pages
    assert "stijgt in alle varianten" in made["nl"][1]["trajectories"].title
    assert "rises in every variant" in made["en"][1]["trajectories"].title
