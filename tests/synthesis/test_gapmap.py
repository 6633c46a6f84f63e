"""The evidence gap map: cells from the fixture claims, and the page in headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.store import open_store
from lupuskg.synthesis.gapmap import build_map

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
QUOTE = "At 12 months, 10 of 20 patients were in complete remission."


def test_cells_gaps_and_sizes(synthesis_settings) -> None:
    evidence = build_map(open_store(synthesis_settings))
    roots = [therapy for therapy, _, depth in evidence.rows if depth == 0]
    assert roots == ["https://w3id.org/lupuskg/vocab/CellTherapy"]  # the hierarchy's top
    assert "https://w3id.org/lupuskg/vocab/StemCellTherapy" in [
        t for t, _, d in evidence.rows if d == 1
    ]
    assert "umbilical cord mesenchymal stem cell therapy" in [
        label for _, label, _ in evidence.rows
    ]
    assert [(compact_outcome, group) for _, compact_outcome, group in evidence.columns] == [
        ("complete remission outcome", "efficacy")
    ]
    records = evidence.to_records()
    filled = [r for r in records if r["claims"]]
    assert len(records) == len(evidence.rows)  # one column: every row has a cell, gaps included
    assert filled == [
        {
            "therapy": "lkg:UCMSCTherapy",
            "therapy_label": "umbilical cord mesenchymal stem cell therapy",
            "outcome": "lkg:CompleteRemission",
            "outcome_label": "complete remission outcome",
            "group": "efficacy",
            "claims": 3,
            "studies": 3,
            "size": 60,
            "size_unit": "patients",
            "direction": "lkg:Improves",
            "certainty": "lkg:Established",
        }
    ]


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Debian chromium is not installed (.ci/run installs it)")
    pytest.skip("Debian chromium is not installed")


@pytest.mark.browser
def test_map_page_renders_and_a_click_shows_the_quotes(synthesis_settings, tmp_path) -> None:
    out = tmp_path / "map"
    result = CliRunner().invoke(main, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "map.json", "map.png", "map.svg"]
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto((out / "index.html").as_uri(), wait_until="load", timeout=60_000)
            page.wait_for_selector("body[data-ready='true']", timeout=30_000)
            assert page.locator("circle.bubble").count() == 1
            assert page.locator("rect.gap").count() == len(
                build_map(open_store(synthesis_settings)).rows
            )
            page.locator("circle.bubble").first.click()
            page.wait_for_selector("#details blockquote.quote", timeout=30_000)
            quotes = page.locator("#details blockquote.quote").all_inner_texts()
            links = page.locator("#details a.claim-link").evaluate_all(
                "links => links.map(a => a.href)"
            )
            shot = page.screenshot(full_page=True)
        finally:
            browser.close()
    assert QUOTE in quotes and len(quotes) == 3
    assert "https://w3id.org/lupuskg/id/beta-2015.claim-01" in links
    assert requests == [(out / "index.html").as_uri()], "the page must load nothing else"
    _assert_not_blank(shot, tmp_path / "map.png")


def _assert_not_blank(png: bytes, path: Path) -> None:
    """The screenshot has many distinct colours (a blank page has one)."""
    from matplotlib import image

    path.write_bytes(png)
    pixels = image.imread(path)
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    distinct = {tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[2]).tolist()}
    assert len(distinct) > 10


def test_the_release_ships_the_map(synthesis_settings, tmp_path) -> None:
    from lupuskg.release import write_release

    release = write_release(synthesis_settings, tmp_path)
    paths = {f.path for f in release.files}
    assert {"map/index.html", "map/map.svg", "map/map.png", "map/map.json"} <= paths
    assert '<circle class="bubble"' in (release.directory / "map" / "index.html").read_text(
        encoding="utf-8"
    )
