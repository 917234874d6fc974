"""The trajectories figure's title does not let a fall read as a fall below the baseline."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.report.findings import trajectory_title
from experiments.report.style import design_label

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"


def yearly(early_last: float) -> pd.DataFrame:
    rows = []
    for design, first, last in (
        ("gatekeeping", 100.0, 100.0),
        ("early_signalling", 300.0, early_last),
    ):
        for year, value in ((1, first), (5, last)):
            rows.append({"design": design, "outcome": UNMET, "year": year, "median": value})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("early_last", "word"), [(150.0, "above"), (60.0, "below")])
def test_a_falling_variant_is_placed_against_the_baseline_in_the_last_year(early_last, word):
    title = trajectory_title(
        yearly(early_last), ["gatekeeping", "early_signalling"], "gatekeeping", "en"
    )
    assert "falls under" in title and design_label("early_signalling", "en") in title
    assert f"{word} ‘{design_label('gatekeeping', 'en')}’ in year 5" in title
