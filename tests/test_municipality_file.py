"""Any municipality: a small CSV keyed by CBS code becomes a validated MunicipalityParams."""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.cli import main
from sim import compose
from sim.config import ConfigError
from sim.municipality_file import AGE_COLUMNS, NATIONAL_DEFAULTS

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "scenarios" / "municipality" / "examples" / "my_municipality.csv"
HEADER = "cbs_code,name," + ",".join(AGE_COLUMNS)
AGES = "1890,3780,2925,2610,11700,12150,5310,3420,1215"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_composes_through_the_same_validation():
    cfg = compose([f"municipality=file:{EXAMPLE}"])
    m = cfg.municipality
    assert m.cbs_code == "GM0000" and m.name == "Voorbeeldstad"
    assert m.inhabitants == 45000
    assert abs(sum(m.age_band_shares) - 1) < 1e-3
    assert m.team_hours_per_week_per_1000 == pytest.approx(600 / 45, abs=1e-3)
    assert m.wmo_budget_eur_per_inhabitant == pytest.approx(350)
    # left empty in the example: the stated national default
    assert (
        m.care_finding_places_per_10000 == NATIONAL_DEFAULTS["care_finding_places_per_10000"].value
    )
    # the base profile supplies provider capacities
    assert m.provider_capacity_per_1000["nursing_home"] > 0


def test_missing_optional_fields_fall_back_to_national_defaults(tmp_path):
    path = _write(tmp_path, f"{HEADER}\nGM0363,Stad,{AGES}\n")
    m = compose([f"municipality=file:{path}"]).municipality
    assert m.cbs_code == "GM0363"
    assert m.single_adult_share == NATIONAL_DEFAULTS["single_adult_share"].value
    assert m.income_shares == pytest.approx([0.4, 0.4, 0.2])
    assert m.gp_practices_per_10000 == NATIONAL_DEFAULTS["gp_practices_per_10000"].value
    assert (
        m.wmo_budget_eur_per_inhabitant == NATIONAL_DEFAULTS["wmo_budget_eur_per_inhabitant"].value
    )


def test_explicit_overrides_win_over_the_file(tmp_path):
    cfg = compose([f"municipality=file:{EXAMPLE}", "municipality.team_hours_per_week_per_1000=20"])
    assert cfg.municipality.team_hours_per_week_per_1000 == 20


def test_team_hours_as_a_total_or_per_1000_inhabitants(tmp_path):
    """The CSV takes the team's hours for the whole municipality or per 1,000 inhabitants (the
    unit of the override); both give the same rate, and a row with both stops."""
    total = _write(tmp_path, f"{HEADER},team_hours_per_week\nGM0363,A,{AGES},900\n")
    rate = tmp_path / "rate.csv"
    rate.write_text(f'{HEADER},team_hours_per_week_per_1000\nGM0363,A,{AGES},"20,0"\n')
    by_total = compose([f"municipality=file:{total}"]).municipality
    by_rate = compose([f"municipality=file:{rate}"]).municipality
    assert by_total.team_hours_per_week_per_1000 == pytest.approx(900 / 45)
    assert by_rate.team_hours_per_week_per_1000 == 20
    both = tmp_path / "both.csv"
    both.write_text(
        f"{HEADER},team_hours_per_week,team_hours_per_week_per_1000\nGM0363,A,{AGES},900,20\n"
    )
    with pytest.raises(ConfigError, match="fill in one of the two"):
        compose([f"municipality=file:{both}"])


def test_several_rows_pick_one_by_code(tmp_path):
    path = _write(tmp_path, f"{HEADER}\nGM0363,A,{AGES}\nGM0599,B,{AGES}\n")
    assert compose([f"municipality=file:{path}@GM0599"]).municipality.name == "B"
    with pytest.raises(ConfigError, match="2 municipalities"):
        compose([f"municipality=file:{path}"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"{HEADER}\nGM0363,Stad,1,2,3,4,abc,6,7,8,9\n", "row 2, column 'inhabitants_23_44'"),
        (f"# comment\n{HEADER}\nXX12,Stad,{AGES}\n", "row 3, column 'cbs_code'"),
        (f"{HEADER},income_low_share\nGM0363,Stad,{AGES},1.5\n", "column 'income_low_share'"),
        ("cbs_code,name\nGM0363,Stad\n", "row 1 (header): missing column(s) inhabitants_0_3"),
        (f"{HEADER},budget\nGM0363,Stad,{AGES},1\n", "unknown column 'budget'"),
        (f"{HEADER}\nGM0363,Stad,{AGES.replace('1890', '')}\n", "column 'inhabitants_0_3'"),
    ],
)
def test_bad_file_names_row_and_column(tmp_path, body, expected):
    path = _write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        compose([f"municipality=file:{path}"])
    message = str(err.value)
    assert expected in message
    assert "\n" not in message


def test_bad_file_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys):
    path = _write(tmp_path, f"{HEADER}\nGM0363,Stad,1,2,3,4,abc,6,7,8,9\n")
    assert main(["run", f"municipality=file:{path}", "population=100"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "row 2, column 'inhabitants_23_44'" in err
    assert main(["run", "municipality=file:does/not/exist.csv"]) == 2
    assert "no such file" in capsys.readouterr().err
