"""缺什么招什么: per chain, the links to fill (break points first) and the firms to attract for each,
ranked with their reasons; filtered, re-weighted in the sidebar, and exported in one click."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from chain_graph_app.service.leads import LeadError
from chain_graph_app.web.access import current_user
from chain_graph_app.web.common import chain_view, downloads, lang, lead_book, paged, reads, table, tr, weight_sliders
from chain_graph_app.web.firm_panel import clicked_firm, firm_dialog, select_opens
from chain_graph.output import rows
from chain_graph.output.deliverables import opportunities_workbook, targets_workbook
from chain_graph.analysis.gaps import Status
from chain_graph.analysis.pipeline import funnel, in_pipeline
from chain_graph.analysis.targets import TargetFilter
from chain_graph.i18n import percent, t
from chain_graph.rules import TAGS
from chain_graph.output.viz import STATUS_COLOURS
from chain_graph.output.workbook import Heading

CONTACT_OPTIONS = 1000  # targets whose firms are offered in the "already contacted" list

data = reads()
L = lang()
ALL = tr("gaps.all")
settings = weight_sliders(data.settings)
chain, landed, gaps = chain_view(data, tr("gaps.gaps_and_targets"))

cols = st.columns(5)
for col, status in zip(cols, Status):
    col.metric(t(f"status.{status.value}", L), gaps.count(status))
cols[4].metric(t("col.supply_rate", L), percent(gaps.local_supply_rate, L),
               help=t(f"basis.{gaps.basis}", L) if gaps.basis else None)

everyone = data.targets(chain.id, landed, settings)
names = {x.firm_id: x.firm_name for x in everyone}
with st.expander(tr("gaps.filter_the_targets"), expanded=True, icon=":material/filter_alt:"):
    f1, f2, f3, f4 = st.columns(4)
    provinces = f1.multiselect(tr("gaps.province"), sorted({x.candidate.province for x in everyone
                                                             if x.candidate.province}),
                               key="filter.provinces", persist_state="session", placeholder=ALL)
    tags = f2.multiselect(tr("gaps.tags_any"), TAGS, key="filter.tags", persist_state="session",
                      placeholder=ALL)
    min_capital = f3.number_input(tr("gaps.minimum_registered_capital"), min_value=0,
                                  value=0, step=1000, key="filter.capital", persist_state="session")
    # the best-ranked firms to choose from (and any already chosen): a chain has ~35,000 at 1M firms, too many to send
    offered = sorted({x.firm_id for x in everyone[:CONTACT_OPTIONS]} | set(st.session_state.get("filter.contacted") or ()))
    contacted = f4.multiselect(tr("gaps.exclude_firms_already_contacted"), offered,
                               format_func=lambda i: names.get(i, i), key="filter.contacted", persist_state="session",
                               placeholder=tr("gaps.none"))
only = TargetFilter(frozenset(provinces), frozenset(tags), float(min_capital) or None, frozenset(contacted))
targets = data.targets(chain.id, landed, settings, only)
conditions = [f"{label}：{'、'.join(map(str, chosen))}" for label, chosen in (
    (tr("gaps.province"), provinces), (tr("gaps.tags"), tags),
    (tr("gaps.minimum_registered_capital"), [min_capital] if min_capital else []),
    (tr("gaps.excluded"), [names.get(i, i) for i in contacted])) if chosen]
if landed:
    conditions.append(tr("gaps.after_the_pipeline_lands"))

st.subheader(tr("gaps.investment_opportunities_links_to"))
opportunities = rows.opportunity_sheet(gaps, targets, L)
if not opportunities:
    st.success(tr("gaps.the_chain_has_no"))
else:
    table(opportunities, "", percent=(t("col.own_fill", L), t("col.input_supply_rate", L)))
    downloads(opportunities, partial(opportunities_workbook, gaps, targets, settings.weights, data.version, conditions,
                                     L), "opportunities", Heading(t("wb.opportunities", L), date.today(), chain.name, lang=L))

st.subheader(tr("gaps.target_firms"))
wanted = [g.link.id for g in gaps.wanted]
link_names = {g.link.id: g.link.name for g in gaps.links}
focus = st.selectbox(tr("gaps.link"), [None, *wanted], format_func=lambda i: ALL if i is None
                     else link_names[i], key="filter.link")
shown = targets if focus is None else data.targets(chain.id, landed, settings, only, link_id=focus)
book = lead_book()
pipeline = in_pipeline(book.leads())


def lead_of(x):
    """The target's lead: for its firm on its link, or for its firm on the whole chain."""
    found = pipeline.get((x.firm_id, x.link_id)) or pipeline.get((x.firm_id, None))
    return found if found is None or found.chain_id == chain.id else None


hidden: frozenset[tuple[str, str]] = frozenset()
if st.toggle(tr("workbench.hide_leads"), key="filter.hide_leads", persist_state="session"):
    hidden = frozenset((x.firm_id, x.link_id) for x in shown if lead_of(x) is not None)
    shown = [x for x in shown if lead_of(x) is None]


def sheet_of(targets) -> list[dict]:
    return [{tr("workbench.in_pipeline"): t(f"lead.{lead.status.value}", L) if lead else "", **row}
            for row, lead in ((row, lead_of(x)) for row, x in zip(rows.target_sheet(targets, L), targets))]


if not shown:
    st.info(tr("gaps.no_non_local_firm"))
else:
    stable = data.stability(chain.id, landed, settings, only, focus, hidden)
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric(tr("page.stability"), f"{stable.kept}/{stable.top}",
                help=tr("page.stability_help", top=stable.top, step=f"{stable.step:.0%}"))
    movers = [m.firm_name for m in stable.dropped + stable.entered]
    right.caption(tr("page.stability_movers", top=stable.top, names="、".join(movers)) if movers
                  else tr("page.stability_none", top=stable.top))
    page = paged(shown, "targets")  # a page of the ranked targets at a time: a chain has thousands at 100k firms
    st.caption(tr("gaps.click_a_row"))
    st.dataframe(pd.DataFrame(sheet_of(page)), width="stretch", hide_index=True,
                 column_config={t("col.score", L): st.column_config.ProgressColumn(
                     format="%.1f", min_value=0.0, max_value=100.0)},
                 **select_opens("targets.table", [x.firm_id for x in page]))
    if firm_id := clicked_firm():
        firm_dialog(data, firm_id)
    focused = conditions + ([f"{tr('gaps.link')}：{link_names[focus]}"] if focus else [])
    downloads(partial(sheet_of, shown), partial(targets_workbook, gaps, shown, settings.weights, data.version, focused, L),
              "targets", Heading(t("wb.targets", L), date.today(), chain.name, lang=L))
    free = {f"{x.firm_id}|{x.link_id}": x for x in page if lead_of(x) is None}
    pick, add = st.columns([5, 1], vertical_alignment="bottom")
    chosen = pick.multiselect(tr("workbench.select"), list(free), key="targets.chosen", placeholder=tr("workbench.choose"),
                              format_func=lambda k: f"{free[k].rank}. {free[k].firm_name} · {free[k].link_name}")
    if add.button(tr("workbench.add_leads"), icon=":material/add_task:", disabled=not chosen, key="targets.add"):
        made = 0
        for key in chosen:
            try:
                book.add(current_user(), t("app_leads.source_workbench", L), firm_id=free[key].firm_id,
                         link_id=free[key].link_id)
                made += 1
            except LeadError as err:  # someone added it meanwhile
                st.session_state["targets.refused"] = err.text(L)
        st.session_state["targets.added"] = tr("workbench.added", n=made)
        del st.session_state["targets.chosen"]
        st.rerun()
    if added := st.session_state.pop("targets.added", None):
        st.success(added)
    if refused := st.session_state.pop("targets.refused", None):
        st.warning(refused)

with st.expander(tr("gaps.every_link_s_status"), icon=":material/list:"):
    per_link = funnel(book.leads(), chain.id)
    leads_of = {r.link_id: ("、" if L == "zh" else ", ").join(f"{t(f'lead.{s.value}', L)} {n}" for s, n in r.counts.items() if n)
                for r in per_link if r.link_id}
    every_link = pd.DataFrame([{**dict(list(row.items())[:3]), tr("workbench.in_pipeline"): leads_of.get(g.link.id, ""),
                           **dict(list(row.items())[3:])} for row, g in zip(rows.gap_sheet(gaps, L), gaps.links)])
    colour_of = {t(f"status.{s.value}", L): STATUS_COLOURS[s.value] for s in Status}
    st.dataframe(every_link.style.map(lambda v: f"background-color: {colour_of[v]}; color: white",
                                 subset=[t("col.status", L)]), width="stretch", hide_index=True)

st.subheader(tr("page.next_title"))
st.caption(tr("page.next_caption"))
table(rows.next_sheet(data.next_links(chain.id), L), tr("page.next_none"), percent=(t("col.density", L),))

st.subheader(tr("page.leaders_title"))
chain_links = {g.link.id for g in gaps.links}
table(rows.leader_sheet([n for n in data.leaders(settings) if chain_links.intersection(n.leader.links)], L),
      tr("page.leaders_none"))
