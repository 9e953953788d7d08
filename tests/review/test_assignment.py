"""The automatic assignment as a pure function: each rule on a hand-checkable case, then the
rules as properties of seeded random instances (checked against brute force where small)."""

# ruff: noqa: S311  seeded pseudo-random instances for property tests, not secrets

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from podium.review.assignment import (
    LOAD_WEIGHT,
    NO_BID,
    PREFERENCE_COST,
    AssignmentError,
    AssignmentInput,
    assign,
)

WANT, CAN, RATHER_NOT, CONFLICT = "want", "can", "rather_not", "conflict"


def test_each_proposal_gets_n_reviewers_with_balanced_load() -> None:
    result = assign(AssignmentInput(proposals=[1, 2, 3, 4], reviewers=[10, 20], per_proposal=1))
    assert len(result.pairs) == 4
    assert result.load == {10: 2, 20: 2}
    assert result.short == {}
    assert sorted(p for _, p in result.pairs) == [1, 2, 3, 4]


def test_wants_are_preferred_over_other_bids() -> None:
    bids = {(10, 1): WANT, (20, 1): CAN, (10, 2): CAN, (20, 2): WANT}
    result = assign(
        AssignmentInput(proposals=[1, 2], reviewers=[10, 20], per_proposal=1, bids=bids)
    )
    assert result.pairs == ((10, 1), (20, 2))
    assert result.bids_honoured == {WANT: 2, CAN: 0, NO_BID: 0, RATHER_NOT: 0}
    assert (result.wants, result.wants_honoured) == (2, 2)


def test_rather_not_is_used_only_when_nothing_else_fills_n() -> None:
    bids = {(10, 1): RATHER_NOT}
    result = assign(AssignmentInput(proposals=[1], reviewers=[10, 20], per_proposal=1, bids=bids))
    assert result.pairs == ((20, 1),)
    both = assign(AssignmentInput(proposals=[1], reviewers=[10, 20], per_proposal=2, bids=bids))
    assert both.pairs == ((10, 1), (20, 1))
    assert both.bids_honoured[RATHER_NOT] == 1


def test_balance_outweighs_a_single_preference_but_not_a_small_imbalance() -> None:
    # Reviewer 10 wants all three; giving them all three (load 3 vs 0) costs more in load
    # (2+4+6 = 12 versus 2+4+2 = 8 with one moved) than the "want" saves over no bid (3).
    bids = {(10, 1): WANT, (10, 2): WANT, (10, 3): WANT}
    result = assign(
        AssignmentInput(proposals=[1, 2, 3], reviewers=[10, 20], per_proposal=1, bids=bids)
    )
    assert result.load == {10: 2, 20: 1}
    assert result.wants_honoured == 2


def test_declared_conflicts_bid_conflicts_and_own_proposals_are_never_assigned() -> None:
    result = assign(
        AssignmentInput(
            proposals=[1, 2, 3],
            reviewers=[10, 20, 30],
            per_proposal=3,
            conflicts={(10, 1), (20, 2)},  # declared, and reviewer 20 speaks in 2
            bids={(30, 3): CONFLICT, (10, 2): WANT},
        )
    )
    assert set(result.pairs) & {(10, 1), (20, 2), (30, 3)} == set()
    assert result.short == {1: 1, 2: 1, 3: 1}
    assert len(result.pairs) == 6


def test_cap_is_a_hard_limit_and_shortfall_is_reported() -> None:
    result = assign(
        AssignmentInput(proposals=[1, 2, 3, 4, 5], reviewers=[10, 20], per_proposal=1, cap=2)
    )
    assert result.load == {10: 2, 20: 2}
    assert len(result.short) == 1
    assert list(result.short.values()) == [1]


def test_cap_counts_existing_assignments() -> None:
    result = assign(
        AssignmentInput(
            proposals=[1, 2, 3],
            reviewers=[10, 20],
            per_proposal=1,
            cap=2,
            existing={(10, 1), (10, 2)},
        )
    )
    assert result.pairs == ((20, 3),)
    assert result.load == {10: 2, 20: 1}


def test_existing_pairs_count_towards_n_and_are_not_repeated() -> None:
    result = assign(
        AssignmentInput(
            proposals=[1, 2], reviewers=[10, 20, 30], per_proposal=2, existing={(10, 1), (20, 1)}
        )
    )
    assert [p for _, p in result.pairs] == [2, 2]
    assert result.short == {}
    # Reviewers 10 and 20 already review one proposal each, so 30 takes proposal 2 first.
    assert (30, 2) in result.pairs
    again = assign(
        AssignmentInput(
            proposals=[1, 2],
            reviewers=[10, 20, 30],
            per_proposal=2,
            existing={(10, 1), (20, 1), *result.pairs},
        )
    )
    assert again.pairs == ()


def test_too_few_reviewers_leave_proposals_short() -> None:
    result = assign(AssignmentInput(proposals=[1, 2], reviewers=[10], per_proposal=3))
    assert result.pairs == ((10, 1), (10, 2))
    assert result.short == {1: 2, 2: 2}


def test_no_reviewers_or_proposals_give_an_empty_result() -> None:
    assert assign(AssignmentInput(proposals=[], reviewers=[1], per_proposal=2)).pairs == ()
    nobody = assign(AssignmentInput(proposals=[5], reviewers=[], per_proposal=2))
    assert (nobody.pairs, nobody.short, nobody.load) == ((), {5: 2}, {})


@pytest.mark.parametrize(
    ("n", "cap", "field"), [(0, None, "per_proposal"), (1, -1, "cap")], ids=["n", "cap"]
)
def test_bad_input_names_the_field(n: int, cap: int | None, field: str) -> None:
    with pytest.raises(AssignmentError) as raised:
        assign(AssignmentInput(proposals=[1], reviewers=[1], per_proposal=n, cap=cap))
    assert raised.value.field == field


def test_same_input_in_any_order_gives_the_same_assignment() -> None:
    rng = random.Random(7)
    proposals, reviewers = list(range(1, 41)), list(range(100, 110))
    bids = {
        (r, p): rng.choice([WANT, CAN, RATHER_NOT])
        for r in reviewers
        for p in rng.sample(proposals, 8)
    }
    first = assign(
        AssignmentInput(proposals=proposals, reviewers=reviewers, per_proposal=3, bids=bids)
    )
    shuffled_p, shuffled_r = proposals[:], reviewers[:]
    rng.shuffle(shuffled_p)
    rng.shuffle(shuffled_r)
    second = assign(
        AssignmentInput(
            proposals=shuffled_p,
            reviewers=shuffled_r,
            per_proposal=3,
            bids=dict(reversed(list(bids.items()))),
        )
    )
    assert first == second


# --- properties on seeded random instances ------------------------------------------------------


def _instance(seed: int, n_p: int, n_r: int) -> AssignmentInput:
    rng = random.Random(seed)
    proposals = list(range(1, n_p + 1))
    reviewers = list(range(100, 100 + n_r))
    pairs = [(r, p) for r in reviewers for p in proposals]
    bids = {
        pair: rng.choice([WANT, CAN, RATHER_NOT, CONFLICT])
        for pair in rng.sample(pairs, len(pairs) // 2)
    }
    conflicts = set(rng.sample(pairs, len(pairs) // 8))
    existing = set(rng.sample(sorted(set(pairs) - conflicts), len(pairs) // 10))
    return AssignmentInput(
        proposals=proposals,
        reviewers=reviewers,
        per_proposal=rng.randint(1, 3),
        cap=rng.choice([None, n_p // 2 + 1, n_p]),
        bids=bids,
        conflicts=conflicts,
        existing=existing,
    )


def _cost(data: AssignmentInput, pairs: tuple[tuple[int, int], ...]) -> int:
    existing_load = Counter(r for r, _ in data.existing)
    new_load = Counter(r for r, _ in pairs)
    load_cost = sum(
        sum(LOAD_WEIGHT * (existing_load[r] + k) for k in range(1, new_load[r] + 1))
        for r in data.reviewers
    )
    pref = sum(PREFERENCE_COST.get(data.bids.get(pair, NO_BID), 0) for pair in pairs)
    return load_cost + pref


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_keep_every_rule(seed: int) -> None:
    data = _instance(seed, n_p=12, n_r=5)
    result = assign(data)
    forbidden = set(data.conflicts) | {pair for pair, bid in data.bids.items() if bid == CONFLICT}
    assert set(result.pairs) & forbidden == set()
    assert set(result.pairs) & set(data.existing) == set()
    covered = Counter(p for _, p in (*data.existing, *result.pairs))
    existing_only = Counter(p for _, p in data.existing)
    for p in data.proposals:
        # Never more than N unless the existing assignments already had more.
        assert covered[p] <= max(data.per_proposal, existing_only[p])
        assert result.short.get(p, 0) == max(0, data.per_proposal - covered[p])
    if data.cap is not None:
        base = Counter(r for r, _ in data.existing)
        assert all(result.load[r] <= max(data.cap, base[r]) for r in data.reviewers)
    assert assign(data) == result


@pytest.mark.parametrize("seed", range(25))
def test_small_random_instances_match_brute_force(seed: int) -> None:
    """Place as many pairs as possible, and among those the least cost (module docs)."""
    rng = random.Random(1000 + seed)
    data = _instance(seed, n_p=rng.randint(2, 4), n_r=rng.randint(2, 3))
    forbidden = set(data.conflicts) | {pair for pair, bid in data.bids.items() if bid == CONFLICT}
    have = Counter(p for _, p in data.existing)
    base = Counter(r for r, _ in data.existing)
    candidates = [
        (r, p)
        for r in data.reviewers
        for p in data.proposals
        if (r, p) not in forbidden and (r, p) not in data.existing
    ]
    best: tuple[int, int] | None = None
    for size in range(len(candidates) + 1):
        for chosen in itertools.combinations(candidates, size):
            per_p = Counter(p for _, p in chosen)
            per_r = Counter(r for r, _ in chosen)
            if any(per_p[p] + have[p] > max(data.per_proposal, have[p]) for p in per_p):
                continue
            if any(per_p[p] and have[p] >= data.per_proposal for p in per_p):
                continue
            if data.cap is not None and any(base[r] + per_r[r] > data.cap for r in per_r):
                continue
            key = (-size, _cost(data, tuple(sorted(chosen))))
            best = key if best is None or key < best else best
    result = assign(data)
    assert best is not None
    assert (-len(result.pairs), _cost(data, result.pairs)) == best


def test_a_reviewer_far_above_the_average_load_is_still_assigned_exactly() -> None:
    # Nine reviewers conflict with proposals 1-25, so reviewer 10 must take all 25: far above
    # the average, past the level the first program models unit by unit (its exact re-solve).
    others = list(range(11, 20))
    result = assign(
        AssignmentInput(
            proposals=list(range(1, 31)),
            reviewers=[10, *others],
            per_proposal=1,
            conflicts={(r, p) for r in others for p in range(1, 26)},
        )
    )
    assert result.short == {}
    assert result.load[10] == 25
    assert sorted(result.load[r] for r in others) == [0, 0, 0, 0, 1, 1, 1, 1, 1]
