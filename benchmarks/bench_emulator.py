"""Emulator-based Sobol indices against the direct Sobol analysis of the model, on a small town.

    .venv/bin/python benchmarks/bench_emulator.py [--factors onset,growth,help_effect,unit_prices]
        [--n 32] [--points 40] [--holdout 12] [--replications 2] [--workers 2] [--out DIR]
        [--quick]

Runs `ketensim sensitivity` twice on the same uncertainties (a subset of
scenarios/uncertainty/default.yaml), the same design (gatekeeping) and the same setting
(small_town, 3,000 people, 3 years after the burn-in, seed 1):

* `method=sobol` with n base samples (n x (D + 2) points x R replications): the reference;
* `method=emulator` with `points` + `holdout` points x R replications.

It prints, per output (total chain cost, unmet need) and factor, both S1 and ST with their 95%
intervals, whether the intervals overlap, the runs and the wall time of each, and writes the
same as JSON (out/bench_emulator.json). Both runs resume from `out`. `--quick` checks the
script (300 people, 1 year, tiny designs).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from experiments.cli import main as ketensim
from experiments.sensitivity.core import TOTAL, UNMET
from experiments.sensitivity.factors import UNCERTAINTY_DIR


def _subset(names: list[str], path: Path) -> Path:
    raw = yaml.safe_load((UNCERTAINTY_DIR / "default.yaml").read_text())
    table = raw["uncertainties"]
    missing = [n for n in names if n not in table]
    if missing:
        raise SystemExit(f"unknown factors {missing}; allowed: {', '.join(table)}")
    path.write_text(yaml.safe_dump({"uncertainties": {n: table[n] for n in names}}))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--factors", default="onset,growth,help_effect,unit_prices")
    ap.add_argument("--n", type=int, default=32)
    ap.add_argument("--points", type=int, default=40)
    ap.add_argument("--holdout", type=int, default=12)
    ap.add_argument("--replications", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="bench_emulator_"))
    out.mkdir(parents=True, exist_ok=True)
    unc = _subset(args.factors.split(","), out / "uncertainty.yaml")
    model = (
        ["municipality=small_town", "population=300", "years=1", "burn_in_years=0"]
        if args.quick
        else ["municipality=small_town", "population=3000", "years=3"]
    )
    common = [
        f"uncertainty={unc}",
        "designs=gatekeeping",
        f"replications={args.replications}",
        f"workers={args.workers}",
        "seed=1",
        *model,
    ]
    n = 4 if args.quick else args.n
    timings = {}
    t0 = time.perf_counter()
    code = ketensim(
        ["sensitivity", "method=sobol", f"n={n}", "double=false", f"out={out / 'sobol'}", *common]
    )
    timings["sobol_s"] = time.perf_counter() - t0
    assert code == 0, "direct Sobol failed"
    t0 = time.perf_counter()
    points, holdout = (8, 4) if args.quick else (args.points, args.holdout)
    code = ketensim(
        [
            "sensitivity",
            "method=emulator",
            f"points={points}",
            f"holdout={holdout}",
            f"out={out / 'emulator'}",
            *common,
        ]
    )
    timings["emulator_s"] = time.perf_counter() - t0
    assert code == 0, "emulator failed"
    direct = pd.read_csv(out / "sobol" / "sobol_indices.csv")
    emu = pd.read_csv(out / "emulator" / "emulator_sobol_indices.csv")
    outputs = [f"gatekeeping__{TOTAL}", f"gatekeeping__{UNMET}"]
    m = direct.merge(emu, on=["output", "factor"], suffixes=("_direct", "_emulator"))
    m = m[m["output"].isin(outputs)]
    for k in ("S1", "ST"):
        lo_d, hi_d = (
            m[f"{k}_direct"] - m[f"{k}_conf_direct"],
            m[f"{k}_direct"] + m[f"{k}_conf_direct"],
        )
        lo_e = m[f"{k}_emulator"] - m[f"{k}_conf_emulator"]
        hi_e = m[f"{k}_emulator"] + m[f"{k}_conf_emulator"]
        m[f"{k}_overlap"] = (lo_d <= hi_e) & (lo_e <= hi_d)
    rep_s = json.loads((out / "sobol" / "report.json").read_text())["sobol"]
    rep_e = json.loads((out / "emulator" / "report.json").read_text())["emulator"]
    cols = ["output", "factor"] + [
        f"{k}{s}"
        for k in ("S1", "ST")
        for s in ("_direct", "_conf_direct", "_emulator", "_conf_emulator", "_overlap")
    ]
    shown = m[cols].copy()
    shown["output"] = (
        shown["output"].str.replace("gatekeeping__", "").str.split("_").str[:2].str.join("_")
    )
    pd.set_option("display.width", 200)
    print(shown.round(3).to_string(index=False))
    result = {
        "setting": model,
        "factors": args.factors.split(","),
        "replications": args.replications,
        "direct": {"n": n, "runs": rep_s["runs"], "wall_s": timings["sobol_s"]},
        "emulator": {
            "runs": rep_e["runs"],
            "training_points": rep_e["training_points"],
            "holdout_points": rep_e["holdout_points"],
            "validation": rep_e["validation"],
            "wall_s": timings["emulator_s"],
        },
        "overlap_share": {k: float(m[f"{k}_overlap"].mean()) for k in ("S1", "ST")},
        "table": m[cols].to_dict(orient="records"),
    }
    (out / "bench_emulator.json").write_text(json.dumps(result, indent=2, default=float) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "table"}, indent=2, default=float))


if __name__ == "__main__":
    main()
