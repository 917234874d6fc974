"""Every headline outcome gets the reversal check: runs whose paired differences turn sign
in the last years make the brief say so for each outcome, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest
from _synthetic import make_tables
from markupsafe import escape

from experiments import stats
from experiments.report import findings
from experiments.report.brief import write_brief
from experiments.report.style import outcome_label
from experiments.report.texts import t

YEARS, TURN = 8, 6  # the variant is 30% above the baseline in years 1-6, 30% below in 7-8
HEADLINE = tuple(dict.fromkeys((*findings.TRADE_OFF, *findings.KEY_OUTCOMES)))


def reversing_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic runs in which early signalling's value of every outcome is the baseline's
    times 1.3 until year `TURN` and times 0.7 after it, per replication and year."""
    runs, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    yearly = outcomes[outcomes["year"] > 0].copy()
    keys = ["replication", "year", "outcome"]
    base = yearly[yearly["design"] == "gatekeeping"].set_index(keys)["value"]
    es = yearly["design"] == "early_signalling"
    factor = yearly.loc[es, "year"].map(lambda y: 1.3 if y <= TURN else 0.7)
    yearly.loc[es, "value"] = base.reindex(pd.MultiIndex.from_frame(yearly.loc[es, keys])).values
    yearly.loc[es, "value"] *= factor.values
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
    page = write_brief(
        tmp_path, runs, outcomes, lang=lang, baseline="gatekeeping", meta={"inhabitants": 8_000}
    ).read_text(encoding="utf-8")
    assert str(escape(sentence)).replace("\xa0", " ") in page.replace("\xa0", " ")
