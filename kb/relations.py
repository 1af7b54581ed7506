"""Relations between documents (依据, 延长, 修改, 废止, 替代) across the library.

Each relation is written once, in the front matter of the document that acts (kb/schema.py,
`relations`), or, when that document is not held, in the one acted on (被延长: 人社部发〔2020〕49号).
Here they are read both ways: each document's page names what it rests on, extends or replaces
and what rests on, extends or replaces it. The catalog holds every document's relations, so no
document file is opened for this. An extension held in the library also moves the extended
measure's end (kb/periods.py reads it from here); one that is not held changes nothing, since its
terms are not known.

The checker's cross-file rules are here too: an id the library does not hold, a clause the
document does not have, an extension of a clause without an end of its own, and cycles.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Container, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .citation import clause_part
from .schema import Relation

if TYPE_CHECKING:   # the checker imports this module: it does not load the search side (library, engine)
    from .library import Snapshot
    from .model import Document

OUT, IN = "out", "in"     # this document acts on the other; the other acts on this one
# what a page says of a relation, from each side: {other} is the other document as cited
SAYS = {
    "依据": ("依据{other}", "{other}以本文件为依据"),
    "延长": ("延长{other}的执行期限", "被{other}延长"),
    "修改": ("修改{other}", "被{other}修改"),
    "废止": ("废止{other}", "被{other}废止"),
    "替代": ("替代{other}", "被{other}替代"),
}


@dataclass(frozen=True)
class Link:
    """A relation as one of its two documents sees it."""
    type: str
    direction: str        # OUT or IN
    id: str               # the other document, when held ("" when not)
    title: str            # its title (the catalog's when held; "" when the writer did not know it)
    doc_no: str
    clause: str = ""      # the clause of the document acted on that the relation concerns ("" for all of it)

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def other(self) -> str:
        """The other document as a sentence names it: 《标题》（文号）, or the 文号 alone."""
        if not self.title:
            return self.doc_no
        return f"《{self.title}》" + (f"（{self.doc_no}）" if self.doc_no else "")

    def sentence(self, until: dt.date | None = None, clause_name: str = "") -> str:
        """被《…》延长至 2020-12-31, 依据《…》: `until` is where an extension ends, `clause_name` the
        measure it concerns (on the side acted on, it comes first; on the other, after the document)."""
        out, incoming = SAYS[self.type]
        if self.direction == OUT:
            text = out.format(other=self.other + _named(clause_name))
        else:
            text = _named(clause_name) + incoming.format(other=self.other)
        if self.type == "延长" and until:
            text += f"至 {until.isoformat()}"
        return text


def _named(clause_name: str) -> str:
    """第一条 as it is, a heading in quotes: “电费按原到户电价95%结算”."""
    return clause_name if clause_name.startswith("第") or not clause_name else f"“{clause_name}”"


def _written(entry: dict) -> list[Relation]:
    # a catalog entry of a build made before relations were declared has none: the checker then
    # refused the field, so the file it was built from held none either
    return [Relation(**r) for r in entry.get("relations", [])]


@lru_cache(maxsize=2)
def _links(snapshot: Snapshot) -> dict[str, list[Link]]:
    out: dict[str, list[Link]] = defaultdict(list)
    docs = snapshot.docs
    for doc_id, entry in docs.items():
        for r in _written(entry):
            if r.incoming:
                out[doc_id].append(Link(r.type, IN, "", r.title, r.doc_no))
            elif r.id in docs:
                target = docs[r.id]
                out[doc_id].append(Link(r.type, OUT, r.id, target["title"], target["doc_no"], r.path))
                out[r.id].append(Link(r.type, IN, doc_id, entry["title"], entry["doc_no"], r.path))
            else:
                out[doc_id].append(Link(r.type, OUT, "", r.title, r.doc_no, r.path))
    return dict(out)


def links(snapshot: Snapshot, doc_id: str) -> list[Link]:
    """Every relation of a document, both ways, in the order written."""
    return _links(snapshot).get(doc_id, [])


@dataclass(frozen=True)
class Extension:
    """Where a held extension moves a measure's end."""
    by: str                   # the id of the extending document (the latest ending, if several)
    until: dt.date | None     # its end (None: it published none)


def _end(snapshot: Snapshot, doc_id: str, seen: frozenset[str]) -> dt.date | None:
    """A document's end of term, itself moved by a held extension of it."""
    extended = _extension(snapshot, doc_id, "", seen)
    if extended:
        return extended.until
    written = snapshot.docs[doc_id]["effective_until"]
    return dt.date.fromisoformat(written) if written else None


def _extension(snapshot: Snapshot, doc_id: str, path: str, seen: frozenset[str]) -> Extension | None:
    found = [(link.id, _end(snapshot, link.id, seen | {doc_id}))
             for link in links(snapshot, doc_id)
             if link.type == "延长" and link.direction == IN and link.id and link.clause == path
             and link.id not in seen]
    if not found:
        return None
    # an extension without an end of its own runs on until it is ended: it outlasts any dated one
    by, until = max(found, key=lambda f: (f[1] is None, f[1] or dt.date.min))
    return Extension(by, until)


def extension(snapshot: Snapshot, doc_id: str, path: str = "") -> Extension | None:
    """The held extension of a whole document (path "") or of one of its clauses, if any."""
    return _extension(snapshot, doc_id, path, frozenset())


def described(snapshot: Snapshot, doc_id: str) -> list[tuple[Link, str]]:
    """Each relation of a document with the sentence its page shows (被《…》延长至 2020-12-31): an
    extension between held documents ends where the extending one does; the clause concerned is
    named by its number, or by its heading where it has none (要点)."""
    out = []
    for link in links(snapshot, doc_id):
        extender = doc_id if link.direction == OUT else link.id
        until = _end(snapshot, extender, frozenset()) if link.type == "延长" and link.id else None
        acted_on = link.id if link.direction == OUT else doc_id
        name = ""
        if link.clause and acted_on:
            unit = snapshot.document(acted_on).clause(link.clause)
            name = clause_part(unit.path) or unit.display_heading
        out.append((link, link.sentence(until, name)))
    return out


# ---------------------------------------------------------------- the checker's cross-file rules

def _own_end(doc: Document, path: str) -> bool:
    """Whether the clause at path states an end of its own (the `until` of its conditions)."""
    conditions = doc.clause(path).meta.get("conditions")
    return isinstance(conditions, dict) and bool(conditions.get("until"))


def _cycle(start: str, kind: str, held: Callable[[str], Document | None]) -> list[str]:
    """The ids around a cycle of one type of relation through `start` ([] when there is none)."""
    path, stack = [start], [iter(_targets(held(start), kind))]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            path.pop()
            continue
        if nxt == start:
            return path + [start]
        if nxt in path or held(nxt) is None:
            continue
        path.append(nxt)
        stack.append(iter(_targets(held(nxt), kind)))
    return []


def _targets(doc: Document | None, kind: str) -> list[str]:
    return [r.id for r in doc.relations if r.type == kind and r.id] if doc else []


def problems(docs: list[Document], held: Callable[[str], Document | None],
             broken: Container[str] = frozenset()) -> Iterator[tuple[Document, str]]:
    """(document, message) for each relation of `docs` the library cannot bear out: held(id) is a
    document of the library, or None when it holds none of that id; `broken` are ids the library
    has in files with problems of their own (held() may find more), whose relations are not judged."""
    for doc in docs:
        for r in doc.relations:
            if not r.id:
                continue
            target = held(r.id)
            if r.id in broken:
                continue
            if target is None:
                yield doc, f"关系“{r.type}”指向的文件 {r.id} 不在本库中（未收录的文件请写《标题》（文号））"
            elif r.path and target.clause(r.path) is None:
                yield doc, f"关系“{r.type}”指向的条款 {r.id}/{r.path} 不存在：《{target.title}》中没有条款“{r.path}”"
            elif r.path and r.type == "延长" and not _own_end(target, r.path):
                yield doc, (f"关系“延长”指向的条款 {r.id}/{r.path} 没有自己的截止日期（conditions 中的 until），"
                            f"它的执行期限就是整份文件的：请只写文件 id {r.id}")
        for kind in dict.fromkeys(r.type for r in doc.relations if r.id):
            ring = _cycle(doc.id, kind, held)
            if ring:
                yield doc, f"关系“{kind}”成环：{' → '.join(ring)}（一份文件不能经由其他文件{kind}自身）"
