"""The checker: every problem in a set of policy files, as path:line: message.

It never stops at the first problem. Rules live here; the parser only reads.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from . import dates, workers
from .docformat import ParsedFile, parse_file, to_document
from .match import condition_problems
from .model import Document, Problem
from .numbering import law_label, policy_label
from .taxonomy import taxonomy

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")
PLACEHOLDER = "待填写"   # what the importer writes where it could not determine a value

REQUIRED = ("id", "title", "type", "level", "status", "coverage", "sources")
STRING_FIELDS = ("id", "title", "short_title", "type", "level", "status", "coverage", "doc_no",
                 "coverage_note", "summary")
LIST_FIELDS = ("sources", "issuers", "aliases", "areas")
DATE_FIELDS = ("date", "effective_from", "effective_until")
KNOWN_FIELDS = set(STRING_FIELDS + LIST_FIELDS + DATE_FIELDS)

META_LIST_FIELDS = ("areas", "enterprise", "sectors")
META_TEXT_FIELDS = ("region", "amount", "rate", "period", "deadline", "department", "conditions_text")
META_FIELDS = set(META_LIST_FIELDS + META_TEXT_FIELDS) | {"partial", "conditions", "_line"}

PARTIAL_COVERAGES = {"部分条款", "仅目录信息"}


def policy_files(paths: list[str | Path]) -> list[Path]:
    """The .md documents under the given files and folders (README.md files are the format's docs)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted((f for f in p.rglob("*.md") if f.name != "README.md" and not f.name.startswith("_")),
                                key=str))
        else:
            files.append(p)
    return files


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _check_front_matter(parsed: ParsedFile) -> None:
    f, tax = parsed.fields, taxonomy()
    line = parsed.line_of
    for key in f:
        if key not in KNOWN_FIELDS:
            parsed.problem(line(key), f"未知字段“{key}”（可用字段见 policies/README.md）")
    for key in REQUIRED:
        if f.get(key) in (None, "", []):
            parsed.problem(line(key) if key in f else 1, f"缺少必填字段“{key}”")
    for key in STRING_FIELDS:
        value = f.get(key)
        if value is not None and not isinstance(value, (str, int)):
            parsed.problem(line(key), f"字段“{key}”应为一段文字")
        elif isinstance(value, str) and PLACEHOLDER in value:
            parsed.problem(line(key), f"字段“{key}”尚未填写（导入时未能识别，请按原文补全）")
    for key in LIST_FIELDS:
        value = f.get(key)
        if value is not None and not isinstance(value, (str, list)):
            parsed.problem(line(key), f"字段“{key}”应为列表，例如 [值1, 值2]")
    doc_id = f.get("id")
    if isinstance(doc_id, str) and not ID_PATTERN.match(doc_id):
        parsed.problem(line("id"), f"id“{doc_id}”只能由小写字母、数字和连字符组成（用于网址和引用）")
    for key, allowed, what in (("level", tax.levels, "发文层级"), ("type", tax.doc_types, "文档类型"),
                               ("status", tax.statuses, "效力状态"), ("coverage", tax.coverages, "收录范围")):
        value = f.get(key)
        if value not in (None, "") and str(value) not in allowed:
            parsed.problem(line(key), f"未知的{what}“{value}”，可选：{'、'.join(allowed)}")
    for area in _values(f.get("areas") or []):
        if str(area) not in tax.area_names:
            parsed.problem(line("areas"), f"未知的支持领域“{area}”，可选：{'、'.join(tax.area_names)}")
    days = {}
    for key in DATE_FIELDS:
        value = f.get(key)
        if value in (None, ""):
            continue
        day = dates.parse(value)
        if day is None:
            parsed.problem(line(key), f"日期“{value}”无法解析，请写成 {dates.EXPECTED}")
        elif reason := dates.implausible(day, end_of_term=key == "effective_until"):
            parsed.problem(line(key), reason)
        else:
            days[key] = day
    if "effective_from" in days and "effective_until" in days and days["effective_until"] < days["effective_from"]:
        parsed.problem(line("effective_until"), f"失效日期 {days['effective_until']} 早于生效日期 {days['effective_from']}")


def _check_meta(parsed: ParsedFile) -> None:
    tax = taxonomy()
    allowed = {"areas": tax.area_names, "enterprise": tax.enterprise_types, "sectors": tax.sectors}
    names = {"areas": "支持领域", "enterprise": "企业类型", "sectors": "行业"}
    for clause in parsed.clauses:
        meta = clause.meta
        line = meta.get("_line", clause.line)
        for key in meta:
            if key not in META_FIELDS:
                parsed.problem(line, f"条款 {clause.path} 的 meta 中有未知字段“{key}”")
        for key in META_LIST_FIELDS:
            for value in _values(meta.get(key) or []):
                if str(value) not in allowed[key]:
                    parsed.problem(line, f"条款 {clause.path}：未知的{names[key]}“{value}”，可选：{'、'.join(allowed[key])}")
        if "conditions" in meta and not isinstance(meta["conditions"], dict):
            parsed.problem(line, f"条款 {clause.path}：conditions 应为“条件: 值”的形式")


def _check_conditions(parsed: ParsedFile) -> None:
    """The `conditions` of each clause, in the schema that matching reads (kb.match)."""
    for clause in parsed.clauses:
        conditions = clause.meta.get("conditions")
        if isinstance(conditions, dict):
            for message in condition_problems(conditions):
                parsed.problem(clause.meta.get("_line", clause.line), f"条款 {clause.path}：{message}")


def _check_clauses(parsed: ParsedFile) -> None:
    coverage = parsed.fields.get("coverage")
    may_skip = coverage in PARTIAL_COVERAGES
    systems = {c.system for c in parsed.clauses} - {"point"}
    if len(systems) > 1:
        first_law = next(c for c in parsed.clauses if c.system == "law")
        parsed.problem(first_law.line, "同一文件混用了两种编号体系（一、（一）与 第X条），请只用一种")
    if coverage == "仅目录信息" and parsed.clauses:
        parsed.problem(parsed.clauses[0].line, "收录范围为“仅目录信息”的文件不应含有条款")
    seen: dict[str, int] = {}
    previous: dict[tuple, tuple[int, int]] = {}
    children = {c.parent for c in parsed.clauses}
    for clause in parsed.clauses:
        if clause.path in seen:
            parsed.problem(clause.line, f"条款编号“{clause.path}”重复（第 {seen[clause.path]} 行已出现）")
        else:
            seen[clause.path] = clause.line
        if clause.system == "point":
            if not clause.text and not clause.meta.get("partial"):
                parsed.problem(clause.line, f"要点“{clause.heading}”没有正文")
            continue
        key = ("law",) if clause.system == "law" else (clause.parent, clause.level)
        prev = previous.get(key, (0, 0))
        current = (clause.number, clause.sub)
        if clause.sub:
            expected = [(prev[0], prev[1] + 1)]
        else:
            expected = [(prev[0] + 1, 0)]
        if current <= prev:
            parsed.problem(clause.line, f"编号倒退或重复：“{clause.label}”出现在“{_label_of(clause, prev)}”之后")
        elif current not in expected and not may_skip:
            parsed.problem(clause.line, f"编号跳号：“{_label_of(clause, prev)}”之后应为“{_label_of(clause, expected[0])}”，"
                                        f"却是“{clause.label}”（只收录部分条款时，请把 coverage 写为“部分条款”）")
        previous[key] = current
        if not clause.text and clause.path not in children and not clause.meta.get("partial"):
            parsed.problem(clause.line, f"条款“{clause.path}”没有正文")


def _label_of(clause, number_sub: tuple[int, int]) -> str:
    number, sub = number_sub
    if number == 0:
        return "开头"
    return law_label(number, sub) if clause.system == "law" else policy_label(clause.level, number)


def validate(parsed: ParsedFile) -> list[Problem]:
    """Every problem of one parsed file (parser's and rules')."""
    if parsed.fields or not parsed.problems:
        _check_front_matter(parsed)
        _check_meta(parsed)
        _check_conditions(parsed)
        _check_clauses(parsed)
    return sorted(set(parsed.problems), key=lambda p: (p.line, p.message))


def load(path: str | Path) -> tuple[Document | None, list[Problem]]:
    """One file: its Document when it is valid, and its problems."""
    parsed = parse_file(path)
    problems = validate(parsed)
    return (None if problems else to_document(parsed)), problems


def _check_file(path: Path) -> tuple[list[Problem], object, int, Document | None]:
    """One file's problems, its id (as written) and the line of the id, and the document when valid."""
    parsed = parse_file(path)
    problems = validate(parsed)
    return problems, parsed.fields.get("id"), parsed.line_of("id"), None if problems else to_document(parsed)


def check_paths(paths: list[str | Path], known_ids: dict[str, str] | None = None
                ) -> tuple[list[Document], list[Problem]]:
    """Check files and the ids across them; known_ids maps ids of unchanged files to their paths.
    Many files are parsed in worker processes (parsing is most of a full build's first stage)."""
    docs: list[Document] = []
    problems: list[Problem] = []
    id_lines: dict[str, list[tuple[str, int]]] = defaultdict(list)
    files = list(policy_files(paths))
    if (processes := workers.count(len(files))) > 1:
        with workers.pool(processes) as pool:
            checked = list(pool.map(_check_file, files, chunksize=16))
    else:
        checked = map(_check_file, files)
    for path, (file_problems, doc_id, id_line, doc) in zip(files, checked):
        problems.extend(file_problems)
        if isinstance(doc_id, str):
            id_lines[doc_id].append((str(path), id_line))
        if doc is not None:
            docs.append(doc)
    for doc_id, other in (known_ids or {}).items():
        if doc_id in id_lines and all(p != other for p, _ in id_lines[doc_id]):
            id_lines[doc_id].append((other, 0))
    for doc_id, places in id_lines.items():
        if len(places) > 1:
            for path, line in places:
                if line:
                    others = "、".join(p for p, _ in places if p != path)
                    problems.append(Problem(path, line, f"id“{doc_id}”与 {others} 重复，id 必须唯一"))
    failed = {p.path for p in problems}
    return [d for d in docs if d.source_path not in failed], problems
