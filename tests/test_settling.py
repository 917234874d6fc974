"""The lasting answer (experiments/report/settling.py) and compare's horizon: the settled
difference is the mean of the last years, the transition before it is told apart (a sign
that turned is named), and compare runs long enough by default."""

from __future__ import annotations

import pandas as pd
import pytest
from _synthetic import make_tables, turn_variant

from experiments.compare import DEFAULT_YEARS, build_specs
from experiments.report import findings
from experiments.report.settling import settled_line, settling, window_years
from experiments.report.texts import t

YEARS, TURN = 12, 4  # early signalling: the baseline x 1.3 until year 4, x 0.7 from year 5


def turning_tables() -> pd.DataFrame:
    """Synthetic runs in which early signalling's every outcome is the baseline's x 1.3 in
    years 1-4 and x 0.7 in years 5-12 (per replication and year)."""
    _, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    return turn_variant(outcomes, TURN)


def test_the_settled_difference_is_the_lasting_one_and_the_transition_is_told_apart():
    table = settling(turning_tables(), "gatekeeping")
    es = table[table["design"] == "early_signalling"].set_index("outcome")
    unmet = es.loc[findings.UNMET]
    # the mean over all 12 years would be (4 x 0.3 - 8 x 0.3) / 12 = -10%; the lasting
    # difference is -30% of the baseline, from year 5, after a transition at +30%
    assert unmet["window_first_year"] == YEARS - 4
    assert unmet["settled"] and unmet["settled_from_year"] == TURN + 1
    level = unmet["baseline_level"]
    assert unmet["settled_difference"] == pytest.approx(-0.3 * level, rel=0.1)
    assert unmet["transition_difference"] > 0 and unmet["reversed"]
    assert es["reversed"].all() and es["settled"].all()


def test_a_share_is_of_the_baselines_level_in_the_same_years():
    """A baseline that doubles over the run and a variant that falls to zero in the last
    years: the lasting difference is -100% of the baseline in those years (against the
    whole run's level it would read about -150%, impossible for a count)."""
    _, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    base = outcomes["design"] == "gatekeeping"
    grow = 1.0 + outcomes["year"] / YEARS  # the baseline doubles by the last year
    outcomes.loc[base, "value"] = outcomes.loc[base, "value"] * grow[base]
    late = (outcomes["design"] == "early_signalling") & (
        outcomes["year"] > YEARS - window_years(YEARS)
    )
    outcomes.loc[late, "value"] = 0.0
    table = settling(outcomes, "gatekeeping")
    es = table[table["design"] == "early_signalling"].set_index("outcome")
    burnouts = es.loc["carer_burnouts_per_1000_inhabitants_per_year"]
    own = burnouts["settled_difference"] / burnouts["settled_baseline_level"]
    assert own == pytest.approx(-1.0, abs=1e-9)
    assert burnouts["settled_difference"] / burnouts["baseline_level"] < -1.2
    line = settled_line(table, "early_signalling", "gatekeeping", "en").replace("\xa0", " ")
    assert "carer burnouts −100%" in line, line


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_brief_names_the_transition_and_its_turned_sign(lang):
    table = settling(turning_tables(), "gatekeeping")
    line = settled_line(table, "early_signalling", "gatekeeping", lang)
    assert t("settling.transition", lang, y=TURN + 1, last=TURN) in line
    assert line.count(t("settling.turned", lang).strip()) == len(findings.TRADE_OFF)


def test_compare_runs_long_enough_unless_years_is_given():
    _, configs = build_specs(["gatekeeping", "early_signalling"], 1, ["population=300"])
    assert {c["years"] for c in configs.values()} == {DEFAULT_YEARS} and DEFAULT_YEARS >= 20
    _, configs = build_specs(["gatekeeping"], 1, ["population=300", "years=3"])
    assert configs["gatekeeping"]["years"] == 3


def test_robustness_needs_a_discovery_folder(tmp_path, capsys):
    from experiments.cli import main

    code = main(["compare", f"robustness={tmp_path}", f"out={tmp_path / 'out'}"])
    assert code == 2
    assert "robustness=" in capsys.readouterr().err
