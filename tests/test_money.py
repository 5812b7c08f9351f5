"""Money: Decimal amounts, converted once at the fixed rate, shown EUR first (GUIDE §3)."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import read_html, text_of
from uchastvai.core.money import BGN_PER_EUR, Money, format_money, parse_amount, to_eur

NBSP = "\u00a0"


def test_the_rate_a_page_states_is_the_rate_its_amounts_were_converted_at(sample_site) -> None:
    """The project page says „1 евро = X лв.“ and shows leva beside euro: X must explain every pair."""
    page = text_of(read_html(sample_site, "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/"))
    stated = re.search(r"1 евро = ([0-9,]+) лв\.", page)
    assert stated, "the page states no exchange rate"
    rate = Decimal(stated.group(1).replace(",", "."))
    pairs = re.findall(rf"([0-9{NBSP}]+,[0-9]{{2}}){NBSP}€ \(([0-9{NBSP}]+,[0-9]{{2}}){NBSP}лв\.\)", page)
    assert len(pairs) >= 4
    for euro, leva in pairs:
        assert parse_amount(euro) == (parse_amount(leva) / rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert rate == BGN_PER_EUR


def test_the_seed_project_converts_to_the_cent() -> None:
    assert to_eur(Decimal("179740.00"), "BGN") == Decimal("91899.60")


def test_conversion_rounds_half_up() -> None:
    # 1.95583 лв. is exactly 1 €; 0.01 лв. is 0.00511... € -> 0.01 €
    assert to_eur(Decimal("1.95583"), "BGN") == Decimal("1.00")
    assert to_eur(Decimal("0.01"), "BGN") == Decimal("0.01")
    assert to_eur(Decimal("0.00977915"), "BGN") == Decimal("0.01")  # 0.005 € exactly: half up


def test_bulgarian_format_uses_no_break_spaces_and_a_decimal_comma() -> None:
    assert format_money(Decimal("91899.60"), "EUR") == f"91{NBSP}899,60{NBSP}€"
    assert format_money(Decimal("179740"), "BGN") == f"179{NBSP}740,00{NBSP}лв."


def test_display_shows_eur_first_and_the_original_beside_it() -> None:
    assert Money(Decimal("179740.00"), "BGN").display() == f"91{NBSP}899,60{NBSP}€ (179{NBSP}740,00{NBSP}лв.)"
    assert Money(Decimal("1000"), "EUR").display() == f"1{NBSP}000,00{NBSP}€"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("179740", "179740.00"),
        ("179740.5", "179740.50"),
        ("179 740,00", "179740.00"),
        (f"1{NBSP}000{NBSP}000,1", "1000000.10"),
    ],
)
def test_editors_may_write_amounts_the_bulgarian_or_the_plain_way(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "12,345.00", "1.000.000", "abc", "12.345", "-5", "1e5", "17 97"])
def test_ambiguous_or_wrong_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)
