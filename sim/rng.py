"""Random numbers of a run: named streams from the run's seed, keyed so that the same person
meets the same chance in every design (common random numbers).

Three kinds of draw, each from a named stream:

* `RandomStreams.uniform(stream)`: one uniform per person per week from a sequential
  generator (the stream stays aligned across designs because every week draws exactly n);
* `RandomStreams.person_uniform(stream, decision)`: this week's uniform of each person for
  one named decision, hashed from (stream key, decision, week, slot), so only the people
  looked at cost anything and a person's chance does not depend on who else is drawn: the
  same person meets the same chance in every design, even after the designs have diverged;
* `RandomStreams.week_rng(stream)`: a generator seeded by stream and week for draws whose
  number varies and that belong to no person yet (births), so a different count in one week
  does not shift any other week's numbers.
"""

from __future__ import annotations

import functools
import math
import zlib

import numpy as np

STREAMS: tuple[str, ...] = (
    "population",
    "demography",
    "births",
    "onset",
    "carers",
    "contacts",
    "requests",
    "decisions",
    "referrals",
    "escalation",
    "episodes",
    "dropout",
    "neighbourhoods",
    "contracting",
)


# SplitMix64's finaliser: its multipliers and shifts, as 0-d arrays (a ufunc call with
# a 0-d array operand costs less than with a numpy scalar; the same uint64 arithmetic)
def _u64(value: int) -> np.ndarray:
    return np.array(value, dtype=np.uint64)


_MIX1, _MIX2 = _u64(0xBF58476D1CE4E5B9), _u64(0x94D049BB133111EB)
_S27, _S30, _S31, _S40 = _u64(27), _u64(30), _u64(31), _u64(40)
_GOLDEN_0D = _u64(0x9E3779B97F4A7C15)
_TO_UNIT = np.array(2.0**-24, dtype=np.float32)


# below this many slots the hash runs in Python integers: a dozen numpy calls cost more
# than the arithmetic of a few slots (most keyed draws look at a handful of people)
_SMALL = 8
_MASK = 2**64 - 1
_GOLDEN_INT, _MIX1_INT, _MIX2_INT = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def _hashed_few(base: int, slots: list[int]) -> np.ndarray:
    """`PersonUniform.__getitem__` for a few slots: the same SplitMix64 bits modulo 2**64
    (a 24-bit integer x 2**-24 is exact in float32, so the same uniforms)."""
    out = []
    for i in slots:
        z = ((i & _MASK) * _GOLDEN_INT + base) & _MASK
        z ^= z >> 30
        z = (z * _MIX1_INT) & _MASK
        z ^= z >> 27
        z = (z * _MIX2_INT) & _MASK
        z ^= z >> 31
        out.append((z >> 40) * 2.0**-24)
    return np.array(out, dtype=np.float32)


class PersonUniform:
    """Uniforms in [0, 1) indexed by person slot: `u[idx]` hashes (stream key, decision,
    week, slot) with SplitMix64, so only the people looked at cost anything."""

    _GOLDEN = np.uint64(0x9E3779B97F4A7C15)
    _DECISION = np.uint64(0xD1B54A32D192ED03)

    def __init__(self, key: int, week: int, decision: int = 0) -> None:
        # in Python integers modulo 2**64: the same bits as uint64 arithmetic, without
        # numpy's overflow-warning machinery (np.errstate costs more than the sum)
        mask = 2**64 - 1
        golden, dec = int(self._GOLDEN), int(self._DECISION)
        base = (
            (int(key) & mask)
            ^ (((week + 2**40) & mask) * golden & mask)
            ^ ((int(decision) & mask) * dec & mask)
        )
        self._base_int = base
        self._base: np.ndarray | None = None  # as a 0-d uint64, made when first needed

    def __getitem__(self, idx: np.ndarray) -> np.ndarray:
        # a few slots: the same hash in Python integers
        if (
            type(idx) is np.ndarray
            and idx.ndim == 1
            and idx.size <= _SMALL
            and idx.dtype.kind in "iub"
        ):
            return _hashed_few(self._base_int, idx.tolist())
        z = np.array(idx, dtype=np.uint64)  # a copy: the steps below work in place
        if z.ndim == 0:  # uint64 scalars warn on the intended wrap-around; arrays do not
            return self[z.reshape(1)][0]
        # the ufuncs called directly, in place (most calls hash a few dozen slots, so
        # the per-call cost counts)
        mul, xor, shift = np.multiply, np.bitwise_xor, np.right_shift
        if self._base is None:
            self._base = _u64(self._base_int)
        mul(z, _GOLDEN_0D, out=z)
        np.add(z, self._base, out=z)
        t = shift(z, _S30)
        xor(z, t, out=z)
        mul(z, _MIX1, out=z)
        shift(z, _S27, out=t)
        xor(z, t, out=z)
        mul(z, _MIX2, out=z)
        shift(z, _S31, out=t)
        xor(z, t, out=z)
        shift(z, _S40, out=z)
        u = z.astype(np.float32)
        mul(u, _TO_UNIT, out=u)
        return u


def _as_float32_uniform(raw: np.ndarray) -> np.ndarray:
    """numpy's float32 uniform of raw 32-bit outputs: their top 24 bits x 2**-24."""
    return (raw >> np.uint32(8)).astype(np.float32) * np.float32(2.0**-24)


class RandomStreams:
    """The run's named streams (`STREAMS`), spawned from the root seed, for `n` person slots.

    `start_week(week)` is called at the start of every week: it sets the week the keyed
    draws use and forgets last week's variable-size generators."""

    def __init__(self, root_seed: int, n: int) -> None:
        self.n = n
        self.week = 0
        children = np.random.SeedSequence(root_seed).spawn(len(STREAMS))
        self.streams = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, children, strict=True)
        }
        # each stream's own key and entropy: from the child sequence itself (its spawn key
        # included), so two streams never share their keyed numbers
        self.key = {
            name: int(s.spawn(1)[0].generate_state(1, np.uint64)[0])
            for name, s in zip(STREAMS, children, strict=True)
        }
        self.entropy = {
            name: [int(x) for x in s.generate_state(4, np.uint32)]
            for name, s in zip(STREAMS, children, strict=True)
        }
        self._week_gens: dict[str, np.random.Generator] = {}

    def start_week(self, week: int) -> None:
        """Begin a new week of draws."""
        self.week = week
        self._week_gens = {}

    def generator(self, stream: str) -> np.random.Generator:
        """The stream's sequential generator (set-up draws: the population, initial care)."""
        return self.streams[stream]

    def uniform(self, stream: str, dtype: type = np.float32) -> np.ndarray:
        """One uniform draw per person this week from a stream (keeps streams aligned across
        designs: common random numbers)."""
        return self.streams[stream].random(self.n, dtype=dtype)

    def uniform_below(self, stream: str, bound: float) -> tuple[np.ndarray, np.ndarray]:
        """`uniform(stream)` (float32), but only the people whose uniform falls below
        `bound`, and those uniforms: the same numbers and the same state of the stream
        afterwards, without making the uniforms of everyone else. numpy's float32 uniform
        is the top 24 bits of the next 32-bit output x 2**-24, and PCG64 gives two 32-bit
        outputs per 64-bit one (the low half first), so "u < bound" is an integer
        comparison of the raw outputs. `bound` is taken as a float32 (exact for a float32
        bound such as the onset bounds; a float64 bound is rounded to float32 first)."""
        raw = self._raw_week(stream)
        if raw is None:
            u = self.uniform(stream)
            idx = (u < bound).nonzero()[0]
            return idx, u[idx]
        # u < bound  <=>  (x >> 8) < bound * 2**24  <=>  x < ceil(bound * 2**24) * 2**8
        limit = math.ceil(float(np.float32(bound)) * 2.0**24) * 256
        if limit <= 0:
            idx = np.zeros(0, dtype=np.intp)
        elif limit >= 2**32:
            idx = np.arange(self.n)
        else:
            idx = (raw < np.uint32(limit)).nonzero()[0]
        return idx, _as_float32_uniform(raw[idx])

    def uniform_at(self, stream: str, idx: np.ndarray) -> np.ndarray:
        """`uniform(stream)[idx]`: the stream advances by one draw per person as
        `uniform` does (the same state afterwards), but only the uniforms of `idx` are
        made from its raw 32-bit outputs (see `uniform_below`)."""
        raw = self._raw_week(stream)
        if raw is None:
            return self.uniform(stream)[idx]
        return _as_float32_uniform(raw[idx])

    def _raw_week(self, stream: str) -> np.ndarray | None:
        """The n raw 32-bit outputs that `uniform(stream)` would turn into this week's
        float32 uniforms (the stream advanced the same), or None where that shortcut does
        not hold (not PCG64, an odd n, a half-used 64-bit output): then use `uniform`."""
        bits = self.streams[stream].bit_generator
        if type(bits) is not np.random.PCG64 or self.n % 2 or bits.state["has_uint32"]:
            return None
        return bits.random_raw(self.n // 2).view(np.uint32)

    def person_uniform(self, stream: str, decision: str = "") -> PersonUniform:
        """This week's uniform of each person in a stream for one named decision, computed
        only for the people asked for: the same number for the same person, decision and
        week in every design, whoever else is drawn."""
        return PersonUniform(self.key[stream], self.week, decision_key(decision))

    def week_rng(self, stream: str) -> np.random.Generator:
        """A generator for draws whose number varies, seeded by stream and week. Calls within
        a week continue the same generator."""
        gen = self._week_gens.get(stream)
        if gen is None:
            gen = np.random.default_rng([*self.entropy[stream], self.week + 10**6])
            self._week_gens[stream] = gen
        return gen


@functools.lru_cache(maxsize=1024)
def decision_key(decision: str) -> int:
    """A stable integer for a decision's name (0 for the stream's main decision)."""
    return zlib.crc32(decision.encode("utf-8")) if decision else 0


__all__ = ["STREAMS", "PersonUniform", "RandomStreams", "decision_key"]
