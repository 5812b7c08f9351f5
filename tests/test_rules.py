"""The legal and consistency rules (uchastvai.content.rules), one behaviour per test."""

from datetime import datetime

import pytest

from tests.factories import CONSULTATION, IDEA, PROJECT, make
from uchastvai.content.problems import Severity
from uchastvai.content.rules import check_item
from uchastvai.content.schema import Consultation, Idea, Project
from uchastvai.core.dates import SOFIA

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SOFIA)


def codes(model, data, now=NOW):
    return [(p.code, p.severity, p.found) for p in check_item(model.model_validate(data), now)]


def test_a_complete_consultation_of_30_days_has_no_problem() -> None:
    assert codes(Consultation, CONSULTATION) == []


@pytest.mark.parametrize(("closes", "days"), [("2026-11-23", "13"), ("2026-11-11", "1")])
def test_a_period_under_14_days_is_an_error(closes: str, days: str) -> None:
    assert codes(Consultation, make(CONSULTATION, closes=closes)) == [("period_too_short", Severity.ERROR, days)]


def test_a_period_of_14_days_needs_stated_reasons() -> None:
    data = make(CONSULTATION, closes="2026-11-24")
    assert codes(Consultation, data) == [("short_period_without_reason", Severity.ERROR, "14")]
    assert codes(Consultation, make(data, short_period_reason="Спешна промяна в закона.")) == []


def test_29_days_need_reasons_and_30_do_not() -> None:
    assert codes(Consultation, make(CONSULTATION, closes="2026-12-09"))[0][0] == "short_period_without_reason"
    assert codes(Consultation, make(CONSULTATION, closes="2026-12-10")) == []


def test_missing_motives_and_impact_assessment_are_warnings() -> None:
    data = make(CONSULTATION, documents=[CONSULTATION["documents"][0]])
    assert codes(Consultation, data) == [
        ("missing_motives", Severity.WARNING, ""),
        ("missing_impact_assessment", Severity.WARNING, ""),
    ]


def test_a_consultation_closed_over_30_days_without_report_is_flagged() -> None:
    data = make(CONSULTATION, opens="2026-09-01", closes="2026-10-01")
    assert codes(Consultation, data) == [("report_overdue", Severity.REMINDER, "55")]
    assert codes(Consultation, data, now=datetime(2026, 10, 31, 12, tzinfo=SOFIA)) == []


def test_a_budget_hearing_needs_7_days_notice() -> None:
    hearing = {"start": "2026-11-16 18:00", "place": "Зала", "address": "ул. Първа 1"}
    data = make(CONSULTATION, kind="budget", hearings=[hearing])
    assert codes(Consultation, data) == [("budget_hearing_too_late", Severity.ERROR, "6")]
    assert codes(Consultation, make(data, hearings=[{**hearing, "start": "2026-11-17 18:00"}])) == []


def test_other_hearings_have_no_notice_rule() -> None:
    hearing = {"start": "2026-11-11 18:00", "place": "Зала", "address": "ул. Първа 1"}
    assert codes(Consultation, make(CONSULTATION, hearings=[hearing])) == []


def test_dates_must_follow_each_other() -> None:
    assert codes(Consultation, make(CONSULTATION, closes="2026-11-01"))[0][:2] == ("date_order", Severity.ERROR)


def test_an_outcome_before_the_end_of_the_period_is_an_error() -> None:
    data = make(CONSULTATION, outcome={"proposals_received": "3", "proposals_accepted": "1"})
    assert ("outcome_before_close", Severity.ERROR, "2026-12-10") in codes(Consultation, data)


def test_a_report_date_needs_the_report_document() -> None:
    outcome = {"proposals_received": "3", "proposals_accepted": "1", "report_date": "2026-10-20"}
    data = make(CONSULTATION, opens="2026-09-01", closes="2026-10-01", outcome=outcome)
    assert codes(Consultation, data) == [("report_without_document", Severity.ERROR, "")]


def test_the_seed_project_adds_up() -> None:
    assert codes(Project, PROJECT) == []


def test_grant_and_own_must_add_up_to_the_total_to_the_cent() -> None:
    data = make(PROJECT, budget={**PROJECT["budget"], "own": "0.01"})
    assert codes(Project, data) == [("money_sum", Severity.ERROR, "179\u00a0740,01")]


def test_paid_cannot_exceed_the_total() -> None:
    data = make(PROJECT, budget={**PROJECT["budget"], "paid": "179740.01"})
    assert codes(Project, data) == [("paid_exceeds_total", Severity.ERROR, "179\u00a0740,01")]


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("BG16RFOP001-8.006-0008-C01", "2014-2020"),
        ("BG16FFPR003-2.001-0012-C01", "2021-2027"),
        ("BG05SFPR002-1.001-0005-C02", "2021-2027"),
        ("BG06RDNP001-7.007-0012-C01", "2014-2020"),
    ],
)
def test_isun_codes_are_accepted(code: str, period: str) -> None:
    assert codes(Project, make(PROJECT, code=code, period=period)) == []


def test_an_isun_code_without_the_contract_suffix_is_an_error() -> None:
    found = codes(Project, make(PROJECT, code="BG16RFOP001-8.006-0008"))
    assert found == [("isun_contract_suffix", Severity.ERROR, "BG16RFOP001-8.006-0008")]


@pytest.mark.parametrize(
    ("code", "period"), [("BG16RFOP001-8.006-0008-C01", "2021-2027"), ("BG16FFPR003-2.001-0012-C01", "2014-2020")]
)
def test_the_programme_period_agrees_with_the_programme_in_the_code(code: str, period: str) -> None:
    assert codes(Project, make(PROJECT, code=code, period=period)) == [("period_code_mismatch", Severity.ERROR, code)]


def test_an_indicator_achieved_over_ten_times_its_target_is_a_warning() -> None:
    indicator = {"name": "Доставени сървъри", "unit": "бр.", "target": "2", "achieved": "20"}
    assert codes(Project, make(PROJECT, indicators=[indicator])) == []
    found = codes(Project, make(PROJECT, indicators=[{**indicator, "achieved": "200"}]))
    assert found == [("indicator_tenfold", Severity.WARNING, "200")]


def test_a_hearing_outside_the_period_for_proposals_is_a_warning() -> None:
    hearing = {"start": "2026-12-10 18:00", "place": "Зала", "address": "ул. Първа 1"}
    assert codes(Consultation, make(CONSULTATION, hearings=[hearing])) == []
    late = codes(Consultation, make(CONSULTATION, hearings=[{**hearing, "start": "2026-12-11 18:00"}]))
    assert late == [("hearing_outside_period", Severity.WARNING, "2026-12-11 18:00")]
    early = codes(Consultation, make(CONSULTATION, hearings=[{**hearing, "start": "2026-11-09 18:00"}]))
    assert early == [("hearing_outside_period", Severity.WARNING, "2026-11-09 18:00")]


def test_placeholder_texts_and_a_zero_total_are_errors_unless_a_draft() -> None:
    data = make(
        PROJECT,
        summary="Едно-две изречения за гражданите.",
        budget={**{k: "0.00" for k in PROJECT["budget"]}, "currency": "BGN"},
    )
    assert codes(Project, data) == [
        ("placeholder_field", Severity.ERROR, "Едно-две изречения за гражданите."),
        ("zero_amount", Severity.ERROR, ""),
    ]
    assert codes(Project, make(data, draft="yes")) == []


@pytest.mark.parametrize(
    "code", ["BG16RFOP001-8.006-8-C01", "bg16rfop001-8.006-0008-C01", "16RFOP001-8.006-0008", "ДОГ-12"]
)
def test_other_codes_of_eu_projects_are_errors(code: str) -> None:
    assert codes(Project, make(PROJECT, code=code)) == [("isun_code", Severity.ERROR, code)]


def test_nationally_funded_projects_may_use_other_codes() -> None:
    assert codes(Project, make(PROJECT, code="ДОГ-12/2025", period="national", fund="national")) == []


def test_project_end_before_start_is_an_error() -> None:
    assert codes(Project, make(PROJECT, end="2023-06-30"))[0][:2] == ("date_order", Severity.ERROR)


def test_a_rejected_idea_gives_its_reason_and_an_accepted_one_its_project() -> None:
    assert codes(Idea, make(IDEA, state="rejected")) == [("rejected_without_reason", Severity.ERROR, "")]
    assert codes(Idea, make(IDEA, state="accepted")) == [("accepted_without_project", Severity.ERROR, "")]


def test_a_2007_2013_code_is_not_compared_with_the_isun_periods() -> None:
    assert codes(Project, make(PROJECT, code="BG16RFOP001-1.001-0131-C01", period="2007-2013")) == []
