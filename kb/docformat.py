"""The Markdown format of policies/ (documented in policies/README.md): parse and write.

A file is YAML front matter followed by the document's own structure. Policy units are
Markdown headings whose text starts with a label (## 一、… ### （一）… #### 1. … ##### （1）…);
law clauses are paragraphs starting with 第X条 (or 第X条之一) under 编/章/节 headings.
A fenced ```meta block right after a unit's heading (or clause paragraph) holds its metadata.
Editorial remarks (编者注：…, 【编者注：…】, kb/remarks.py) stay in the text as written; a malformed one is
reported at its line here, since the joined text no longer knows its lines.
Parsing keeps line numbers so the checker can name file:line; it judges nothing itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from .model import Clause, Document, Problem
from .numbering import STRUCTURE, cn_to_int, parse_law_clause, parse_policy_label
from .remarks import LABEL as REMARK, PARAGRAPH as REMARK_PARAGRAPH, line_problems as remark_problems
from .schema import FRONT_MATTER, listed
from .taxonomy import SAFE_LOADER, taxonomy

POINT = re.compile(r"^要点[：:]\s*(.+)$")
# 附件一：标题, 附件1, 附表二, 附录, 附：标题 — an annex heading (a bare 附 needs its colon: "附 则" is a chapter)
ANNEX = re.compile(r"^(?:(附[件表录])[ \u3000]*([〇一二三四五六七八九十]{1,3}|\d{1,2})?(?:[ \u3000]*[：:]|[ \u3000]|$)"
                   r"|(附)[ \u3000]*[：:])[ \u3000]*(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\S*)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# the longest law in LawRefBook is 0.3 MB; a file past this is a mistake (a pasted dump, a wrong file)
MAX_FILE_BYTES = 2 * 1024 * 1024


_NO_DATES = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so the checker (not the loader) judges them."""
    yaml_implicit_resolvers = _NO_DATES


class _FastLoader(SAFE_LOADER):
    """The same, parsed by libyaml (when PyYAML has it): most of a build's parsing time otherwise.
    Its error positions differ from the pure-Python parser's, so a document that fails is parsed
    again by _Loader for the line and reason the checker reports."""
    yaml_implicit_resolvers = _NO_DATES


def _load(loader_class, text: str):
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def load_node(text: str):
    """(the composed node, the loaded value) of a YAML text; YAMLError names the exact place."""
    try:
        return _load(_FastLoader, text)
    except yaml.YAMLError:
        return _load(_Loader, text)


def load_yaml(text: str):
    return load_node(text)[1]


@dataclass
class ParsedFile:
    path: str
    fields: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    preamble: str = ""
    first_heading: tuple[int, str] | None = None
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


def decode(path: str, data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) or a problem naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(path, line, "文件不是 UTF-8 编码（请另存为 UTF-8；GB18030/GBK 文件可用 python -m kb import 转换）")
    if "\x00" in text:
        return None, Problem(path, text.count("\n", 0, text.index("\x00")) + 1, "文件含有二进制内容（NUL 字节），不是文本文件")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def yaml_error(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """Where in the parsed text (lines from its start, None when the parser does not say) YAML stopped,
    and why, as a checker names it."""
    mark = getattr(exc, "problem_mark", None)
    return (mark.line if mark else None), getattr(exc, "problem", None) or "格式错误"


def read(path: str, most: int | None = None) -> tuple[str | None, Problem | None]:
    """A file's text (decode's), or the problem that keeps it from being read: unreadable, not UTF-8
    text, or larger than `most` bytes when given."""
    try:
        if most is not None and (size := Path(path).stat().st_size) > most:
            return None, Problem(path, 1, f"文件过大（{size / 2**20:.1f} MB，上限 {most // 2**20} MB）：请检查是否误存了其他内容")
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, Problem(path, 1, f"无法读取文件：{exc.strerror}")
    return decode(path, data)


def parse_file(path: str | Path) -> ParsedFile:
    path = str(path)
    text, problem = read(path, MAX_FILE_BYTES)
    if problem:
        return ParsedFile(path, problems=[problem])
    return parse_text(path, text)


def parse_text(path: str, text: str) -> ParsedFile:
    parsed = ParsedFile(path)
    if not text.startswith("---\n"):
        parsed.problem(1, "缺少 YAML 头信息：文件须以一行 --- 开始，写明 id、title 等字段，再以 --- 结束")
        return parsed
    try:
        front, body = YAMLHandler().split(text)
    except ValueError:
        parsed.problem(1, "YAML 头信息没有结束：缺少第二行 ---")
        return parsed
    parsed.body_line = text[: len(text) - len(body)].count("\n") + 1
    _parse_front_matter(parsed, front, text[: text.index(front)].count("\n") + 1 if front else 2)
    _parse_body(parsed, body)
    return parsed


def _parse_front_matter(parsed: ParsedFile, front: str, first_line: int) -> None:
    try:
        node, fields = load_node(front)       # the node gives the line of each key
    except yaml.YAMLError as exc:
        at, reason = yaml_error(exc)
        parsed.problem(first_line + at if at is not None else 1, f"YAML 头信息无法解析：{reason}")
        return
    if fields is None:
        fields = {}
    if not isinstance(fields, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        parsed.problem(2, "YAML 头信息应为“字段: 值”的形式")
        return
    parsed.fields = fields
    if node is not None:
        for key_node, _ in node.value:
            parsed.key_lines[str(key_node.value)] = first_line + key_node.start_mark.line


class _BodyParser:
    def __init__(self, parsed: ParsedFile):
        self.parsed = parsed
        self.structure: list[tuple[str, str]] = []   # (编/章/节 or "", heading text)
        self.stack: list[Clause] = []                 # open policy units, outermost first
        self.current: Clause | None = None            # unit receiving text
        self.preamble: list[str] = []
        self.text: dict[int, list[str]] = {}          # id(clause) → lines
        self.blank_before = True
        self.law_document = False
        self.in_annex = False

    def context(self) -> list[str]:
        return [h for _, h in self.structure]

    def open_unit(self, unit: Clause) -> None:
        self.parsed.clauses.append(unit)
        self.text[id(unit)] = []
        self.current = unit

    def policy(self, lineno: int, heading_text: str, label) -> None:
        while self.stack and self.stack[-1].level >= label.level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        heading, first_text = label.rest, ""
        if "。" in heading[:-1]:
            heading, first_text = heading.split("。", 1)
        path = f"{parent.path}/{label.label}" if parent else label.label
        context = self.context() + ([f"{u.label} {u.heading}".strip() for u in self.stack])
        unit = Clause(path=path, label=label.label, system="policy", level=label.level,
                      number=label.number, sub=0, heading=heading.rstrip("。").strip(), text="",
                      line=lineno, context=context, parent=parent.path if parent else "")
        self.open_unit(unit)
        if first_text.strip():
            self.text[id(unit)].append(first_text.strip())
        self.stack.append(unit)

    def law(self, lineno: int, label) -> None:
        unit = Clause(path=label.label, label=label.label, system="law", level=1,
                      number=label.number, sub=label.sub, heading="", text="", line=lineno,
                      context=self.context())
        self.open_unit(unit)
        if label.rest:
            self.text[id(unit)].append(label.rest)

    def point(self, lineno: int, heading: str) -> None:
        """An unnumbered point (要点：…): a measure whose official clause number is not known."""
        number = sum(1 for c in self.parsed.clauses if c.system == "point") + 1
        self.stack.clear()
        self.open_unit(Clause(path=f"要点{number}", label="", system="point", level=1, number=number,
                              sub=0, heading=heading.strip(), text="", line=lineno, context=self.context()))

    def annex(self, lineno: int, found: re.Match) -> None:
        """An annex (附件一, 附表, 附：): a unit of its own after the text; all that follows it up to the
        next annex is its text, its numbered items and tables included."""
        kind, number = annex_name(found)
        self.in_annex = True
        self.structure.clear()
        self.stack.clear()
        self.open_unit(Clause(path=kind + number, label=kind + number, system="annex", level=1,
                              number=cn_to_int(number) or 0, sub=0,
                              heading=found.group(4).strip(), text="", line=lineno))

    def structure_heading(self, kind: str, text: str) -> None:
        order = "编章节"
        if kind:
            self.structure = [(k, h) for k, h in self.structure if k and order.index(k) < order.index(kind)]
        else:
            self.structure = [(k, h) for k, h in self.structure if k]
        self.structure.append((kind, text))
        self.stack.clear()
        self.current = None

    def add_text(self, line: str) -> None:
        target = self.text[id(self.current)] if self.current else self.preamble
        target.append(line)

    def meta(self, lineno: int, lines: list[str]) -> None:
        unit = self.current
        try:
            value = load_yaml("\n".join(lines)) or {}
        except yaml.YAMLError as exc:
            at, reason = yaml_error(exc)
            self.parsed.problem(lineno + 1 + (at or 0), f"meta 元数据块无法解析：{reason}")
            return
        if not isinstance(value, dict):
            self.parsed.problem(lineno, "meta 元数据块应为“字段: 值”的形式")
            return
        if unit is None:
            self.parsed.problem(lineno, "meta 元数据块必须紧跟在某个条款标题之后")
            return
        if unit.meta:
            self.parsed.problem(lineno, f"条款 {unit.path} 有多个 meta 元数据块")
            return
        unit.meta = value
        unit.meta["_line"] = lineno

    def run(self, body: str) -> None:
        lines = body.split("\n")
        text_end = next((k for k, line in enumerate(lines) if line.startswith("#") and annex_heading(line)),
                        len(lines))
        # In a law (a law type whose clauses are 第X条 paragraphs) a heading such as "一、总则" groups
        # clauses: it is a section heading, not a policy unit. Elsewhere the mixture is an error.
        # An annexed text's 第X条 (a notice that annexes a regulation) says nothing of the document's own.
        self.law_document = str(self.parsed.fields.get("type")) in taxonomy().law_types and any(
            parse_law_clause(line) and (k == 0 or not lines[k - 1].strip())
            for k, line in enumerate(lines[:text_end]) if line.startswith("第"))
        i, base = 0, self.parsed.body_line
        while i < len(lines):
            line, lineno = lines[i], base + i
            fence = FENCE.match(line)
            if fence:
                end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence.group(1)), None)
                if end is None:
                    self.parsed.problem(lineno, "代码块（```）没有结束")
                    end = len(lines)
                if fence.group(2) == "meta":
                    self.meta(lineno, lines[i + 1:end])
                else:
                    for chunk in lines[i:end + 1]:
                        self.add_text(chunk)
                i, self.blank_before = end + 1, False
                continue
            heading = HEADING.match(line)
            stripped = line.strip()
            annex = annex_heading(line) if heading else None
            if heading and REMARK in line:
                self.parsed.problem(lineno, f"标题里不能写{REMARK}：{REMARK}写在正文中，单独成段（{REMARK}：……）"
                                            f"或写在句中（【{REMARK}：……】）")
            elif REMARK in line:
                self.check_remarks(lineno, line, lines[i - 1] if i else "")
            if annex:
                self.annex(lineno, annex)
            elif self.in_annex:
                self.add_text(line.rstrip())
            elif heading:
                self.heading(lineno, heading.group(2).strip(), len(heading.group(1)))
            elif not stripped:
                if self.current or self.preamble:
                    self.add_text("")
            else:
                law = parse_law_clause(stripped) if self.blank_before else None
                if law:
                    self.law(lineno, law)
                else:
                    self.add_text(line.rstrip())
            self.blank_before = not stripped or bool(heading)
            i += 1
        for unit in self.parsed.clauses:
            unit.text = "\n".join(self.text[id(unit)]).strip()
        self.parsed.preamble = "\n".join(self.preamble).strip()

    def check_remarks(self, lineno: int, line: str, previous: str) -> None:
        for message in remark_problems(line):
            self.parsed.problem(lineno, message)
        # a 编者注 paragraph is a paragraph of its own: written on a line that goes on the one above,
        # Markdown (and the citation) would take it for the document's words
        if REMARK_PARAGRAPH.match(line) and previous.strip() and not HEADING.match(previous) and not FENCE.match(previous):
            self.parsed.problem(lineno, f"“{REMARK}：”开头的段落须单独成段：请在它上面空一行")

    def heading(self, lineno: int, text: str, depth: int) -> None:
        label = None if self.law_document else parse_policy_label(text)
        if label:
            self.policy(lineno, text, label)
            return
        law = parse_law_clause(text)
        if law:
            self.law(lineno, law)
            return
        point = POINT.match(text)
        structure = STRUCTURE.match(text)
        if point:
            self.point(lineno, point.group(1))
        elif structure:
            self.structure_heading(structure.group(2), text)
        elif depth == 1 and self.parsed.first_heading is None and not self.parsed.clauses and not self.structure:
            self.parsed.first_heading = (lineno, text)
        else:
            self.structure_heading("", text)


def annex_name(found: re.Match) -> tuple[str, str]:
    """(附件, 一) of an ANNEX match: the label is the two together, as written."""
    return found.group(1) or found.group(3), found.group(2) or ""


def annex_heading(line: str) -> re.Match | None:
    """The annex a Markdown line opens (## 附件一：标题), or None."""
    heading = HEADING.match(line)
    return ANNEX.match(heading.group(2).strip()) if heading else None


def _parse_body(parsed: ParsedFile, body: str) -> None:
    _BodyParser(parsed).run(body)


def to_document(parsed: ParsedFile) -> Document:
    """The Document of a file that passed the checker."""
    front = FRONT_MATTER.values(parsed.fields)
    by_path = {c.path: c for c in parsed.clauses}
    for clause in parsed.clauses:
        own = listed(clause.meta.get("areas"))
        parent = by_path.get(clause.parent)
        clause.areas = own or (parent.areas if parent else front["areas"])
        clause.meta = {k: v for k, v in clause.meta.items() if k != "_line"}
    return Document(**front, preamble=parsed.preamble, clauses=parsed.clauses, source_path=parsed.path)
