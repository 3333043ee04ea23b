"""招商线索 (leads): a firm the team pursues for a link (or a whole chain), from 线索 to 落地.

The one home of the lifecycle: which status may follow which, that 放弃 needs a reason, and
how a change becomes a new version with its history entry. A lead is saved only over the version
its editor read (optimistic concurrency): the stores compare versions, `LeadConflict` carries the
other person's change so the second editor is told what happened instead of overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from pydantic import Field

from .i18n import Failure, Message, msg, text
from .model import Model, ProjectStatus, _Coded


class LeadStatus(_Coded):
    """The lifecycle, in order; DROPPED stands beside it."""

    LEAD = "lead"  # 线索: found, nobody has spoken to the firm yet
    CONTACTED = "contacted"  # 已接触: first call or meeting
    NEGOTIATING = "negotiating"  # 考察/洽谈: visits both ways, terms on the table
    SIGNED = "signed"  # 签约: an investment agreement; a 签约 project in the ledger
    LANDED = "landed"  # 落地: registered or started locally; the project has started
    DROPPED = "dropped"  # 放弃: with a reason

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {
            "线索": "lead", "新增线索": "lead", "已接触": "contacted", "接触": "contacted", "走访": "contacted",
            "考察/洽谈": "negotiating", "考察": "negotiating", "洽谈": "negotiating", "在谈": "negotiating",
            "谈判": "negotiating", "签约": "signed", "已签约": "signed", "落地": "landed", "已落地": "landed",
            "注册": "landed", "开工": "landed", "放弃": "dropped", "停止谈判": "dropped", "中止": "dropped",
        }

    @property
    def open(self) -> bool:
        """Still being worked on: counts as 'in the pipeline' on the workbench."""
        return self not in (LeadStatus.LANDED, LeadStatus.DROPPED)


ORDER = tuple(LeadStatus)
# status -> the statuses it may move to. Forward skips are allowed up to 考察/洽谈 (a first visit may
# be the first contact); 签约 comes only out of talks; talks may fall back to 已接触; anything open
# or signed may be dropped; a dropped lead may be reopened as a 线索; 落地 is final.
ALLOWED: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.LEAD: frozenset({LeadStatus.CONTACTED, LeadStatus.NEGOTIATING, LeadStatus.DROPPED}),
    LeadStatus.CONTACTED: frozenset({LeadStatus.NEGOTIATING, LeadStatus.DROPPED}),
    LeadStatus.NEGOTIATING: frozenset({LeadStatus.CONTACTED, LeadStatus.SIGNED, LeadStatus.DROPPED}),
    LeadStatus.SIGNED: frozenset({LeadStatus.LANDED, LeadStatus.DROPPED}),
    LeadStatus.LANDED: frozenset(),
    LeadStatus.DROPPED: frozenset({LeadStatus.LEAD}),
}
# what a lead's status makes of its ledger project (None: no project, or leave it as it is)
PROJECT_STATUS: dict[LeadStatus, ProjectStatus] = {
    LeadStatus.SIGNED: ProjectStatus.SIGNED,
    LeadStatus.LANDED: ProjectStatus.STARTED,
    LeadStatus.DROPPED: ProjectStatus.TERMINATED,
}
# the fields an editor may change, in the order the history lists them
EDITABLE = ("status", "owner", "next_action", "next_date", "notes", "drop_reason", "investment", "land",
            "contact", "phone", "project_id", "link_id", "chain_id")


class LeadEvent(Model):
    """One saved change: who, when, the version it made, and each field's old and new value."""

    version: int
    at: datetime
    by: str
    changes: dict[str, tuple[Any, Any]] = Field(default_factory=dict)


class Lead(Model):
    id: str
    firm_name: str
    firm_id: str | None = Field(None, description="credit code of a firm in the store; None for a ledger name only")
    chain_id: str
    link_id: str | None = Field(None, description="None: a lead for the chain as a whole")
    status: LeadStatus = LeadStatus.LEAD
    owner: str = ""
    next_action: str = ""
    next_date: date | None = None
    notes: str = ""
    drop_reason: str = ""
    investment: float | None = Field(None, ge=0, description="固定资产投资, 亿元")
    land: str = Field("", description="需用土地 as written, e.g. 200亩")
    contact: str = ""
    phone: str = ""
    project_id: str | None = Field(None, description="the ledger project a signing made or linked")
    source: str = Field("", description="workbench, firm page, cli, or the ledger file and row")
    version: int = 1
    history: tuple[LeadEvent, ...] = ()

    @property
    def updated(self) -> LeadEvent | None:
        return self.history[-1] if self.history else None

    def overdue(self, today: date) -> bool:
        return self.status.open and self.next_date is not None and self.next_date < today


@dataclass(frozen=True)
class _Joined(Message):
    """Messages and strings rendered in one language and joined: a list inside a sentence."""

    parts: tuple = ()
    sep: tuple[str, str] = ("", "")  # Chinese, English

    def text(self, lang: str = "zh") -> str:
        return self.sep[lang == "en"].join(text(p, lang) for p in self.parts)


def _joined(parts: tuple, sep: tuple[str, str]) -> Message:
    return _Joined("", {}, parts, sep)


class LeadRuleError(Failure):
    """A change the lifecycle forbids; a Message the front end renders in the user's language."""


class LeadConflict(Failure):
    """The lead changed since the editor read it: `current` is what is saved now."""

    def __init__(self, current: Lead, read_version: int) -> None:
        self.current, self.read_version = current, read_version
        super().__init__(conflict_message(current, read_version))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def check_jump(old: LeadStatus, new: LeadStatus) -> None:
    if new != old and new not in ALLOWED[old]:
        allowed = [msg(f"lead.{s.value}") for s in ORDER if s in ALLOWED[old]]
        raise LeadRuleError(msg("lead_err.jump", old=msg(f"lead.{old.value}"), new=msg(f"lead.{new.value}"),
                                allowed=_joined(tuple(allowed), ("、", ", ")) if allowed else msg("lead.final")))


def new_lead(lead_id: str, by: str, at: datetime | None = None, **fields: Any) -> Lead:
    """A lead's first version, its creation the first history entry."""
    lead = Lead(id=lead_id, **fields)
    if lead.status is LeadStatus.DROPPED and not lead.drop_reason:
        raise LeadRuleError(msg("lead_err.reason"))
    created = {k: (None, _plain(v)) for k, v in lead.model_dump(include=set(EDITABLE)).items() if v not in (None, "")}
    event = LeadEvent(version=1, at=at or now(), by=by or "?", changes=created)
    return lead.model_copy(update={"version": 1, "history": (event,)})


def change(lead: Lead, read_version: int, by: str, at: datetime | None = None, **fields: Any) -> Lead:
    """The next version of `lead` with `fields` changed, checked against the lifecycle.

    `read_version` is the version the editor saw; when the lead moved on since, LeadConflict.
    Fields that do not change are left out of the history; no change at all is an error.
    """
    if read_version != lead.version:
        raise LeadConflict(lead, read_version)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise LeadRuleError(msg("lead_err.field", names=", ".join(sorted(unknown))))
    updated = Lead.model_validate({**lead.model_dump(), **fields})
    check_jump(lead.status, updated.status)
    if updated.status is LeadStatus.DROPPED and not updated.drop_reason:
        raise LeadRuleError(msg("lead_err.reason"))
    changes = {k: (_plain(getattr(lead, k)), _plain(getattr(updated, k))) for k in EDITABLE
               if getattr(lead, k) != getattr(updated, k)}
    if not changes:
        raise LeadRuleError(msg("lead_err.nothing"))
    event = LeadEvent(version=lead.version + 1, at=at or now(), by=by or "?", changes=changes)
    return updated.model_copy(update={"version": lead.version + 1, "history": (*lead.history, event)})


def conflict_message(current: Lead, read_version: int) -> Message:
    """What the second editor reads: who saved what since they opened the lead."""
    since = [msg("lead_err.conflict_event", by=e.by, at=f"{e.at:%Y-%m-%d %H:%M} UTC", changes=_joined(tuple(
        _joined((msg(f"lead_field.{k}"), ": ", show(k, a), " → ", show(k, b)), ("", "")) for k, (a, b) in e.changes.items()
    ), ("；", "; "))) for e in current.history if e.version > read_version]
    return msg("lead_err.conflict", id=current.id, firm=current.firm_name, read=read_version, current=current.version,
               what=_joined(tuple(since), ("；", "; ")) if since else msg("lead_err.conflict_unknown"))


def show(name: str, value: Any) -> Message | str:
    """A field's value as the history shows it: a status by its word, an empty one as （空）."""
    if value in (None, ""):
        return msg("lead.empty_value")
    return msg(f"lead.{value}") if name == "status" else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, LeadStatus):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
