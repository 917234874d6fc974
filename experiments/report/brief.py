"""A short brief for a municipal council: one self-contained HTML page.

`write_brief` writes `brief.html` (Dutch) or `brief_en.html` (English): the result in brief
(what gets better and what gets worse against the baseline), the course over the years, the
question and the variants compared (a design plus levers), who pays (financiers, carers'
hours, the municipality's own budgets, the societal cost-benefit table per actor), what
citizens notice, the uncertainties and how the results were made. Every number and every
finding is computed from the `runs` and `outcomes` tables (`experiments.report.findings`);
the words come from the catalogues (`texts/<lang>.yaml`), the page from the Jinja2 template
`templates/brief.html.j2`, a part per section. Figures are embedded as base64 PNG and
numbered in page order, the CSS is inline, nothing is loaded from elsewhere.

The tables are grouped on their `design` column; `compare` puts variant names there and
names them through `experiments.report.style.use_variants`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import stats
from experiments.report import mkba
from experiments.report.administration import administration_section
from experiments.report.canvas import FigureFiles
from experiments.report.figures import FIGURE_NAMES, make_all_figures
from experiments.report.findings import (
    CLEAR_SHARE,
    INFORMAL_HOURS,
    INFORMAL_VALUE,
    KEY_OUTCOMES,
    LOWER_IS_BETTER,
    MUNICIPAL_COST,
    TREND_SHARE,
    WEEKS_OUTCOMES,
    change_value,
    key_numbers,
    pocket_shifts,
    trade_off,
    trends,
    unsettled,
)
from experiments.report.mkba import SOCIETY
from experiments.report.numbers import (
    fmt_eur,
    fmt_eur_compact,
    fmt_number,
    fmt_pct,
    fmt_value,
    keep_together,
    long_date,
)
from experiments.report.pages import embedded_figure, page_css, render
from experiments.report.present_value import present_values
from experiments.report.present_value_text import present_value_line, present_value_table
from experiments.report.robustness import (
    discovery_meta,
    in_present_value,
    load_discovery,
    robustness_lines,
    robustness_table,
    setting_text,
)
from experiments.report.settling import settled_line, settling
from experiments.report.style import (
    BASELINE,
    TOTAL_COST,
    design_colour,
    design_description,
    design_label,
    design_ref,
    financier_name,
    financier_outcome,
    lever_description,
    order_designs,
    outcome_label,
    outcome_unit,
)
from experiments.report.texts import LANGS, has, join_words, section, t

Figures = Mapping[str, FigureFiles | Path | Sequence[Path]]
# the figures in the order the page shows them (others after `outcomes` and `fan_charts`)
PAGE_ORDER: tuple[str, ...] = (
    "total_cost",
    "trajectories",
    "wrong_pocket",
    "cost_by_financier",
    "cumulative_cost",
    "outcomes",
    "fan_charts",
)


@dataclass(frozen=True)
class Brief:
    """What every section of the brief reads: the tables, the variants and the settings."""

    lang: str
    runs: pd.DataFrame
    outcomes: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    baseline: str
    order: list[str]
    n: int  # replications
    last_year: int
    population: int | None  # simulated persons
    inhabitants: int  # of the municipality

    @property
    def others(self) -> list[str]:
        """The variants compared with the baseline."""
        return [d for d in self.order if d != self.baseline]

    @property
    def base(self) -> str:
        """The baseline, quoted for running text."""
        return design_ref(self.baseline, self.lang)

    def t(self, key: str, **values: object) -> str:
        """A text of the brief (`brief.<key>` in the catalogue) in this brief's language."""
        return t(f"brief.{key}", self.lang, **values)

    def diffs_of(self, outcome: str) -> pd.DataFrame:
        """The paired differences of one outcome, by variant."""
        diffs = self.tables["differences"]
        return diffs[diffs["outcome"] == outcome].set_index("design")

    def variant_info(self, design: str) -> Mapping[str, Any]:
        """`meta["variants"]`'s entry for a variant (design, lever_keys, overrides)."""
        variants = {v["name"]: v for v in self.meta.get("variants", []) if "name" in v}
        return variants.get(design, {})


def profile_name(profile: str | None, lang: str) -> str:
    """A municipality for the reader: built-in profiles by a description, others by name."""
    if not profile:
        return t("brief.unknown", lang)
    return t(f"profiles.{profile}", lang) if has(f"profiles.{profile}") else profile


def _population(runs: pd.DataFrame, meta: Mapping[str, Any]) -> int | None:
    if meta.get("population"):
        return int(meta["population"])
    for col in ("population", "n_inhabitants", "inhabitants", "population_size"):
        if col in runs.columns and runs[col].notna().any():
            return int(runs[col].dropna().iloc[0])
    return None


def lever_texts(info: Mapping[str, Any], lang: str) -> list[str]:
    """What each lever switched on in a variant does (`info["lever_keys"]`)."""
    return [lever_description(lever, lang) for lever in info.get("lever_keys", [])]


# --- the sections, in page order -----------------------------------------------------------


def _trade_off_of(b: Brief, d: str) -> dict[str, Any]:
    """One variant's headline: better, worse, unclear, the verdict, its scale for the whole
    municipality and whether its difference has settled."""
    summary, diffs = b.tables["summary"], b.tables["differences"]
    lang, inh = b.lang, b.inhabitants
    dtot, dmun = b.diffs_of(TOTAL_COST), b.diffs_of(MUNICIPAL_COST)
    found = trade_off(diffs, summary, d, b.baseline, lang)
    better, worse = found["better"], found["worse"]
    verdict = (
        b.t("trade", good=better[0].split(" (")[0], bad=worse[0].split(" (")[0])
        if better and worse
        else b.t("all_good")
        if better
        else b.t("all_bad")
        if worse
        else None
    )
    scale = None
    if inh and d in dtot.index:
        total_x = float(dtot.loc[d, "median"]) * inh
        mun_x = float(dmun.loc[d, "median"]) * inh if d in dmun.index else float("nan")
        scale = b.t(
            "scale",
            inh=fmt_number(inh, 0, lang),
            total=fmt_eur_compact(total_x, lang, signed=True),
            mun=fmt_eur_compact(mun_x, lang, signed=True) if mun_x == mun_x else "?",
            rest=fmt_eur_compact(total_x - mun_x, lang, signed=True) if mun_x == mun_x else "?",
        )
    return {
        "head": b.t("head_variant_html", v=design_label(d, lang), base=b.base),
        "better": b.t("better_html", items="; ".join(better))
        if better
        else b.t("none_better_html"),
        "worse": b.t("worse_html", items="; ".join(worse)) if worse else b.t("none_worse_html"),
        "unclear": b.t("unclear", items=join_words(found["unclear"], lang))
        if found["unclear"]
        else None,
        "verdict": verdict,
        "scale": scale,
        "present_value": present_value_line(b.tables["present_value"], d, b.base, lang),
        # the lasting answer apart from the transition (experiments.report.settling)
        "settled": settled_line(b.tables["settling"], d, b.baseline, lang)
        if b.last_year > 1
        else None,
        # the headline's differences in the last year: a transition is not the answer
        "unsettled": unsettled(b.tables["data"], d, b.baseline, b.last_year, lang)
        if b.last_year > 1
        else None,
    }


def headline(b: Brief) -> dict[str, Any]:
    """The result in brief: per variant what is clearly better, worse or not different."""
    summary = b.tables["summary"]
    pop, inh, lang = b.population, b.inhabitants, b.lang
    scale_note = (
        b.t("scaled_note", pop=fmt_number(pop, 0, lang)) if pop and inh and pop != inh else ""
    )
    single = None
    if not b.others:
        tot = summary[summary["outcome"] == TOTAL_COST].set_index("design")
        x = float(tot.loc[b.baseline, "median"])
        single = b.t(
            "single",
            v=design_ref(b.baseline, lang),
            x=fmt_eur(x, 0, lang),
            inh=fmt_number(inh, 0, lang),
            total=fmt_eur_compact(x * inh, lang),
        )
    variants = [_trade_off_of(b, d) for d in b.others]
    note = b.t("clear_note", share=fmt_pct(CLEAR_SHARE, lang), n=b.n) if b.others else None
    robust = robustness(b)
    return {
        "single": single,
        "scale_note": scale_note,
        "variants": variants,
        "note": note,
        # the study's basis and the verdicts (cost, unmet need) on top; the shares and
        # regrets in the annex
        "robust": [robustness_basis(b), *robust[-2:]] if robust else [t("robustness.none", lang)],
    }


SUMMARY_OUTCOMES: tuple[str, ...] = (
    TOTAL_COST,
    MUNICIPAL_COST,
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    "request_to_care_weeks_mean",
)


def summary(b: Brief) -> dict[str, Any] | None:
    """The one-page summary: per compared variant its lasting differences (mean of the last
    years) in cost, municipal spending, unmet need and waiting time (a star when still
    moving at the end), and the difference in present value for the municipality and for
    society with the payback years; the robustness verdicts beneath (`headline`)."""
    if not b.others or b.last_year < 2:
        return None
    lang, settled, pv = b.lang, b.tables["settling"], b.tables["present_value"]
    lasting, money_rows = [], []
    first = None
    for d in b.others:
        own = settled[settled["design"] == d].set_index("outcome")
        cells = []
        for o in SUMMARY_OUTCOMES:
            if o not in own.index:
                cells.append("–")
                continue
            r = own.loc[o]
            first = r
            value = change_value(r["settled_difference"], r["settled_baseline_level"], o, lang)
            cells.append(value + ("" if r["settled"] else " *"))
        lasting.append({"variant": design_label(d, lang), "cells": cells})
        money = pv[pv["design"] == d].set_index("actor")
        cells = []
        for actor in ("municipality", SOCIETY):
            ok = actor in money.index and not pd.isna(
                money.loc[actor, "difference_eur_municipality"]
            )
            if not ok:
                cells += ["–", "–"]
                continue
            r = money.loc[actor]
            year = r["payback_year"]
            cells.append(
                fmt_eur_compact(float(r["difference_eur_municipality"]), lang, signed=True)
            )
            cells.append(
                b.t("summary_payback", y=int(year))
                if not pd.isna(year)
                else b.t("summary_no_payback")
            )
        money_rows.append({"variant": design_label(d, lang), "cells": cells})
    if first is None:
        return None
    heads = []
    for o in SUMMARY_OUTCOMES:
        percent = not (o.endswith("_eur_per_inhabitant_per_year") or o in WEEKS_OUTCOMES)
        unit = (
            b.t("summary_pct_unit", base=b.base)
            if percent
            else b.t("summary_weeks_unit")
            if o in WEEKS_OUTCOMES
            else outcome_unit(o, lang)
        )
        heads.append({"label": outcome_label(o, lang), "unit": unit})
    return {
        "lead": b.t(
            "summary_lead",
            base=b.base,
            a=int(first["window_first_year"]),
            b=int(first["window_last_year"]),
        ),
        "heads": heads,
        "rows": lasting,
        "note": b.t("summary_note"),
        "money_lead": b.t(
            "summary_money_lead",
            base=b.base,
            y=b.last_year,
            inh=fmt_number(b.inhabitants, 0, lang),
            rate=fmt_pct(float(pv["discount_rate"].iloc[0]), lang, 2) if len(pv) else "?",
        ),
        "money_heads": [
            b.t("summary_pv_municipality"),
            b.t("summary_payback_head"),
            b.t("summary_pv_society"),
            b.t("summary_payback_head"),
        ],
        "money_rows": money_rows,
    }


def robustness_basis(b: Brief) -> str:
    """The robustness study's setting in one line for the summary: how many futures, where,
    how many inhabitants and years, and the cost basis (present value or mean)."""
    table = b.tables["robustness"]
    pv = in_present_value(table)
    return t(
        "robustness.summary_basis",
        b.lang,
        n=int(table["points"].iloc[0]),
        setting=setting_text(_robustness_meta(b), b.lang),
        basis=t("robustness.summary_pv" if pv else "robustness.summary_mean", b.lang),
    )


def _robustness_meta(b: Brief) -> dict[str, Any]:
    """The robustness study's setting (`discovery_meta`), its municipality named as the
    brief names it."""
    meta = dict(b.meta.get("robustness_meta") or {})
    if meta.get("profile"):
        meta["profile"] = profile_name(str(meta["profile"]), b.lang)
    return meta


def robustness(b: Brief) -> list[str]:
    """The robustness statement over the declared uncertainties (a discovery result given
    with robustness=): the lead, a line per variant, the verdicts; [] without one."""
    table = b.tables.get("robustness")
    if table is None or table.empty:
        return []
    meta = _robustness_meta(b)
    years = int(meta["years"]) if meta.get("years") else None
    return robustness_lines(
        table, b.tables["robustness_boxes"], b.lang, setting_text(meta, b.lang), years
    )


def key_table(b: Brief) -> dict[str, Any]:
    """The key figures per variant: mean over the years, the last year's value beneath."""
    lang, y = b.lang, b.last_year
    med = b.tables["summary"].pivot(index="outcome", columns="design", values="median")
    yearly = b.tables["yearly"]
    last = yearly[yearly["year"] == y].pivot(index="outcome", columns="design", values="median")
    rows = []
    for o in (TOTAL_COST, MUNICIPAL_COST, *KEY_OUTCOMES):
        if o not in med.index:
            continue
        values = med.loc[o, b.order]
        best = values.idxmax() if not LOWER_IS_BETTER.get(o, True) else values.idxmin()
        cells = []
        for d in b.order:
            in_year = None
            if o in last.index and d in last.columns:
                in_year = b.t("in_year", y=y, x=fmt_value(last.loc[o, d], o, lang))
            cells.append(
                {
                    "value": fmt_value(values[d], o, lang),
                    "last": in_year,
                    "best": d == best and len(b.order) > 1,
                }
            )
        rows.append(
            {"label": outcome_label(o, lang), "unit": outcome_unit(o, lang), "cells": cells}
        )
    return {
        "caption": b.t("table_caption", n=b.n, y=y),
        "heads": [design_label(d, lang) for d in b.order],
        "rows": rows,
    }


def over_the_years(b: Brief) -> dict[str, Any]:
    """A sentence per key figure that moves between the first and the last year."""
    lines = trends(b.tables["yearly"], b.order, b.baseline, b.lang)
    none = b.t("trend_none", base=b.base, pct=fmt_pct(TREND_SHARE, b.lang), y=b.last_year)
    return {"lines": lines, "none": none}


def variants_compared(b: Brief) -> list[dict[str, Any]]:
    """Each variant: its colour, name, what its design does, its levers and other settings."""
    out = []
    for d in b.order:
        info = b.variant_info(d)
        parts = [design_description(info.get("design", d), b.lang)]
        levers = lever_texts(info, b.lang)
        if levers:
            parts.append(b.t("levers_on", items="; ".join(levers)))
        if info.get("overrides"):
            parts.append(b.t("other_settings", items=", ".join(info["overrides"])))
        out.append(
            {
                "colour": design_colour(d),
                "label": design_label(d, b.lang),
                "baseline": d == b.baseline,
                "description": " ".join(parts),
            }
        )
    return out


def _payers(series: pd.Series, lang: str, limit: int = 3) -> str:
    return ", ".join(
        f"{financier_name(f, lang)} ({fmt_eur(v, 0, lang, signed=True)})"
        for f, v in series.head(limit).items()
    )


def who_pays(b: Brief) -> list[dict[str, Any]]:
    """Per variant: the financiers that pay more and save, the municipality against the rest
    of the chain, and the carers' hours (outside the chain cost)."""
    lang = b.lang
    dtot, dmun = b.diffs_of(TOTAL_COST), b.diffs_of(MUNICIPAL_COST)
    dinf, dhours = b.diffs_of(INFORMAL_VALUE), b.diffs_of(INFORMAL_HOURS)
    price = b.meta.get("informal_care_price")
    lines = []
    for d in b.others:
        up, down = pocket_shifts(b.tables["differences"], d)
        line: dict[str, Any] = {
            "label": design_label(d, lang),
            "more": b.t("pay_more", items=_payers(up, lang))
            if not up.empty
            else b.t("pay_none_more"),
            "less": b.t("pay_less", items=_payers(down, lang))
            if not down.empty
            else b.t("pay_none_less"),
            "municipal": None,
            "carers": None,
        }
        if d in dmun.index and d in dtot.index:
            m = dmun.loc[d, "median"]
            line["municipal"] = b.t(
                "pay_municipal",
                x=fmt_eur(m, 0, lang, signed=True),
                y=fmt_eur(dtot.loc[d, "median"] - m, 0, lang, signed=True),
            )
        if d in dhours.index and d in dinf.index:
            h = fmt_number(dhours.loc[d, "median"], 1, lang, signed=True)
            eur = f"{fmt_eur(dinf.loc[d, 'median'], 0, lang, signed=True)} {b.t('per_inh')}"
            line["carers"] = (
                b.t("carers", h=h, price=fmt_eur(price, 2, lang), eur=f"({eur})")
                if price
                else b.t("carers_noprice", h=h, eur=eur)
            )
        lines.append(line)
    return lines


def against_budget(b: Brief) -> list[str]:
    """Per variant the municipality's Wmo and youth spending against its own budgets."""
    budgets = {k: float(v) for k in ("wmo", "youth") if (v := b.meta.get(f"{k}_budget"))}
    if not budgets:
        return []
    data, y, lang = b.tables["data"], b.last_year, b.lang
    summary = stats.summarise(data)
    last = stats.summarise(data, year=y) if y else summary
    lines = []
    for d in b.order:
        items = []
        for fin, budget in budgets.items():
            o = financier_outcome(fin)
            row = summary[(summary["design"] == d) & (summary["outcome"] == o)]
            lrow = last[(last["design"] == d) & (last["outcome"] == o)]
            if row.empty:
                continue
            x = float(row["median"].iloc[0])
            lx = float(lrow["median"].iloc[0]) if len(lrow) else float("nan")
            items.append(
                b.t(
                    "budget_item",
                    what=b.t(fin),
                    x=fmt_eur(x, 0, lang),
                    pct=fmt_pct(x / budget, lang),
                    b=fmt_eur(budget, 0, lang),
                    y=y,
                    last=fmt_eur(lx, 0, lang),
                )
            )
        if items:
            lines.append(b.t("budget_line_html", v=design_label(d, lang), items="; ".join(items)))
    return lines


def societal_costs(b: Brief) -> dict[str, Any] | None:
    """The societal cost-benefit table per actor (MKBA), or None when there is nothing."""
    lang = b.lang
    table = mkba.societal_table(b.outcomes, b.baseline, b.inhabitants)
    if table.empty:
        return None
    rows = []
    for actor in [*mkba.ACTORS, mkba.SOCIETY]:
        by_variant = table[table["actor"] == actor].set_index("design")
        if by_variant.empty:
            continue
        cells: list[dict[str, str] | None] = []
        for d in b.others:
            if d not in by_variant.index:
                cells.append(None)
                continue
            r = by_variant.loc[d]
            lo, hi = fmt_eur(r["p5"], 0, lang, signed=True), fmt_eur(r["p95"], 0, lang, signed=True)
            cells.append(
                {
                    "verdict": r["verdict"],
                    "value": fmt_eur(r["change_eur_per_inhabitant_per_year"], 0, lang, signed=True),
                    "interval": f"{lo} … {hi}",
                    "word": b.t(f"mkba_{r['verdict']}"),
                }
            )
        rows.append(
            {"actor": mkba.actor_name(actor, lang), "total": actor == mkba.SOCIETY, "cells": cells}
        )
    return {"heads": [design_label(d, lang) for d in b.others], "rows": rows}


def uncertainties(b: Brief) -> list[str]:
    """Chance within the model, calibration, the assumptions, one municipality."""
    lang = b.lang
    tot = b.tables["summary"]
    tot = tot[tot["outcome"] == TOTAL_COST].set_index("design")
    base = tot.loc[b.baseline] if b.baseline in tot.index else tot.iloc[0]
    stab = b.tables["stability"]
    srow = stab[stab["design"] == b.baseline]
    rel = fmt_pct(float(srow["rel_half_width"].iloc[0]), lang, 1) if len(srow) else "?"
    link = b.meta.get("sensitivity_link")
    calibrated = b.meta.get("behaviour") == "calibrated"
    profile = profile_name(b.meta.get("profile") or b.meta.get("municipality"), lang)
    return [
        b.t(
            "unc_spread_html",
            base=b.base,
            lo=fmt_eur(base["p5"], 0, lang),
            hi=fmt_eur(base["p95"], 0, lang),
            n=b.n,
            rel=rel,
        ),
        b.t("unc_calibrated_html" if calibrated else "unc_calibration_html"),
        b.t("unc_sensitivity_link_html", link=link) if link else b.t("unc_sensitivity_html"),
        b.t("unc_profile_html", profile=profile),
    ]


def how_made(b: Brief) -> list[dict[str, Any]]:
    """The run's facts: model version, commit, date, runs, municipality, variants..."""
    lang, meta, unknown = b.lang, b.meta, b.t("unknown")
    years = meta.get("years") or int(b.outcomes["year"].max())
    behaviour = meta.get("behaviour")
    behaviour_text = (
        b.t("how_behaviour_calibrated")
        if behaviour == "calibrated"
        else b.t("how_behaviour_default")
        if behaviour == "default"
        else b.t("how_behaviour_other", name=behaviour)
        if behaviour
        else unknown
    )
    burn_in = meta.get("burn_in_years")
    variant_items = []
    for d in b.order:
        levers = [x.split(":")[0] for x in lever_texts(b.variant_info(d), lang)]
        variant_items.append(
            f"{design_label(d, lang)} ({', '.join(levers) or b.t('how_no_levers')})"
        )
    runs = len(b.runs) if len(b.runs) else b.outcomes["run_id"].nunique()
    pop, inh = b.population, b.inhabitants
    rows = [
        ("how_model", meta.get("model_version", unknown)),
        ("how_commit", meta.get("git_commit", unknown)),
        ("how_date", long_date(meta.get("date") or dt.date.today().isoformat(), lang)),
        ("how_runs", fmt_number(runs, 0, lang)),
        ("how_reps", fmt_number(b.n, 0, lang)),
        ("how_profile", profile_name(meta.get("profile") or meta.get("municipality"), lang)),
        ("how_inh", fmt_number(inh, 0, lang) if inh else unknown),
        ("how_pop", fmt_number(pop, 0, lang) if pop else unknown),
        ("how_years", b.t("how_years_v", y=years, b=burn_in) if burn_in else str(years)),
        ("how_behaviour", behaviour_text),
        ("how_variants", "; ".join(variant_items)),
        ("how_paired", b.t("how_paired_v")),
        ("how_stat", b.t("how_stat_v")),
    ]
    return [{"term": b.t(k), "value": v, "code": k == "how_commit"} for k, v in rows]


def glossary(lang: str) -> list[dict[str, str]]:
    """The terms a council member meets in the brief, each with what it means."""
    terms = section("glossary.terms", lang)
    names = dict.fromkeys(k.split(".")[0] for k in terms)
    return [{"term": terms[f"{n}.term"], "text": terms[f"{n}.text"]} for n in names]


def number_figures(figures: Figures, several: bool) -> dict[str, dict[str, Any]]:
    """The figures the page shows, numbered in page order and embedded."""
    names = [n for n in PAGE_ORDER if n in figures and (several or n != "wrong_pocket")]
    names += [n for n in figures if n not in FIGURE_NAMES]
    return {name: embedded_figure(figures[name], i + 1) for i, name in enumerate(names)}


# --- the page ------------------------------------------------------------------------------


def build_brief(
    runs: pd.DataFrame,
    outcomes: pd.DataFrame,
    lang: str,
    meta: Mapping[str, Any],
    baseline: str,
) -> Brief:
    """The tables every section reads (key numbers, present value, settling, robustness)
    and the settings: what `write_brief` renders, and what a test traces numbers to."""
    tables = key_numbers(outcomes, baseline, runs)
    summary, yearly = tables["summary"], tables["yearly"]
    order = order_designs(summary["design"])
    if baseline not in order:
        raise ValueError(f"baseline {baseline!r} not among the variants {order}")
    pop = _population(runs, dict(meta))
    inhabitants = int(meta.get("inhabitants") or pop or 0)
    tables["present_value"] = present_values(outcomes, baseline, inhabitants)
    tables["settling"] = settling(outcomes, baseline)
    if meta.get("robustness"):
        means, boxes = load_discovery(meta["robustness"])
        tables["robustness"] = robustness_table(means, order)
        tables["robustness_boxes"] = boxes
        meta = {**meta, "robustness_meta": discovery_meta(meta["robustness"])}
    return Brief(
        lang=lang,
        runs=runs,
        outcomes=outcomes,
        tables=tables,
        meta=dict(meta),
        baseline=baseline,
        order=order,
        n=int(summary.loc[summary["outcome"] == TOTAL_COST, "n"].min()),
        last_year=int(yearly["year"].max()) if len(yearly) else 0,
        population=pop,
        inhabitants=inhabitants,
    )


def render_brief(b: Brief, figures: Figures) -> str:
    """The brief as one HTML page (the template `brief.html.j2`, a part per section)."""
    title = (
        b.t("title_n", n=len(b.order))
        if len(b.order) > 1
        else b.t("title_1", v=design_ref(b.order[0], b.lang))
    )
    page = render(
        "brief.html.j2",
        t=functools.partial(t, lang=b.lang),
        lang=b.lang,
        css=page_css(),
        title=title,
        base=b.base,
        several=bool(b.others),
        figures=number_figures(figures, bool(b.others)),
        extra_figures=[name for name in figures if name not in FIGURE_NAMES],
        headline=headline(b),
        summary=summary(b),
        key_table=key_table(b),
        years=over_the_years(b),
        variants=variants_compared(b),
        who_pays=who_pays(b),
        budget=against_budget(b),
        mkba=societal_costs(b),
        admin=administration_section(b.outcomes, b.order, b.baseline, b.lang),
        present_value=present_value_table(b.tables["present_value"], b.others, b.base, b.lang),
        uncertainties=uncertainties(b),
        robustness=robustness(b)[:-2],
        glossary=glossary(b.lang),
        how=how_made(b),
    )
    return keep_together(page)


def write_brief(
    out_dir: Path | str,
    runs: pd.DataFrame,
    outcomes: pd.DataFrame,
    figures: Figures | None = None,
    lang: str = "nl",
    meta: Mapping[str, Any] | None = None,
    baseline: str = BASELINE,
    filename: str | None = None,
) -> Path:
    """Write the council brief as one self-contained HTML page; returns its path.

    `figures` maps figure names (see `experiments.report.figures.FIGURE_NAMES`) to
    `FigureFiles` or PNG paths; if None they are made into `out_dir/figures` (Dutch) or
    `out_dir/figures_en`. `meta` may hold model_version, git_commit, date, population
    (simulated persons), inhabitants (of the municipality), years, burn_in_years, profile,
    wmo_budget and youth_budget (EUR per inhabitant per year), informal_care_price,
    behaviour, variants (list of {name, design, lever_keys, overrides}) and
    sensitivity_link. The file is `brief.html` in Dutch, `brief_en.html` in English.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'nl' or 'en', got {lang!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "nl" else f"_{lang}"
    if figures is None:
        figures = make_all_figures(outcomes, out / f"figures{suffix}", lang, baseline)
    brief = build_brief(runs, outcomes, lang, meta or {}, baseline)
    path = out / (filename or f"brief{suffix}.html")
    path.write_text(render_brief(brief, figures), encoding="utf-8")
    return path


__all__ = ["Brief", "build_brief", "lever_texts", "profile_name", "render_brief", "write_brief"]
