"""Dates: Bulgarian formats via babel, Sofia time, build time as an input (GUIDE §1, §4)."""

from datetime import date, datetime

from uchastvai.core.dates import SOFIA, build_time_from_env, end_of_day, event_datetime, long_date, parse_build_time


def test_long_dates_are_bulgarian() -> None:
    assert long_date(date(2023, 8, 3)) == "3 август 2023\u202fг."


def test_hearing_times_read_like_an_invitation() -> None:
    assert event_datetime(datetime(2025, 11, 14, 18, 0)) == "пт, 14 ноември 2025, 18:00 ч."


def test_the_last_day_counts_in_full_in_sofia() -> None:
    assert end_of_day(date(2026, 12, 10)) == datetime(2026, 12, 10, 23, 59, 59, tzinfo=SOFIA)


def test_source_date_epoch_sets_the_build_time() -> None:
    assert build_time_from_env({"SOURCE_DATE_EPOCH": "1764064800"}) == datetime(2025, 11, 25, 12, 0, tzinfo=SOFIA)


def test_without_source_date_epoch_the_given_now_is_used_in_sofia_time() -> None:
    now = datetime(2026, 7, 1, 9, 0, tzinfo=SOFIA)
    assert build_time_from_env({}, now=now) == now


def test_a_naive_build_time_on_the_command_line_is_sofia_time() -> None:
    assert parse_build_time("2026-11-25T12:00") == datetime(2026, 11, 25, 12, 0, tzinfo=SOFIA)
