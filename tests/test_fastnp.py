"""sim.fastnp: the faster calls give numpy's own results."""

import numpy as np
import pytest

from sim.fastnp import stable_order


@pytest.mark.parametrize("n", [0, 1, 7, 255, 256, 3000])
@pytest.mark.parametrize("span", [1, 52, 2**16 - 1, 2**16, 10**6 + 5])
def test_stable_order_is_numpys_stable_argsort(n: int, span: int) -> None:
    """Weeks with many ties, small and large spans (a crisis offset of 10**6 included):
    the order of np.argsort(kind="stable"), ties by position."""
    rng = np.random.default_rng(n + span)
    keys = (rng.integers(0, span, n) - span // 2).astype(np.int32)
    keys[: n // 3] = keys[0] if n else 0  # a run of equal keys
    assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))
    # the two-key order of the signals-first queue: np.lexsort's
    signal = rng.random(n) < 0.3
    order = stable_order(keys)
    order = order[np.argsort(~signal[order], kind="stable")]
    assert np.array_equal(order, np.lexsort((keys, ~signal)))
