"""Shared pieces of the container tests: paths, figures, skip policy, project copies."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Figures printed at the end of the run (pytest_terminal_summary) and written to
# test-artifacts/container-figures.json: name -> (value, unit).
FIGURES: dict[str, tuple[float, str]] = {}


def require_or_skip(reason: str) -> None:
    """Skip the calling test with ``reason``, or fail it when PODIUM_REQUIRE_CONTAINER=1."""
    if os.environ.get("PODIUM_REQUIRE_CONTAINER") == "1":
        pytest.fail(f"PODIUM_REQUIRE_CONTAINER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def copy_project(destination: Path) -> Path:
    """Copy what the image and compose need (no .git, venv, caches) to ``destination``."""
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.egg-info", ".cache", "node_modules", ".pytest_cache"
    )
    for name in ("Dockerfile", ".dockerignore", "compose.yaml", "compose.override.yaml"):
        shutil.copy2(REPO / name, destination / name)
    for name in (".env.example", "pyproject.toml", "requirements.lock", "README.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, destination / name)
    for name in ("src", "migrations", "docker"):
        shutil.copytree(REPO / name, destination / name, ignore=ignore)
    return destination


@dataclass
class BuiltImage:
    """An image built from a project copy: its tag, the copy, and how the build went."""

    tag: str
    project: Path
    size_bytes: int
    rebuild_output: str = ""
    config: dict = field(default_factory=dict)
