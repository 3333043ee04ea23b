"""项目台账: the project ledger by chain and status, its totals in 亿元 and the rates the city tracks
(开工率, 投资完成率, 资金到位率, 按期竣工率, 履约率, 投产达标率) wherever the ledger has the fields."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from chain_graph_app.web.common import chain_label, downloads, investment_metric, lang, paged, reads, table, tr
from chain_graph.output import rows
from chain_graph.output.deliverables import ledger_workbook
from chain_graph.analysis.projects import ledger
from chain_graph.i18n import number, percent, t
from chain_graph.model import ProjectStatus
from chain_graph.output.workbook import Heading

data = reads()
L = lang()
ALL = tr("projects.all")
st.title(tr("projects.project_ledger"))
chains = {c.id: c for c in data.chains()}
c1, c2, c3 = st.columns([2, 4, 1.4])
chain_id = c1.selectbox(tr("projects.chain"), [None, *chains], key="projects.chain", persist_state="session",
                        format_func=lambda i: ALL if i is None else chain_label(chains[i], L))
statuses = c2.multiselect(tr("projects.status"), list(ProjectStatus), key="projects.status",
                          persist_state="session", format_func=lambda s: t(f"project.{s.value}", L),
                          placeholder=tr("projects.every_status"))
as_of = c3.date_input(tr("projects.as_of"), value=date.today(), key="projects.as_of")

chosen = set(statuses) or set(ProjectStatus)
projects = [p for p in data.projects(chain_id) if p.status in chosen]
books = ledger(projects, as_of)

# totals on one row and the rates on the next, so every label and value reads whole at 1366 px
count_col, investment_col = st.columns([1, 4])
count_col.metric(tr("projects.projects"), books.count)
investment_metric(investment_col, tr("projects.investment"), books.investment, books.investment_unknown,
                  tr("projects.sum_over_the_projects"))
for col, rate in zip(st.columns(len(books.rates)), books.rates):
    basis = tr("projects.rate_basis", numerator=number(rate.numerator), denominator=number(rate.denominator),
               projects=rate.projects) if rate.value is not None else tr("projects.no_ledger_project_has")
    col.metric(tr(f"rate.{rate.key}"), percent(rate.value, L), help=basis)

left, right = st.columns(2)
with left:
    st.subheader(tr("projects.by_status"))
    by_status = pd.DataFrame({tr("projects.projects_3"): [s.count for s in books.by_status if s.count]},
                             index=[t(f"project.{s.status.value}", L) for s in books.by_status if s.count])
    st.bar_chart(by_status, horizontal=True, height=260, y_label="", sort=False)
with right:
    st.subheader(tr("projects.by_chain"))
    per_chain = {chain_label(c, L): ledger([p for p in data.projects(c.id) if p.status in chosen], as_of)
                 for c in chains.values() if chain_id in (None, c.id)}
    by_chain = pd.DataFrame({tr("projects.projects_3"): [b.count for b in per_chain.values()]}, index=list(per_chain))
    st.bar_chart(by_chain, horizontal=True, height=260, y_label="", sort=False)

st.subheader(tr("projects.projects_2"))
link_names = {link.id: link.name for link in data.links()}
firm_names = data.local_firm_names()
table(rows.project_sheet(paged(projects, "projects"), link_names, firm_names, L), tr("projects.no_project_matches"))
if projects:
    chosen_text = [f"{tr('projects.status')}：{'、'.join(t(f'project.{s.value}', L) for s in statuses)}"] \
        if statuses else []
    downloads(partial(rows.project_sheet, projects, link_names, firm_names, L),
              partial(ledger_workbook, projects, books, link_names, firm_names, data.version,
                      chains[chain_id].name if chain_id else None,
                      [f"{tr('projects.as_of')}：{as_of.isoformat()}", *chosen_text], L),
              "projects", Heading(t("wb.ledger", L), date.today(), chains[chain_id].name if chain_id else None, lang=L))
