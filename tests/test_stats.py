"""Statistics, number formatting and table export, checked against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _synthetic import make_tables

from experiments import stats
from experiments.report import export
from experiments.report.numbers import fmt_eur, fmt_eur_compact, fmt_number, fmt_pct
from experiments.report.style import ESCALATIONS_TOTAL, TOTAL_COST


def _hand_table() -> pd.DataFrame:
    """Two designs x 5 replications, one outcome, year 0, rows shuffled."""
    base = [10.0, 20.0, 30.0, 40.0, 50.0]
    yes = [8.0, 25.0, 27.0, 41.0, 44.0]  # differences: -2, 5, -3, 1, -6
    rows = []
    for design, values in (("gatekeeping", base), ("yes_is_cheaper", yes)):
        for k, v in enumerate(values):
            rows.append((f"{design}-{k}", design, k, 0, "x", v, "eur"))
    df = pd.DataFrame(
        rows, columns=["run_id", "design", "replication", "year", "outcome", "value", "unit"]
    )
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_summarise_hand_computed() -> None:
    s = stats.summarise(_hand_table()).set_index("design")
    g = s.loc["gatekeeping"]
    # linear interpolation (type 7): position p*(n-1) in the sorted values
    assert g["median"] == 30.0
    assert g["mean"] == 30.0
    assert g["p25"] == 20.0 and g["p75"] == 40.0
    assert g["p5"] == pytest.approx(12.0)  # 10 + 0.2 * 10
    assert g["p95"] == pytest.approx(48.0)  # 40 + 0.8 * 10
    assert g["n"] == 5
    y = s.loc["yes_is_cheaper"]
    assert y["median"] == 27.0
    assert y["mean"] == pytest.approx(29.0)


def test_paired_differences_hand_computed() -> None:
    d = stats.paired_differences(_hand_table())
    assert list(d["design"]) == ["yes_is_cheaper"]
    r = d.iloc[0]
    # sorted differences: -6, -3, -2, 1, 5
    assert r["median"] == -2.0
    assert r["mean"] == pytest.approx(-1.0)
    assert r["p25"] == -3.0 and r["p75"] == 1.0
    assert r["p5"] == pytest.approx(-5.4)  # -6 + 0.2 * 3
    assert r["p95"] == pytest.approx(4.2)  # 1 + 0.8 * 4
    assert r["share_lower"] == pytest.approx(0.6)
    assert r["n"] == 5


def test_paired_values_pair_on_replication_and_drop_unpaired() -> None:
    df = _hand_table()
    df = df[~((df["design"] == "yes_is_cheaper") & (df["replication"] == 4))]
    pv = stats.paired_values(df)
    assert list(pv["replication"]) == [0, 1, 2, 3]
    assert list(pv["difference"]) == [-2.0, 5.0, -3.0, 1.0]
    assert stats.paired_differences(df).iloc[0]["n"] == 4


def test_year_zero_derived_when_missing() -> None:
    df = _hand_table()
    y1, y2 = df.copy(), df.copy()
    y1["year"], y2["year"] = 1, 2
    y2["value"] = y2["value"] + 2.0
    s = stats.summarise(pd.concat([y1, y2]), year=0).set_index("design")
    assert s.loc["gatekeeping", "median"] == 31.0
    by_year = stats.summarise_by_year(pd.concat([y1, y2]))
    assert set(by_year["year"]) == {1, 2}


def test_missing_baseline_raises() -> None:
    df = _hand_table()
    with pytest.raises(ValueError, match="baseline"):
        stats.paired_differences(df[df["design"] != "gatekeeping"])


def test_derived_escalation_total() -> None:
    _, out = make_tables(replications=3, years=2)
    d = stats.with_derived_outcomes(out)
    esc = out[out["outcome"].str.startswith("escalations__")]
    one = esc[(esc["run_id"] == "gatekeeping-000") & (esc["year"] == 1)]["value"].sum()
    total = d[
        (d["outcome"] == ESCALATIONS_TOTAL) & (d["run_id"] == "gatekeeping-000") & (d["year"] == 1)
    ]["value"]
    assert total.iloc[0] == pytest.approx(one)
    assert len(stats.with_derived_outcomes(d)) == len(d)  # not added twice


def test_common_random_numbers_narrow_the_differences() -> None:
    runs, out = make_tables(replications=30, years=3)
    assert stats.check_common_random_numbers(runs)
    s = stats.summarise(out).set_index(["design", "outcome"])
    d = stats.paired_differences(out, runs=runs).set_index(["design", "outcome"])
    key = ("early_signalling", TOTAL_COST)
    assert d.loc[key, "p95"] - d.loc[key, "p5"] < s.loc[key, "p95"] - s.loc[key, "p5"]
    assert d.loc[key, "median"] < 0


def test_warns_when_seeds_are_not_common() -> None:
    runs, out = make_tables(replications=3, years=2)
    runs.loc[runs["design"] == "yes_is_cheaper", "seed"] += 99
    assert not stats.check_common_random_numbers(runs)
    with pytest.warns(UserWarning, match="common random numbers"):
        stats.paired_differences(out, runs=runs)


def test_replications_for_stability() -> None:
    rng = np.random.default_rng(1)
    tight = stats.replications_for_stability(2000 + rng.normal(0, 5, 50))
    assert tight.stable and tight.rel_half_width < 0.01
    assert tight.ci_low <= tight.median <= tight.ci_high
    loose = stats.replications_for_stability(2000 + rng.normal(0, 300, 10))
    assert not loose.stable
    assert loose.suggested_n > 10
    with pytest.raises(ValueError):
        stats.replications_for_stability([1.0])
    _, out = make_tables(replications=10, years=2)
    table = stats.stability_table(out)
    assert set(table["design"]) == {"gatekeeping", "early_signalling", "yes_is_cheaper"}


# --- number formatting -------------------------------------------------------------------


def test_number_formats_dutch_and_english() -> None:
    assert fmt_number(1234.5, 1) == "1.234,5"
    assert fmt_number(1234.5, 1, "en") == "1,234.5"
    assert fmt_number(1234567.0) == "1.234.567"
    assert fmt_number(-0.4) == "0"  # no "-0"
    assert fmt_number(3.0, signed=True) == "+3"
    assert fmt_number(float("nan")) == "–"
    assert fmt_eur(1234) == "€ 1.234"
    assert fmt_eur(1234, lang="en") == "€1,234"
    assert fmt_eur(1234.5, 1) == "€ 1.234,5"
    assert fmt_eur(-63) == "\u2212€ 63"
    assert fmt_eur(21, signed=True) == "+€ 21"
    assert fmt_eur_compact(1_500_000) == "€ 1,5 mln"
    assert fmt_eur_compact(1_500_000, "en") == "€1.5 million"
    assert fmt_eur_compact(2_345_000_000) == "€ 2,3 mld"
    assert fmt_eur_compact(561_609) == "€ 562.000"
    assert fmt_eur_compact(950) == "€ 950"
    assert fmt_pct(0.456) == "46%"
    assert fmt_pct(0.0071, decimals=1) == "0,7%"
    with pytest.raises(ValueError):
        fmt_number(1.0, lang="de")


# --- export ---------------------------------------------------------------------------


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "design": ["gatekeeping", "yes_is_cheaper"],
            "label": ["Poortwachter (wijkteam)", "Ja zeggen is goedkoper – € ë"],
            "median": [1234.5, -0.25],
            "n": [20, 20],
        }
    )


def test_dutch_csv_format_and_round_trip(tmp_path) -> None:
    df = _table()
    path = export.write_dutch_csv(df, tmp_path / "t_nl.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "design;label;median;n"
    assert "1234,5" in text and "-0,25" in text and "€ ë" in text
    back = export.read_dutch_csv(path)
    pd.testing.assert_frame_equal(back, df)


def test_csv_and_xlsx(tmp_path) -> None:
    from openpyxl import load_workbook

    tables = {"summary": _table(), "a/very:long*name that is over thirty-one chars": _table()}
    written = export.export_tables(tables, tmp_path)
    assert len(written["csv"]) == 2 and len(written["csv_nl"]) == 2
    back = pd.read_csv(written["csv"][0])
    pd.testing.assert_frame_equal(back, _table())
    wb = load_workbook(written["xlsx"][0])
    assert wb.sheetnames[0] == "summary"
    assert len(wb.sheetnames[1]) <= 31 and "/" not in wb.sheetnames[1]
    ws = wb["summary"]
    assert ws["C2"].value == 1234.5 and ws["A1"].font.bold
    with pytest.raises(ValueError):
        export.export_tables(tables, tmp_path, formats=("pdf",))
    assert not math.isnan(back["median"].iloc[0])
