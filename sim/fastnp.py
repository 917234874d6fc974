"""numpy calls without their Python wrappers, for the week's many small arrays: each saves
a few microseconds a call (the wrapper's argument handling), which counts where a stage
calls them dozens of times a week on arrays of a few dozen people."""

from __future__ import annotations

import numpy as np

try:  # numpy 2
    from numpy._core.umath import clip as _clip_ufunc
except ImportError:  # numpy 1.26
    from numpy.core.umath import clip as _clip_ufunc

# np.clip(a, low, high, out=...) for a float array and both bounds given: the ufunc
# np.clip calls in the end (the same values, NaN and signed zeros included)
clip = _clip_ufunc

# below this many keys the default stable sort is as fast as the detour below
_RADIX_MIN = 256


def stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` for integer keys (weeks, slots). Keys that span
    fewer than 2**16 values are sorted as uint16 offsets from their minimum, where numpy's
    stable sort is a radix sort: the same order (a stable order is unique), several times
    faster than the merge sort of int32 keys for a queue of thousands."""
    if keys.size >= _RADIX_MIN and keys.dtype.kind in "iu":
        low = keys.min()
        if int(keys.max()) - int(low) < 2**16:
            return np.argsort((keys - low).astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


__all__ = ["clip", "stable_order"]
