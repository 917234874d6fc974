"""Write docs/parameters.md: every parameter with its value(s), unit, range and source.

    python docs/make_parameters.py           # (re)write docs/parameters.md
    python docs/make_parameters.py --check   # exit 1 if docs/parameters.md is out of date

Values come from the composed Hydra configs (`sim.config.compose`): the default scenario,
each design in `scenarios/design/` and each profile in `scenarios/municipality/`. Units,
ranges and sources come from the field metadata of the schema (`sim.params`); prices come
from `sim/data/*.csv`. Nothing here lists a value by hand, so the table follows the YAML
files and the schema as they change.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sim import params as sp  # noqa: E402
from sim.config import SCENARIOS_DIR, compose  # noqa: E402
from sim.designs import design_entries, design_names  # noqa: E402
from sim.prices import DATA_DIR, cpi_factor, price_rows  # noqa: E402

OUT = ROOT / "docs" / "parameters.md"
INCOME = ("low", "middle", "high")
# Labels for the elements of list-valued fields (anything else is labelled by its index).
LIST_LABELS: dict[str, tuple[str, ...]] = {
    "age_band_shares": sp.AGE_BANDS,
    "income_shares": INCOME,
    "debt_income_risk": INCOME,
    "income_eur_per_year": INCOME,
}
# Short column headers for the provider and place tables (other fields: their own name).
SHORT = {
    "financier": "financier",
    "price_item": "price item",
    "units_per_week": "units/week",
    "hours_per_unit": "hours/unit",
    "domains": "domains",
    "eligibility_threshold": "eligibility",
    "effect_per_week": "effect/week",
    "growth_reduction": "growth reduction",
    "max_weeks": "max weeks",
    "discharge_threshold": "discharge below",
    "own_contribution": "own contr.",
    "min_age": "min age",
    "max_age": "max age",
    "routine_contact_per_week": "routine contact/week",
    "problem_contact_per_week": "extra contact/week per unit severity",
    "detection": "detection probability",
}


# --------------------------------------------------------------------------- formatting
def fmt(value: Any) -> str:
    """A value as table text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:g}" if abs(value) >= 10**9 else str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k} {fmt(v)}" for k, v in value.items()) if value else "(none)"
    text = str(value)
    return text if text else "(empty)"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fmt_range(f: dataclasses.Field) -> str:
    lo, hi = f.metadata.get("min"), f.metadata.get("max")
    if lo is None and hi is None:
        return "-"
    if hi is None:
        return f">= {fmt(lo)}"
    if lo is None:
        return f"<= {fmt(hi)}"
    return f"{fmt(lo)} to {fmt(hi)}"


# "seed 000", "seeds 002-004", "seeds 001, 003": the founding texts, summarised in
# docs/domain/seeds.md with an anchor per text; "DOMAIN.md": docs/domain/index.md
SEED_CITATION = re.compile(r"\bseeds? \d{3}(?:(?:-|, | and )\d{3})*")
SEEDS_PAGE = "domain/seeds.md"
DOMAIN_PAGE = "domain/index.md"


def link_sources(source: str) -> str:
    """A source text with its citations of the founding texts and of the domain notes as
    Markdown links to their pages in docs/domain/, so every citation resolves in the repo."""

    def link_numbers(match: re.Match[str]) -> str:
        return re.sub(
            r"\d{3}", lambda n: f"[{n.group(0)}]({SEEDS_PAGE}#seed-{n.group(0)})", match.group(0)
        )

    linked = SEED_CITATION.sub(link_numbers, source)
    return re.sub(r"\bDOMAIN\.md\b", f"[the Dutch social domain]({DOMAIN_PAGE})", linked)


def meta(f: dataclasses.Field) -> tuple[str, str, str]:
    """(unit, range, source) of a schema field, the source's citations linked."""
    return (f.metadata.get("unit", ""), fmt_range(f), link_sources(f.metadata.get("source", "")))


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return [*out, ""]


def is_table_field(f: dataclasses.Field) -> bool:
    return "keys" in f.metadata


def leaf_rows(objs: list[Any], prefix: str = "") -> list[tuple[str, list[Any], dataclasses.Field]]:
    """(name, one value per object, field) for every scalar or list field of the dataclass
    instances `objs` (same type), recursing into nested dataclasses; dict tables are skipped."""
    rows: list[tuple[str, list[Any], dataclasses.Field]] = []
    for f in dataclasses.fields(objs[0]):
        values = [getattr(o, f.name) for o in objs]
        if dataclasses.is_dataclass(values[0]):
            rows.extend(leaf_rows(values, f"{prefix}{f.name}."))
        elif is_table_field(f):
            continue
        elif isinstance(values[0], list) and f.name in LIST_LABELS:
            labels = LIST_LABELS[f.name]
            for i in range(max(len(v) for v in values)):
                label = labels[i] if i < len(labels) else str(i)
                rows.append(
                    (
                        f"{prefix}{f.name}[{label}]",
                        [v[i] if i < len(v) else None for v in values],
                        f,
                    )
                )
        else:
            rows.append((f"{prefix}{f.name}", values, f))
    return rows


def param_table(columns: list[str], objs: list[Any], bold_differences: bool = False) -> list[str]:
    """One row per parameter: name, a value per column, unit, range, source."""
    rows = []
    for name, values, f in leaf_rows(objs):
        texts = [fmt(v) for v in values]
        if bold_differences and len(texts) > 1:
            texts = [texts[0]] + [f"**{t}**" if t != texts[0] else t for t in texts[1:]]
        unit, rng, source = meta(f)
        rows.append([f"`{name}`", *texts, unit, rng, source])
    return table(["parameter", *columns, "unit", "range", "source or assumption"], rows)


def dict_tables(columns: list[str], objs: list[Any], title_level: str = "###") -> list[str]:
    """Mapping fields (`table(...)` in the schema) of dataclass instances: one table per
    mapping, a row per key, a value column per object."""
    out: list[str] = []
    for f in dataclasses.fields(objs[0]):
        if not is_table_field(f):
            continue
        values = [getattr(o, f.name) for o in objs]
        if any(dataclasses.is_dataclass(v) for d in values for v in d.values()):
            continue
        keys = list(f.metadata["keys"]) or sorted({k for d in values for k in d})
        keys += [k for d in values for k in d if k not in keys]
        unit, rng, source = meta(f)
        out += [
            f"{title_level} `{f.name}`",
            "",
            f"Unit: {unit}. Range: {rng}. Source: {source}.",
            "",
        ]
        rows = [[f"`{k}`", *[fmt(d.get(k)) for d in values]] for k in keys]
        out += table(["key", *columns], rows)
    return out


def legend(cls: type, fields: list[str] | None = None) -> list[str]:
    """Unit, range and source of the fields of a dataclass (for tables with a column per
    field)."""
    rows = []
    for f in dataclasses.fields(cls):
        if fields is not None and f.name not in fields:
            continue
        unit, rng, source = meta(f)
        rows.append([f"`{f.name}`", SHORT.get(f.name, f.name), unit, rng, source])
    return table(["field", "column", "unit", "range", "source or assumption"], rows)


# --------------------------------------------------------------------------- sections
def yaml_stems(group: str) -> list[str]:
    return sorted(path.stem for path in (SCENARIOS_DIR / group).glob("*.yaml"))


def section_run(cfg: sp.KetensimConfig) -> list[str]:
    out = [
        "## 1. Run settings",
        "",
        "Top-level keys of `scenarios/config.yaml` (override on the command line, e.g. "
        "`years=5 seed=7`).",
        "",
    ]
    top = [f for f in dataclasses.fields(cfg) if not dataclasses.is_dataclass(getattr(cfg, f.name))]
    rows = []
    for f in top:
        unit, rng, source = meta(f)
        rows.append([f"`{f.name}`", fmt(getattr(cfg, f.name)), unit, rng, source])
    return out + table(["parameter", "value", "unit", "range", "source or assumption"], rows)


def section_design(designs: dict[str, sp.KetensimConfig]) -> list[str]:
    names = list(designs)
    objs = [designs[n].design for n in names]
    out = [
        "## 2. Designs",
        "",
        "One column per declared design (`sim/designs/`, values in `scenarios/design/<name>.yaml`; "
        "`design=<name>`), the levers' values from `scenarios/levers/default.yaml`. "
        f"Values that differ from `{names[0]}` are in bold. Every design has the parameters "
        "of this table (`DesignParams`); a design's own parameters follow below it. The "
        "schema holds no second set of values.",
        "",
    ]
    out += param_table([f"`{n}`" for n in names], objs, bold_differences=True)
    out += dict_tables([f"`{n}`" for n in names], objs)
    common = {f.name for f in dataclasses.fields(sp.DesignParams)}
    for n, obj in zip(names, objs, strict=True):
        own = [f for f in dataclasses.fields(obj) if f.name not in common]
        if not own:
            continue
        out += [f"### Own parameters of `{n}` (`{type(obj).__name__}`)", ""]
        rows = []
        for f in own:
            unit, rng, source = meta(f)
            rows.append([f"`design.{f.name}`", fmt(getattr(obj, f.name)), unit, rng, source])
        out += table(["parameter", f"`{n}`", "unit", "range", "source or assumption"], rows)
    return out


def section_municipality(profiles: dict[str, sp.KetensimConfig]) -> list[str]:
    names = list(profiles)
    objs = [profiles[n].municipality for n in names]
    out = [
        "## 3. Municipality profiles",
        "",
        "One column per file in `scenarios/municipality/` (`municipality=<name>`), smallest first.",
        "",
    ]
    out += param_table([f"`{n}`" for n in names], objs)
    out += dict_tables([f"`{n}`" for n in names], objs)
    return out


def section_prices(cfg: sp.KetensimConfig) -> list[str]:
    year = cfg.prices.price_year
    pf = {f.name: f for f in dataclasses.fields(cfg.prices)}
    out = [
        "## 4. Prices",
        "",
        f"Unit prices as given by their source, each in its own price year, indexed to "
        f"{year} euros with the CBS consumer price index (`sim/data/cpi_nl.csv`): the price "
        "is multiplied by the product of (1 + CPI change) over the years after its price "
        "year, as the Zorginstituut costing manual recommends. The model uses the column "
        f"'EUR {year} (in use)', read from `scenarios/prices/` (generated by "
        "`python -m sim.prices`).",
        "",
    ]
    unit, rng, source = meta(pf["price_year"])
    out += table(
        ["parameter", "value", "unit", "range", "source or assumption"],
        [["`prices.price_year`", fmt(year), unit, rng, source]],
    )
    unit, rng, source = meta(pf["eur"])
    out += [f"Each item `prices.eur.<item>`: range {rng}; source per row ({source}).", ""]
    sourced = {r["item"] for r in _csv_rows("prices_nl.csv")}
    rows = []
    in_use = cfg.prices.eur
    for r in price_rows():
        indexed = float(r["eur"]) * cpi_factor(int(r["price_year"]), year)
        use = in_use.get(r["item"])
        flag = "" if use is None or abs(use - round(indexed, 2)) < 0.006 else " (differs!)"
        rows.append(
            [
                f"`{r['item']}`",
                r["eur"],
                r["unit"],
                r["price_year"],
                f"{indexed:.2f}",
                (fmt(use) if use is not None else "(not in config)") + flag,
                r["source"]
                if r["item"] in sourced or r["source"].lower().startswith("assumption")
                else "assumption: " + r["source"],
            ]
        )
    for item in in_use:
        if item not in {r["item"] for r in price_rows()}:
            rows.append(
                [
                    f"`{item}`",
                    "",
                    "",
                    "",
                    "",
                    fmt(in_use[item]),
                    "not in sim/data (set in the YAML only)",
                ]
            )
    out += table(
        [
            "item",
            "EUR as given",
            "unit",
            "price year",
            f"EUR {year} (indexed)",
            f"EUR {year} (in use)",
            "source or assumption",
        ],
        rows,
    )
    cpi = _csv_rows("cpi_nl.csv")
    out += ["CPI changes used for indexing:", ""]
    out += table(
        ["year", "CPI change (%)", "source"],
        [[c["year"], c["cpi_change_pct"], c["source"]] for c in cpi],
    )
    return out


def _csv_rows(name: str) -> list[dict[str, str]]:
    import csv

    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def section_administration(cfg: sp.KetensimConfig) -> list[str]:
    """The administrative process: scalars, acts and contract models."""
    adm = cfg.administration
    out = [
        "## 6. Administration",
        "",
        "The acts of the administrative process, who does them and their hours, the three "
        "contract models, objections and earned trust (`scenarios/administration/nl.yaml`; "
        "docs/ODD.md 7.20). The acts whose length is a design's rule are in section 2.",
        "",
    ]
    out += param_table(["value"], [adm])
    out += dict_tables(["value"], [adm])
    out += ["### `acts`", ""]
    out += legend(sp.ActParams)
    rows = [
        [f"`{name}`", a.actor, fmt(a.hours), fmt(a.client_hours)] for name, a in adm.acts.items()
    ]
    out += table(["act", "actor", "hours", "client hours"], rows)
    out += ["### `contract_models`", ""]
    out += legend(sp.ContractModelParams)
    names = [f.name for f in dataclasses.fields(sp.ContractModelParams)]
    rows = [[f"`{n}`", *[fmt(getattr(m, n)) for m in adm.contract_models.values()]] for n in names]
    out += table(["parameter", *[f"`{k}`" for k in adm.contract_models]], rows)
    return out


def section_behaviour(cfg: sp.KetensimConfig) -> list[str]:
    b = cfg.behaviour
    out = [
        "## 5. Behaviour",
        "",
        "How the world works (`scenarios/behaviour/default.yaml`); the same for every design.",
        "",
        "### Scalars",
        "",
    ]
    out += param_table(["value"], [b])
    # mappings keyed by domain or escalation: combine those with the same keys
    fields = [
        f
        for f in dataclasses.fields(b)
        if is_table_field(f)
        and not any(dataclasses.is_dataclass(v) for v in getattr(b, f.name).values())
    ]
    groups: dict[tuple, list[dataclasses.Field]] = {}
    for f in fields:
        groups.setdefault(tuple(f.metadata["keys"]), []).append(f)
    for keys, group in groups.items():
        list_fields = [
            f for f in group if any(isinstance(v, list) for v in getattr(b, f.name).values())
        ]
        for f in list_fields:  # e.g. onset per age band: a matrix of its own
            unit, rng, source = meta(f)
            data = getattr(b, f.name)
            width = max(len(v) for v in data.values())
            labels = sp.AGE_BANDS if width == len(sp.AGE_BANDS) else tuple(map(str, range(width)))
            out += [
                f"### `{f.name}`",
                "",
                f"Unit: {unit}. Range: {rng}. Source: {source}.",
                "",
                "Columns: age bands (years)." if labels == sp.AGE_BANDS else "",
                "",
            ]
            out += table(
                ["key", *labels],
                [[f"`{k}`", *[fmt(x) for x in data.get(k, [])]] for k in _keys(keys, data)],
            )
        scalar_fields = [f for f in group if f not in list_fields]
        if scalar_fields:
            what = (
                "life domain"
                if set(keys) == set(sp.DOMAINS)
                else ("escalation" if set(keys) == set(sp.ESCALATIONS) else "key")
            )
            out += [f"### Per {what}: " + ", ".join(f"`{f.name}`" for f in scalar_fields), ""]
            data = {f.name: getattr(b, f.name) for f in scalar_fields}
            all_keys = _keys(keys, *data.values())
            out += table(
                [what, *[f"`{f.name}`" for f in scalar_fields]],
                [[f"`{k}`", *[fmt(data[f.name].get(k)) for f in scalar_fields]] for k in all_keys],
            )
            out += legend(type(b), [f.name for f in scalar_fields])
    out += section_providers(cfg) + section_contractors(cfg) + section_places(cfg)
    return out


def _keys(keys: tuple, *dicts: dict) -> list[str]:
    found = list(keys)
    for d in dicts:
        found += [k for k in d if k not in found]
    return [k for k in found if any(k in d for d in dicts)]


def section_providers(cfg: sp.KetensimConfig) -> list[str]:
    provs = cfg.behaviour.providers
    fields = [f for f in dataclasses.fields(sp.ProviderParams)]
    out = [
        "### Providers (`behaviour.providers.<name>`)",
        "",
        "One row per provider. 'EUR/unit' is the price item's value in use. Capacity is a "
        "municipality parameter (section 3).",
        "",
    ]
    header = [
        "provider",
        *[SHORT.get(f.name, f.name) for f in fields[:2]],
        "EUR/unit",
        *[SHORT.get(f.name, f.name) for f in fields[2:]],
    ]
    rows = []
    for name in _keys(sp.PROVIDERS, provs):
        pr = provs[name]
        vals = [fmt(getattr(pr, f.name)) for f in fields]
        price = cfg.prices.eur.get(pr.price_item)
        rows.append([f"`{name}`", *vals[:2], fmt(price), *vals[2:]])
    out += table(header, rows)
    out += ["Provider fields:", "", *legend(sp.ProviderParams)]
    return out


def section_contractors(cfg: sp.KetensimConfig) -> list[str]:
    """Several contractors per kind (`behaviour.contractors.<name>`)."""
    cons = cfg.behaviour.contractors
    fields = [f for f in dataclasses.fields(sp.ContractorParams)]
    out = [
        "### Contractors (`behaviour.contractors.<name>`)",
        "",
        "One row per contractor of a kind of care with several contractors (docs/ODD.md "
        "7.14). 'EUR/unit' is the kind's price x the contractor's price factor.",
        "",
    ]
    header = ["contractor", *[f.name for f in fields], "EUR/unit"]
    rows = []
    for name, con in cons.items():
        price = cfg.prices.eur.get(cfg.behaviour.providers[con.kind].price_item, 0.0)
        rows.append(
            [
                f"`{name}`",
                *[fmt(getattr(con, f.name)) for f in fields],
                fmt(price * con.price_factor),
            ]
        )
    out += table(header, rows)
    out += ["Contractor fields:", "", *legend(sp.ContractorParams)]
    return out


def section_places(cfg: sp.KetensimConfig) -> list[str]:
    places = cfg.behaviour.places
    fields = [f for f in dataclasses.fields(sp.PlaceParams)]
    out = [
        "### Care-finding places (`behaviour.places.<name>`)",
        "",
        "One row per place. Per-domain values list only the domains the YAML sets (others are 0).",
        "",
    ]
    rows = [
        [f"`{name}`", *[fmt(getattr(places[name], f.name)) for f in fields]]
        for name in _keys(sp.PLACES, places)
    ]
    out += table(["place", *[SHORT.get(f.name, f.name) for f in fields]], rows)
    out += ["Place fields:", "", *legend(sp.PlaceParams)]
    return out


def count_assumptions() -> tuple[int, int]:
    """(fields whose source mentions an assumption, all fields) over the schema."""
    n_assumed = n_all = 0
    for cls in schema_classes():
        for f in dataclasses.fields(cls):
            n_all += 1
            n_assumed += "assumption" in str(f.metadata.get("source", "")).lower()
    return n_assumed, n_all


def schema_classes() -> list[type]:
    """Every dataclass of the parameter schema, in definition order, and each declared
    design's own parameter section."""
    out = [
        obj
        for obj in vars(sp).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__.startswith("sim.")
    ]
    own = [e.params for e in design_entries() if e.params is not sp.DesignParams]
    return out + [c for c in own if c not in out]


def declared_designs() -> list[str]:
    """The declared designs (`sim.designs.registry`), today's practice first."""
    return list(design_names())


# --------------------------------------------------------------------------- document
def section_report() -> list[str]:
    """Settings of the report that shape its numbers (not of the model): the discount rate,
    compare's horizon, the settled window, when a ranking is robust."""
    from experiments.compare import DEFAULT_YEARS
    from experiments.report.present_value import DISCOUNT_RATE, DISCOUNT_SOURCE
    from experiments.report.robustness import BOX_DENSITY, ROBUST_SHARE
    from experiments.report.settling import SETTLED_WINDOW_YEARS
    from experiments.robustness_study import RUN_FUTURES, STUDY_POPULATION

    return [
        "## 7. Report settings",
        "",
        "Used by `compare`, the brief and its tables (`present_value.csv`, `settling.csv`, "
        "`robustness.csv`), not by the model (`experiments/report/present_value.py`, "
        "`settling.py`, `robustness.py`, `experiments/compare.py`, "
        "`experiments/robustness_study.py`).",
        "",
        *table(
            ["parameter", "value", "unit", "source"],
            [
                ["`DISCOUNT_RATE`", f"{DISCOUNT_RATE:g}", "share per year, real", DISCOUNT_SOURCE],
                [
                    "`DEFAULT_YEARS` (compare)",
                    f"{DEFAULT_YEARS}",
                    "simulated years",
                    "measured: early signalling's unmet-need difference turned sign after "
                    "year 10 and yes-is-cheaper's cost gap still moved at year 20 (mid_city "
                    "20,000, seeds 1-3, issue 27)",
                ],
                [
                    "`SETTLED_WINDOW_YEARS`",
                    f"{SETTLED_WINDOW_YEARS}",
                    "years (at most half the run)",
                    "assumption: the lasting difference is the mean of the last five years",
                ],
                [
                    "`ROBUST_SHARE`",
                    f"{ROBUST_SHARE:.3g}",
                    "share of plausible futures",
                    "assumption: a ranking is robust when it holds in two in three futures",
                ],
                [
                    "`BOX_DENSITY`",
                    f"{BOX_DENSITY:g}",
                    "share of a box's futures",
                    "assumption: a condition for a flip is named when its winner wins in at "
                    "least half of the box",
                ],
                [
                    "`RUN_FUTURES` (compare robustness=run)",
                    f"{RUN_FUTURES}",
                    "plausible futures (Latin hypercube points), 1 replication each",
                    "assumption: a share moves in steps of about 6%; small enough to run "
                    "after a compare",
                ],
                [
                    "`STUDY_POPULATION` (compare robustness=run|N)",
                    f"{STUDY_POPULATION:,}",
                    "simulated persons at most",
                    "assumption: a ranking per future needs less precision than the "
                    "compare's own differences",
                ],
            ],
        ),
        "",
    ]


def render() -> str:
    default = compose([])
    designs = {d: compose([f"design={d}"]) for d in declared_designs()}
    profiles = {m: compose([f"municipality={m}"]) for m in yaml_stems("municipality")}
    profiles = dict(sorted(profiles.items(), key=lambda kv: kv[1].municipality.inhabitants))
    assumed, total = count_assumptions()
    lines = [
        "# ketensim parameters",
        "",
        "<!-- GENERATED by docs/make_parameters.py; do not edit by hand. -->",
        "",
        "**Generated file.** Regenerate with `python docs/make_parameters.py` after changing "
        "`scenarios/`, `sim/params.py` or `sim/data/`; `python docs/make_parameters.py "
        "--check` (run by `tests/test_docs.py`) fails when this file is out of date.",
        "",
        "Values are those of the composed Hydra configuration: the default scenario "
        f"(design `{default.design.name}`, municipality `{default.municipality.name}`), "
        "each design and each municipality profile. Unit, allowed range and source come "
        "from the field metadata of the schema in `sim/params.py`; the range is what "
        "validation accepts, not a plausible interval for sensitivity analysis.",
        "",
        '**"assumption"** in the source column means a first guess by the modellers, '
        "awaiting calibration against `sim/data/targets_nl.csv` and sensitivity analysis; "
        f"it is not an empirical value. {assumed} of the {total} schema fields rest wholly or "
        "partly on an assumption.",
        "",
        "Contents: 1 Run settings, 2 Designs, 3 Municipality profiles, 4 Prices, "
        "5 Behaviour (scalars, per-domain and per-escalation tables, providers, "
        "care-finding places), 6 Administration (acts, contract models, objections, trust), "
        "7 Report settings (discount rate).",
        "",
    ]
    lines += section_run(default)
    lines += section_design(designs)
    lines += section_municipality(profiles)
    lines += section_prices(default)
    lines += section_behaviour(default)
    lines += section_administration(default)
    lines += section_report()
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if docs/parameters.md is out of date; write nothing",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="file to write or check")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current == text:
            return 0
        diff = list(
            difflib.unified_diff(
                current.splitlines(), text.splitlines(), "on disk", "generated", lineterm="", n=0
            )
        )
        print(f"{args.out} is out of date; run: python docs/make_parameters.py", file=sys.stderr)
        print("\n".join(diff[:40]), file=sys.stderr)
        return 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
