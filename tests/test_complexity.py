"""No function of the package is above cyclomatic complexity 30 (radon's grades E and F start at 31):
a function that branches that much is split where its parts have names."""

from __future__ import annotations

from pathlib import Path

import pytest

radon_complexity = pytest.importorskip("radon.complexity", reason="radon is in the lint extra")

SRC = Path(__file__).resolve().parents[1] / "src" / "licencecmp"
LIMIT = 30
EXEMPT: frozenset[str] = frozenset()  # no function is exempt; name one here only with its reason


def test_no_function_is_above_the_complexity_limit() -> None:
    over: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ("data/records.py", "scan/records.py"):  # generated
            continue
        for block in radon_complexity.cc_visit(path.read_text(encoding="utf-8")):
            name = f"{rel}:{block.name}"
            if block.complexity > LIMIT and name not in EXEMPT:
                over.append(f"{name} ({block.complexity})")
    assert over == [], f"above cyclomatic complexity {LIMIT}: {over}"
