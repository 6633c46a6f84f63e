"""Rewrite tests/expected/QNN.tsv from a fresh build: delegates to ``pytest --update-expected``.

Prefer ``./scripts/test.sh --update-expected``. This script stays for old habits:
``.venv/bin/python tests/queries/regenerate_expected.py [Q01 Q02 ...]`` (no ids: all queries).
Then REVIEW the diff row by row against graph/sources/*.txt before keeping it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def main(wanted: list[str]) -> int:
    """Run the golden-answer tests in update mode, restricted to ``wanted`` query ids."""
    args = [str(TESTS / "queries" / "test_canned_queries.py"), "--update-expected", "-q"]
    if wanted:
        args += ["-k", " or ".join(wanted)]
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
