"""`lupuskg queries`, `lupuskg query`, `lupuskg sparql`: output formats and errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings

SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
LKG = "https://w3id.org/lupuskg/vocab/"
EXPECTED = Path(__file__).resolve().parents[1] / "expected"


def _expected_rows(query_id: str) -> int:
    """Rows of the reviewed answer, so a new document changes the golden file, not this test."""
    return len((EXPECTED / f"{query_id}.tsv").read_text(encoding="utf-8").splitlines()) - 1


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_queries_lists_ids_titles_parameters(built_settings: Settings) -> None:
    code, out, _ = _run("queries")
    assert code == 0
    for number in range(1, 20):
        assert f"Q{number:02d}" in out
    assert "Safety profile per therapy" in out
    assert "therapy (lkg:Therapy; default lkg:Therapy)" in out


def test_q06_hsct_shows_trm_and_infection_with_quotes(built_settings: Settings) -> None:
    code, out, _ = _run("query", "Q06", "--param", "therapy=HSCT", "--format", "json")
    assert code == 0
    bindings = json.loads(out)["results"]["bindings"]
    carl = "https://w3id.org/lupuskg/id/carl-2024"
    for outcome in ("TreatmentRelatedMortality", "Infection"):
        quotes = {
            row["quote"]["value"]
            for row in bindings
            if row["outcome"]["value"] == LKG + outcome and row["doc"]["value"] == carl
        }
        assert any("Treatment-Related Mortality (TRM) and infections" in q for q in quotes), quotes


def test_q11_shows_msc_improves_against_ineffective_in_some(built_settings: Settings) -> None:
    code, out, _ = _run("query", "Q11-pairs", "--format", "json")
    assert code == 0
    pairs = {
        (row["claimA"]["value"].rsplit("/", 1)[1], row["claimB"]["value"].rsplit("/", 1)[1])
        for row in json.loads(out)["results"]["bindings"]
    }
    assert ("frontiers-2021-msc-review.claim-05", "frontiers-2021-msc-review.claim-11") in pairs


def test_query_pages_a_drill_down(built_settings: Settings) -> None:
    code, whole, _ = _run("query", "Q11-pairs", "--format", "tsv")
    assert code == 0
    code, second, _ = _run("query", "Q11-pairs", "--format", "tsv", "--limit", "5", "--offset", "5")
    assert code == 0
    header, *rows = whole.splitlines()
    assert second.splitlines() == [header, *rows[5:10]]


def test_table_format_is_readable(built_settings: Settings) -> None:
    code, out, _ = _run("query", "Q09")
    assert code == 0
    # the population obo:MONDO_0005100 shows as its label, not as the CURIE
    assert "ASTIS" in out and "systemic sclerosis" in out and "obo:MONDO_0005100" not in out
    assert f"{_expected_rows('Q09')} row(s)" in out


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_formats_parse_back(fmt: str, built_settings: Settings) -> None:
    expected = _expected_rows("Q18")
    assert expected > 0, "Q18 has no rows to parse back"
    code, out, _ = _run("query", "Q18", "--format", fmt)
    assert code == 0
    if fmt == "json":
        document = json.loads(out)
        assert document["head"]["vars"][:3] == ["intervention", "interventionLabel", "targetCell"]
        assert len(document["results"]["bindings"]) == expected
    elif fmt == "xml":
        root = ElementTree.fromstring(out)
        assert root.tag == f"{SPARQL_RESULTS}sparql"
        assert len(root.findall(f"{SPARQL_RESULTS}results/{SPARQL_RESULTS}result")) == expected
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][:3] == ["intervention", "interventionLabel", "targetCell"]
        assert len(rows) == expected + 1
    else:
        lines = out.rstrip("\n").split("\n")
        assert lines[0].startswith("?intervention\t?interventionLabel\t?targetCell")
        assert len(lines) == expected + 1


def test_output_file(tmp_path: Path, built_settings: Settings) -> None:
    target = tmp_path / "q09.json"
    code, out, _ = _run("query", "Q09", "-f", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text())["results"]["bindings"]) == _expected_rows("Q09")


def test_bad_parameter_is_a_clear_error(built_settings: Settings) -> None:
    code, _, err = _run("query", "Q06", "-p", "therapy=nonsense")
    assert code == 1
    assert "error: Q06 parameter 'therapy': no term labelled 'nonsense'" in err
    assert "valid choices:" in err
    code, _, err = _run("query", "Q06", "-p", "therapy")
    assert code == 2 and "is not NAME=VALUE" in err


def test_sparql_from_stdin(built_settings: Settings) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/lupuskg/vocab/SafetyClaim> }"
    code, out, _ = _run("sparql", "-", "--format", "csv", input=query)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["n"] and int(rows[1][0]) > 0


def test_sparql_ask_and_construct(built_settings: Settings) -> None:
    code, out, _ = _run(
        "sparql", "-", "-f", "json", input="ASK { ?s a <https://w3id.org/lupuskg/vocab/Study> }"
    )
    assert code == 0 and json.loads(out)["boolean"] is True
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t FILTER(?t = <https://w3id.org/lupuskg/vocab/Study>) }"
    code, out, _ = _run("sparql", "-", input=construct)
    assert code == 0 and "lkg:Study" in out


def test_sparql_syntax_error(built_settings: Settings) -> None:
    code, _, err = _run("sparql", "-", input="SELECT WHERE {")
    assert code == 1 and "malformed SPARQL" in err


def test_query_path_does_not_import_rdflib() -> None:
    code = (
        "import sys, lupuskg.cli.query, lupuskg.queries, lupuskg.results, lupuskg.store;"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlready2') if m in sys.modules);"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
