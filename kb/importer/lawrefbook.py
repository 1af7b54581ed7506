"""LawRefBook Markdown (../shared/corpus/README.md): `# 标题`, dated event lines, `<!-- INFO END -->`,
then 编/章/节 headings and 第X条 paragraphs (notices: `## 一、` headings), and annexes (附件一, 附表).

The body is already close to the project's format; what changes is the front matter (from the
header, the folder and the file name) and the few lines the project's parser would read
differently from the source (HTML comments, decimal section numbers such as 5.1, annexes opened
by a plain line, which become annex headings).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .. import dates
from ..docformat import HEADING, annex_heading
from ..numbering import parse_law_clause, parse_policy_label
from ..taxonomy import taxonomy
from . import structure
from .ids import document_id
from .writer import Draft

INFO_END = "<!-- INFO END -->"
COMMENT = re.compile(r"<!--.*?-->", re.S)
VERSION_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
SITE_PAGE_KEYS = ("draft", "bookHidden", "bookCollapseSection")

# LawRefBook's folders (the NPC's categories of law, then the other kinds) → taxonomy types.
FOLDER_TYPES = {
    "宪法": "法律", "宪法相关法": "法律", "民法典": "法律", "民法商法": "法律", "行政法": "法律",
    "经济法": "法律", "社会法": "法律", "刑法": "法律", "诉讼与非诉讼程序法": "法律",
    "行政法规": "行政法规", "部门规章": "部门规章", "司法解释": "司法解释", "地方性法规": "地方性法规",
    "案例": "案例", "其他": "其他",
}
MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


class NotADocument(Exception):
    """A LawRefBook site page (folder description, template), not a law."""


def folder_type(path: Path) -> str | None:
    for part in reversed(path.parent.parts):
        if part in FOLDER_TYPES:
            return FOLDER_TYPES[part]
    return None


def _site_page(text: str) -> bool:
    if not text.startswith("---\n"):
        return False
    front = text[4:text.find("\n---", 4)]
    return any(re.match(rf"^{key}\s*:", line) for line in front.splitlines() for key in SITE_PAGE_KEYS)


def _events(lines: list[str]) -> list[tuple[dt.date | None, str]]:
    """Header lines as (date, what happened); a line without a date continues the one before."""
    events: list[tuple[dt.date | None, str]] = []
    for line in lines:
        line = line.replace("\xa0", " ").strip()
        if not line:
            continue
        m = dates.WRITTEN.match(line)
        if m or not events:
            events.append((dates.parse(m.group(0)) if m else None, line[m.end():].strip() if m else line))
        else:
            date, text = events[-1]
            events[-1] = (date, f"{text}\n{line}")     # kept apart: a 文号 never runs across lines
    return events


def source_labels(lines: list[str], law_type: bool = True) -> list[str]:
    """The clauses of a LawRefBook body as its README defines them: 第X条 paragraphs and labelled
    headings (一、（一）1.（1）, not decimal section numbers such as 5.1), then its annexes. In a law
    (law_type) whose clauses are 第X条, headings numbered 一、 are its parts, not clauses."""
    annexes = annex_lines(lines)
    labels, blank_before = [], True
    for line in lines[:min(annexes, default=len(lines))]:
        stripped = line.strip()
        heading = HEADING.match(line)
        if heading:
            label = heading_label(heading.group(2))
            if label:
                labels.append(label)
        elif stripped and blank_before:
            law = parse_law_clause(stripped)
            if law:
                labels.append(law.label)
        blank_before = not stripped or bool(heading)
    if law_type and any(parse_law_clause(label) for label in labels):
        labels = [label for label in labels if parse_law_clause(label)]
    return labels + list(annexes.values())


def annex_lines(lines: list[str]) -> dict[int, str]:
    """Where the annexes of a LawRefBook body start: line index → label (附件一, 附表, 附), by the
    rules of structure.annex_starts over its paragraphs (a law has no signature block)."""
    starts, texts, blank_before = [], [], True
    for k, line in enumerate(lines):
        stripped = line.strip()
        heading = HEADING.match(line)
        if heading or (stripped and blank_before):
            starts.append(k)
            texts.append(heading.group(2).strip() if heading else stripped)
        blank_before = not stripped or bool(heading)
    return {starts[i]: label for i, label in structure.annex_starts(texts, [True] * len(texts)).items()}


def heading_label(text: str) -> str | None:
    law = parse_law_clause(text)
    if law:
        return law.label
    policy = parse_policy_label(text)
    if policy and not (policy.level == 3 and policy.rest[:1].isdigit()):
        return policy.label
    return None


def _body(lines: list[str]) -> list[str]:
    out = []
    annexes = annex_lines(lines)
    for k, line in enumerate(lines):
        heading = HEADING.match(line)
        if k in annexes:
            line = "## " + (heading.group(2) if heading else line).strip()
        elif heading and annex_heading(line):
            line = heading.group(2)         # an annex named, not opened (see annex_lines): text
        elif heading and not heading_label(heading.group(2)) and parse_policy_label(heading.group(2)):
            # 5.1 is a section number, not unit 5: escape the dot (Markdown shows 5.1 unchanged)
            line = re.sub(r"^(#+\s+\d{1,3})\.", r"\1\\.", line)
        out.append(line.rstrip())
    return out


def _level(doc_type: str, title: str, path: Path) -> str:
    if doc_type == "部门规章":
        return "部门"
    if doc_type != "地方性法规":
        return "国家"
    province = path.parent.name
    if province in MUNICIPALITIES or title.startswith(province):
        return "省"
    return "市"


def _issuers(doc_type: str, events, path: Path) -> list[str]:
    if doc_type == "部门规章" and path.parent.name != "部门规章":
        return [path.parent.name]
    for _, text in events:
        found = structure.issuers_in(text)
        if found:
            return found
    return []


def convert(path: Path, source: str, versions: dict[str, list[dt.date]] | None = None) -> Draft:
    """One LawRefBook file; versions maps titles to the version dates the corpus holds."""
    raw = structure.read_utf8(path)
    if _site_page(raw):
        raise NotADocument("LawRefBook 的站点页面（文件夹说明或格式模板），不是法规文件")
    if raw.startswith("---\n"):
        raise structure.Unconvertible("已经是本库的格式（有 YAML 头信息），无需导入，直接运行 python -m kb check")
    head, sep, body = raw.partition(INFO_END)
    if not sep:
        head, body = "", raw
    head, body = COMMENT.sub("", head), COMMENT.sub("", body)
    head_lines = head.split("\n")
    titles = [m.group(2) for m in map(HEADING.match, head_lines) if m and m.group(1) == "#"]
    body_lines = body.split("\n")
    if not titles:
        # no header block: the title is the first `# ` line of the body
        first = next((i for i, l in enumerate(body_lines) if l.startswith("# ")), None)
        if first is None:
            raise structure.Unconvertible("没有找到标题（应以“# 标题”开头）")
        titles = [body_lines[first][2:].strip()]
        body_lines = body_lines[first + 1:]
    events = _events([l for l in head_lines if not HEADING.match(l)])
    law_title = titles[0]
    title = f"{law_title}（{titles[1]}）" if len(titles) > 1 else law_title
    summary = ""
    if folder_type(path) == "案例":
        # a case is known by its name (the file name); its `# ` line may be the holding instead
        name = VERSION_DATE.sub("", path.stem).strip()
        summary = title if title != name else ""
        title = name
    doc_type = folder_type(path) or structure.guess_type(title) or structure.PLACEHOLDER
    labels = source_labels(body_lines, doc_type in taxonomy().law_types)
    text_labels = labels[:len(labels) - len(annex_lines(body_lines))]
    if len({parse_law_clause(l) is None for l in text_labels}) > 1:
        raise structure.Unconvertible(f"原文以“一、”等编号作分部分标题、以“第X条”作条款，只有法律法规类文件"
                                      f"（{'、'.join(taxonomy().law_types)}）可以这样分部分，本文件的类型是{doc_type}")
    if not labels and not any(l.strip() for l in body_lines):
        raise structure.Unconvertible("只有标题和日期，没有正文")

    version = _version_date(path)
    dated = [d for d, _ in events if d]
    enacted = [d for d, t in events if d and "施行" not in t] or dated
    date = version or (max(enacted) if enacted else None)
    effective = [d for d, t in events if d and "施行" in t]
    effective_from = max(effective) if effective else None
    doc_no = next((n for _, t in reversed(events) for n in [structure.order_number(t)] if n), "")

    notes = ["据 LawRefBook（github.com/LawRefBook/Laws）的 Markdown 文本导入。"]
    status = "现行有效"
    newer = sorted(d for d in (versions or {}).get(title, []) if date and d > date)
    if newer:
        status = "已修改"
        notes.append(f"同名文件另有 {newer[-1].isoformat()} 的版本，本版本已被修改。")
    elif effective_from and effective_from > dt.date.today():
        status = "尚未生效"
    else:
        notes.append("LawRefBook 收录现行有效的文本，未见失效标注，按现行有效记录。")
    coverage = "官方全文"
    numbers = [parse_law_clause(l) for l in labels]
    if numbers and numbers[0] and numbers[0].number != 1:
        coverage = "部分条款"
        notes.append(f"原文件只含{labels[0]}至{labels[-1]}（{law_title}的一部分）。")

    fields = {
        # the folder is part of the id: a few laws sit, in different wordings, in two categories
        "id": document_id(doc_type, f"{title}|{path.parent.name}", date),
        "title": title, "type": doc_type, "level": _level(doc_type, title, path),
        "issuers": _issuers(doc_type, events, path), "doc_no": doc_no, "date": date,
        "effective_from": effective_from, "status": status, "coverage": coverage,
        "coverage_note": "".join(notes), "sources": [source], "summary": summary,
    }
    if len(titles) > 1:
        fields["aliases"] = [law_title]
    return Draft(fields, _body(body_lines), labels)


def _version_date(path: Path) -> dt.date | None:
    """The date in a file name such as 刑法(2020-12-26).md; None without one or for a day that does
    not exist (the header's dates then stand)."""
    version = VERSION_DATE.search(path.stem)
    return dates.parse_iso(version.group(1)) if version else None


def version_dates(paths: list[Path]) -> dict[str, list[dt.date]]:
    """Title → version dates, from file names, for deciding which version is the newest."""
    out: dict[str, list[dt.date]] = {}
    for path in paths:
        version = _version_date(path)
        if not version:
            continue
        try:
            first = structure.read_utf8(path).lstrip().split("\n", 1)[0]
        except structure.Unconvertible:
            continue
        if first.startswith("# "):
            out.setdefault(COMMENT.sub("", first[2:]).strip(), []).append(version)
    return out


def numbering_gaps(clauses) -> list[str]:
    """Where the source's own numbering jumps (a label lost in LawRefBook's text), as 第十二条→第十四条."""
    gaps, previous = [], {}
    for c in clauses:
        if c.system == "annex":
            continue
        key = ("law",) if c.system == "law" else (c.parent, c.level)
        before = previous.get(key)
        if not c.sub and c.number != (before.number if before else 0) + 1:
            gaps.append(f"{before.label if before else '开头'}→{c.label}")
        previous[key] = c
    return gaps
