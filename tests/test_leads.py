"""招商线索 on both stores: add, advance, a stale save refused with the other's change, history kept,
reloads keep every lead, and signing puts a 签约 project into the ledger and the gap analysis."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from chain_graph.analysis.gaps import Status, chain_gaps
from chain_graph.analysis.pipeline import by_owner, funnel, in_pipeline, overdue
from chain_graph.leads import (
    ALLOWED, Lead, LeadConflict, LeadRuleError, LeadStatus, change, conflict_message, new_lead,
)
from chain_graph.settings import AnalysisSettings
from chain_graph.store.memory import MemoryStore
from chain_graph_app.service.importing import import_file
from chain_graph_app.service.leads import LEADS_FILE, LeadBook, LeadError, import_ledger
from chain_graph_app.service.opening import open_data
from loaders import load_directory

from .conftest import code

DATA = Path(__file__).resolve().parent.parent / "data"
BATTERY = "new_energy_battery"
ELECTROLYTE, ELECTROLYTE_FIRM = "electrolyte", "914401125726637668"  # a missing link and its top target
PVDF, PVDF_FIRM = "pvdf_binder", "913308029565207481"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


# -- the lifecycle (model) ------------------------------------------------------------------------

def lead(**fields) -> Lead:
    return new_lead("L1", "alice", T0, firm_name="甲公司", firm_id="X", chain_id="c", link_id="k", **fields)


def test_every_status_reaches_landed_or_dropped_and_landed_is_final():
    assert ALLOWED[LeadStatus.LANDED] == frozenset()
    assert LeadStatus.SIGNED in ALLOWED[LeadStatus.NEGOTIATING]
    assert LeadStatus.SIGNED not in ALLOWED[LeadStatus.LEAD] | ALLOWED[LeadStatus.CONTACTED]
    for status, nexts in ALLOWED.items():
        if status is not LeadStatus.LANDED:
            assert nexts, status


def test_change_records_who_what_and_when():
    first = lead()
    second = change(first, 1, "bob", T0, status="已接触", owner="bob")
    assert second.version == 2 and second.status is LeadStatus.CONTACTED
    assert second.history[-1].by == "bob" and second.history[-1].changes == {
        "status": ("lead", "contacted"), "owner": ("", "bob")}
    assert [e.version for e in second.history] == [1, 2]


def test_forbidden_jump_and_drop_without_reason_are_refused():
    with pytest.raises(LeadRuleError, match="不能从“线索”改为“签约”"):
        change(lead(), 1, "bob", status=LeadStatus.SIGNED)
    with pytest.raises(LeadRuleError, match="放弃原因"):
        change(lead(), 1, "bob", status=LeadStatus.DROPPED)
    dropped = change(lead(), 1, "bob", status=LeadStatus.DROPPED, drop_reason="已在外省落地")
    assert change(dropped, 2, "bob", status=LeadStatus.LEAD).status is LeadStatus.LEAD
    with pytest.raises(LeadRuleError, match="没有要保存的改动"):
        change(lead(), 1, "bob", owner="")


def test_stale_version_names_the_other_change():
    newer = change(lead(), 1, "bob", T0, notes="周五回访")
    with pytest.raises(LeadConflict) as caught:
        change(newer, 1, "carol", notes="别的")
    assert caught.value.current == newer
    message = conflict_message(newer, 1).text()
    assert "bob" in conflict_message(newer, 1).text("en") and "version 2" in conflict_message(newer, 1).text("en")
    assert "bob" in message and "周五回访" in message and "第 1 版" in message and "第 2 版" in message


def test_pipeline_views():
    today = date(2026, 3, 10)
    leads = [
        new_lead("A", "u", T0, firm_name="甲", firm_id="1", chain_id="c", link_id="k1", owner="张三",
                 next_date=date(2026, 3, 1)),
        new_lead("B", "u", T0, firm_name="乙", firm_id="2", chain_id="c", link_id="k1", owner="张三",
                 status=LeadStatus.CONTACTED, next_date=date(2026, 3, 20)),
        new_lead("C", "u", T0, firm_name="丙", firm_id="3", chain_id="c", owner="李四",
                 status=LeadStatus.DROPPED, drop_reason="无意向", next_date=date(2026, 1, 1)),
    ]
    rows = funnel(leads)
    assert [(r.chain_id, r.link_id, r.total) for r in rows] == [("c", None, 3), ("c", "k1", 2)]
    assert rows[1].counts[LeadStatus.LEAD] == 1 and rows[1].counts[LeadStatus.CONTACTED] == 1
    assert [x.id for x in overdue(leads, today)] == ["A"]  # a dropped lead is never overdue
    owners = {r.owner: r for r in by_owner(leads, today)}
    assert (owners["张三"].open, owners["张三"].overdue, owners["李四"].open) == (2, 1, 0)
    assert set(in_pipeline(leads)) == {("1", "k1"), ("2", "k1")}


# -- both stores, through the service ----------------------------------------------------------------

@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def book(request, data) -> LeadBook:
    if request.param == "memory":
        return LeadBook.open(data, open_data(data, "memory").store, "memory")
    neo = request.getfixturevalue("neo")
    dataset = load_directory(data).dataset
    if neo.version() != dataset.fingerprint():  # loading is the slow part: only when a test changed the data
        neo.load(dataset)
    neo.replace_leads([])
    return LeadBook(data, neo, server=True)


def test_add_and_advance_keep_history(book):
    added = book.add("alice", "workbench", firm_id=ELECTROLYTE_FIRM, link_id=ELECTROLYTE, owner="alice")
    assert (added.chain_id, added.firm_name, added.version) == (BATTERY, "广州珠液新能源材料股份有限公司", 1)
    book.update(added.id, 1, "bob", status=LeadStatus.CONTACTED, next_action="上门拜访", next_date=date(2026, 4, 1))
    saved = book.update(added.id, 2, "alice", status=LeadStatus.NEGOTIATING).lead
    again = book.get(added.id)
    assert again == saved and again.version == 3
    assert [(e.version, e.by) for e in again.history] == [(1, "alice"), (2, "bob"), (3, "alice")]
    assert again.history[1].changes["next_action"] == ("", "上门拜访")


def test_bad_input_writes_nothing(book, data):
    added = book.add("alice", "cli", firm_id=ELECTROLYTE_FIRM, link_id=ELECTROLYTE)
    before = book.leads()
    with pytest.raises(LeadError, match="企业库中没有"):
        book.add("alice", "cli", firm_id="NO-SUCH-FIRM", link_id=ELECTROLYTE)
    with pytest.raises(LeadError, match="未知环节"):
        book.add("alice", "cli", firm_id=ELECTROLYTE_FIRM, link_id="no_such_link")
    with pytest.raises(LeadError, match="已在招商线索中"):
        book.add("bob", "cli", firm_id=ELECTROLYTE_FIRM, link_id=ELECTROLYTE)
    with pytest.raises(LeadError, match="不能从"):
        book.update(added.id, 1, "alice", status=LeadStatus.SIGNED)
    assert book.leads() == before
    assert "ZS-" not in (data / "projects.csv").read_text("utf-8-sig")


def test_stale_save_gets_the_other_change_and_the_first_survives(book):
    added = book.add("alice", "workbench", firm_id=ELECTROLYTE_FIRM, link_id=ELECTROLYTE)
    book.update(added.id, 1, "bob@bureau.gov.cn", notes="已约周五见面")
    with pytest.raises(LeadConflict) as caught:
        book.update(added.id, 1, "carol@bureau.gov.cn", notes="对方无意向")
    assert "bob@bureau.gov.cn" in str(caught.value) and "已约周五见面" in str(caught.value)
    kept = book.get(added.id)
    assert kept.notes == "已约周五见面" and kept.version == 2


def test_reloads_keep_every_lead_once(book, data):
    for firm, link in ((ELECTROLYTE_FIRM, ELECTROLYTE), (PVDF_FIRM, PVDF)):
        book.add("alice", "workbench", firm_id=firm, link_id=link)
    before = book.leads()
    dataset = load_directory(data).dataset
    if book.server:
        book.store.clear()  # load --replace
    book.store.load(dataset)
    assert book.leads() == before
    report = import_file(_firm_list(), "企查查导出.csv", data)  # an import changes firms.csv
    assert report.written and not report.failure
    book.store.load(load_directory(data).dataset)
    assert book.leads() == before
    if not book.server:  # the embedded store reads its leads from the data directory on every start
        reopened = LeadBook.open(data, open_data(data, "memory").store, "memory")
        assert reopened.leads() == before
        assert len(json.loads((data / LEADS_FILE).read_text("utf-8"))["leads"]) == 2


def test_signing_makes_a_signed_project_and_the_link_a_pipeline_link(book, data):
    settings = AnalysisSettings()
    status = {g.link.id: g.status for g in chain_gaps(book.store, BATTERY, settings).links}
    assert status[ELECTROLYTE] is Status.MISSING
    added = book.add("alice", "workbench", firm_id=ELECTROLYTE_FIRM, link_id=ELECTROLYTE, investment=12.5)
    book.update(added.id, 1, "alice", status=LeadStatus.NEGOTIATING)
    saved = book.update(added.id, 2, "alice", status=LeadStatus.SIGNED)
    assert saved.data_changed and saved.lead.project_id == f"ZS-{added.id}"
    project = next(p for p in book.store.projects(BATTERY) if p.id == saved.lead.project_id)
    assert (project.status.value, project.link_ids, project.firm_id, project.investment) == (
        "signed", [ELECTROLYTE], ELECTROLYTE_FIRM, 12.5)
    gaps = chain_gaps(book.store, BATTERY, settings)
    electrolyte = next(g for g in gaps.links if g.link.id == ELECTROLYTE)
    assert electrolyte.status is Status.PIPELINE
    assert project.id in {p.id for p in electrolyte.presence.pipeline}
    landed = book.update(added.id, 3, "alice", status=LeadStatus.LANDED)
    assert landed.lead.project_id == project.id
    assert next(p for p in book.store.projects() if p.id == project.id).status.value == "started"
    assert sum(p.id == project.id for p in load_directory(data).dataset.projects) == 1


def test_signing_links_an_existing_ledger_project(book, data):
    """The ledger already has a 谋划 project of that firm on that link: signing moves it, adds none."""
    projects = data / "projects.csv"
    with projects.open("a", encoding="utf-8") as handle:
        handle.write(f"P-PVDF,PVDF项目,谋划,{PVDF},{PVDF_FIRM},,,,,,,,,,团队台账\n")
    book.store.load(load_directory(data).dataset)
    added = book.add("alice", "firm page", firm_id=PVDF_FIRM, link_id=PVDF)
    book.update(added.id, 1, "alice", status=LeadStatus.NEGOTIATING)
    saved = book.update(added.id, 2, "alice", status=LeadStatus.SIGNED)
    assert saved.lead.project_id == "P-PVDF"
    ids = [p.id for p in book.store.projects() if p.firm_id == PVDF_FIRM]
    assert ids == ["P-PVDF"]
    assert next(p for p in book.store.projects() if p.id == "P-PVDF").status.value == "signed"


def test_ledger_import_adds_each_row_once(book, tmp_path):
    ledger = tmp_path / "招商台账.csv"
    ledger.write_bytes((
        "某县2026年第9周招商项目台账（内部资料，注意保密）\n"
        "序号,项目名称,投资方,固定资产投资,投资方简介,项目内容,需用土地,企业联系人,联系方式,片区,进度、备注,产业类型,研判结果\n"
        "1,年产5万吨电解液项目,广州珠液新能源材料股份有限公司,5亿元,-,电解液,200亩,王经理,138****0000,东区,在谈，已考察两次,新能源,重点跟进\n"
        "2,六氟磷酸锂项目,某某氟化工有限公司,30000万元,-,-,-,-,-,西区,初次接触,化工,可行\n"
        "3,隔膜项目,某某隔膜有限公司,-,-,-,-,-,-,-,已签约,新能源,-\n"
        "4,,,-,-,-,-,-,-,-,-,-,-\n"
        "5,铝箔项目,某某铝箔有限公司,五亿,-,-,-,-,-,-,-,-,-\n"
    ).encode("gb18030"))
    report = import_ledger(book, ledger, ledger.name, "data-keeper", chain_id=BATTERY)
    assert len(report.added) == 3 and not report.kept
    assert any("第6行" in p.text() and "投资方" in p.text() for p in report.problems)
    assert any("第7行" in p.text() and "固定资产投资" in p.text() for p in report.problems)
    by_firm = {x.firm_name: x for x in book.leads()}
    first = by_firm["广州珠液新能源材料股份有限公司"]
    assert (first.firm_id, first.status, first.investment, first.land, first.contact) == (
        ELECTROLYTE_FIRM, LeadStatus.NEGOTIATING, 5.0, "200亩", "王经理")
    assert by_firm["某某氟化工有限公司"].investment == 3.0 and by_firm["某某氟化工有限公司"].firm_id is None
    assert by_firm["某某氟化工有限公司"].status is LeadStatus.CONTACTED
    assert by_firm["某某隔膜有限公司"].status is LeadStatus.NEGOTIATING  # 签约 is done in chain-graph
    assert "推进到签约" in by_firm["某某隔膜有限公司"].notes
    again = import_ledger(book, ledger, ledger.name, "data-keeper", chain_id=BATTERY)
    assert not again.added and len(again.kept) == 3 and len(book.leads()) == 3


def test_memory_store_refuses_a_stale_save_itself():
    store = MemoryStore()
    first = lead()
    store.save_lead(first)
    store.save_lead(change(first, 1, "bob", notes="a"))
    with pytest.raises(LeadConflict):
        store.save_lead(change(first, 1, "carol", notes="b"))
    with pytest.raises(LeadConflict):
        store.save_lead(first)  # a second lead with the same id
    assert store.leads()[0].notes == "a"


def test_neo4j_store_refuses_a_stale_save_itself(neo):
    neo.replace_leads([])
    first = lead()
    neo.save_lead(first)
    neo.save_lead(change(first, 1, "bob", notes="a"))
    with pytest.raises(LeadConflict):
        neo.save_lead(change(first, 1, "carol", notes="b"))
    assert [x.notes for x in neo.leads()] == ["a"]
    neo.replace_leads([])


def test_both_stores_hold_the_same_leads_and_refuse_alike(neo):
    """Parity: the same saves give the same leads back, and the same stale save the same conflict."""
    first = new_lead("L-parity", "alice", T0, firm_name="甲公司", firm_id="X", chain_id="c", link_id="k",
                     next_date=date(2026, 4, 1), investment=2.5)
    second = change(first, 1, "bob", T0, status=LeadStatus.DROPPED, drop_reason="外省已落地")
    other = new_lead("L-other", "carol", T0, firm_name="乙公司", chain_id="c")
    answers = []
    for store in (MemoryStore(), neo):
        store.replace_leads([])
        for lead in (first, other, second):
            store.save_lead(lead)
        with pytest.raises(LeadConflict) as caught:
            store.save_lead(change(first, 1, "dave", T0, notes="迟到的修改"))
        answers.append((store.leads(), caught.value.current, caught.value.text("en")))
    neo.replace_leads([])
    assert answers[0] == answers[1]
    assert [x.id for x in answers[0][0]] == ["L-other", "L-parity"]


def _firm_list() -> bytes:
    header = "企业名称,统一社会信用代码,登记状态,所属省份,所属城市,注册资本,经营范围\n"
    row = f"金昌新电解液有限公司,{code(777)},存续,甘肃省,金昌市,5000万元人民币,一般项目：电解液生产\n"
    return (header + row).encode("utf-8")
