"""The 发文字号 as GB/T 9704-2012 (党政机关公文格式, 7.2.4) writes it: 发文机关代字, the year in full
inside 〔〕, then the sequence number without 第 and without leading zeros — 甘发〔2020〕5号.

Search reads every variant as one number (kb/refs.py); this is the rule a writer is held to, with
the fix named. Orders and announcements are numbered another way and keep their 第
(国务院令第493号, 财政部 税务总局公告2020年第8号): only the bracketed form is judged.
"""
from __future__ import annotations

import re

from .refs import CLOSE, OPEN

_DIGIT = "0-9０-９"
BRACKETED = re.compile(rf"(?P<prefix>[\u4e00-\u9fff]{{1,16}}?)(?P<gap1>\s*)(?P<open>[{OPEN}])\s*(?P<year>[{_DIGIT}]{{2,4}})\s*"
                       rf"(?P<close>[{CLOSE}])(?P<gap2>\s*)(?P<di>第?)\s*(?P<number>[{_DIGIT}]{{1,6}})\s*号")
_HALF = str.maketrans("０１２３４５６７８９", "0123456789")


def _fixed(m: re.Match) -> str:
    year = m.group("year").translate(_HALF)
    return f"{m.group('prefix')}〔{year}〕{int(m.group('number').translate(_HALF))}号"


def _faults(m: re.Match) -> list[str]:
    year, number = m.group("year").translate(_HALF), m.group("number").translate(_HALF)
    faults = []
    if (m.group("open"), m.group("close")) != ("〔", "〕"):
        faults.append(f"年份用六角括号〔〕括入，不用“{m.group('open')}{m.group('close')}”")
    if len(year) != 4:
        faults.append(f"年份写全四位，不简写为“{year}”")
    if m.group("di"):
        faults.append("序号前不加“第”")
    if len(number) > 1 and number.startswith("0"):
        faults.append(f"序号不编虚位，不写作“{number}”")
    if m.group("year") + m.group("number") != year + number:
        faults.append("数字用半角阿拉伯数字")
    if m.group(0) != re.sub(r"\s+", "", m.group(0)):
        faults.append("文号中间不留空格")
    return faults


def standard(doc_no: str) -> str:
    """The 文号 written the standard's way (甘发[2020]05号 → 甘发〔2020〕5号); other text unchanged.
    A shortened year cannot be completed without guessing and is left as it is."""
    return BRACKETED.sub(lambda m: _fixed(m) if len(m.group("year")) == 4 else m.group(0), doc_no)


def problems(doc_no) -> list[str]:
    """What is wrong with each bracketed 文号 in a doc_no value, and how to write it."""
    if not isinstance(doc_no, str):
        return []
    out = []
    for m in BRACKETED.finditer(doc_no):
        faults = _faults(m)
        if faults:
            fix = f"，应写作“{_fixed(m)}”" if len(m.group("year").translate(_HALF)) == 4 else "，请按原文补全年份"
            out.append(f"文号“{m.group(0)}”不符合 GB/T 9704-2012：{'；'.join(faults)}{fix}")
    return out
