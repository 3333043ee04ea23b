"""The data page: an upload is checked in full on a copy, shows every problem by file, row and
column, and changes the data directory only on confirmation (AppTest and the staging module)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from chain_graph_app.service import uploads as datafiles
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHAIN = "new_energy_battery"


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A private copy of the shipped data, and the app pointed at it."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("CHAIN_GRAPH_DATA", str(copy))
    monkeypatch.delenv("CHAIN_GRAPH_STORE", raising=False)
    monkeypatch.delenv("CHAIN_GRAPH_PASSWORD", raising=False)
    return copy


def snapshot(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in datafiles.files(root)}


def table(root: Path, kind: str) -> pd.DataFrame:
    path = next(root / f"{kind}{s}" for s in (".csv", ".xlsx") if (root / f"{kind}{s}").exists())
    if path.suffix == ".xlsx":
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False).encode(encoding)


def with_project(root: Path, project_id: str = "P-UPLOAD-1") -> pd.DataFrame:
    projects = table(root, "projects")
    link = next(iter(yaml.safe_load((root / "chains" / chain_file(root)).read_text(encoding="utf-8"))["links"]))["id"]
    row = {column: "" for column in projects.columns}
    row.update({"id": project_id, "name": "上传测试项目", "status": "签约", "links": link})
    return pd.concat([projects, pd.DataFrame([row])], ignore_index=True)


def chain_file(root: Path) -> str:
    return next(p.name for p in (root / "chains").glob("*.yaml")
                if yaml.safe_load(p.read_text(encoding="utf-8"))["id"] == CHAIN)


def with_bad_firms(root: Path) -> tuple[bytes, int]:
    """The firm table plus two broken rows; returns the bytes and the spreadsheet row of the first."""
    firms = table(root, "firms")
    bad = {column: "" for column in firms.columns}
    broken = [{**bad, "id": "91620300MA00000000", "name": "校验失败企业甲", "status": "开张大吉"},
              {**bad, "id": "not-a-code", "name": "", "status": "存续"}]
    return csv_bytes(pd.concat([firms, pd.DataFrame(broken)], ignore_index=True)), len(firms) + 2


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("chain_graph_app/web/data.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, kind: str, name: str, content: bytes) -> AppTest:
    at.selectbox(key="upload.kind").set_value(kind).run()
    at.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


# -- the page ---------------------------------------------------------------------------------

def test_bad_upload_shows_row_level_errors_and_stores_nothing(data):
    before = snapshot(data)
    content, first_bad_row = with_bad_firms(data)
    at = upload(data_page(), "firms", "firms.csv", content)
    assert "数据没有任何改动" in at.error[0].value
    report = at.dataframe[0].value
    assert list(report.columns) == ["文件", "行", "列", "级别", "问题", "修改建议"]
    assert set(report["文件"]) == {"firms.csv"}
    assert {first_bad_row, first_bad_row + 1} <= set(report["行"])
    assert "status" in set(report[report["行"] == first_bad_row]["列"])
    assert not [b for b in at.button if b.key == "upload.confirm"]
    assert snapshot(data) == before


def test_good_upload_is_stored_only_on_confirmation(data):
    before = snapshot(data)
    at = upload(data_page(), "projects", "projects.csv", csv_bytes(with_project(data)))
    assert at.success and not at.error
    assert snapshot(data) == before  # validated, not yet stored
    count = len(table(data, "projects"))
    at.button(key="upload.confirm").click().run()
    assert not at.exception
    assert "P-UPLOAD-1" in set(table(data, "projects")["id"])
    assert len(table(data, "projects")) == count + 1
    assert "已写入 projects.csv" in at.success[0].value
    assert f"{count + 1} 个项目" in at.caption[0].value  # the store was reloaded
    assert at.file_uploader[0].value is None  # the uploader is emptied for the next file


def test_confirmed_upload_also_loads_the_neo4j_graph(data, neo, monkeypatch):
    neo.load(load_directory(data).dataset)
    monkeypatch.setenv("CHAIN_GRAPH_STORE", os.environ["NEO4J_URI"])
    at = upload(data_page(), "projects", "projects.csv", csv_bytes(with_project(data)))
    assert "P-UPLOAD-1" not in {p.id for p in neo.projects()}
    at.button(key="upload.confirm").click().run()
    assert not at.exception
    neo.version()  # a new question: read the version now live (a reader keeps the one it started on)
    assert "P-UPLOAD-1" in {p.id for p in neo.projects()}


def test_gbk_csv_upload_validates(data):
    at = upload(data_page(), "projects", "projects.csv", csv_bytes(with_project(data), "gb18030"))
    assert at.success and not at.error


def test_download_tab_offers_every_file_and_a_zip(data):
    at = data_page()
    assert set(at.selectbox(key="download.file").options) == set(datafiles.files(data))
    assert [b.proto.label for b in at.get("download_button")] == ["下载该文件", "下载整个数据目录（ZIP）"]


# -- staging ----------------------------------------------------------------------------------

def test_stage_changes_nothing_even_when_valid(data):
    before = snapshot(data)
    staged = datafiles.stage(data, "projects", "projects.csv", csv_bytes(with_project(data)))
    assert staged.ok and staged.target == "projects.csv"
    assert snapshot(data) == before


def test_xlsx_upload_replaces_the_csv_of_the_same_table(data):
    buffer = io.BytesIO()
    with_project(data).to_excel(buffer, index=False)
    staged = datafiles.commit(data, "projects", "Projects.XLSX", buffer.getvalue())
    assert staged.ok and staged.target == "projects.xlsx" and staged.stale == ("projects.csv",)
    assert (data / "projects.xlsx").exists() and not (data / "projects.csv").exists()
    assert "P-UPLOAD-1" in set(table(data, "projects")["id"])


def test_chain_upload_replaces_the_file_with_the_same_id(data):
    name = chain_file(data)
    doc = yaml.safe_load((data / "chains" / name).read_text(encoding="utf-8"))
    doc["name"] = "新能源电池（修订）"
    content = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")
    staged = datafiles.commit(data, "chain", "whatever-name.yaml", content)
    assert staged.ok, staged.problems
    assert staged.target == f"chains/{name}"
    assert "新能源电池（修订）" in (data / "chains" / name).read_text(encoding="utf-8")


def test_new_chain_gets_a_safe_file_name(data):
    staged = datafiles.stage(data, "chain", "x.yaml", b"id: ../../evil chain\nname: x\nlinks: []\n")
    assert staged.target == "chains/evil_chain.yaml"


def test_broken_yaml_points_at_its_line(data):
    staged = datafiles.stage(data, "chain", "broken.yaml", b"id: a\nname: [unclosed\n")
    assert not staged.ok
    assert any(p.location.file == "chains/broken.yaml" and p.location.row for p in staged.problems)


@pytest.mark.parametrize(("kind", "name", "content"), [
    ("firms", "firms.txt", b"id,name\n"),
    ("chain", "chain.yaml", "id: 链\n".encode("gb18030") + b"\xff"),
])
def test_unreadable_uploads_are_refused(data, kind, name, content):
    before = snapshot(data)
    staged = datafiles.commit(data, kind, name, content)
    assert not staged.ok and staged.problems[0].location.file == name
    assert snapshot(data) == before


def test_commit_refuses_what_no_longer_validates(data):
    content, _ = with_bad_firms(data)
    before = snapshot(data)
    assert not datafiles.commit(data, "firms", "firms.csv", content).ok
    assert snapshot(data) == before


def test_zip_holds_every_file(data):
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(datafiles.zip_bytes(data))).namelist()
    assert sorted(names) == [f"data/{n}" for n in datafiles.files(data)]


# -- the enterprise-list import tab -----------------------------------------------------------

def platform_export() -> tuple[str, bytes]:
    """A 企查查-style export: Chinese headers, GBK, capital as text, the business scope to classify by."""
    from tests.conftest import code

    frame = pd.DataFrame([{
        "企业名称": "苏州示例电解液材料股份有限公司", "统一社会信用代码": code(901, "320500"), "登记状态": "存续",
        "所属省份": "江苏省", "所属城市": "苏州市", "注册资本": "5000万元人民币",
        "经营范围": "锂离子电池电解液、六氟磷酸锂的研发、生产和销售",
    }])
    return code(901, "320500"), csv_bytes(frame, "gb18030")


def test_enterprise_list_import_is_a_dry_run_until_confirmed(data):
    firm_id, content = platform_export()
    before = snapshot(data)
    at = data_page()
    at.file_uploader[1].set_value(("企查查导出.csv", content, "text/csv")).run()
    assert not at.exception, at.exception
    assert "试导入通过" in at.success[0].value
    assert metrics(at)["已归入环节的企业"] == "1"
    assert any("确认前将发生的变化" in m.value for m in at.markdown)  # the change summary, before confirming
    assert snapshot(data) == before
    at.button(key="import.confirm").click().run()
    assert not at.exception
    assert firm_id in set(table(data, "firms")["id"])
    placed = table(data, "firm_links")
    assert set(placed[placed["firm_id"] == firm_id]["source"]) == {"import:企查查导出.csv"}
    assert "已导入" in at.success[0].value


def test_enterprise_list_without_the_required_columns_says_so(data):
    before = snapshot(data)
    at = data_page()
    at.file_uploader[1].set_value(("名单.csv", "公司,地址\n甲,乙\n".encode("utf-8"), "text/csv")).run()
    assert "表头（第1行）没有 id、name 列" in at.error[0].value
    assert not [b for b in at.button if b.key == "import.confirm"]
    assert snapshot(data) == before


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
