"""`ketensim compare` end to end on a tiny population: every file, and a resumable sweep."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from experiments.cli import main
from sim.designs import design_names

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
        "administration_by_act.csv",
        "tables.xlsx",
        "brief.html",
        "compare.json",
    ):
        assert (out / name).exists(), name
    for fig in ("total_cost", "cost_by_financier", "wrong_pocket", "outcomes", "fan_charts"):
        assert (out / "figures" / f"{fig}.png").exists()
        assert (out / "figures" / f"{fig}.svg").exists()
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 2 * len(design_names())
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
    # same command again: nothing is re-run, and it says so
    capsys.readouterr()
    assert main(["compare", *ARGS, f"out={out}"]) == 0
    n = len(runs)
    assert f"{n} of {n} runs already done and reused" in capsys.readouterr().err
    assert pd.read_parquet(out / "runs.parquet").equals(runs)


def test_without_out_the_start_line_says_how_to_resume_and_that_resumes(
    tmp_path, capsys, monkeypatch
):
    """The default folder is named by the clock, so re-running the bare command would start a
    new folder; the first line names the out= that resumes, and that command does resume."""
    monkeypatch.chdir(tmp_path)
    args = [*ARGS, "designs=gatekeeping,early_signalling", "brief=false"]
    assert main(["compare", *args]) == 0
    err = capsys.readouterr().err
    hint = err.split("(after a stop, add ", 1)[1].split(" to resume)", 1)[0]
    assert hint.startswith("out=results/compare/"), err[:400]
    assert main(["compare", *args, hint]) == 0
    assert "4 of 4 runs already done and reused" in capsys.readouterr().err


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


SMALL = [
    "municipality=small_town",
    "population=300",
    "years=2",
    "burn_in_years=1",
    "replications=2",
    "backend=sequential",
]


def test_experiment_runs_every_variant_paired_and_reports_by_variant(tmp_path, capsys):
    out = tmp_path / "levers"
    assert main(["compare", "experiment=levers", *SMALL, f"out={out}"]) == 0
    err = capsys.readouterr().err
    runs = pd.read_parquet(out / "runs.parquet")
    variants = [
        "gatekeeping",
        "early_signalling",
        "early_signalling_chain_care",
        "gatekeeping_integrated_financing",
    ]
    assert sorted(runs["variant"].unique()) == sorted(variants)
    assert len(runs) == 4 * 2
    # paired: replication k of every variant shares one seed
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    levers = runs.drop_duplicates("variant").set_index("variant")
    assert bool(levers.loc["early_signalling_chain_care", "design.levers.chain_care"])
    assert not bool(levers.loc["early_signalling", "design.levers.chain_care"])
    assert bool(
        levers.loc["gatekeeping_integrated_financing", "design.levers.integrated_financing"]
    )
    assert levers.loc["gatekeeping_integrated_financing", "design"] == "gatekeeping"
    # compare leaves the person histories off unless asked
    assert not runs["record_events"].any()
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    assert {"variant", "design"} <= set(outcomes)
    assert pd.api.types.is_string_dtype(outcomes["variant"])
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["variant"]) == set(variants)
    diffs = pd.read_csv(out / "paired_differences.csv")
    assert set(diffs["variant"]) == set(variants) - {"gatekeeping"}  # against the first
    society = pd.read_csv(out / "societal_cost_benefit.csv")
    assert set(society["variant"]) == set(variants) - {"gatekeeping"}
    assert {"municipality", "carers_informal_care", "society"} <= set(society["actor"])
    import openpyxl

    assert "societal_cost_benefit" in openpyxl.load_workbook(out / "tables.xlsx").sheetnames
    assert (out / "figures" / "trajectories.png").exists()
    page = (out / "brief.html").read_text(encoding="utf-8")
    assert "Vroegsignalering + ketenzorg" in page and "4 varianten" in page
    # without a terminal, progress is a log line naming runs done, failed and time left
    assert "runs: 8 of 8 done (100%), 0 failed" in err and "left" in err


def test_quick_variants_on_the_command_line_and_a_single_variant(tmp_path):
    out = tmp_path / "quick"
    argv = ["compare", "variants=gatekeeping,gatekeeping+chain_care", *SMALL, f"out={out}"]
    assert main([*argv, "record_events=true", "brief=false"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs["variant"]) == {"gatekeeping", "gatekeeping+chain_care"}
    assert set(runs["design"]) == {"gatekeeping"}
    assert runs["record_events"].all()  # asked for
    one = tmp_path / "one"
    assert main(["compare", "designs=gatekeeping", *SMALL, f"out={one}"]) == 0
    page = (one / "brief.html").read_text(encoding="utf-8")
    assert "niets om mee te vergelijken" in page
    assert pd.read_csv(one / "paired_differences.csv").empty


def test_resume_never_mixes_settings_and_says_what_it_reused(tmp_path, capsys):
    out = tmp_path / "cmp"
    base = ["compare", "designs=gatekeeping,early_signalling", *SMALL, f"out={out}"]
    assert main(base) == 0
    first = pd.read_parquet(out / "runs.parquet")
    capsys.readouterr()
    # other settings: run afresh; lang=en writes English beside the Dutch brief and figures
    other = [a if a != "population=300" else "population=350" for a in base]
    assert other != base  # a key given twice is refused, so the setting is replaced
    assert main([*other, "lang=en"]) == 0
    err = capsys.readouterr().err
    assert "0 of 4 runs already done" in err and "made with other settings" in err
    again = pd.read_parquet(out / "runs.parquet")
    assert set(again["population"]) == {350}
    assert set(again["config_hash"]).isdisjoint(first["config_hash"])
    assert (out / "brief.html").exists() and (out / "brief_en.html").exists()
    assert (out / "figures" / "total_cost.png").exists()
    assert (out / "figures_en" / "total_cost.png").exists()
    assert '<html lang="en">' in (out / "brief_en.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in (out / "brief.html").read_text(encoding="utf-8")


def test_sigterm_to_the_parent_stops_the_workers(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "term"
    cmd = [
        sys.executable,
        "-m",
        "experiments.cli",
        "compare",
        "designs=gatekeeping",
        "municipality=small_town",
        "population=4000",
        "years=10",
        "replications=40",
        "backend=local",
        "workers=2",
        f"out={out}",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def children() -> list[int]:
        kids = []
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == proc.pid:
                    kids.append(int(pid))
        return kids

    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.5)
        # the pool's workers (spawned processes), not the resource tracker
        workers = [p for p in children() if "spawn_main" in _read(f"/proc/{p}/cmdline")]
    assert len(workers) >= 2, "workers did not start"
    time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert "re-run the same command to resume" in err
    deadline = time.time() + 20
    alive = workers
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [
            p
            for p in alive
            if os.path.exists(f"/proc/{p}")
            and "Z" not in _read(f"/proc/{p}/stat").rsplit(")", 1)[1].split()[:1]
        ]
    assert not alive, f"worker processes still running: {alive}"


def _read(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def test_version(capsys):
    from sim.run import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(f"ketensim {__version__}")


def test_adaptive_replications_stop_and_say_why(tmp_path):
    """replications=auto runs at least 5 replications, stops at the precision target or the
    maximum, and records the reason in compare.json."""
    import json

    out = tmp_path / "auto"
    code = main(
        [
            "compare",
            "designs=gatekeeping,yes_is_cheaper",
            "municipality=small_town",
            "population=1000",
            "years=1",
            "burn_in_years=1",
            "replications=auto",
            "precision=0.5",
            "max_replications=6",
            "brief=false",
            f"out={out}",
        ]
    )
    assert code == 0
    report = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert 5 <= report["replications"] <= 6
    assert report["adaptive_replications"].startswith("adaptive replications: ")
    fixed = ["compare", "replications=10", "precision=0.1", f"out={tmp_path / 'x'}"]
    assert main(fixed) == 2  # precision goes with replications=auto (the default)


def test_brief_false_writes_the_tables_only_and_removes_an_earlier_brief(tmp_path, capsys):
    """brief=false (scripted studies): tables without figures, brief or PDF; a brief of an
    earlier run in the folder would not match them, so it goes; lang= with it is an error."""
    out = tmp_path / "tables"
    args = ["compare", "designs=gatekeeping,early_signalling", *SMALL, f"out={out}"]
    (out / "figures").mkdir(parents=True)
    (out / "brief.html").write_text("an earlier brief", encoding="utf-8")
    capsys.readouterr()
    assert main([*args, "brief=false"]) == 0
    err = capsys.readouterr().err
    assert "removed brief.html, figures of an earlier run" in err
    assert not (out / "brief.html").exists() and not (out / "figures").exists()
    assert not list(out.glob("*.pdf"))
    for name in ("runs.parquet", "summary.csv", "paired_differences.csv", "tables.xlsx"):
        assert (out / name).exists(), name
    assert main([*args, "brief=false", "lang=en"]) == 2
    assert "brief=false writes none" in capsys.readouterr().err
    assert main([*args, "brief=maybe"]) == 2
    assert "brief=maybe: not a switch" in capsys.readouterr().err
