"""The per-document validation cache: what invalidates an entry, and what does not."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import open_cache, validate

NEWS = "cem-ucmsc-news"
REVIEW = "frontiers-2021-msc-review"


def _cache_dir(settings: Settings) -> Path:
    return settings.build_dir / "validation-cache"


def _entries(settings: Settings) -> list[Path]:
    return sorted(_cache_dir(settings).glob("*/*.json"))


def test_second_run_comes_from_the_cache_with_the_same_results(
    validation_project: Settings,
) -> None:
    cold = validate(validation_project, jobs=1)
    warm = validate(validation_project, jobs=1)
    assert cold.cached == 0
    assert warm.cached == 2
    assert warm.results == cold.results
    assert warm.files == cold.files
    assert len(_entries(validation_project)) == 2
    assert "(2 from cache)" in warm.summary()


def test_an_edited_document_alone_is_validated_again(validation_project: Settings) -> None:
    validate(validation_project, jobs=1)
    path = validation_project.documents_dir / f"{NEWS}.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"P6Y"^^xsd:duration', '"six years"'), encoding="utf-8")
    report = validate(validation_project, jobs=1)
    assert report.cached == 1
    flagged = {(r.file, r.path) for r in report.results if r.severity == "Violation"}
    assert (f"graph/documents/{NEWS}.ttl", "lkg:followUp") in flagged


def test_an_edited_source_invalidates_only_the_documents_that_read_it(
    validation_project: Settings,
) -> None:
    validate(validation_project, jobs=1)
    source = validation_project.sources_dir / f"{REVIEW}.txt"
    source.write_bytes(source.read_bytes() + b"\nappended\n")
    report = validate(validation_project, jobs=1)
    assert report.cached == 1
    mismatched = [r for r in report.results if r.file.endswith(f"{REVIEW}.ttl")]
    assert any("sha256" in (r.path or "") or "SHA-256" in r.message for r in mismatched), [
        r.message for r in mismatched
    ]


def test_changed_shapes_invalidate_every_entry(validation_project: Settings) -> None:
    validate(validation_project, jobs=1)
    shapes = validation_project.shapes_file
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert validate(validation_project, jobs=1).cached == 0


def test_no_cache_neither_reads_nor_writes(validation_project: Settings) -> None:
    report = validate(validation_project, jobs=1, cache=False)
    assert report.cached == 0
    assert not _cache_dir(validation_project).exists()
    validate(validation_project, jobs=1)
    assert validate(validation_project, jobs=1, cache=False).cached == 0


def test_a_corrupt_entry_is_a_miss(validation_project: Settings) -> None:
    first = validate(validation_project, jobs=1)
    for entry in _entries(validation_project):
        entry.write_text('{"format": 1, "outcome": ', encoding="utf-8")
    again = validate(validation_project, jobs=1)
    assert again.cached == 0
    assert again.results == first.results


def test_concurrent_writers_leave_one_complete_entry(validation_project: Settings) -> None:
    cache = open_cache(validation_project)
    key = cache.key("graph/documents/x.ttl", "0" * 64)
    outcome = {"file": "graph/documents/x.ttl", "results": [], "defined": {}, "n": "y" * 50_000}

    def write() -> None:
        for _ in range(20):
            cache.put(key, outcome, [f"graph/sources/{NEWS}.txt"])

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    folder = _cache_dir(validation_project) / key[:2]
    assert [path.name for path in folder.iterdir()] == [f"{key}.json"]
    assert cache.get(key) == outcome
    stored = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    assert list(stored["dependencies"]) == [f"graph/sources/{NEWS}.txt"]


def test_cli_reports_the_cached_count_and_honours_no_cache(validation_project: Settings) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["validate", "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "from cache" not in first.output
    second = runner.invoke(main, ["validate", "--jobs", "1"])
    assert "(2 from cache)" in second.output
    forced = runner.invoke(main, ["validate", "--jobs", "1", "--no-cache"])
    assert forced.exit_code == 0
    assert "from cache" not in forced.output


def test_the_parsed_context_blob_is_reused_and_a_corrupt_one_ignored(
    validation_project: Settings,
) -> None:
    first = validate(validation_project, jobs=1)
    blobs = sorted(_cache_dir(validation_project).glob("context-*.pickle"))
    assert len(blobs) == 1
    for entry in _entries(validation_project):
        entry.unlink()
    blobs[0].write_bytes(b"not a pickle")
    again = validate(validation_project, jobs=1)
    assert again.cached == 0
    assert again.results == first.results
    for entry in _entries(validation_project):
        entry.unlink()
    from_blob = validate(validation_project, jobs=1)  # the blob was rewritten by the last run
    assert from_blob.results == first.results


def test_a_source_outside_graph_sources_is_never_hashed_nor_reused(
    validation_project: Settings,
) -> None:
    path = validation_project.documents_dir / f"{NEWS}.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(f'"graph/sources/{NEWS}.txt"', '"../outside.txt"'), encoding="utf-8"
    )
    (validation_project.root.parent / "outside.txt").write_text("secret", encoding="utf-8")
    first = validate(validation_project, jobs=1)
    assert first.cached == 0
    stored = [
        json.loads(entry.read_text(encoding="utf-8")) for entry in _entries(validation_project)
    ]
    deps = [dep for entry in stored for dep in entry["dependencies"]]
    assert not any("outside" in dep and not dep.startswith("!unread:") for dep in deps)
    again = validate(validation_project, jobs=1)
    assert again.cached == 1  # the other document only
    assert again.results == first.results
