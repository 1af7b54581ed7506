"""The checker of the recorded everyday questions (kb/asked.yaml), as path:line: message.

A mistake there is silent at search time: an entry whose title or clause names nothing, or a second
entry for a clause (the later one replaces the earlier), only loses questions. The titles of the
documents checked with it are judged in full; other titles (the LawRefBook laws, which live outside
policies/) only for the entry's form.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import yaml

from .docformat import read, yaml_error
from .model import Document, Problem
from .taxonomy import SAFE_LOADER

FIELDS = ("title", "clause", "asked")
OWN_WORDS = 12      # a question holding this many characters of its clause in a row repeats the clause


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip() else None


def _entries(path: Path, problems: list[Problem]) -> list[tuple[int, dict]]:
    """(line, {field: node}) of each entry of the file, its form's problems added to `problems`."""
    def problem(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, message))

    text, bad = read(str(path))
    if bad:
        problems.append(bad)
        return []
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        at, reason = yaml_error(exc)
        problem(at + 1 if at is not None else 1, f"YAML 无法解析：{reason}")
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        problem(root.start_mark.line + 1, "应为一个列表，每项写 title、clause、asked")
        return []
    entries = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problem(line, "每项应写 title、clause、asked 三个字段")
            continue
        fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        for key in fields.keys() - set(FIELDS):
            problem(line, f"未知字段“{key}”，只能写 {'、'.join(FIELDS)}")
        missing = [f for f in FIELDS if f not in fields]
        if missing:
            problem(line, f"缺少字段 {'、'.join(missing)}")
            continue
        if not _scalar(fields["title"]) or not _scalar(fields["clause"]):
            problem(line, "title 与 clause 应为非空文字（clause 如 第三十九条、二/（三）、要点1）")
            continue
        questions = fields["asked"]
        if not isinstance(questions, yaml.SequenceNode) or not questions.value:
            problem(questions.start_mark.line + 1, "asked 应为至少一个问题的列表")
            continue
        seen: dict[str, int] = {}
        for q in questions.value:
            q_line = q.start_mark.line + 1
            text = _scalar(q)
            if text is None:
                problem(q_line, "问题应为非空文字")
            elif text in seen:
                problem(q_line, f"问题“{text}”与第 {seen[text]} 行重复")
            else:
                seen[text] = q_line
        entries.append((line, fields))
    return entries


def _clauses_named(doc: Document, name: str) -> list:
    """The clauses that an entry's clause may reach: kb.asked.key_of looks a clause's questions up by
    its label and by its path, so every clause with either one."""
    return [c for c in doc.clauses if name in (c.label, c.path)]


class Checked(NamedTuple):
    clauses: int        # entries read
    questions: int
    problems: list[Problem]


def check(path: str | Path, docs: list[Document]) -> Checked:
    """Every problem of the recorded questions in `path`; entries for the documents `docs` are also
    judged against them: the clause exists, is named once, and no question repeats its text."""
    path = Path(path)
    found: list[Problem] = []
    by_title: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        by_title[doc.title].append(doc)
    first: dict[tuple[str, str], int] = {}
    entries = _entries(path, found)
    for line, fields in entries:
        title, name = fields["title"].value, fields["clause"].value
        if (title, name) in first:
            found.append(Problem(str(path), line, f"“{title}”的“{name}”已在第 {first[(title, name)]} 行记录，"
                                                  "同一条款只写一项（后一项会取代前一项）"))
            continue
        first[(title, name)] = line
        for doc in by_title.get(title, ()):
            named = _clauses_named(doc, name)
            if not named:
                found.append(Problem(str(path), line, f"{doc.source_path} 没有条款“{name}”"))
            elif len(named) > 1:
                paths = "、".join(c.path for c in named)
                found.append(Problem(str(path), line, f"{doc.source_path} 中条款“{name}”不止一处（{paths}），请写条款路径"))
            else:
                clause_text = named[0].heading + named[0].text
                for q in fields["asked"].value:
                    text = _scalar(q) or ""
                    if any(text[i:i + OWN_WORDS] in clause_text for i in range(len(text) - OWN_WORDS + 1)):
                        found.append(Problem(str(path), q.start_mark.line + 1,
                                             f"问题“{text}”照抄了 {doc.source_path} 条款“{name}”的原文（连续 {OWN_WORDS} 字相同），"
                                             "请用提问人自己的话"))
    return Checked(len(entries), sum(len(f["asked"].value) for _, f in entries),
                   sorted(found, key=lambda p: (p.line, p.message)))
