"""Every headline outcome gets the reversal check: runs whose paired differences turn sign
in the last years make the brief say so for each outcome, in both languages."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from _synthetic import DESIGNS, make_tables, turn_variant
from markupsafe import escape

from experiments import stats
from experiments.report import findings
from experiments.report.brief import SUMMARY_OUTCOMES, write_brief
from experiments.report.settling import settling
from experiments.report.style import design_label, outcome_label
from experiments.report.texts import t

YEARS, TURN = 8, 6  # the variant is 30% above the baseline in years 1-6, 30% below in 7-8
HEADLINE = tuple(dict.fromkeys((*findings.TRADE_OFF, *findings.KEY_OUTCOMES)))


def test_every_outcome_the_brief_heads_with_is_under_the_reversal_check():
    """The one-page summary's outcomes, the trade-off and the key figures are all checked
    for a late turn (findings.SETTLE_OUTCOMES): a new headline outcome cannot escape it."""
    assert set(SUMMARY_OUTCOMES) <= set(findings.SETTLE_OUTCOMES)
    assert set(HEADLINE) <= set(findings.SETTLE_OUTCOMES)


def reversing_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic runs in which early signalling's value of every outcome is the baseline's
    times 1.3 until year `TURN` and times 0.7 after it, per replication and year."""
    runs, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    yearly = turn_variant(outcomes, TURN)
    year0 = yearly.groupby(["run_id", "design", "replication", "outcome"], as_index=False).agg(
        value=("value", "mean"), unit=("unit", "first")
    )
    year0["year"] = 0
    return runs, pd.concat([year0[yearly.columns], yearly], ignore_index=True)


def label(outcome: str, lang: str) -> str:
    what = outcome_label(outcome, lang)
    return what[:1].lower() + what[1:] if not what[:3].isupper() else what


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_brief_names_every_reversed_headline_outcome(tmp_path, lang):
    runs, outcomes = reversing_tables()
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    sentence = findings.unsettled(data, "early_signalling", "gatekeeping", YEARS, lang)
    assert sentence is not None
    reversal = t("brief.unsettled_reversed", lang, change="", mean="").split("(")[0].strip(" ,")
    for outcome in HEADLINE:
        assert label(outcome, lang) in sentence, outcome
    assert sentence.count(reversal) == len(HEADLINE)
    # yes-is-cheaper's effects only build up over three years: not called a reversal
    other = findings.unsettled(data, "yes_is_cheaper", "gatekeeping", YEARS, lang) or ""
    assert reversal not in other
    page = write_brief(  # the text is checked: no figures (test_figures_brief makes them)
        tmp_path, runs, outcomes, {}, lang, meta={"inhabitants": 8_000}, baseline="gatekeeping"
    ).read_text(encoding="utf-8")
    assert str(escape(sentence)).replace("\xa0", " ") in page.replace("\xa0", " ")


def _texts(page: str, pattern: str) -> list[str]:
    found = re.findall(pattern, page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", x)).replace("\xa0", " ") for x in found]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_late_reversal_leaves_no_headline_difference_called_lasting(tmp_path, lang):
    """Differences that turn in the last years: the settled-difference sentence names every
    trade-off outcome as still moving (none settled, no transition claimed), and every cell
    of early signalling's row in the one-page summary carries the 'still moving' star."""
    runs, outcomes = reversing_tables()
    page = write_brief(  # the text is checked: no figures (test_figures_brief makes them)
        tmp_path, runs, outcomes, {}, lang, meta={"inhabitants": 8_000}, baseline="gatekeeping"
    ).read_text(encoding="utf-8")
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    es = settling(data, "gatekeeping").query("design == 'early_signalling'")
    assert set(es["outcome"]) == set(findings.TRADE_OFF) and not es["settled"].any()
    # the settled sentences come per compared variant, in the brief's order
    line = _texts(page, r"<p class='settled'>(.*?)</p>")[DESIGNS.index("early_signalling") - 1]
    head = t("settling.moving", lang, items="@", y=YEARS).split("@")[0]
    assert head in line
    moving = line.split(head, 1)[1]
    for outcome in findings.TRADE_OFF:
        assert label(outcome, lang) in moving, outcome
    assert t("settling.transition", lang, y=1, last=0).split("1")[0] not in line
    table = re.search(r"<table class='summary'>(.*?)</table>", page, flags=re.S)
    assert table
    rows = re.findall(r"<tr>(.*?)</tr>", table[1].split("<tbody>", 1)[1], flags=re.S)
    name = design_label("early_signalling", lang)
    row = next(r for r in rows if _texts(r, r"<th>(.*?)</th>")[0] == name)
    cells = _texts(row, r"<td[^>]*>(.*?)</td>")
    assert len(cells) == len(SUMMARY_OUTCOMES)
    assert all(c.endswith("*") for c in cells), cells


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("outcome", "value"),
    [(findings.OVER_LEGAL_TERM, 0.3), ("carer_burnouts_per_1000_inhabitants_per_year", 2.0)],
)
def test_a_baseline_that_falls_to_zero_keeps_one_unit_in_its_sentence(lang, outcome, value):
    """Gatekeeping's value falls to none in the last year while early signalling's does not:
    a percentage of nothing cannot be given, so the last year and the mean over the years are
    both said as numbers (a share in percentage points), not '+0.3 (mean +478%)'."""
    _, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    last, rows = outcomes["year"] == YEARS, outcomes["outcome"] == outcome
    outcomes.loc[rows & last & (outcomes["design"] == "gatekeeping"), "value"] = 0.0
    outcomes.loc[rows & last & (outcomes["design"] == "early_signalling"), "value"] = value
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    sentence = findings.unsettled(data, "early_signalling", "gatekeeping", YEARS, lang) or ""
    label = outcome_label(outcome, lang)
    item = sentence[sentence.lower().index(label.lower()) :].split(")")[0]
    assert "%" not in item, item  # neither the last year nor the mean as a percentage
    if outcome.endswith("_share"):
        points = t("brief.points", lang, x="@").split("@")[1]
        assert item.count(points) == 2, item  # the last year and the mean, both in points
