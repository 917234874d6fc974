"""Describe your own municipality in a small CSV file, keyed by its CBS code (GMxxxx).

Use it with `municipality=file:path.csv` (a file with one municipality) or
`municipality=file:path.csv@GM0363` (pick one row of a file with several). The row becomes a
`MunicipalityParams` through the same validation as the built-in profiles; a bad file stops
with one line naming the file, the row and the column.

Columns (one row per municipality; the full table with sources is in
docs/municipality_file.md, an example in `scenarios/municipality/examples/`): required
`cbs_code`, `name` and `inhabitants_0_3` ... `inhabitants_85plus` (persons per age band,
CBS StatLine 03759ned); optional `households`, `single_person_households`,
`income_low_share`, `income_high_share`, `gp_practices`, `care_finding_places`,
`team_hours_per_week`, `wmo_budget_eur`, `youth_budget_eur` (empty or absent: the national
default in NATIONAL_DEFAULTS) and `base_profile` (a built-in profile for what the file does
not describe: provider capacities and the chain budget; default `mid_city`).

Definitions follow the built-in profiles: `single_adult_share` is one-person households /
households, as CBS publishes it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.params import AGE_BANDS

AGE_COLUMNS: tuple[str, ...] = tuple(
    "inhabitants_" + band.replace("-", "_").replace("+", "plus") for band in AGE_BANDS
)
REQUIRED: tuple[str, ...] = ("cbs_code", "name", *AGE_COLUMNS)
OPTIONAL: tuple[str, ...] = (
    "households",
    "single_person_households",
    "income_low_share",
    "income_high_share",
    "gp_practices",
    "care_finding_places",
    "team_hours_per_week",
    "wmo_budget_eur",
    "youth_budget_eur",
    "base_profile",
)


@dataclass(frozen=True)
class Default:
    """A national default used when an optional column is empty or absent."""

    value: float
    unit: str
    source: str


NATIONAL_DEFAULTS: dict[str, Default] = {
    "single_adult_share": Default(
        0.38, "one-person households / households", "CBS household statistics (about 39%)"
    ),
    "income_low_share": Default(
        0.40, "share of persons", "by definition: the national bottom 40% of incomes (CBS)"
    ),
    "income_high_share": Default(
        0.20, "share of persons", "by definition: the national top 20% of incomes (CBS)"
    ),
    "gp_practices_per_10000": Default(2.4, "practices per 10,000 inhabitants", "NIVEL"),
    "care_finding_places_per_10000": Default(
        10.0, "places per 10,000 inhabitants", "assumption (not used by the model yet)"
    ),
    "team_hours_per_week_per_1000": Default(
        14.0,
        "consultant hours per week per 1,000 inhabitants",
        "assumption: about 30 FTE for 80,000 inhabitants",
    ),
    "wmo_budget_eur_per_inhabitant": Default(
        335.0, "EUR per inhabitant per year", "CBS Landelijke Monitor Wmo 2024"
    ),
    "youth_budget_eur_per_inhabitant": Default(
        330.0, "EUR per inhabitant per year", "CBS/Rijksoverheid: about 6 bn EUR / 17.9 m"
    ),
}

_CODE = re.compile(r"^GM\d{4}$")


class MunicipalityFileError(ValueError):
    """A municipality file that cannot be used; the message is one line."""


def parse_spec(spec: str) -> tuple[Path, str | None]:
    """`file:path.csv` or `file:path.csv@GM0363` -> (path, code or None)."""
    body = spec.removeprefix("file:")
    path, _, code = body.partition("@")
    return Path(path), (code or None)


def _number(path: Path, row: int, column: str, text: str, lo: float, hi: float) -> float:
    clean = text.strip().replace("_", "")
    try:
        value = float(clean)
    except ValueError:
        raise MunicipalityFileError(
            f"{path}: row {row}, column '{column}': '{text}' is not a number"
        ) from None
    if not (lo <= value <= hi) or value != value:
        raise MunicipalityFileError(
            f"{path}: row {row}, column '{column}': {text} out of range; allowed: {lo:g} to {hi:g}"
        )
    return value


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a municipality file with their row (line) numbers in the file;
    lines starting with `#` are comments."""
    if not path.exists():
        raise MunicipalityFileError(f"{path}: no such file")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        numbered = [
            (n, line)
            for n, line in enumerate(fh, start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    if not numbered:
        raise MunicipalityFileError(f"{path}: empty file")
    reader = csv.DictReader(line for _, line in numbered)
    header = [h.strip() for h in (reader.fieldnames or [])]
    head = numbered[0][0]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise MunicipalityFileError(
            f"{path}: row {head} (header): missing column(s) {', '.join(missing)}"
        )
    unknown = [c for c in header if c not in REQUIRED and c not in OPTIONAL]
    if unknown:
        raise MunicipalityFileError(
            f"{path}: row {head} (header): unknown column '{unknown[0]}'; allowed: "
            f"{', '.join(REQUIRED + OPTIONAL)}"
        )
    rows = []
    for (i, _), raw in zip(numbered[1:], reader, strict=False):
        if None in raw:
            raise MunicipalityFileError(f"{path}: row {i}: more values than columns")
        rows.append((i, {k.strip(): (v or "").strip() for k, v in raw.items()}))
    if not rows:
        raise MunicipalityFileError(f"{path}: no municipality rows")
    return rows


def select_row(path: Path, code: str | None) -> tuple[int, dict[str, str]]:
    """The row for `code`, or the only row when no code is given."""
    rows = read_rows(path)
    if code is None:
        if len(rows) > 1:
            codes = ", ".join(r["cbs_code"] for _, r in rows)
            raise MunicipalityFileError(
                f"{path}: {len(rows)} municipalities ({codes}); pick one with "
                f"municipality=file:{path}@GMxxxx"
            )
        return rows[0]
    for i, row in rows:
        if row["cbs_code"] == code:
            return i, row
    raise MunicipalityFileError(f"{path}: no row with cbs_code {code}")


def municipality_fields(
    path: Path, code: str | None = None, profiles: tuple[str, ...] = ()
) -> tuple[dict[str, Any], str]:
    """Read and check one municipality; returns (MunicipalityParams fields, base profile).

    The fields cover what the file describes (or its national defaults); the base profile
    supplies the rest (provider capacities, chain budget)."""
    i, row = select_row(path, code)
    cbs = row["cbs_code"]
    if not _CODE.match(cbs):
        raise MunicipalityFileError(
            f"{path}: row {i}, column 'cbs_code': '{cbs}' is not a CBS code (GM and four digits)"
        )
    if not row["name"]:
        raise MunicipalityFileError(f"{path}: row {i}, column 'name': empty")
    counts = [_number(path, i, c, row[c], 0, 5e6) if row[c] else None for c in AGE_COLUMNS]
    for c, v in zip(AGE_COLUMNS, counts, strict=True):
        if v is None:
            raise MunicipalityFileError(f"{path}: row {i}, column '{c}': empty (required)")
    total = float(sum(counts))  # type: ignore[arg-type]
    if total < 100:
        raise MunicipalityFileError(
            f"{path}: row {i}, columns inhabitants_*: {total:g} inhabitants; allowed: at least 100"
        )

    def opt(column: str, lo: float, hi: float) -> float | None:
        text = row.get(column, "")
        return _number(path, i, column, text, lo, hi) if text else None

    fields: dict[str, Any] = {
        "name": row["name"],
        "cbs_code": cbs,
        "inhabitants": round(total),
        "age_band_shares": [round(float(c) / total, 6) for c in counts],  # type: ignore[arg-type]
    }
    households = opt("households", 1, 5e6)
    singles = opt("single_person_households", 0, 5e6)
    if households is not None and singles is not None:
        if singles > households:
            raise MunicipalityFileError(
                f"{path}: row {i}, column 'single_person_households': {singles:g} is more "
                f"than households ({households:g})"
            )
        fields["single_adult_share"] = round(singles / households, 4)
    else:
        fields["single_adult_share"] = NATIONAL_DEFAULTS["single_adult_share"].value
    low = opt("income_low_share", 0, 1)
    high = opt("income_high_share", 0, 1)
    low = NATIONAL_DEFAULTS["income_low_share"].value if low is None else low
    high = NATIONAL_DEFAULTS["income_high_share"].value if high is None else high
    if low + high > 1:
        raise MunicipalityFileError(
            f"{path}: row {i}, columns income_low_share + income_high_share = "
            f"{low + high:g}; allowed: at most 1"
        )
    fields["income_shares"] = [low, round(1 - low - high, 6), high]
    per10k = total / 10_000
    per1000 = total / 1000
    gp = opt("gp_practices", 0, 1e5)
    gp_default = NATIONAL_DEFAULTS["gp_practices_per_10000"].value
    fields["gp_practices_per_10000"] = round(gp / per10k, 3) if gp is not None else gp_default
    places = opt("care_finding_places", 0, 1e6)
    fields["care_finding_places_per_10000"] = (
        round(places / per10k, 3)
        if places is not None
        else NATIONAL_DEFAULTS["care_finding_places_per_10000"].value
    )
    team = opt("team_hours_per_week", 0, 1e7)
    fields["team_hours_per_week_per_1000"] = (
        round(team / per1000, 3)
        if team is not None
        else NATIONAL_DEFAULTS["team_hours_per_week_per_1000"].value
    )
    for column, key in (
        ("wmo_budget_eur", "wmo_budget_eur_per_inhabitant"),
        ("youth_budget_eur", "youth_budget_eur_per_inhabitant"),
    ):
        value = opt(column, 0, 1e11)
        fields[key] = round(value / total, 2) if value is not None else NATIONAL_DEFAULTS[key].value
    base = row.get("base_profile", "") or "mid_city"
    if profiles and base not in profiles:
        raise MunicipalityFileError(
            f"{path}: row {i}, column 'base_profile': unknown profile '{base}'; allowed: "
            f"{', '.join(profiles)}"
        )
    return fields, base


__all__ = [
    "AGE_COLUMNS",
    "NATIONAL_DEFAULTS",
    "OPTIONAL",
    "REQUIRED",
    "MunicipalityFileError",
    "municipality_fields",
    "parse_spec",
]
