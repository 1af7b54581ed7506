"""Chinese numerals and the label patterns of both numbering systems.

Policy documents number their units 一、 → （一） → 1. → （1）, restarting under each
parent; laws number 第X条 (and 第X条之一) continuously, grouped under 编/章/节 headings.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CN_NUM = "零〇一二两三四五六七八九十百千"
_LIANG = re.compile("两(?=[百千])")    # 两百, 两千: the spoken 二 that cn2an's strict mode refuses


@functools.lru_cache(maxsize=4096)      # importing LawRefBook reads 1,300 numerals 590,000 times
def cn_to_int(text: str) -> int | None:
    """三十二 → 32, 一百零五 → 105, 两百 → 200, 12 → 12; None when it is not a well-formed number
    (三十二十, 十十, 二二, 〇)."""
    if not text:
        return None
    if text.isdecimal():
        return int(text)
    # imported here: building cn2an's converters takes 0.1 s, which every command would pay at start
    import cn2an
    try:
        value = cn2an.cn2an(_LIANG.sub("二", text), "strict")
    except ValueError:
        return None
    return value if isinstance(value, int) else None


def int_to_cn(n: int) -> str:
    """32 → 三十二, 105 → 一百零五, 10 → 十 (the way clause numbers are written)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@dataclass(frozen=True)
class Label:
    """A unit label as written, with what it means."""
    system: str      # "policy" or "law"
    level: int       # policy: 1 一、 2 （一） 3 1. 4 （1）; law: 1 (条)
    number: int
    label: str       # as cited and shown: 三, （二）, 2, （1）, 第八十二条, 第八十二条之一
    sub: int = 0     # 之一 → 1
    rest: str = ""   # the text after the label on the same line


_POLICY = [
    (1, re.compile(rf"^([{CN_NUM}]+)[、，,]\s*(.*)$")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,3})[.．、]\s*(.*)$")),
    (4, re.compile(r"^[（(](\d{1,3})[）)]\s*(.*)$")),
]
_LAW_CLAUSE = re.compile(rf"^第([{CN_NUM}\d]+)条(?:之([{CN_NUM}]+))?(?:[\s\u3000]+(.*)|$)", re.S)
STRUCTURE = re.compile(rf"^第([{CN_NUM}\d]+)([编章节])[\s\u3000]*(.*)$")

POLICY_KINDS = {1: "条", 2: "项", 3: "目", 4: "点"}


def policy_label(level: int, number: int) -> str:
    if level == 1:
        return int_to_cn(number)
    if level == 2:
        return f"（{int_to_cn(number)}）"
    if level == 3:
        return str(number)
    return f"（{number}）"


def law_label(number: int, sub: int = 0) -> str:
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(sub)}" if sub else "")


def parse_policy_label(line: str) -> Label | None:
    for level, pattern in _POLICY:
        m = pattern.match(line)
        if m:
            number = cn_to_int(m.group(1))
            if number is None or number == 0:
                return None
            return Label("policy", level, number, policy_label(level, number), 0, m.group(2).strip())
    return None


def law_numbers(number: str, sub: str | None) -> tuple[int, int] | None:
    """第八十二条之一 → (82, 1): the numbers of a 条 and its 之X, or None when they are not numbers."""
    n = cn_to_int(number)
    s = cn_to_int(sub) if sub else 0
    return (n, s) if n and s is not None else None


def parse_law_clause(text: str) -> Label | None:
    m = _LAW_CLAUSE.match(text)
    numbers = law_numbers(m.group(1), m.group(2)) if m else None
    if not numbers:
        return None
    number, sub = numbers
    return Label("law", 1, number, law_label(number, sub), sub, (m.group(3) or "").strip())
