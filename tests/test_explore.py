"""`ketensim explore` without a browser: the explorer's model, its settings, the command's
errors and the results page's reading of a compare folder (both layouts)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _synthetic import COST_EFFECT, make_tables

pytest.importorskip("solara", reason="explore needs the viz extra: pip install -e '.[viz]'")

from experiments.cli import main
from experiments.explore.command import explore_settings, page_url
from experiments.explore.model import (
    KEEP,
    UNMET,
    WAIT_WEEKS,
    ExplorerModel,
    cost_column,
    file_spec,
    overrides_for,
)
from experiments.explore.results_page import (
    figure_by_financier,
    figure_trajectory,
    find_folders,
    load_results,
    mkba_table,
    paired_table,
)
from sim import SocialDomainModel, compose, run
from sim.config import ConfigError
from sim.params import FINANCIERS

SMALL = {"population": 1500, "years": 1, "burn_in_years": 1, "municipality": "small_town"}


def test_controls_become_overrides_and_default_keeps_the_profile():
    o = overrides_for(design="early_signalling", team_hours="20", approval_need_threshold=KEEP)
    assert "design=early_signalling" in o
    assert "municipality.team_hours_per_week_per_1000=20" in o
    assert not any("approval_need_threshold" in x for x in o)
    cfg = compose(
        overrides_for(
            design="early_signalling",
            case_holder_fte_per_1000="0.5",
            flat_contribution="10",
            chain_care=True,
        )
    )
    assert cfg.design.case_holder_fte_per_1000 == 0.5
    assert cfg.prices.eur["wmo_flat_contribution"] == 10
    assert cfg.design.levers.chain_care is True
    default = compose(overrides_for(design="early_signalling"))
    assert default.design.case_holder_fte_per_1000 == 0.25  # the design's own value


def test_explorer_model_matches_a_plain_run_week_by_week():
    """The progress hook and the wrapper change nothing: the weekly unmet need is the same as
    `sim.run` with the same settings (same seed), and the weekly costs add up to the ledger."""
    model = ExplorerModel(**SMALL, seed=3, background=False)
    assert model.ready and model.progress == 1.0
    if not hasattr(SocialDomainModel, "week"):  # the progress hook is in place
        assert model._burn_in_done == 52  # every burn-in week was reported
    weeks = 20
    for _ in range(weeks):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == weeks and list(frame["week"]) == list(range(1, weeks + 1))
    plain = run(compose(overrides_for(**SMALL, seed=3)))
    expected = plain.weekly["unmet_need_persons"].to_numpy()[:weeks]
    np.testing.assert_array_equal(frame[UNMET].to_numpy(), expected)
    cost = frame[[cost_column(f) for f in FINANCIERS]].sum(axis=1).to_numpy() * 1000.0
    ledger = plain.ledger.groupby("week")["eur"].sum().to_numpy()[:weeks]
    np.testing.assert_allclose(cost, ledger, rtol=1e-9)
    assert (frame.drop(columns="week").to_numpy() >= 0).all()
    window = plain.weekly.iloc[weeks - 4 : weeks]  # the wait plot pools four weeks' admissions
    pooled = window["waiting_weeks_sum"].sum() / window["admissions"].sum()
    assert frame[WAIT_WEEKS].iloc[-1] == pytest.approx(pooled)
    person = model.citizen(7)
    assert person.slot == 7 and isinstance(person.history, list)
    engaged = model.people_in_care_or_waiting()
    assert 0 < len(engaged) < model.n
    for i in engaged[:5]:
        view = model.citizen(int(i))
        assert view.receiving or view.waiting_for
    assert model.status().endswith(f"week {weeks} of 52")


def test_a_second_design_starts_from_the_kept_burn_in_and_matches_a_plain_run():
    first = ExplorerModel(**SMALL, seed=5, background=False)
    second = ExplorerModel(**SMALL, seed=5, design="yes_is_cheaper", background=False)
    assert not first.shared_burn_in and second.shared_burn_in
    for _ in range(8):
        second.step()
    plain = run(compose(overrides_for(**SMALL, seed=5, design="yes_is_cheaper")))
    np.testing.assert_array_equal(
        second.datacollector.get_model_vars_dataframe()[UNMET].to_numpy(),
        plain.weekly["unmet_need_persons"].to_numpy()[:8],
    )


def test_build_in_background_reports_progress_and_can_be_cancelled():
    model = ExplorerModel(**SMALL, seed=1)
    model.step()  # a step before the model is built is a no-op, not an error
    assert model.wait_until_ready(timeout=120)
    assert len(model.datacollector.get_model_vars_dataframe()) == 0
    model.step()
    assert len(model.datacollector.get_model_vars_dataframe()) == 1
    abandoned = ExplorerModel(**{**SMALL, "burn_in_years": 5}, seed=2)
    abandoned.cancel()
    assert not abandoned.wait_until_ready(timeout=120)
    assert abandoned.error == "cancelled" and "build failed" in abandoned.status()
    abandoned.step()  # still harmless


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["design=foo"], "design=foo: unknown design"),
        (["port=abc"], "port=abc: allowed: a whole number from 1 to 65535"),
        (["population=lots"], "population=lots: allowed"),
        (["municipality=atlantis"], "municipality=atlantis: unknown municipality"),
        (["colour=red"], "colour: unknown option"),
        (["results=/no/such/folder"], "results=/no/such/folder: no such folder"),
    ],
)
def test_bad_values_stop_with_one_line_and_exit_2(args, message, capsys):
    assert main(["explore", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_settings_of_the_command():
    settings, port, host = explore_settings(["port=8801", "design=yes_is_cheaper", "seed=4"])
    assert (port, host) == (8801, "localhost")
    assert settings["design"] == "yes_is_cheaper" and settings["seed"] == 4


def test_a_results_folder_opens_the_results_tab(tmp_path):
    args = ["port=8802", f"results={tmp_path}", f"results_root={tmp_path.parent}"]
    settings, port, host = explore_settings(args)
    assert page_url(host, port, settings) == "http://localhost:8802/results"
    plain, port, host = explore_settings(["port=8802"])
    assert page_url(host, port, plain) == "http://localhost:8802/"


EXAMPLE_FILE = str(
    Path(__file__).resolve().parent.parent / "scenarios/municipality/examples/my_municipality.csv"
)


def test_the_page_loads_a_municipality_file_and_says_when_it_cannot(tmp_path):
    assert file_spec(f" {EXAMPLE_FILE} ") == file_spec(f"file:{EXAMPLE_FILE}")
    model = ExplorerModel(**SMALL, municipality_file=EXAMPLE_FILE)
    model.cancel()
    assert model.config.municipality.name == "Voorbeeldstad" and model.notice is None
    bad = tmp_path / "bad.csv"
    bad.write_text("cbs_code,name\nGM0001,X\n", encoding="utf-8")
    fallback = ExplorerModel(**SMALL, municipality_file=str(bad))
    fallback.cancel()
    assert (
        fallback.config.municipality.name == compose(["municipality=small_town"]).municipality.name
    )
    assert "municipality file not used" in fallback.status() and "bad.csv" in fallback.status()


def _write_compare(folder, variant_layout: bool, mkba: bool = False):
    runs, outcomes = make_tables(replications=6, years=3)
    if variant_layout:  # the variant layout: a variant column beside the design
        outcomes = outcomes.assign(variant=outcomes["design"].map(lambda d: f"{d}+x"))
        runs = runs.assign(variant=runs["design"].map(lambda d: f"{d}+x"))
    folder.mkdir()
    outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    runs.to_parquet(folder / "runs.parquet", index=False)
    base = "gatekeeping+x" if variant_layout else "gatekeeping"
    (folder / "compare.json").write_text(json.dumps({"baseline": base}))
    if mkba:  # the cost-benefit table per actor, as compare writes it
        from experiments.report import mkba as mkba_module

        by_variant = outcomes.drop(columns="design").rename(columns={"variant": "design"})
        table = mkba_module.societal_table(by_variant, baseline=base, inhabitants=50_000)
        table.insert(0, "variant", table["design"])
        table.to_csv(folder / "societal_cost_benefit.csv", index=False)
    return folder


@pytest.mark.parametrize("variant_layout", [False, True])
def test_results_page_reads_both_layouts(tmp_path, variant_layout):
    folder = _write_compare(tmp_path / "cmp", variant_layout, mkba=variant_layout)
    res = load_results(folder, tmp_path)
    suffix = "+x" if variant_layout else ""
    assert res.baseline == f"gatekeeping{suffix}"
    assert set(res.variants) == {f"{d}{suffix}" for d in COST_EFFECT} | {res.baseline}
    assert res.replications == 6
    # the paired difference per financier recovers the synthetic design effect's sign
    paired = res.paired.set_index(["design", "outcome"])["median"]
    youth = paired[
        (f"early_signalling{suffix}", "cost_by_financier__youth_eur_per_inhabitant_per_year")
    ]
    wmo = paired[(f"yes_is_cheaper{suffix}", "cost_by_financier__wmo_eur_per_inhabitant_per_year")]
    assert youth < -20 and wmo > 30
    assert (res.mkba is not None) == variant_layout
    if variant_layout:
        readable = mkba_table(res, "nl")
        assert "Gemeente (Wmo, Jeugd, Participatie, Welzijn)" in set(readable["actor"])
        assert set(readable["oordeel"]) <= {"baat", "kost", "onzeker"}
    for lang in ("nl", "en"):
        fig = figure_by_financier(res, lang)
        assert fig._suptitle.get_text()  # the finding is the title
        traj = figure_trajectory(res, "total_chain_cost_eur_per_inhabitant_per_year", lang)
        assert len(traj.axes[0].get_lines()) == 3
        table = paired_table(res, lang)
        assert len(table) == 2 * (len(FINANCIERS) + 1)
    assert "€ " in paired_table(res, "nl").iloc[0, 2]  # Dutch euro format
    assert str(folder) in find_folders(tmp_path)


def test_results_page_tolerates_a_folder_with_only_tables_or_figures(tmp_path):
    only_csv = tmp_path / "old"
    only_csv.mkdir()
    _, outcomes = make_tables(replications=3, years=2)
    from experiments import stats

    stats.paired_differences(outcomes).to_csv(only_csv / "paired_differences.csv", index=False)
    res = load_results(only_csv, tmp_path)
    assert res.outcomes is None and res.paired is not None and len(res.variants) == 3
    figure_by_financier(res, "en")
    sensitivity = tmp_path / "sa"
    (sensitivity / "figures").mkdir(parents=True)
    pd.DataFrame({"factor": ["a"], "mu_star": [1.0]}).to_csv(sensitivity / "morris.csv")
    (sensitivity / "figures" / "morris.png").write_bytes(b"\x89PNG")
    sa = load_results(sensitivity, tmp_path)
    assert sa.outcomes is None and sa.paired is None
    assert [p.name for p in sa.tables] == ["morris.csv"]
    assert [p.name for p in sa.figures] == ["morris.png"]
    (sensitivity / "report.html").write_text("<html></html>")
    assert str(sensitivity) in find_folders(tmp_path)
    empty = load_results(tmp_path / "missing", tmp_path)
    assert empty.outcomes is None and empty.paired is None and empty.variants == []


def test_live_plot_titles_state_the_level_and_the_four_week_change():
    from experiments.explore.app import PLOTS, chart_option, headline

    assert headline("Unmet need", [100, 90, 95, 99, 110], "persons") == (
        "Unmet need: 110 persons (+10% in 4 weeks)"
    )
    assert headline("Queues", [], "for intake") == "Queues: press Step or Play"
    cost_plot = next(p for p in PLOTS if p["title"] == "Cost by financier")
    frame = pd.DataFrame({"week": [1, 2], **{c: [1.0, 2.0] for c in cost_plot["series"]}})
    option = chart_option(frame, cost_plot)
    assert option["xAxis"]["data"] == [1, 2]
    assert [s["name"] for s in option["series"]] == list(FINANCIERS)
    n = len(FINANCIERS)
    assert option["title"]["text"].startswith(f"Cost by financier: {2 * n} thousand/week")
    queues = next(p for p in PLOTS if p["title"] == "Queues")
    frame = pd.DataFrame({"week": [1], **{c: [k * 10.0] for k, c in enumerate(queues["series"])}})
    assert chart_option(frame, queues)["title"]["text"] == (
        "Queues: 0 for intake, 10 on providers' lists"
    )


# ---------------------------------------------------------------------------------------------
# Security (issue 28): a results root, no open host by accident, a population cap, clean stop
# ---------------------------------------------------------------------------------------------


def test_results_page_refuses_paths_outside_its_root(tmp_path):
    """Folders outside the root, symlinks that lead out of it, and `~` are not read; a
    figure inside an allowed folder that links outside is not shown."""
    import os

    root = tmp_path / "results"
    root.mkdir()
    inside = _write_compare(root / "cmp", False, mkba=False)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.csv").write_text("user,password\nadmin,hunter2\n")
    (secret / "private.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert load_results(inside, root).outside is False
    for folder in (secret, root / ".." / "secret", "~", "/etc"):
        res = load_results(folder, root)
        assert res.outside and res.tables == [] and res.figures == [], folder
    os.symlink(secret, root / "link")
    assert load_results(root / "link", root).outside
    assert str(root / "link") not in find_folders(root)
    os.symlink(secret / "private.png", inside / "leak.png")
    assert [p.name for p in load_results(inside, root).figures if p.name == "leak.png"] == []


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::", "*"])
def test_wildcard_host_needs_allow_remote(host):
    with pytest.raises(ConfigError, match="allow_remote=true"):
        explore_settings([f"host={host}"])
    settings, _, got = explore_settings([f"host={host}", "allow_remote=true"])
    assert got == host and settings["remote"] is True


def test_results_outside_the_root_is_refused_at_start(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(ConfigError, match="outside results_root"):
        explore_settings([f"results={tmp_path / 'elsewhere'}", f"results_root={tmp_path}/results"])


def test_explorer_model_caps_the_population(monkeypatch):
    """The page's controls are only hints to the browser: the model itself refuses a
    population above the cap, and a municipality the command did not offer."""
    monkeypatch.delenv("KETENSIM_EXPLORE", raising=False)
    with pytest.raises(ConfigError, match="cap of 200,000"):
        ExplorerModel(population=10_000_000, background=False)
    with pytest.raises(ConfigError, match="municipality=file:/dev/zero"):
        ExplorerModel(municipality="file:/dev/zero", population=1500, background=False)
    monkeypatch.setenv("KETENSIM_EXPLORE", json.dumps({"max_population": 1000}))
    with pytest.raises(ConfigError, match="cap of 1,000"):
        ExplorerModel(population=1500, background=False)


def test_sigterm_stops_the_server_and_frees_the_port(tmp_path):
    """SIGTERM to `ketensim explore` stops the solara server it started: the port is free."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", "explore", f"port={port}", "host=127.0.0.1"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        deadline = time.monotonic() + 90
        while not listening() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert listening(), "the server never started"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        deadline = time.monotonic() + 10
        while listening() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not listening()
    finally:
        proc.kill()
