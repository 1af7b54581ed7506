"""The official citation style: 《标题》（文号）第三条第（二）项, and clause permalinks.

For 一、（一）1.（1） documents 一、 is cited as 条, （一） as 项, 1. as 目 and （1） as 点;
law clauses are cited by their own label (第八十二条之一), and so are annexes (附件一, 附表二, 附);
an unnumbered point (要点：…), whose official number we do not know, is cited by its document, except
a point that records another document's measure (要点：人社部发〔2020〕49号延长减免期限, kept with the
notice it extends): its words are that document's, so it is cited by that document's 文号.
An expired document says so, and so does one whose validity is not verified (（效力未核实）).
"""
from __future__ import annotations

import re
from urllib.parse import quote

from .refs import doc_number_key, find_doc_numbers

POINT_PREFIX = "要点"
_LEVEL_OF = [
    (re.compile(r"^[（(][〇一二三四五六七八九十百]+[）)]$"), "项"),
    (re.compile(r"^[（(]\d+[）)]$"), "点"),
    (re.compile(r"^\d+$"), "目"),
    (re.compile(r"^[〇一二三四五六七八九十百]+$"), "条"),
]


def clause_part(path: str) -> str:
    """三/（一）/2 → 第三条第（一）项第2目; 第八十二条 → 第八十二条; 附件一 → 附件一."""
    out = []
    if path.startswith(POINT_PREFIX):
        return ""     # an unnumbered point is cited by its document
    for label in path.split("/") if path else []:
        if label.startswith(("第", "附")):
            out.append(label)
            continue
        unit = next((u for pattern, u in _LEVEL_OF if pattern.match(label)), "")
        out.append(f"第{label}{unit}")
    return "".join(out)


# a status the reader must see before relying on the citation; the others need no remark
NOTED_STATUSES = ("已失效", "效力未核实")


def _reported_document(heading: str, doc_no: str) -> str:
    """The 文号 a point's heading names when it is not its own document's ('' when none)."""
    own = doc_number_key(doc_no)
    other = next((n for n in find_doc_numbers(heading) if n.key != own), None)
    return heading[other.span[0]:other.span[1]] if other else ""


def cite(title: str, doc_no: str = "", status: str = "", path: str = "", heading: str = "") -> str:
    """heading: the cited unit's, which tells a point recording another document's measure."""
    reported = _reported_document(heading, doc_no) if path.startswith(POINT_PREFIX) else ""
    text = reported or f"《{title}》" + (f"（{doc_no}）" if doc_no else "") + clause_part(path)
    return text + (f"（{status}）" if status in NOTED_STATUSES else "")


def url(doc_id: str, path: str = "") -> str:
    return f"/doc/{quote(doc_id)}" + (f"/{quote(path, safe='/')}" if path else "")
