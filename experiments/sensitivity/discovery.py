"""Scenario discovery: in which region of the uncertainties does each design win?

Over a Latin hypercube of the uncertainties, each point gets a winner (the design with the
lowest replication-mean total chain cost; and, separately, the lowest unmet need). A shallow
classification tree (scikit-learn) splits the space into boxes with one predicted winner each;
every leaf is reported as a readable rule with its density (share of points in the box where
the design really wins) and coverage (share of all the design's wins that fall in the box).
With `ema_workbench` installed, PRIM (`method=prim`) finds one box per design instead.
scikit-learn comes with the core install; ema_workbench is optional:
`pip install -e ".[discovery]"`.

`save_ema_results` writes experiments and outcomes in the layout of
`ema_workbench.save_results` (tar.gz with experiments.csv, one CSV per scalar outcome and
metadata.json), so `ema_workbench.load_results` reads it.
"""

from __future__ import annotations

import io
import json
import math
import tarfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

_MISSING = (
    "scenario discovery needs scikit-learn for method=tree (part of the core install: "
    '`pip install -e .` again) or ema_workbench for method=prim (pip install -e ".[discovery]")'
)


def require_library(method: str = "tree") -> None:
    """Raise ImportError (with how to install it) now, before any run, when the library that
    scenario discovery's `method` needs is missing: a long study must not fail at its end."""
    import importlib.util

    from experiments.sensitivity.surrogates import require_sklearn

    if method == "tree":
        require_sklearn("scenario discovery (method=tree)")
    elif importlib.util.find_spec("ema_workbench") is None:
        raise ImportError(_MISSING)


def winners(means: pd.DataFrame, designs: Sequence[str], outcome: str) -> pd.Series:
    """Per point the design with the lowest value of `outcome` (replication means)."""
    cols = [f"{d}__{outcome}" for d in designs]
    values = means[cols].to_numpy(dtype=float)
    return pd.Series(np.asarray(designs)[np.nanargmin(values, axis=1)], index=means.index)


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def tree_boxes(
    X: pd.DataFrame,
    winner: pd.Series,
    max_depth: int = 3,
    min_leaf_share: float = 0.05,
    seed: int = 1,
    labels: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Leaves of a classification tree as boxes; and the tree's feature importances."""
    try:
        from sklearn.tree import DecisionTreeClassifier
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        raise ImportError(_MISSING) from exc
    labels = labels or {}
    names = list(X.columns)
    y = winner.to_numpy()
    clf = DecisionTreeClassifier(
        max_depth=max_depth,
        min_samples_leaf=max(3, math.ceil(min_leaf_share * len(X))),
        random_state=seed,
    )
    clf.fit(X.to_numpy(dtype=float), y)
    tree = clf.tree_
    lo = {n: float(X[n].min()) for n in names}
    hi = {n: float(X[n].max()) for n in names}
    leaf_of = clf.apply(X.to_numpy(dtype=float))
    totals = pd.Series(y).value_counts()
    rows = []

    def walk(node: int, bounds: dict[str, tuple[float, float]], conds: list[str]) -> None:
        if tree.children_left[node] == -1:
            inside = leaf_of == node
            counts = pd.Series(y[inside]).value_counts()
            design = str(clf.classes_[int(np.argmax(tree.value[node][0]))])
            n_in = int(inside.sum())
            wins = int(counts.get(design, 0))
            rows.append(
                {
                    "box": len(rows) + 1,
                    "winner": design,
                    "n_points": n_in,
                    "density": wins / n_in if n_in else math.nan,
                    "coverage": wins / int(totals.get(design, 1)),
                    "rule": " and ".join(conds) if conds else "everywhere",
                    **{f"{n}__low": bounds[n][0] for n in names},
                    **{f"{n}__high": bounds[n][1] for n in names},
                }
            )
            return
        name = names[int(tree.feature[node])]
        t = float(tree.threshold[node])
        a, b = bounds[name]
        label = labels.get(name, name)
        walk(
            int(tree.children_left[node]),
            {**bounds, name: (a, min(b, t))},
            [*conds, f"{label} <= {_fmt(t)}"],
        )
        walk(
            int(tree.children_right[node]),
            {**bounds, name: (max(a, t), b)},
            [*conds, f"{label} > {_fmt(t)}"],
        )

    walk(0, {n: (lo[n], hi[n]) for n in names}, [])
    importance = dict(zip(names, (float(v) for v in clf.feature_importances_), strict=True))
    boxes = pd.DataFrame(rows)
    boxes["rule"] = boxes["rule"].map(lambda s: _merge_conditions(s))
    return boxes, importance


def _merge_conditions(rule: str) -> str:
    """'a <= 2 and a <= 1' -> 'a <= 1'; 'a > 1 and a <= 2' -> '1 < a <= 2'."""
    if rule == "everywhere":
        return rule
    lows: dict[str, str] = {}
    highs: dict[str, str] = {}
    order: list[str] = []
    for cond in rule.split(" and "):
        if " <= " in cond:
            name, t = cond.rsplit(" <= ", 1)
            highs[name] = t if name not in highs or float(t) < float(highs[name]) else highs[name]
        else:
            name, t = cond.rsplit(" > ", 1)
            lows[name] = t if name not in lows or float(t) > float(lows[name]) else lows[name]
        if name not in order:
            order.append(name)
    parts = []
    for name in order:
        if name in lows and name in highs:
            parts.append(f"{lows[name]} < {name} <= {highs[name]}")
        elif name in lows:
            parts.append(f"{name} > {lows[name]}")
        else:
            parts.append(f"{name} <= {highs[name]}")
    return " and ".join(parts)


def prim_boxes(
    X: pd.DataFrame,
    winner: pd.Series,
    designs: Sequence[str],
    threshold: float = 0.8,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One PRIM box per design (ema_workbench 2.5): where that design is the winner."""
    try:
        from ema_workbench.analysis import prim
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    labels = labels or {}
    names = list(X.columns)
    rows = []
    for design in designs:
        y = (winner == design).to_numpy()
        if y.sum() < 3:
            continue
        alg = prim.Prim(X.reset_index(drop=True), y, threshold=threshold)
        box = alg.find_box()
        lims = box.box_lims[box._cur_box]
        stats = box.peeling_trajectory.iloc[box._cur_box]
        conds = []
        for n in names:
            a, b = float(lims.loc[0, n]), float(lims.loc[1, n])
            lo_, hi_ = float(X[n].min()), float(X[n].max())
            label = labels.get(n, n)
            if a > lo_ + 1e-12 and b < hi_ - 1e-12:
                conds.append(f"{_fmt(a)} < {label} <= {_fmt(b)}")
            elif a > lo_ + 1e-12:
                conds.append(f"{label} > {_fmt(a)}")
            elif b < hi_ - 1e-12:
                conds.append(f"{label} <= {_fmt(b)}")
        rows.append(
            {
                "box": len(rows) + 1,
                "winner": design,
                "n_points": int(stats["mass"] * len(X)),
                "density": float(stats["density"]),
                "coverage": float(stats["coverage"]),
                "rule": " and ".join(conds) if conds else "everywhere",
                **{f"{n}__low": float(lims.loc[0, n]) for n in names},
                **{f"{n}__high": float(lims.loc[1, n]) for n in names},
            }
        )
    return pd.DataFrame(rows)


def save_ema_results(
    experiments: pd.DataFrame, outcomes: dict[str, np.ndarray], path: Path
) -> Path:
    """Write (experiments, outcomes) as `ema_workbench.save_results` (2.5) does."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def add(archive: tarfile.TarFile, data: bytes, name: str) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))

    meta_outcomes = []
    with tarfile.open(path, "w:gz") as archive:
        add(archive, experiments.to_csv(header=True, index=False).encode(), "experiments.csv")
        for name, values in outcomes.items():
            data = pd.DataFrame(np.asarray(values, dtype=float))
            filename = f"{name}.cls"  # ScalarOutcome's file name in ema_workbench 2.5
            add(archive, data.to_csv(header=False, index=False).encode(), filename)
            meta_outcomes.append(("ScalarOutcome", name, filename))
        metadata = {
            "version": 0.1,
            "outcomes": meta_outcomes,
            "experiments": {k: v.name for k, v in experiments.dtypes.to_dict().items()},
        }
        add(archive, json.dumps(metadata).encode(), "metadata.json")
    return path
