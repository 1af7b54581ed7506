"""The citation list (引用清单): references resolved to clauses, their warnings, and the reply draft.

A reference is `<doc id>/<clause path>` (`rsbf-2020-11/一`, `gan-fa-2020-5/二/（一）`) or a bare
`<doc id>`, which cites the whole document: the only way to cite one whose clauses the knowledge base
does not hold (仅目录信息). Every citation is kb.citation.cite's; nothing here formats one.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from .citation import CONFERENCE, MEETING, POINT_PREFIX, REPORT, Source, cite, clause_part, retold, url
from .library import Snapshot
from .model import Clause, Document
from .taxonomy import taxonomy

MAX_ITEMS = 50
MAX_SHOWN = 80          # characters of a bad reference repeated in a message
FULL_TEXT = "官方全文"
# the library's remarks in a cited text (kb/remarks.py), given apart from the text they were written in
REMARKS_HEADING = "编者注（本库所加，不是原文，引用时不要照抄）"
PLACEHOLDER = "……"      # where the staff member writes what the clause means for the enquirer
REPLY_NOTE = (f"“{PLACEHOLDER}”处请填写答复内容。引用按清单顺序排列，同一引用只写一次；"
              "已失效、效力未核实文件的引用保留“（已失效）”“（效力未核实）”字样；"
              "发布会、新闻报道和会议的要点不是文件的规定，写作“据……介绍”“据……报道”“……会议提出”，"
              "作为依据前请找到对应的正式文件核对。")
# how a reply names a source that is not a document's 规定 (kb.citation.retold), and why it is cited so
REPLY_LEADS = {CONFERENCE: "据{}介绍", REPORT: "据{}", MEETING: "{}提出"}
SOURCE_NOTES = {
    CONFERENCE: "这是本库根据报道整理的要点，转述的是{}上的介绍，不是官方文件的原文，因此引用发布会并注明本库摘要；",
    REPORT: "这是本库根据{}整理的要点，不是官方文件的原文，因此引用报道并注明本库摘要；",
    MEETING: "这是本库根据报道整理的{}要点：会议没有条款，这些也不是会议文件的原文，因此引用会议并注明本库摘要；",
}
CHECK_OFFICIAL = "作为依据引用前，请找到对应的正式文件核对。"
WARNINGS = {
    "已失效": "所在文件已失效，仅供查考，不宜作为现行依据引用。",
    "效力未核实": "所在文件的效力未能核实（来源没有写明是否仍然有效），引用前请向发文机关或官方渠道确认。",
    "已修改": "所在文件已被修改，请核对修改后的现行文本再引用。",
    "尚未生效": "所在文件尚未生效，生效前不宜作为现行依据引用。",
}


class CiteError(ValueError):
    """A list refused as a whole (the message is Chinese, for the user)."""


def warning(doc: Document) -> str:
    """What a reader must know about the document's validity before citing it ('' when nothing)."""
    return WARNINGS.get(doc.status, "")


@dataclass(frozen=True)
class Part:
    """One unit of a cited clause's text: the clause itself (no heading), then each unit under it."""
    heading: str
    text: str


@dataclass
class Item:
    doc: Document
    clause: Clause | None           # None: the whole document is cited

    @property
    def path(self) -> str:
        return self.clause.path if self.clause else ""

    @property
    def ref(self) -> str:
        return ref(self.doc.id, self.path)

    @property
    def citation(self) -> str:
        return cite(self.doc.title, self.doc.doc_no, self.doc.status, self.path,
                    self.clause.heading if self.clause else "")

    @property
    def source(self) -> Source | None:
        """The press conference, report or meeting the item retells (None: a document's own words)."""
        return retold(self.doc.title, self.doc.doc_no, self.path, self.clause.heading if self.clause else "")

    @property
    def heading(self) -> str:
        if self.clause is None:
            return "整份文件"
        if self.path.startswith(POINT_PREFIX):
            return f"要点：{self.clause.heading}"
        return " ".join(p for p in (clause_part(self.path), self.clause.heading) if p)

    @property
    def url(self) -> str:
        return url(self.doc.id, self.path)

    @property
    def warning(self) -> str:
        return warning(self.doc)

    @property
    def validity(self) -> str:
        reason = f"（{self.doc.status_note}）" if self.doc.status_note else ""
        return f"效力状态：{self.doc.status}{reason}。{self.warning}"

    @property
    def coverage(self) -> str:
        """The document's coverage as a sentence when it is not the full official text ('' when it is)."""
        if self.doc.coverage == FULL_TEXT:
            return ""
        return f"{self.doc.coverage}（{taxonomy().coverages.get(self.doc.coverage, '')}）"

    @property
    def note(self) -> str:
        """Why the citation names less than the item shows."""
        if self.clause is None:
            return "" if self.doc.clauses else "本库未收录这份文件的条款文本，只能引用整份文件。"
        if source := self.source:
            return SOURCE_NOTES[source.kind].format(source.name) + CHECK_OFFICIAL
        if self.path.startswith(POINT_PREFIX):
            if not self.citation.startswith("《"):
                return "这是本库整理的要点，记录的是另一份文件的措施，因此引用那份文件的文号（本库未收录其全文）。"
            return "这是本库整理的要点，官方条号未能核实，因此引用到文件。"
        return ""

    @property
    def remarks(self) -> list[str]:
        """What to weigh besides the text: validity, coverage, why the citation stops at the document."""
        lines = [self.validity]
        if self.coverage:
            lines.append(f"收录范围：{self.coverage}。{self.doc.coverage_note}".rstrip())
        return lines + ([self.note] if self.note else [])

    @property
    def parts(self) -> list[Part]:
        """The units' own words, then the library's remarks in them (编者注) as a part of their own."""
        if self.clause is None:
            return [Part("内容摘要（本库整理，不是官方文本）", self.doc.summary)] if self.doc.summary else []
        own = self.clause.path
        out = [Part("", self.clause.official_text)] if self.clause.official_text else []
        notes = list(self.clause.remarks)
        for c in self.doc.clauses:
            if c.path.startswith(own + "/"):
                # 第（一）项 within 第二条: the unit's place relative to the cited clause
                place = clause_part(c.path[len(own) + 1:])
                out.append(Part(" ".join(p for p in (place, c.heading) if p), c.official_text))
                notes += [f"{place}：{note}" for note in c.remarks]
        return out + ([Part(REMARKS_HEADING, "\n\n".join(notes))] if notes else [])

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(p for p in (part.heading, part.text) if p) for part in self.parts)

    def to_json(self) -> dict:
        d = self.doc
        return dict(ref=self.ref, doc_id=d.id, path=self.path, kind="clause" if self.clause else "document",
                    citation=self.citation, heading=self.heading, title=d.title, doc_no=d.doc_no,
                    status=d.status, warning=self.warning, coverage=d.coverage, coverage_text=self.coverage,
                    coverage_note=d.coverage_note, note=self.note, text=self.text,
                    parts=[vars(p) for p in self.parts], sources=list(d.sources), url=self.url)


def _reply_opening(item: Item) -> str:
    """根据《…》（文号）第一条的规定 for a document; 据…介绍（见…） for what a source said, not a 规定."""
    if source := item.source:
        return f"{REPLY_LEADS[source.kind].format(source.name)}（见{item.citation}）"
    return f"根据{item.citation}的规定"


def reply_lines(items: Iterable[Item]) -> list[str]:
    """根据《…》（文号）第一条的规定，……； one line per distinct citation, the last ending the sentence."""
    openings = list(dict.fromkeys(_reply_opening(item) for item in items))
    return [f"{o}，{PLACEHOLDER}{'。' if n == len(openings) - 1 else '；'}" for n, o in enumerate(openings)]


@dataclass
class CiteList:
    items: list[Item]
    problems: list[str]             # references that resolve to nothing, each named in Chinese

    @property
    def refs(self) -> list[str]:
        return [item.ref for item in self.items]

    @property
    def reply(self) -> str:
        return "\n".join(reply_lines(self.items))

    def groups(self) -> list[tuple[Document, list[Item]]]:
        """The items by document, documents in the order they first appear."""
        by_doc: dict[str, tuple[Document, list[Item]]] = {}
        for item in self.items:
            by_doc.setdefault(item.doc.id, (item.doc, []))[1].append(item)
        return list(by_doc.values())

    def to_json(self) -> dict:
        return dict(count=len(self.items), items=[i.to_json() for i in self.items], problems=self.problems,
                    reply=self.reply)


def ref(doc_id: str, path: str = "") -> str:
    return f"{doc_id}/{path}" if path else doc_id


def list_url(refs: Iterable[str], group: bool = False) -> str:
    """The list's own address (/cite?c=…); an empty list keeps `c=` so that it is not taken for no list."""
    pairs = [("c", r) for r in refs] or [("c", "")]
    return "/cite?" + urlencode(pairs + ([("group", "doc")] if group else []), safe="/")


def parse(values: Iterable[str]) -> list[str]:
    """The references of a list in order, blanks and repeats dropped; more than MAX_ITEMS is refused."""
    refs = list(dict.fromkeys(v.strip().strip("/") for v in values if v.strip().strip("/")))
    if len(refs) > MAX_ITEMS:
        raise CiteError(f"引用清单最多 {MAX_ITEMS} 条，这份有 {len(refs)} 条。请删去一些，或分成几份清单。")
    return refs


def _resolve_one(snapshot: Snapshot, reference: str) -> Item | str:
    doc_id, _, path = reference.partition("/")
    path = path.strip("/")
    doc = snapshot.document(doc_id)
    if doc is None:
        return f"知识库中没有编号为“{doc_id[:MAX_SHOWN]}”的文件，引用“{reference[:MAX_SHOWN]}”已略去。"
    if not path:
        return Item(doc, None)
    clause = doc.clause(path)
    if clause is not None:
        return Item(doc, clause)
    if not doc.clauses:
        return (f"本库没有收录《{doc.title}》的条款文本（收录范围：{doc.coverage}），引用“{reference[:MAX_SHOWN]}”"
                f"已略去；可以引用整份文件（{doc.id}）。")
    return f"《{doc.title}》中没有条款“{path[:MAX_SHOWN]}”，已略去。"


def resolve(snapshot: Snapshot, values: Iterable[str]) -> CiteList:
    """The list as given: each reference that resolves becomes an item, each that does not a problem."""
    items: dict[str, Item] = {}
    problems = []
    for reference in parse(values):
        found = _resolve_one(snapshot, reference)
        if isinstance(found, Item):
            items.setdefault(found.ref, found)     # rsbf-2020-11//一 and rsbf-2020-11/一 are one clause
        else:
            problems.append(found)
    return CiteList(list(items.values()), problems)
