"""numpy calls without their Python wrappers, for the week's many small arrays: each saves
a few microseconds a call (the wrapper's argument handling), which counts where a stage
calls them dozens of times a week on arrays of a few dozen people."""

from __future__ import annotations

try:  # numpy 2
    from numpy._core.umath import clip as _clip_ufunc
except ImportError:  # numpy 1.26
    from numpy.core.umath import clip as _clip_ufunc

# np.clip(a, low, high, out=...) for a float array and both bounds given: the ufunc
# np.clip calls in the end (the same values, NaN and signed zeros included)
clip = _clip_ufunc

__all__ = ["clip"]
