"""Trajectory figure: each headline outcome per year, per design, with its spread."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _synthetic import make_tables

from experiments import stats
from experiments.report.trajectories import drift_table, figure_trajectories

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"


@pytest.fixture(scope="module")
def outcomes():
    return make_tables(replications=8, years=4, population=20_000)[1]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_trajectory_figure_is_written_with_a_computed_title(outcomes, tmp_path, lang):
    fig = figure_trajectories(outcomes, tmp_path, lang=lang)
    assert fig.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and fig.png.stat().st_size > 10_000
    assert "<svg" in fig.svg.read_text(encoding="utf-8")[:2000]
    # the title states the baseline's change of unmet need from year 1 to year 4
    yearly = stats.summarise_by_year(outcomes)
    base = yearly[(yearly["design"] == "gatekeeping") & (yearly["outcome"] == UNMET)]
    med = base.set_index("year")["median"]
    change = 100 * (med[4] / med[1] - 1)
    number = re.search(r"([+\u2212-]?\d+)%", fig.title)
    assert number, fig.title
    assert int(number.group(1).replace("\u2212", "-")) == round(change)
    assert ("jaar 1" if lang == "nl" else "year 1") in fig.title


def test_drift_table_gives_the_change_per_design(outcomes):
    drift = drift_table(outcomes)
    assert set(drift["design"]) == {"gatekeeping", "early_signalling", "yes_is_cheaper"}
    row = drift[(drift["design"] == "gatekeeping") & (drift["outcome"] == UNMET)].iloc[0]
    assert row["first_year"] == 1 and row["last_year"] == 4
    assert np.isclose(row["change"], row["median_last_year"] / row["median_first_year"] - 1)


def test_trajectory_figure_needs_an_outcome(outcomes, tmp_path):
    with pytest.raises(ValueError, match="none of the trajectory outcomes"):
        figure_trajectories(outcomes, tmp_path, panel=["no_such_outcome"])
