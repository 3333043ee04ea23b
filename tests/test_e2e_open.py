"""Opening the data, as a visitor of a fresh server sees it in Chromium: a progress message with the
stage under way (Chinese first), then the page, and the message gone.

The server gets an empty validated-tables cache (CHAIN_GRAPH_CACHE), so it reads and checks every
shipped file while the browser watches; a MutationObserver keeps each text the main area showed,
in order, so the test asserts what was on screen without racing the server.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chain_graph.i18n import t
from loaders import load_directory

from .test_e2e import ROOT, app_server, browser, grid_cell, settle, shot  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

# every distinct text of the main area, in the order it was shown
WATCH = """
window.__shown = [];
new MutationObserver(() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const text = main ? main.innerText.trim() : "";
  if (text && text !== window.__shown[window.__shown.length - 1]) window.__shown.push(text);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_progress_message_while_the_data_opens_then_the_page(browser, tmp_path):
    with app_server(ROOT / "data", CHAIN_GRAPH_CACHE=str(tmp_path / "cache")) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        context.add_init_script(WATCH)
        page = context.new_page()
        page.goto(url)
        heading = page.get_by_role("heading", name=t("overview.chains_at_a_glance", "zh"))
        expect(heading).to_be_visible()
        settle(page)
        for chain in load_directory(ROOT / "data").tables.chains:  # the overview lists every chain
            expect(grid_cell(page, chain.name)).to_be_attached()
        shot(page, "open-1-after-progress")
        shown: list[str] = page.evaluate("window.__shown")
        context.close()

    title, reading = t("open.title", "zh"), t("open.reading", "zh", path=str(ROOT / "data")).split("（")[0]
    progress = [i for i, text in enumerate(shown) if title in text or reading in text]
    drawn = [i for i, text in enumerate(shown) if t("overview.chains_at_a_glance", "zh") in text]
    assert progress, shown[:5]
    assert any(reading in text for text in shown), "the stage under way was never named"
    assert progress[0] < drawn[0], "the progress message came after the page"
    assert title not in shown[-1] and reading not in shown[-1], "the message stayed after the page was drawn"
