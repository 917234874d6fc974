"""No sentence without a computed number (issue 27): every number in the brief's summary on
the lasting answer (settled differences, transition), the present value and payback, and
the robustness statement comes from the tables it is computed from, in both languages."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from _synthetic import DESIGNS, make_tables

from experiments import stats
from experiments.report.brief import SUMMARY_OUTCOMES, write_brief
from experiments.report.findings import change_value
from experiments.report.numbers import fmt_eur, fmt_eur_compact, fmt_number, fmt_pct
from experiments.report.present_value import present_values
from experiments.report.robustness import ROBUST_SHARE, robustness_table
from experiments.report.settling import settling
from experiments.report.style import design_label, design_ref

YEARS, INHABITANTS = 12, 50_000
NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def _discovery(folder) -> None:
    """A small discovery result: 9 futures; early signalling cheapest in 6 of them."""
    rng = np.random.default_rng(3)
    rows = []
    for point in range(9):
        for d, (cost, unmet) in zip(DESIGNS, ((2500, 900), (2480, 700), (2550, 400)), strict=True):
            shift = -40 if d == "gatekeeping" and point >= 6 else 0
            for out, v in (
                ("total_chain_cost_eur_per_inhabitant_per_year", cost + shift),
                ("unmet_need_person_weeks_per_1000_inhabitants_per_year", unmet),
            ):
                rows.append((point, 0, f"{d}__{out}", v + rng.normal(0, 1)))
    outputs = pd.DataFrame(rows, columns=["point", "replication", "output", "value"])
    folder.mkdir()
    outputs.to_parquet(folder / "lhs_outputs.parquet", index=False)
    pd.DataFrame(
        {
            "target": ["lowest_total_chain_cost"],
            "box": [1],
            "winner": ["gatekeeping"],
            "n_points": [3],
            "density": [1.0],
            "coverage": [1.0],
            "rule": ["growth > 1.2"],
        }
    ).to_csv(folder / "discovery_boxes.csv", index=False)


def _paragraphs(page: str, cls: str) -> list[str]:
    found = re.findall(rf"<p class='{cls}'>(.*?)</p>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\xa0", " ") for p in found]


def _items(page: str, cls: str) -> list[str]:
    block = re.search(rf"<ul class=['\"]{cls}['\"]>(.*?)</ul>", page, flags=re.S)
    assert block, cls
    return [html.unescape(x).replace("\xa0", " ") for x in re.findall(r"<li>(.*?)</li>", block[1])]


def _table_cells(page: str, cls: str) -> dict[str, list[str]]:
    block = re.search(rf"<table class='{cls}'>(.*?)</table>", page, flags=re.S)
    assert block, cls
    body = block[1].split("<tbody>", 1)[1]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        head = html.unescape(re.search(r"<th>(.*?)</th>", row)[1])
        tds = re.findall(r"<td[^>]*>(.*?)</td>", row)
        out[head] = [html.unescape(x).replace("\xa0", " ") for x in tds]
    return out


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def _allowed(strings: list[str]) -> set[str]:
    out: set[str] = set()
    for s in strings:
        out |= _numbers(str(s).replace("\xa0", " "))
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_number_in_the_summary_comes_from_its_table(tmp_path, lang):
    runs, outcomes = make_tables(replications=4, years=YEARS, population=8_000)
    folder = tmp_path / "discovery"
    _discovery(folder)
    page = write_brief(
        tmp_path,
        runs,
        outcomes,
        lang=lang,
        baseline="gatekeeping",
        meta={"inhabitants": INHABITANTS, "robustness": str(folder)},
    ).read_text(encoding="utf-8")
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    settled = settling(data, "gatekeeping")
    pv = present_values(outcomes, "gatekeeping", INHABITANTS)

    # the lasting answer: each settled difference and the transition's years, per variant
    lines = _paragraphs(page, "settled")
    assert len(lines) == len(DESIGNS) - 1
    for line, design in zip(lines, DESIGNS[1:], strict=True):
        rows = settled[settled["design"] == design]
        expected = [str(int(rows["window_first_year"].iloc[0]))]
        expected.append(str(int(rows["window_last_year"].iloc[0])))
        for _, r in rows.iterrows():
            value = change_value(r["settled_difference"], r["baseline_level"], r["outcome"], lang)
            assert value.replace("\xa0", " ") in line, (design, r["outcome"])
            expected.append(value)
            if r["settled"] and r["settled_from_year"] > 1:
                trans = change_value(
                    r["transition_difference"], r["baseline_level"], r["outcome"], lang
                )
                assert trans.replace("\xa0", " ") in line
                expected.append(trans)
        held = rows[rows["settled"]]
        if len(held) and int(held["settled_from_year"].max()) > 1:
            y = int(held["settled_from_year"].max())
            expected += [str(y), str(y - 1), "1"]
        assert _numbers(line) <= _allowed(expected), (line, expected)

    # present value and payback: the municipality's and society's totals, the years
    for line, design in zip(_paragraphs(page, "present-value"), DESIGNS[1:], strict=True):
        rows = pv[pv["design"] == design].set_index("actor")
        expected = [str(YEARS), fmt_pct(float(rows["discount_rate"].iloc[0]), lang, 2)]
        for actor in ("municipality", "society"):
            r = rows.loc[actor]
            x = fmt_eur_compact(float(r["difference_eur_municipality"]), lang, signed=True)
            assert x.replace("\xa0", " ") in line, (design, actor)
            expected.append(x)
            if not pd.isna(r["payback_year"]):
                expected.append(str(int(r["payback_year"])))
        expected.append(fmt_number(INHABITANTS, 0, lang))
        assert _numbers(line) <= _allowed(expected), (line, expected)

    # the one-page summary: each cell from the settling and present-value tables
    cells = _table_cells(page, "summary")
    money = _table_cells(page, "summary-money")
    for design in DESIGNS[1:]:
        rows = settled[settled["design"] == design].set_index("outcome")
        row = cells[design_label(design, lang)]
        for cell, outcome in zip(row, SUMMARY_OUTCOMES, strict=True):
            r = rows.loc[outcome]
            value = change_value(r["settled_difference"], r["baseline_level"], outcome, lang)
            assert cell == value.replace("\xa0", " ") + ("" if r["settled"] else " *")
        p = pv[pv["design"] == design].set_index("actor")
        got = money[design_label(design, lang)]
        for k, actor in enumerate(("municipality", "society")):
            r = p.loc[actor]
            x = fmt_eur_compact(float(r["difference_eur_municipality"]), lang, signed=True)
            assert got[2 * k] == x.replace("\xa0", " ")
            year = r["payback_year"]
            assert (
                (str(int(year)) in got[2 * k + 1])
                if not pd.isna(year)
                else not _numbers(got[2 * k + 1])
            )

    # robustness: the verdicts on top; the shares and regrets in the annex
    means = pd.read_parquet(folder / "lhs_outputs.parquet").pivot_table(
        index="point", columns="output", values="value"
    )
    table = robustness_table(means, list(DESIGNS)).set_index("design")
    verdicts = _items(page, "robust")
    assert len(verdicts) == 2
    cost_best = table["share_lowest_cost"].idxmax()
    share = float(table.loc[cost_best, "share_lowest_cost"])
    assert fmt_pct(share, lang) in verdicts[0]
    assert ("Robuust" if lang == "nl" else "Robust") in verdicts[0]
    assert share >= ROBUST_SHARE
    assert _numbers(verdicts[0]) <= _allowed(
        [
            fmt_pct(share, lang),
            fmt_pct(ROBUST_SHARE, lang),
            fmt_number(1.2, 1, lang),  # the box's condition: growth > 1.2
            "3",
            fmt_pct(1.0, lang),
        ]
    )
    annex = _items(page, "robust-all")
    for design in DESIGNS:
        r = table.loc[design]
        line = next(x for x in annex if x.startswith(design_ref(design, lang)))
        for x in (
            fmt_pct(r["share_lowest_cost"], lang),
            fmt_pct(r["share_least_unmet_need"], lang),
            fmt_eur(r["regret_cost_median"], 0, lang),
            fmt_eur(r["regret_cost_max"], 0, lang),
            fmt_number(r["regret_unmet_median"], 0, lang),
        ):
            assert x.replace("\xa0", " ") in line.replace("\xa0", " "), (design, x)
