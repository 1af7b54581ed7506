"""A document laid out for reading: structure headings, anchored clauses, table of contents."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kb.cite import FULL_TEXT, Item
from kb.citation import POINT_PREFIX, cite, retold
from kb.model import Clause, Document
from kb.numbering import CN_NUM, cn_to_int, law_label, policy_label
from kb.refs import find_clause_ref

from .render import to_html


def label_as_written(clause: Clause) -> str:
    """一 → 一、, 2 → 2. (how the unit is numbered in the text); other labels unchanged."""
    if clause.system == "policy" and clause.level in (1, 3):
        return clause.label + ("、" if clause.level == 1 else ".")
    return clause.label


def title_parts(clause: Clause) -> tuple[str, str]:
    """(三、, 运输…), (（一） , 免征…), (第八十二条, ''): the label as written, with the gap before a heading,
    and the heading, which a page marks as the library's where the library wrote it."""
    label = label_as_written(clause)
    gap = "" if label.endswith("、") or not clause.heading or not label else " "
    return label + gap, clause.heading


def title(clause: Clause) -> str:
    """三、运输…, （一） 免征…, 第八十二条: the unit's label as written followed by its heading."""
    return "".join(title_parts(clause)).strip()


# the words of a document held in anything but its official text are the library's
EDITORIAL_NOTE = "以下为本库摘要，非官方原文，引用前请核对原文。"
# what the document page calls the text it holds, by coverage; 正文 only for the official text
BODY_HEADINGS = {FULL_TEXT: "正文", "要点摘要": "条款摘要（本库整理）", "部分条款": "部分条款（本库整理）",
                 "仅目录信息": "内容说明（本库整理）"}
# under a citation whose unit the library worded: it still names an official document
OFFICIAL_HINT = "这条引用指向官方文件；上面的文字是本库整理的，引用前请对照官方原文核对条号和措辞。"


def editorial(doc: Document) -> bool:
    """Whether the text shown is the library's summary rather than the document's official words."""
    return doc.coverage != FULL_TEXT


def body_heading(doc: Document) -> str:
    # a meeting, a press conference or a report held as a document is held as what was reported of it
    if editorial(doc) and retold(doc.title, doc.doc_no):
        return "报道中的要点（本库整理）"
    return BODY_HEADINGS.get(doc.coverage, "内容（本库整理）")


def anchor(path: str) -> str:
    return f"clause-{path}"


def citation(doc: Document, path: str = "") -> str:
    clause = doc.clause(path) if path else None
    return cite(doc.title, doc.doc_no, doc.status, path, clause.heading if clause else "")


def citation_hint(doc: Document, clause: Clause) -> str:
    """What the clause page says of its citation ('' when it cites the official text as shown): for a unit
    retelling a conference, a report or a meeting, the citation list's note for that kind."""
    item = Item(doc, clause)
    if item.source:
        return item.note
    return (OFFICIAL_HINT if editorial(doc) else "") + item.note


BODY_LEVEL = 3      # the document page has h1 title, h2 正文, then the document's own headings


@dataclass
class Block:
    kind: str            # structure | clause
    level: int           # HTML heading level
    text: str            # heading as shown
    clause: Clause | None = None
    html: str = ""

    @property
    def anchor(self) -> str:
        return anchor(self.clause.path) if self.clause else ""

    @property
    def parts(self) -> tuple[str, str]:
        return title_parts(self.clause)


def _structure(clause: Clause) -> list[str]:
    """The 编/章/节 headings above a clause (its context minus its parent units)."""
    parents = clause.path.count("/") if clause.system == "policy" else 0
    return clause.context[:len(clause.context) - parents]


def blocks(doc: Document) -> list[Block]:
    out: list[Block] = []
    shown: list[str] = []
    for clause in doc.clauses:
        structure = _structure(clause)
        common = next((i for i, (a, b) in enumerate(zip(shown, structure)) if a != b), min(len(shown), len(structure)))
        for depth, heading in enumerate(structure[common:], common):
            out.append(Block("structure", min(BODY_LEVEL + depth, 6), heading))
        shown = structure
        depth = clause.path.count("/") if clause.system == "policy" else 0
        level = min(BODY_LEVEL + len(structure) + depth, 6)
        out.append(Block("clause", level, title(clause), clause, to_html(clause.text)))
    return out


# how far a clause address is read: deeper than any document's numbering, and it keeps the guesses few
MAX_SEGMENTS = 5
_NUMBER = re.compile(rf"[{CN_NUM}]+|\d+")
_ITEM = re.compile(rf"第?[（(]([{CN_NUM}]+|\d+)[）)]项?")
_POINT = re.compile(rf"{POINT_PREFIX}([{CN_NUM}]+|\d+)")


def _forms(segment: str) -> list[str]:
    """The labels one part of a clause address may mean, most likely first: 第一条, 一、, 一 and 1 may each be
    clause 一 or 第一条 (and 1 under a clause its item （一）); （二）, (二) and 第（二）项 item （二）; 要点一 the
    point 要点1."""
    text = re.sub(r"\s", "", segment).rstrip("、.．，,")
    forms = [text]
    ref = find_clause_ref(text)
    if ref and ref.span == (0, len(text)):
        forms += [f"{label}/{ref.item}" if ref.item else label for label in ref.labels]
    elif m := _ITEM.fullmatch(text):
        n = cn_to_int(m.group(1))
        # Arabic in brackets is a 点 as written, （1）; Chinese a 项, （一）
        forms += [policy_label(4 if m.group(1).isdecimal() else 2, n)] if n else []
    elif m := _POINT.fullmatch(text):
        n = cn_to_int(m.group(1))
        forms += [f"{POINT_PREFIX}{n}"] if n else []
    elif _NUMBER.fullmatch(text):
        n = cn_to_int(text)
        forms += [policy_label(1, n), law_label(n), str(n), policy_label(2, n)] if n else []
    return list(dict.fromkeys(forms))


def canonical_path(doc: Document, path: str) -> str | None:
    """The permalink path of the clause an address names the way citations and people write it
    (第一条 for 一, 第三条第（二）项 or 三、/(二) for 三/（二）), or None when no clause fits."""
    segments = [s for s in path.split("/") if s.strip()]
    if not segments or len(segments) > MAX_SEGMENTS:
        return None
    for parts in itertools.product(*(_forms(s) for s in segments)):
        candidate = "/".join(parts)
        if doc.clause(candidate) is not None:
            return candidate
    return None
