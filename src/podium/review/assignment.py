"""Automatic reviewer assignment: a pure function from proposals, reviewers and bids to pairs.

No database, no Flask: :func:`assign` takes plain ids and returns plain ids, so the rules are
tested on hand-checkable cases and the benchmark (``bench/bench_assignment.py``) times exactly
what the organizer's preview runs.

The problem is a min-cost b-matching, solved as a min-cost flow (HotCRP's autoassigner works
the same way)::

    source --need_p--> proposal p --1, pref(r, p)--> reviewer r --unit k, cost 2 (L0_r + k)--> sink

* ``need_p`` is N minus the reviewers ``p`` already has; a proposal never gets a reviewer twice.
* An arc ``p -> r`` exists only when ``r`` may review ``p``: no declared conflict, no bid
  "conflict", ``r`` is not one of its speakers, and the pair is not assigned already.
* ``pref`` is :data:`PREFERENCE_COST`: a "want" costs nothing, "would rather not" the most.
* A reviewer's k-th new proposal costs :data:`LOAD_WEIGHT` x ``(L0_r + k)`` (``L0_r`` = what
  they already review), so the cost of a load is convex (quadratic): moving one proposal from a
  reviewer with load ``a`` to one with load ``b`` changes the cost by ``2 (b + 1 - a)``. The
  optimum therefore spreads work evenly, and lets loads differ only to honour bids: a "want"
  instead of no bid (3) is worth one extra proposal, avoiding a "would rather not" instead of
  a "want" (8) up to four. The optional cap limits the number of unit arcs, so it is a hard
  limit on the total load.

First the maximum flow is computed (how many pairs can be placed at all, with
:func:`scipy.sparse.csgraph.maximum_flow`, exact in integers); proposals that cannot get N
reviewers are reported short. Then the linear program "place exactly that many pairs at the
least cost" is solved with HiGHS' dual simplex (:func:`scipy.optimize.linprog`). Its constraint
matrix is a network matrix, which is totally unimodular, so the simplex' optimal vertex is
integral: the answer is an optimal assignment, not a rounded one (:func:`assign` checks this).
To keep the program small, a reviewer's load units are modelled one by one only up to the
average load plus a margin, the rest as one cheaper "tail" variable; when the optimum uses a
tail the exact program is solved instead, so the answer is always exact (see ``_solve``).
Inputs are sorted by id before the program is built and the solver is deterministic, so the
same input gives the same assignment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from podium.review.enums import BidPreference

NO_BID = "none"
"""The key of pairs without a bid in :attr:`AssignmentResult.bids_honoured`."""

PREFERENCE_COST: dict[str, int] = {
    BidPreference.WANT.value: 0,
    BidPreference.CAN.value: 2,
    NO_BID: 3,
    BidPreference.RATHER_NOT.value: 8,
}
"""Cost of assigning a pair by the reviewer's bid on it (lower is preferred)."""

LOAD_WEIGHT = 2
"""Weight of the convex load cost against :data:`PREFERENCE_COST` (see the module docs)."""

Pair = tuple[int, int]
"""``(reviewer id, proposal id)``."""


class AssignmentError(ValueError):
    """The input is unusable (N below 1, a negative cap); ``field`` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AssignmentInput:
    """What the assignment works on; every id is an int.

    ``bids`` maps ``(reviewer, proposal)`` to a :class:`BidPreference` value; a "conflict" bid
    excludes the pair like ``conflicts`` (declared conflicts and speakers of the proposal).
    ``existing`` are pairs already assigned (they stay, count towards N and the reviewer's
    load). ``per_proposal`` is N; ``cap`` the most proposals a reviewer may review in total
    (existing ones included), ``None`` for no limit.
    """

    proposals: Sequence[int]
    reviewers: Sequence[int]
    per_proposal: int
    cap: int | None = None
    bids: Mapping[Pair, str] = field(default_factory=dict)
    conflicts: Collection[Pair] = frozenset()
    existing: Collection[Pair] = frozenset()


@dataclass(frozen=True)
class AssignmentResult:
    """The new pairs and the figures the preview shows.

    ``pairs``: new ``(reviewer, proposal)`` pairs, sorted. ``load``: every reviewer's total
    number of proposals after applying (existing + new); ``new_load``: the new ones only.
    ``short``: proposals that still have fewer than N reviewers, with how many are missing.
    ``bids_honoured``: new pairs counted by the reviewer's bid (:data:`NO_BID` for none).
    ``wants`` / ``wants_honoured``: "want" bids on the proposals, and how many of those pairs
    are assigned after applying (new or existing).
    """

    pairs: tuple[Pair, ...]
    load: dict[int, int]
    new_load: dict[int, int]
    short: dict[int, int]
    bids_honoured: dict[str, int]
    wants: int
    wants_honoured: int


def assign(data: AssignmentInput) -> AssignmentResult:
    """Choose new reviewer/proposal pairs: fill N per proposal, balance load, honour bids.

    Rules, in order: conflicts and a reviewer's own proposals are never assigned and the cap
    is never exceeded; as many pairs as possible are placed (proposals short of N only when
    nothing else is possible); among those, the total of preference and load costs (see the
    module docs) is least.

    Raises:
        AssignmentError: ``per_proposal`` below 1 (``field="per_proposal"``) or ``cap``
            below 0 (``field="cap"``).
    """
    if data.per_proposal < 1:
        raise AssignmentError(_("enter at least 1 reviewer per proposal"), "per_proposal")
    if data.cap is not None and data.cap < 0:
        raise AssignmentError(_("the cap cannot be negative"), "cap")
    proposals = sorted(set(data.proposals))
    reviewers = sorted(set(data.reviewers))
    known_p, known_r = set(proposals), set(reviewers)
    existing = {(r, p) for r, p in data.existing if r in known_r and p in known_p}
    have = Counter(p for _, p in existing)
    base_load = Counter(r for r, _ in existing)
    need = {p: max(0, data.per_proposal - have[p]) for p in proposals}
    excluded = set(data.conflicts) | {
        pair for pair, bid in data.bids.items() if bid == BidPreference.CONFLICT.value
    }
    room = {r: (None if data.cap is None else max(0, data.cap - base_load[r])) for r in reviewers}
    arcs = [
        (r, p)
        for p in proposals
        if need[p]
        for r in reviewers
        if (r, p) not in existing and (r, p) not in excluded and room[r] != 0
    ]
    chosen = _solve(arcs, proposals, reviewers, need, room, base_load, data.bids)
    return _result(data, proposals, reviewers, existing, chosen)


def _pref(bids: Mapping[Pair, str], pair: Pair) -> str:
    bid = bids.get(pair, NO_BID)
    return bid if bid in PREFERENCE_COST else NO_BID


def _max_flow(
    arcs: Sequence[Pair],
    p_index: Mapping[int, int],
    r_index: Mapping[int, int],
    need: Mapping[int, int],
    room: Mapping[int, int],
) -> int:
    """How many pairs can be placed at all (exact integer max flow)."""
    # numpy and scipy cost web and mail workers ~40 MB each if imported with the module:
    # they are loaded only when an assignment is computed.
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    n_p, n_r = len(p_index), len(r_index)
    source, sink = n_p + n_r, n_p + n_r + 1
    rows, cols, caps = [], [], []
    for p, i in p_index.items():
        rows.append(source), cols.append(i), caps.append(need[p])
    for r, p in arcs:
        rows.append(p_index[p]), cols.append(n_p + r_index[r]), caps.append(1)
    for r, j in r_index.items():
        rows.append(n_p + j), cols.append(sink), caps.append(room[r])
    graph = csr_matrix(
        (np.array(caps, dtype=np.int32), (rows, cols)), shape=(n_p + n_r + 2, n_p + n_r + 2)
    )
    return int(maximum_flow(graph, source, sink).flow_value)


def _solve(
    arcs: Sequence[Pair],
    proposals: Sequence[int],
    reviewers: Sequence[int],
    need: Mapping[int, int],
    room: Mapping[int, int | None],
    base_load: Mapping[int, int],
    bids: Mapping[Pair, str],
) -> list[Pair]:
    if not arcs:
        return []
    per_reviewer = Counter(r for r, _ in arcs)
    # A reviewer never takes more new proposals than they have arcs to, nor more than the cap.
    units = {
        r: per_reviewer[r] if room[r] is None else min(room[r], per_reviewer[r]) for r in reviewers
    }
    p_index = {p: i for i, p in enumerate(proposals)}
    r_index = {r: j for j, r in enumerate(reviewers)}
    flow = _max_flow(arcs, p_index, r_index, need, units)
    if flow == 0:
        return []
    program = _Program(arcs, proposals, reviewers, need, units, base_load, bids, flow)
    # Loads far above the average are rare, so the first program models each unit only up to
    # a level and lumps the rest into one "tail" variable priced at the level's cost. That
    # under-prices heavy loads only, so the first answer is optimal whenever it uses no tail;
    # otherwise the exact program (one variable per unit) is solved.
    level = -(-(flow + sum(base_load.values())) // len(reviewers)) + _LEVEL_SLACK
    chosen, uses_tail = program.solve(level)
    if uses_tail:
        chosen, _ = program.solve(None)
    return chosen


_LEVEL_SLACK = 10
"""Units modelled exactly above the average load: more than the largest preference gap."""


class _Program:
    """The min-cost flow as a linear program for HiGHS (see the module docs)."""

    def __init__(
        self,
        arcs: Sequence[Pair],
        proposals: Sequence[int],
        reviewers: Sequence[int],
        need: Mapping[int, int],
        units: Mapping[int, int],
        base_load: Mapping[int, int],
        bids: Mapping[Pair, str],
        flow: int,
    ) -> None:
        import numpy as np  # loaded only when an assignment is computed (see _max_flow)

        self.arcs, self.reviewers, self.units, self.base = arcs, reviewers, units, base_load
        self.flow = flow
        p_index = {p: i for i, p in enumerate(proposals)}
        r_index = {r: j for j, r in enumerate(reviewers)}
        self.arc_p = np.array([p_index[p] for _, p in arcs])
        self.arc_r = np.array([r_index[r] for r, _ in arcs])
        self.arc_cost = np.array([PREFERENCE_COST[_pref(bids, a)] for a in arcs], dtype=float)
        self.need = np.array([need[p] for p in proposals], dtype=float)

    def solve(self, level: int | None) -> tuple[list[Pair], bool]:
        """Optimal pairs with units modelled exactly up to ``level`` above the base load
        (all of them for ``None``), and whether a reviewer's load went past it."""
        import numpy as np  # loaded only when an assignment is computed (see _max_flow)
        from scipy.optimize import linprog
        from scipy.sparse import coo_matrix

        n_x = len(self.arcs)
        unit_r: list[int] = []
        unit_cost: list[float] = []
        unit_cap: list[float] = []
        tails: list[int] = []
        for j, r in enumerate(self.reviewers):
            exact = self.units[r] if level is None else min(self.units[r], level)
            unit_r += [j] * exact
            unit_cost += [LOAD_WEIGHT * (self.base[r] + k) for k in range(1, exact + 1)]
            unit_cap += [1.0] * exact
            if exact < self.units[r]:
                tails.append(n_x + len(unit_r))
                unit_r.append(j)
                unit_cost.append(LOAD_WEIGHT * (self.base[r] + exact + 1))
                unit_cap.append(float(self.units[r] - exact))
        n_u = len(unit_r)
        n_vars = n_x + n_u
        n_r = len(self.reviewers)
        # Rows of A_ub: a proposal gets at most its need. Rows of A_eq: a reviewer's pairs
        # equal their load units; the last one fixes the total to the maximum flow.
        ub = coo_matrix(
            (np.ones(n_x), (self.arc_p, np.arange(n_x))), shape=(len(self.need), n_vars)
        )
        eq_rows = np.concatenate([self.arc_r, np.array(unit_r, dtype=int), np.full(n_x, n_r)])
        eq_cols = np.concatenate([np.arange(n_vars), np.arange(n_x)])
        eq_vals = np.concatenate([np.ones(n_x), -np.ones(n_u), np.ones(n_x)])
        eq = coo_matrix((eq_vals, (eq_rows, eq_cols)), shape=(n_r + 1, n_vars))
        b_eq = np.zeros(n_r + 1)
        b_eq[n_r] = self.flow
        upper = np.concatenate([np.ones(n_x), np.array(unit_cap)])
        solution = linprog(
            np.concatenate([self.arc_cost, np.array(unit_cost, dtype=float)]),
            A_ub=ub.tocsr(),
            b_ub=self.need,
            A_eq=eq.tocsr(),
            b_eq=b_eq,
            bounds=np.column_stack([np.zeros(n_vars), upper]),
            method="highs-ds",
        )
        if solution.status != 0:  # pragma: no cover - the program is feasible by construction
            raise RuntimeError(f"assignment solver failed: {solution.message}")
        x = solution.x
        # Total unimodularity makes the optimal vertex integral; check rather than trust.
        if not np.allclose(x, np.round(x), atol=1e-6):  # pragma: no cover
            raise RuntimeError("assignment solver returned a fractional solution")
        pairs = [self.arcs[i] for i in np.flatnonzero(x[:n_x] > 0.5)]
        return pairs, any(x[t] > 0.5 for t in tails)


def _result(
    data: AssignmentInput,
    proposals: Sequence[int],
    reviewers: Sequence[int],
    existing: set[Pair],
    chosen: Sequence[Pair],
) -> AssignmentResult:
    pairs = tuple(sorted(chosen))
    new_load = {r: 0 for r in reviewers}
    load = {r: 0 for r in reviewers}
    covered: dict[int, int] = defaultdict(int)
    for r, p in (*existing, *pairs):
        load[r] += 1
        covered[p] += 1
    for r, _proposal in pairs:
        new_load[r] += 1
    honoured = Counter(_pref(data.bids, pair) for pair in pairs)
    assigned = existing | set(pairs)
    known_p = set(proposals)
    wants = [
        pair
        for pair, bid in sorted(data.bids.items())
        if bid == BidPreference.WANT.value and pair[1] in known_p and pair[0] in load
    ]
    return AssignmentResult(
        pairs=pairs,
        load=load,
        new_load=new_load,
        short={
            p: data.per_proposal - covered[p] for p in proposals if covered[p] < data.per_proposal
        },
        bids_honoured={key: honoured.get(key, 0) for key in PREFERENCE_COST},
        wants=len(wants),
        wants_honoured=sum(1 for pair in wants if pair in assigned),
    )
