"""Findings in words, computed from the tables: shared by the figures' titles and the brief.

Which variant is cheaper and by how much (`cost_finding`), who pays more and who saves
(`pocket_shifts`, `pocket_line`), what is clearly better or worse against the baseline
(`trade_off`), what moves over the years (`trends`) and which headline differences have
not settled by the last year (`unsettled`).
"""

from __future__ import annotations

import math

import pandas as pd

from experiments import stats
from experiments.report.numbers import (
    fmt_eur,
    fmt_number,
    fmt_pct,
    fmt_signed_pct,
    fmt_value,
)
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    FINANCIERS,
    TOTAL_COST,
    design_ref,
    financier_name,
    financier_outcome,
    outcome_label,
)
from experiments.report.texts import join_words, t

MUNICIPAL_COST = stats.MUNICIPAL_COST

INFORMAL_VALUE = "informal_care_value_eur_per_inhabitant_per_year"

INFORMAL_HOURS = "informal_care_hours_per_inhabitant_per_year"

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"

# The waiting time a client meets: from the request to the start of care, intake and
# assessment included (sim/flows.py); beside it the share of decisions after the Wmo's
# 8-week term. The provider's list alone ("waiting_weeks_mean") starts at the decision.
WAITING = "request_to_care_weeks_mean"
OVER_LEGAL_TERM = "request_to_decision_over_8_weeks_share"

KEY_OUTCOMES: tuple[str, ...] = (
    UNMET,
    ESCALATIONS_TOTAL,
    "carer_burnouts_per_1000_inhabitants_per_year",
    WAITING,
    OVER_LEGAL_TERM,
    "wellbeing_index_0_100",
    INFORMAL_HOURS,
)

# Outcomes the headline weighs, in this order (lower is better unless listed below).
TRADE_OFF: tuple[str, ...] = (
    TOTAL_COST,
    MUNICIPAL_COST,
    UNMET,
    ESCALATIONS_TOTAL,
    WAITING,
    "carer_burnouts_per_1000_inhabitants_per_year",
    INFORMAL_HOURS,
)

WEEKS_OUTCOMES = frozenset({WAITING, "waiting_weeks_mean", "request_to_decision_weeks_mean"})

LOWER_IS_BETTER = {o: True for o in (*TRADE_OFF, *KEY_OUTCOMES)} | {"wellbeing_index_0_100": False}

# A difference is "clear" when at least this share of the paired replications points the
# same way (assumption: three in four; with 2 replications both must agree).
CLEAR_SHARE = 0.75

# A change over the years is worth a sentence when the median moves by more than this share
# between the first and the last simulated year (assumption).
TREND_SHARE = 0.10

# The headline's differences (every outcome it weighs, and wellbeing) are means over the
# years. One has not settled when its paired difference in the last year differs from that mean by
# more than this share of the larger of the two (assumption: a quarter); the headline then
# gives the last year's difference beside it, so a transition (a capacity still growing, a
# queue still building or clearing) is not read as the lasting answer.
SETTLE_SHARE = 0.25

# ... and by more than this share of the baseline's own mean value (assumption: 1%; a smaller
# move is not worth a sentence, however steady)
SETTLE_FLOOR = 0.01

SETTLE_OUTCOMES: tuple[str, ...] = tuple(dict.fromkeys((*TRADE_OFF, *KEY_OUTCOMES)))


def lower_first(s: str) -> str:
    """Lower-case the first letter unless the word is an acronym (Wmo stays, GGZ stays)."""
    if len(s) > 1 and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def cost_finding(
    diffs: pd.DataFrame, lang: str = "nl", baseline: str = BASELINE, outcome: str = TOTAL_COST
) -> str:
    """One sentence on the total chain cost of the designs vs the baseline (paired medians)."""
    rows = diffs[diffs["outcome"] == outcome].set_index("design")
    if rows.empty:
        return t("figures.same", lang)
    base = design_ref(baseline, lang)
    best = rows["median"].idxmin()
    r = rows.loc[best]
    if abs(r["median"]) < 0.5 and rows["median"].abs().max() < 0.5:
        return t("figures.same", lang)
    if r["median"] < 0:
        s = t(
            "figures.cheaper",
            lang,
            d=design_ref(best, lang),
            x=fmt_eur(-r["median"], 0, lang),
            base=base,
        )
        if r["p95"] >= 0:
            s += t("figures.unclear", lang, share=fmt_pct(1 - r["share_lower"], lang))
        return s
    ordered = rows["median"].sort_values()
    if len(ordered) == 1:
        s = t(
            "figures.dearer_one",
            lang,
            base=base,
            d=design_ref(best, lang),
            x=fmt_eur(r["median"], 0, lang),
        )
    else:
        s = t(
            "figures.dearer",
            lang,
            base=base,
            lo=fmt_eur(ordered.iloc[0], 0, lang),
            hi=fmt_eur(ordered.iloc[-1], 0, lang),
        )
    if r["p5"] <= 0:
        s += t("figures.unclear", lang, share=fmt_pct(r["share_lower"], lang))
    return s


def pocket_shifts(diffs: pd.DataFrame, design: str) -> tuple[pd.Series, pd.Series]:
    """Median paired difference per financier for one design: (pays more, saves), sorted."""
    rows = diffs[diffs["design"] == design].set_index("outcome")["median"]
    per_fin = pd.Series(
        {f: rows[financier_outcome(f)] for f in FINANCIERS if financier_outcome(f) in rows}
    )
    up = per_fin[per_fin >= 0.5].sort_values(ascending=False)
    down = per_fin[per_fin <= -0.5].sort_values()
    return up, down


def pocket_line(diffs: pd.DataFrame, design: str, lang: str = "nl") -> str:
    """One sentence on the financier paying most extra and the one saving most."""
    up, down = pocket_shifts(diffs, design)
    d = design_ref(design, lang)
    more = (
        {"up": financier_name(up.index[0], lang), "x": fmt_eur(up.iloc[0], 0, lang, signed=True)}
        if not up.empty
        else {}
    )
    less = (
        {
            "down": financier_name(down.index[0], lang),
            "y": fmt_eur(down.iloc[0], 0, lang, signed=True),
        }
        if not down.empty
        else {}
    )
    if not more and not less:
        return f"{d}: ±€ 0"
    key = "wp_line" if more and less else "wp_line_up" if more else "wp_line_down"
    return t(f"figures.{key}", lang, d=d, **more, **less)


def key_numbers(
    outcomes: pd.DataFrame, baseline: str = BASELINE, runs: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The tables the brief is built from: summary, paired differences (empty with one
    variant), stability, and the summary per year."""
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    several = data["design"].nunique() > 1
    return {
        "data": data,
        "summary": stats.summarise(data),
        "differences": (
            stats.paired_differences(data, baseline, runs=runs)
            if several
            else pd.DataFrame(columns=["design", "outcome", "median", "share_lower", "n"])
        ),
        "stability": stats.stability_table(data),
        "yearly": stats.summarise_by_year(data),
    }


def change_value(med: float, base_value: float, outcome: str, lang: str) -> str:
    """A paired difference as shown: `−€ 213`, `+24%` (of the baseline's value), `+1,5`
    (weeks), `+3,5 procentpunt` (a share)."""
    if outcome.endswith("_eur_per_inhabitant_per_year"):
        return fmt_eur(med, 0, lang, signed=True)
    if outcome in WEEKS_OUTCOMES:
        return fmt_number(med, 1, lang, signed=True)
    if outcome.endswith("_share"):  # a share (0-1): its difference in percentage points
        return t("brief.points", lang, x=fmt_number(100 * med, 1, lang, signed=True))
    if base_value and not math.isnan(base_value):
        return fmt_signed_pct(med / abs(base_value), lang)
    return fmt_number(med, 1, lang, signed=True)


def change_phrase(row: pd.Series, base_value: float, outcome: str, lang: str) -> str:
    """`ketenkosten −€ 213 per inwoner per jaar`, `onvervulde hulpvraag +24%`."""
    what = outcome_label(outcome, lang)
    what = what[:1].lower() + what[1:] if not what[:3].isupper() else what
    x = change_value(float(row["median"]), base_value, outcome, lang)
    if outcome.endswith("_eur_per_inhabitant_per_year"):
        return t("brief.eur_change", lang, what=what, x=x)
    if outcome in WEEKS_OUTCOMES:
        return t("brief.weeks_change", lang, what=what, x=x)
    return t("brief.pct_change", lang, what=what, x=x)


def unsettled(data: pd.DataFrame, variant: str, baseline: str, year: int, lang: str) -> str | None:
    """The headline differences of `variant` (`SETTLE_OUTCOMES`) that have not settled by
    the last `year`: their paired median that year differs from the mean over the years by
    more than `SETTLE_SHARE` of the larger of the two and than `SETTLE_FLOOR` of the
    baseline's mean, and in at least `CLEAR_SHARE` of the paired replications the same way
    (so one noisy year is not taken for a transition). A sentence that gives both (a
    difference whose sign has turned is called a reversal), or None when all have settled."""
    mean_pairs = stats.paired_values(data, baseline)
    last_pairs = stats.paired_values(data, baseline, year)
    base = stats.summarise(data).set_index(["design", "outcome"])["median"]
    last_base = stats.summarise(data, year=year).set_index(["design", "outcome"])["median"]

    def per_replication(pairs: pd.DataFrame, outcome: str) -> pd.Series:
        rows = pairs[(pairs["design"] == variant) & (pairs["outcome"] == outcome)]
        return rows.set_index("replication")["difference"].dropna()

    items = []
    for o in SETTLE_OUTCOMES:
        mean_diff, last_diff = per_replication(mean_pairs, o), per_replication(last_pairs, o)
        if mean_diff.empty or last_diff.empty:
            continue
        mean, last = float(mean_diff.median()), float(last_diff.median())
        base_mean = abs(float(base.get((baseline, o), math.nan)))
        if abs(last - mean) <= SETTLE_SHARE * max(abs(last), abs(mean)):
            continue
        if abs(last - mean) <= SETTLE_FLOOR * base_mean:  # False for a NaN baseline
            continue
        moved = (last_diff - mean_diff).dropna()
        if max((moved > 0).mean(), (moved < 0).mean()) < CLEAR_SHARE:
            continue
        last_row = pd.Series({"median": last})
        last_base_o = abs(float(last_base.get((baseline, o), math.nan)))
        # one unit in one phrase: both as % of the baseline's own value, or both as numbers
        # (points of a share) when either value is 0 (a percentage of nothing)
        relative = all(b > 0 for b in (last_base_o, base_mean))  # False for a NaN
        change = change_phrase(last_row, last_base_o if relative else math.nan, o, lang)
        mean_x = change_value(mean, base_mean if relative else math.nan, o, lang)
        # a difference whose sign turns over the years is a reversal, said as such
        # (not when the mean is too small to have a direction: below `SETTLE_FLOOR`)
        turned = mean * last < 0 and abs(mean) > SETTLE_FLOOR * base_mean
        key = "brief.unsettled_reversed" if turned else "brief.unsettled_item"
        items.append(t(key, lang, change=change, mean=mean_x))
    if not items:
        return None
    return t("brief.unsettled", lang, y=year, items=join_words(items, lang))


def trade_off(
    diffs: pd.DataFrame, summary: pd.DataFrame, variant: str, baseline: str, lang: str
) -> dict[str, list[str]]:
    """What is clearly better, clearly worse and not clearly different for one variant
    against the baseline (paired; `CLEAR_SHARE` of the replications the same way)."""
    rows = diffs[diffs["design"] == variant].set_index("outcome")
    base = summary[summary["design"] == baseline].set_index("outcome")["median"]
    out: dict[str, list[str]] = {"better": [], "worse": [], "unclear": []}
    for o in TRADE_OFF:
        if o not in rows.index:
            continue
        r = rows.loc[o]
        n = int(r["n"])
        lower = float(r["share_lower"])
        higher = float(r.get("share_higher", 1.0 - lower))
        good_share, bad_share = (lower, higher) if LOWER_IS_BETTER.get(o, True) else (higher, lower)
        phrase = change_phrase(r, float(base.get(o, float("nan"))), o, lang)
        k = round(max(good_share, bad_share) * n)
        if k < n:  # without a count: in every paired replication
            phrase += f" ({t('brief.times', lang, k=k, n=n)})"
        if good_share >= CLEAR_SHARE and r["median"] != 0:
            out["better"].append(phrase)
        elif bad_share >= CLEAR_SHARE and r["median"] != 0:
            out["worse"].append(phrase)
        else:
            what = outcome_label(o, lang)
            out["unclear"].append(what[:1].lower() + what[1:] if not what[:3].isupper() else what)
    return out


def trends(yearly: pd.DataFrame, order: list[str], baseline: str, lang: str) -> list[str]:
    """A sentence per key outcome whose median moves more than `TREND_SHARE` between the
    first and the last year, naming the variants where it does."""
    if yearly.empty:
        return []
    y0, y1 = int(yearly["year"].min()), int(yearly["year"].max())
    if y1 <= y0:
        return []
    lines = []
    for o in (TOTAL_COST, MUNICIPAL_COST, *KEY_OUTCOMES):
        rows = yearly[yearly["outcome"] == o]
        if rows.empty:
            continue
        moves = {}
        for d in order:
            r = rows[rows["design"] == d].set_index("year")["median"]
            if y0 in r.index and y1 in r.index:
                a, b = float(r[y0]), float(r[y1])
                rel = (b - a) / abs(a) if a else (math.inf if b > a else 0.0)
                moves[d] = (a, b, rel)
        if baseline not in moves:
            continue
        up = [d for d, m in moves.items() if m[2] > TREND_SHARE]
        down = [d for d, m in moves.items() if m[2] < -TREND_SHARE]
        for group, verb in ((up, "rises"), (down, "falls")):
            if not group:
                continue
            scope = (
                t("brief.scope_all", lang)
                if len(group) == len(moves) and len(moves) > 1
                else t(
                    "brief.scope_some",
                    lang,
                    items=join_words([design_ref(d, lang) for d in group], lang),
                )
            )
            ref = baseline if baseline in group else group[0]
            a, b, rel = moves[ref]
            pct = (
                "×" + fmt_number(b / a, 1, lang)
                if a and abs(rel) >= 1
                else (("+" if rel > 0 else "\u2212") + fmt_pct(abs(rel), lang))
            )
            what = outcome_label(o, lang)
            lines.append(
                t(
                    "brief.trend_line",
                    lang,
                    what=what,
                    verb=t(f"brief.{verb}", lang),
                    scope=scope,
                    ref=t("brief.trend_ref", lang, base=design_ref(ref, lang))
                    if len(group) > 1
                    else "",
                    a=fmt_value(a, o, lang),
                    b=fmt_value(b, o, lang),
                    y=y1,
                    pct=pct,
                )
            )
    return lines


def trajectory_title(yearly: pd.DataFrame, order: list[str], baseline: str, lang: str) -> str:
    """Names the direction of unmet need over the years (the number most likely to move)."""
    outcome = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
    rows = yearly[yearly["outcome"] == outcome]
    if rows.empty or rows["year"].nunique() < 2:
        return t("figures.traj_title_flat", lang)
    y0, y1 = int(rows["year"].min()), int(rows["year"].max())
    moves = {}
    for d in order:
        r = rows[rows["design"] == d].set_index("year")["median"]
        if y0 in r.index and y1 in r.index:
            moves[d] = (float(r[y0]), float(r[y1]))
    what = outcome_label(outcome, lang)
    for verb, test in (("rises", lambda a, b: b > a * 1.1), ("falls", lambda a, b: b < a * 0.9)):
        group = [d for d, (a, b) in moves.items() if test(a, b)]
        if group and len(group) == len(moves) and baseline in moves:
            a, b = moves[baseline]
            return t(
                "figures.traj_title_all",
                lang,
                what=what,
                verb=t(f"figures.{verb}", lang),
                y0=y0,
                y1=y1,
                base=design_ref(baseline, lang),
                a=fmt_number(a, 0, lang),
                b=fmt_number(b, 0, lang),
            )
        if group:
            title = t(
                "figures.traj_title_some",
                lang,
                what=what,
                verb=t(f"figures.{verb}", lang),
                items=join_words([design_ref(d, lang) for d in group], lang),
                y0=y0,
                y1=y1,
            )
            return title + _against_baseline(moves, group, baseline, y1, lang)
    return t("figures.traj_title_flat", lang)


def _against_baseline(
    moves: dict[str, tuple[float, float]], group: list[str], baseline: str, year: int, lang: str
) -> str:
    """A clause saying whether the moving variants are still above or below the baseline in
    the last year, so a fall is not read as a fall below the baseline; "" when mixed."""
    others = [d for d in group if d != baseline]
    if baseline not in moves or not others:
        return ""
    base = moves[baseline][1]
    if all(moves[d][1] > base for d in others):
        return t("figures.traj_above", lang, base=design_ref(baseline, lang), y=year)
    if all(moves[d][1] < base for d in others):
        return t("figures.traj_below", lang, base=design_ref(baseline, lang), y=year)
    return ""
