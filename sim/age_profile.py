"""Age profiles: rates given per age band, made smooth per whole year of age."""

from __future__ import annotations

import numpy as np

MAX_AGE = 131  # whole years of age covered by the per-year tables (0..130)


def onset_by_age(per_band: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    """Yearly onset probability per whole year of age (D, MAX_AGE), smooth within bands.

    A band's value is the rate at the band's midpoint. Between the midpoints of two adjacent
    bands with a positive rate the rate is interpolated log-linearly; next to a band with rate
    zero (no onsets there by definition, e.g. youth problems after 23) it is held at the
    band's value; a band with rate zero stays zero. Past the last band's midpoint a rising
    rate continues the last segment's trend up to age 100 and is held there."""
    rates = np.atleast_2d(np.asarray(per_band, dtype=float))
    lo, hi = np.asarray(edges[:-1], float), np.asarray(edges[1:], float)
    mid = (lo + hi) / 2.0
    last = mid.size - 1
    ages = np.minimum(np.arange(MAX_AGE, dtype=float) + 0.5, 100.0)
    band = np.clip(np.searchsorted(hi, ages, side="right"), 0, last)
    below = ages < mid[band]
    nb = np.clip(np.where(below, band - 1, band + 1), 0, last)  # the neighbouring band
    has_nb = np.where(below, band > 0, band < last)
    t = (ages - mid[band]) / np.where(has_nb, mid[nb] - mid[band], 1.0)
    logr = np.log(np.where(rates > 0, rates, 1.0))
    out = np.zeros((rates.shape[0], MAX_AGE))
    for d in range(rates.shape[0]):
        r, lr = rates[d], logr[d]
        own = r[band]
        val = np.where(has_nb & (r[nb] > 0), np.exp(lr[band] + t * (lr[nb] - lr[band])), own)
        if r[last] > r[last - 1] > 0:  # a rising rate keeps rising past the last midpoint
            slope = (lr[last] - lr[last - 1]) / (mid[last] - mid[last - 1])
            past = (band == last) & ~below
            val[past] = r[last] * np.exp(slope * (ages[past] - mid[last]))
        out[d] = np.where(own > 0, val, 0.0)
    return out


__all__ = ["MAX_AGE", "onset_by_age"]
