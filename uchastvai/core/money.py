"""Money in BGN and EUR (GUIDE §3).

Amounts are stored in their original currency as :class:`decimal.Decimal`.
Bulgaria adopted the euro on 1 January 2026 at the fixed rate 1 EUR = 1,95583 BGN:
sums are made in the original currency, converted once and rounded half up to cents.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal

BGN_PER_EUR = Decimal("1.95583")
CENT = Decimal("0.01")
CURRENCIES = ("EUR", "BGN")

# Editors may write 179740, 179740.00, 179 740,00 or 179\u00a0740,00.
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """Parse an editor's amount; raise ``ValueError`` for anything else (never guess)."""
    cleaned = str(text).strip()
    if not _AMOUNT.match(cleaned):
        raise ValueError(cleaned)
    for space in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(space, "")
    return Decimal(cleaned.replace(",", ".")).quantize(CENT)


def rate_text(locale: str = "bg") -> str:
    """The fixed rate as people write it („1,95583“), for texts that state it."""
    return format_decimal(BGN_PER_EUR, format="0.00000", locale=locale)


def to_eur(amount: Decimal, currency: str) -> Decimal:
    """Convert once to euro, rounding half up to the cent."""
    if currency == "EUR":
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return (amount / BGN_PER_EUR).quantize(CENT, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=1 << 16)
def format_money(amount: Decimal, currency: str, locale: str = "bg") -> str:
    """„91 899,60 €“ / „179 740,00 лв.“ with CLDR's no-break spaces (remembered: a project's
    sums are shown on its page, in lists, feeds and data, and Babel takes 0.2 ms for each)."""
    return format_currency(amount, currency, locale=locale, format="#,##0.00\u00a0¤", currency_digits=False)


def format_amount(amount: Decimal, locale: str = "bg") -> str:
    """„500 000,00“: an amount without currency, as in messages about sums."""
    return format_decimal(amount, format="#,##0.00", locale=locale)


@dataclass(frozen=True)
class Money:
    """An amount in its original currency, with its euro value beside it."""

    amount: Decimal
    currency: str

    @property
    def eur(self) -> Decimal:
        return to_eur(self.amount, self.currency)

    @property
    def is_eur(self) -> bool:
        return self.currency == "EUR"

    def display(self, locale: str = "bg") -> str:
        """EUR first, the original currency in brackets when it differs."""
        euro = format_money(self.eur, "EUR", locale)
        if self.is_eur:
            return euro
        return f"{euro} ({format_money(self.amount, self.currency, locale)})"

    def __str__(self) -> str:
        return self.display()
