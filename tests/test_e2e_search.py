"""The search box, row selection and the 招商地图's province click in a real headless Chromium (1366×768):
what the user reads after each choice — the firm's profile, the link's panel on the chain map, the
province's targets — in Chinese, offline; and no metric label or figure cut at that width.
Screenshots: test-artifacts/search-0-results.png, search-*.png, select-*.png, cmap-province.png, metrics-gaps.png."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.targets import chain_targets
from chain_graph.output.chinamap import known_province
from chain_graph.store.base import FirmQuery
from chain_graph.store.memory import MemoryStore
from loaders import load_directory

from .test_e2e import (  # noqa: F401  (fixtures)
    CHAIN, LOCAL_HOSTS, ROOT, TIMEOUT_MS, browser, choose, go, grid_cell, server, settle, shot)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shipped():
    result = load_directory(ROOT / "data")
    store = MemoryStore()
    store.load(result.tables)
    gaps = chain_gaps(store, CHAIN, result.settings)
    return store, chain_targets(store, gaps, result.settings), next(c.name for c in store.chains() if c.id == CHAIN)


@pytest.fixture
def page(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(server)
    expect(page.get_by_role("heading", name="产业链总览")).to_be_visible()
    settle(page)
    yield page
    context.close()
    assert requests and not [u for u in requests if urlparse(u).hostname not in LOCAL_HOSTS]


def search(page: Page, words: str) -> None:
    box = page.get_by_role("textbox", name="搜索企业、环节、项目")
    box.fill(words)
    box.press("Enter")
    settle(page)


def click_row(page: Page, table: str, row: int) -> None:
    """Tick row `row` (0 first) of the st.dataframe whose key starts with `table` (dots as dashes): the grid
    is a canvas, so the click goes to the row's selection box at the left of that row."""
    grid = page.locator(f"[class*='st-key-{table}'] [data-testid='stDataFrameResizable']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default row and header height
    page.mouse.click(box["x"] + 15, box["y"] + row_height * (row + 1.5))
    settle(page)


def test_search_opens_a_firm_and_a_link(page, shipped):
    store, _, chain_name = shipped
    firm = next(r.firm for r in store.firms(FirmQuery(local=False)) if r.links)
    search(page, firm.name)
    found = store.search(firm.name, 8)
    expect(page.get_by_text(f"企业（{found.total['firm']}）", exact=True)).to_be_visible()
    shot(page, "search-0-results")
    button = page.get_by_role("button", name=f"{firm.name} · {firm.city}")
    assert button.evaluate("b => [...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth + 1)")  # not cut
    button.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=firm.name, exact=True)).to_be_visible()
    expect(dialog.get_by_text(firm.id)).to_be_visible()
    expect(dialog.get_by_text("所在环节与产能")).to_be_visible()
    expect(dialog.get_by_text("客户（从其采购）")).to_be_visible()
    shot(page, "search-1-firm")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    link = next(l for l in store.links(CHAIN) if len(store.search(l.name).of("link")) >= 1)
    search(page, link.name)
    page.get_by_role("button", name=f"{link.name} · {chain_name}").click()
    expect(page.get_by_role("heading", name="产业链图谱", exact=True)).to_be_visible()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=link.name, exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="产业链")).to_have_value(chain_name)
    shot(page, "search-2-link")


def test_search_says_when_nothing_matches(page):
    search(page, "无此企业名称")
    expect(page.get_by_text("没有找到含“无此企业名称”的企业、环节或项目。")).to_be_visible()


def test_a_row_click_opens_its_firm(page, shipped):
    store, targets, chain_name = shipped
    go(page, "企业", "企业")
    first, second = store.firms(FirmQuery(limit=2))
    expect(page.get_by_role("heading", name=first.firm.name, exact=True)).to_be_visible()  # the first, before a click
    click_row(page, "firms-table", 1)
    expect(page.get_by_role("heading", name=second.firm.name, exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="查看企业")).to_have_value(f"{second.firm.name} · {second.firm.id}")
    shot(page, "select-1-firms")

    go(page, "缺什么招什么", "缺什么招什么")
    choose(page, "产业链", chain_name)
    click_row(page, "targets-table", 0)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=targets[0].firm_name, exact=True)).to_be_visible()
    expect(dialog.get_by_text("企业详情")).to_be_visible()
    shot(page, "select-2-target")


def test_a_province_click_lists_its_targets(page, shipped):
    store, targets, chain_name = shipped
    go(page, "招商地图", "招商地图")
    choose(page, "产业链", chain_name)
    by_province: dict[str, list[str]] = {}
    for x in targets:
        if known_province(x.candidate.province):
            by_province.setdefault(known_province(x.candidate.province), []).append(x.firm_name)
    province = max(by_province, key=lambda p: len(set(by_province[p])))
    page.locator(f'.cg-map g.node[data-id="{province}"]').click()
    settle(page)
    expect(page.get_by_role("heading", name=f"{province}的招商目标", exact=True)).to_be_visible()
    for name in by_province[province][:3]:
        expect(grid_cell(page, name)).to_be_attached()
    page.get_by_role("heading", name=f"{province}的招商目标", exact=True).scroll_into_view_if_needed()
    shot(page, "cmap-province")
    click_row(page, f"cmap-table-{CHAIN}-", 0)
    expect(page.get_by_role("dialog").get_by_role("heading", name=by_province[province][0], exact=True)).to_be_visible()


# a metric's label or figure cut with "…" has a text box narrower than its text
CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetric"] *')]
  .filter(e => e.children.length === 0 && e.textContent.trim() && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent)"""


def test_no_metric_is_cut_at_1366(page, shipped):
    unknown = sum(p.investment is None for p in shipped[0].projects())
    expect(page.get_by_text(f"{unknown}个项目无金额", exact=True)).to_be_visible()  # the unknown count, under 总投资
    for title in ("总览", "项目台账", "缺什么招什么"):
        if title != "总览":
            go(page, title, title)
        page.wait_for_timeout(300)
        assert page.locator('[data-testid="stMetric"]').count() >= 5
        assert page.evaluate(CUT_METRICS) == [], title
    shot(page, "metrics-gaps")
