"""The checker: every problem in a set of policy files, as path:line: message.

It never stops at the first problem. The front matter's rules are declared with its fields
(kb/schema.py); the body's live here; the parser only reads.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from . import metacheck, relations, workers
from .docformat import ParsedFile, parse_file, to_document
from .match import condition_problems
from .model import Document, Problem
from .numbering import law_label, policy_label
from .schema import FRONT_MATTER, PLACEHOLDER, Schema
from .taxonomy import taxonomy

# names the importer (PLACEHOLDER) and tests/test_import.py (KNOWN_FIELDS, REQUIRED) import from the checker
__all__ = ["PLACEHOLDER", "KNOWN_FIELDS", "REQUIRED", "check_paths", "load", "policy_files", "validate"]
KNOWN_FIELDS, REQUIRED = set(FRONT_MATTER.keys), FRONT_MATTER.required

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


def _check_front_matter(parsed: ParsedFile, schema: Schema) -> None:
    for line, message in schema.problems(parsed.fields, parsed.line_of):
        parsed.problem(line, message)


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
    systems = {c.system for c in parsed.clauses} - {"point", "annex"}
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
            if not clause.official_text and not clause.meta.get("partial"):
                parsed.problem(clause.line, f"要点“{clause.heading}”没有正文{_only_remarks(clause)}")
            continue
        if clause.system == "annex":
            continue        # named, not numbered (附件一, 附表); an omitted annex (略) keeps only its title
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
        if not clause.official_text and clause.path not in children and not clause.meta.get("partial"):
            parsed.problem(clause.line, f"条款“{clause.path}”没有正文{_only_remarks(clause)}")


def _only_remarks(clause) -> str:
    """What to add to 没有正文 when the text holds only the library's remarks."""
    if not clause.text:
        return ""
    return "：只有编者注，编者注不算正文（来源在此处缺失时，在 meta 中写 partial: true）"


def _label_of(clause, number_sub: tuple[int, int]) -> str:
    number, sub = number_sub
    if number == 0:
        return "开头"
    return law_label(number, sub) if clause.system == "law" else policy_label(clause.level, number)


def validate(parsed: ParsedFile, schema: Schema = FRONT_MATTER) -> list[Problem]:
    """Every problem of one parsed file (parser's and rules'), its front matter judged by `schema`."""
    if parsed.fields or not parsed.problems:
        _check_front_matter(parsed, schema)
        _check_meta(parsed)
        _check_conditions(parsed)
        metacheck.check(parsed)
        _check_clauses(parsed)
    return sorted(set(parsed.problems), key=lambda p: (p.line, p.message))


def load(path: str | Path) -> tuple[Document | None, list[Problem]]:
    """One file: its Document when it is valid, and its problems."""
    parsed = parse_file(path)
    problems = validate(parsed)
    return (None if problems else to_document(parsed)), problems


def _check_file(path: Path) -> tuple[list[Problem], object, int, Document | None, int]:
    """One file's problems, its id (as written) and the line of the id, the document when valid,
    and the line of its relations."""
    parsed = parse_file(path)
    problems = validate(parsed)
    return (problems, parsed.fields.get("id"), parsed.line_of("id"), None if problems else to_document(parsed),
            parsed.line_of("relations"))


class _Held:
    """The library's documents as the relation rules see them: those checked now, the unchanged
    ones of a build (known_ids, read when a relation reaches them) and, for a check of single
    files, the documents beside them."""

    def __init__(self, docs: list[Document], known_ids: dict[str, str], files: list[Path], broken: set[str]):
        self.docs = {d.id: d for d in docs}
        self.paths = dict(known_ids)
        self.files = files
        self.near: dict[str, Path] | None = None
        self.broken = broken        # ids whose file has problems of its own

    def _nearby(self) -> dict[str, Path]:
        if self.near is None:
            checked = set(map(Path, self.files))
            found = policy_files(sorted({f.parent for f in checked}))
            self.near = {str(parse_file(f).fields.get("id")): f for f in found if f not in checked}
        return self.near

    def __call__(self, doc_id: str) -> Document | None:
        if doc_id not in self.docs:
            path = self.paths.get(doc_id) or self._nearby().get(doc_id)
            self.docs[doc_id] = load(path)[0] if path else None
            if path and self.docs[doc_id] is None:
                self.broken.add(doc_id)
        return self.docs[doc_id]


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
    relation_lines: dict[str, int] = {}
    for path, (file_problems, doc_id, id_line, doc, relation_line) in zip(files, checked):
        problems.extend(file_problems)
        if isinstance(doc_id, str):
            id_lines[doc_id].append((str(path), id_line))
        if doc is not None:
            docs.append(doc)
            relation_lines[doc.source_path] = relation_line
    for doc_id, other in (known_ids or {}).items():
        if doc_id in id_lines and all(p != other for p, _ in id_lines[doc_id]):
            id_lines[doc_id].append((other, 0))
    for doc_id, places in id_lines.items():
        if len(places) > 1:
            for path, line in places:
                if line:
                    others = "、".join(p for p, _ in places if p != path)
                    problems.append(Problem(path, line, f"id“{doc_id}”与 {others} 重复，id 必须唯一"))
    # an id whose file failed its own checks: relations to it are judged once that file is valid
    broken = {i for i, places in id_lines.items() if any(line and p not in relation_lines for p, line in places)}
    for doc, message in relations.problems(docs, _Held(docs, known_ids or {}, files, broken), broken):
        problems.append(Problem(doc.source_path, relation_lines[doc.source_path], message))
    failed = {p.path for p in problems}
    return [d for d in docs if d.source_path not in failed], problems
