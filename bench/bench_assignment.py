"""Benchmark: the automatic reviewer assignment for 1,000 proposals and 50 reviewers, N = 3.

Builds a seeded random instance shaped like a large CfP: every reviewer bids on 60 proposals
(a quarter each want / can / would rather not / conflict), 1 % of the pairs are declared
conflicts and each reviewer speaks in one proposal. Runs :func:`podium.review.assignment.assign`
(what the organizer's preview and apply run, without the database) without a cap and with a
cap of 70, and prints the CPU time (``time.process_time``: every thread of the process, so the
solver's too) and wall time of each run (the first, then the median of the others), with the
figures the preview shows. Target: under 2 s CPU.

    .venv/bin/python bench/bench_assignment.py [--repeat N] [--proposals P] [--reviewers R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from podium.review.assignment import AssignmentInput, AssignmentResult, assign

PREFERENCES = ("want", "can", "rather_not", "conflict")


def build_instance(
    proposals: int, reviewers: int, per_proposal: int, cap: int | None, seed: int = 13
) -> AssignmentInput:
    """A seeded random instance (see the module docs for its shape)."""
    rng = random.Random(seed)  # noqa: S311  reproducible test data, not a secret
    p_ids = list(range(1, proposals + 1))
    r_ids = list(range(100_001, 100_001 + reviewers))
    bids = {(r, p): rng.choice(PREFERENCES) for r in r_ids for p in rng.sample(p_ids, 60)}
    conflicts = {
        (rng.choice(r_ids), rng.choice(p_ids)) for _ in range(proposals * reviewers // 100)
    }
    conflicts |= {(r, rng.choice(p_ids)) for r in r_ids}  # each reviewer speaks in one
    return AssignmentInput(
        proposals=p_ids,
        reviewers=r_ids,
        per_proposal=per_proposal,
        cap=cap,
        bids=bids,
        conflicts=conflicts,
    )


def _run(data: AssignmentInput) -> tuple[float, float, AssignmentResult]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = assign(data)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    """Parse the arguments, run each case ``--repeat`` times and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--per-proposal", type=int, default=3)
    args = parser.parse_args()
    for cap in (None, 70):
        data = build_instance(args.proposals, args.reviewers, args.per_proposal, cap)
        runs = [_run(data) for _ in range(max(1, args.repeat))]
        first_wall, first_cpu, result = runs[0]
        assert all(r[2] == result for r in runs), "the assignment must be deterministic"
        warm = runs[1:] or runs
        loads = sorted(result.load.values())
        print(
            f"{args.proposals} proposals x {args.reviewers} reviewers, N={args.per_proposal}, "
            f"cap={cap}: first {first_cpu:.3f} s CPU ({first_wall:.3f} s wall); "
            f"median of {len(warm)} more {statistics.median(r[1] for r in warm):.3f} s CPU "
            f"({statistics.median(r[0] for r in warm):.3f} s wall)"
        )
        print(
            f"  {len(result.pairs)} pairs; load min {loads[0]} / median "
            f"{statistics.median(loads)} / max {loads[-1]}; {len(result.short)} proposals "
            f"short; wants honoured {result.wants_honoured} of {result.wants}; "
            f"new pairs by bid {result.bids_honoured}"
        )


if __name__ == "__main__":
    main()
