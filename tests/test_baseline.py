"""Numeric regression baseline: every design's summary outcomes, bit for bit.

A change that is meant to keep results (a refactor, a speed-up) must keep this test green.
A change that is meant to alter results regenerates the baseline on purpose and says why in
its commit message:

    .venv/bin/python tests/test_baseline.py --regenerate
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

BASELINE = Path(__file__).with_name("baseline.json")
DESIGNS = ("gatekeeping", "early_signalling", "yes_is_cheaper")
SEEDS = (1, 2)
SETTING = [
    "municipality=small_town",
    "population=3000",
    "years=2",
    "burn_in_years=1",
    "record_events=false",
    "progress=false",
]


def simulate(design: str, seed: int) -> dict[str, float]:
    """Summary outcomes of one small run (full float precision)."""
    from sim import compose, run

    return dict(run(compose([*SETTING, f"design={design}", f"seed={seed}"])).summary)


def regenerate() -> None:
    """Write tests/baseline.json from the current model."""
    stored = {
        "setting": SETTING,
        "runs": {f"{d}/{s}": simulate(d, s) for d in DESIGNS for s in SEEDS},
    }
    BASELINE.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {BASELINE} ({len(stored['runs'])} runs)")


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("seed", SEEDS)
def test_summary_matches_stored_baseline(design: str, seed: int) -> None:
    stored = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert stored["setting"] == SETTING, "baseline setting changed: regenerate on purpose"
    expected = stored["runs"][f"{design}/{seed}"]
    got = simulate(design, seed)
    assert sorted(got) == sorted(expected), "outcome names changed"
    differ = {
        k: (expected[k], got[k])
        for k in expected
        if not (got[k] == expected[k] or (math.isnan(got[k]) and math.isnan(expected[k])))
    }
    assert not differ, f"{len(differ)} outcomes differ from the baseline, e.g. " + str(
        dict(list(differ.items())[:3])
    )


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_baseline.py --regenerate")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    regenerate()
