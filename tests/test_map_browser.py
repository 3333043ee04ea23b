"""The chain map in a real headless Chromium at the two screens people use (1366×768, 1920×1080):
every link label drawn at 12 px or more, inside the map and on no other label; 断点 badges numbered
as the analysis ranks them; a click on a link opens that link's panel; nothing leaves 127.0.0.1.
Saves a screenshot of every chain's map to test-artifacts/map-<chain>-<width>.png."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.store.memory import MemoryStore
from loaders import load_directory
from tests.test_e2e import (  # noqa: F401  (fixtures)
    ARTIFACTS, LOCAL_HOSTS, ROOT, TIMEOUT_MS, browser, choose, server, settle)

pytestmark = pytest.mark.browser

CHECKED = ("new_energy_battery", "resource_recycling")
# Per label: its font size on screen (font-size × drawn scale) and its box; per map: the view's box.
MEASURE = """() => {
  const map = document.querySelector('.cg-map'), svg = map.querySelector('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const view = map.querySelector('.cg-view').getBoundingClientRect();
  const labels = [...svg.querySelectorAll('g.node')].map(node => ({
    id: node.dataset.id,
    lines: [...node.querySelectorAll('text.label')].map(t => {
      const r = t.getBoundingClientRect();
      return {px: parseFloat(t.getAttribute('font-size')) * scale, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom,
              box: (() => { const b = node.querySelector('rect').getBoundingClientRect();
                            return [b.left, b.right, b.top, b.bottom]; })()};
    })}));
  const badges = [...svg.querySelectorAll('g.node')].filter(n => n.querySelector('.break-badge'))
    .map(n => [n.dataset.id, n.querySelector('.break-badge').textContent]);
  return {labels, badges, view: [view.left, view.right], page: document.documentElement.clientWidth,
          width: map.getBoundingClientRect().width};
}"""


@pytest.fixture(scope="module")
def analysed():
    result = load_directory(ROOT / "data")
    store = MemoryStore()
    store.load(result.dataset)
    return {c.id: (c.name, chain_gaps(store, c.id, result.settings)) for c in store.chains()}


def overlaps(a: dict, b: dict) -> bool:
    """Glyph boxes (a line's width × its font size; the text box adds the font's line gap) meet."""
    ya, yb = (a["y0"] + a["y1"]) / 2, (b["y0"] + b["y1"]) / 2
    return (a["x0"] < b["x1"] - 1 and b["x0"] < a["x1"] - 1
            and ya - a["px"] / 2 < yb + b["px"] / 2 - 1 and yb - b["px"] / 2 < ya + a["px"] / 2 - 1)


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_chain_maps_are_readable_and_open_a_panel(server, browser, analysed, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{server}/chain-map")
    expect(page.locator(".cg-map svg")).to_be_visible()
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    for chain_id, (name, gaps) in analysed.items():
        if width != 1366 and chain_id not in CHECKED:
            continue  # every chain's picture at the laptop size; both sizes for the checked chains
        choose(page, "产业链", name)
        expect(page.locator(".cg-map svg text.title")).to_have_text(f"{name} 产业链图谱")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"map-{chain_id}-{width}.png"), full_page=True)
        if chain_id not in CHECKED:
            continue
        found = page.evaluate(MEASURE)
        assert found["width"] > 0.9 * (found["page"] - (300 if width < 1500 else 340))  # the page's width
        assert {label["id"] for label in found["labels"]} == {g.link.id for g in gaps.links}
        lines = [line for label in found["labels"] for line in label["lines"]]
        for line in lines:
            assert line["px"] >= 12, line
            left, right, top, bottom = line["box"]  # inside its box, and the box inside the visible map
            assert left <= line["x0"] and line["x1"] <= right + 0.5 and top <= line["y0"] and line["y1"] <= bottom
            assert found["view"][0] <= left and right <= found["view"][1]
        for i, a in enumerate(lines):
            assert not any(overlaps(a, b) for b in lines[i + 1:]), a
        ranks = {g.link.id: str(g.break_point.rank) for g in gaps.links if g.break_point}
        assert dict(found["badges"]) == ranks and ranks
        legend = page.locator(".cg-map svg text.legend").all_text_contents()
        assert all(f"断点{r}：{gaps.by_id(i).link.name}" in legend for i, r in ranks.items())
        link = gaps.wanted[0].link
        page.locator(f'.cg-map g.node[data-id="{link.id}"]').click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_role("heading", name=link.name, exact=True)).to_be_visible()
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        settle(page)
    context.close()
    remote = sorted({url for url in requests if urlparse(url).hostname not in LOCAL_HOSTS})
    assert requests and not remote, remote
