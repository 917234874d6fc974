"""Every bad input gets one line naming what is wrong and what is allowed, exit code 2, no
traceback, and nothing runs: one table of input -> expected message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from experiments.cli import main

AGES = "1890,3780,2925,2610,11700,12150,5310,3420,1215"
HEADER = (
    "cbs_code,name,inhabitants_0_3,inhabitants_4_11,inhabitants_12_17,inhabitants_18_22,"
    "inhabitants_23_44,inhabitants_45_64,inhabitants_65_74,inhabitants_75_84,inhabitants_85plus"
)


# nine levels of nine aliases: 9**9 (387 million) values once expanded
_ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def _files(tmp: Path) -> dict[str, Path]:
    """The bad files of the table, written into `tmp`."""
    files = {
        "a_file": "just text\n",
        "binary.csv": b"\x7fELF\x02\x01\x01\x00\x00\x00" * 40,
        "duplicate.csv": f"{HEADER}\nGM0001,A,{AGES}\nGM0001,B,{AGES}\n",
        "fraction.csv": f"{HEADER}\nGM0001,A,{AGES.replace('11700', '11.7')}\n",
        "english_thousands.csv": HEADER + "\nGM0001,A," + AGES.replace("11700", '"11,700"') + "\n",
        "syntax.yaml": "uncertainties:\n  a: {keys: [x, y\n",
        "list_entry.yaml": "uncertainties:\n  a: [1, 2]\n",
        "infinite.yaml": (
            "uncertainties:\n  a: {keys: [design.intake_hours], low: -.inf, high: .inf}\n"
        ),
        "outside.yaml": "uncertainties:\n  a: {keys: [design.approval_base], low: 5, high: 10}\n",
        "negative_scale.yaml": (
            "uncertainties:\n  a: {keys: [design.intake_hours], kind: scale, low: -1, high: 2}\n"
        ),
        "bad_experiment.yaml": "variants:\n  a: {design: nope}\n",
        "experiment_seed.yaml": "variants:\n  a: {design: gatekeeping, overrides: {seed: 3}}\n",
        # issue 28: duplicates, bombs, tags, inf cells
        "dup_variants.yaml": (
            "variants:\n  a: {design: gatekeeping}\n  a: {design: early_signalling}\n"
        ),
        "unknown_top.yaml": "colour: red\nvariants:\n  a: {design: gatekeeping}\n",
        "dup_uncertainty.yaml": (
            "uncertainties:\n  a: {keys: [design.intake_hours], low: 1, high: 2}\n"
            "  a: {keys: [design.intake_hours], low: 2, high: 3}\n"
        ),
        "alias_bomb.yaml": _ALIAS_BOMB,
        "python_tag.yaml": "method: !!python/object/apply:os.system ['touch pwned']\n",
        "dup_columns.csv": f"{HEADER},inhabitants_0_3\nGM0001,A,{AGES},1000000\n",
        "inf.csv": f"{HEADER}\nGM0001,A,{AGES.replace('1890', 'inf')}\n",
    }
    out = {}
    for name, body in files.items():
        path = tmp / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
        out[name] = path
    return out


# (argv with {name} for a file above and {tmp} for the folder, expected part of the message)
CASES: list[tuple[list[str], str]] = [
    # municipality files
    (["run", "municipality=file:{binary.csv}"], "not a text (CSV) file"),
    (["run", "municipality=file:"], "no file named after file:"),
    (["run", "municipality=file:{tmp}"], "is a folder; allowed: a CSV file"),
    (["run", "municipality=file:{duplicate.csv}@GM0001"], "GM0001 appears in 2 rows"),
    (["run", "municipality=file:{fraction.csv}"], "'11.7' is not a whole number"),
    (["run", "municipality=file:{english_thousands.csv}"], "'11,700' is not a whole number"),
    (["run", "municipality=file:{tmp}/none.csv"], "no such file"),
    # out= (checked before any simulation)
    (["run", "population=100", "out={a_file}"], "is a file, not a folder"),
    (["run", "population=100", "out={a_file}/below"], "is a file, not a folder"),
    (["run", "population=100", "out=/proc/ketensim-test"], "cannot write there"),
    (["compare", "out={a_file}"], "out="),
    (["sensitivity", "out={a_file}/x"], "is a file, not a folder"),
    (["validate", "out={a_file}"], "is a file, not a folder"),
    (["calibrate", "out={a_file}"], "is a file, not a folder"),
    # worker counts
    (["compare", "workers=abc"], "workers=abc: allowed: a whole number of at least 1"),
    (["compare", "workers=0"], "workers=0: allowed"),
    (["compare", "workers=-2"], "workers=-2: allowed"),
    (["sensitivity", "workers=abc"], "workers=abc: allowed"),
    (["validate", "workers=x"], "workers=x: allowed"),
    (["calibrate", "workers=x"], "workers=x: allowed"),
    # switches and numbers
    (["run", "record_events=2"], "record_events=2: not a switch; allowed: true, false"),
    (["run", "design.levers.chain_care=7"], "chain_care=7: not a switch"),
    (["sensitivity", "threshold=5"], "threshold=5: allowed: a number from 0 to 1"),
    (["sensitivity", "double=maybe"], "double=maybe: not a switch"),
    (["compare", "replications=two"], "replications=two: allowed: a whole number"),
    (["compare", "lang=fr"], "lang=fr: allowed: nl, en"),
    # uncertainty files
    (["sensitivity", "uncertainty={syntax.yaml}"], "not valid YAML"),
    (["sensitivity", "uncertainty={list_entry.yaml}"], "uncertainty a: a list; allowed: a mapping"),
    (["sensitivity", "uncertainty={infinite.yaml}"], "allowed: finite numbers"),
    (["sensitivity", "uncertainty={outside.yaml}"], "wholly outside its allowed values"),
    (["sensitivity", "uncertainty={negative_scale.yaml}"], "scale low=-1; allowed"),
    # experiments and variants
    (["compare", "experiment=nope"], "experiment=nope: no such experiment file; allowed: levers"),
    (["compare", "experiment={bad_experiment.yaml}"], "design=nope; allowed: gatekeeping"),
    (["compare", "experiment={experiment_seed.yaml}"], "seed cannot differ between variants"),
    (["compare", "variants=gatekeeping+nope"], "unknown lever nope; allowed: chain_care"),
    (["compare", "variants=nope"], "unknown design nope"),
    (["compare", "experiment=levers", "designs=gatekeeping"], "allowed: one of experiment"),
    (["compare", "experiment=levers", "baseline=nope"], "baseline=nope: not a variant"),
    (["compare", "designs=gatekeeping,gatekeeping"], "named twice"),
    (["compare", "designs=gatekeeping,nope"], "unknown design nope"),
    (["compare", "sensitivity={tmp}/none"], "no sensitivity report there"),
    # issue 28 -- duplicates: the last would win silently
    (["run", "population=1500", "population=2000"], "population: given twice"),
    (["compare", "variants=gatekeeping", "variants=yes_is_cheaper"], "variants: given twice"),
    (["compare", "workers=1", "workers=2"], "workers: given twice"),
    (["compare", "experiment={dup_variants.yaml}"], "key 'a' given twice"),
    (["compare", "experiment={unknown_top.yaml}"], "unknown key colour; allowed: variants"),
    (["sensitivity", "uncertainty={dup_uncertainty.yaml}"], "key 'a' given twice"),
    (["run", "municipality=file:{dup_columns.csv}"], "column 'inhabitants_0_3' appears twice"),
    # issue 28 -- resource bombs: refused before anything is allocated
    (["compare", "replications=1000000000"], "allowed: a whole number of at least 2 and at most"),
    (["compare", "max_replications=1000000000"], "max_replications=1000000000: allowed"),
    (["sensitivity", "samples=1000000000"], "samples=1000000000: allowed"),
    (["sensitivity", "method=discovery", "samples=100000"], "model runs; allowed: at most"),
    (["compare", "experiment={alias_bomb.yaml}"], "expands to more than 100,000 values"),
    (["sensitivity", "uncertainty={alias_bomb.yaml}"], "expands to more than"),
    (["calibrate", "config={alias_bomb.yaml}"], "expands to more than"),
    (["run", "municipality=file:/dev/zero"], "not a regular file"),
    (["compare", "workers=99999999999999999999"], "at most 1024"),
    (["compare", "population=10000000", "workers=1024"], "GB of memory"),
    # issue 28 -- former tracebacks
    (["run", "municipality=file:{inf.csv}"], "'inf' is not a number"),
    (["calibrate", "config={python_tag.yaml}"], "a !!python/ tag; allowed: plain YAML"),
    (["compare", "experiment={python_tag.yaml}"], "a !!python/ tag"),
    (["compare", "backend=dask", "address=tcp://127.0.0.1:1"], "no Dask scheduler answers"),
    (["compare", "backend=dask", "address="], "address=: not a scheduler address"),
    (["validate", "docs={tmp}/missing/validation.md"], "missing does not exist"),
    (["calibrate", "write={tmp}/missing/calibrated.yaml"], "missing does not exist"),
    (["calibrate", "method=history_matching", "waves=-1"], "needs waves >= 0"),
    # issue 28 -- misleading or ignored
    (["run", "design.signal_threshold=0.3"], "a parameter of early_signalling, not of design"),
    (["run", "municipality.care_finding_places_per_10000=3"], "+municipality.care_finding"),
    (["run", "population=1.5e3"], "not a whole number; allowed: a whole number"),
    (["run", "out="], "out=: empty"),
    (["compare", "out="], "out=: empty"),
    (["compare", "address=tcp://127.0.0.1:1"], "goes with backend=dask"),
    (["run", "hydra.run.dir=elsewhere"], "Hydra's own settings are not used"),
    (["compare", "sensitivity=/etc/passwd"], "no sensitivity report there"),
    (["compare", "seed=9223372036854775807"], "allowed: a seed of at most"),
    (["sensitivity", "seed=9223372036854775807"], "allowed: a seed of at most"),
    (["explore", "host=0.0.0.0"], "add allow_remote=true"),
    (["explore", "host="], "add allow_remote=true"),
    (["explore", "population=300000"], "population=300000: allowed: a whole number from 100"),
    (["explore", "results=/etc"], "outside results_root"),
]


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_input_one_line_exit_2(argv, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written outside tmp_path
    files = _files(tmp_path)
    names = {k: str(v) for k, v in files.items()} | {"tmp": str(tmp_path)}
    args = []
    for a in argv:
        for key, value in names.items():
            a = a.replace("{" + key + "}", value)
        args.append(a)
    before = set(os.listdir(tmp_path))
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ketensim: error: ")
    assert "\n" not in err, err
    assert "Traceback" not in err
    assert expected in err, err
    assert set(os.listdir(tmp_path)) == before  # no output folder, nothing simulated


def test_dutch_semicolon_latin1_file_is_read_as_meant(tmp_path):
    from sim.config import compose

    header = HEADER.replace(",", ";") + ";income_low_share;wmo_budget_eur"
    ages = "1.890;3.780;2.925;2.610;11.700;12.150;5.310;3.420;1.215"
    text = f"{header}\nGM0001;Súdwest;{ages};0,38;15.750.000\n"
    path = tmp_path / "gemeente_nl.csv"
    path.write_bytes(text.encode("cp1252"))
    m = compose([f"municipality=file:{path}"]).municipality
    assert m.name == "Súdwest"
    assert m.inhabitants == 45_000  # thousands separators, not 45 people
    assert m.income_shares[0] == pytest.approx(0.38)
    assert m.wmo_budget_eur_per_inhabitant == pytest.approx(350.0)
