"""Progress a person can follow anywhere: a bar labelled "runs" on a terminal, a log line
every few percent (done, failed, time left) elsewhere, nothing when switched off."""

from __future__ import annotations

import re
import sys

import _toy_runs

from experiments.ensemble import RunSpec, run_ensemble


def _specs(n: int, fail: tuple[int, ...] = ()) -> list[RunSpec]:
    return [
        RunSpec(f"r{k:03d}", {"n": 8, "fail_seeds": list(fail)}, seed=k, labels={"k": k})
        for k in range(n)
    ]


def test_log_lines_off_a_terminal(tmp_path, capsys):
    run_ensemble(
        _specs(40, fail=(3,)),
        _toy_runs.failing_run,
        tmp_path,
        backend="sequential",
        chunk_seconds=1e-9,  # one run per chunk, as with real (slow) runs
    )
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.startswith("runs: ") and "done (" in x]
    assert 2 <= len(lines) <= 21  # every 5% at most, not one per run
    assert lines[-1].startswith("runs: 40 of 40 done (100%), 1 failed, about")
    assert all(re.search(r"\d+ failed, about .+ left$", x) for x in lines)
    assert "\r" not in err  # no bar redraws in a log file


def test_bar_labelled_runs_on_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run_ensemble(_specs(5), _toy_runs.toy_run, tmp_path, backend="sequential", label="runs")
    err = capsys.readouterr().err
    assert "runs: 100%" in err and "done (" not in err


def test_silent_when_switched_off(tmp_path, capsys):
    run_ensemble(_specs(5), _toy_runs.toy_run, tmp_path, backend="sequential", progress=False)
    assert capsys.readouterr().err == ""
