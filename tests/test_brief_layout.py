"""The brief in a real browser (Debian's chromium, driven by playwright): at a laptop's width
every table sits inside the text column, in Dutch and English, with the euro amounts of a
municipality of 80,000 (the README's main job showed a Dutch table sticking out: two
'Terugverdiend' headers that could not wrap).

Skipped, with the reason, only where chromium or playwright is missing outside CI; under CI
(`CI` set) a missing browser fails the test (.ci/run installs it)."""

from __future__ import annotations

import pytest
from _browser import chromium, missing
from _synthetic import make_tables

from experiments.report.brief import write_brief

# every table's right edge against the text column's (main's content box), in CSS pixels
OVERFLOW = """() => {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  const right = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
  return [...main.querySelectorAll('table')].map(
    (t) => [t.getBoundingClientRect().right - right, t.innerText.slice(0, 60)]
  );
}"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_table_of_the_brief_fits_the_text_column(tmp_path, lang):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[dev]')")
    runs, outcomes = make_tables(replications=4, years=6, population=80_000)
    page_path = write_brief(  # the tables are checked: no figures
        tmp_path, runs, outcomes, {}, lang, meta={"inhabitants": 80_000}, baseline="gatekeeping"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(page_path.resolve().as_uri())
            edges = page.evaluate(OVERFLOW)
        finally:
            browser.close()
    assert edges, "no table in the brief"
    wide = [(round(px), head) for px, head in edges if px > 1.0]
    assert not wide, f"tables wider than the text column (px beyond it, first words): {wide}"
