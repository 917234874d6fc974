"""Keyed uniforms (`sim.rng.PersonUniform`): the short path for a few slots gives the same
bits as the vectorised hash."""

from __future__ import annotations

import numpy as np

from sim.rng import PersonUniform

SIZES = 16  # past the short path's bound (8 slots)


def test_few_slots_hash_as_many() -> None:
    """Slots asked for a few at a time get the uniforms they get among many (the Python
    integer path for a few slots and the numpy path agree bit for bit)."""
    gen = np.random.default_rng(7)
    for _ in range(200):
        key = int(gen.integers(0, 2**63))
        week = int(gen.integers(-520, 1040))
        uniforms = PersonUniform(key, week, int(gen.integers(0, 2**32)))
        many = gen.integers(0, 2**31, 4 * SIZES)
        whole = uniforms[many]  # the numpy path
        for size in range(SIZES + 1):
            few = uniforms[many[:size]]
            assert few.dtype == np.float32 and few.shape == (size,)
            assert np.array_equal(few.view(np.uint32), whole[:size].view(np.uint32))
        one = uniforms[np.int64(many[0])]
        assert one.dtype == np.float32 and one == whole[0]
        assert np.array_equal(uniforms[many[:3].astype(np.int32)], whole[:3])
