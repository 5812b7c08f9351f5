"""Derived facts: states from dates, countdowns as citizens read them, money, progress."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import CONSULTATION, PROJECT, make
from uchastvai.content.schema import Consultation, Project
from uchastvai.content.vocabulary import STATES, ConsultationState, IdeaState
from uchastvai.core.dates import SOFIA
from uchastvai.facts.derive import derive_consultation, derive_project, eu_publicity, state_label

ROOT = Path(".")


def at(day: str, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, second=second, tzinfo=SOFIA)


def consultation(**changes):
    return Consultation.model_validate(make(CONSULTATION, **changes))


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (at("2026-11-09"), "upcoming"),
        (at("2026-11-10", 0, 0), "open"),
        (at("2026-12-10", 23, 59, 59), "open"),
        (at("2026-12-11", 0, 0), "closed"),
    ],
)
def test_consultation_state_follows_the_dates(moment: datetime, state: str) -> None:
    assert derive_consultation(consultation(), moment, ROOT).state.value == state


def test_report_and_decision_move_the_state_on() -> None:
    outcome = {"proposals_received": "4", "proposals_accepted": "2", "report_date": "2026-12-20"}
    report = {"type": "report", "title": "Справка", "url": "https://primerno.example/s.pdf"}
    reported = consultation(outcome=outcome, documents=[*CONSULTATION["documents"], report])
    assert derive_consultation(reported, at("2027-01-05"), ROOT).state.value == "reported"
    decision = {"number": "123", "date": "2027-01-28"}
    decided = consultation(outcome={**outcome, "decision": decision}, documents=[*CONSULTATION["documents"], report])
    assert derive_consultation(decided, at("2027-02-01"), ROOT).state.value == "decided"


def test_withdrawn_is_the_one_state_an_editor_sets() -> None:
    withdrawn = consultation(withdrawn={"date": "2026-11-20", "reason": "Промяна в закона."})
    assert derive_consultation(withdrawn, at("2026-11-25"), ROOT).state.value == "withdrawn"


def test_countdown_reads_as_days_left_of_the_period() -> None:
    assert derive_consultation(consultation(), at("2026-12-01"), ROOT).countdown == "остават 9 от 30 дни"
    assert derive_consultation(consultation(), at("2026-12-09"), ROOT).countdown == "остава 1 от 30 дни"
    assert derive_consultation(consultation(), at("2026-12-10", 18), ROOT).countdown == "последен ден днес"


def test_upcoming_consultation_says_when_it_opens() -> None:
    assert derive_consultation(consultation(), at("2026-11-07"), ROOT).countdown == "започва след 3 дни"


def project(**changes):
    return Project.model_validate(make(PROJECT, **changes))


@pytest.mark.parametrize(
    ("moment", "state"),
    [(at("2023-06-30"), "contracted"), (at("2023-07-01"), "in_progress"), (at("2025-07-01"), "completed")],
)
def test_project_state_follows_the_dates(moment: datetime, state: str) -> None:
    assert derive_project(project(), moment, ROOT).state.value == state


def test_a_terminated_project_stays_terminated() -> None:
    terminated = project(terminated={"date": "2024-01-10", "reason": "Отказ на изпълнителя."})
    assert derive_project(terminated, at("2026-11-25"), ROOT).state.value == "terminated"


def test_project_money_is_in_euro_with_the_original_beside_it() -> None:
    facts = derive_project(project(), at("2024-01-01"), ROOT)
    assert facts.total.eur == Decimal("91899.60")
    assert facts.total.display() == "91\u00a0899,60\u00a0€ (179\u00a0740,00\u00a0лв.)"
    assert facts.grant.amount == Decimal("179740.00")


def test_progress_is_labelled_by_what_it_measures() -> None:
    milestones = [{"date": "2023-09-01", "title": "Доставка", "done": "yes"}, {"date": "2024-03-01", "title": "Монтаж"}]
    facts = derive_project(project(milestones=milestones), at("2024-07-01"), ROOT)
    by_basis = {p.basis: p for p in facts.progress}
    assert by_basis["time"].percent == 50
    assert by_basis["money"].percent == 56  # 100000 of 179740
    assert by_basis["milestones"].percent == 50
    assert by_basis["time"].label == "По изминалото време"


# --------------------------------------------------------------------------- one vocabulary


@pytest.mark.parametrize("type_name", sorted(STATES))
def test_every_state_has_a_bulgarian_label_a_unique_slug_and_place(type_name: str) -> None:
    states = list(STATES[type_name])
    for state in states:
        assert state_label(state) != state.label, f"{state!r} has no Bulgarian label"
        assert state_label(state.value) == state_label(state)
    assert len({state.slug for state in states}) == len(states)
    assert sorted(state.order for state in states) == list(range(1, len(states) + 1))


def test_idea_states_are_labelled_like_the_others() -> None:
    assert state_label(IdeaState.EVALUATING) == "В оценка"
    assert IdeaState.EVALUATING.slug == "v-otsenka"


def test_current_means_open_or_upcoming_for_a_consultation() -> None:
    current = {state for state in ConsultationState if state.is_current}
    assert current == {ConsultationState.OPEN, ConsultationState.UPCOMING}
    facts = derive_consultation(consultation(), at("2026-11-09"), ROOT)
    assert facts.is_upcoming
    assert facts.state.is_current


@pytest.mark.parametrize(
    ("period", "fund", "emblem", "fund_line", "through"),
    [
        ("2014-2020", "ERDF", "Европейски съюз", "Европейски фонд за регионално развитие", "Европейския фонд за"),
        ("2021-2027", "ESF+", "Съфинансирано от Европейския съюз", "", "Европейския социален фонд плюс"),
        ("2021-2027", "national", "Съфинансирано от Европейския съюз", "", "бюджета на Европейския съюз"),
    ],
)
def test_eu_publicity_follows_the_period_and_the_fund(
    period: str, fund: str, emblem: str, fund_line: str, through: str
) -> None:
    item = Project.model_validate(make(PROJECT, period=period, fund=fund))
    eu = eu_publicity(item)
    assert eu is not None
    assert (eu.emblem, eu.fund) == (emblem, fund_line)
    assert item.programme in eu.statement
    assert through in eu.statement


def test_a_nationally_funded_project_has_no_eu_publicity() -> None:
    assert eu_publicity(Project.model_validate(make(PROJECT, period="national", fund="municipal"))) is None
