"""Benchmark: does the password-reset answer take the same time for known and unknown addresses?

Posts ``/account/reset`` N times for an address with an account and N times for one without
(interleaved, in-process test client, SQLite in a temporary folder, production-strength
Argon2id), and prints the median and 90th percentile wall time of each and their difference.
Also prints the same for sign-up (new vs existing address) and login (wrong password vs
unknown address). Target: medians within a few milliseconds of each other.

    .venv/bin/python bench/bench_accounts.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _report(name: str, a_label: str, a: list[float], b_label: str, b: list[float]) -> None:
    def p90(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.9) - 1]

    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"{name:<8} {a_label:<16} median {ma:7.2f} ms  p90 {p90(a):7.2f} ms | "
        f"{b_label:<16} median {mb:7.2f} ms  p90 {p90(b):7.2f} ms | diff {ma - mb:+6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from podium import create_app
    from podium.accounts.models import User
    from podium.accounts.passwords import hash_password
    from podium.db import utcnow
    from podium.extensions import db

    password = "correct horse battery staple"  # noqa: S105  a throw-away benchmark account

    folder = Path(tempfile.mkdtemp(prefix="podium-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    signup = {"name": "N", "password": password, "password_repeat": password}
    wrong = {"password": "wrong password!"}
    cases = {
        "rk": lambda i: ("/account/reset", {"email": "known@example.org"}),
        "ru": lambda i: ("/account/reset", {"email": "nobody@example.org"}),
        "sk": lambda i: ("/account/signup", {**signup, "email": "known@example.org"}),
        "sn": lambda i: ("/account/signup", {**signup, "email": f"new{i}@example.org"}),
        "lw": lambda i: ("/account/login", {**wrong, "email": "known@example.org"}),
        "lu": lambda i: ("/account/login", {**wrong, "email": "nobody@example.org"}),
    }
    timings: dict[str, list[float]] = {key: [] for key in cases}
    with app.app_context():
        db.create_all()
        db.session.add(
            User(
                email="known@example.org",
                password_hash=hash_password(password),
                email_confirmed_at=utcnow(),
                security_stamp="bench",
            )
        )
        db.session.commit()
        client = app.test_client()
        for i in range(args.repeat):
            for key, case in cases.items():
                url, data = case(i)
                timings[key].append(_time(lambda url=url, data=data: client.post(url, data=data)))
    print(f"{args.repeat} requests each, Argon2id default cost, SQLite:")
    _report("reset", "known address", timings["rk"], "unknown address", timings["ru"])
    _report("sign-up", "known address", timings["sk"], "new address", timings["sn"])
    _report("login", "wrong password", timings["lw"], "unknown address", timings["lu"])


if __name__ == "__main__":
    main()
