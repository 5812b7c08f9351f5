"""The legal and consistency rules, one function each, with the law they come from.

A lawyer can review this module alone: each rule says which article it applies, and a
change in the law is a change here. Rules receive validated items and the build time
and return problems; they never read files or settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from uchastvai.core.dates import local
from uchastvai.core.money import format_amount
from uchastvai.content.problems import Problem
from uchastvai.content.scaffold import placeholder_texts
from uchastvai.content.schema import (
    ISUN_CODE,
    Consultation,
    ConsultationKind,
    ContentItem,
    DocumentType,
    Idea,
    IdeaState,
    ProgrammePeriod,
    Project,
    consultation_period_days,
)

MINIMUM_PERIOD_DAYS = 30
ABSOLUTE_MINIMUM_PERIOD_DAYS = 14
BUDGET_HEARING_NOTICE_DAYS = 7
REPORT_DUE_DAYS = 30
INDICATOR_TYPO_FACTOR = 10
# A contracted project's code in ИСУН ends with the contract's number: -C01, -C02, ...
ISUN_CONTRACT_CODE = re.compile(r"^BG\d{2}[A-Z0-9]{4}\d{3}-\d{1,2}\.\d{3}-\d{4}-C\d{2}$")
# The programme part of an ИСУН code tells its period: ...OP (оперативна програма) 2014-2020,
# ...PR (програма) 2021-2027, e.g. BG16RFOP001 „Региони в растеж“, BG16FFPR003 „Развитие на регионите“.
PERIOD_OF_PROGRAMME_CODE = {"OP": ProgrammePeriod.P2014_2020, "PR": ProgrammePeriod.P2021_2027}

Rule = Callable[[ContentItem, datetime], Iterator[Problem]]


def has_document(item: ContentItem, kind: DocumentType) -> bool:
    return any(document.type == kind for document in item.documents)


def _order(
    later: date | datetime, earlier: date | datetime, path: tuple[str | int, ...], earlier_label: str
) -> Iterator[Problem]:
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
    """Codes of EU-funded projects follow ИСУН in full, with the contract suffix
    (e.g. BG16RFOP001-8.006-0008-C01): the code is how Kohesio and ИСУН find the project."""
    if not item.is_eu_funded:
        return
    if not ISUN_CODE.match(item.code):
        yield Problem.error(code="isun_code", field=("code",), found=item.code)
    elif not ISUN_CONTRACT_CODE.match(item.code):
        yield Problem.error(code="isun_contract_suffix", field=("code",), found=item.code)


def project_period(item: Project, build_time: datetime) -> Iterator[Problem]:
    """The programme period agrees with the programme in the code: the page shows the EU emblem
    and statement of the period (Reg. 1303/2013 Annex XII for 2014-2020, Reg. 2021/1060 art. 47
    and 50 for 2021-2027), so a wrong period shows the wrong ones."""
    # 2007-2013 codes came from УМИС, before ИСУН's naming; only the two ИСУН periods are compared.
    if item.period not in PERIOD_OF_PROGRAMME_CODE.values() or not ISUN_CODE.match(item.code):
        return
    expected = PERIOD_OF_PROGRAMME_CODE.get(item.code[6:8])
    if expected is not None and item.period != expected:
        yield Problem.error(
            code="period_code_mismatch",
            field=("period",),
            found=item.code,
            expected=expected.value,
            params={"period": item.period.value},
        )


def project_indicators(item: Project, build_time: datetime) -> Iterator[Problem]:
    """An indicator achieved more than ten times its target is almost always a typo."""
    for index, indicator in enumerate(item.indicators):
        if indicator.target > 0 and indicator.achieved > INDICATOR_TYPO_FACTOR * indicator.target:
            yield Problem.warning(
                code="indicator_tenfold",
                field=("indicators", index, "achieved"),
                found=str(indicator.achieved),
                expected=str(indicator.target),
            )


def hearing_in_period(item: Consultation, build_time: datetime) -> Iterator[Problem]:
    """ЗНА, чл. 26, ал. 4: a public hearing is part of the consultation, held while proposals
    are accepted (from publication to the last day), so what is said there can be considered."""
    for index, hearing in enumerate(item.hearings):
        day = hearing.start.date()
        if day < item.opens or day > item.closes:
            yield Problem.warning(
                code="hearing_outside_period",
                field=("hearings", index, "start"),
                found=str(hearing.start)[:16],
                expected=f"{item.opens} – {item.closes}",
            )


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text value of an item's fields, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _texts(inner, (*path, index))


def template_text(item: ContentItem, build_time: datetime) -> Iterator[Problem]:
    """What ``invoke new`` writes as a placeholder is not publishable: an item that is not a draft
    still carrying it (or a project whose total is the template's 0.00) would show it to citizens."""
    if item.draft:
        return
    placeholders = placeholder_texts()
    for path, text in _texts(item.model_dump(mode="python"), ()):
        if text.strip() in placeholders:
            yield Problem.error(code="placeholder_field", field=path, found=text.strip())
    if isinstance(item, Project) and item.budget.total == Decimal(0):
        yield Problem.error(code="zero_amount", field=("budget", "total"))


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
        hearing_in_period,
    ),
    Project: (project_code, project_period, project_dates, project_money, project_indicators),
    Idea: (idea_state,),
}
COMMON_RULES: tuple[Rule, ...] = (template_text,)


def check_item(item: ContentItem, build_time: datetime) -> list[Problem]:
    """Every rule of the item's type."""
    rules = (*RULES.get(type(item), ()), *COMMON_RULES)
    return [problem for rule in rules for problem in rule(item, build_time)]
