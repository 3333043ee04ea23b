"""数据管理 in a real headless Chromium, in the Chinese UI: a bad firm file is refused with a Chinese
message naming its row and column and the rows it knocks on counted under it (one error, not
1 + N), then a good one shows what it would change per table before it is confirmed and written.

The app runs on a copy of the shipped data, so confirming writes nothing of the checkout.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_e2e import ARTIFACTS, TIMEOUT_MS, browser, choose, go, app_server, settle  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


def firm_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO((ROOT / "data" / "firms.csv").read_text(encoding="utf-8"))))


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def app_on_a_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    with app_server(data) as url:
        yield url, data


def upload(page: Page, name: str, content: bytes) -> None:
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})
    settle(page)


def cell(page: Page, text: str):
    """A cell of st.dataframe (mirrored in hidden <td>s) that contains `text`."""
    return page.locator("td[role=gridcell]", has_text=text).first


def test_a_bad_firm_file_is_told_in_chinese_and_a_good_one_shows_its_changes(app_on_a_copy, browser, tmp_path):
    url, data = app_on_a_copy
    rows = firm_rows()
    header, bad_id = rows[0], rows[2][0]
    knocked = sum(line.split(",")[0] == bad_id
                  for line in (data / "firm_links.csv").read_text(encoding="utf-8").splitlines())
    broken = [list(r) for r in rows]
    broken[2][header.index("founded")] = "2012-13-45"
    good = [list(r) for r in rows]
    good[3][header.index("city")] = "嘉峪关测试市"

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name="产业链总览")).to_be_visible()
    settle(page)
    go(page, "数据管理", "数据管理")
    choose(page, "文件类型", "企业表 firms")

    upload(page, "firms.csv", as_csv(broken))
    expect(page.get_by_text("校验发现 1 个错误，数据没有任何改动")).to_be_visible()
    problem = cell(page, "2012-13-45 不是日期")
    expect(problem).to_be_attached()
    expect(problem).to_contain_text(f"由此 firm_links.csv 中 {knocked} 行引用了不存在的企业")
    expect(page.locator("td[role=gridcell]", has_text="founded").first).to_be_attached()  # the column
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "7-upload-refused.png"), full_page=True)

    upload(page, "firms.csv", as_csv(good))
    expect(page.get_by_text("校验通过")).to_be_visible()
    expect(page.get_by_text("确认前将发生的变化")).to_be_visible()
    expect(cell(page, "企业表 firms")).to_be_attached()
    page.get_by_text("查看 企业表 firms 的变化行").click()
    expect(cell(page, "嘉峪关测试市")).to_be_attached()
    page.screenshot(path=str(ARTIFACTS / "8-upload-changes.png"), full_page=True)
    assert (data / "firms.csv").read_bytes() == (ROOT / "data" / "firms.csv").read_bytes()  # nothing written yet

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已写入 firms.csv 并重新加载数据")).to_be_visible()
    assert "嘉峪关测试市" in (data / "firms.csv").read_text(encoding="utf-8")
    context.close()
