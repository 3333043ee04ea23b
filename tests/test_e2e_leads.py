"""招商线索 in a real headless Chromium: the top five targets of the battery chain become leads, one is
advanced to 签约, and it shows on the pipeline page, as a 签约 project on 项目台账 and on the workbench."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.targets import chain_targets
from chain_graph_app.service.opening import open_data

from .test_e2e import CHAIN, ROOT, TIMEOUT_MS, app_server, browser, choose, go, grid_cell, settle, shot  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("leads") / "data"
    shutil.copytree(ROOT / "data", root)
    return root


def test_targets_to_leads_to_a_signed_project(data, browser):
    opened = open_data(data, "memory")
    gaps = chain_gaps(opened.store, CHAIN, opened.settings)
    top = chain_targets(opened.store, gaps, opened.settings)[:5]
    chain_name = next(c.name for c in opened.store.chains() if c.id == CHAIN)
    with app_server(data) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(url)
        settle(page)
        go(page, "缺什么招什么", "缺什么招什么")
        choose(page, "产业链", chain_name)
        chooser = page.get_by_role("combobox", name="选择目标企业（加入招商线索）")
        for x in top:
            chooser.click()
            chooser.fill(x.firm_name)
            page.get_by_role("option", name=re.compile(f"^{x.rank}\\. ")).first.click()
            settle(page)
        page.keyboard.press("Escape")
        page.get_by_role("button", name="加入招商线索").click()
        expect(page.get_by_text("已加入 5 条招商线索")).to_be_visible()
        settle(page)
        shot(page, "leads-1-workbench")

        go(page, "招商线索", "招商线索")
        signed = top[0]
        choose(page, "线索", signed.firm_name)
        for status in ("考察/洽谈", "签约"):
            form = page.get_by_test_id("stForm")
            form.get_by_test_id("stSelectbox").filter(has=page.get_by_text("状态", exact=True)).click()
            page.get_by_role("option", name=status, exact=True).click()
            form.get_by_role("button", name="保存").click()
            expect(page.get_by_text(re.compile("已保存线索"))).to_be_visible()
            settle(page)
        expect(page.get_by_text(re.compile("已在项目台账新建签约项目 ZS-"))).to_be_visible()
        expect(grid_cell(page, "签约").first).to_be_attached()  # the funnel and the list
        shot(page, "leads-2-pipeline")

        go(page, "项目台账", "项目台账")
        choose(page, "产业链", chain_name)
        statuses = page.get_by_role("combobox", name="项目状态")
        statuses.click()
        statuses.fill("签约")
        page.get_by_role("option", name="签约", exact=True).click()
        page.keyboard.press("Escape")
        settle(page)
        project = f"{signed.firm_name}·{signed.link_name}项目"
        expect(grid_cell(page, project)).to_be_attached()
        row = page.locator("tr", has=grid_cell(page, project))
        expect(row.locator("td[role=gridcell]", has_text=re.compile("^签约$"))).to_have_count(1)
        shot(page, "leads-3-projects")

        go(page, "缺什么招什么", "缺什么招什么")
        expect(grid_cell(page, top[1].firm_name)).to_be_attached()
        marked = page.locator("tr", has=grid_cell(page, top[1].firm_name))
        expect(marked.locator("td[role=gridcell]", has_text=re.compile("^线索$"))).to_have_count(1)
        page.get_by_text("全部环节状态与依据").click()
        settle(page)
        link_row = page.locator("tr", has=grid_cell(page, signed.link_name))
        expect(link_row.locator("td[role=gridcell]", has_text=re.compile("^签约 1$"))).to_have_count(1)
        expect(link_row.locator("td[role=gridcell]", has_text=re.compile("^在建补链$"))).to_have_count(1)
        shot(page, "leads-4-workbench-marked")
        context.close()
