"""Robustness over the declared uncertainties (issue 27): the discovery's cost in present
value (MKBA rate), an older discovery folder read with the undiscounted mean and said so,
and a small discovery run from inside `ketensim compare` (robustness=run|N)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.report.present_value import DISCOUNT_RATE, present_value_of
from experiments.report.robustness import (
    MEAN,
    PRESENT_VALUE,
    robustness_lines,
    robustness_table,
)

DESIGNS = ["gatekeeping", "early_signalling"]
TOTAL = "total_chain_cost_eur_per_inhabitant_per_year"
UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
TOTAL_PV = "total_chain_cost_present_value_eur_per_inhabitant"
MUNICIPAL_PV = "municipal_spending_present_value_eur_per_inhabitant"


def test_present_value_discounts_each_year_from_the_second():
    yearly = pd.DataFrame(
        {"year": [0, 1, 2, 3], "outcome": ["c"] * 4, "value": [999.0, 100.0, 100.0, 100.0]}
    )
    expected = 100 * (1 + 1 / (1 + DISCOUNT_RATE) + 1 / (1 + DISCOUNT_RATE) ** 2)
    assert present_value_of(yearly, "c") == pytest.approx(expected)
    assert np.isnan(present_value_of(yearly, "other"))


def _means(with_pv: bool) -> pd.DataFrame:
    """Ten futures: early signalling costs more on the mean over the years in 6 of them,
    but its costs fall late less than gatekeeping's rise late, so in present value it is
    the cheaper in 8 (the two bases disagree on purpose)."""
    rows = {}
    for p in range(10):
        rows[p] = {
            f"gatekeeping__{TOTAL}": 100.0,
            f"early_signalling__{TOTAL}": 101.0 if p < 6 else 99.0,
            f"gatekeeping__{UNMET}": 10.0,
            f"early_signalling__{UNMET}": 5.0,
        }
        if with_pv:
            rows[p] |= {
                f"gatekeeping__{TOTAL_PV}": 900.0,
                f"early_signalling__{TOTAL_PV}": 890.0 if p < 8 else 910.0,
                f"gatekeeping__{MUNICIPAL_PV}": 300.0,
                f"early_signalling__{MUNICIPAL_PV}": 320.0,
            }
    return pd.DataFrame.from_dict(rows, orient="index")


def test_lowest_cost_share_is_in_present_value_when_the_discovery_stored_it():
    table = robustness_table(_means(True), DESIGNS).set_index("design")
    assert (table["cost_basis"] == PRESENT_VALUE).all()
    assert table.loc["early_signalling", "share_lowest_cost"] == pytest.approx(0.8)
    assert table.loc["gatekeeping", "share_lowest_municipal"] == pytest.approx(1.0)
    assert table.loc["early_signalling", "regret_municipal_median"] == pytest.approx(20.0)
    nl = robustness_lines(table.reset_index(), pd.DataFrame(), "nl", years=20)
    en = robustness_lines(table.reset_index(), pd.DataFrame(), "en", years=20)
    assert "contante waarde over 20 jaar" in nl[0] and "2,25%" in nl[0]
    assert "present value over 20 years" in en[0] and "2.25%" in en[0]
    assert "niet contant" not in nl[0] and "not discounted" not in en[0]
    assert "gemeentelijke uitgaven" in nl[2] and "municipal spending" in en[2]


def test_an_older_discovery_falls_back_to_the_undiscounted_mean_and_says_so():
    table = robustness_table(_means(False), DESIGNS).set_index("design")
    assert (table["cost_basis"] == MEAN).all()
    assert table.loc["early_signalling", "share_lowest_cost"] == pytest.approx(0.4)
    nl = robustness_lines(table.reset_index(), pd.DataFrame(), "nl")
    en = robustness_lines(table.reset_index(), pd.DataFrame(), "en")
    assert "niet contant gemaakt" in nl[0] and "per inwoner per jaar" in nl[1]
    assert "not discounted" in en[0] and "per inhabitant per year" in en[1]
    assert "gemeentelijke" not in " ".join(nl)


@pytest.mark.parametrize("value", ["", "3", "0", "-4", "501", "soon", "run2"])
def test_bad_robustness_values_are_refused_before_anything_runs(tmp_path, capsys, value):
    out = tmp_path / "out"
    assert main(["compare", f"robustness={value}", f"out={out}"]) == 2
    err = capsys.readouterr().err
    assert f"robustness={value}" in err and "allowed: run" in err
    assert not out.exists()


TINY = [
    "municipality=small_town",
    "population=200",
    "years=2",
    "burn_in_years=1",
    "replications=2",
    "backend=sequential",
    "designs=gatekeeping,early_signalling",
    "lang=en",
]


@pytest.mark.parametrize(
    "command",
    [
        ["compare", *TINY, "robustness=run"],
        ["sensitivity", "method=discovery", "samples=4", *TINY[:4], "backend=sequential"],
    ],
)
def test_a_missing_discovery_library_is_said_before_any_run(tmp_path, capsys, monkeypatch, command):
    """The README's main job once ran 36 minutes and then lost its robustness study to a
    missing scikit-learn: a missing library must stop the command before its first run."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a)
    )
    out = tmp_path / "out"
    assert main([*command, f"out={out}"]) == 2
    err = capsys.readouterr().err
    assert "needs scikit-learn" in err and "pip install -e ." in err, err[-400:]
    assert not out.exists()


@pytest.fixture
def no_pdf(monkeypatch):
    monkeypatch.setattr("experiments.report.pdf.find_browser", lambda: None)


def _lead(page: str) -> str:
    block = re.search(r"<ul class=['\"]robust-all['\"]>(.*?)</ul>", page, flags=re.S)
    assert block
    return re.sub(r"<[^>]+>", "", re.findall(r"<li>(.*?)</li>", block[1], flags=re.S)[0])


def test_compare_runs_a_small_robustness_study_and_the_brief_uses_it(tmp_path, capsys, no_pdf):
    out = tmp_path / "cmp"
    assert main(["compare", *TINY, "robustness=4", f"out={out}"]) == 0
    err = capsys.readouterr().err
    assert "robustness: a scenario discovery over 4 futures x 2 designs" in err, err[-600:]
    assert "lhs runs: 8 of 8 done" in err  # progress shown
    stored = pd.read_parquet(out / "robustness" / "lhs_outputs.parquet")
    for d in DESIGNS:
        assert f"{d}__{TOTAL_PV}" in set(stored["output"])
    table = pd.read_csv(out / "robustness.csv")
    assert set(table["design"]) == set(DESIGNS)
    assert (table["cost_basis"] == PRESENT_VALUE).all()
    lead = _lead((out / "brief_en.html").read_text(encoding="utf-8"))
    assert "4 plausible futures" in lead
    assert (
        "small town (example profile), 200 inhabitants, 2 years, 1 replication per future" in lead
    )
    assert "present value over 2 years" in lead
    # the one-page summary repeats the study's setting above its verdicts
    page = (out / "brief_en.html").read_text(encoding="utf-8")
    top = re.search(r"<ul class=['\"]robust['\"]>(.*?)</ul>", page, flags=re.S)
    assert top
    first = re.sub(r"<[^>]+>", "", re.findall(r"<li>(.*?)</li>", top[1], flags=re.S)[0])
    assert first.startswith("Basis: 4 plausible futures"), first
    assert "200 inhabitants, 2 years" in first and "as present value" in first, first
    report = json.loads((out / "compare.json").read_text())
    assert report["robustness_study"]["error"] is None


def test_a_failed_robustness_study_keeps_the_compare(tmp_path, capsys, no_pdf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("discovery broke")

    monkeypatch.setattr("experiments.sensitivity.command.run_stages", broken)
    out = tmp_path / "cmp"
    assert main(["compare", *TINY, "robustness=run", f"out={out}"]) == 0
    err = capsys.readouterr().err
    assert "robustness study failed (RuntimeError: discovery broke)" in err, err[-700:]
    assert (out / "brief_en.html").is_file() and (out / "summary.csv").is_file()
    assert not (out / "robustness.csv").exists()
    report = json.loads((out / "compare.json").read_text())
    assert "discovery broke" in report["robustness_study"]["error"]


def test_a_flip_condition_reads_as_words_in_the_briefs_language():
    """A box's rule reaches the council in words, not as '<=' and '&', with a decimal comma
    in Dutch also for three decimals (0.874 is not eight hundred and seventy-four)."""
    from experiments.report.robustness import readable

    rule = "over_supply <= 0.874 and 0.1 < detection <= 1.34 and growth > 0.00183"
    labels = {"over_supply": "over-supply (a and b)", "detection": "detection", "growth": "groei"}
    en = readable(rule, labels, "en")
    nl = readable(rule, labels, "nl")
    assert en == (
        "over-supply (a and b) at most 0.874 and detection from 0.1 to 1.34 and groei above 0.00183"
    )
    assert "hoogstens 0,874" in nl and "van 0,1 tot 1,34" in nl and "boven 0,00183" in nl
    assert not any(op in en + nl for op in ("<", ">", "&"))
    # with the declared ranges, each threshold can be read against what was thought plausible
    ranges = {"over_supply": ("scale", 0.0, 2.0), "growth": ("set", 0.0, 0.004)}
    en = readable(rule, labels, "en", ranges)
    nl = readable(rule, labels, "nl", ranges)
    assert "at most 0.874 (times today's value; declared range 0 to 2)" in en, en
    assert "above 0.00183 (declared range 0 to 0.004)" in en, en
    assert "detection from 0.1 to 1.34 and" in en  # no declared range given: none said
    assert "boven 0,00183 (opgegeven bereik 0 tot 0,004)" in nl, nl


def test_flips_say_a_shared_condition_once_and_each_range_at_its_first_mention():
    """Two boxes that share 'over-supply at most 0.874' and part on growth: the shared
    condition comes once before the colon, each declared range once, and the two boxes are
    alternatives ('or'); a single box keeps its whole rule."""
    import pandas as pd

    from experiments.report.robustness import flip_sentence

    labels = {"over_supply": "over-supply", "growth": "growth"}
    ranges = {"over_supply": ("scale", 0.0, 2.0), "growth": ("set", 0.0, 0.004)}
    boxes = pd.DataFrame(
        {
            "winner": ["gatekeeping", "independent_advice"],
            "rule": [
                "over_supply <= 0.874 and growth <= 0.002",
                "over_supply <= 0.874 and growth > 0.002",
            ],
            "n_points": [4, 3],
            "density": [0.5, 0.67],
        }
    )
    en = flip_sentence(boxes, labels, "en", ranges)
    assert en.startswith("The ranking flips where over-supply at most 0.874 (times today's"), en
    assert en.count("over-supply") == 1 and en.count("declared range 0 to 0.004") == 1, en
    assert ": growth at most 0.002 (declared range 0 to 0.004) (then" in en, en
    assert "futures) or growth above 0.002 (then" in en, en
    nl = flip_sentence(boxes, labels, "nl", ranges)
    assert (
        nl.startswith("De rangorde draait om waar over-supply hoogstens 0,874")
        and ") of growth" in nl
    )
    one = flip_sentence(boxes.iloc[:1], labels, "en", ranges)
    assert (
        one.startswith("The ranking flips where over-supply at most 0.874 (times")
        and ":" not in one
    )


def test_the_study_setting_counts_replications_in_words():
    """'1 replication per future', '3 replications per future' (nl: herhaling/herhalingen),
    not 'replication(s)'."""
    from experiments.report.robustness import setting_text

    meta = {"profile": "x", "population": 2000, "years": 20}
    assert setting_text({**meta, "replications": 1}, "en").endswith("1 replication per future")
    assert setting_text({**meta, "replications": 3}, "en").endswith("3 replications per future")
    assert setting_text({**meta, "replications": 1}, "nl").endswith("1 herhaling per toekomst")
    assert setting_text({**meta, "replications": 3}, "nl").endswith("3 herhalingen per toekomst")
    assert "2.000 inwoners" in setting_text({**meta, "replications": 1}, "nl")
