"""Every shipped figure has a source; every target is mapped to a simulated quantity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from experiments.calibration.targets import PROFILES, TARGET_BY_ROW, read_age_profiles, read_targets

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "sim" / "data"
CSV_FILES = sorted(DATA.glob("*.csv"))


@pytest.mark.parametrize("path", CSV_FILES, ids=[p.name for p in CSV_FILES])
def test_every_row_of_every_shipped_data_file_has_a_source(path):
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, path
    assert "source" in rows[0], f"{path.name} has no source column"
    for i, row in enumerate(rows, start=2):
        assert row["source"].strip(), f"{path.name} row {i} has no source"


def test_data_readme_lists_every_file_and_the_cbs_licence():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in CSV_FILES:
        assert f"`{path.name}`" in readme, path.name
    assert "CC BY 4.0" in readme


def test_every_target_row_is_mapped():
    rows = [r["target"] for r in read_targets()]
    assert sorted(rows) == sorted(TARGET_BY_ROW)


def test_age_profiles_are_known_profiles_with_years():
    for r in read_age_profiles():
        assert r["profile"] in PROFILES
        assert r["year"].strip() and 0 < r["value"] < 1


def test_municipality_profiles_name_their_sources():
    for path in sorted((REPO / "scenarios" / "municipality").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "CBS" in text, f"{path.name} does not cite CBS for its age structure"
    example = REPO / "scenarios" / "municipality" / "examples" / "my_municipality.csv"
    text = example.read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "ILLUSTRATIVE" in text
