"""What was in force on a date: each measure's period, as its clause or document states it and as
a held extension moves it (kb/relations.py), and its state on a day.

A clause's period is its own (the `from`/`until` of its conditions or of a unit above it), else its
document's (effective_from/effective_until). Without a recorded start a measure is taken to run
from its document's date, since nothing is in force before it is issued; without a published end
it runs until it is ended. A measure with neither is kept wherever a date is asked and marked
执行期限待确认: the library cannot tell, so it neither claims nor drops it. The matcher judges a
profile's date by the same periods (kb/match.py reads each document through `derived`), search
filters with `selection` and marks each hit with `state`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from . import relations
from .profile import parse_date

if TYPE_CHECKING:   # the checker imports the matcher, which imports this module: no search side loaded
    from .engine import Selection, Spans
    from .library import Snapshot
    from .model import Clause, Document

UNKNOWN = "执行期限待确认"


@dataclass(frozen=True)
class State:
    """A measure on one day: in force (True), not (False) or not known (None), and why, in Chinese."""
    in_force: bool | None
    label: str


@dataclass(frozen=True)
class Period:
    start: dt.date | None     # as stated (clause or document)
    end: dt.date | None       # as stated, or as a held extension moved it
    issued: dt.date | None    # the document's date, the start where none is stated
    extended_by: str = ""     # the id of the held document whose extension set `end`

    @property
    def begin(self) -> dt.date | None:
        return self.start or self.issued

    @property
    def known(self) -> bool:
        return bool(self.begin or self.end)

    def state(self, day: dt.date) -> State:
        if not self.known:
            return State(None, UNKNOWN)
        if self.begin and day < self.begin:
            since = f"自 {self.start.isoformat()} 起执行" if self.start else f"{self.issued.isoformat()} 才发布"
            return State(False, f"尚未施行（{since}）")
        if self.end and day > self.end:
            return State(False, f"已过执行期（{self.end.isoformat()} 截止）")
        if self.begin is None:
            return State(None, f"{UNKNOWN}（起始日期未记录，{self.end.isoformat()} 截止）")
        if self.extended_by:
            return State(True, f"在执行期内（经延长至 {self.end.isoformat()}）" if self.end else "在执行期内（经延长，截止日期未公布）")
        return State(True, "在执行期内" + ("" if self.end else "（截止日期未公布）"))

    def text(self) -> str:
        """2020-02-01 至 2020-12-31, 自 2020-01-01 起（截止日期未公布）, 自 2020-02-14 发文起至 2020-06-30,
        执行期限待确认."""
        if not self.known:
            return UNKNOWN
        if self.begin is None:
            return f"至 {self.end.isoformat()}（起始日期未记录）"
        if self.start is None:
            since = f"自 {self.issued.isoformat()} 发文起"
            return f"{since}至 {self.end.isoformat()}" if self.end else f"{since}（截止日期未公布）"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}" if self.end else f"自 {self.start.isoformat()} 起（截止日期未公布）"


_ISO_DAY = re.compile(r" ?\b(\d{4})-(\d{2})-(\d{2})\b ?")


def in_words(text: str) -> str:
    """A label or period with its dates as people write them (2020年6月30日), for pages that read so."""
    return _ISO_DAY.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def _date(value) -> dt.date | None:
    return parse_date(value) if value else None


def _with_until(clause: Clause, until: dt.date | None) -> Clause:
    conditions = {k: v for k, v in clause.meta["conditions"].items() if k != "until"}
    if until:
        conditions["until"] = until.isoformat()
    return replace(clause, meta={**clause.meta, "conditions": conditions})


def derived(snapshot: Snapshot, doc: Document) -> Document:
    """The document with the ends that held extensions give it: of the whole (effective_until) and
    of a clause (the `until` of its conditions: the checker allows a clause extension only where
    the clause states its own end). The written document is left as it is."""
    whole = relations.extension(snapshot, doc.id)
    extended = {c.path: e for c in doc.clauses if (e := relations.extension(snapshot, doc.id, c.path))}
    if whole is None and not extended:
        return doc
    clauses = [_with_until(c, extended[c.path].until) if c.path in extended else c for c in doc.clauses]
    return replace(doc, effective_until=whole.until if whole else doc.effective_until, clauses=clauses)


def _stated(doc: Document, clause: Clause, key: str) -> tuple[dt.date | None, Clause | None]:
    """The nearest `from` or `until` in the conditions of the clause and the units above it, and
    the unit stating it."""
    unit = clause
    while unit is not None:
        conditions = unit.meta.get("conditions")
        if isinstance(conditions, dict) and conditions.get(key):
            return _date(conditions[key]), unit
        unit = doc.clause(unit.parent) if unit.parent else None
    return None, None


def document_period(snapshot: Snapshot, doc_id: str) -> Period:
    """A document's own period from the catalog, its end moved by a held extension of the whole."""
    entry = snapshot.docs[doc_id]
    whole = relations.extension(snapshot, doc_id)
    end = whole.until if whole else _date(entry["effective_until"])
    return Period(_date(entry["effective_from"]), end, _date(entry["date"]), whole.by if whole else "")


def clause_period(snapshot: Snapshot, doc: Document, clause: Clause) -> Period:
    """A clause's period (doc as written: held extensions are applied here)."""
    whole = document_period(snapshot, doc.id)
    start = _stated(doc, clause, "from")[0] or whole.start
    end, unit = _stated(doc, clause, "until")
    if unit is None:
        return replace(whole, start=start)
    extension = relations.extension(snapshot, doc.id, unit.path)
    return Period(start, extension.until, whole.issued, extension.by) if extension else Period(start, end, whole.issued)


def span(snapshot: Snapshot, doc_id: str) -> Period:
    """From a document's start to the last day anything in it runs: its own end, or a later one a
    held extension gives one of its clauses."""
    whole = document_period(snapshot, doc_id)
    extended = [e for link in relations.links(snapshot, doc_id)
                if link.type == "延长" and link.direction == relations.IN and link.id and link.clause
                and (e := relations.extension(snapshot, doc_id, link.clause))]
    if not extended or whole.end is None:
        return whole
    latest = max(extended, key=lambda e: (e.until is None, e.until or dt.date.min))
    if latest.until is None or latest.until > whole.end:
        return replace(whole, end=latest.until, extended_by=latest.by)
    return whole


@dataclass(frozen=True)
class Validity:
    status: str
    reason: str
    derived: bool     # from a held relation rather than as written


def validity(snapshot: Snapshot, doc: Document, today: dt.date | None = None) -> Validity:
    """A document's status today and why: as written (status, status_note), unless a held document
    repeals, replaces or extends it, when the status follows that document."""
    today = today or dt.date.today()
    held = [link for link in relations.links(snapshot, doc.id) if link.direction == relations.IN and link.id]
    for link in held:
        if link.type in ("废止", "替代"):
            return Validity("已失效", link.sentence(), True)
    reach = span(snapshot, doc.id)
    if reach.extended_by:
        via = f"经《{snapshot.docs[reach.extended_by]['title']}》延长"
        if reach.end is None:
            return Validity(doc.status, f"{via}，延长后的截止日期未公布", True)
        if reach.end < today:
            return Validity("已失效", f"按执行期限 {reach.end.isoformat()} 推定已失效（{via}）", True)
        return Validity("现行有效", f"{via}至 {reach.end.isoformat()}", True)
    if doc.status == "现行有效" and (amended := next((link for link in held if link.type == "修改"), None)):
        return Validity("已修改", amended.sentence(), True)
    return Validity(doc.status, doc.status_note, False)


# ---------------------------------------------------------------- every record of a snapshot

@dataclass(frozen=True)
class _Table:
    spans: Spans              # each record's period, in the engine's index
    periods: dict[tuple[str, str], Period]    # (doc id, clause path; "" for the document) → period


@lru_cache(maxsize=2)
def _table(snapshot: Snapshot) -> _Table:
    """The period of every record of a snapshot: a document's record spans the document (span), a
    clause has its own. Clause periods are read from the documents whose clauses state conditions,
    those with support areas (the matcher reads no others), or whose clauses a held document
    extends; the clauses of every other document have their document's period."""
    doc_ids = list(snapshot.docs)
    periods = {(d, ""): span(snapshot, d) for d in doc_ids}
    whole = {d: document_period(snapshot, d) for d in doc_ids}
    for d in doc_ids:
        if snapshot.docs[d]["areas"] or any(link.clause for link in relations.links(snapshot, d)):
            doc = snapshot.document(d)
            for clause in doc.clauses:
                periods[(d, clause.path)] = clause_period(snapshot, doc, clause)
    spans = snapshot.engine().spans(
        {d: ((whole[d].begin, whole[d].end), (periods[(d, "")].begin, periods[(d, "")].end)) for d in doc_ids},
        {key: (p.begin, p.end) for key, p in periods.items() if key[1]})
    return _Table(spans, periods)


def selection(snapshot: Snapshot, day: dt.date) -> Selection:
    """The records not known to be out of force on `day` (those of unknown period are kept)."""
    return _table(snapshot).spans.covering(day)


def period(snapshot: Snapshot, doc_id: str, path: str = "") -> Period:
    """The period of a document's record (path "") or of one of its clauses."""
    table = _table(snapshot)
    if (doc_id, path) in table.periods:
        return table.periods[(doc_id, path)]
    return document_period(snapshot, doc_id)


def state(snapshot: Snapshot, doc_id: str, path: str, day: dt.date) -> State:
    return period(snapshot, doc_id, path).state(day)
