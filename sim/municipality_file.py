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
`team_hours_per_week` (the whole team's consultant hours a week) or
`team_hours_per_week_per_1000` (the same per 1,000 inhabitants, as the override
`municipality.team_hours_per_week_per_1000`; not both), `wmo_budget_eur`, `youth_budget_eur`,
`participation_budget_eur`, `welfare_budget_eur` (budgets until the baseline year; empty
or absent: the national default in NATIONAL_DEFAULTS) and `base_profile` (a built-in
profile for what the file does not describe: provider capacities and the chain budget; default
`mid_city`).

Definitions follow the built-in profiles: `single_adult_share` is one-person households /
households, as CBS publishes it.

Files as Excel writes them are read too: separated by commas, semicolons (Excel's Dutch
default, and ketensim's own `*_nl.csv`) or tabs; UTF-8 (with or without byte-order mark) or
Windows-1252/Latin-1. Numbers are read as a Dutch user writes them: in counts of persons,
households and places and in euro amounts, `11.700` and `11 700` are eleven thousand seven
hundred (a point or space between groups of three digits is a thousands separator); a
count must be a whole number, so `11.7` persons is an error, never a fraction of a person;
`0,38` is a decimal comma. Shares (0 to 1) take a decimal point or comma.
"""

from __future__ import annotations

import csv
import math
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
    "team_hours_per_week_per_1000",
    "wmo_budget_eur",
    "youth_budget_eur",
    "participation_budget_eur",
    "welfare_budget_eur",
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
        312.0,
        "EUR per inhabitant per year",
        "CBS/Rijksoverheid: about 6 bn EUR / 17.9 m spent, budgeted at about 0.93 of it",
    ),
    "participation_budget_eur_per_inhabitant": Default(
        336.0, "EUR per inhabitant per year", "Divosa: BUIG macro budget 2022 / 17.9 m"
    ),
    "welfare_budget_eur_per_inhabitant": Default(40.0, "EUR per inhabitant per year", "assumption"),
}

_CODE = re.compile(r"^GM\d{4}$")


class MunicipalityFileError(ValueError):
    """A municipality file that cannot be used; the message is one line."""


def parse_spec(spec: str) -> tuple[Path, str | None]:
    """`file:path.csv` or `file:path.csv@GM0363` -> (path, code or None)."""
    body = spec.removeprefix("file:")
    path, _, code = body.partition("@")
    return Path(path), (code or None)


_GROUPED = re.compile(r"^[+-]?\d{1,3}([. \u00a0\u202f]\d{3})+(,\d+)?$")
_COUNT_COLUMNS = frozenset(
    (*AGE_COLUMNS, "households", "single_person_households", "gp_practices", "care_finding_places")
)
_SHARE_COLUMNS = frozenset(("income_low_share", "income_high_share"))
MAX_FILE_BYTES = 20_000_000  # bytes; a file of every Dutch municipality is about 50 kB


def _read_number(column: str, text: str) -> float:
    """A number as a Dutch user writes it (see the module docstring); ValueError if not."""
    clean = text.strip().replace("_", "")
    if column not in _SHARE_COLUMNS and _GROUPED.match(clean):
        sep = next(c for c in clean if not c.isdigit() and c not in "+-")
        clean = clean.replace(sep, "")
    if clean.count(",") == 1 and "." not in clean:
        clean = clean.replace(",", ".")  # decimal comma
    value = float(clean)
    if not math.isfinite(value):  # inf, nan: not a number a municipality has
        raise ValueError(text)
    return value


def _number(path: Path, row: int, column: str, text: str, lo: float, hi: float) -> float:
    try:
        value = _read_number(column, text)
    except ValueError:
        raise MunicipalityFileError(
            f"{path}: row {row}, column '{column}': '{text}' is not a number"
        ) from None
    if column in _COUNT_COLUMNS and value == value and value != int(value):
        raise MunicipalityFileError(
            f"{path}: row {row}, column '{column}': '{text}' is not a whole number; allowed: "
            "a count such as 11700 or 11.700 (a point between groups of three digits is a "
            "thousands separator)"
        )
    if not (lo <= value <= hi) or value != value:
        raise MunicipalityFileError(
            f"{path}: row {row}, column '{column}': {text} out of range; allowed: {lo:g} to {hi:g}"
        )
    return value


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (BOM or not), else Windows-1252 (Excel's default on Dutch
    Windows); a one-line error for a missing path, a folder or a binary file."""
    if str(path) in ("", "."):
        raise MunicipalityFileError(
            "no file named after file:; allowed: municipality=file:path.csv[@GMxxxx]"
        )
    if not path.exists():
        raise MunicipalityFileError(f"{path}: no such file")
    if path.is_dir():
        raise MunicipalityFileError(f"{path}: is a folder; allowed: a CSV file")
    if not path.is_file():
        raise MunicipalityFileError(
            f"{path}: not a regular file (a device or pipe); allowed: a CSV file"
        )
    if path.stat().st_size > MAX_FILE_BYTES:
        raise MunicipalityFileError(
            f"{path}: {path.stat().st_size / 1e6:.0f} MB; allowed: a CSV file of at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB (every Dutch municipality fits in well under 1 MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MunicipalityFileError(f"{path}: cannot read ({exc.strerror})") from None
    if b"\x00" in data[:8192]:
        raise MunicipalityFileError(f"{path}: not a text (CSV) file; allowed: a CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    """Comma, semicolon or tab: whichever separates the header line."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a municipality file with their row (line) numbers in the file;
    lines starting with `#` are comments."""
    text = _read_text(path)
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(keepends=True), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise MunicipalityFileError(f"{path}: empty file")
    reader = csv.DictReader((line for _, line in numbered), delimiter=_delimiter(numbered[0][1]))
    header = [h.strip() for h in (reader.fieldnames or [])]
    head = numbered[0][0]
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise MunicipalityFileError(
            f"{path}: row {head} (header): column '{twice[0]}' appears twice; allowed: "
            "each column once"
        )
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
    hits = [(i, row) for i, row in rows if row["cbs_code"] == code]
    if len(hits) > 1:
        lines = ", ".join(str(i) for i, _ in hits)
        raise MunicipalityFileError(
            f"{path}: cbs_code {code} appears in {len(hits)} rows ({lines}); allowed: each "
            "code once"
        )
    if hits:
        return hits[0]
    codes = ", ".join(dict.fromkeys(r["cbs_code"] for _, r in rows))
    raise MunicipalityFileError(f"{path}: no row with cbs_code {code}; allowed: {codes}")


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
    total = math.fsum(counts)  # type: ignore[arg-type]
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
    # the team's hours as a total for the municipality or per 1,000 inhabitants (the unit of
    # the override and of the built-in profiles); one of the two, never both
    team = opt("team_hours_per_week", 0, 1e7)
    team_rate = opt("team_hours_per_week_per_1000", 0, 1000)
    if team is not None and team_rate is not None:
        raise MunicipalityFileError(
            f"{path}: row {i}, columns 'team_hours_per_week' (hours a week for the whole "
            "municipality) and 'team_hours_per_week_per_1000' (per 1,000 inhabitants): "
            "fill in one of the two"
        )
    if team is not None:
        team_rate = round(team / per1000, 3)
    fields["team_hours_per_week_per_1000"] = (
        team_rate
        if team_rate is not None
        else NATIONAL_DEFAULTS["team_hours_per_week_per_1000"].value
    )
    for column, key in (
        ("wmo_budget_eur", "wmo_budget_eur_per_inhabitant"),
        ("youth_budget_eur", "youth_budget_eur_per_inhabitant"),
        ("participation_budget_eur", "participation_budget_eur_per_inhabitant"),
        ("welfare_budget_eur", "welfare_budget_eur_per_inhabitant"),
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
