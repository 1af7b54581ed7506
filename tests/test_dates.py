"""The one date reader: every form a writer or an official text uses, and what it refuses."""
import datetime as dt

import pytest

from kb.dates import implausible, parse, parse_iso

MARCH_15 = dt.date(2020, 3, 15)


@pytest.mark.parametrize("text", [
    "2020-03-15", "2020-3-15", "2020.3.15", "2020.03.15", "2020/3/15", " 2020/03/15 ",
    "2020年3月15日", "2020 年 03 月 15 日", "２０２０年３月１５日",
    "二〇二〇年三月十五日", "二零二零年三月十五日", "二〇二〇年三月一十五日",
])
def test_every_written_form_is_the_same_day(text):
    assert parse(text) == MARCH_15


def test_dates_yaml_already_made_stay_as_they_are():
    assert parse(MARCH_15) == MARCH_15
    assert parse(dt.datetime(2020, 3, 15, 9, 30)) == MARCH_15


@pytest.mark.parametrize("text,day", [
    ("二〇二〇年二月二十九日", dt.date(2020, 2, 29)), ("二〇二〇年十二月三十一日", dt.date(2020, 12, 31)),
    ("一九九七年三月十四日", dt.date(1997, 3, 14)), ("二〇二一年十月一日", dt.date(2021, 10, 1)),
    ("二〇〇八年十一月二十日", dt.date(2008, 11, 20)),
])
def test_chinese_numerals_digit_by_digit_for_the_year_and_counted_for_month_and_day(text, day):
    assert parse(text) == day


@pytest.mark.parametrize("value", [
    "20200315", 20200315,                      # no separators: a number, or a mistyped day
    "2020-02-30", "2019-02-29", "2020-13-01", "2020/3-15", "2020-W11", "2020-03", "",
    "二〇二〇年十三月一日", "二〇二〇年三月三十二日", "二〇二〇年二月三十日", "二〇二〇年十十月一日",
    "二〇二〇年三月二十日前", "截至2020年3月15日", None,
])
def test_what_is_not_a_day_is_none(value):
    assert parse(value) is None


def test_programs_send_iso_only():
    assert parse_iso("2020-03-15") == MARCH_15 and parse_iso(MARCH_15) == MARCH_15
    assert [parse_iso(t) for t in ("2020/03/15", "2020-3-15", "2020年3月15日", "2020-02-30")] == [None] * 4


TODAY = dt.date(2026, 12, 1)


def test_plausible_dates_run_from_the_founding_to_a_year_ahead():
    assert implausible(dt.date(1949, 10, 1), today=TODAY) is None
    assert implausible(dt.date(2027, 12, 1), today=TODAY) is None
    assert "早于 1949-10-01" in implausible(dt.date(1949, 9, 30), today=TODAY)
    assert "晚于一年后的今天（2027-12-01）" in implausible(dt.date(2027, 12, 2), today=TODAY)


def test_a_term_may_end_years_ahead_but_not_before_the_founding():
    assert implausible(dt.date(2031, 12, 31), end_of_term=True, today=TODAY) is None
    assert implausible(dt.date(1900, 1, 1), end_of_term=True, today=TODAY) is not None


def test_a_year_after_29_february_is_28_february():
    leap = dt.date(2024, 2, 29)
    assert implausible(dt.date(2025, 2, 28), today=leap) is None
    assert implausible(dt.date(2025, 3, 1), today=leap) is not None
