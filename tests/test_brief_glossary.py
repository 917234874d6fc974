"""The brief explains the terms a council member meets in it (persoonsweken, escalaties,
welzijnsindex, contante waarde, ...) in a glossary, in both languages."""

from __future__ import annotations

import re

import pytest
from _synthetic import make_tables

from experiments.report.brief import glossary, write_brief

TERMS = {
    "nl": ("persoonsweken", "escalaties", "welzijn", "contante waarde", "terugverdientijd"),
    "en": ("person-weeks", "escalations", "wellbeing", "present value", "payback"),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_terms_used_in_the_brief_are_in_its_glossary(tmp_path, lang):
    runs, outcomes = make_tables(replications=3, years=3, population=4_000)
    page = write_brief(
        tmp_path, runs, outcomes, lang=lang, baseline="gatekeeping", meta={"inhabitants": 4_000}
    ).read_text(encoding="utf-8")
    body, _, glossary_part = page.partition('<dl class="how">')
    defined = [e["term"].lower() for e in glossary(lang)]
    for term in TERMS[lang]:
        assert term in body.lower(), f"{term!r} is not used before the glossary"
        assert any(term in d for d in defined), f"{term!r} is not explained"
    shown = re.findall(r"<dt>([^<]*)</dt>", glossary_part)
    assert [s.lower() for s in shown[: len(defined)]] == defined
