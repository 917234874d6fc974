"""`ketensim compare` end to end on a tiny population: every file, and a resumable sweep."""

from __future__ import annotations

import json

import pandas as pd

from experiments.cli import main

ARGS = [
    "population=600",
    "years=2",
    "burn_in_years=1",
    "replications=2",
    "backend=sequential",
    "record_events=false",
]


def test_compare_end_to_end_and_resume(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", *ARGS, f"out={out}"]) == 0
    for name in (
        "runs.parquet",
        "outcomes.parquet",
        "summary.csv",
        "summary_nl.csv",
        "paired_differences.csv",
        "paired_differences_nl.csv",
        "tables.xlsx",
        "brief.html",
        "compare.json",
    ):
        assert (out / name).exists(), name
    for fig in ("total_cost", "cost_by_financier", "wrong_pocket", "outcomes", "fan_charts"):
        assert (out / "figures" / f"{fig}.png").exists()
        assert (out / "figures" / f"{fig}.svg").exists()
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 6
    # common random numbers: replication k has one seed across designs
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    assert {"model_version", "git_commit", "wall_time_s", "design.intake_hours"} <= set(runs)
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    assert {"run_id", "year", "outcome", "value", "unit"} <= set(outcomes)
    assert set(outcomes["year"]) == {0, 1, 2}
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64") >= 5
    report = json.loads((out / "compare.json").read_text())
    assert report["failed"] == 0
    # same command again: nothing is re-run
    capsys.readouterr()
    assert main(["compare", *ARGS, f"out={out}"]) == 0
    assert pd.read_parquet(out / "runs.parquet").equals(runs)


def test_compare_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["compare", "designs=gatekeeping,nope", f"out={tmp_path}"]) == 2
    assert "unknown design nope" in capsys.readouterr().err
    assert main(["compare", "replications=1", f"out={tmp_path}"]) == 2
    assert main(["compare", "design=gatekeeping", f"out={tmp_path}"]) == 2


def test_real_model_identical_on_sequential_and_local_processes(tmp_path):
    from experiments.compare import build_specs, simulate
    from experiments.ensemble import run_ensemble

    specs, _ = build_specs(
        ["gatekeeping", "yes_is_cheaper"],
        2,
        ["population=400", "years=1", "burn_in_years=0", "record_events=false"],
    )
    seq = run_ensemble(specs, simulate, tmp_path / "seq", backend="sequential", progress=False)
    par = run_ensemble(
        specs, simulate, tmp_path / "par", backend="local", workers=2, progress=False
    )
    cols = [c for c in seq.summary.columns if c != "wall_time_s"]
    pd.testing.assert_frame_equal(seq.summary[cols], par.summary[cols])
    pd.testing.assert_frame_equal(seq.tables["yearly"], par.tables["yearly"])
