"""A document laid out for reading: structure headings, anchored clauses, table of contents."""
from __future__ import annotations

from dataclasses import dataclass

from kb.citation import cite
from kb.model import Clause, Document

from .render import to_html


def label_as_written(clause: Clause) -> str:
    """一 → 一、, 2 → 2. (how the unit is numbered in the text); other labels unchanged."""
    if clause.system == "policy" and clause.level in (1, 3):
        return clause.label + ("、" if clause.level == 1 else ".")
    return clause.label


def title(clause: Clause) -> str:
    """三、运输…, （一） 免征…, 第八十二条: the unit's label as written followed by its heading."""
    label = label_as_written(clause)
    gap = "" if label.endswith("、") or not clause.heading else " "
    return f"{label}{gap}{clause.heading}".strip()


def anchor(path: str) -> str:
    return f"clause-{path}"


def citation(doc: Document, path: str = "") -> str:
    return cite(doc.title, doc.doc_no, doc.status, path)


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
