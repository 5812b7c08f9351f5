"""Facts derived from an item and the build time: states, countdowns, money, progress.

Computed once per build; pages, feeds, calendars, open data and the displays all read
these same facts, so they never disagree about a consultation's state or a sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from uchastvai.content.schema import (
    Consultation,
    ContentItem,
    Document,
    DocumentType,
    Hearing,
    Idea,
    Milestone,
    ProgrammePeriod,
    Project,
    consultation_period_days,
)
from uchastvai.content.vocabulary import ConsultationState, IdeaState, ProjectState, State, any_state
from uchastvai.core.dates import end_of_day, local
from uchastvai.core.i18n import N_, gettext, ngettext
from uchastvai.core.money import Money


def state_label(state: State | str, lang: str = "bg") -> str:
    """The label of a state member, or of a state value (as the section filters pass it)."""
    member = any_state(state)
    return gettext(member.label, lang) if member else str(state)


@dataclass
class DocumentFacts:
    document: Document
    url: str  # site-relative link or the external address
    size: int | None  # bytes, for files we publish
    format: str  # PDF, DOCX, ... from the file name

    @property
    def type_label(self) -> str:
        return gettext(self.document.type.label)


def document_facts(document: Document, content_root: Path) -> DocumentFacts:
    if document.file:
        path = content_root / document.file
        size = path.stat().st_size if path.is_file() else None
        return DocumentFacts(document, document.file, size, Path(document.file).suffix.lstrip(".").upper())
    suffix = Path(document.url or "").suffix.lstrip(".").upper()
    return DocumentFacts(document, document.url or "", None, suffix if 2 <= len(suffix) <= 4 else "")


@dataclass
class ConsultationFacts:
    state: ConsultationState
    period_days: int
    days_left: int | None  # while open: days until the last day ends, 0 on the last day
    countdown: str
    deadline: datetime
    upcoming_hearings: list[Hearing]
    past_hearings: list[Hearing]
    documents: list[DocumentFacts]

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def is_open(self) -> bool:
        return self.state == ConsultationState.OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.state == ConsultationState.UPCOMING

    def documents_of(self, kind: str) -> list[DocumentFacts]:
        return [facts for facts in self.documents if facts.document.type.value == kind]


def consultation_state(item: Consultation, build_time: datetime) -> ConsultationState:
    today = local(build_time).date()
    if item.withdrawn:
        return ConsultationState.WITHDRAWN
    if today <= item.opens:
        return ConsultationState.UPCOMING if today < item.opens else ConsultationState.OPEN
    if local(build_time) <= end_of_day(item.closes):
        return ConsultationState.OPEN
    outcome = item.outcome
    if outcome and outcome.decision:
        return ConsultationState.DECIDED
    if (outcome and outcome.report_date) or any(d.type == DocumentType.REPORT for d in item.documents):
        return ConsultationState.REPORTED
    return ConsultationState.CLOSED


def countdown_text(item: Consultation, state: ConsultationState, build_time: datetime, lang: str = "bg") -> str:
    """As citizens read it: „остават 9 от 30 дни“, „последен ден днес“, „започва на …“."""
    today = local(build_time).date()
    period = consultation_period_days(item)
    if state == ConsultationState.OPEN:
        left = (item.closes - today).days
        if left == 0:
            return gettext("last day today", lang)
        return ngettext("{left} of {period} day left", "{left} of {period} days left", left, lang).format(
            left=left, period=period
        )
    if state == ConsultationState.UPCOMING:
        days = (item.opens - today).days
        return ngettext("opens in {n} day", "opens in {n} days", days, lang).format(n=days)
    return state_label(state, lang)


def derive_consultation(item: Consultation, build_time: datetime, content_root: Path) -> ConsultationFacts:
    state = consultation_state(item, build_time)
    now = local(build_time).replace(tzinfo=None)
    hearings = sorted(item.hearings, key=lambda hearing: hearing.start)
    days_left = (item.closes - local(build_time).date()).days if state == ConsultationState.OPEN else None
    return ConsultationFacts(
        state=state,
        period_days=consultation_period_days(item),
        days_left=days_left,
        countdown=countdown_text(item, state, build_time),
        deadline=end_of_day(item.closes),
        upcoming_hearings=[h for h in hearings if (h.end or h.start) >= now],
        past_hearings=[h for h in hearings if (h.end or h.start) < now],
        documents=[document_facts(d, content_root) for d in item.documents],
    )


@dataclass
class Progress:
    """One way of measuring progress, labelled so nobody mistakes time for money."""

    basis: str  # "time", "money" or "milestones"
    percent: int
    detail: str

    @property
    def label(self) -> str:
        return gettext(
            {"time": N_("By time elapsed"), "money": N_("By money paid"), "milestones": N_("By milestones done")}[
                self.basis
            ]
        )


def _percent(part: Decimal, whole: Decimal) -> int:
    if whole <= 0:
        return 0
    value = (Decimal(100) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if part < whole:  # 99.6 % is not done: never show 100 % before it is
        value = min(value, Decimal(99))
    return int(max(Decimal(0), min(Decimal(100), value)))


@dataclass(frozen=True)
class EuPublicity:
    """What a project funded by the EU must show (GUIDE §2), for the page and the displays alike."""

    period: ProgrammePeriod
    emblem: str  # the statement beside the EU emblem
    fund: str  # the fund named under it (periods up to 2014-2020), else ""
    statement: str  # the sentence naming the programme and the fund


def eu_publicity(item: Project, lang: str = "bg") -> EuPublicity | None:
    """The publicity block of an EU-funded project, ``None`` for national funding."""
    period = item.period
    if not period.is_eu:
        return None
    statement = gettext(
        "The project is carried out with the financial support of %(programme)s, "
        "co-financed by the European Union %(through)s.",
        lang,
    ) % {"programme": item.programme, "through": gettext(item.fund.through, lang)}
    fund = gettext(item.fund.label, lang) if period.names_fund else ""
    return EuPublicity(period, gettext(period.emblem, lang), fund, statement)


@dataclass
class ProjectFacts:
    state: ProjectState
    total: Money
    grant: Money
    grant_eu: Money
    grant_national: Money
    own: Money
    paid: Money
    duration_months: int
    progress: list[Progress] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    documents: list[DocumentFacts] = field(default_factory=list)
    eu: EuPublicity | None = None

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def is_in_progress(self) -> bool:
        return self.state == ProjectState.IN_PROGRESS


def project_state(item: Project, build_time: datetime) -> ProjectState:
    today = local(build_time).date()
    if item.terminated and item.terminated.date <= today:
        return ProjectState.TERMINATED
    if (item.completed_on and item.completed_on <= today) or today > item.end:
        return ProjectState.COMPLETED
    if today >= item.start:
        return ProjectState.IN_PROGRESS
    return ProjectState.CONTRACTED


def months_between(start: date, end: date) -> int:
    """Whole months, counting a started month (as contracts state durations)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months + (1 if end.day >= start.day else 0)


def project_progress(
    item: Project, state: ProjectState, build_time: datetime, paid: Money, total: Money
) -> list[Progress]:
    today = local(build_time).date()
    span = (item.end - item.start).days
    elapsed = 0 if today < item.start else min((today - item.start).days, span)
    time_percent = 100 if state == ProjectState.COMPLETED else _percent(Decimal(elapsed), Decimal(span))
    progress = [
        Progress("time", time_percent, gettext("{elapsed} of {span} days").format(elapsed=elapsed, span=span)),
        Progress("money", _percent(paid.amount, total.amount), f"{paid.display()} / {total.display()}"),
    ]
    if item.milestones:
        done = sum(1 for milestone in item.milestones if milestone.done)
        progress.append(
            Progress(
                "milestones",
                _percent(Decimal(done), Decimal(len(item.milestones))),
                gettext("{done} of {total} milestones").format(done=done, total=len(item.milestones)),
            )
        )
    return progress


def derive_project(item: Project, build_time: datetime, content_root: Path) -> ProjectFacts:
    state = project_state(item, build_time)
    budget = item.budget
    total, paid = budget.money(budget.total), budget.money(budget.paid)
    return ProjectFacts(
        state=state,
        total=total,
        grant=budget.money(budget.grant),
        grant_eu=budget.money(budget.grant_eu),
        grant_national=budget.money(budget.grant_national),
        own=budget.money(budget.own),
        paid=paid,
        duration_months=months_between(item.start, item.end),
        progress=project_progress(item, state, build_time, paid, total),
        milestones=sorted(item.milestones, key=lambda milestone: milestone.date),
        documents=[document_facts(d, content_root) for d in item.documents],
        eu=eu_publicity(item),
    )


@dataclass
class IdeaFacts:
    state: IdeaState
    cost: Money | None
    documents: list[DocumentFacts] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def derive_idea(item: Idea, build_time: datetime, content_root: Path) -> IdeaFacts:
    cost = Money(item.estimated_cost.amount, item.estimated_cost.currency) if item.estimated_cost else None
    return IdeaFacts(item.state, cost, [document_facts(d, content_root) for d in item.documents])


@dataclass
class PlainFacts:
    """News and pages have no state; they still list their documents the same way."""

    documents: list[DocumentFacts] = field(default_factory=list)
    state: None = None


def derive(item: ContentItem, build_time: datetime, content_root: Path) -> object:
    """The facts of any item."""
    if isinstance(item, Consultation):
        return derive_consultation(item, build_time, content_root)
    if isinstance(item, Project):
        return derive_project(item, build_time, content_root)
    if isinstance(item, Idea):
        return derive_idea(item, build_time, content_root)
    return PlainFacts([document_facts(d, content_root) for d in item.documents])
