"""招商线索 for the front ends: add, change and list leads, and put a signed lead into the project ledger.

Where leads live: on the embedded store, `leads.json` in the data directory (the team's source of
truth, like the tables), rewritten whole in a data-directory transaction (loaders.datadir: one
writer at a time, every file of a commit at once), and mirrored into the store for reading; on
Neo4j, CG_Lead nodes outside the load versions, each save one transaction. Either way a lead is
saved only over the version its editor read.

A signed (or landed, or dropped-after-signing) lead changes the project ledger, a table of the data
directory on both stores. In one data-directory transaction: the lead's change is checked, the
projects table is staged and validated, the lead is saved (last, so a refused save discards the
table); leaving the transaction commits the table (and, embedded, leads.json with it); then the
store is reloaded from the directory (Neo4j: one version switch). The project id is derived from
the lead's id, so a signing that is retried links its project instead of making a second one.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chain_graph.leads import (
    EDITABLE, PROJECT_STATUS, Lead, LeadConflict, LeadRuleError, LeadStatus, change, new_lead,
)
from chain_graph.i18n import Failure, Message, msg, t
from chain_graph.model import ProjectStatus, _split_list
from chain_graph.store import GraphStore, is_server
from chain_graph.store.base import FirmQuery

from loaders.datadir import DataDirWriter
from loaders.table_edit import EditableTable

from .commit import commit
from .loading import load_data

LEADS_FILE = "leads.json"
PROJECT_PREFIX = "ZS-"  # ledger projects made by signing a lead: ZS-<lead id>
_BEFORE = {ProjectStatus.SIGNED: (ProjectStatus.PLANNING, ProjectStatus.NEGOTIATING),
           ProjectStatus.STARTED: (ProjectStatus.PLANNING, ProjectStatus.NEGOTIATING, ProjectStatus.SIGNED)}


class LeadError(Failure):
    """Bad input for a lead (unknown firm or link, a duplicate, a rule); nothing was written."""


@dataclass
class Saved:
    lead: Lead
    data_changed: bool = False  # the project ledger changed and the store was reloaded
    project_note: Message | None = None


@dataclass
class LeadBook:
    """The leads of one data directory, on the store it is opened with."""

    root: Path
    store: GraphStore
    server: bool = False
    _seen: tuple[int, int] | None = field(default=None, init=False)

    @classmethod
    def open(cls, root: Path, store: GraphStore, store_url: str) -> "LeadBook":
        return cls(Path(root), store, is_server(store_url))

    # -- reading ------------------------------------------------------------------
    def leads(self) -> list[Lead]:
        self._refresh()
        return self.store.leads()

    def get(self, lead_id: str) -> Lead:
        found = next((lead for lead in self.leads() if lead.id == lead_id), None)
        if found is None:
            raise LeadError(msg("lead_err.no_lead", id=lead_id))
        return found

    # -- writing ------------------------------------------------------------------
    def add(self, by: str, source: str, firm_id: str | None = None, link_id: str | None = None,
            chain_id: str | None = None, firm_name: str | None = None, lead_id: str | None = None,
            **fields: Any) -> Lead:
        """A new 线索 for a firm of the store (or, from a ledger, a name only) on a link or a chain."""
        chain_id, link_id = self._place(chain_id, link_id)
        if firm_id is not None:
            firm_name = self._firm_name(firm_id)
        if not firm_name:
            raise LeadError(msg("lead_err.no_firm"))
        with DataDirWriter(self.root, purpose="leads") as tx:
            self._refresh()
            open_same = [x for x in self.store.leads() if x.status is not LeadStatus.DROPPED
                         and (x.firm_id or x.firm_name) == (firm_id or firm_name)
                         and (x.link_id, x.chain_id) == (link_id, chain_id)]
            if open_same:
                raise LeadError(msg("lead_err.duplicate", firm=firm_name, id=open_same[0].id,
                                    status=msg(f"lead.{open_same[0].status.value}")))
            try:
                lead = new_lead(lead_id or _new_id(), by, firm_id=firm_id, firm_name=firm_name, chain_id=chain_id,
                                link_id=link_id, source=source, **fields)
            except LeadRuleError as err:
                raise LeadError(err.message) from None
            except ValueError as err:  # a field that does not validate
                raise LeadError(_invalid(err)) from None
            self._save(lead, tx)
        return lead

    def update(self, lead_id: str, read_version: int, by: str, **fields: Any) -> Saved:
        """Change a lead over the version its editor read; a signing puts its project into the ledger."""
        if "link_id" in fields or "chain_id" in fields:
            fields["chain_id"], fields["link_id"] = self._place(fields.get("chain_id"), fields.get("link_id"))
        with DataDirWriter(self.root, purpose="leads") as tx:
            current = self.get(lead_id)
            try:
                updated = change(current, read_version, by, **fields)
            except LeadRuleError as err:
                raise LeadError(err.message) from None
            except ValueError as err:  # a field that does not validate
                raise LeadError(_invalid(err)) from None
            note = None
            target = PROJECT_STATUS.get(updated.status) if updated.status != current.status else None
            if target is not None and (updated.project_id or target is ProjectStatus.SIGNED):
                project_id, note = self._ledger(updated, target, tx)
                if project_id != updated.project_id:
                    updated = updated.model_copy(update={"project_id": project_id})
                    last = updated.history[-1]
                    event = last.model_copy(update={"changes": {**last.changes,
                                                                "project_id": (current.project_id, project_id)}})
                    updated = updated.model_copy(update={"history": (*updated.history[:-1], event)})
            self._save(updated, tx)  # last: a refused save discards the project table staged above
        if note:  # committed: the store follows the directory (Neo4j: a new version, switched at once)
            load_data(self.root, self.store)
        return Saved(updated, note is not None, note)

    # -- helpers --------------------------------------------------------------------
    def _save(self, lead: Lead, tx: DataDirWriter) -> None:
        """Save in the store (the version check: LeadConflict when someone saved first); on the embedded
        store also stage leads.json, committed with the rest of `tx` when its block ends."""
        self.store.save_lead(lead)
        if not self.server:
            self._seen = None  # the file is the truth: whatever happens to the commit, read it back next time
            doc = {"format": "chain-graph leads 1", "leads": [x.model_dump(mode="json") for x in self.store.leads()]}
            tx.write(LEADS_FILE, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))

    def _file(self) -> Path:
        return self.root / LEADS_FILE

    def _refresh(self) -> None:
        """Embedded: take the file's leads into the store when another process changed it."""
        if self.server:
            return
        path = self._file()
        stat = path.stat() if path.exists() else None
        seen = (stat.st_mtime_ns, stat.st_size) if stat else (0, 0)
        if seen != self._seen:
            leads = [Lead.model_validate(x) for x in json.loads(path.read_text("utf-8"))["leads"]] if stat else []
            self.store.replace_leads(leads)
            self._seen = seen

    def _place(self, chain_id: str | None, link_id: str | None) -> tuple[str, str | None]:
        if link_id:
            link = next((x for x in self.store.links() if x.id == link_id), None)
            if link is None:
                raise LeadError(msg("lead_err.unknown_link", id=link_id))
            if chain_id and chain_id != link.chain:
                raise LeadError(msg("lead_err.link_not_on_chain", link=link_id, chain=chain_id))
            return link.chain, link_id
        if not chain_id or chain_id not in {c.id for c in self.store.chains()}:
            raise LeadError(msg("lead_err.unknown_chain", id=chain_id or "—"))
        return chain_id, None

    def _firm_name(self, firm_id: str) -> str:
        found = [r for r in self.store.firms(FirmQuery(text=firm_id)) if r.firm.id == firm_id]
        if not found:
            raise LeadError(msg("lead_err.unknown_firm", id=firm_id))
        return found[0].firm.name

    def _firm_id_by_name(self, name: str) -> str | None:
        found = [r for r in self.store.firms(FirmQuery(text=name)) if r.firm.name == name]
        return found[0].firm.id if len(found) == 1 else None

    def _ledger(self, lead: Lead, status: ProjectStatus, tx: DataDirWriter) -> tuple[str, Message | None]:
        """Create or move the lead's ledger project; its id and a note. LeadError when the ledger refuses."""
        table = EditableTable.read(self.root, "projects")
        wanted = lead.project_id or PROJECT_PREFIX + lead.id
        row = next((r for r in table.rows if table.get(r, "id") == wanted), None)
        if row is None and lead.firm_id and lead.link_id:  # an existing project of the firm on the link
            row = next((r for r in table.rows if table.get(r, "firm_id") == lead.firm_id
                        and lead.link_id in _split_list(table.get(r, "links"))), None)
        if row is None and status is not ProjectStatus.SIGNED:
            return lead.project_id or "", None
        today = date.today().isoformat()
        if row is None:
            table.append({"id": wanted, "name": f"{lead.firm_name}{'' if lead.link_id is None else '·' + self._link_name(lead.link_id)}项目",
                          "status": t("project.signed"), "links": lead.link_id or "", "firm_id": lead.firm_id or "",
                          "investment": "" if lead.investment is None else f"{lead.investment:g}",
                          "signed_date": today, "source": f"招商线索 {lead.id}"})
            note = msg("lead_note.created", id=wanted)
        else:
            wanted = table.get(row, "id")
            held = _project_status(table.get(row, "status"))
            if status is ProjectStatus.TERMINATED or held in _BEFORE.get(status, ()):
                table.set(row, "status", t(f"project.{status.value}"))
                if status is ProjectStatus.SIGNED and not table.get(row, "signed_date"):
                    table.set(row, "signed_date", today)
                if status is ProjectStatus.STARTED and not table.get(row, "actual_start"):
                    table.set(row, "actual_start", today)
            note = msg("lead_note.linked", id=wanted)
        if table.changed:
            written, problems = commit(tx, [table])
            if not written:
                errors = [p for p in problems if p.is_error]
                raise LeadError(msg("lead_err.ledger_refused", problem=str(errors[0]) if errors else "?"))
        else:
            note = None  # linked a project that already had the status: the ledger is as it was
        return wanted, note

    def _link_name(self, link_id: str) -> str:
        return next((x.name for x in self.store.links() if x.id == link_id), link_id)


def _project_status(text: str) -> ProjectStatus | None:
    try:
        return ProjectStatus(text)
    except ValueError:
        return None


def _new_id() -> str:
    return f"L{date.today():%y%m%d}-{uuid.uuid4().hex[:6]}"


def stable_id(*parts: str) -> str:
    """The same lead id for the same ledger row, so importing a ledger twice adds nothing."""
    return "L-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def _invalid(err: ValueError) -> Message:
    """A field that does not validate (pydantic), as one line naming the field."""
    errors = getattr(err, "errors", None)
    if callable(errors):
        first = errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        return msg("lead_err.invalid", field=msg(f"lead_field.{name}") if name in EDITABLE else name,
                   problem=first["msg"])
    return msg("lead_err.invalid", field="?", problem=str(err).splitlines()[0])


__all__ = ["LEADS_FILE", "LeadBook", "LeadConflict", "LeadError", "Saved", "import_ledger", "stable_id"]


# -- a team's 招商 ledger in: 项目名称, 投资方, 固定资产投资, 需用土地, 企业联系人, 联系方式, 进度、备注, 研判结果 --
LEDGER_COLUMNS = {"项目名称": "project", "投资方": "investor", "固定资产投资": "investment", "需用土地": "land",
                  "企业联系人": "contact", "联系方式": "phone", "进度、备注": "progress", "进度": "progress",
                  "备注": "progress", "研判结果": "verdict", "项目内容": "content"}
_EMPTY = ("", "-", "—", "/", "无")
_AMOUNT = re.compile(r"^([\d.,]+)\s*(亿元|亿|万元|万)?")
_IMPORTED_AT_MOST = (LeadStatus.LEAD, LeadStatus.CONTACTED, LeadStatus.NEGOTIATING)


@dataclass
class LedgerImport:
    file: str
    added: list[str] = field(default_factory=list)  # lead ids
    kept: list[str] = field(default_factory=list)  # already imported before: left as the team edited them
    problems: list[Message] = field(default_factory=list)  # file, row, column and what; the row was skipped


def import_ledger(book: LeadBook, source: bytes | Path, name: str, by: str, chain_id: str | None = None,
                  link_id: str | None = None) -> LedgerImport:
    """Each row a 线索 (or 已接触 / 考察/洽谈 / 放弃, from its 进度); importing the same rows again adds nothing.

    Rows whose 进度 says 签约 or 落地 come in as 考察/洽谈 with a note: the signing is done in chain-graph, so that
    it makes its ledger project. The ledger has no link column: the link (or chain) is given for the file.
    """
    from loaders.tables import stream_table

    report = LedgerImport(name)
    chain_id, link_id = book._place(chain_id, link_id)
    table = stream_table(source, name, is_header=lambda cells: "投资方" in cells and "项目名称" in cells)
    if "投资方" not in table.header:
        raise LeadError(msg("lead_imp.no_header", file=name))
    known = {lead.id for lead in book.leads()}
    for row in table.rows:
        cells = {LEDGER_COLUMNS[h]: ("" if v.strip() in _EMPTY else v.strip()) for h, v in row.values.items()
                 if h in LEDGER_COLUMNS}
        if not cells.get("investor"):
            report.problems.append(msg("lead_imp.no_investor", file=name, row=row.number))
            continue
        lead_id = stable_id(cells["investor"], cells.get("project", ""))
        if lead_id in known:
            report.kept.append(lead_id)
            continue
        try:
            investment = _amount(cells.get("investment", ""))
        except ValueError:
            report.problems.append(msg("lead_imp.bad_amount", file=name, row=row.number, value=cells["investment"]))
            continue
        status, note = _progress_status(cells.get("progress", ""), cells.get("verdict", ""))
        notes = "；".join(x for x in (
            t("lead_imp.project", name=cells["project"]) if cells.get("project") else "", cells.get("content", ""),
            cells.get("progress", ""), t("lead_imp.verdict", text=cells["verdict"]) if cells.get("verdict") else "",
            note) if x)
        firm_id = book._firm_id_by_name(cells["investor"])
        try:
            book.add(by, t("lead_imp.source", file=name, row=row.number), firm_id=firm_id, firm_name=cells["investor"], chain_id=chain_id,
                     link_id=link_id, lead_id=lead_id, status=status, investment=investment,
                     land=cells.get("land", ""), contact=cells.get("contact", ""), phone=cells.get("phone", ""),
                     notes=notes, drop_reason=cells.get("progress", "") if status is LeadStatus.DROPPED else "")
        except LeadError as err:
            report.problems.append(msg("lead_imp.row_refused", file=name, row=row.number, problem=err.message))
            continue
        known.add(lead_id)
        report.added.append(lead_id)
    return report


def _amount(text: str) -> float | None:
    """亿元 from '5亿元', '5000万元' or a bare number (亿元, the ledger's usual unit)."""
    if not text:
        return None
    match = _AMOUNT.match(text.replace(" ", ""))
    if not match:
        raise ValueError(text)
    value = float(match.group(1).replace(",", ""))
    return value / 10000 if match.group(2) in ("万元", "万") else value


def _progress_status(progress: str, verdict: str) -> tuple[LeadStatus, str]:
    words = sorted(LeadStatus.aliases(), key=len, reverse=True)
    found = next((LeadStatus(w) for w in words if w in progress or w in verdict), LeadStatus.LEAD)
    if found in _IMPORTED_AT_MOST or found is LeadStatus.DROPPED:
        return found, ""
    return LeadStatus.NEGOTIATING, t("lead_imp.signed_note", status=t(f"lead.{found.value}"))
