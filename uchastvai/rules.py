"""The legal and consistency rules, one function each, with the law they come from.

A lawyer can review this module alone: each rule says which article it applies, and a
change in the law is a change here. Rules receive validated items and the build time
and return problems; they never read files or settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

from uchastvai.dates import local
from uchastvai.money import format_amount
from uchastvai.problems import Problem
from uchastvai.schema import (
    ISUN_CODE,
    Consultation,
    ConsultationKind,
    ContentItem,
    DocumentType,
    Idea,
    IdeaState,
    Project,
)

MINIMUM_PERIOD_DAYS = 30
ABSOLUTE_MINIMUM_PERIOD_DAYS = 14
BUDGET_HEARING_NOTICE_DAYS = 7
REPORT_DUE_DAYS = 30

Rule = Callable[[ContentItem, datetime], Iterator[Problem]]


def consultation_period_days(item: Consultation) -> int:
    """Days for proposals: from the day after publication to the last day, inclusive."""
    return (item.closes - item.opens).days


def has_document(item: ContentItem, kind: DocumentType) -> bool:
    return any(document.type == kind for document in item.documents)


def _order(later: date | datetime, earlier: date | datetime, path: tuple, earlier_label: str) -> Iterator[Problem]:
    if later < earlier:
        yield Problem.error(code="date_order", field=path, found=str(later), expected=earlier_label)


def consultation_period(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """ЗНА, чл. 26, ал. 4: at least 30 days; 14-29 days only with stated reasons; never under 14."""
    days = consultation_period_days(item)
    if days < 0:
        return  # reported by consultation_dates
    if days < ABSOLUTE_MINIMUM_PERIOD_DAYS:
        yield Problem.error(code="period_too_short", field=("closes",), found=str(days))
    elif days < MINIMUM_PERIOD_DAYS and not item.short_period_reason:
        yield Problem.error(code="short_period_without_reason", field=("closes",), found=str(days))


def consultation_documents(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """ЗНА, чл. 26, ал. 3: the draft is published with motives/report and an impact assessment."""
    if item.withdrawn:
        return
    for kind, code in (
        (DocumentType.DRAFT, "missing_draft"),
        (DocumentType.MOTIVES, "missing_motives"),
        (DocumentType.IMPACT_ASSESSMENT, "missing_impact_assessment"),
    ):
        if not has_document(item, kind):
            yield Problem.warning(code=code, field=("documents",))


def consultation_report_due(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """ЗНА, чл. 26, ал. 5: a справка on the proposals is published before the act is adopted.

    Flagged for editors when the period closed more than 30 days ago without one: a
    reminder (date-driven), so it never stops the nightly rebuild.
    """
    if item.withdrawn or (item.outcome and item.outcome.report_date) or has_document(item, DocumentType.REPORT):
        return
    days_closed = (local(build_time).date() - item.closes).days
    if days_closed > REPORT_DUE_DAYS:
        yield Problem.reminder(code="report_overdue", field=("outcome",), found=str(days_closed))


def budget_hearing_notice(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """ЗПФ, чл. 84: the public discussion of the budget is announced at least 7 days before."""
    if item.kind != ConsultationKind.BUDGET:
        return
    for index, hearing in enumerate(item.hearings):
        announced = hearing.announced or item.opens
        notice = (hearing.start.date() - announced).days
        if notice < BUDGET_HEARING_NOTICE_DAYS:
            field = ("hearings", index, "announced" if hearing.announced else "start")
            yield Problem.error(code="budget_hearing_too_late", field=field, found=str(notice))


def consultation_dates(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """Dates follow each other: publication, end of the period, hearings, outcome, decision."""
    yield from _order(item.closes, item.opens, ("closes",), str(item.opens))
    for index, hearing in enumerate(item.hearings):
        if hearing.end:
            yield from _order(hearing.end, hearing.start, ("hearings", index, "end"), str(hearing.start)[:16])
    if item.withdrawn:
        yield from _order(item.withdrawn.date, item.opens, ("withdrawn", "date"), str(item.opens))
    outcome = item.outcome
    if outcome is None:
        return
    if local(build_time).date() <= item.closes:
        yield Problem.error(code="outcome_before_close", field=("outcome",), found=str(item.closes))
    if outcome.report_date:
        yield from _order(outcome.report_date, item.closes, ("outcome", "report_date"), str(item.closes))
        if not has_document(item, DocumentType.REPORT):
            yield Problem.error(code="report_without_document", field=("outcome", "report_date"))
    if outcome.decision:
        yield from _order(outcome.decision.date, item.closes, ("outcome", "decision", "date"), str(item.closes))


def project_code(item: Project, build_time: datetime) -> Iterator[Problem]:
    """Codes of EU-funded projects follow ИСУН (e.g. BG16RFOP001-8.006-0008-C01)."""
    if item.is_eu_funded and not ISUN_CODE.match(item.code):
        yield Problem.error(code="isun_code", field=("code",), found=item.code)


def project_dates(item: Project, build_time: datetime) -> Iterator[Problem]:
    """Contract before start, start before end, completion and termination after start."""
    yield from _order(item.start, item.contract.date, ("start",), str(item.contract.date))
    yield from _order(item.end, item.start, ("end",), str(item.start))
    if item.completed_on:
        yield from _order(item.completed_on, item.start, ("completed_on",), str(item.start))
    if item.terminated:
        yield from _order(item.terminated.date, item.contract.date, ("terminated", "date"), str(item.contract.date))


def project_money(item: Project, build_time: datetime) -> Iterator[Problem]:
    """Grant (EU + national) + own co-financing = total, to the cent; paid never exceeds total."""
    budget = item.budget
    parts = budget.grant_eu + budget.grant_national + budget.own
    if parts != budget.total:
        yield Problem.error(
            code="money_sum",
            field=("budget", "total"),
            found=format_amount(parts),
            expected=format_amount(budget.total),
            params={
                "grant_eu": format_amount(budget.grant_eu),
                "grant_national": format_amount(budget.grant_national),
                "own": format_amount(budget.own),
            },
        )
    if budget.paid > budget.total:
        yield Problem.error(
            code="paid_exceeds_total",
            field=("budget", "paid"),
            found=format_amount(budget.paid),
            expected=format_amount(budget.total),
        )


def idea_state(item: Idea, build_time: datetime) -> Iterator[Problem]:
    """A rejected idea says why; an accepted one names the project it became."""
    if item.state == IdeaState.REJECTED and not item.rejection_reason:
        yield Problem.error(code="rejected_without_reason", field=("state",))
    if item.state == IdeaState.ACCEPTED and not item.project:
        yield Problem.error(code="accepted_without_project", field=("state",))


RULES: dict[type[ContentItem], tuple[Rule, ...]] = {
    Consultation: (
        consultation_dates,
        consultation_period,
        consultation_documents,
        consultation_report_due,
        budget_hearing_notice,
    ),
    Project: (project_code, project_dates, project_money),
    Idea: (idea_state,),
}


def check_item(item: ContentItem, build_time: datetime) -> list[Problem]:
    """Every rule of the item's type."""
    return [problem for rule in RULES.get(type(item), ()) for problem in rule(item, build_time)]
