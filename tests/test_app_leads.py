"""招商线索 in the app (Streamlit AppTest, no browser): the workbench adds targets as leads and marks
them; two people saving the same lead — the second is told who changed what, the first's change stays."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.targets import chain_targets
from chain_graph_app.service.leads import LEADS_FILE, LeadBook
from chain_graph_app.service.opening import open_data

from .test_app_data import data  # noqa: F401 - the fixture: a private copy of the data, the app pointed at it

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHAIN = "new_energy_battery"
FIRM, LINK = "914401125726637668", "electrolyte"


def session(page: str, user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["kept.chain"] = CHAIN
    at.session_state["user_name"] = user
    at.run()
    at.switch_page(f"chain_graph_app/web/{page}.py").run()
    assert not at.exception, at.exception
    return at


def top_five(data: Path) -> list[str]:
    """The battery chain's five best targets, as the workbench's choices (firm|link)."""
    opened = open_data(data, "memory")
    gaps = chain_gaps(opened.store, CHAIN, opened.settings)
    return [f"{x.firm_id}|{x.link_id}" for x in chain_targets(opened.store, gaps, opened.settings)[:5]]


def saved_leads(data: Path) -> list[dict]:
    return json.loads((data / LEADS_FILE).read_text("utf-8"))["leads"]


def test_workbench_adds_the_top_five_targets_and_marks_them(data):
    at = session("gaps", "张三")
    chooser = at.multiselect(key="targets.chosen")
    top = top_five(data)
    assert [o.split(". ")[0] for o in chooser.options[:5]] == ["1", "2", "3", "4", "5"]
    chooser.set_value(top).run()
    at.button(key="targets.add").click().run()
    assert not at.exception, at.exception
    leads = saved_leads(data)
    assert len(leads) == 5 and {x["history"][0]["by"] for x in leads} == {"张三"}
    assert at.success and "5" in at.success[0].value
    targets = at.dataframe[1].value
    assert (targets["招商线索"] == "线索").sum() == 5
    assert len(at.multiselect(key="targets.chosen").options) == len(chooser.options) - 5
    at.toggle(key="filter.hide_leads").set_value(True).run()
    assert (at.dataframe[1].value["招商线索"] == "线索").sum() == 0


def test_two_sessions_saving_the_same_lead(data):
    book = LeadBook.open(data, open_data(data, "memory").store, "memory")
    lead = book.add("组长", "cli", firm_id=FIRM, link_id=LINK)
    first, second = session("leads", "甲@bureau.gov.cn"), session("leads", "乙@bureau.gov.cn")
    form = f"lead.form.{lead.id}.1"
    first.text_area(key=f"{form}.notes").input("已约周五面谈")
    first.button(key=f"FormSubmitter:{form}-保存").click().run()
    assert not first.exception and first.success, first.error
    second.text_area(key=f"{form}.notes").input("对方暂无意向")
    second.button(key=f"FormSubmitter:{form}-保存").click().run()
    assert second.error and "保存冲突" in second.error[0].value
    assert "甲@bureau.gov.cn" in second.error[0].value and "已约周五面谈" in second.error[0].value
    kept = saved_leads(data)[0]
    assert kept["notes"] == "已约周五面谈" and kept["version"] == 2
    assert [e["by"] for e in kept["history"]] == ["组长", "甲@bureau.gov.cn"]


def test_firm_page_adds_the_firm_as_a_lead_for_one_of_its_links(data):
    at = session("firms", "李四")
    at.text_input(key="firms.text").input(FIRM).run()
    at.button(key=f"firm_lead.add.{FIRM}").click().run()
    assert not at.exception, at.exception
    (lead,) = saved_leads(data)
    assert (lead["firm_id"], lead["link_id"], lead["source"], lead["history"][0]["by"]) == (FIRM, LINK, "企业页", "李四")
    assert any("线索" in m.value and lead["id"].split("-")[-1] in m.value for m in at.markdown)  # md() escapes "-"
    if f"firm_lead.link.{FIRM}" in [b.key for b in at.selectbox]:  # its other links are still offered
        assert "电解液" not in at.selectbox(key=f"firm_lead.link.{FIRM}").options
