"""The official citation style: 《标题》（文号）第三条第（二）项, and clause permalinks.

For 一、（一）1.（1） documents 一、 is cited as 条, （一） as 项, 1. as 目 and （1） as 点;
law clauses are cited by their own label (第八十二条之一), and so are annexes (附件一, 附表二, 附);
an unnumbered point (要点：…), whose official number we do not know, is cited by its document, except
a point that records another document's measure (要点：人社部发〔2020〕49号延长减免期限, kept with the
notice it extends): its words are that document's, so it is cited by that document's 文号.
The same way, a unit that retells a press conference, a news report or a meeting is cited as that
source's, a summary (本库摘要), the source without 书名号, which mark an official document: in another
document a point's heading names the source (要点：2020年2月17日省政府新闻发布会公布：…, 要点：新华社2020年4月23日报道：…),
and a source held as a document names itself in its title: a conference or a report in the title's last
brackets (…（2020年2月11日发布会）, …（新华社2020年2月23日报道）), a meeting as 会议 and its date
(国务院常务会议（2020年2月11日）).
An expired document says so, and so does one whose validity is not verified (（效力未核实）).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from .numbering import int_to_cn
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


# the kinds of source a unit may retell; what each says is named in the heading or the title
CONFERENCE, REPORT, MEETING = "发布会", "报道", "会议"
_CONFERENCE = "发布会|吹风会"
_HELD_TITLE = re.compile(rf"（([^（）]*(?:{_CONFERENCE}|{REPORT})[^（）]*)）$")
_MEETING_TITLE = re.compile(rf"^(.*{MEETING})（(\d{{4}}年\d{{1,2}}月\d{{1,2}}日)）$")
_CONFERENCE_POINT = re.compile(rf"^([^：:]*(?:{_CONFERENCE}))(公布|通报|介绍)[：:]")
_REPORT_POINT = re.compile(rf"^([^：:]*{REPORT})[：:]")
SUMMARY = "（本库摘要）"


@dataclass(frozen=True)
class Source:
    """What a unit retells instead of a document's own words."""
    kind: str       # CONFERENCE | REPORT | MEETING
    name: str       # as recorded: 2020年2月17日省政府新闻发布会, 新华社2020年4月23日报道, 2020年2月11日国务院常务会议
    said: str = ""  # how a point's heading says it was told (…发布会公布), '' when held as the document itself


def retold(title: str, doc_no: str = "", path: str = "", heading: str = "") -> Source | None:
    """The source a unit (or, without a path, a document) retells, as named (None: a document's own words,
    or a point recording another document's measure)."""
    if path.startswith(POINT_PREFIX):
        if _reported_document(heading, doc_no):
            return None
        if told := _CONFERENCE_POINT.match(heading):
            return Source(CONFERENCE, told.group(1), told.group(1) + told.group(2))
        if told := _REPORT_POINT.match(heading):
            return Source(REPORT, told.group(1), told.group(1))
    if held := _HELD_TITLE.search(title):
        return Source(CONFERENCE if re.search(_CONFERENCE, held.group(1)) else REPORT, held.group(1))
    if held := _MEETING_TITLE.match(title):
        return Source(MEETING, held.group(2) + held.group(1))
    return None


def cite(title: str, doc_no: str = "", status: str = "", path: str = "", heading: str = "") -> str:
    """heading: the cited unit's, which tells a point recording another document's measure or retelling
    a source."""
    point = path.startswith(POINT_PREFIX)
    number = f"（{doc_no}）" if doc_no else ""
    reported = _reported_document(heading, doc_no) if point else ""
    source = None if reported else retold(title, doc_no, path, heading)     # a reported measure retells nothing
    if reported:
        text = reported
    elif source and source.said:
        text = f"{source.said}的《{title}》{number}要点{SUMMARY}"
    elif source:
        text = title + (f"要点{int_to_cn(int(path[len(POINT_PREFIX):]))}{SUMMARY}" if point else "")
    else:
        text = f"《{title}》{number}" + clause_part(path)
    return text + (f"（{status}）" if status in NOTED_STATUSES else "")


def url(doc_id: str, path: str = "") -> str:
    return f"/doc/{quote(doc_id)}" + (f"/{quote(path, safe='/')}" if path else "")
