"""The app in a real headless Chromium (Debian's, driven by Playwright), offline.

Starts `streamlit run app.py` on a free port with the shipped data, walks the pages a promotion
team uses — chain map, a link's panel with its targets, the gap workbench's Excel export — saves a
screenshot of each page to test-artifacts/ and asserts that no request left 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect, sync_playwright

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.targets import chain_targets
from chain_graph.output.workbook import header_row_of
from chain_graph.store.memory import MemoryStore
from loaders import load_directory

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHAIN = "new_energy_battery"
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)  # the first page of a cold app on a busy machine takes more than 5 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def expected() -> dict:
    """What the pages must show, from the analyses on the same data."""
    result = load_directory(ROOT / "data")
    store = MemoryStore()
    store.load(result.dataset)
    gaps = chain_gaps(store, CHAIN, result.settings)
    link = next(g for g in gaps.wanted if chain_targets(store, gaps, result.settings, link_id=g.link.id))
    return {
        "chain": next(c.name for c in store.chains() if c.id == CHAIN),
        "link": link.link.name,
        "link_target": chain_targets(store, gaps, result.settings, link_id=link.link.id)[0].firm_name,
        "targets": [(x.rank, x.firm_name) for x in chain_targets(store, gaps, result.settings)],
    }


@pytest.fixture(scope="module")
def server():
    with app_server(ROOT / "data") as url:
        yield url


@contextmanager
def app_server(data: Path, **extra: str):
    """`streamlit run app.py` on a free port with `data`, the embedded store and `extra` environment,
    until the block ends."""
    port = free_port()
    env = {**os.environ, "CHAIN_GRAPH_DATA": str(data), "CHAIN_GRAPH_STORE": "memory", **extra}
    env.pop("CHAIN_GRAPH_PASSWORD", None)
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start: {process.stdout.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(600)  # let charts and the map finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def settle(page: Page) -> None:
    """Wait until the app has finished rerunning: no running indicator, no element marked stale."""
    page.wait_for_timeout(250)
    page.wait_for_function("""() => !document.querySelector(
        '[data-testid^="stStatusWidgetRunning"], [data-stale="true"]')""")


def go(page: Page, title: str, heading: str) -> None:
    """Open a page from the sidebar (same session, so the chosen chain comes along)."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    settle(page)


def grid_cell(page: Page, text: str) -> Locator:
    """A cell of st.dataframe: the grid draws on a canvas and mirrors its cells in hidden <td>s."""
    return page.locator("td[role=gridcell]", has_text=re.compile(f"^{re.escape(text)}$")).first


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` (its visible text starts with this) in the selectbox labelled `label`."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    box.click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
    settle(page)


def test_promotion_team_walkthrough_offline(server, browser, expected, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))

    page.goto(server)
    expect(page.get_by_role("heading", name="产业链总览")).to_be_visible()
    settle(page)
    expect(grid_cell(page, expected["chain"])).to_be_attached()
    shot(page, "1-overview")

    go(page, "产业链图谱", "产业链图谱")
    choose(page, "产业链", expected["chain"])
    expect(page.locator(".cg-map svg g.node").first).to_be_visible()
    choose(page, "选择环节查看详情", f"{expected['link']} · ")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=expected["link"], exact=True)).to_be_visible()
    dialog.get_by_role("tab", name="招商目标").click()
    expect(dialog.get_by_role("cell", name=expected["link_target"], exact=True)).to_be_visible()
    shot(page, "2-chain-map")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    go(page, "缺什么招什么", "缺什么招什么")
    expect(page.get_by_role("combobox", name="产业链")).to_have_value(expected["chain"])  # kept from the map
    shot(page, "3-gaps")
    with page.expect_download() as download:
        page.locator(".st-key-targets-xlsx button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"招商目标清单_{expected['chain']}_{date.today().isoformat()}.xlsx"
    sheet = load_workbook(saved).active
    header, *rows = list(sheet.iter_rows(min_row=header_row_of(sheet), values_only=True))
    column = {name: i for i, name in enumerate(header)}
    assert [(row[column["排名"]], row[column["企业名称"]]) for row in rows] == expected["targets"]

    for title, heading, name in (("企业", "企业", "4-firms"), ("项目台账", "项目台账", "5-projects"),
                                 ("数据管理", "数据管理", "6-data")):
        go(page, title, heading)
        shot(page, name)
    context.close()

    remote = sorted({url for url in requests if urlparse(url).hostname not in LOCAL_HOSTS})
    assert requests and not remote, remote
