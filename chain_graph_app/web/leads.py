"""招商线索: the team's pipeline — a funnel per chain and link, overdue next actions, each owner's load,
the leads themselves with their history, and a form to follow one up. A save goes over the version
the user opened; when someone saved first, the page says who changed what and keeps both safe."""

from __future__ import annotations

from datetime import date
import streamlit as st

from chain_graph.analysis.pipeline import by_owner, funnel, overdue
from chain_graph.i18n import Failure, t
from chain_graph.leads import ALLOWED, ORDER, LeadStatus
from chain_graph.output.lead_rows import funnel_sheet, history_sheet, lead_sheet, owner_sheet, pipeline_workbook
from chain_graph.output.workbook import file_name
from chain_graph_app.web.access import current_user
from chain_graph_app.web.common import XLSX_MIME, chain_label, lang, lead_book, md, reads, table, tr

data = reads()
L = lang()
book = lead_book()
today = date.today()
st.title(tr("app_leads.title"))
chains = {c.id: c for c in data.chains()}
chain_id = st.selectbox(tr("app_leads.chain"), [None, *chains], key="leads.chain", persist_state="session",
                        format_func=lambda i: tr("app_leads.all") if i is None else chain_label(chains[i], L))
everything = book.leads()
leads = [x for x in everything if chain_id is None or x.chain_id == chain_id]
link_names = {x.id: x.name for x in data.links()}
chain_names = {c.id: chain_label(c, L) for c in chains.values()}

late = overdue(leads, today)
cols = st.columns(4)
cols[0].metric(tr("app_leads.total"), len(leads))
cols[1].metric(tr("app_leads.open"), sum(x.status.open for x in leads))
cols[2].metric(tr("app_leads.overdue"), len(late))
cols[3].metric(tr("app_leads.signed"), sum(x.status in (LeadStatus.SIGNED, LeadStatus.LANDED) for x in leads))

if not leads:
    st.info(tr("app_leads.none"))
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("app_leads.funnel"))
    table(funnel_sheet(funnel(leads), chain_names, link_names, L), "")
with right:
    st.subheader(tr("app_leads.by_owner"))
    table(owner_sheet(by_owner(leads, today), L), "")
st.subheader(tr("app_leads.overdue_list"))
table(lead_sheet(late, link_names, chain_names, today, L), tr("app_leads.no_overdue"))
st.subheader(tr("app_leads.list"))
table(lead_sheet(leads, link_names, chain_names, today, L), "", key="leads.table")
heading, made = pipeline_workbook(leads, link_names, chain_names, today, data.version,
                                  chain_names.get(chain_id or ""), L)
st.download_button(tr("app_leads.download"), made, file_name(heading), XLSX_MIME, on_click="ignore",
                   icon=":material/download:", key="leads.download")

st.subheader(tr("app_leads.edit"))
by_id = {x.id: x for x in leads}
lead_id = st.selectbox(tr("app_leads.pick"), list(by_id), key="leads.open",
                       format_func=lambda i: f"{by_id[i].firm_name} · {link_names.get(by_id[i].link_id or '', '')} · {i}")
# (no status in the label: a label that changes with a save would make Streamlit forget the choice)
lead = by_id[lead_id]
seen_key = f"leads.seen.{lead_id}"
seen = st.session_state.setdefault(seen_key, lead.version)  # the version this user opened: saves go over it
if done := st.session_state.pop("leads.done", None):
    st.success(done)
updated = lead.updated
st.caption(tr("app_leads.version_seen", version=seen,
              updated=f"{updated.at:%Y-%m-%d %H:%M} UTC {updated.by}" if updated else "")
           + " · " + tr("app_leads.signed_in_as", user=current_user()))
if problem := st.session_state.get(f"leads.problem.{lead_id}"):
    st.error(problem)
    if st.button(tr("app_leads.reload"), key="leads.reload", icon=":material/refresh:"):
        st.session_state[seen_key] = lead.version
        del st.session_state[f"leads.problem.{lead_id}"]
        st.rerun()

choices = [lead.status, *(s for s in ORDER if s in ALLOWED[lead.status])]
form = f"lead.form.{lead_id}.{seen}"  # keyed by the version opened: what the user typed stays while others save
with st.form(form):
    a, b, c = st.columns(3)
    status = a.selectbox(t("lead_field.status", L), choices, format_func=lambda s: t(f"lead.{s.value}", L),
                         key=f"{form}.status")
    owner = b.text_input(t("lead_field.owner", L), lead.owner, key=f"{form}.owner")
    next_date = c.date_input(t("lead_field.next_date", L), lead.next_date, format="YYYY-MM-DD", key=f"{form}.date")
    next_action = st.text_input(t("lead_field.next_action", L), lead.next_action, key=f"{form}.action")
    notes = st.text_area(t("lead_field.notes", L), lead.notes, height=90, key=f"{form}.notes")
    reason = st.text_input(t("lead_field.drop_reason", L), lead.drop_reason, key=f"{form}.reason")
    if st.form_submit_button(tr("app_leads.save"), type="primary", icon=":material/save:"):
        try:
            saved = book.update(lead_id, seen, current_user(), status=status, owner=owner.strip(),
                                next_date=next_date or None, next_action=next_action.strip(), notes=notes.strip(),
                                drop_reason=reason.strip())
        except Failure as err:  # a stale version, a forbidden jump, nothing changed
            st.session_state[f"leads.problem.{lead_id}"] = err.text(L)
            st.rerun()
        st.session_state[seen_key] = saved.lead.version
        st.session_state.pop(f"leads.problem.{lead_id}", None)
        note = f" · {saved.project_note.text(L)}" if saved.project_note else ""
        st.session_state["leads.done"] = tr("app_leads.saved", id=lead_id, version=saved.lead.version) + note
        st.rerun()

with st.expander(tr("app_leads.history"), icon=":material/history:"):
    table(history_sheet(lead, L), "")
st.caption(md(lead.source))
