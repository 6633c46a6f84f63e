"""Rewrite tests/expected/QNN.tsv from a fresh build of the working tree (a maintainer tool).

Run `.venv/bin/python tests/queries/regenerate_expected.py [Q01 Q02 ...]` (no ids: all
queries; with ids: only those files are rewritten), then REVIEW the diff row by
row against graph/sources/*.txt before keeping it: the expected files are reviewed
answers, not snapshots. Tests never call this.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from conftest import copy_project  # noqa: E402


def main(wanted: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        os.environ["LUPUSKG_HOME"] = str(root)
        from lupuskg.build import build
        from lupuskg.config import settings
        from lupuskg.queries import write_answers

        project = settings(root)
        build(project, validate=False)
        out = Path(tmp) / "answers"
        for query_id, rows in write_answers(project, out):
            if wanted and query_id not in wanted:
                continue
            (TESTS / "expected" / f"{query_id}.tsv").write_bytes(
                (out / f"{query_id}.tsv").read_bytes()
            )
            print(f"{query_id}\t{rows}")


if __name__ == "__main__":
    main(sys.argv[1:])
