"""Jinja filters and globals: how money, dates, sizes and labels look on every page."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.runtime import Context
from pydantic import BaseModel

from uchastvai.content.sanitize import sanitized
from uchastvai.content.schema import CONTENT_TYPES, Labelled
from uchastvai.core.dates import event_datetime, long_date, short_date
from uchastvai.core.i18n import gettext
from uchastvai.core.money import Money, format_money, rate_text
from uchastvai.core.paths import PATHS
from uchastvai.facts.derive import state_label


def money(value: Money | None) -> str:
    return value.display() if value is not None else ""


def amount(value: Decimal, currency: str) -> str:
    return format_money(value, currency)


def filesize(size: int | None) -> str:
    """„1,2 MB“ / „340 KB“: sizes as Bulgarian readers write them."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(size / 1024, format='#,##0', locale='bg')} KB"
    return f"{format_decimal(size / 1024 / 1024, format='#,##0.0', locale='bg')} MB"


def label(value: Any) -> str:
    """Translated label of a choice (document type, fund, period, ...)."""
    if isinstance(value, Labelled):
        return gettext(value.label)
    return str(value)


def field_label(model: Any, name: str) -> str:
    """The translated label a field has in the schema (model class or instance)."""
    model_class: type[BaseModel] = model if isinstance(model, type) else type(model)
    info = model_class.model_fields.get(name)
    return gettext(info.title) if info and info.title else name


def section_label(type_name: str) -> str:
    return gettext(CONTENT_TYPES[type_name].label_plural)


def number(value: Decimal | int) -> str:
    return format_decimal(value, locale="bg")


def date_long(value: date | datetime | None) -> str:
    return long_date(value) if value else ""


def date_short(value: date | datetime | None) -> str:
    return short_date(value) if value else ""


def when(value: datetime | None) -> str:
    return event_datetime(value) if value else ""


@pass_context
def page_path(context: Context) -> str:
    """Site-relative address of the page being written: the item's, else the list's ``page_url``.

    The canonical link and the menu's ``aria-current`` read it.
    """
    for name in ("article", "page"):
        url = getattr(context.get(name), "url", None)
        if isinstance(url, str):
            return url
    page_url = context.get("page_url")
    return page_url if isinstance(page_url, str) else ""


FILTERS = {
    "money": money,
    "amount": amount,
    "filesize": filesize,
    "label": label,
    "number": number,
    "long_date": date_long,
    "short_date": date_short,
    "when": when,
    # The one filter that lets HTML through: a body, cleaned by nh3 again (uchastvai.content.sanitize).
    "sanitized": sanitized,
}
GLOBALS = {
    "field_label": field_label,
    "section_label": section_label,
    "state_label": state_label,
    "paths": PATHS,
    "page_path": page_path,
    "BGN_PER_EUR": rate_text(),
}
