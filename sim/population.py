"""Citizens and informal carers as arrays: one row per person (struct of arrays).

Rows are slots: when a person dies the slot is taken by a newborn (births replace deaths, so
the population size is constant; migration is not modelled). `person_id` tells the occupants
of a slot apart. Problem arrays are domain-major (`severity[d]` is one contiguous column).

Who is on a waiting list and who is in care change slowly (a few hundred people a week at
100,000) but are read by most stages every week. They are kept as maintained sets beside the
arrays they mirror: `waiting` (P, N) mirrors `waiting_since != NONE`, `on_any_list` and
`in_any_care` (N) the columns' `any`, and the sorted slots of each set are cached until the
next change. `care_bits` and `wait_bits` (N) hold the same per person as one bit per
provider (bit p: provider p), so "in which care, on which lists" is one gather of a small
integer instead of a (P, N) column gather. Every change of `waiting_since` or `in_care`
goes through the methods `put_on_list`, `take_off_list`, `start_care`, `end_care` (and
`reset_newborns`), which keep them in step; `index_mismatches()` checks them against the
arrays (an invariant test).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.age_profile import MAX_AGE, onset_by_age
from sim.params import AGE_BAND_EDGES, DOMAINS, PROVIDERS, BehaviourParams, KetensimConfig

D = len(DOMAINS)
P = len(PROVIDERS)
DOM = {d: i for i, d in enumerate(DOMAINS)}
PROV = {p: i for i, p in enumerate(PROVIDERS)}
NONE = -(2**31)  # "none" for week and slot columns (weeks are negative during burn-in)
NO_ONSET = -(10**6)  # onset_week of a domain without a problem
PRIORITY = 10**6  # waiting_since offset that puts a crisis placement at the front of a queue
# the severity of a problem already under way at the start ~ U(0.1, 0.8) (docs/ODD.md 5)
INITIAL_SEVERITY = (0.1, 0.8)
NO_END = 2**31 - 1  # end_week of a problem that does not end by itself (or of no problem)
# one bit per provider (`Population.care_bits`, `wait_bits`): the smallest unsigned type
BITS = np.uint16 if P <= 16 else np.uint32 if P <= 32 else np.uint64
PROVIDER_BIT = np.array([1 << p for p in range(P)], dtype=BITS)  # bit of provider p
# the row of the lowest provider bit set in a bits value, by value (care_pairs; up to 16
# kinds of care: a table of 2**P rows)
LOWEST_BIT_ROW: np.ndarray | None = None
if P <= 16:
    _values = np.arange(1 << P, dtype=np.int64)
    LOWEST_BIT_ROW = np.log2(np.maximum(_values & -_values, 1)).astype(np.int64)


def provider_bits(rows: np.ndarray) -> np.ndarray:
    """(P, N) booleans as one integer per person, bit p set where row p is True."""
    out = np.zeros(rows.shape[1], dtype=BITS)
    for p, row in enumerate(rows):
        out[row] |= PROVIDER_BIT[p]
    return out


@dataclass
class Population:
    """All person-level state of the municipality."""

    person_id: np.ndarray  # int64, unique per occupant of a slot
    age: np.ndarray  # float32, years
    income: np.ndarray  # int8: 0 low, 1 middle, 2 high
    single: np.ndarray  # bool: lives alone (adults)
    self_reliance: np.ndarray  # float32 0..1 ("eigen kracht")
    network: np.ndarray  # float32 0..1, strength of the social network
    severity: np.ndarray  # float32 (D, N), problem severity 0..1 per life domain
    onset_week: np.ndarray  # int32 (D, N): week the problem began; NO_ONSET if none
    end_week: np.ndarray  # int32 (D, N): week the episode ends by itself; NO_END if never
    helped: np.ndarray  # bool (D, N): received help for this problem since its onset
    in_care: np.ndarray  # bool (P, N): receives this provision
    waiting_since: np.ndarray  # int32 (P, N): on the waiting list since week; -1 not waiting
    care_since: np.ndarray  # int32 (P, N): admitted in week; -1
    used_this_year: np.ndarray  # bool (P, N): received the provision at some time this year
    request_since: np.ndarray  # int32: in the intake queue since week; -1
    refused_until: np.ndarray  # int32: may ask again from this week on
    indicated_until: np.ndarray  # int32: re-indication due in this week; NONE if none
    case_holder: np.ndarray  # bool: has a professional case holder (early signalling)
    signal_since: np.ndarray  # int32: signalled, waiting for a case holder since week; -1
    debt_event: np.ndarray  # bool: problematic debt already counted for this debt episode
    evicted: np.ndarray  # bool: already evicted in this debt episode
    carer: np.ndarray  # int32: slot of this person's informal carer; -1 none
    caring_for: np.ndarray  # int32: slot of the person this person cares for; -1 none
    burden: np.ndarray  # float32: carer burden (burnout at the threshold)
    carer_hours: np.ndarray  # float32: informal care hours given this week
    no_caring_until: np.ndarray  # int32: burnt-out carers rest until this week
    carer_supported: np.ndarray  # bool: carer receives welfare support this week
    # int8 (K, N): the contractor (index within its kind) of each kind with contractors
    # (`contracted_kinds`), while in care or on its waiting list; -1 none
    contractor: np.ndarray
    # maintained sets (see the module docstring); built from the arrays after construction
    waiting: np.ndarray = field(init=False)  # bool (P, N): waiting_since != NONE
    on_any_list: np.ndarray = field(init=False)  # bool (N): on some waiting list
    in_any_care: np.ndarray = field(init=False)  # bool (N): in some care
    care_bits: np.ndarray = field(init=False)  # BITS (N): bit p set where in_care[p]
    wait_bits: np.ndarray = field(init=False)  # BITS (N): bit p set where waiting[p]
    _slots: dict[str, np.ndarray] = field(init=False, repr=False)  # cached sorted slots
    _touched: list[np.ndarray] = field(init=False, repr=False)  # changed since the cache
    # per domain: sorted slots that hold everyone with a problem (and maybe some whose
    # problem ended since), and the people whose problem began since they were found
    _problems: list[np.ndarray] = field(init=False, repr=False)
    _problems_new: list[list[np.ndarray]] = field(init=False, repr=False)
    # per domain: no problem has ended since the set was last made exact, so it holds
    # exactly the people with a problem but for those begun since (in `_problems_new`;
    # every change to 0 calls `problems_ended`)
    _problems_exact: list[bool] = field(init=False, repr=False)
    # sorted slots that hold everyone with an informal carer (and maybe some whose link
    # ended since: links end in many places, but begin only in `carers_linked`)
    _cared: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rebuild_index()

    # ----- maintained sets: waiting lists and care
    def rebuild_index(self) -> None:
        """Rebuild the maintained sets from `waiting_since` and `in_care` (after set-up, or
        after writing those arrays directly, as a test may)."""
        self.waiting = self.waiting_since != NONE
        self.on_any_list = self.waiting.any(axis=0)
        self.in_any_care = self.in_care.any(axis=0)
        self.care_bits = provider_bits(self.in_care)
        self.wait_bits = provider_bits(self.waiting)
        self._slots = {}
        self._touched = []
        self._problems = [np.flatnonzero(row > 0) for row in self.severity]
        self._problems_new = [[] for _ in self._problems]
        self._problems_exact = [True for _ in self._problems]
        self._cared = np.flatnonzero(self.carer != NONE)

    def index_mismatches(self) -> list[str]:
        """The maintained sets that differ from the arrays they mirror (empty: in step)."""
        bad = []
        waiting = self.waiting_since != NONE
        expect = {
            "waiting": waiting,
            "on_any_list": waiting.any(axis=0),
            "in_any_care": self.in_care.any(axis=0),
            "care_bits": provider_bits(self.in_care),
            "wait_bits": provider_bits(waiting),
        }
        for name, value in expect.items():
            if not np.array_equal(getattr(self, name), value):
                bad.append(name)
        lists, care = expect["on_any_list"], expect["in_any_care"]
        truth = {"lists": lists, "care": care, "engaged": lists | care}
        for name in list(self._slots):
            if not np.array_equal(self.slots(name), np.flatnonzero(truth[name])):
                bad.append(f"slots:{name}")
        for d, row in enumerate(self.severity):
            if not np.array_equal(self.problem_slots(d), np.flatnonzero(row > 0)):
                bad.append(f"problems:{d}")
        cared = self.cared_for_slots()
        if not np.array_equal(cared, np.flatnonzero(self.carer != NONE)):
            bad.append("cared_for")
        carers = self.carer[cared]
        paired = np.array_equal(self.caring_for[carers], cared) and np.array_equal(
            np.sort(carers), np.flatnonzero(self.caring_for != NONE)
        )
        if not paired:
            bad.append("carer links not in pairs")
        return bad

    # ----- maintained set: who has an informal carer
    def carers_linked(self, receivers: np.ndarray, carers: np.ndarray) -> None:
        """The people `carers` become the informal carers of the people `receivers`."""
        self.carer[receivers] = carers
        self.caring_for[carers] = receivers
        if receivers.size:
            new = _sorted_unique([receivers])
            self._cared = _moved(self._cared, new, np.ones(new.size, dtype=bool))

    def cared_for_slots(self) -> np.ndarray:
        """Sorted slots of the people with an informal carer (carer != NONE), without a
        pass over everyone. The array returned is never modified afterwards."""
        cared = self._cared
        cared = cared[self.carer[cared] != NONE]
        self._cared = cared
        return cared

    # ----- maintained sets: who has a problem, per domain
    def problem_started(self, d: int, idx: np.ndarray) -> None:
        """The severity of the people `idx` in domain d may have risen from 0 (a problem
        began); every such change must be told here (`problems.start_episode` does)."""
        if idx.size:
            self._problems_new[d].append(np.asarray(idx))

    def problems_ended(self, d: int) -> None:
        """The severity of some people in domain d may have fallen to 0 (a problem ended);
        every such change must be told here (`problems.end_episode` does)."""
        self._problems_exact[d] = False

    def problems_cleared(self, idx: np.ndarray) -> None:
        """The people `idx` have no problem in any domain any more (their severities were
        all set to 0: newborns in the slots of the dead): taken out of every set, which
        stays exact (no check of the whole set at the next call)."""
        if idx.size == 0:
            return
        gone = _sorted_unique([np.asarray(idx)])
        for d, slots in enumerate(self._problems):
            # a set not exact is checked whole at the next call anyway
            if not (self._problems_exact[d] and slots.size):
                continue
            pos = np.searchsorted(slots, gone)
            present = slots[np.minimum(pos, slots.size - 1)] == gone
            if present.any():
                keep = np.ones(slots.size, dtype=bool)
                keep[pos[present]] = False
                self._problems[d] = slots[keep]

    def problems_kept(self, d: int, slots: np.ndarray, keep: np.ndarray) -> None:
        """Of the set `slots` that `problem_slots(d)` gave, exactly those where `keep` (a
        boolean mask over it) have a problem in domain d now, as the caller has just
        established (problem growth does): kept without the check of the next call (if
        the set has not changed since)."""
        if not self._problems_new[d] and self._problems[d] is slots:
            self._problems[d] = slots[keep]
            self._problems_exact[d] = True

    def problem_slots(self, d: int) -> np.ndarray:
        """Sorted slots of the people with a problem in domain d (severity > 0): last
        time's set plus the problems begun since, less those that ended (no pass over
        everyone). The array returned is never modified afterwards."""
        exact = self._problems_exact[d]
        if self._problems_new[d]:
            new = _sorted_unique(self._problems_new[d])
            self._problems_new[d] = []
            if exact:  # only the problems begun since need the check
                new = new[self.severity[d][new] > 0]
            self._problems[d] = _merged(self._problems[d], new)
        elif exact:
            return self._problems[d]
        if not exact:
            slots = self._problems[d]
            keep = self.severity[d][slots] > 0
            self._problems[d] = slots[keep]
        self._problems_exact[d] = True
        return self._problems[d]

    def _member(self, which: str, idx: np.ndarray | slice) -> np.ndarray:
        if which == "lists":
            return self.on_any_list[idx]
        if which == "care":
            return self.in_any_care[idx]
        return self.on_any_list[idx] | self.in_any_care[idx]

    def care_pairs(self, idx: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each care the people `idx` receive as (positions in `idx`, provider rows), in
        rounds: round k holds each person's k-th provider (by row), so a position occurs
        at most once per round. Reading a (P, N) column such as `care_since` at these pairs
        (`at_pairs`) touches a person's own providers only, not all P rows for everyone."""
        bits = self.care_bits[idx]
        if LOWEST_BIT_ROW is None:  # many kinds of care: a round per kind
            rows = (((bits & PROVIDER_BIT[p]) != 0).nonzero()[0] for p in range(P))
            return [(at, np.full(at.size, p)) for p, at in enumerate(rows) if at.size]
        pos = np.flatnonzero(bits)
        bits = bits[pos]
        rounds = []
        while pos.size:
            rounds.append((pos, LOWEST_BIT_ROW.take(bits)))
            bits = bits & (bits - BITS(1))  # the lowest provider done
            more = bits != 0
            pos, bits = pos[more], bits[more]
        return rounds

    def first_care_week(self, idx: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """The earliest `care_since` of each of `idx` over the providers they are in (of
        `rows` only, if given: a boolean per provider row); int32 max where none."""
        first = np.full(idx.size, np.iinfo(np.int32).max, dtype=self.care_since.dtype)
        for pos, row in self.care_pairs(idx):
            if rows is not None:
                mine = rows[row]
                pos, row = pos[mine], row[mine]
            first[pos] = np.minimum(first[pos], self.at_pairs(self.care_since, idx, pos, row))
        return first

    def at_pairs(
        self, column: np.ndarray, idx: np.ndarray, pos: np.ndarray, row: np.ndarray
    ) -> np.ndarray:
        """`column[row, idx[pos]]` of a (P, N) column (one flat gather)."""
        return column.ravel().take(row * self.n + idx[pos])

    def slots(self, which: str) -> np.ndarray:
        """Sorted slots of a maintained set: "lists" (on some waiting list), "care" (in some
        care) or "engaged" (either). The first call finds them; later calls only move the
        people changed since (a few hundred a week, instead of a pass over everyone). The
        array returned is never modified afterwards (a change makes a new one)."""
        if self._touched:
            self._sync_slots()
        got = self._slots.get(which)
        if got is None:
            if which == "engaged":  # the union of the other two (made, not moved)
                lists, care = self.slots("lists"), self.slots("care")
                small, large = (lists, care) if lists.size <= care.size else (care, lists)
                got = _moved(large, small, np.ones(small.size, dtype=bool))
            else:
                got = np.flatnonzero(self._member(which, slice(None)))
            self._slots[which] = got
        return got

    def _changed(self, idx: np.ndarray) -> None:
        """The people `idx` may have joined or left a maintained set."""
        if self._slots and idx.size:
            self._touched.append(np.asarray(idx))

    def _sync_slots(self) -> None:
        """Bring the cached slots up to date with the people changed since."""
        touched = _sorted_unique(self._touched)
        self._touched = []
        # "engaged" is made again from the other two when asked (one merge of the smaller
        # into the larger, cheaper than moving a third set at every change)
        self._slots.pop("engaged", None)
        for which, slots in self._slots.items():
            self._slots[which] = _moved(slots, touched, self._member(which, touched))

    def put_on_list(self, p: int, idx: np.ndarray, since: int) -> None:
        """The people `idx` join provider p's waiting list in week `since`."""
        self.waiting_since[p][idx] = since
        self.waiting[p][idx] = True
        self.wait_bits[idx] |= PROVIDER_BIT[p]
        self.on_any_list[idx] = True
        self._changed(idx)

    def take_off_list(self, p: int, idx: np.ndarray) -> None:
        """The people `idx` leave provider p's waiting list (whether on it or not)."""
        self.waiting_since[p][idx] = NONE
        self.waiting[p][idx] = False
        bits = self.wait_bits[idx] & ~PROVIDER_BIT[p]
        self.wait_bits[idx] = bits
        self.on_any_list[idx] = bits != 0
        self._changed(idx)

    def start_care(self, p: int, idx: np.ndarray) -> None:
        """The people `idx` are in provider p's care from now on."""
        self.in_care[p][idx] = True
        self.care_bits[idx] |= PROVIDER_BIT[p]
        self.in_any_care[idx] = True
        self._changed(idx)

    def end_care(self, p: int, idx: np.ndarray) -> None:
        """Provider p's care of the people `idx` ends (whether in it or not)."""
        self.in_care[p][idx] = False
        bits = self.care_bits[idx] & ~PROVIDER_BIT[p]
        self.care_bits[idx] = bits
        self.in_any_care[idx] = bits != 0
        self._changed(idx)

    @property
    def n(self) -> int:
        return int(self.age.shape[0])

    def age_band(self) -> np.ndarray:
        """Age band index (0..8) per person."""
        return np.searchsorted(
            np.asarray(AGE_BAND_EDGES[1:-1], dtype=np.float32), self.age, side="right"
        ).astype(np.int8)


# sorted sets of slots, kept by small moves (plain numpy calls: np.unique, np.insert and
# np.delete cost more in their Python set-up than the moves themselves)
def _sorted_unique(parts: list[np.ndarray]) -> np.ndarray:
    """The distinct slots of `parts`, sorted."""
    # kind="stable" (radix or timsort): the same integers in order, several times faster
    # than the default here, above all on a concatenation of sorted runs
    values = np.sort(parts[0] if len(parts) == 1 else np.concatenate(parts), kind="stable")
    if values.size > 1:
        first = np.empty(values.size, dtype=bool)
        first[0] = True
        np.not_equal(values[1:], values[:-1], out=first[1:])
        values = values[first]
    return values


def _moved(slots: np.ndarray, touched: np.ndarray, member: np.ndarray) -> np.ndarray:
    """The sorted set `slots` after the sorted, distinct people `touched` joined it (where
    `member`) or left it (elsewhere): a new array; `slots` itself is left as it was."""
    pos = np.searchsorted(slots, touched)
    if slots.size:
        present = slots[np.minimum(pos, slots.size - 1)] == touched
    else:
        present = np.zeros(touched.size, dtype=bool)
    gone = pos[present & ~member]
    if gone.size:
        keep = np.ones(slots.size, dtype=bool)
        keep[gone] = False
        slots = slots[keep]
    new = touched[member & ~present]
    if new.size:  # merge: each new slot's place in the result, the old ones around them
        at = np.searchsorted(slots, new) + np.arange(new.size)
        merged = np.empty(slots.size + new.size, dtype=slots.dtype)
        merged[at] = new
        old = np.ones(merged.size, dtype=bool)
        old[at] = False
        merged[old] = slots
        slots = merged
    return slots


def _merged(slots: np.ndarray, joining: np.ndarray) -> np.ndarray:
    """The sorted set `slots` after the sorted, distinct people `joining` joined it (those in
    it already stay once): a new array, or `slots` itself when nobody is new."""
    if joining.size == 0:
        return slots
    pos = slots.searchsorted(joining)
    if slots.size:
        new = slots[np.minimum(pos, slots.size - 1)] != joining
        joining, pos = joining[new], pos[new]
        if joining.size == 0:
            return slots
    # merge: each new slot's place in the result, the old ones around them
    at = pos + np.arange(joining.size)
    merged = np.empty(slots.size + joining.size, dtype=slots.dtype)
    merged[at] = joining
    old = np.ones(merged.size, dtype=bool)
    old[at] = False
    merged[old] = slots
    return merged


def contracted_kinds(cfg: KetensimConfig) -> tuple[str, ...]:
    """The kinds of care with several contractors (`behaviour.contractors`), in the order of
    PROVIDERS: the rows of `Population.contractor`."""
    kinds = {c.kind for c in cfg.behaviour.contractors.values()}
    return tuple(name for name in PROVIDERS if name in kinds)


def _draw_self_reliance(
    rng: np.random.Generator, income: np.ndarray, cfg: KetensimConfig
) -> np.ndarray:
    b = cfg.behaviour
    mean = np.clip(
        b.self_reliance_mean + np.where(income == 0, b.self_reliance_low_income_shift, 0.0),
        0.05,
        0.95,
    )
    conc = 8.0
    return rng.beta(mean * conc, (1 - mean) * conc).astype(np.float32)


def top_band_age(u: np.ndarray, start: float, b: BehaviourParams) -> np.ndarray:
    """Ages in the open top band from uniform draws `u`: the density is the survival from
    `start` under the model's Gompertz mortality (so the oldest are as rare as the model
    keeps them, instead of spread evenly up to an arbitrary last age)."""
    grid = np.linspace(start, float(MAX_AGE - 1), 4001)
    cumulative_hazard = (
        b.mortality_gompertz_a
        / b.mortality_gompertz_b
        * (np.exp(b.mortality_gompertz_b * grid) - np.exp(b.mortality_gompertz_b * start))
    )
    density = np.exp(-cumulative_hazard)
    cdf = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2.0 * np.diff(grid))])
    return np.interp(u * cdf[-1], cdf, grid)


def create_population(n: int, cfg: KetensimConfig, rng: np.random.Generator) -> Population:
    """A population of `n` people with the municipality's age and income structure and
    initial problems at roughly their steady-state prevalence (onset rate x duration; chronic
    stocks settle in the spin-up)."""
    m, b = cfg.municipality, cfg.behaviour
    shares = np.asarray(m.age_band_shares, dtype=float)
    band = rng.choice(len(shares), size=n, p=shares / shares.sum())
    lo = np.asarray(AGE_BAND_EDGES[:-1], dtype=float)[band]
    hi = np.asarray(AGE_BAND_EDGES[1:], dtype=float)[band]
    u = rng.random(n)
    age = lo + u * (hi - lo)
    top = band == len(shares) - 1  # the open top band: ages follow the model's own survival
    age[top] = top_band_age(u[top], float(lo[top][0]) if top.any() else 0.0, b)
    age = age.astype(np.float32)
    inc = np.asarray(m.income_shares, dtype=float)
    income = rng.choice(3, size=n, p=inc / inc.sum()).astype(np.int8)
    single = (rng.random(n) < m.single_adult_share) & (age >= 18)
    self_reliance = _draw_self_reliance(rng, income, cfg)
    network = rng.beta(3.0, 2.0, size=n).astype(np.float32)
    severity = np.zeros((D, n), dtype=np.float32)
    onset_week = np.full((D, n), NO_ONSET, dtype=np.int32)
    end_week = np.full((D, n), NO_END, dtype=np.int32)
    start = -52 * cfg.burn_in_years  # the first simulated week
    onset = onset_by_age([b.onset_per_year[name] for name in DOMAINS], AGE_BAND_EDGES)
    whole_age = np.minimum(age.astype(np.int16), MAX_AGE - 1)
    for d, name in enumerate(DOMAINS):
        rate = onset[d][whole_age]
        if name == "debt":
            rate = rate * np.asarray(b.debt_income_risk)[income]
        prevalence = np.clip(rate * b.duration_years[name], 0.0, 0.9)
        if name == "intellectual_disability":
            prevalence = np.full(n, b.intellectual_disability_at_birth)
        has = rng.random(n) < prevalence
        k = int(has.sum())
        severity[d][has] = rng.uniform(*INITIAL_SEVERITY, size=k).astype(np.float32)
        onset_week[d][has] = start - rng.integers(1, 260, size=k)
        if not b.chronic[name] and b.duration_years[name] > 0:
            # the remaining duration of an episode under way (memoryless)
            remaining = rng.exponential(52.0 * b.duration_years[name], size=k)
            end_week[d][has] = start + np.ceil(remaining).astype(np.int32)
    return Population(
        person_id=np.arange(n, dtype=np.int64),
        age=age,
        income=income,
        single=single,
        self_reliance=self_reliance,
        network=network,
        severity=severity,
        onset_week=onset_week,
        end_week=end_week,
        helped=np.zeros((D, n), dtype=bool),
        in_care=np.zeros((P, n), dtype=bool),
        waiting_since=np.full((P, n), NONE, dtype=np.int32),
        care_since=np.full((P, n), NONE, dtype=np.int32),
        used_this_year=np.zeros((P, n), dtype=bool),
        request_since=np.full(n, NONE, dtype=np.int32),
        refused_until=np.full(n, -(10**6), dtype=np.int32),
        indicated_until=np.full(n, NONE, dtype=np.int32),
        case_holder=np.zeros(n, dtype=bool),
        signal_since=np.full(n, NONE, dtype=np.int32),
        debt_event=np.zeros(n, dtype=bool),
        evicted=np.zeros(n, dtype=bool),
        carer=np.full(n, NONE, dtype=np.int32),
        caring_for=np.full(n, NONE, dtype=np.int32),
        burden=np.zeros(n, dtype=np.float32),
        carer_hours=np.zeros(n, dtype=np.float32),
        no_caring_until=np.full(n, -(10**6), dtype=np.int32),
        carer_supported=np.zeros(n, dtype=bool),
        contractor=np.full((len(contracted_kinds(cfg)), n), -1, dtype=np.int8),
    )


def reset_newborns(
    pop: Population, idx: np.ndarray, first_id: int, cfg: KetensimConfig, rng: np.random.Generator
) -> int:
    """Turn the slots `idx` (people who died) into newborns; return the next free person id."""
    k = idx.size
    if k == 0:
        return first_id
    pop.person_id[idx] = np.arange(first_id, first_id + k, dtype=np.int64)
    pop.age[idx] = 0.0
    # income by the shares: the inverse cdf of one uniform each, as `rng.choice(3, size=k,
    # p=shares)` draws it (the same numbers), without that call's checks of p (most of its
    # time for a few newborns)
    inc = np.asarray(cfg.municipality.income_shares, dtype=float)
    cdf = (inc / inc.sum()).cumsum()
    cdf /= cdf[-1]
    pop.income[idx] = cdf.searchsorted(rng.random(k), side="right").astype(np.int8)
    pop.single[idx] = False
    pop.self_reliance[idx] = _draw_self_reliance(rng, pop.income[idx], cfg)
    pop.network[idx] = rng.beta(3.0, 2.0, size=k).astype(np.float32)
    pop.severity[:, idx] = 0.0
    pop.problems_cleared(idx)
    pop.onset_week[:, idx] = NO_ONSET
    pop.end_week[:, idx] = NO_END
    pop.helped[:, idx] = False
    id_birth = rng.random(k) < cfg.behaviour.intellectual_disability_at_birth
    d = DOM["intellectual_disability"]
    pop.severity[d][idx[id_birth]] = rng.uniform(0.2, 0.8, size=int(id_birth.sum()))
    pop.problem_started(d, idx[id_birth])
    pop.onset_week[d][idx[id_birth]] = 0
    pop.care_since[:, idx] = NONE
    pop.waiting_since[:, idx] = NONE
    pop.waiting[:, idx] = False
    pop.on_any_list[idx] = False
    pop.wait_bits[idx] = 0
    pop.in_care[:, idx] = False
    pop.in_any_care[idx] = False
    pop.care_bits[idx] = 0
    pop._changed(idx)
    pop.contractor[:, idx] = -1
    pop.used_this_year[:, idx] = False
    for arr, value in (
        (pop.request_since, NONE),
        (pop.refused_until, -(10**6)),
        (pop.indicated_until, NONE),
        (pop.signal_since, NONE),
        (pop.carer, NONE),
        (pop.caring_for, NONE),
        (pop.no_caring_until, -(10**6)),
    ):
        arr[idx] = value
    pop.case_holder[idx] = False
    pop.debt_event[idx] = False
    pop.evicted[idx] = False
    pop.burden[idx] = 0.0
    pop.carer_hours[idx] = 0.0
    pop.carer_supported[idx] = False
    return first_id + k
