"""Build time and Bulgarian dates (GUIDE §1, §4).

The build time is an input of the build: it comes from ``SOURCE_DATE_EPOCH`` or an
explicit option at the entry point and flows down as the ``BUILD_TIME`` setting.
Nothing below the entry point asks the clock.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

SOFIA = ZoneInfo("Europe/Sofia")


def build_time_from_env(environ: Mapping[str, str] | None = None, now: datetime | None = None) -> datetime:
    """The build time in Europe/Sofia: ``SOURCE_DATE_EPOCH`` when set, else ``now``."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=SOFIA)
    return (now or datetime.now(tz=SOFIA)).astimezone(SOFIA)


def parse_build_time(text: str) -> datetime:
    """An ISO date or date-time given on the command line; naive values are Sofia time."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=SOFIA)
    return value.astimezone(SOFIA)


def local(value: datetime) -> datetime:
    """``value`` in Sofia time; naive values are taken to be Sofia time already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SOFIA)
    return value.astimezone(SOFIA)


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in Sofia: a last day counts in full (ЗНА чл. 26)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=SOFIA)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=SOFIA)


def long_date(day: date | datetime, locale: str = "bg") -> str:
    """„3 август 2023 г.“ (CLDR puts a narrow no-break space before „г.“)."""
    return _formatted_day(local(day).date() if isinstance(day, datetime) else day, "long", locale)


def short_date(day: date | datetime, locale: str = "bg") -> str:
    """„03.08.2023“: compact, for tables and lists."""
    return _formatted_day(local(day).date() if isinstance(day, datetime) else day, "dd.MM.yyyy", locale)


@functools.lru_cache(maxsize=1 << 16)
def _formatted_day(day: date, pattern: str, locale: str) -> str:
    """Remembered: the same days are printed on many pages, and Babel takes 0.1 ms for each."""
    return format_date(day, format=pattern, locale=locale)


def event_datetime(value: datetime, locale: str = "bg") -> str:
    """„пт, 14 ноември 2025, 18:00 ч.“: weekday, date and time of a hearing."""
    text = format_datetime(local(value), format="EEE, d MMMM y, HH:mm", tzinfo=SOFIA, locale=locale)
    return f"{text} ч." if locale == "bg" else text


def days_between(first: date, last: date) -> int:
    """Whole days from ``first`` to ``last``: the period after a day of publication."""
    return (last - first).days


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
