"""Present value and payback year: discounting per year at the MKBA rate, paired differences
per actor, the payback year, the cumulative figure, and the brief's sentences from the table."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from _synthetic import make_tables
from markupsafe import escape

from experiments import stats
from experiments.report import present_value as pv
from experiments.report.brief import write_brief
from experiments.report.cumulative import figure_cumulative_cost
from experiments.report.mkba import ACTORS
from experiments.report.numbers import fmt_eur_compact
from experiments.report.style import TOTAL_COST, design_label
from experiments.report.texts import t

WMO = ACTORS["municipality"][0]


def hand_table(variant_costs: list[float], base_cost: float = 100.0) -> pd.DataFrame:
    """Two designs, two replications, the Wmo cost per year given; the baseline flat."""
    rows = []
    for design, costs in (
        ("gatekeeping", [base_cost] * len(variant_costs)),
        ("early", variant_costs),
    ):
        for rep in (0, 1):
            run = f"{design}-{rep}"
            for year, cost in enumerate(costs, start=1):
                rows.append((run, design, rep, year, WMO, cost, "eur per inhabitant per year"))
    cols = ["run_id", "design", "replication", "year", "outcome", "value", "unit"]
    return pd.DataFrame(rows, columns=cols)


def test_year_one_is_not_discounted_and_later_years_are():
    assert pv.discount_factor(1) == pytest.approx(1.0)
    assert pv.discount_factor(3) == pytest.approx(1 / 1.0225**2)


def test_present_value_difference_is_the_discounted_sum_of_the_yearly_differences():
    table = pv.present_values(hand_table([110.0, 90.0, 80.0]), "gatekeeping", inhabitants=1000)
    row = table[(table["design"] == "early") & (table["actor"] == "municipality")].iloc[0]
    expected = 10 - 10 / 1.0225 - 20 / 1.0225**2
    assert row["difference_eur_per_inhabitant"] == pytest.approx(expected)
    assert row["difference_eur_municipality"] == pytest.approx(1000 * expected)
    # cumulative 10, 0.22, -18.9: paid back in year 3
    assert row["payback_year"] == 3
    base = table[(table["design"] == "gatekeeping") & (table["actor"] == "society")].iloc[0]
    assert base["present_value_eur_per_inhabitant"] == pytest.approx(
        sum(100 / 1.0225**k for k in range(3))
    )


def test_discounting_can_turn_a_payback_into_none():
    # undiscounted the variant breaks even in year 3 (10 - 5 - 5 = 0); discounted it does not
    costs = [110.0, 95.0, 95.0]
    undiscounted = pv.present_values(hand_table(costs), "gatekeeping", 1, rate=0.0)
    discounted = pv.present_values(hand_table(costs), "gatekeeping", 1)
    pick = (undiscounted["design"] == "early") & (undiscounted["actor"] == "municipality")
    assert undiscounted[pick]["payback_year"].iloc[0] == 3
    assert pd.isna(discounted[pick]["payback_year"].iloc[0])


@pytest.mark.parametrize(
    ("cumulative", "year"),
    [([5.0, -1.0, 2.0, -3.0], 4), ([-1.0, -2.0], 1), ([1.0, -1.0, 1.0], None), ([0.0, 0.0], 1)],
)
def test_payback_year_is_where_the_cumulative_difference_stays_below_zero(cumulative, year):
    series = pd.Series(cumulative, index=range(1, len(cumulative) + 1))
    assert pv.payback_year(series) == year


@pytest.fixture(scope="module")
def synthetic():
    return make_tables(replications=6, years=5, population=8_000)


def test_cumulative_figure_has_png_svg_and_a_computed_title(synthetic, tmp_path):
    _, outcomes = synthetic
    fig = figure_cumulative_cost(outcomes, tmp_path, "nl", "gatekeeping")
    assert fig.png.exists() and fig.svg.exists()
    table = pv.present_values(outcomes, "gatekeeping", 1)
    society = table[(table["actor"] == "society")].dropna(subset=["difference_eur_per_inhabitant"])
    best = society.set_index("design")["difference_eur_per_inhabitant"].idxmin()
    assert design_label(best, "nl") in fig.title
    assert "5 jaar" in fig.title


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_brief_gives_npv_for_municipality_and_society_from_the_table(synthetic, tmp_path, lang):
    runs, outcomes = synthetic
    inhabitants = 40_000
    path = write_brief(
        tmp_path,
        runs,
        outcomes,
        {},  # the text is checked: no figures (test_figures_brief makes them)
        lang=lang,
        baseline="gatekeeping",
        meta={"inhabitants": inhabitants},
    )
    page = path.read_text(encoding="utf-8").replace("\xa0", " ")
    lines = re.findall(r"class='present-value'>([^<]*)", page)
    table = pv.present_values(outcomes, "gatekeeping", inhabitants)
    others = [d for d in ("early_signalling", "yes_is_cheaper")]
    assert len(lines) == len(others)
    for line, design in zip(lines, others, strict=True):
        rows = table[table["design"] == design].set_index("actor")
        for actor in ("municipality", "society"):
            amount = rows.loc[actor, "difference_eur_municipality"]
            expected = str(escape(fmt_eur_compact(amount, lang, signed=True)))
            assert expected.replace("\xa0", " ") in line
        year = rows.loc["society", "payback_year"]
        if not pd.isna(year):
            assert f" {int(year)}." in line
    assert t("present_value.table_head", lang) in page


def test_headline_words_the_chain_cost_as_a_total_and_its_parts(synthetic, tmp_path):
    runs, outcomes = synthetic
    page = write_brief(  # the text is checked: no figures
        tmp_path, runs, outcomes, {}, "en", meta={"inhabitants": 40_000}, baseline="gatekeeping"
    ).read_text(encoding="utf-8")
    page = page.replace("\xa0", " ")
    line = re.findall(r"class='scale'>([^<]*)", page)[0]
    data = stats.with_municipal_cost(outcomes)
    diffs = stats.paired_differences(data, "gatekeeping").set_index(["design", "outcome"])
    total = diffs.loc[("early_signalling", TOTAL_COST), "median"] * 40_000
    mun = diffs.loc[("early_signalling", stats.MUNICIPAL_COST), "median"] * 40_000
    for amount in (total, mun, total - mun):
        assert fmt_eur_compact(amount, "en", signed=True).replace("\xa0", " ") in line
    assert "in total" in line and "the sum of two parts" in line
