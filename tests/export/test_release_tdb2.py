"""The README's Fuseki row, on the store Fuseki runs: Jena TDB2 (Debian `libapache-jena-java`).

The release TriG is loaded with `tdb2.tdbloader`, and release `.rq` files run through
`arq.sparql` on an assembler description of that database: with the README's
``tdb2:unionDefaultGraph true ;`` each gives the rows `lupuskg query` gives, without it 0
rows (what `lupuskg query --endpoint` refuses to print as an answer). No Fuseki HTTP
server is started (Debian ships none); the setting and the engine are Fuseki's.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from jena_shacl import classpath

from lupuskg.config import Settings
from lupuskg.queries import execute

README = Path(__file__).resolve().parents[2] / "README.md"
QUERIES = ("Q01", "Q05", "Q18")


def _assembler(location: Path, union: bool) -> str:
    setting = "    tdb2:unionDefaultGraph true ;\n" if union else ""
    return (
        "@prefix tdb2: <http://jena.apache.org/2016/tdb#> .\n"
        "<#dataset> a tdb2:DatasetTDB2 ;\n"
        f'    tdb2:location "{location}" ;\n'
        f"{setting}.\n"
    )


def _iri_rows(rows: list[list[str]]) -> Counter[tuple[str, ...]]:
    """Each row's IRI cells (literal spellings differ between stores: 32 vs 32.0)."""
    return Counter(
        tuple(cell for cell in row if cell.startswith(("http://", "https://"))) for row in rows
    )


@pytest.fixture(scope="module")
def tdb2(release, dataset: Settings, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not (release.directory / "shapes" / "shapes.ttl").exists():
        pytest.skip("the export fixture has no canned queries of the real project")
    work = tmp_path_factory.mktemp("tdb2")
    path = classpath(work)
    done = subprocess.run(
        [
            "java",
            "-cp",
            path,
            "tdb2.tdbloader",
            "--loc",
            str(work / "db"),
            str(release.directory / "data" / "lupuskg.trig"),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return work, path


def _rows(tdb2, release, query_id: str, union: bool) -> list[list[str]]:  # type: ignore[no-untyped-def]
    work, path = tdb2
    description = work / f"assembler-{union}.ttl"
    description.write_text(_assembler(work / "db", union), encoding="utf-8")
    (rq,) = (release.directory / "queries").glob(f"{query_id}_*.rq")
    done = subprocess.run(
        [
            "java",
            "-cp",
            path,
            "arq.sparql",
            "--desc",
            str(description),
            "--results",
            "csv",
            "--query",
            str(rq),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return list(csv.reader(io.StringIO(done.stdout)))[1:]


def test_readme_states_the_tdb2_setting() -> None:
    table = README.read_text(encoding="utf-8").split("### Stores", 1)[1].split("\n\n", 2)[1]
    assert "`tdb2:unionDefaultGraph true ;` on the `tdb2:DatasetTDB2`" in table


@pytest.mark.parametrize("query_id", QUERIES)
def test_tdb2_with_the_readme_setting_gives_the_canned_rows(
    query_id: str, tdb2, release, dataset: Settings
) -> None:  # type: ignore[no-untyped-def]
    _, _, expected = execute(query_id, settings=dataset, labels=False)
    assert len(expected) > 0
    want = [["" if cell is None else cell.lexical for cell in row] for row in expected.rows]
    got = _rows(tdb2, release, query_id, union=True)
    assert len(got) == len(want)
    assert _iri_rows(got) == _iri_rows(want)
    assert _rows(tdb2, release, query_id, union=False) == []  # without it: 0 rows
