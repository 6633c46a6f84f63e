"""The query page in headless Debian Chromium: YASGUI loads offline, runs a canned query, shows rows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Debian chromium is not installed (.ci/run installs it)")
    pytest.skip("Debian chromium is not installed")


def test_query_page_runs_a_canned_query(page_server, built_settings) -> None:
    from lupuskg.queries import catalog, execute

    first_id = next(iter(catalog(built_settings)))
    expected = len(execute(first_id, settings=built_settings)[2])
    assert 1 <= expected <= 50  # fits YASR's first page
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on(
                "request",
                lambda request: (
                    outside.append(request.url)
                    if not request.url.startswith((page_server.base, "data:", "blob:"))
                    else None
                ),
            )
            page.goto(page_server.base + "/", wait_until="load", timeout=60_000)
            page.wait_for_selector("body[data-ready='true']", timeout=60_000)
            tabs = page.locator(".tabPanel, .tab")  # one example tab per canned query
            assert page.locator("#questions li").count() >= 19
            assert tabs.count() >= 1
            page.locator(".yasqe_queryButton").first.click()
            rows = page.locator(".yasr table tbody tr")
            rows.first.wait_for(timeout=60_000)
            first_row = rows.first.inner_text()
            count = rows.count()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
        finally:
            browser.close()
    assert count == expected
    assert first_row.strip()
    assert outside == [], f"the page fetched from outside this server: {outside}"


def test_questions_open_pages_and_results_link_locally(page_server) -> None:
    """Clicking a question opens its page (no download); YASR's result links and class
    pages' restrictions (Manchester syntax) are checked in the real browser."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    downloads: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("download", lambda download: downloads.append(download.suggested_filename))
            page.goto(page_server.base + "/", wait_until="load", timeout=60_000)
            page.wait_for_selector("body[data-ready='true']", timeout=60_000)
            page.locator(".yasqe_queryButton").first.click()
            page.locator(".yasr table tbody tr").first.wait_for(timeout=60_000)
            outside = page.locator(".yasr a[href^='https://w3id.org/lupuskg/']").count()
            local = page.locator(".yasr a[href^='/']").count()
            first = page.locator("#questions li a").first
            query_id = first.inner_text().split()[0]
            first.click()
            page.wait_for_url(f"**/query/{query_id}", timeout=60_000)
            heading = page.locator("h1").inner_text()
            page.goto(page_server.base + "/vocab/Claim", wait_until="load", timeout=60_000)
            claim_text = " ".join(page.locator("body").inner_text().split())
        finally:
            browser.close()
    assert outside == 0, "YASR result links lead to w3id.org instead of this server"
    assert local > 0
    assert heading.startswith(query_id)
    assert downloads == []
    assert "has quote some quote" in claim_text
