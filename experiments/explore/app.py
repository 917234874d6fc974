"""The explorer page: `solara run experiments/explore/app.py` (or `ketensim explore`).

Two pages: *Live model* (a Mesa SolaraViz: the controls, weekly plots and one person's story)
and *Results* (a finished compare or sensitivity folder). The command passes its settings
in the environment variable `KETENSIM_EXPLORE` (JSON); without it the defaults below apply.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter

from experiments.explore.model import (
    INFORMAL,
    KEEP,
    QUEUES,
    UNMET,
    WAIT_WEEKS,
    ExplorerModel,
    cost_column,
    design_controls,
    escalation_column,
)
from experiments.explore.results_page import ResultsPage
from experiments.report.numbers import fmt_number
from experiments.report.pages import esc
from experiments.report.style import (
    FINANCIER_COLOURS,
    FINANCIERS,
    INK,
    MUTED_INK,
    escalation_name,
)
from sim.config import SCENARIOS_DIR
from sim.designs import BURN_IN_DESIGN, design_names, lever_entries
from sim.params import ESCALATIONS

ENV = "KETENSIM_EXPLORE"
DEFAULTS: dict[str, Any] = {
    "design": BURN_IN_DESIGN,
    "municipality": "small_town",
    "population": 20000,
    "seed": 1,
    "years": 10,
    "burn_in_years": None,  # the scenario's own (years under today's practice)
    "results": "",
    "results_root": "results",  # the Results page reads nothing outside this folder
}
# Okabe-Ito, in the order the house style does not use for the designs' own colours
OKABE_ITO = ("#000000", "#D55E00", "#56B4E9", "#CC79A7", "#0072B2", "#009E73", "#E69F00")


def settings() -> dict[str, Any]:
    """The command's settings (environment) over the defaults."""
    raw = os.environ.get(ENV, "")
    given = json.loads(raw) if raw else {}
    return {**DEFAULTS, **{k: v for k, v in given.items() if v not in (None, "")}}


def municipalities() -> list[str]:
    """The municipality profiles shipped in scenarios/municipality/."""
    return sorted(p.stem for p in (SCENARIOS_DIR / "municipality").glob("*.yaml"))


def lever_controls() -> dict[str, Any]:
    """A control per declared lever: a checkbox for an on/off lever, else a select."""
    out: dict[str, Any] = {}
    for e in lever_entries():
        if e.values == ("false", "true"):
            out[e.name] = {"type": "Checkbox", "value": False, "label": e.explorer_label}
        else:
            out[e.name] = {
                "type": "Select",
                "value": e.values[0],
                "values": list(e.values),
                "label": e.explorer_label,
            }
    return out


def model_params(s: dict[str, Any]) -> dict[str, Any]:
    """SolaraViz controls; `default` keeps the profile's or the design's own value."""
    profiles = municipalities()
    if s["municipality"] not in profiles:  # a municipality file: offer it too
        profiles = [s["municipality"], *profiles]
    return {
        "design": {"type": "Select", "value": s["design"], "values": list(design_names()),
                   "label": "Design"},
        **lever_controls(),
        "municipality": {"type": "Select", "value": s["municipality"], "values": profiles,
                         "label": "Municipality"},
        "municipality_file": {"type": "InputText", "value": "",
                              "label": "or your municipality file (path.csv[@GMxxxx])"},
        "population": {"type": "SliderInt", "value": int(s["population"]), "min": 1000,
                       "max": max(100_000, int(s["population"])), "step": 1000,
                       "label": "Population (persons simulated)"},
        "seed": {"type": "SliderInt", "value": int(s["seed"]), "min": 0,
                 "max": max(99, int(s["seed"])), "step": 1, "label": "Seed"},
        "team_hours": {"type": "Select", "value": KEEP,
                       "values": [KEEP, "6", "8", "10", "12", "14", "16", "20", "25", "30"],
                       "label": "Team hours per week per 1,000 inhabitants"},
        **{c.key: {"type": "Select", "value": KEEP, "values": [KEEP, *c.values],
                   "label": c.label} for c in design_controls()},
        "flat_contribution": {"type": "Select", "value": KEEP,
                              "values": [KEEP, "0", "10", "20.6", "30", "40"],
                              "label": "Flat own contribution (EUR per month)"},
        "years": int(s["years"]),
        "burn_in_years": s["burn_in_years"],
    }  # fmt: skip


# ----------------------------------------------------------------------------- plots
# The weekly plots are drawn in the browser (ECharts, shipped with Solara): rendering six
# matplotlib figures on the server took about 150-250 ms each on a 2-core machine, so a week
# could not be stepped and redrawn in under half a second; here the server only sends the
# numbers (read from the explorer's Mesa DataCollector).
PLOTS: list[dict[str, Any]] = [
    {"title": "Unmet need", "unit": "persons with a serious unmet need", "now": "persons",
     "series": {UNMET: OKABE_ITO[1]}},
    {"title": "Queues", "unit": "persons waiting", "now": ["for intake", "on providers' lists"],
     "series": dict(zip(QUEUES, OKABE_ITO[2:4], strict=False))},
    {"title": "Waiting time of admissions (4 weeks)", "unit": "weeks, mean", "now": "weeks",
     "series": {WAIT_WEEKS: OKABE_ITO[0]}},
    {"title": "Cost by financier", "unit": "EUR thousand per week", "now": "thousand/week",
     "total": True, "series": {cost_column(f): FINANCIER_COLOURS[f] for f in FINANCIERS}},
    {"title": "Informal care", "unit": "hours per week", "now": "hours/week",
     "series": dict(zip(INFORMAL, (OKABE_ITO[5], OKABE_ITO[4]), strict=False))},
    {"title": "Escalations", "unit": "count since the design started", "now": "in all",
     "total": True,
     "series": {escalation_column(e): c for e, c in zip(ESCALATIONS, OKABE_ITO, strict=False)}},
]  # fmt: skip


def headline(title: str, values: list[float], now: str) -> str:
    """A title that states where the line is this week and how it moved in four weeks."""
    if not values:
        return f"{title}: press Step or Play"
    text = f"{title}: {fmt_number(values[-1], 0, 'en')} {now}"
    if len(values) > 4 and values[-5]:
        change = (values[-1] - values[-5]) / abs(values[-5])
        text += f" ({fmt_number(100 * change, 0, 'en', signed=True)}% in 4 weeks)"
    return text


def chart_option(frame: Any, plot: dict[str, Any]) -> dict[str, Any]:
    """ECharts option of one weekly plot from the datacollector's table."""
    weeks = [int(w) for w in frame["week"]] if len(frame) else []
    series = []
    for column, colour in plot["series"].items():
        values = [round(float(v), 2) for v in frame[column]] if len(frame) else []
        label = column.split(": ", 1)[-1].split(" (")[0] if ": " in column else column
        series.append(
            {"name": label, "type": "line", "showSymbol": False, "data": values,
             "lineStyle": {"width": 2, "color": colour}, "itemStyle": {"color": colour}}
        )  # fmt: skip
    if isinstance(plot["now"], list):  # one number per line, no trend
        title = plot["title"]
        if weeks:
            title += ": " + ", ".join(
                f"{fmt_number(s['data'][-1], 0, 'en')} {now}"
                for s, now in zip(series, plot["now"], strict=True)
            )
    else:
        if plot.get("total"):
            head = [sum(v) for v in zip(*(s["data"] for s in series), strict=True)]
        else:
            head = series[0]["data"] if series else []
        title = headline(plot["title"], head, plot["now"])
    return {
        "animation": False,
        "title": {"text": title, "left": 0,
                  "textStyle": {"fontSize": 13, "color": INK}},
        "legend": {"top": 24, "left": 0, "type": "scroll", "textStyle": {"fontSize": 10}},
        "grid": {"left": 60, "right": 16, "top": 76, "bottom": 36},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": weeks, "name": "week", "nameLocation": "middle",
                  "nameGap": 24},
        "yAxis": {"type": "value", "name": plot["unit"], "nameLocation": "middle",
                  "nameGap": 44, "min": 0},
        "series": series,
    }  # fmt: skip


@solara.component
def LivePlot(model: ExplorerModel, index: int) -> None:
    """One weekly plot of the explorer's datacollector, drawn in the browser."""
    update_counter.get()  # redraw after every step
    frame = model.datacollector.get_model_vars_dataframe()
    with solara.Card(margin=0, classes=["ketensim-plot"]):
        solara.FigureEcharts(
            option=chart_option(frame, PLOTS[index]),
            attributes={"style": "height: 300px; width: 100%;"},
            responsive=True,
        )


def plot_components() -> list[tuple[Any, int]]:
    """The weekly plots as SolaraViz components (page 0)."""

    def make(index: int) -> Callable[[ExplorerModel], Any]:
        def component(model: ExplorerModel) -> Any:
            return LivePlot(model, index)

        component.__name__ = f"LivePlot{index}"
        return component

    return [(make(i), 0) for i in range(len(PLOTS))]


# ----------------------------------------------------------------------------- status
@solara.component
def BuildStatus(model: ExplorerModel) -> None:
    """Progress of the background build; redraws the page once the model is ready."""
    update_counter.get()
    progress, set_progress = solara.use_state(model.progress)

    def poll() -> None:  # runs in a thread that carries the page's context
        while not model.ready and model.error is None:
            set_progress(model.progress)
            time.sleep(0.25)
        set_progress(1.0)
        force_update()  # the plots and the person view read the built model

    solara.use_thread(poll, dependencies=[model], intrusive_cancel=False)
    solara.use_effect(lambda: model.cancel, [model])  # a reset abandons an unfinished build
    with solara.Card("Model", margin=0):
        if model.error:
            solara.Error(model.status())
        elif not model.ready:
            solara.Text(model.status())
            solara.ProgressLinear(value=100 * max(progress, model.progress), color="primary")
        else:
            solara.HTML(tag="div", unsafe_innerHTML=esc(model.status()))
            solara.Text(
                f"built in {model.build_seconds:.1f} s; press Step or Play to simulate weeks"
                if model.week == 0
                else "weeks are counted from the design's start; the burn-in ran today's practice",
                style={"color": MUTED_INK, "font-size": "0.85em"},
            )


# ----------------------------------------------------------------------------- one person
def _escalation_name(kind: str) -> str:
    return escalation_name(kind, "en")


@solara.component
def PersonView(model: ExplorerModel) -> None:
    """Pick a citizen and read their story (`model.citizen(i)`). The story is read when the
    slot changes or on "Read again", not every week: `citizen(i)` scans every event of the
    run (about 0.2 s at 20,000 people after an 8-year burn-in)."""
    update_counter.get()
    slot, set_slot = solara.use_state(0)
    reads, set_reads = solara.use_state(0)
    ready = model.ready
    person = solara.use_memo(
        lambda: model.citizen(min(slot, model.n - 1)) if ready else None,
        [model, slot, reads, ready],
    )
    as_of = solara.use_memo(lambda: model.week, [model, slot, reads, ready])
    with solara.Card("One person", margin=0):
        if person is None:
            solara.Text("available once the model is built")
            return

        def someone() -> None:
            rng = random.Random(model.week * 7919 + slot)
            cared = model.people_in_care_or_waiting()
            set_slot(int(rng.choice(cared)) if len(cared) else rng.randrange(model.n))

        solara.InputInt(
            f"citizen slot (0 to {model.n - 1})",
            value=slot,
            on_value=lambda v: set_slot(min(max(int(v or 0), 0), model.n - 1)),
        )
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Button("Someone in care or waiting", on_click=someone, outlined=True)
            solara.Button(
                f"Read again (now week {model.week})",
                on_click=lambda: set_reads(reads + 1),
                text=True,
                disabled=model.week == as_of,
            )
        problems = ", ".join(f"{k} {v:.2f}" for k, v in person.problems.items() if v > 0)
        carer = "none" if person.informal_carer is None else f"slot {person.informal_carer}"
        if person.caring_for is not None:
            carer += f"; cares for slot {person.caring_for} (burden {person.carer_burden:.2f})"
        head = (
            f"<b>Person {person.person_id}</b> (slot {person.slot}), age {person.age:.0f}, "
            f"{person.income} income, self-reliance {person.self_reliance:.2f}, "
            f"network {person.network:.2f}"
        )
        items = [
            f"problems (severity 0-1): {problems or 'none'}",
            f"receiving: {', '.join(person.receiving) or 'nothing'}",
            f"waiting for: {', '.join(person.waiting_for) or 'nothing'}",
            f"informal carer: {carer}",
        ]
        listing = "".join(f"<li>{esc(item)}</li>" for item in items)
        # HTML rather than Markdown: solara's Markdown asks a CDN for KaTeX's stylesheet
        solara.HTML(tag="div", unsafe_innerHTML=f"{head}<ul>{listing}</ul>")
        history = person.history[-25:]
        solara.Text(
            f"as of week {as_of}; story ({len(person.history)} events; the last {len(history)}; "
            "negative weeks are the burn-in under today's practice):",
            style={"color": MUTED_INK, "font-size": "0.85em"},
        )
        solara.Preformatted("\n".join(history) or "nothing happened yet")


# ----------------------------------------------------------------------------- pages
@solara.component
def LivePage() -> None:
    """The Mesa SolaraViz page: controls, weekly plots and a person."""
    s = settings()
    params = model_params(s)
    start = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}
    model = solara.use_memo(lambda: ExplorerModel(**start), [])
    components: list[tuple[Any, int]] = [(BuildStatus, 0), *plot_components(), (PersonView, 0)]
    SolaraViz(
        model,
        components=components,
        model_params=params,
        name="ketensim explore: a municipality week by week",
        play_interval=50,
    )


@solara.component
def Results() -> None:
    """The results page of a finished compare or sensitivity folder."""
    s = settings()
    ResultsPage(initial=str(s.get("results") or ""), root=str(s["results_root"]))


routes = [
    solara.Route(path="/", component=LivePage, label="Live model"),
    solara.Route(path="results", component=Results, label="Results"),
]


__all__ = ["DEFAULTS", "ENV", "LivePage", "Results", "model_params", "routes", "settings"]
