"""What an official text says about itself: title, 文号, issuer, dates, and its clause hierarchy.

Works on paragraphs of plain text (from .txt or .docx). Whatever cannot be determined is left as
check.PLACEHOLDER for the writer, never guessed into a plausible-looking value.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import dates, docno
from ..check import PLACEHOLDER
from ..docformat import ANNEX, annex_name
from ..taxonomy import taxonomy
from ..numbering import STRUCTURE, cn_to_int, parse_law_clause, parse_policy_label
from ..refs import DOC_NO, NOTICE_NO
from .ids import document_id
from .writer import Draft

DATE_LINE = re.compile(rf"^\s*{dates.WRITTEN.pattern}\s*$")
EFFECTIVE_FROM = re.compile(rf"自\s*(?:({dates.WRITTEN.pattern})|(印发|发布|公布|签发)之日)\s*起\s*(?:施行|执行|实施|生效)")
EFFECTIVE_UNTIL = re.compile(rf"(?:有效期|执行期限?|实施期限?)(?:[^。；，,]{{0,20}}?)至\s*({dates.WRITTEN.pattern})")
ORDER_NO = re.compile(r"((?:中华人民共和国)?[\u4e00-\u9fff]{2,30}?(?:令|公告))\s*第\s*([\d〇零一二三四五六七八九十百千]+)\s*号")
TITLE_END = re.compile(r"(通知|意见|办法|方案|措施|规定|条例|决定|公告|通告|细则|规则|批复|函|纲要|规划|指引|指南|"
                       r"要点|法|解释|决议|通报|报告|纪要)$")
ISSUER_END = re.compile(r"(人民政府|办公室|办公厅|委员会|局|厅|部|署|院|银行|中心|总局|政府|党委|小组|指挥部)$")
CONGRESS = re.compile(r"([\u4e00-\u9fff]*?)第[一二三四五六七八九十\d]+届(全国)?人民代表大会(常务委员会|常委会)?")
OTHER_BODIES = ("国务院", "最高人民法院", "最高人民检察院")
MAX_ISSUERS = 4          # offices signing one joint document, each on its own line
ANNEX_LIST = re.compile(r"^[\d一二三四五六七八九十]+[.．、]")    # 附件：1.…… 2.……: the list of annexes
TYPE_WORDS = (("通知", "通知"), ("公告", "公告"), ("通告", "公告"), ("意见", "意见"), ("方案", "方案"),
              ("解释", "司法解释"), ("条例", "规范性文件"), ("办法", "规范性文件"), ("规定", "规范性文件"),
              ("细则", "规范性文件"), ("措施", "规范性文件"), ("纪要", "会议"))


class Unconvertible(Exception):
    """A source that cannot be converted; the message says why, for the writer."""


def read_utf8(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unconvertible(f"无法读取文件：{exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unconvertible(f"不是 UTF-8 编码的 Markdown（第 {line} 行）") from exc


def issuers_in(text: str) -> list[str]:
    """Issuing bodies named in an event line (通过/公布/发布…): legislatures, 国务院, the courts."""
    m = CONGRESS.search(text)
    if m:
        prefix = m.group(1).split("》")[-1]
        return [f"{prefix}{m.group(2) or ''}人民代表大会" + ("常务委员会" if m.group(3) else "")]
    order = ORDER_NO.search(text)
    if order and order.group(1).endswith("令"):
        return [order.group(1).removeprefix("中华人民共和国").removesuffix("令")]
    return [body for body in OTHER_BODIES if body in text]


def order_number(text: str) -> str:
    """国务院令第731号, 某某公告第42号, or a 文号 (written the standard's way, kb/docno.py)."""
    for pattern in (ORDER_NO, DOC_NO, NOTICE_NO):
        m = pattern.search(text)
        if m:
            # header lines run on without a break (…的通知劳部发〔1994〕489号, 最高人民法院以法发〔1993〕15号,
            # 2013年12月9日杭州市…公告第14号): the number starts after them
            number = re.sub(r"^.*[的以]", "", m.group(0).strip())
            if number.startswith("日") and m.start() and text[m.start() - 1].isdigit():
                number = number[1:]
            return docno.standard(number)
    return ""


def guess_type(title: str) -> str | None:
    for word, doc_type in TYPE_WORDS:
        if title.endswith(word):
            return doc_type
    return None


def guess_level(issuers: list[str]) -> str | None:
    if not issuers:
        return None
    first = issuers[0]
    if first.startswith(("国务院", "中共中央", "全国")) or re.match(r"^(财政部|国家|.{2,8}部$)", first):
        return "国家"
    if re.search(r"(省|自治区)", first):
        return "省"
    if "市" in first or "州" in first or "县" in first:
        return "市"
    return None


# ---------------------------------------------------------------- plain text to the project's body

@dataclass
class Outline:
    """A plain text read as an official document."""
    title: str = ""
    doc_no: str = ""
    issuers: list[str] = field(default_factory=list)
    date: dt.date | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    body: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def _law_structure_level(kind: str, has_bian: bool) -> int:
    return {"编": 2, "章": 3 if has_bian else 2, "节": 4 if has_bian else 3}[kind]


def _signature(paragraphs: list[str], i: int) -> int:
    """How many paragraphs from i are a signature block: the issuers' lines (one for each office
    of a joint document) directly followed by the date line; 0 when none starts at i."""
    k = i
    while k < len(paragraphs) and k - i < MAX_ISSUERS and len(paragraphs[k]) <= 40 and ISSUER_END.search(paragraphs[k]):
        k += 1
    return k - i + 1 if k > i and k < len(paragraphs) and DATE_LINE.match(paragraphs[k]) else 0


def annex_follows(opened: list[tuple[str, int]], kind: str, number: int) -> bool:
    """Whether an annex numbered so can come next: 附件 or 附件一 first, then 附件二 after 附件一."""
    if opened and opened[-1][0] == kind:
        return opened[-1][1] > 0 and number == opened[-1][1] + 1
    return number <= 1 and kind not in {k for k, _ in opened}


def annex_starts(paras: list[str], signed: list[bool]) -> dict[int, str]:
    """Where the annexes start: paragraph index → label (附件一, 附件1, 附表, 附). Not every annex line
    opens one: the list of annexes in the text (附件：1.……), the line an annex repeats just above it,
    an annexed form's own 附件 line stay text. Before the signature (signed[i] false) only a bare
    附件1 line opens an annex: 附件：标题 there is the text's note of its annex."""
    starts: dict[int, str] = {}
    opened: list[tuple[str, int]] = []
    for i, p in enumerate(paras):
        found = ANNEX.match(p)
        if not found or not (signed[i] or not found.group(4)) or (not found.group(2) and ANNEX_LIST.match(found.group(4))):
            continue
        if i + 1 < len(paras) and (again := ANNEX.match(paras[i + 1])) and annex_name(again)[0] == annex_name(found)[0]:
            continue
        kind, number = annex_name(found)
        if annex_follows(opened, kind, cn_to_int(number) or 0):
            opened.append((kind, cn_to_int(number) or 0))
            starts[i] = kind + number
    return starts


def _join_annex_list(paras: list[str]) -> list[str]:
    """附件：1.…… with 2.…… 3.…… on the lines below: one paragraph, the text's list of its annexes
    (the items are not units of the text)."""
    out: list[str] = []
    expected = 0
    for p in paras:
        item = ANNEX_LIST.match(p)
        if expected and item and cn_to_int(item.group(0)[:-1]) == expected:
            out[-1] += "\n" + p
            expected += 1
            continue
        found = ANNEX.match(p)
        first = ANNEX_LIST.match(found.group(4)) if found and not found.group(2) else None
        expected = (cn_to_int(first.group(0)[:-1]) or 0) + 1 if first else 0
        out.append(p)
    return out


def _signed(paras: list[str]) -> list[bool]:
    """For each paragraph, whether a signature block comes before or at it."""
    out, signed = [], False
    for i in range(len(paras)):
        signed = signed or bool(_signature(paras, i))
        out.append(signed)
    return out


LAW_CLAUSE = re.compile(r"^(第[〇零一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?)\s*(.*)$")


def _policy_heading(paragraph: str, label) -> list[str]:
    """A unit as a heading. A short title stays on the heading line, with the text after it when
    it ends in 。 (the parser splits 标题。正文 there); a unit that opens with a sentence gets a
    bare label and keeps the sentence as its text."""
    marks = "#" * (label.level + 1)
    rest = label.rest
    cut = rest.find("。")
    if (cut < 0 and len(rest) <= 40) or (0 < cut <= 20 and len(rest) > cut + 1):
        return [f"{marks} {paragraph}", ""]
    return [f"{marks} {paragraph[:len(paragraph) - len(rest)].strip()}", "", rest, ""]


def _head(paras: list[str], out: Outline) -> int:
    """Read title, 文号 and issuer from the lines before the text proper; where the preamble starts."""
    for p in paras[:6]:
        m = DOC_NO.search(p) or NOTICE_NO.search(p)
        if m and len(p) <= len(m.group(0)) + 6:
            out.doc_no = m.group(0).strip()
            break
    at = next((i for i, p in enumerate(paras[:6]) if p != out.doc_no and ("关于" in p or TITLE_END.search(p))), None)
    if at is None:
        return 0
    title = paras[at]
    if at > 0 and ISSUER_END.search(paras[at - 1]) and title.startswith("关于"):
        title = paras[at - 1] + title
    out.title = title
    if "关于" in title[1:]:
        out.issuers = [i for i in re.split(r"[ 、，,]+", title.split("关于")[0]) if i]
    start = at + 1
    while start < len(paras) and (paras[start] == out.doc_no or DATE_LINE.match(paras[start])):
        if DATE_LINE.match(paras[start]):
            out.date = dates.parse(paras[start])
        start += 1
    return start


def outline(paragraphs: list[str]) -> Outline:
    """Title, 文号, issuer, dates and clause hierarchy of an official text's paragraphs."""
    paras = [re.sub(r"[ \t\u3000\xa0]+", " ", p).strip() for p in paragraphs]
    paras = _join_annex_list([p for p in paras if p])
    if not paras:
        raise Unconvertible("没有可识别的文字")
    out = Outline()
    starts = annex_starts(paras, _signed(paras))
    bounds = list(starts) + [len(paras)]
    annexes = [(starts[a], paras[a:b]) for a, b in zip(bounds, bounds[1:])]
    paras = paras[:bounds[0]]
    law_mode = any(LAW_CLAUSE.match(p) for p in paras)
    has_bian = any((m := STRUCTURE.match(p)) and m.group(2) == "编" for p in paras)
    first_unit = next((i for i, p in enumerate(paras)
                       if (LAW_CLAUSE.match(p) or STRUCTURE.match(p) if law_mode else parse_policy_label(p))),
                      len(paras))
    start = _head(paras[:first_unit], out)

    text: list[str] = []
    i = start
    while i < len(paras):
        p = paras[i]
        if signature := _signature(paras, i):
            out.issuers = out.issuers or paras[i:i + signature - 1]
            out.date = out.date or dates.parse(paras[i + signature - 1])
            i += signature
            continue
        if DATE_LINE.match(p):       # a date standing alone is the 成文日期, not text
            out.date = out.date or dates.parse(p)
        else:
            text.append(p)
        i += 1

    for p in text:
        m = EFFECTIVE_FROM.search(p)
        if m and not out.effective_from:
            out.effective_from = dates.parse(m.group(1)) if m.group(1) else out.date
        m = EFFECTIVE_UNTIL.search(p)
        if m and not out.effective_until:
            out.effective_until = dates.parse(m.group(1))

    for p in text:
        law = LAW_CLAUSE.match(p) if law_mode else None
        struct = STRUCTURE.match(p) if law_mode and not law else None
        policy = parse_policy_label(p) if not law_mode else None
        if law:
            out.body += [f"{law.group(1)} {law.group(2)}".rstrip(), ""]
            out.labels.append(parse_law_clause(f"{law.group(1)} …").label)
        elif struct:
            out.body += ["#" * _law_structure_level(struct.group(2), has_bian) + " " + p, ""]
        elif policy:
            out.body += _policy_heading(p, policy)
            out.labels.append(policy.label)
        else:
            out.body += [p, ""]
    for label, annex in annexes:
        # an annex is its title line and its text: its own numbering and tables are not the document's
        out.body += [f"## {annex[0]}", ""] + [line for p in annex[1:] for line in (p, "")]
        out.labels.append(label)
    return out


def draft(paragraphs: list[str], source: str) -> Draft:
    """A document draft from an official text's paragraphs, 待填写 where it says too little."""
    found = outline(paragraphs)
    title = found.title or PLACEHOLDER
    doc_type = guess_type(found.title) or PLACEHOLDER
    level = guess_level(found.issuers) or PLACEHOLDER
    comments = {}
    if found.effective_until and found.effective_until < dt.date.today():
        status = "已失效"
    else:
        status = PLACEHOLDER
        comments["status"] = f"{'、'.join(taxonomy().statuses)} 之一"
    if not found.doc_no:
        comments["doc_no"] = "原文未找到文号；确无文号时删去此行"
    elif docno.standard(found.doc_no) != found.doc_no:
        comments["doc_no"] = f"原文写作“{found.doc_no}”，已按 GB/T 9704-2012 改写"
    if doc_type == PLACEHOLDER:
        comments["type"] = "文档类型，见 kb/taxonomy.yaml 的 doc_types"
    if level == PLACEHOLDER:
        comments["level"] = "国家、省、市、部门 之一"
    if title == PLACEHOLDER:
        comments["title"] = "未能识别标题，请照原文填写"
    fields = {
        "id": document_id(doc_type, found.title or source, found.date, found.doc_no),
        "title": title, "type": doc_type, "level": level, "issuers": found.issuers,
        "doc_no": docno.standard(found.doc_no) or PLACEHOLDER, "date": found.date or PLACEHOLDER,
        "effective_from": found.effective_from, "effective_until": found.effective_until,
        "status": status, "coverage": "官方全文", "sources": [source],
    }
    if not found.date:
        comments["date"] = "成文日期，YYYY-MM-DD"
    return Draft(fields, found.body, found.labels, comments)
