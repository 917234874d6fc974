"""`ketensim explore` in a real browser: Debian's chromium, driven by playwright, opens the
page, changes a control, steps the model and sees the plots change; then reads a compare
folder on the Results page in Dutch and English. Screenshots are kept as test artefacts in
results/explore_browser_test/ (the path is printed).

Skipped, with the reason, only where chromium or the viz extra is missing outside CI; under
CI (`CI` set) a missing browser fails the test (.ci/run installs it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from _browser import chromium, missing

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "results" / "explore_browser_test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`ketensim explore` on a free port, with a small model and a synthetic compare folder."""
    for module in ("solara", "playwright", "mesa.visualization"):
        try:
            __import__(module)
        except ImportError:
            missing(f"{module} is not installed (pip install -e '.[dev]')")
    from _synthetic import make_tables

    folder = tmp_path / "compare"
    folder.mkdir()
    runs, outcomes = make_tables(replications=5, years=3)
    outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    runs.to_parquet(folder / "runs.parquet", index=False)
    port = _free_port()
    args = [sys.executable, "-m", "experiments.cli", "explore", f"port={port}", "host=127.0.0.1"]
    args += ["population=2000", "years=2", "burn_in_years=1", f"results={folder}"]
    args += [f"results_root={tmp_path}"]  # the page reads only folders under its root
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115  (closed below)
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(
                        f"the server did not start: {(tmp_path / 'server.log').read_text()[-2000:]}"
                    )
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
        log.close()


def test_explore_page_in_chromium(server):
    from playwright.sync_api import sync_playwright

    browser_path = chromium()
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SHOTS}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1250})
        page.set_default_timeout(30_000)
        page.goto(server)
        page.get_by_text("press Step or Play to simulate weeks").wait_for()
        page.screenshot(path=SHOTS / "01_built.png")

        # change a control: the design, then Reset builds the new model in the background
        page.locator(".v-select", has_text="Design").first.click()
        page.get_by_role("option", name="early_signalling").click()
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("early_signalling: week 0 of 104").wait_for()
        page.get_by_text("press Step or Play to simulate weeks").wait_for()

        plot = page.locator(".ketensim-plot").first
        before = plot.screenshot()
        seconds = []
        for week in range(1, 6):
            start = time.perf_counter()
            page.get_by_role("button", name="Step").click()
            page.get_by_text(f"early_signalling: week {week} of 104").wait_for()
            page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )
            seconds.append(time.perf_counter() - start)
        after = plot.screenshot()
        assert before != after, "the unmet-need plot did not change after five weeks"
        print(f"step and redraw (2,000 people): {', '.join(f'{s:.2f}' for s in seconds)} s")
        assert min(seconds) < 2.0

        page.get_by_text("(slot 0)").wait_for()
        page.get_by_role("button", name="Someone in care or waiting").click()
        page.get_by_text("(slot 0)").wait_for(state="detached")
        body = page.inner_text("body")
        assert "receiving: nothing\n" not in body or "waiting for: nothing\n" not in body
        page.screenshot(path=SHOTS / "02_stepped.png")

        page.get_by_role("tab", name="Results").click()
        page.get_by_text("Resultaten van een vergelijking").wait_for()
        page.locator("img").first.wait_for()
        page.screenshot(path=SHOTS / "03_results_nl.png", full_page=True)
        page.get_by_role("button", name="en", exact=True).click()
        page.get_by_text("Results of a comparison").wait_for()
        page.get_by_text("Social cost-benefit per actor").wait_for()
        page.screenshot(path=SHOTS / "04_results_en.png", full_page=True)
        browser.close()
