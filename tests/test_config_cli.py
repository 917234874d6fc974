"""Bad configs stop with one clear line and exit code 2; the CLI runs end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.config import ConfigError, compose
from sim.prices import prices_yaml

REPO = Path(__file__).resolve().parent.parent

BAD = [
    (["design=nope"], "design=nope: unknown design; allowed:"),
    (["municipality=atlantis"], "municipality=atlantis: unknown municipality; allowed:"),
    (["no_such_key=1"], "no_such_key: unknown key"),
    (["design.no_such_key=1"], "design.no_such_key: unknown key"),
    (["years=ten"], "years=ten: not a whole number"),
    (
        ["design.approval_base=1.5"],
        "design.approval_base=1.5: out of range; allowed: a number from 0 to 1",
    ),
    (
        ["municipality.provider_capacity_per_1000.nursing_home=-2"],
        "municipality.provider_capacity_per_1000.nursing_home=-2.0: out of range",
    ),
    (["behaviour.onset_per_year.debt=[0.1]"], "behaviour.onset_per_year.debt: 1 values"),
    (["design.levers.own_contribution=free"], "design.levers.own_contribution=free: allowed"),
    (["seed"], "not of the form key=value"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD)
def test_bad_config_message(overrides, message):
    with pytest.raises(ConfigError) as err:
        compose(overrides)
    text = str(err.value)
    assert message in text
    assert "\n" not in text


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "experiments.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(("overrides", "message"), BAD[:6])
def test_cli_bad_config_exit_2_no_traceback(tmp_path, overrides, message):
    proc = _cli("run", *overrides, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert message in proc.stderr


def test_cli_run_end_to_end(tmp_path):
    out = tmp_path / "out"
    proc = _cli(
        "run",
        "design=early_signalling",
        "municipality=small_town",
        "population=1500",
        "years=1",
        "burn_in_years=1",
        "seed=7",
        f"out={out}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["design"] == "early_signalling"
    assert summary["run"]["seed"] == 7
    assert summary["outcomes"]["total_chain_cost_eur_per_inhabitant_per_year"] > 0
    assert summary["units"]["waiting_weeks_mean"] == "weeks"
    weekly = pd.read_parquet(out / "weekly.parquet")
    assert len(weekly) == 52
    ledger = pd.read_parquet(out / "ledger.parquet")
    assert ledger["eur"].sum() == pytest.approx(
        summary["outcomes"]["total_chain_cost_eur_per_inhabitant_per_year"] * 1500, rel=1e-9
    )
    assert "name: early_signalling" in (out / "config.yaml").read_text()
    assert not list(out.glob("*.tmp"))


def test_python_m_sim_run(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            "population=500",
            "years=1",
            "burn_in_years=0",
            f"out={tmp_path / 'o'}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "summary.json").exists()


def test_shipped_prices_match_sources():
    shipped = (REPO / "scenarios" / "prices" / "nl_2024.yaml").read_text()
    assert shipped == prices_yaml(2024), "regenerate: python -m sim.prices"


def test_every_price_row_has_a_source():
    from sim.prices import price_rows

    for row in price_rows():
        assert row["source"].strip(), row["item"]
