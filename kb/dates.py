"""Dates as writers and official texts write them, read the same way everywhere in the library.

2020-03-15, 2020-3-15, 2020.3.15, 2020/3/15, 2020年3月15日 and 二〇二〇年三月十五日 (〇 or 零) are
all 15 March 2020. 20200315 is not a date here: nothing in it tells a date from a number, and a
digit too many or too few reads as another day without any sign of the mistake.
"""
from __future__ import annotations

import datetime as dt
import re

from .numbering import cn_to_int

_D = "[0-9０-９]"                 # full-width digits are common in Word documents; int() reads them
_CN_DIGITS = "〇零一二三四五六七八九"
_YEAR_DIGITS = str.maketrans(_CN_DIGITS, "00123456789")
_MD = rf"({_D}{{1,2}}|[一二三四五六七八九十]{{1,3}})"
# the form official texts use, also for finding dates in running text (the importer)
WRITTEN = re.compile(rf"({_D}{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*{_MD}\s*月\s*{_MD}\s*日")
_NUMERIC = re.compile(rf"({_D}{{4}})([-./])({_D}{{1,2}})\2({_D}{{1,2}})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

EXPECTED = "YYYY-MM-DD，例如 2020-03-15"
EARLIEST = dt.date(1949, 10, 1)


def _number(text: str) -> int | None:
    return int(text) if text.isdecimal() else cn_to_int(text)


def _day(year: int, month: int | None, day: int | None) -> dt.date | None:
    if month is None or day is None:      # 十十, 三十二十: not numbers, so not a date either
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _given(value) -> dt.date | str:
    """A date YAML (or a caller) already made stays one; anything else is read as its text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value).strip()


def parse(value) -> dt.date | None:
    """The date in any of the forms above (a datetime.date as it is); None for anything else,
    including days that do not exist (2020-02-30, 二〇二〇年十三月一日, 三十二日)."""
    text = _given(value)
    if isinstance(text, dt.date):
        return text
    if m := WRITTEN.fullmatch(text):
        return _day(int(m.group(1).translate(_YEAR_DIGITS)), _number(m.group(2)), _number(m.group(3)))
    if m := _NUMERIC.fullmatch(text):
        return _day(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    return None


def parse_iso(value) -> dt.date | None:
    """Only YYYY-MM-DD: what a date input and the JSON API send (a program, not a writer)."""
    text = _given(value)
    if isinstance(text, dt.date):
        return text
    m = _ISO.fullmatch(text)
    return _day(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _a_year_after(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:                    # 29 February
        return today.replace(year=today.year + 1, day=28)


def implausible(day: dt.date, end_of_term: bool = False, today: dt.date | None = None) -> str | None:
    """Why a document's date cannot be right, or None: before 1949-10-01, or more than a year after
    today (a misread or mistyped year). The end of a term is exempt from the second: policies set
    terms years ahead (有效期至2027年12月31日)."""
    if day < EARLIEST:
        return f"日期 {day} 早于 {EARLIEST}，不可能是本库文件的日期，请核对"
    latest = _a_year_after(today or dt.date.today())
    if not end_of_term and day > latest:
        return f"日期 {day} 晚于一年后的今天（{latest}），请核对年份"
    return None
