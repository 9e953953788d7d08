"""Web and mail workers stay small: heavy libraries load only where they are used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# The reviewer assignment's solver (numpy + scipy, ~40 MB resident) is imported by the
# function that computes an assignment, never by the app: every gunicorn and mail worker
# would otherwise carry it (target: under 100 MB each).
PROBE = """
import sys
from podium import create_app
app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
with app.test_request_context():
    import podium.models, podium.review.services, podium.review.views  # noqa: F401
heavy = sorted(name for name in ("numpy", "scipy") if name in sys.modules)
print(",".join(heavy) or "none")
"""


def test_the_app_does_not_import_the_assignment_solver() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "none", result.stdout + result.stderr


def test_computing_an_assignment_loads_the_solver() -> None:
    from podium.review.assignment import AssignmentInput, assign

    result = assign(
        AssignmentInput(
            proposals=[1, 2],
            reviewers=[10, 11],
            per_proposal=1,
            cap=None,
            bids={},
            conflicts=set(),
            existing=set(),
        )
    )
    assert len(result.pairs) == 2
    assert "scipy" in sys.modules
