"""`ketensim validate` and `ketensim calibrate` end to end on a tiny municipality."""

from __future__ import annotations

import pandas as pd
import yaml

from experiments.calibration.targets import TARGETS
from experiments.cli import main
from sim.config import compose, from_dict, to_dict

TINY = ["population=1500", "years=1", "burn_in_years=1", "backend=sequential"]


def test_validate_writes_report_figures_and_docs(tmp_path, capsys):
    docs = tmp_path / "validation.md"
    docs.write_text("STALE SUMMARY\n\n## Notes\nkept by hand\n", encoding="utf-8")
    out = tmp_path / "v"
    assert main(["validate", *TINY, "replications=2", f"out={out}", f"docs={docs}"]) == 0
    for name in ("report.html", "validation.md", "targets.csv", "age_profiles.csv"):
        assert (out / name).exists(), name
    for name in ("targets", "age_profiles"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000
        assert (out / "figures" / f"{name}.svg").exists()
    table = pd.read_csv(out / "targets.csv")
    assert len(table) == len(TARGETS)
    assert table["source"].str.len().min() > 0
    text = docs.read_text(encoding="utf-8")
    assert "targets are met" in text and "kept by hand" in text and "STALE SUMMARY" not in text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Not met" in html and "figures/targets.png" in html
    assert "targets met within" in capsys.readouterr().out
    # stocks and flows are separate groups, each with sourced rows
    assert set(table["group"]) == {"stock", "flow"}
    assert "Stocks (levels)" in text and "Flows (per year)" in text
    assert "Flows (per year)" in html


def test_validate_draws_trajectories_of_several_designs(tmp_path, capsys):
    out = tmp_path / "v"
    argv = ["population=1500", "years=2", "burn_in_years=1", "backend=sequential"]
    assert (
        main(["validate", *argv, "replications=2", "designs=early_signalling", f"out={out}"]) == 0
    )
    for ext in ("png", "svg"):
        assert (out / "figures" / f"trajectories.{ext}").stat().st_size > 10_000
    drift = pd.read_csv(out / "trajectories.csv")
    assert set(drift["design"]) == {"gatekeeping", "early_signalling"}
    assert (drift["first_year"] == 1).all() and (drift["last_year"] == 2).all()
    # the printed title carries the computed change of unmet need under gatekeeping
    line = next(x for x in capsys.readouterr().out.splitlines() if "trajectories:" in x)
    unmet = drift[
        (drift["design"] == "gatekeeping")
        & (drift["outcome"] == "unmet_need_person_weeks_per_1000_inhabitants_per_year")
    ].iloc[0]
    assert f"{100 * unmet['change']:+.0f}%".replace("-", "\u2212") in line
    # the targets compare the baseline only
    assert len(pd.read_csv(out / "targets.csv")) == len(TARGETS)


def test_validate_rejects_an_unknown_design_in_designs(capsys):
    assert main(["validate", "designs=gatekeeping,no_such_design"]) == 2
    assert "no_such_design" in capsys.readouterr().err


def test_validate_rejects_a_design(capsys):
    assert main(["validate", "design=yes_is_cheaper"]) == 2
    assert "baseline" in capsys.readouterr().err


def test_calibrate_command_writes_a_loadable_behaviour(tmp_path, capsys):
    out = tmp_path / "c"
    write = tmp_path / "calibrated.yaml"
    argv = [*TINY, "replications=1", "max_evaluations=3", f"out={out}", f"write={write}"]
    assert main(["calibrate", *argv]) == 0
    text = write.read_text(encoding="utf-8")
    assert text.startswith("# Calibrated behaviour") and "Fit date:" in text
    assert "wmo_maatwerk_users_share_of_population" in text  # targets and achieved values
    behaviour = yaml.safe_load(text)
    cfg = to_dict(compose([]))
    cfg["behaviour"] = behaviour
    from_dict(cfg)  # passes the same validation as any behaviour config
    assert (out / "calibration.json").exists()


def test_calibrate_bad_option_is_one_line(capsys):
    assert main(["calibrate", "method=simplex"]) == 2
    err = capsys.readouterr().err.strip()
    assert "method=simplex" in err and "\n" not in err
