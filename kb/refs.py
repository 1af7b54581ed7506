"""References as people type them: 文号 in any bracket style, clause numbers, short names.

甘发〔2020〕5号, 甘发[2020]5号, 甘发(2020)5号 and 甘发［2020］5号 are one document number;
财政部 税务总局公告2020年第8号 and 财税公告2020年第8号 are one too. 第82条 and 第八十二条 are one
clause; 13条第五条 is clause 五 of the document called 13条; 附件一 and 附件1 name one annex.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbering import CN_NUM, cn_to_int, int_to_cn, law_label, law_numbers, policy_label

# the brackets a 文号's year is typed in (〔〕 is the standard's: kb/docno.py)
OPEN, CLOSE = r"〔\[［(（【{｛<〈", r"〕\]］)）】}｝>〉"
DOC_NO = re.compile(rf"([\u4e00-\u9fff]{{1,16}}?)\s*[{OPEN}]\s*(\d{{4}})\s*[{CLOSE}]\s*第?\s*(\d{{1,4}})\s*号")
NOTICE_NO = re.compile(r"([\u4e00-\u9fff \u3000]{0,20}?公告)\s*(\d{4})\s*年\s*第\s*(\d{1,4})\s*号")
NOTICE_NO_SHORT = re.compile(r"(\d{4})\s*年\s*第\s*(\d{1,4})\s*号\s*(公告)")
CLAUSE = re.compile(rf"第\s*([{CN_NUM}\d]+)\s*条(?:\s*之\s*([{CN_NUM}\d]+))?")
ITEM = re.compile(rf"第?\s*[（(]\s*([{CN_NUM}\d]+)\s*[）)]\s*项?")
ANNEX = re.compile(r"(附[件表录])\s*([一二三四五六七八九十]{1,3}|\d{1,2})")
_STRIP_PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    year: int
    number: int
    span: tuple[int, int]

    @property
    def key(self) -> str:
        return f"{self.prefix}|{self.year}|{self.number}"


def find_doc_numbers(text: str) -> list[DocNumber]:
    found = []
    for m in DOC_NO.finditer(text):
        found.append(DocNumber(re.sub(r"\s", "", m.group(1)), int(m.group(2)), int(m.group(3)), m.span()))
    for m in NOTICE_NO.finditer(text):
        found.append(DocNumber(re.sub(r"\s", "", m.group(1)), int(m.group(2)), int(m.group(3)), m.span()))
    for m in NOTICE_NO_SHORT.finditer(text):
        found.append(DocNumber("公告", int(m.group(1)), int(m.group(2)), m.span()))
    return found


def doc_number_key(doc_no: str) -> str:
    """The normalised key a catalog stores for a 文号 ("" when it has none)."""
    found = find_doc_numbers(doc_no or "")
    return found[0].key if found else ""


def same_number(typed: DocNumber, key: str) -> bool:
    """Whether a typed 文号 names the document whose key is given: year and number equal, and the
    typed prefix's characters appear in order in the document's (财税公告 ⊂ 财政部税务总局公告)."""
    prefix, year, number = key.split("|")
    if int(year) != typed.year or int(number) != typed.number:
        return False
    it = iter(prefix)
    return all(ch in it for ch in typed.prefix)


@dataclass(frozen=True)
class ClauseRef:
    labels: tuple[str, ...]     # candidate first path segments, e.g. ("第八十二条", "八十二")
    item: str = ""              # （二） when a 项 is named
    span: tuple[int, int] = (0, 0)


def _annex_ref(text: str) -> ClauseRef | None:
    """附件一 or 附件1 (a document numbers its annexes one way or the other): a numbered annex only,
    since a bare 附件 in a question is a word, not a reference."""
    m = ANNEX.search(text)
    n = cn_to_int(m.group(2)) if m else None
    if not n:
        return None
    written = m.group(1) + m.group(2)
    other = m.group(1) + (int_to_cn(n) if m.group(2).isdecimal() else str(n))
    return ClauseRef((written, other), "", m.span())


def find_clause_ref(text: str) -> ClauseRef | None:
    m = CLAUSE.search(text)
    numbers = law_numbers(m.group(1), m.group(2)) if m else None
    if not numbers:
        return _annex_ref(text)
    number, sub = numbers
    labels = (law_label(number, sub),) + (() if sub else (policy_label(1, number),))
    end = m.end()
    item = ""
    im = ITEM.match(text, end)
    if im:
        n = cn_to_int(im.group(1))
        if n:
            item = policy_label(2, n)
            end = im.end()
    return ClauseRef(labels, item, (m.start(), end))


def name_variants(title: str) -> list[str]:
    """Names a document is typed by: its title, without 中华人民共和国, without brackets."""
    title = title.strip().strip("《》")
    names = [title]
    if title.startswith(_STRIP_PREFIX) and len(title) > len(_STRIP_PREFIX) + 1:
        names.append(title[len(_STRIP_PREFIX):])
    return names
