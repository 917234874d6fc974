"""The explorer's results page: a finished `ketensim compare` (or `sensitivity`) folder.

Reads what is there and shows it, tolerant of the layout: `outcomes.parquet` with a `variant`
column (falls back to `design`), `paired_differences.csv`, `summary.csv`, `mkba.csv`
(cost-benefit per actor), `compare.json` (the baseline), and the figures (PNG) of any folder.
Shows, in Dutch or English: the paired differences per variant and financier with their
5-95% intervals, the yearly trajectories, and the cost-benefit table per actor.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from experiments import stats
from experiments.report.findings import cost_finding
from experiments.report.numbers import fmt_eur, fmt_number, fmt_value
from experiments.report.pages import esc
from experiments.report.style import (
    BASELINE,
    FINANCIERS,
    INK,
    MUTED_INK,
    TOTAL_COST,
    design_colour,
    design_label,
    financier_name,
    financier_outcome,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
    use_variants,
)
from sim.designs import design_names

TEXT = {
    "nl": {
        "title": "Resultaten van een vergelijking",
        "folder": "Map met resultaten (compare of sensitivity)",
        "open": "Openen",
        "none": "Geen map gekozen. Kies een map van `ketensim compare` of `ketensim sensitivity`.",
        "missing": "Deze map bestaat niet: {p}",
        "outside": "Alleen mappen onder de resultatenmap worden getoond; {p} is er geen.",
        "empty": "Geen tabellen of figuren gevonden in {p}.",
        "by_fin": "Verschil met {base} per financier, € per inwoner per jaar",
        "by_fin_note": "Mediaan van de gepaarde verschillen (zelfde seed per replicatie), "
        "streep: 5-95% van de replicaties; {n} replicaties.",
        "traj": "Verloop per jaar",
        "traj_note": "Mediaan over de replicaties, band: 5-95%.",
        "mkba": "Maatschappelijke kosten en baten per actor (MKBA)",
        "no_mkba": "Geen MKBA-tabel (societal_cost_benefit.csv) in deze map.",
        "actor": "actor",
        "change": "verandering, € per inwoner per jaar",
        "verdict": "oordeel",
        "verdicts": {"benefit": "baat", "cost": "kost", "uncertain": "onzeker"},
        "table": "Gepaarde verschillen (tabel)",
        "figures": "Figuren in de map",
        "tables": "Tabellen in de map",
        "outcome": "Uitkomst",
        "year": "jaar",
        "variant": "variant",
        "financier": "financier",
        "median": "mediaan",
        "interval": "5-95%",
        "lower": "lager in",
    },
    "en": {
        "title": "Results of a comparison",
        "folder": "Results folder (compare or sensitivity)",
        "open": "Open",
        "none": "No folder chosen. Pick a folder written by `ketensim compare` or `sensitivity`.",
        "missing": "This folder does not exist: {p}",
        "outside": "Only folders under the results root are shown; {p} is not one.",
        "empty": "No tables or figures found in {p}.",
        "by_fin": "Difference from {base} by financier, EUR per inhabitant per year",
        "by_fin_note": "Median of the paired differences (same seed per replication), "
        "bar: 5-95% of the replications; {n} replications.",
        "traj": "Year by year",
        "traj_note": "Median over the replications, band: 5-95%.",
        "mkba": "Social cost-benefit per actor (MKBA)",
        "no_mkba": "No cost-benefit table (societal_cost_benefit.csv) in this folder.",
        "actor": "actor",
        "change": "change, EUR per inhabitant per year",
        "verdict": "verdict",
        "verdicts": {"benefit": "benefit", "cost": "cost", "uncertain": "uncertain"},
        "table": "Paired differences (table)",
        "figures": "Figures in the folder",
        "tables": "Tables in the folder",
        "outcome": "Outcome",
        "year": "year",
        "variant": "variant",
        "financier": "financier",
        "median": "median",
        "interval": "5-95%",
        "lower": "lower in",
    },
}


@dataclass
class ResultsFolder:
    """What a results folder holds, read tolerantly."""

    path: Path
    outcomes: pd.DataFrame | None = None  # long, with a `design` column = the variant
    paired: pd.DataFrame | None = None  # stats.paired_differences layout, design = variant
    mkba: pd.DataFrame | None = None
    baseline: str = BASELINE
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    outside: bool = False  # the folder lies outside the page's results root: not read
    notes: list[str] = field(default_factory=list)

    @property
    def variants(self) -> list[str]:
        if self.outcomes is not None:
            return order_designs(self.outcomes["design"].unique())
        if self.paired is not None:
            return order_designs([self.baseline, *self.paired["design"].unique()])
        return []

    @property
    def replications(self) -> int:
        if self.outcomes is not None and "replication" in self.outcomes:
            return int(self.outcomes["replication"].nunique())
        if self.paired is not None and "n" in self.paired:
            return int(self.paired["n"].max())
        return 0


def _as_variants(table: pd.DataFrame) -> pd.DataFrame:
    """Use the `variant` column as the unit of comparison where there is one."""
    if "variant" in table.columns:
        variant = table["variant"]
        if "design" in table.columns:  # a row without a variant is its design
            variant = variant.where(variant.notna() & (variant.astype(str) != ""), table["design"])
        table = table.drop(columns=["design", "variant"]).assign(design=variant.astype(str))
    return table


def _variant_names(variants: list[str]) -> dict[str, dict[str, str]]:
    """Labels for `use_variants`: a design by its label, another variant by its name (a
    results folder does not keep the variants' labels)."""
    return {
        v: {
            lang: design_label(v, lang) if v in design_names() else v.replace("_", " ").capitalize()
            for lang in TEXT
        }
        for v in variants
    }


def _named_variants(show: Callable[..., Any]) -> Callable[..., Any]:
    """Run `show(res, ...)` with the folder's variants named and coloured."""

    @functools.wraps(show)
    def named(res: ResultsFolder, *args: Any, **kwargs: Any) -> Any:
        with use_variants(_variant_names(res.variants)):
            return show(res, *args, **kwargs)

    return named


def inside_root(path: str | Path, root: str | Path) -> Path | None:
    """`path` with symlinks resolved if it lies inside `root` (resolved too), else None:
    the page reads nothing outside its results root."""
    try:
        real = Path(path).resolve(strict=True)
        base = Path(root).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real == base or real.is_relative_to(base) else None


def load_results(folder: str | Path, root: str | Path = "results") -> ResultsFolder:
    """Read a compare or sensitivity folder inside `root`; missing pieces are left None (with
    a note). A folder outside the root (after resolving symlinks) is not read at all."""
    path = Path(folder)
    res = ResultsFolder(path=path)
    if inside_root(path, root) is None:  # checked first: says nothing of what is outside
        res.outside = True
        return res
    if not path.is_dir():
        return res
    meta = path / "compare.json"
    if meta.exists():
        try:
            res.baseline = str(json.loads(meta.read_text(encoding="utf-8")).get("baseline"))
        except (ValueError, AttributeError):
            res.notes.append("compare.json could not be read")
    if (path / "outcomes.parquet").exists():
        res.outcomes = stats.with_derived_outcomes(
            _as_variants(pd.read_parquet(path / "outcomes.parquet"))
        )
    variants = set(res.outcomes["design"]) if res.outcomes is not None else set()
    if variants and res.baseline not in variants:
        res.baseline = BASELINE if BASELINE in variants else order_designs(variants)[0]
    if res.outcomes is not None and len(variants) > 1:
        res.paired = stats.paired_differences(res.outcomes, baseline=res.baseline, year=0)
    elif (path / "paired_differences.csv").exists():
        res.paired = _as_variants(pd.read_csv(path / "paired_differences.csv"))
    for name in ("societal_cost_benefit.csv", "mkba.csv"):  # the MKBA table, by either name
        if (path / name).exists():
            res.mkba = pd.read_csv(path / name)
            break
    figures = sorted(path.glob("*.png")) + sorted(path.glob("figures/*.png"))
    res.figures = [p for p in figures if inside_root(p, root) is not None]
    tables = sorted(p for p in path.glob("*.csv") if not p.stem.endswith("_nl"))
    res.tables = [p for p in tables if inside_root(p, root) is not None]
    return res


def find_folders(root: str | Path = "results") -> list[str]:
    """Finished result folders under `root` (newest first): those with a summary table,
    outcomes or a sensitivity report."""
    root = Path(root)
    if not root.is_dir():
        return []
    marks = ("outcomes.parquet", "paired_differences.csv", "report.html", "summary.csv")
    found = {p.parent for mark in marks for p in root.glob(f"**/{mark}")}
    found = {p for p in found if p.name != "ensemble" and inside_root(p, root) is not None}
    return [str(p) for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]


# ----------------------------------------------------------------------------- figures
@_named_variants
def figure_by_financier(res: ResultsFolder, lang: str = "nl") -> Figure:
    """Paired difference per financier and variant: median dot, 5-95% bar; title = finding."""
    t = TEXT[lang]
    paired = res.paired if res.paired is not None else pd.DataFrame()
    others = [v for v in res.variants if v != res.baseline]
    rows = [(f, financier_outcome(f)) for f in FINANCIERS]
    rows.append(("total", TOTAL_COST))
    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(7.5, 0.3 * len(rows) * max(len(others), 1) ** 0.5 + 1.9))
        ax = fig.subplots()
        height = 0.8 / max(len(others), 1)
        for k, variant in enumerate(others):
            sub = paired[paired["design"] == variant].set_index("outcome")
            for i, (_, outcome) in enumerate(rows):
                if outcome not in sub.index:
                    continue
                r = sub.loc[outcome]
                y = i + (k - (len(others) - 1) / 2) * height
                colour = design_colour(variant)
                ax.plot([r["p5"], r["p95"]], [y, y], color=colour, linewidth=2.2, alpha=0.55)
                ax.plot(
                    [r["median"]],
                    [y],
                    "o",
                    color=colour,
                    markersize=5,
                    label=design_label(variant, lang) if i == 0 else None,
                )
        ax.axvline(0, color=INK, linewidth=0.8)
        labels = [financier_name(f, lang) if f != "total" else outcome_label(o, lang)
                  for f, o in rows]  # fmt: skip
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        xlabel = t["by_fin"].format(base=design_label(res.baseline, lang))
        ax.set_xlabel(_wrap(xlabel, 80), color=MUTED_INK)
        ax.xaxis.set_major_formatter(_formatter(lang))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.7)
        if others:
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(others), fontsize=8.5)
        title = cost_finding(paired, lang=lang, baseline=res.baseline) if len(paired) else ""
        _title_and_note(fig, title, t["by_fin_note"].format(n=res.replications), legend=True)
    return fig


@_named_variants
def figure_trajectory(res: ResultsFolder, outcome: str, lang: str = "nl") -> Figure:
    """One outcome per year: median line and 5-95% band per variant."""
    t = TEXT[lang]
    table = stats.summarise_by_year(res.outcomes[res.outcomes["outcome"] == outcome])
    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(7.5, 3.4))
        ax = fig.subplots()
        last = {}
        for variant in order_designs(table["design"].unique()):
            rows = table[table["design"] == variant].sort_values("year")
            colour = design_colour(variant)
            ax.fill_between(rows["year"], rows["p5"], rows["p95"], color=colour, alpha=0.18)
            ax.plot(
                rows["year"], rows["median"], "-o", color=colour, markersize=3,
                label=design_label(variant, lang),
            )  # fmt: skip
            if len(rows):
                last[variant] = float(rows["median"].iloc[-1])
        ax.set_xlabel(t["year"], color=MUTED_INK)
        ax.set_ylabel(outcome_unit(outcome, lang), color=MUTED_INK)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.set_major_formatter(_formatter(lang))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.7)
        ax.legend(loc="best", fontsize=8)
        title = outcome_label(outcome, lang)
        if last:
            low = min(last, key=last.get)
            high = max(last, key=last.get)
            year = int(table["year"].max())
            title += (
                f": {design_label(low, lang)} {_fmt(last[low], outcome, lang)} "
                f"{'tegen' if lang == 'nl' else 'against'} "
                f"{design_label(high, lang)} {_fmt(last[high], outcome, lang)} "
                f"{'in jaar' if lang == 'nl' else 'in year'} {year}"
            )
        _title_and_note(fig, title, t["traj_note"], legend=False)
    return fig


@_named_variants
def paired_table(res: ResultsFolder, lang: str = "nl") -> pd.DataFrame:
    """The paired differences per variant and financier as a readable table."""
    t = TEXT[lang]
    if res.paired is None:
        return pd.DataFrame()
    outcomes = [financier_outcome(f) for f in FINANCIERS] + [TOTAL_COST]
    rows = res.paired[res.paired["outcome"].isin(outcomes)]
    out = pd.DataFrame(
        {
            t["variant"]: [design_label(d, lang) for d in rows["design"]],
            t["outcome"]: [outcome_label(o, lang) for o in rows["outcome"]],
            t["median"]: [fmt_eur(v, 0, lang, signed=True) for v in rows["median"]],
            t["interval"]: [
                f"{fmt_eur(a, 0, lang, signed=True)} … {fmt_eur(b, 0, lang, signed=True)}"
                for a, b in zip(rows["p5"], rows["p95"], strict=True)
            ],
        }
    )
    if "share_lower" in rows:
        out[t["lower"]] = [f"{round(100 * s)}%" for s in rows["share_lower"]]
    return out


def _title_and_note(fig: Figure, title: str, note: str, legend: bool) -> None:
    """Finding as the title (top left), the note under the plot, the axes in between."""
    text = _wrap(title, 85)
    height = fig.get_size_inches()[1]
    top_in = 0.3 if legend else 0.05  # tight_layout leaves room for the suptitle itself
    fig.suptitle(text, x=0.01, y=1 - 0.08 / height, ha="left", va="top", fontsize=10,
                 fontweight="bold")  # fmt: skip
    fig.text(0.01, 0.01, note, fontsize=8, color=MUTED_INK)
    fig.tight_layout(rect=(0, 0.3 / height, 1, 1 - top_in / height))


@_named_variants
def mkba_table(res: ResultsFolder, lang: str = "nl") -> pd.DataFrame:
    """The cost-benefit table per actor, readable (the file as it is if its columns differ)."""
    t = TEXT[lang]
    table = res.mkba
    needed = {"actor", "change_eur_per_inhabitant_per_year", "p5", "p95"}
    if table is None or not needed <= set(table.columns):
        return table if table is not None else pd.DataFrame()
    from experiments.report.mkba import ACTORS, SOCIETY, actor_name

    actors = {a: actor_name(a, lang) for a in (*ACTORS, SOCIETY)}
    group = "variant" if "variant" in table.columns else "design"
    out = pd.DataFrame(
        {
            t["variant"]: [design_label(str(v), lang) for v in table[group]],
            t["actor"]: [actors.get(a, str(a).replace("_", " ")) for a in table["actor"]],
            t["change"]: [
                fmt_eur(v, 0, lang, signed=True)
                for v in table["change_eur_per_inhabitant_per_year"]
            ],
            t["interval"]: [
                f"{fmt_eur(a, 0, lang, signed=True)} … {fmt_eur(b, 0, lang, signed=True)}"
                for a, b in zip(table["p5"], table["p95"], strict=True)
            ],
        }
    )
    if "verdict" in table.columns:
        out[t["verdict"]] = [t["verdicts"].get(v, v) for v in table["verdict"]]
    return out


def _formatter(lang: str) -> FuncFormatter:
    """Axis numbers in the language's format (1.234 in Dutch, 1,234 in English)."""
    return FuncFormatter(
        lambda x, _pos: fmt_number(x, 0 if abs(x) >= 10 or float(x).is_integer() else 1, lang)
    )


def _outcome_choice(outcome: str, lang: str) -> str:
    """An outcome as the page offers it: its name and unit (unique per outcome)."""
    unit = outcome_unit(outcome, lang)
    return f"{outcome_label(outcome, lang)} ({unit})" if unit else outcome_label(outcome, lang)


def _fmt(x: float, outcome: str, lang: str) -> str:
    return fmt_value(x, outcome, lang)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if text else ""


# ----------------------------------------------------------------------------- page
@solara.component
def ResultsPage(initial: str = "", root: str = "results") -> None:
    """Pick a folder under `root` and read it (Dutch or English)."""
    lang, set_lang = solara.use_state("nl")
    folder, set_folder = solara.use_state(initial)
    outcome, set_outcome = solara.use_state(TOTAL_COST)
    t = TEXT[lang]
    found = solara.use_memo(lambda: find_folders(root), [])
    res = solara.use_memo(lambda: load_results(folder, root) if folder else None, [folder])
    solara.Title("ketensim: results")
    with solara.Column(style={"max-width": "1000px", "padding": "12px"}):
        with solara.Row():
            solara.ToggleButtonsSingle(value=lang, values=["nl", "en"], on_value=set_lang)
            solara.HTML(tag="h2", unsafe_innerHTML=esc(t["title"]))
        with solara.Row():
            solara.InputText(
                t["folder"], value=folder, on_value=set_folder, continuous_update=False
            )
            if found:
                solara.Select(t["open"], value=None, values=found, on_value=set_folder)
        if res is None:
            solara.Info(t["none"])
            return
        if res.outside or not res.path.is_dir():
            solara.Error(t["outside" if res.outside else "missing"].format(p=res.path))
            return
        for note in res.notes:
            solara.Warning(note)
        shown = False
        if res.paired is not None and len(res.variants) > 1:
            shown = True
            solara.FigureMatplotlib(figure_by_financier(res, lang), format="png")
            with solara.Details(t["table"]):
                solara.DataFrame(paired_table(res, lang), items_per_page=20)
        if res.outcomes is not None and (res.outcomes["year"] > 0).any():
            shown = True
            solara.HTML(tag="h3", unsafe_innerHTML=esc(t["traj"]))
            others = sorted(o for o in res.outcomes["outcome"].unique() if o != TOTAL_COST)
            labels = {_outcome_choice(o, lang): o for o in [TOTAL_COST, *others]}
            solara.Select(
                t["outcome"],
                value=_outcome_choice(outcome, lang),
                values=list(labels),
                on_value=lambda label: set_outcome(labels.get(label, TOTAL_COST)),
            )
            solara.FigureMatplotlib(figure_trajectory(res, outcome, lang), format="png")
        if res.outcomes is not None or res.mkba is not None:
            solara.HTML(tag="h3", unsafe_innerHTML=esc(t["mkba"]))
            if res.mkba is not None:
                shown = True
                solara.DataFrame(mkba_table(res, lang), items_per_page=25)
            else:
                solara.Info(t["no_mkba"])
        if res.figures:
            expand = not shown  # open the figures when nothing else could be shown
            shown = True
            with solara.Details(f"{t['figures']} ({len(res.figures)})", expand=expand):
                for png in res.figures[:24]:
                    solara.Text(png.name, style={"color": MUTED_INK})
                    solara.Image(str(png), width="100%")
        if res.outcomes is None and res.tables:  # e.g. a sensitivity folder
            shown = True
            for table in res.tables[:12]:
                with solara.Details(f"{t['tables']}: {table.name}"):
                    solara.DataFrame(pd.read_csv(table).head(500), items_per_page=15)
        if not shown:
            solara.Warning(t["empty"].format(p=res.path))


__all__ = [
    "TEXT",
    "ResultsFolder",
    "ResultsPage",
    "figure_by_financier",
    "figure_trajectory",
    "find_folders",
    "inside_root",
    "load_results",
    "mkba_table",
    "paired_table",
]
