"""A short brief for a municipal council: one self-contained HTML page.

`write_brief` writes `brief.html` (Dutch) or `brief_en.html` (English): the question, the
variants compared (a design plus levers), the trade-off in brief (what gets better and what
gets worse against the baseline), the course over the years, who pays (financiers, carers'
hours, the municipality's own budgets, the societal cost-benefit table per actor), what
citizens notice, the uncertainties and how the results were made. Every number and every
finding is computed from the `runs` and `outcomes` tables; figures are embedded as base64
PNG and numbered in page order, the CSS is inline, nothing is loaded from elsewhere.

The tables are grouped on their `design` column; `compare` puts variant names there and
names them through `experiments.report.style.use_variants`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import stats
from experiments.report import mkba
from experiments.report.figures import (
    FIGURE_NAMES,
    FigureFiles,
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

MUNICIPAL_COST = stats.MUNICIPAL_COST
INFORMAL_VALUE = "informal_care_value_eur_per_inhabitant_per_year"
INFORMAL_HOURS = "informal_care_hours_per_inhabitant_per_year"
UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
KEY_OUTCOMES: tuple[str, ...] = (
    UNMET,
    ESCALATIONS_TOTAL,
    "carer_burnouts_per_1000_inhabitants_per_year",
    "waiting_weeks_mean",
    "wellbeing_index_0_100",
    INFORMAL_HOURS,
)
# Outcomes the headline weighs, in this order (lower is better unless listed below).
TRADE_OFF: tuple[str, ...] = (
    TOTAL_COST,
    MUNICIPAL_COST,
    UNMET,
    ESCALATIONS_TOTAL,
    "waiting_weeks_mean",
    "carer_burnouts_per_1000_inhabitants_per_year",
    INFORMAL_HOURS,
)
LOWER_IS_BETTER = {o: True for o in (*TRADE_OFF, *KEY_OUTCOMES)} | {"wellbeing_index_0_100": False}
# A difference is "clear" when at least this share of the paired replications points the
# same way (assumption: three in four; with 2 replications both must agree).
CLEAR_SHARE = 0.75
# A change over the years is worth a sentence when the median moves by more than this share
# between the first and the last simulated year (assumption).
TREND_SHARE = 0.10
# The headline's differences (total chain cost, unmet need) are means over the years. One
# has not settled when its paired difference in the last year differs from that mean by
# more than this share of the larger of the two (assumption: a quarter); the headline then
# gives the last year's difference beside it, so a transition (a capacity still growing, a
# queue still building or clearing) is not read as the lasting answer.
SETTLE_SHARE = 0.25
# ... and by more than this share of the baseline's own mean value (assumption: 1%; a smaller
# move is not worth a sentence, however steady)
SETTLE_FLOOR = 0.01
SETTLE_OUTCOMES: tuple[str, ...] = (TOTAL_COST, UNMET)
# Built-in profiles are examples, not real municipalities: their display names.
PROFILE_NAMES = {
    "nl": {
        "small_town": "kleine gemeente (voorbeeldprofiel)",
        "mid_city": "middelgrote stad (voorbeeldprofiel)",
        "large_city": "grote stad (voorbeeldprofiel)",
    },
    "en": {
        "small_town": "small town (example profile)",
        "mid_city": "mid-sized city (example profile)",
        "large_city": "large city (example profile)",
    },
}
MONTHS_NL: tuple[str, ...] = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

_B: dict[str, dict[str, str]] = {
    "nl": {
        "html_lang": "nl",
        "title_n": "Toegang tot zorg en ondersteuning: {n} varianten vergeleken",
        "title_1": "Toegang tot zorg en ondersteuning: {v} doorgerekend",
        "kicker": "Notitie voor de gemeenteraad · uitkomsten van een simulatiemodel",
        "q_head": "De vraag",
        "question": "Hoe richten we de toegang tot zorg en ondersteuning zo in dat inwoners op "
        "tijd passende hulp krijgen, en wat kost dat de hele keten? Niet alleen de gemeente "
        "betaalt (Wmo, Jeugd, Participatie, Welzijn), ook de zorgverzekeraar, de Wlz, "
        "inwoners zelf en vindplaatsen zoals de huisarts. Een besparing in het ene potje kan "
        "elders duurder uitpakken. Daarom kijken we naar de <em>totale ketenkosten</em> per "
        "inwoner per jaar, en naar wat inwoners en mantelzorgers ervan merken.",
        "variants_head": "De varianten",
        "variants_lead": "Elke variant is een manier van toegang (hieronder) plus eventuele "
        "hefbomen. Alle varianten kregen per herhaling dezelfde inwoners en gebeurtenissen.",
        "gatekeeping": "Zoals nu vaak: de inwoner meldt zich, meestal laat, bij het wijkteam. "
        "Na een keukentafelgesprek volgen een indicatie, een beschikking en verantwoording.",
        "early_signalling": "Vindplaatsen zoals de huisarts, de wijkagent en de "
        "woningcorporatie zien problemen vroeg en melden ze. Een vakkundige "
        "dossierhouder regelt snel lichte hulp en schaalt op of af waar nodig.",
        "yes_is_cheaper": "Aanvragen worden zonder uitgebreide toets toegekend, met weinig "
        "papierwerk en steekproefsgewijze controle achteraf. Het risico: meer mensen vragen "
        "hulp en aanbieders leveren mogelijk meer dan nodig.",
        "lever_chain_care": "ketenzorg dementie: casemanagement wordt gefinancierd voor "
        "iedereen met dementie die thuis woont (ook als plaatsen leeg blijven) en de "
        "huisarts verwijst iedereen door (zonder ketenzorg de helft)",
        "lever_integrated_financing": "integrale financiering: één budget voor de Wmo, "
        "Jeugd en een deel van Zvw en Wlz, vastgesteld op de uitgaven van vandaag; wat de "
        "Zvw en Wlz besparen, gaat voor een deel een jaar later naar preventie",
        "lever_own_contribution": "eigen bijdrage naar inkomen in plaats van het vaste "
        "abonnementstarief",
        "levers_on": "Hefbomen: {items}.",
        "other_settings": "Verder anders ingesteld: {items}.",
        "baseline_tag": "vergelijkingspunt",
        "head_head": "De uitkomst in het kort",
        "head_variant": "<strong>{v}</strong> tegenover {base}:",
        "better": "<em>beter</em>: {items}",
        "worse": "<em>slechter</em>: {items}",
        "none_better": "<em>beter</em>: niets duidelijk",
        "none_worse": "<em>slechter</em>: niets duidelijk",
        "unclear": "geen duidelijk verschil in {items}",
        "trade": "De afweging: {good} tegenover {bad}.",
        "all_good": "Geen afweging nodig: op niets duidelijk slechter.",
        "all_bad": "Op niets duidelijk beter.",
        "times": "{k} van {n} herhalingen",
        "clear_note": "‘Duidelijk’: in minstens {share} van de gepaarde herhalingen dezelfde "
        "kant op; zonder aantal erbij in alle {n}. Bedragen en percentages zijn medianen van "
        "de gepaarde verschillen.",
        "scale": "Voor de hele gemeente ({inh} inwoners) scheelt dat ongeveer {total} per "
        "jaar aan ketenkosten, waarvan {mun} bij de gemeente.",
        "scaled_note": " Gesimuleerd met {pop} personen; de totalen zijn opgeschaald naar "
        "het aantal inwoners.",
        "single": "Alleen {v} is doorgerekend, er is dus niets om mee te vergelijken. De "
        "ketenkosten zijn {x} per inwoner per jaar (mediaan), voor de hele gemeente "
        "({inh} inwoners) ongeveer {total} per jaar.",
        "more": "meer",
        "less": "minder",
        "pct_change": "{what} {x}",
        "eur_change": "{what} {x} per inwoner per jaar",
        "weeks_change": "{what} {x} weken",
        "unsettled": "Nog niet stabiel. In jaar {y}: {items}. De gemiddelden hierboven wegen "
        "de eerste jaren mee, waarin deze variant nog veranderde (zie ‘Door de jaren heen’).",
        "unsettled_item": "{change} (gemiddeld over de jaren {mean})",
        "table_caption": "Mediaan over {n} herhalingen van het gemiddelde per jaar over "
        "{y} jaar; kleine regel: de waarde in jaar {y}. Groen: beste gemiddelde in de rij.",
        "in_year": "jaar {y}: {x}",
        "col_measure": "Uitkomst",
        "trend_head": "Door de jaren heen",
        "trend_line": "{what} {verb} {scope}: {ref}van {a} in jaar 1 naar {b} in jaar {y} ({pct}).",
        "trend_ref": "bij {base} ",
        "rises": "stijgt",
        "falls": "daalt",
        "scope_all": "in alle varianten",
        "scope_some": "bij {items}",
        "trend_none": "Geen van de kerncijfers verandert bij {base} meer dan {pct} tussen "
        "jaar 1 en jaar {y}.",
        "pay_head": "Wie betaalt meer, wie bespaart?",
        "pay_lead": "Verschil met {base} per financier, in euro per inwoner per jaar "
        "(mediaan van gepaarde verschillen). Plus is: deze financier betaalt meer.",
        "pay_more": "betalen meer: {items}",
        "pay_less": "besparen: {items}",
        "pay_none_more": "geen financier betaalt duidelijk meer",
        "pay_none_less": "geen financier bespaart duidelijk",
        "pay_municipal": "De gemeente samen (Wmo, Jeugd, Participatie en Welzijn): {x}; "
        "de rest van de keten: {y}.",
        "carers": "Mantelzorgers: {h} uur mantelzorg per inwoner per jaar, tegen de "
        "vervangingsprijs van {price} per uur {eur}. Dat staat buiten de ketenkosten.",
        "carers_noprice": "Mantelzorgers: {h} uur mantelzorg per inwoner per jaar ({eur}). "
        "Dat staat buiten de ketenkosten.",
        "budget_head": "Tegen de eigen begroting",
        "budget_lead": "Uitgaven van de gemeente per inwoner per jaar (gemiddelde over de "
        "jaren, mediaan), tegenover de begroting van de gemeente.",
        "budget_line": "<strong>{v}</strong>: {items}.",
        "budget_item": "{what} {x} ({pct} van het budget van {b}; in jaar {y}: {last})",
        "wmo": "Wmo",
        "youth": "Jeugd",
        "mkba_head": "Maatschappelijke kosten en baten per partij",
        "mkba_lead": "Verschil met {base} in euro per inwoner per jaar (mediaan van gepaarde "
        "verschillen, tussen haakjes het 90%-interval). Plus is een kostenpost voor die "
        "partij, min een baat (besparing). Mantelzorguren zijn gewaardeerd tegen de "
        "vervangingsprijs; de laatste rij telt alles op.",
        "mkba_cost": "kosten",
        "mkba_benefit": "baat",
        "mkba_uncertain": "onzeker",
        "mkba_actor": "Partij",
        "people_head": "Wat merken inwoners en mantelzorgers?",
        "people_lead": "Bij alle uitkomsten hieronder is lager beter, behalve bij welzijn.",
        "unc_head": "Onzekerheden",
        "unc_spread": "<strong>Toeval in het model.</strong> Elke herhaling heeft andere "
        "inwoners en gebeurtenissen. De ketenkosten van {base} liggen in 90% van de "
        "herhalingen tussen {lo} en {hi} per inwoner. Omdat alle varianten per herhaling "
        "dezelfde inwoners en gebeurtenissen kregen, zijn de <em>verschillen</em> tussen "
        "varianten preciezer dan die spreiding doet vermoeden. De mediaan van de "
        "ketenkosten ligt met {n} herhalingen vast tot op ongeveer {rel} (95%-bootstrap).",
        "unc_calibrated": "<strong>Gekalibreerd op de huidige praktijk.</strong> Het gedrag "
        "in het model is afgestemd op Nederlandse kengetallen (zoals aantallen cliënten en "
        "kosten) onder de poortwachter. De effecten van de andere varianten en hefbomen zijn "
        "aannames uit literatuur en praktijk, niet getoetst aan gemeten uitkomsten. Lees de "
        "cijfers als richting en orde van grootte, niet als begroting.",
        "unc_calibration": "<strong>Niet gekalibreerd.</strong> Deze berekening gebruikt "
        "het handmatig gekozen startgedrag van het model, niet het op Nederlandse "
        "kengetallen afgestemde gedrag. De effecten van de varianten zijn aannames uit "
        "literatuur en praktijk. Lees de cijfers als richting, niet als begroting.",
        "unc_sensitivity_link": "<strong>Parameters.</strong> De spreiding hierboven gaat "
        "niet over onzekerheid in de aannames zelf. Welke aannames de uitkomst bepalen staat "
        'in de <a href="{link}">gevoeligheidsanalyse</a>.',
        "unc_sensitivity": "<strong>Parameters.</strong> De spreiding hierboven gaat niet "
        "over onzekerheid in de aannames zelf. Voor deze notitie is geen "
        "gevoeligheidsanalyse meegeleverd; die laat zien welke aannames de uitkomst bepalen "
        "en wanneer een andere variant wint.",
        "unc_profile": "<strong>Eén gemeente.</strong> De uitkomsten gelden voor de "
        "doorgerekende gemeente ({profile}); een andere bevolking of zorgmarkt kan anders "
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
        "how_reps": "Herhalingen per variant",
        "how_inh": "Inwoners van de gemeente",
        "how_pop": "Gesimuleerde personen",
        "how_years": "Gesimuleerde jaren",
        "how_years_v": "{y} (na {b} inloopjaren met de poortwachter)",
        "how_profile": "Gemeente",
        "how_behaviour": "Gedrag",
        "how_behaviour_calibrated": "gekalibreerd op Nederlandse kengetallen",
        "how_behaviour_default": "handmatig gekozen startwaarden (niet gekalibreerd)",
        "how_behaviour_other": "eigen instelling ({name})",
        "how_variants": "Varianten",
        "how_no_levers": "geen hefbomen",
        "how_paired": "Vergelijking",
        "how_paired_v": "gepaard: herhaling k van elke variant gebruikte dezelfde seed",
        "how_stat": "Statistiek",
        "how_stat_v": "mediaan; intervallen zijn het 50%- en 90%-bereik over herhalingen",
        "figure": "Figuur",
        "unknown": "onbekend",
        "per_inh": "per inwoner per jaar",
        "and": "en",
    },
    "en": {
        "html_lang": "en",
        "title_n": "Access to care and support: {n} variants compared",
        "title_1": "Access to care and support: {v} simulated",
        "kicker": "Brief for the municipal council · results of a simulation model",
        "q_head": "The question",
        "question": "How should access to care and support be organised so that citizens get "
        "fitting help in time, and what does that cost the whole chain? The municipality "
        "is not the only payer (Wmo, youth care, participation, welfare): so are health "
        "insurers, the long-term care act (Wlz), citizens themselves and care-finding "
        "places such as the GP. A saving in one budget can cost more in another. So we "
        "look at the <em>total chain cost</em> per inhabitant per year, and at what "
        "citizens and informal carers notice.",
        "variants_head": "The variants",
        "variants_lead": "Each variant is a way of organising access (below) plus any "
        "levers. In each replication every variant faced the same citizens and events.",
        "gatekeeping": "Today's common practice: citizens turn to the neighbourhood team, "
        "usually late. A kitchen-table conversation leads to an assessment, a formal "
        "decision and reporting.",
        "early_signalling": "Care-finding places such as the GP, the community police "
        "officer and the housing corporation see problems early and signal them. A "
        "skilled case holder quickly arranges light help and scales it up or down.",
        "yes_is_cheaper": "Requests are granted without a full assessment, with little "
        "paperwork and sample audits afterwards. The risk: more people ask, and providers "
        "may supply more than needed.",
        "lever_chain_care": "chain care for dementia: case management is funded for "
        "everyone with dementia living at home (empty places are paid too) and the GP "
        "refers everyone (half of them without chain care)",
        "lever_integrated_financing": "integrated financing: one budget for the Wmo, youth "
        "care and a share of Zvw and Wlz, set at today's spending; part of what Zvw and Wlz "
        "save goes to prevention a year later",
        "lever_own_contribution": "income-related own contribution instead of the flat fee",
        "levers_on": "Levers: {items}.",
        "other_settings": "Also set differently: {items}.",
        "baseline_tag": "baseline",
        "head_head": "The result in brief",
        "head_variant": "<strong>{v}</strong> compared with {base}:",
        "better": "<em>better</em>: {items}",
        "worse": "<em>worse</em>: {items}",
        "none_better": "<em>better</em>: nothing clearly",
        "none_worse": "<em>worse</em>: nothing clearly",
        "unclear": "no clear difference in {items}",
        "trade": "The trade-off: {good} against {bad}.",
        "all_good": "No trade-off: nothing clearly worse.",
        "all_bad": "Nothing clearly better.",
        "times": "{k} of {n} replications",
        "clear_note": "‘Clearly’: in at least {share} of the paired replications the same "
        "way; without a count, in all {n}. Amounts and percentages are medians of the paired "
        "differences.",
        "scale": "For the whole municipality ({inh} inhabitants) that is about {total} a "
        "year in chain cost, of which {mun} for the municipality.",
        "scaled_note": " Simulated with {pop} persons; totals are scaled up to the number of "
        "inhabitants.",
        "single": "Only {v} was simulated, so there is nothing to compare with. The chain "
        "cost is {x} per inhabitant per year (median), about {total} a year for the whole "
        "municipality ({inh} inhabitants).",
        "more": "more",
        "less": "less",
        "pct_change": "{what} {x}",
        "eur_change": "{what} {x} per inhabitant per year",
        "weeks_change": "{what} {x} weeks",
        "unsettled": "Not yet settled. In year {y}: {items}. The means above include the "
        "first years, while this variant was still changing (see ‘Over the years’).",
        "unsettled_item": "{change} (mean over the years {mean})",
        "table_caption": "Median over {n} replications of the average per year over {y} "
        "years; small line: the value in year {y}. Green: best average in the row.",
        "in_year": "year {y}: {x}",
        "col_measure": "Outcome",
        "trend_head": "Over the years",
        "trend_line": "{what} {verb} {scope}: {ref}from {a} in year 1 to {b} in year {y} ({pct}).",
        "trend_ref": "under {base} ",
        "rises": "rises",
        "falls": "falls",
        "scope_all": "in every variant",
        "scope_some": "under {items}",
        "trend_none": "None of the key figures under {base} changes by more than {pct} "
        "between year 1 and year {y}.",
        "pay_head": "Who pays more, who saves?",
        "pay_lead": "Difference from {base} per financier, in euros per inhabitant per year "
        "(median of paired differences). Plus means: this financier pays more.",
        "pay_more": "pay more: {items}",
        "pay_less": "save: {items}",
        "pay_none_more": "no financier clearly pays more",
        "pay_none_less": "no financier clearly saves",
        "pay_municipal": "The municipality together (Wmo, youth, participation and "
        "welfare): {x}; the rest of the chain: {y}.",
        "carers": "Informal carers: {h} hours of informal care per inhabitant per year, "
        "at the replacement price of {price} an hour {eur}. This is outside the chain cost.",
        "carers_noprice": "Informal carers: {h} hours of informal care per inhabitant per "
        "year ({eur}). This is outside the chain cost.",
        "budget_head": "Against the municipality's own budget",
        "budget_lead": "Municipal spending per inhabitant per year (average over the years, "
        "median), against the municipality's budget.",
        "budget_line": "<strong>{v}</strong>: {items}.",
        "budget_item": "{what} {x} ({pct} of the budget of {b}; in year {y}: {last})",
        "wmo": "Wmo",
        "youth": "youth care",
        "mkba_head": "Societal costs and benefits per actor",
        "mkba_lead": "Difference from {base} in euros per inhabitant per year (median of "
        "paired differences, the 90% interval in brackets). Plus is a cost to that actor, "
        "minus a benefit (a saving). Informal care hours are valued at the replacement "
        "price; the last row adds everything up.",
        "mkba_cost": "cost",
        "mkba_benefit": "benefit",
        "mkba_uncertain": "uncertain",
        "mkba_actor": "Actor",
        "people_head": "What do citizens and carers notice?",
        "people_lead": "For all outcomes below lower is better, except wellbeing.",
        "unc_head": "Uncertainties",
        "unc_spread": "<strong>Chance within the model.</strong> Each replication has other "
        "citizens and events. The chain cost of {base} lies between {lo} and {hi} per "
        "inhabitant in 90% of replications. Because every variant faced the same citizens "
        "and events in each replication, the <em>differences</em> between variants are more "
        "precise than that spread suggests. With {n} replications the median chain cost is "
        "known to about {rel} (95% bootstrap).",
        "unc_calibrated": "<strong>Calibrated to today's practice.</strong> The model's "
        "behaviour is fitted to Dutch key figures (such as numbers of clients and costs) "
        "under gatekeeping. The effects of the other variants and levers are assumptions "
        "from literature and practice, not tested against measured outcomes. Read the "
        "numbers as direction and order of magnitude, not as a budget.",
        "unc_calibration": "<strong>Not calibrated.</strong> This run uses the model's "
        "hand-set starting behaviour, not the behaviour fitted to Dutch key figures. The "
        "effects of the variants are assumptions from literature and practice. Read the "
        "numbers as direction, not as a budget.",
        "unc_sensitivity_link": "<strong>Parameters.</strong> The spread above is not about "
        "uncertainty in the assumptions themselves. Which assumptions drive the result is "
        'shown in the <a href="{link}">sensitivity analysis</a>.',
        "unc_sensitivity": "<strong>Parameters.</strong> The spread above is not about "
        "uncertainty in the assumptions themselves. No sensitivity analysis came with this "
        "brief; it would show which assumptions drive the result and when another variant "
        "wins.",
        "unc_profile": "<strong>One municipality.</strong> The results hold for the "
        "simulated municipality ({profile}); another population or care market may turn out "
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
        "how_reps": "Replications per variant",
        "how_inh": "Inhabitants of the municipality",
        "how_pop": "Persons simulated",
        "how_years": "Simulated years",
        "how_years_v": "{y} (after {b} burn-in years under gatekeeping)",
        "how_profile": "Municipality",
        "how_behaviour": "Behaviour",
        "how_behaviour_calibrated": "calibrated to Dutch key figures",
        "how_behaviour_default": "hand-set starting values (not calibrated)",
        "how_behaviour_other": "own setting ({name})",
        "how_variants": "Variants",
        "how_no_levers": "no levers",
        "how_paired": "Comparison",
        "how_paired_v": "paired: replication k of every variant used the same seed",
        "how_stat": "Statistics",
        "how_stat_v": "median; intervals are the 50% and 90% ranges over replications",
        "figure": "Figure",
        "unknown": "unknown",
        "per_inh": "per inhabitant per year",
        "and": "and",
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
h3 { font-size: 1.08rem; margin: 1.6rem 0 .4rem; }
.headline p.variant { margin-top: .9rem; }
ul.trade { margin: .2rem 0 .3rem; padding-left: 1.1rem; }
ul.trade li.good::marker { content: "+  "; color: #009E73; font-weight: 700; }
ul.trade li.bad::marker { content: "−  "; color: #D55E00; font-weight: 700; }
ul.trade li.same { color: var(--muted); }
p.verdict { font-weight: 600; }
p.scale, p.note { font-size: .9rem; color: var(--muted); }
p.unsettled { border-left: 3px solid #E69F00; padding-left: .6rem; }
.last { display: block; color: var(--muted); font-size: .78rem; font-weight: 400; }
table.mkba td.cost { background: #fbe9e0; }
table.mkba td.benefit { background: var(--good); }
table.mkba tr.total th, table.mkba tr.total td { border-top: 2px solid var(--ink);
  font-weight: 600; }
@media print { figure { width: 100%; left: 0; transform: none; page-break-inside: avoid; }
  html { font-size: 11pt; } }
"""


def _t(key: str, lang: str, **kwargs: object) -> str:
    return _B[lang][key].format(**kwargs)


def esc(s: object) -> str:
    """HTML-escape text (quotes too)."""
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
    """A figure as an embedded PNG with its number."""
    png, alt = _png_of(fig)
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (
        f'<figure id="fig-{number}"><img src="data:image/png;base64,{data}" '
        f'alt="{esc(alt)}"><figcaption>{_t("figure", lang)} {number}</figcaption></figure>'
    )


def _join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {_t('and', lang)} " + items[-1]


def long_date(iso: str, lang: str) -> str:
    """`2026-11-23` as `23 november 2026` (nl) or `23 November 2026` (en)."""
    try:
        d = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if lang == "nl":
        return f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}"
    return f"{d.day} {d.strftime('%B')} {d.year}"


def profile_name(profile: str | None, lang: str) -> str:
    """A municipality for the reader: built-in profiles by a description, others by name."""
    if not profile:
        return _t("unknown", lang)
    return PROFILE_NAMES[lang].get(profile, profile)


def _population(runs: pd.DataFrame, meta: Mapping[str, Any]) -> int | None:
    if meta.get("population"):
        return int(meta["population"])
    for col in ("population", "n_inhabitants", "inhabitants", "population_size"):
        if col in runs.columns and runs[col].notna().any():
            return int(runs[col].dropna().iloc[0])
    return None


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


def _change_value(med: float, base_value: float, outcome: str, lang: str) -> str:
    """A paired difference as shown: `−€ 213`, `+24%` (of the baseline's value), `+1,5`."""
    if outcome.endswith("_eur_per_inhabitant_per_year"):
        return fmt_eur(med, 0, lang, signed=True)
    if outcome == "waiting_weeks_mean":
        return fmt_number(med, 1, lang, signed=True)
    if base_value and not math.isnan(base_value):
        pct = med / abs(base_value)
        sign = "+" if pct > 0 else ""
        return f"{sign}{fmt_pct(pct, lang)}".replace("-", "\u2212")
    return fmt_number(med, 1, lang, signed=True)


def _change_phrase(row: pd.Series, base_value: float, outcome: str, lang: str) -> str:
    """`ketenkosten −€ 213 per inwoner per jaar`, `onvervulde hulpvraag +24%`."""
    what = outcome_label(outcome, lang)
    what = what[:1].lower() + what[1:] if not what[:3].isupper() else what
    x = _change_value(float(row["median"]), base_value, outcome, lang)
    if outcome.endswith("_eur_per_inhabitant_per_year"):
        return _t("eur_change", lang, what=what, x=x)
    if outcome == "waiting_weeks_mean":
        return _t("weeks_change", lang, what=what, x=x)
    return _t("pct_change", lang, what=what, x=x)


def unsettled(data: pd.DataFrame, variant: str, baseline: str, year: int, lang: str) -> str | None:
    """The headline differences of `variant` (`SETTLE_OUTCOMES`) that have not settled by
    the last `year`: their paired median that year differs from the mean over the years by
    more than `SETTLE_SHARE` of the larger of the two and than `SETTLE_FLOOR` of the
    baseline's mean, and in at least `CLEAR_SHARE` of the paired replications the same way
    (so one noisy year is not taken for a transition). A sentence that gives both, or None
    when all have settled."""
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
        change = _change_phrase(last_row, float(last_base.get((baseline, o), math.nan)), o, lang)
        mean_x = _change_value(mean, base_mean, o, lang)
        items.append(_t("unsettled_item", lang, change=change, mean=mean_x))
    if not items:
        return None
    return _t("unsettled", lang, y=year, items=_join(items, lang))


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
        phrase = _change_phrase(r, float(base.get(o, float("nan"))), o, lang)
        k = round(max(good_share, bad_share) * n)
        if k < n:  # without a count: in every paired replication
            phrase += f" ({_t('times', lang, k=k, n=n)})"
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
                _t("scope_all", lang)
                if len(group) == len(moves) and len(moves) > 1
                else _t("scope_some", lang, items=_join([design_ref(d, lang) for d in group], lang))
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
                _t(
                    "trend_line",
                    lang,
                    what=what,
                    verb=_t(verb, lang),
                    scope=scope,
                    ref=_t("trend_ref", lang, base=design_ref(ref, lang)) if len(group) > 1 else "",
                    a=fmt_value(a, o, lang),
                    b=fmt_value(b, o, lang),
                    y=y1,
                    pct=pct,
                )
            )
    return lines


def _key_table(
    summary: pd.DataFrame, yearly: pd.DataFrame, order: list[str], lang: str, n: int, y: int
) -> str:
    med = summary.pivot(index="outcome", columns="design", values="median")
    last = yearly[yearly["year"] == y].pivot(index="outcome", columns="design", values="median")
    rows_out = [o for o in (TOTAL_COST, MUNICIPAL_COST, *KEY_OUTCOMES) if o in med.index]
    head = "".join(f'<th class="num">{esc(design_name(d, lang))}</th>' for d in order)
    body = []
    for o in rows_out:
        values = med.loc[o, order]
        best = values.idxmax() if not LOWER_IS_BETTER.get(o, True) else values.idxmin()
        cells = []
        for d in order:
            x = fmt_value(values[d], o, lang)
            small = ""
            if o in last.index and d in last.columns:
                small = (
                    f'<span class="last">'
                    f"{esc(_t('in_year', lang, y=y, x=fmt_value(last.loc[o, d], o, lang)))}</span>"
                )
            cls = " best" if d == best and len(order) > 1 else ""
            cells.append(f'<td class="num{cls}">{esc(x)}{small}</td>')
        label = (
            f'{esc(outcome_label(o, lang))}<span class="unit">{esc(outcome_unit(o, lang))}</span>'
        )
        body.append(f"<tr><th>{label}</th>{''.join(cells)}</tr>")
    return (
        f"<table><caption>{esc(_t('table_caption', lang, n=n, y=y))}</caption>"
        f"<thead><tr><th>{_t('col_measure', lang)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _items(series: pd.Series, lang: str, limit: int = 3) -> str:
    return ", ".join(
        f"{esc(financier_name(f, lang))} ({fmt_eur(v, 0, lang, signed=True)})"
        for f, v in series.head(limit).items()
    )


def _mkba_table(
    outcomes: pd.DataFrame, baseline: str, others: list[str], inhabitants: int, lang: str
) -> str:
    table = mkba.societal_table(outcomes, baseline, inhabitants)
    if table.empty:
        return ""
    head = "".join(f'<th class="num">{esc(design_name(d, lang))}</th>' for d in others)
    body = []
    for actor in [*mkba.ACTORS, mkba.SOCIETY]:
        rows = table[table["actor"] == actor].set_index("design")
        if rows.empty:
            continue
        cells = []
        for d in others:
            if d not in rows.index:
                cells.append('<td class="num">–</td>')
                continue
            r = rows.loc[d]
            word = _t(f"mkba_{r['verdict']}", lang)
            interval = (
                f"{fmt_eur(r['p5'], 0, lang, signed=True)} … "
                f"{fmt_eur(r['p95'], 0, lang, signed=True)}"
            )
            cells.append(
                f'<td class="num {r["verdict"]}">'
                f"{esc(fmt_eur(r['change_eur_per_inhabitant_per_year'], 0, lang, signed=True))}"
                f'<span class="last">({esc(interval)}) {esc(word)}</span></td>'
            )
        cls = ' class="total"' if actor == mkba.SOCIETY else ""
        body.append(f"<tr{cls}><th>{esc(mkba.ACTOR_NAMES[lang][actor])}</th>{''.join(cells)}</tr>")
    return (
        f"<table class='mkba'><thead><tr><th>{_t('mkba_actor', lang)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _variants_section(
    order: list[str], baseline: str, variants: Mapping[str, Mapping[str, Any]], lang: str
) -> str:
    parts = [f"<h2>{_t('variants_head', lang)}</h2><p>{_t('variants_lead', lang)}</p>"]
    parts.append('<dl class="designs">')
    for d in order:
        info = variants.get(d, {})
        design = info.get("design", d)
        tag = f' <span class="tag">({_t("baseline_tag", lang)})</span>' if d == baseline else ""
        desc = esc(_B[lang].get(design, ""))
        levers = _lever_texts(info, lang)
        if levers:
            desc += " " + esc(_t("levers_on", lang, items="; ".join(levers)))
        if info.get("overrides"):
            desc += " " + esc(_t("other_settings", lang, items=", ".join(info["overrides"])))
        parts.append(
            f'<dt><span class="swatch" style="background:{design_colour(d)}"></span>'
            f"{esc(design_name(d, lang))}{tag}</dt><dd>{desc}</dd>"
        )
    parts.append("</dl>")
    return "".join(parts)


def _lever_texts(info: Mapping[str, Any], lang: str) -> list[str]:
    out = []
    for lever in info.get("lever_keys", []):
        key = f"lever_{lever}"
        out.append(_B[lang].get(key, lever))
    return out


def _budget_section(
    data: pd.DataFrame, order: list[str], meta: Mapping[str, Any], lang: str, y: int
) -> str:
    budgets = {
        "wmo": meta.get("wmo_budget"),
        "youth": meta.get("youth_budget"),
    }
    budgets = {k: float(v) for k, v in budgets.items() if v}
    if not budgets:
        return ""
    summary = stats.summarise(data)
    last = stats.summarise(data, year=y) if y else summary
    lines = []
    for d in order:
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
                _t(
                    "budget_item",
                    lang,
                    what=_t(fin, lang),
                    x=fmt_eur(x, 0, lang),
                    pct=fmt_pct(x / budget, lang),
                    b=fmt_eur(budget, 0, lang),
                    y=y,
                    last=fmt_eur(lx, 0, lang),
                )
            )
        if items:
            lines.append(
                "<li>"
                + _t("budget_line", lang, v=esc(design_name(d, lang)), items="; ".join(items))
                + "</li>"
            )
    if not lines:
        return ""
    return (
        f"<h3>{_t('budget_head', lang)}</h3><p>{_t('budget_lead', lang)}</p>"
        f"<ul class='pay'>{''.join(lines)}</ul>"
    )


def write_brief(
    out_dir: Path | str,
    runs: pd.DataFrame,
    outcomes: pd.DataFrame,
    figures: Mapping[str, FigureFiles | Path | Sequence[Path]] | None = None,
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
    if lang not in _B:
        raise ValueError(f"lang must be 'nl' or 'en', got {lang!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(meta or {})
    suffix = "" if lang == "nl" else f"_{lang}"
    filename = filename or f"brief{suffix}.html"
    if figures is None:
        figures = make_all_figures(outcomes, out / f"figures{suffix}", lang, baseline)
    tables = key_numbers(outcomes, baseline, runs)
    data, summary, diffs = tables["data"], tables["summary"], tables["differences"]
    stab, yearly = tables["stability"], tables["yearly"]
    order = order_designs(summary["design"])
    if baseline not in order:
        raise ValueError(f"baseline {baseline!r} not among the variants {order}")
    others = [d for d in order if d != baseline]
    n = int(summary.loc[summary["outcome"] == TOTAL_COST, "n"].min())
    last_year = int(yearly["year"].max()) if len(yearly) else 0
    base = design_ref(baseline, lang)
    pop = _population(runs, meta)
    inhabitants = int(meta.get("inhabitants") or pop or 0)
    tot = summary[summary["outcome"] == TOTAL_COST].set_index("design")
    dtot = diffs[diffs["outcome"] == TOTAL_COST].set_index("design")
    dmun = diffs[diffs["outcome"] == MUNICIPAL_COST].set_index("design")
    variants = {v["name"]: v for v in meta.get("variants", []) if "name" in v}

    numbered: list[int] = []

    def place(name: str) -> str:
        if name not in figures:
            return ""
        numbered.append(len(numbered) + 1)
        return figure_html(figures[name], numbered[-1], lang)

    parts: list[str] = []
    add: Callable[[str], None] = parts.append
    title = (
        _t("title_n", lang, n=len(order))
        if len(order) > 1
        else _t("title_1", lang, v=design_ref(order[0], lang))
    )
    add(f'<header><p class="kicker">{esc(_t("kicker", lang))}</p><h1>{esc(title)}</h1></header>')

    # the result in brief: the trade-off per variant
    add(f'<h2>{_t("head_head", lang)}</h2><div class="headline">')
    scale_note = (
        _t("scaled_note", lang, pop=fmt_number(pop, 0, lang))
        if pop and inhabitants and pop != inhabitants
        else ""
    )
    if not others:
        x = float(tot.loc[baseline, "median"])
        add(
            "<p>"
            + _t(
                "single",
                lang,
                v=esc(design_ref(baseline, lang)),
                x=fmt_eur(x, 0, lang),
                inh=fmt_number(inhabitants, 0, lang),
                total=fmt_eur_compact(x * inhabitants, lang),
            )
            + esc(scale_note)
            + "</p>"
        )
    for d in others:
        t = trade_off(diffs, summary, d, baseline, lang)
        head = _t("head_variant", lang, v=esc(design_name(d, lang)), base=esc(base))
        better = (
            _t("better", lang, items=esc("; ".join(t["better"])))
            if t["better"]
            else _t("none_better", lang)
        )
        worse = (
            _t("worse", lang, items=esc("; ".join(t["worse"])))
            if t["worse"]
            else _t("none_worse", lang)
        )
        lines = [f"<p class='variant'>{head}</p><ul class='trade'>"]
        lines.append(f"<li class='good'>{better}</li><li class='bad'>{worse}</li>")
        if t["unclear"]:
            lines.append(
                f"<li class='same'>{esc(_t('unclear', lang, items=_join(t['unclear'], lang)))}</li>"
            )
        lines.append("</ul>")
        if t["better"] and t["worse"]:
            good = t["better"][0].split(" (")[0]
            bad = t["worse"][0].split(" (")[0]
            lines.append(f"<p class='verdict'>{esc(_t('trade', lang, good=good, bad=bad))}</p>")
        elif t["better"]:
            lines.append(f"<p class='verdict'>{esc(_t('all_good', lang))}</p>")
        elif t["worse"]:
            lines.append(f"<p class='verdict'>{esc(_t('all_bad', lang))}</p>")
        if inhabitants and d in dtot.index:
            total = fmt_eur_compact(float(dtot.loc[d, "median"]) * inhabitants, lang, signed=True)
            mun = (
                fmt_eur_compact(float(dmun.loc[d, "median"]) * inhabitants, lang, signed=True)
                if d in dmun.index
                else "?"
            )
            lines.append(
                "<p class='scale'>"
                + esc(_t("scale", lang, inh=fmt_number(inhabitants, 0, lang), total=total, mun=mun))
                + esc(scale_note)
                + "</p>"
            )
        # the headline's differences in the last year, to tell a transition from the answer
        moving = unsettled(data, d, baseline, last_year, lang) if last_year > 1 else None
        if moving:
            lines.append(f"<p class='unsettled'>{esc(moving)}</p>")
        add("".join(lines))
    if others:
        note = _t("clear_note", lang, share=fmt_pct(CLEAR_SHARE, lang), n=n)
        add(f"<p class='note'>{esc(note)}</p>")
    add("</div>")
    add(_key_table(summary, yearly, order, lang, n, last_year))

    # over the years
    lines = trends(yearly, order, baseline, lang)
    add(f"<h3>{_t('trend_head', lang)}</h3>")
    if lines:
        add("<ul class='trend'>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    else:
        add(
            "<p>"
            + esc(_t("trend_none", lang, base=base, pct=fmt_pct(TREND_SHARE, lang), y=last_year))
            + "</p>"
        )
    add(place("total_cost"))
    add(place("trajectories"))

    # the question and the variants
    add(f'<h2>{_t("q_head", lang)}</h2><p class="lead">{_t("question", lang)}</p>')
    add(_variants_section(order, baseline, variants, lang))

    # who pays
    add(f"<h2>{_t('pay_head', lang)}</h2>")
    if others:
        add(f"<p>{esc(_t('pay_lead', lang, base=base))}</p><ul class='pay'>")
        dinf = diffs[diffs["outcome"] == INFORMAL_VALUE].set_index("design")
        dhours = diffs[diffs["outcome"] == INFORMAL_HOURS].set_index("design")
        price = meta.get("informal_care_price")
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
            if d in dhours.index and d in dinf.index:
                h = fmt_number(dhours.loc[d, "median"], 1, lang, signed=True)
                eur = (
                    fmt_eur(dinf.loc[d, "median"], 0, lang, signed=True) + " " + _t("per_inh", lang)
                )
                line += " " + (
                    _t("carers", lang, h=h, price=fmt_eur(price, 2, lang), eur=f"({eur})")
                    if price
                    else _t("carers_noprice", lang, h=h, eur=eur)
                )
            add(f"<li>{line}</li>")
        add("</ul>")
        add(place("wrong_pocket"))
    add(place("cost_by_financier"))
    add(_budget_section(data, order, meta, lang, last_year))
    table = _mkba_table(outcomes, baseline, others, inhabitants, lang)
    if table:
        add(f"<h3>{_t('mkba_head', lang)}</h3><p>{esc(_t('mkba_lead', lang, base=base))}</p>")
        add(table)

    # people
    add(f"<h2>{_t('people_head', lang)}</h2><p>{_t('people_lead', lang)}</p>")
    add(place("outcomes"))
    add(place("fan_charts"))
    for name in figures:
        if name not in FIGURE_NAMES:
            add(place(name))

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
    behaviour = meta.get("behaviour")
    add(
        "<li>"
        + _t("unc_calibrated" if behaviour == "calibrated" else "unc_calibration", lang)
        + "</li>"
    )
    link = meta.get("sensitivity_link")
    add(
        "<li>"
        + (
            _t("unc_sensitivity_link", lang, link=esc(link))
            if link
            else _t("unc_sensitivity", lang)
        )
        + "</li>"
    )
    profile = profile_name(meta.get("profile") or meta.get("municipality"), lang)
    add("<li>" + _t("unc_profile", lang, profile=esc(profile)) + "</li>")
    add("</ul>")

    # how made
    years = meta.get("years") or int(outcomes["year"].max())
    date = long_date(meta.get("date") or dt.date.today().isoformat(), lang)
    unknown = _t("unknown", lang)
    behaviour_text = (
        _t("how_behaviour_calibrated", lang)
        if behaviour == "calibrated"
        else _t("how_behaviour_default", lang)
        if behaviour == "default"
        else _t("how_behaviour_other", lang, name=behaviour)
        if behaviour
        else unknown
    )
    years_text = (
        _t("how_years_v", lang, y=years, b=meta["burn_in_years"])
        if meta.get("burn_in_years")
        else str(years)
    )
    variant_items = []
    for d in order:
        levers = _lever_texts(variants.get(d, {}), lang)
        lever_short = [x.split(":")[0] for x in levers]
        variant_items.append(
            f"{design_name(d, lang)} ({', '.join(lever_short) or _t('how_no_levers', lang)})"
        )
    rows = [
        ("how_model", meta.get("model_version", unknown)),
        ("how_commit", meta.get("git_commit", unknown)),
        ("how_date", date),
        ("how_runs", fmt_number(len(runs) if len(runs) else outcomes["run_id"].nunique(), 0, lang)),
        ("how_reps", fmt_number(n, 0, lang)),
        ("how_profile", profile),
        ("how_inh", fmt_number(inhabitants, 0, lang) if inhabitants else unknown),
        ("how_pop", fmt_number(pop, 0, lang) if pop else unknown),
        ("how_years", years_text),
        ("how_behaviour", behaviour_text),
        ("how_variants", "; ".join(variant_items)),
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
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )
    # keep "€ 1.234" and "1,5 mln" on one line
    for a, b_ in (
        ("€ ", "€\u00a0"),
        (" mln", "\u00a0mln"),
        (" mld", "\u00a0mld"),
        (" million", "\u00a0million"),
        (" billion", "\u00a0billion"),
    ):
        page = page.replace(a, b_)
    path = out / filename
    path.write_text(page, encoding="utf-8")
    return path
