"""Write result tables as CSV, as Dutch CSV (for Excel with Dutch settings) and as XLSX.

Dutch CSV: semicolon separator, decimal comma, UTF-8 with a byte-order mark, so that Excel
with Dutch regional settings opens it in columns with numbers as numbers and "€", "ë"
intact. No thousands separator is written (Excel would read "1.234" as 1,234 anyway, but
other tools would not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

DUTCH_CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}
FORMATS: tuple[str, ...] = ("csv", "csv_nl", "xlsx")


def write_csv(df: pd.DataFrame, path: Path | str) -> Path:
    """Write a table as ordinary CSV (comma, decimal point, UTF-8)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_dutch_csv(df: pd.DataFrame, path: Path | str) -> Path:
    """Write a table as Dutch CSV: `;` separator, decimal comma, UTF-8 with BOM."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\r\n", **DUTCH_CSV)
    return path


def read_dutch_csv(path: Path | str) -> pd.DataFrame:
    """Read a table written by `write_dutch_csv`."""
    return pd.read_csv(path, **DUTCH_CSV)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    candidate, i = base, 2
    while candidate.lower() in taken:
        suffix = f"_{i}"
        candidate, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path | str) -> Path:
    """Write tables to one workbook, one sheet per table (bold header, frozen, sized)."""
    from openpyxl.styles import Font

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in tables.items():
            sheet = _sheet_name(name, taken)
            df.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for col_idx, column in enumerate(df.columns, start=1):
                values = df[column]
                width = max(
                    [len(str(column))]
                    + [
                        len(f"{v:.2f}") if isinstance(v, float) else len(str(v))
                        for v in values.head(200)
                    ]
                )
                letter = ws.cell(row=1, column=col_idx).column_letter
                ws.column_dimensions[letter].width = min(60, width + 2)
                if pd.api.types.is_float_dtype(values):
                    for row in ws.iter_rows(min_row=2, min_col=col_idx, max_col=col_idx):
                        for cell in row:
                            cell.number_format = "#,##0.00"
    return path


def export_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path | str,
    formats: Iterable[str] = FORMATS,
    workbook: str = "tables.xlsx",
) -> dict[str, list[Path]]:
    """Write every table in each format: `<name>.csv`, `<name>_nl.csv`, one workbook.

    Returns the written paths per format.
    """
    out = Path(out_dir)
    formats = tuple(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {FORMATS}")
    written: dict[str, list[Path]] = {f: [] for f in formats}
    for name, df in tables.items():
        if "csv" in formats:
            written["csv"].append(write_csv(df, out / f"{name}.csv"))
        if "csv_nl" in formats:
            written["csv_nl"].append(write_dutch_csv(df, out / f"{name}_nl.csv"))
    if "xlsx" in formats:
        written["xlsx"].append(write_xlsx(tables, out / workbook))
    return written
