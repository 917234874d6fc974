"""A short brief for a municipal council: one self-contained HTML page.

`write_brief` writes `brief.html`: the question, the three designs, the headline comparison,
who pays and who saves, the main uncertainties and how the results were made. Every number
is computed from the `runs` and `outcomes` tables; figures are embedded as base64 PNG, the
CSS is inline, nothing is loaded from elsewhere. Dutch by default, English with lang="en".
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import stats
from experiments.report.figures import (
    FIGURE_NAMES,
    FigureFiles,
    cost_finding,
    design_ref,
    make_all_figures,
    pocket_shifts,
)
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    TOTAL_COST,
    design_colour,
    design_name,
    financier_name,
    financier_outcome,
    fmt_eur,
    fmt_eur_compact,
    fmt_number,
    fmt_pct,
    fmt_value,
    order_designs,
    outcome_label,
    outcome_unit,
)

MUNICIPAL = ("wmo", "youth", "participation", "welfare")
MUNICIPAL_COST = "cost_municipality_eur_per_inhabitant_per_year"
INFORMAL_VALUE = "informal_care_value_eur_per_inhabitant_per_year"
KEY_OUTCOMES: tuple[str, ...] = (
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    ESCALATIONS_TOTAL,
    "carer_burnouts_per_1000_inhabitants_per_year",
    "waiting_weeks_mean",
    "wellbeing_index_0_100",
)
LOWER_IS_BETTER = {
    "unmet_need_person_weeks_per_1000_inhabitants_per_year": True,
    ESCALATIONS_TOTAL: True,
    "carer_burnouts_per_1000_inhabitants_per_year": True,
    "waiting_weeks_mean": True,
    "wellbeing_index_0_100": False,
}

_B: dict[str, dict[str, str]] = {
    "nl": {
        "html_lang": "nl",
        "title": "Toegang tot zorg en ondersteuning: drie inrichtingen vergeleken",
        "kicker": "Notitie voor de gemeenteraad · uitkomsten van een simulatiemodel",
        "q_head": "De vraag",
        "question": "Hoe richten we de toegang tot zorg en ondersteuning zo in dat inwoners op "
        "tijd passende hulp krijgen, en wat kost dat de hele keten? Niet alleen de gemeente "
        "betaalt (Wmo, Jeugd, Participatie, Welzijn), ook de zorgverzekeraar, de Wlz, "
        "inwoners zelf en vindplaatsen zoals de huisarts. Een besparing in het ene potje kan "
        "elders duurder uitpakken. Daarom kijken we naar de <em>totale ketenkosten</em> per "
        "inwoner per jaar, en naar wat inwoners en mantelzorgers ervan merken.",
        "designs_head": "Drie inrichtingen",
        "gatekeeping": "Zoals nu vaak: de inwoner meldt zich, meestal laat, bij het wijkteam. "
        "Na een keukentafelgesprek volgen een indicatie, een beschikking en "
        "verantwoording; dit is het vergelijkingspunt.",
        "early_signalling": "Vindplaatsen zoals de huisarts, de wijkagent en de "
        "woningcorporatie zien problemen vroeg en melden ze. Een vakkundige "
        "dossierhouder regelt snel lichte hulp en schaalt op of af waar nodig.",
        "yes_is_cheaper": "Aanvragen worden zonder uitgebreide toets toegekend, met weinig "
        "papierwerk en steekproefsgewijze controle achteraf. Het risico: meer mensen vragen "
        "hulp en aanbieders leveren mogelijk meer dan nodig.",
        "baseline_tag": "vergelijkingspunt",
        "head_head": "De uitkomst in het kort",
        "head_diff": "{d}: {x} per inwoner per jaar dan {base}; goedkoper in {k} van de {n} "
        "herhalingen.",
        "head_scale": "Voor de hele gemeente ({pop} inwoners) is dat ongeveer {total} per "
        "jaar, over de hele keten.",
        "head_more": "meer",
        "head_less": "minder",
        "table_caption": "Kerncijfers per inrichting, mediaan over {n} herhalingen. "
        "Groen: beste waarde in de rij.",
        "col_measure": "Uitkomst",
        "pay_head": "Wie betaalt meer, wie bespaart?",
        "pay_lead": "Verschil met {base} per financier, in euro per inwoner per jaar "
        "(mediaan van gepaarde verschillen). Plus is: deze financier betaalt meer.",
        "pay_more": "betalen meer: {items}",
        "pay_less": "besparen: {items}",
        "pay_none_more": "geen financier betaalt duidelijk meer",
        "pay_none_less": "geen financier bespaart duidelijk",
        "pay_municipal": "De gemeente samen (Wmo, Jeugd, Participatie en Welzijn): {x}; "
        "de rest van de keten: {y}.",
        "people_head": "Wat merken inwoners en mantelzorgers?",
        "people_lead": "Bij alle uitkomsten hieronder is lager beter, behalve bij welzijn.",
        "unc_head": "Onzekerheden",
        "unc_spread": "<strong>Toeval in het model.</strong> Elke herhaling heeft andere "
        "inwoners en gebeurtenissen. De ketenkosten van {base} liggen in 90% van de "
        "herhalingen tussen {lo} en {hi} per inwoner. Omdat alle inrichtingen per herhaling "
        "dezelfde inwoners en gebeurtenissen kregen, zijn de <em>verschillen</em> tussen "
        "inrichtingen preciezer dan die spreiding doet vermoeden. De mediaan van de "
        "ketenkosten ligt met {n} herhalingen vast tot op ongeveer {rel} (95%-bootstrap).",
        "unc_calibration": "<strong>Nog niet gekalibreerd.</strong> Het model is alleen "
        "afgestemd op basiscijfers (zoals het aantal cliënten en gemiddelde prijzen). "
        "De effecten van de inrichtingen zijn aannames uit de literatuur en praktijk, "
        "nog niet getoetst aan gemeten uitkomsten. Lees de cijfers als richting en orde "
        "van grootte, niet als begroting.",
        "unc_sensitivity": "<strong>Parameters.</strong> De spreiding hierboven gaat niet "
        "over onzekerheid in de aannames zelf. Welke aannames de uitkomst bepalen, en "
        "wanneer een andere inrichting wint, staat in de aparte gevoeligheidsanalyse.",
        "unc_informal": "<strong>Mantelzorg telt niet mee in de ketenkosten.</strong> De "
        "waarde van mantelzorg (tegen vervangingsprijs) is apart berekend: {items} per "
        "inwoner per jaar (mediaan).",
        "unc_profile": "<strong>Eén gemeenteprofiel.</strong> De uitkomsten gelden voor het "
        "doorgerekende profiel{profile}; een andere bevolking of zorgmarkt kan anders "
        "uitpakken.",
        "how_head": "Zo is het gemaakt",
        "how_lead": "Een agent-based simulatiemodel (ketensim) bootst een gemeente na: "
        "inwoners met problemen die groeien of krimpen, mantelzorgers, vindplaatsen, "
        "aanbieders en het wijkteam, week voor week. Elke euro wordt één keer geboekt bij "
        "de financier die betaalt.",
        "how_model": "Modelversie",
        "how_commit": "Git-commit",
        "how_date": "Datum",
        "how_runs": "Aantal runs",
        "how_reps": "Herhalingen per inrichting",
        "how_pop": "Inwoners (gesimuleerd)",
        "how_years": "Gesimuleerde jaren",
        "how_profile": "Gemeenteprofiel",
        "how_paired": "Vergelijking",
        "how_paired_v": "gepaard: herhaling k van elke inrichting gebruikte dezelfde seed",
        "how_stat": "Statistiek",
        "how_stat_v": "mediaan; intervallen zijn het 50%- en 90%-bereik over herhalingen",
        "figure": "Figuur",
        "unknown": "onbekend",
        "per_inh": "per inwoner per jaar",
    },
    "en": {
        "html_lang": "en",
        "title": "Access to care and support: three designs compared",
        "kicker": "Brief for the municipal council · results of a simulation model",
        "q_head": "The question",
        "question": "How should access to care and support be organised so that citizens get "
        "fitting help in time, and what does that cost the whole chain? The municipality "
        "is not the only payer (Wmo, youth care, participation, welfare): so are health "
        "insurers, the long-term care act (Wlz), citizens themselves and care-finding "
        "places such as the GP. A saving in one budget can cost more in another. So we "
        "look at the <em>total chain cost</em> per inhabitant per year, and at what "
        "citizens and informal carers notice.",
        "designs_head": "Three designs",
        "gatekeeping": "Today's common practice: citizens turn to the neighbourhood team, "
        "usually late. A kitchen-table conversation leads to an assessment, a formal "
        "decision and reporting; this is the baseline.",
        "early_signalling": "Care-finding places such as the GP, the community police "
        "officer and the housing corporation see problems early and signal them. A "
        "skilled case holder quickly arranges light help and scales it up or down.",
        "yes_is_cheaper": "Requests are granted without a full assessment, with little "
        "paperwork and sample audits afterwards. The risk: more people ask, and providers "
        "may supply more than needed.",
        "baseline_tag": "baseline",
        "head_head": "The result in brief",
        "head_diff": "{d}: {x} per inhabitant per year than {base}; cheaper in {k} of {n} "
        "replications.",
        "head_scale": "For the whole municipality ({pop} inhabitants) that is about {total} "
        "a year, across the whole chain.",
        "head_more": "more",
        "head_less": "less",
        "table_caption": "Key figures per design, median over {n} replications. Green: "
        "best value in the row.",
        "col_measure": "Outcome",
        "pay_head": "Who pays more, who saves?",
        "pay_lead": "Difference from {base} per financier, in euros per inhabitant per year "
        "(median of paired differences). Plus means: this financier pays more.",
        "pay_more": "pay more: {items}",
        "pay_less": "save: {items}",
        "pay_none_more": "no financier clearly pays more",
        "pay_none_less": "no financier clearly saves",
        "pay_municipal": "The municipality together (Wmo, youth, participation and "
        "welfare): {x}; the rest of the chain: {y}.",
        "people_head": "What do citizens and carers notice?",
        "people_lead": "For all outcomes below lower is better, except wellbeing.",
        "unc_head": "Uncertainties",
        "unc_spread": "<strong>Chance within the model.</strong> Each replication has other "
        "citizens and events. The chain cost of {base} lies between {lo} and {hi} per "
        "inhabitant in 90% of replications. Because every design faced the same citizens "
        "and events in each replication, the <em>differences</em> between designs are more "
        "precise than that spread suggests. With {n} replications the median chain cost is "
        "known to about {rel} (95% bootstrap).",
        "unc_calibration": "<strong>Not yet calibrated.</strong> The model is matched only "
        "to base rates (such as numbers of clients and average prices). The effects of the "
        "designs are assumptions from literature and practice, not yet tested against "
        "measured outcomes. Read the numbers as direction and order of magnitude, not as a "
        "budget.",
        "unc_sensitivity": "<strong>Parameters.</strong> The spread above is not about "
        "uncertainty in the assumptions themselves. Which assumptions drive the result, and "
        "when another design wins, is shown in the separate sensitivity analysis.",
        "unc_informal": "<strong>Informal care is not in the chain cost.</strong> Its value "
        "(at replacement price) is reported separately: {items} per inhabitant per year "
        "(median).",
        "unc_profile": "<strong>One municipality profile.</strong> The results hold for the "
        "simulated profile{profile}; another population or care market may turn out "
        "differently.",
        "how_head": "How this was made",
        "how_lead": "An agent-based simulation model (ketensim) imitates a municipality: "
        "citizens whose problems grow or shrink, informal carers, care-finding places, "
        "providers and the neighbourhood team, week by week. Every euro is booked once, "
        "with the financier who pays it.",
        "how_model": "Model version",
        "how_commit": "Git commit",
        "how_date": "Date",
        "how_runs": "Number of runs",
        "how_reps": "Replications per design",
        "how_pop": "Inhabitants (simulated)",
        "how_years": "Simulated years",
        "how_profile": "Municipality profile",
        "how_paired": "Comparison",
        "how_paired_v": "paired: replication k of every design used the same seed",
        "how_stat": "Statistics",
        "how_stat_v": "median; intervals are the 50% and 90% ranges over replications",
        "figure": "Figure",
        "unknown": "unknown",
        "per_inh": "per inhabitant per year",
    },
}

CSS = """
:root { --ink:#1f2328; --muted:#57606a; --rule:#d0d7de; --accent:#0072B2; --good:#e3f4ec; }
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: "Source Sans Pro", "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  line-height: 1.55; }
main { max-width: 40rem; margin: 0 auto; padding: 2.5rem 1.25rem 4rem; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; padding-bottom: .8rem; }
.kicker { color: var(--muted); font-size: .9rem; letter-spacing: .02em; margin: 0; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .3rem 0 0; }
h2 { font-size: 1.3rem; margin: 2.4rem 0 .6rem; }
p, li { margin: .5rem 0; }
.lead { font-size: 1.12rem; }
.headline { background: #f4f8fb; border-left: 4px solid var(--accent);
  padding: .8rem 1rem; margin: 1rem 0; font-size: 1.08rem; }
.headline p { margin: .35rem 0; }
dl.designs { margin: .5rem 0; }
dl.designs dt { font-weight: 700; margin-top: .8rem; }
dl.designs dd { margin: .1rem 0 0 0; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-right: .45em; vertical-align: -.05em; }
.tag { font-weight: 400; color: var(--muted); font-size: .85rem; }
figure { margin: 1.6rem 0; width: min(62rem, calc(100vw - 2rem));
  position: relative; left: 50%; transform: translateX(-50%); }
figure img { width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .8rem 0; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: .85rem;
  padding-top: .4rem; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { text-align: left; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
thead th { vertical-align: bottom; font-size: .88rem; }
td.best { background: var(--good); font-weight: 600; }
.unit { display: block; color: var(--muted); font-size: .8rem; font-weight: 400; }
ul.pay { padding-left: 1.1rem; }
ul.unc li { margin: .6rem 0; }
dl.how { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem;
  font-size: .92rem; }
dl.how dt { color: var(--muted); }
dl.how dd { margin: 0; }
code { font-size: .85em; }
@media print { figure { width: 100%; left: 0; transform: none; page-break-inside: avoid; }
  html { font-size: 11pt; } }
"""


def _t(key: str, lang: str, **kwargs: object) -> str:
    return _B[lang][key].format(**kwargs)


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def _png_of(fig: FigureFiles | Path | str | Sequence[Path | str]) -> tuple[Path, str]:
    """PNG path and alt text of a figure given in any of the accepted forms."""
    if isinstance(fig, FigureFiles):
        return fig.png, f"{fig.title}. {fig.caption}"
    if isinstance(fig, str | Path):
        return Path(fig), Path(fig).stem
    for p in fig:
        if str(p).lower().endswith(".png"):
            return Path(p), Path(p).stem
    raise ValueError(f"no PNG among {fig!r}")


def figure_html(fig: FigureFiles | Path | Sequence[Path], number: int, lang: str) -> str:
    png, alt = _png_of(fig)
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (
        f'<figure id="fig-{number}"><img src="data:image/png;base64,{data}" '
        f'alt="{esc(alt)}"><figcaption>{_t("figure", lang)} {number}</figcaption></figure>'
    )


def _population(runs: pd.DataFrame, meta: Mapping[str, Any]) -> int | None:
    if meta.get("population"):
        return int(meta["population"])
    for col in ("population", "n_inhabitants", "inhabitants", "population_size"):
        if col in runs.columns and runs[col].notna().any():
            return int(runs[col].dropna().iloc[0])
    return None


def _with_municipal_cost(outcomes: pd.DataFrame) -> pd.DataFrame:
    fin = [financier_outcome(f) for f in MUNICIPAL]
    rows = outcomes[outcomes["outcome"].isin(fin)]
    if rows.empty or MUNICIPAL_COST in set(outcomes["outcome"]):
        return outcomes
    keys = ["run_id", "design", "replication", "year"]
    total = rows.groupby(keys, as_index=False)["value"].sum()
    total["outcome"] = MUNICIPAL_COST
    total["unit"] = "eur per inhabitant per year"
    return pd.concat([outcomes, total[outcomes.columns]], ignore_index=True)


def key_numbers(
    outcomes: pd.DataFrame, baseline: str = BASELINE, runs: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The tables the brief is built from: summary, paired differences, stability."""
    data = _with_municipal_cost(stats.with_derived_outcomes(outcomes))
    return {
        "summary": stats.summarise(data),
        "differences": stats.paired_differences(data, baseline, runs=runs),
        "stability": stats.stability_table(data),
    }


def _key_table(summary: pd.DataFrame, order: list[str], lang: str, n: int) -> str:
    med = summary.pivot(index="outcome", columns="design", values="median")
    rows_out = [TOTAL_COST] + [o for o in KEY_OUTCOMES if o in med.index]
    head = "".join(f'<th class="num">{esc(design_name(d, lang))}</th>' for d in order)
    body = []
    for o in rows_out:
        values = med.loc[o, order]
        best = values.idxmax() if not LOWER_IS_BETTER.get(o, True) else values.idxmin()
        cells = "".join(
            f'<td class="num{" best" if d == best else ""}">'
            f"{esc(fmt_value(values[d], o, lang))}</td>"
            for d in order
        )
        label = (
            f'{esc(outcome_label(o, lang))}<span class="unit">{esc(outcome_unit(o, lang))}</span>'
        )
        body.append(f"<tr><th>{label}</th>{cells}</tr>")
    return (
        f"<table><caption>{esc(_t('table_caption', lang, n=n))}</caption>"
        f"<thead><tr><th>{_t('col_measure', lang)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _items(series: pd.Series, lang: str, limit: int = 3) -> str:
    return ", ".join(
        f"{esc(financier_name(f, lang))} ({fmt_eur(v, 0, lang, signed=True)})"
        for f, v in series.head(limit).items()
    )


def write_brief(
    out_dir: Path | str,
    runs: pd.DataFrame,
    outcomes: pd.DataFrame,
    figures: Mapping[str, FigureFiles | Path | Sequence[Path]] | None = None,
    lang: str = "nl",
    meta: Mapping[str, Any] | None = None,
    baseline: str = BASELINE,
    filename: str = "brief.html",
) -> Path:
    """Write the council brief as one self-contained HTML page; returns its path.

    `figures` maps figure names (see `experiments.report.figures.FIGURE_NAMES`) to `FigureFiles`
    or PNG paths; if None they are made into `out_dir/figures_<lang>`. `meta` may hold
    model_version, git_commit, date, population, years, profile.
    """
    if lang not in _B:
        raise ValueError(f"lang must be 'nl' or 'en', got {lang!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(meta or {})
    if figures is None:
        figures = make_all_figures(outcomes, out / f"figures_{lang}", lang, baseline)
    tables = key_numbers(outcomes, baseline, runs)
    summary, diffs, stab = tables["summary"], tables["differences"], tables["stability"]
    order = order_designs(summary["design"])
    others = [d for d in order if d != baseline]
    n = int(summary.loc[summary["outcome"] == TOTAL_COST, "n"].min())
    base = design_ref(baseline, lang)
    pop = _population(runs, meta)
    tot = summary[summary["outcome"] == TOTAL_COST].set_index("design")
    dtot = diffs[diffs["outcome"] == TOTAL_COST].set_index("design")

    fig_html: dict[str, str] = {}
    names = [k for k in FIGURE_NAMES if k in figures] + [
        k for k in figures if k not in FIGURE_NAMES
    ]
    for i, name in enumerate(names, start=1):
        fig_html[name] = figure_html(figures[name], i, lang)

    parts: list[str] = []
    add = parts.append
    add(
        f'<header><p class="kicker">{esc(_t("kicker", lang))}</p>'
        f"<h1>{esc(_t('title', lang))}</h1></header>"
    )
    add(f'<h2>{_t("q_head", lang)}</h2><p class="lead">{_t("question", lang)}</p>')

    add(f'<h2>{_t("designs_head", lang)}</h2><dl class="designs">')
    for d in order:
        tag = f' <span class="tag">({_t("baseline_tag", lang)})</span>' if d == baseline else ""
        desc = _B[lang].get(d, "")
        add(
            f'<dt><span class="swatch" style="background:{design_colour(d)}"></span>'
            f"{esc(design_name(d, lang))}{tag}</dt><dd>{esc(desc)}</dd>"
        )
    add("</dl>")

    # headline
    add(f'<h2>{_t("head_head", lang)}</h2><div class="headline">')
    add(f"<p><strong>{esc(cost_finding(diffs, lang, baseline))}.</strong></p>")
    for d in others:
        if d not in dtot.index:
            continue
        r = dtot.loc[d]
        amount = fmt_eur(abs(r["median"]), 0, lang)
        word = _t("head_less" if r["median"] < 0 else "head_more", lang)
        k = round(r["share_lower"] * r["n"])
        line = _t(
            "head_diff",
            lang,
            d=esc(design_ref(d, lang)),
            base=esc(base),
            x=f"{amount} {word}",
            k=k,
            n=int(r["n"]),
        )
        if pop:
            total = fmt_eur_compact(abs(r["median"]) * pop, lang)
            line += " " + _t(
                "head_scale", lang, pop=fmt_number(pop, 0, lang), total=f"{total} {word}"
            )
        add(f"<p>{line}</p>")
    add("</div>")
    add(_key_table(summary, order, lang, n))
    add(fig_html.get("total_cost", ""))

    # who pays
    add(f"<h2>{_t('pay_head', lang)}</h2>")
    add(f"<p>{esc(_t('pay_lead', lang, base=base))}</p><ul class='pay'>")
    dmun = diffs[diffs["outcome"] == MUNICIPAL_COST].set_index("design")
    for d in others:
        up, down = pocket_shifts(diffs, d)
        more = (
            _t("pay_more", lang, items=_items(up, lang))
            if not up.empty
            else _t("pay_none_more", lang)
        )
        less = (
            _t("pay_less", lang, items=_items(down, lang))
            if not down.empty
            else _t("pay_none_less", lang)
        )
        line = f"<strong>{esc(design_name(d, lang))}</strong>: {more}; {less}."
        if d in dmun.index and d in dtot.index:
            m = dmun.loc[d, "median"]
            rest = dtot.loc[d, "median"] - m
            line += " " + _t(
                "pay_municipal",
                lang,
                x=fmt_eur(m, 0, lang, signed=True),
                y=fmt_eur(rest, 0, lang, signed=True),
            )
        add(f"<li>{line}</li>")
    add("</ul>")
    add(fig_html.get("wrong_pocket", ""))
    add(fig_html.get("cost_by_financier", ""))

    # people
    add(f"<h2>{_t('people_head', lang)}</h2><p>{_t('people_lead', lang)}</p>")
    add(fig_html.get("outcomes", ""))
    add(fig_html.get("fan_charts", ""))
    for name in names:
        if name not in FIGURE_NAMES:
            add(fig_html[name])

    # uncertainties
    add(f'<h2>{_t("unc_head", lang)}</h2><ul class="unc">')
    b = tot.loc[baseline] if baseline in tot.index else tot.iloc[0]
    srow = stab[stab["design"] == baseline]
    rel = fmt_pct(float(srow["rel_half_width"].iloc[0]), lang, 1) if len(srow) else "?"
    add(
        "<li>"
        + _t(
            "unc_spread",
            lang,
            base=esc(base),
            lo=fmt_eur(b["p5"], 0, lang),
            hi=fmt_eur(b["p95"], 0, lang),
            n=n,
            rel=rel,
        )
        + "</li>"
    )
    add("<li>" + _t("unc_calibration", lang) + "</li>")
    add("<li>" + _t("unc_sensitivity", lang) + "</li>")
    inf = summary[summary["outcome"] == INFORMAL_VALUE].set_index("design")
    if not inf.empty:
        items = ", ".join(
            f"{esc(design_name(d, lang))} {fmt_eur(inf.loc[d, 'median'], 0, lang)}"
            for d in order
            if d in inf.index
        )
        add("<li>" + _t("unc_informal", lang, items=items) + "</li>")
    profile = meta.get("profile") or meta.get("municipality")
    add("<li>" + _t("unc_profile", lang, profile=f" ({esc(profile)})" if profile else "") + "</li>")
    add("</ul>")

    # how made
    years = meta.get("years") or int(outcomes["year"].max())
    date = meta.get("date") or dt.date.today().isoformat()
    unknown = _t("unknown", lang)
    rows = [
        ("how_model", meta.get("model_version", unknown)),
        ("how_commit", meta.get("git_commit", unknown)),
        ("how_date", date),
        ("how_runs", fmt_number(len(runs) if len(runs) else outcomes["run_id"].nunique(), 0, lang)),
        ("how_reps", fmt_number(n, 0, lang)),
        ("how_pop", fmt_number(pop, 0, lang) if pop else unknown),
        ("how_years", years),
        ("how_profile", meta.get("profile") or meta.get("municipality") or unknown),
        ("how_paired", _t("how_paired_v", lang)),
        ("how_stat", _t("how_stat_v", lang)),
    ]
    add(f'<h2>{_t("how_head", lang)}</h2><p>{_t("how_lead", lang)}</p><dl class="how">')
    for key, value in rows:
        shown = f"<code>{esc(value)}</code>" if key == "how_commit" else esc(value)
        add(f"<dt>{_t(key, lang)}</dt><dd>{shown}</dd>")
    add("</dl>")

    page = (
        f'<!DOCTYPE html>\n<html lang="{_B[lang]["html_lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_t('title', lang))}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )
    # keep "€ 1.234" and "1,5 mln" on one line
    for a, b in (
        ("€ ", "€\u00a0"),
        (" mln", "\u00a0mln"),
        (" mld", "\u00a0mld"),
        (" million", "\u00a0million"),
        (" billion", "\u00a0billion"),
    ):
        page = page.replace(a, b)
    path = out / filename
    path.write_text(page, encoding="utf-8")
    return path
