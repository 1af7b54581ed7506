"""Search: one function that the CLI, the web pages and the JSON API all call.

A query is first read for references (文号, document names, clause numbers) that open a clause
directly; the rest is searched clause by clause. A word no record holds is named to the user and
set aside (or replaced by a thesaurus synonym the index has), so one unknown word never empties
the page. Clauses holding every remaining concept come first; when too few do, clauses holding
part of them follow, ranked by how much of the question they cover, each concept weighted by how
distinctive it is. The best are then re-ranked with what the catalog knows and with where in the
clause the words stand (a heading that states the measure above a passing mention).
"""
from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from . import query as kbquery
from . import asked, periods, rank, segment, snippet, thesaurus, typos
from .citation import cite, url
from .dates import EXPECTED, parse_iso
from .engine import Index, Matches
from .filters import BY_KEY, FILTERS, choices
from .library import Library, Snapshot
from .limits import DEFAULT, Limits
from .refs import find_clause_ref, find_doc_numbers, same_number
from .taxonomy import taxonomy

MAX_PAGE = 1000          # a page number past it is a malformed request (what is reachable: Limits.max_results)
MAX_LIMIT = DEFAULT.max_limit
THESAURUS_MAX = 4        # thesaurus synonyms tried for a word the index lacks
SUGGESTIONS = 6          # similar index words offered when nothing matched


class SearchError(ValueError):
    """A request that cannot be searched as given; the message is for the user."""


@dataclass
class Hit:
    doc_id: str
    title: str
    doc_no: str
    date: str
    source: str
    clause: str
    path: str
    heading: str
    areas: list[str]
    score: float
    citation: str
    snippet: str
    url: str
    status: str
    coverage: str
    level: str
    match: str = "text"      # text | citation | document
    # on the date asked (as_of): in its period (True), outside it (False: only a clause named in the
    # query, which is opened whatever its period), or of a period not recorded (None); and in Chinese
    in_force: bool | None = None
    in_force_label: str = ""


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    expanded: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    relaxed: bool = False
    missing: list[str] = field(default_factory=list)       # typed words no record holds (未找到)
    suggestions: list[str] = field(default_factory=list)   # index words like them, when nothing matched
    suggested_area: str = ""                               # the support area nearest an unanswered query
    truncated: bool = False
    lookup: str = ""          # url of the clause or document a reference query names
    notices: list[str] = field(default_factory=list)   # what the user should know about the answer
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    as_of: str = ""           # the date whose measures in force were asked for (YYYY-MM-DD)

    def to_json(self) -> dict:
        # asdict would deep-copy every string of every hit: the values are plain already
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["hits"] = [dict(vars(hit)) for hit in self.hits]
        return out


def _hit(snapshot: Snapshot, doc_id: str, path: str, label: str, heading: str, text: str, areas: list[str],
         score: float, words: list[str], match: str) -> Hit:
    d = snapshot.docs[doc_id]
    return Hit(doc_id=doc_id, title=d["title"], doc_no=d["doc_no"], date=d["date"],
               source=(d["sources"] or [""])[0], clause=label, path=path, heading=heading, areas=areas,
               score=round(score, 4), citation=cite(d["title"], d["doc_no"], d["status"], path, heading),
               snippet=snippet.make(text, words), url=url(doc_id, path), status=d["status"],
               coverage=d["coverage"], level=d["level"], match=match)


def _text_hit(snapshot: Snapshot, score: float, f: dict, words: list[str]) -> Hit:
    return _hit(snapshot, f["doc_id"], f["path"], f["label"], f["heading"], f["text"],
                [a for a in (f.get("areas") or "").split(",") if a], score, words,
                "document" if f["kind"] == "doc" else "text")


@lru_cache(maxsize=2)
def _numbered(snapshot: Snapshot) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """(year, number) → [(doc id, 文号 key)]: a typed 文号 is looked up, not compared with every document."""
    out: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for doc_id, d in snapshot.docs.items():
        if d["doc_no_key"]:
            _, year, number = d["doc_no_key"].split("|")
            out[(int(year), int(number))].append((doc_id, d["doc_no_key"]))
    return out


def _referenced(snapshot: Snapshot, text: str) -> tuple[list[tuple[str, str]], str, set[str], list[str]]:
    """Clauses or documents a query names: ([(doc_id, path)], text left over, doc ids named, notices
    about named clauses the knowledge base does not hold)."""
    notices: list[str] = []
    named: list[str] = []
    rest = text
    for number in find_doc_numbers(text):
        ids = [i for i, key in _numbered(snapshot).get((number.year, number.number), ()) if same_number(number, key)]
        if ids:
            named.extend(ids)
            rest = rest.replace(text[number.span[0]:number.span[1]], " ")
    for start, end, name in snapshot.names_in(rest):
        position = rest.find(name)
        if position < 0:
            continue
        follows = rest[position + len(name):].strip()
        # a short name (such as 13条) names a document only when it stands alone or a clause number follows
        if len(name) >= 4 or not follows or follows.startswith("第"):
            named.extend(i for i in snapshot.names[name] if i not in named)
            rest = rest[:position] + " " + rest[position + len(name):]
    targets: list[tuple[str, str]] = []
    clause_ref = find_clause_ref(rest) if named else None
    if clause_ref:
        rest = rest[:clause_ref.span[0]] + " " + rest[clause_ref.span[1]:]
        for doc_id in sorted(named, key=lambda i: (i in snapshot.latest, snapshot.docs[i]["date"]), reverse=True):
            doc = snapshot.document(doc_id)
            for label in clause_ref.labels:
                path = label + (f"/{clause_ref.item}" if clause_ref.item else "")
                if doc.clause(path):
                    targets.append((doc_id, path))
                    break
            else:
                if doc.coverage != "官方全文":
                    # the clause exists in the official text but not here: say so, and open the record
                    targets.append((doc_id, ""))
                    notices.append(f"《{doc.title}》在本库中的收录范围为“{doc.coverage}”，"
                                   f"{clause_ref.labels[0]}的条文未能收录；以下是该文件的记录。")
    elif named and not rest.strip():
        targets = [(i, "") for i in sorted(named, key=lambda i: (i in snapshot.latest, snapshot.docs[i]["date"]), reverse=True)]
    return targets, rest, set(named), notices


def normalise_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Filters as the engine takes them: known keys, known values (a support area also by its slug)."""
    out: dict[str, list[str]] = {}
    tax = taxonomy()
    for key, values in (filters or {}).items():
        f = BY_KEY.get(key)
        if f is None:
            raise SearchError(f"未知的筛选条件“{key}”，可用：{'、'.join(x.key for x in FILTERS)}")
        values = [v for v in values if v]
        if key == "area":
            values = [a.name if (a := tax.area_by_name_or_slug(v)) else v for v in values]
        if f.bound:
            values = _bound(f, values)
        allowed = choices(f)
        for v in values:
            if allowed and v not in allowed:
                raise SearchError(f"未知的{f.title}“{v}”，可选：{'、'.join(allowed)}")
        if values:
            out[key] = values
    return out


def _bound(f, values: list[str]) -> list[str]:
    """A date range's end as the engine compares it: one day, YYYY-MM-DD."""
    if len(values) > 1:
        raise SearchError(f"{f.title}只能有一个日期，收到 {len(values)} 个")
    days = [parse_iso(v) for v in values]
    for v, day in zip(values, days):
        if day is None:
            raise SearchError(f"{f.title}“{v[:20]}”无法识别，请写成 {EXPECTED}")
    return [day.isoformat() for day in days]


def search(library: Library, q: str, filters: dict[str, list[str]] | None = None, limit: int = 10,
           page: int = 1, sort: str = "relevance", facets: bool = False, limits: Limits | None = None,
           as_of: dt.date | None = None) -> SearchResult:
    """One page of results for q. limits, when given, stand for the library's settings' (a web app's
    SEARCH_LIMITS)."""
    limits = limits or library.settings.limits
    if not 1 <= limit <= limits.max_limit:
        raise SearchError(f"每页条数应在 1 到 {limits.max_limit} 之间")
    if not 1 <= page <= MAX_PAGE:
        raise SearchError(f"页码应在 1 到 {MAX_PAGE} 之间")
    if sort not in ("relevance", "date"):
        raise SearchError("排序方式只能是 relevance（相关度）或 date（日期）")
    filters = normalise_filters(filters)
    budget = _Budget(limits)
    snapshot = library.current()
    parsed = kbquery.parse(q)
    result = SearchResult(query=q or "", total=0, hits=[], page=page, limit=limit,
                          expanded=parsed.expansions, ignored=parsed.dropped, truncated=parsed.truncated,
                          filters=filters, sort=sort, as_of=as_of.isoformat() if as_of else "")
    targets, rest, named, result.notices = _referenced(snapshot, parsed.text)
    if targets:
        parsed = kbquery.parse(rest)
    words = parsed.highlight_words()
    lookup_hits = []
    for doc_id, path in targets:
        doc = snapshot.document(doc_id)
        clause = doc.clause(path) if path else None
        if clause:
            lookup_hits.append(_hit(snapshot, doc_id, path, clause.label, clause.display_heading, clause.text,
                                    clause.areas, 0.0, words, "citation"))
        else:
            lookup_hits.append(_hit(snapshot, doc_id, "", "", doc.title, doc.summary or doc.preamble or doc.coverage_note,
                                    snapshot.docs[doc_id]["areas"], 0.0, words, "document"))
    if targets and not parsed.concepts and not result.notices:
        result.lookup = lookup_hits[0].url
    rows: list[tuple[float, dict]] = []      # text matches, made into hits only for the page shown
    reachable = min(page * limit, limits.max_results)
    if parsed.concepts:
        engine = snapshot.engine()
        parsed, result.missing, unsearched = _understood(parsed, engine, limits.max_concepts)
        # the clauses whose recorded questions are nearest the query are weighed even when their text
        # shares no word with it (kb/asked.py); found before the clock starts, since the questions and
        # their clauses are read once a process (about a second), not for every query
        also = [n for key in asked.nearest(asked.pairs(parsed.text)) for n in snapshot.asked_records.get(key, ())] \
            if sort == "relevance" and parsed.concepts else []
        budget.start()
        if unsearched:
            result.ignored = [*result.ignored, *unsearched]
            budget.notices.append(f"问题较长，只按其中最有区分度的 {limits.max_concepts} 个词检索；"
                                  f"未参与检索：{'、'.join(unsearched)}。")
        result.expanded = parsed.expansions
        words = parsed.highlight_words()
        if not parsed.concepts and not lookup_hits:
            result.suggestions = _similar_words(snapshot, result.missing)
            result.suggested_area = _nearest_area(parsed.text)
    if parsed.concepts:
        matched = engine.match(parsed, filters, max(limits.rerank_depth, reachable), sort,
                               periods.selection(snapshot, as_of) if as_of else None, facets,
                               lambda c, best: _in_order(snapshot, c, best, budget), also, limits.rerank_depth)
        rows = _ranked(snapshot, parsed, matched, sort, named, limits.rerank_depth, budget)
        result.total, result.relaxed, result.facets = matched.total, matched.relaxed, matched.facets
        seen = {(x.doc_id, x.path) for x in lookup_hits}
        rows = [(score, f) for score, f in rows if (f["doc_id"], f["path"]) not in seen]
    shown = len(lookup_hits) + len(rows)
    result.total = max(result.total, shown) if not rows else result.total + len(lookup_hits)
    start = (page - 1) * limit
    if page * limit > limits.max_results and result.total > limits.max_results:
        budget.notices.append(f"只能翻看前 {limits.max_results} 条结果；请加上筛选条件或换用更具体的词语。")
    result.hits = [x if isinstance(x, Hit) else _text_hit(snapshot, *x, words)
                   for x in [*lookup_hits, *rows][start:min(start + limit, limits.max_results)]]
    result.notices.extend(budget.notices)
    if as_of:
        result.notices.append(f"只列出 {as_of.isoformat()} 在执行期内的条款；执行期限本库未记录的条款照常列出，"
                              f"注明“{periods.UNKNOWN}”。")
        for hit in result.hits:
            state = periods.state(snapshot, hit.doc_id, hit.path, as_of)
            hit.in_force, hit.in_force_label = state.in_force, state.label
    return result


class _Budget:
    """One query's share of the limits: its deadline, and what it had to leave out."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = float("inf")
        self.notices: list[str] = []
        self.phrase_checks = limits.max_phrase_checks     # records a query's quoted phrases may read, all together

    def start(self) -> None:
        """The clock starts once the query is understood: what a process loads once (dictionaries,
        the thesaurus) is not a query's cost, and must not make its answer depend on the machine."""
        self.deadline = time.monotonic() + self.limits.time_limit

    def spent(self) -> bool:
        if time.monotonic() < self.deadline:
            return False
        notice = f"检索用时超过 {self.limits.time_limit:g} 秒，以下是到那时为止找到的最佳结果。"
        if notice not in self.notices:
            self.notices.append(notice)
        return True


def _ranked(snapshot: Snapshot, parsed: kbquery.ParsedQuery, matched: Matches, sort: str,
            named: set[str], depth: int, budget: _Budget) -> list[tuple[float, dict]]:
    """The best matches as (score, stored fields): the first `depth` and the records the recorded
    questions bring (matched.also) re-ranked by what the catalog knows and where their words stand,
    the rest (deeper pages, or all once time is up) in the engine's order after them. What is
    re-ranked does not depend on how many results a page asks for, so pages follow one order."""
    if sort != "relevance":
        return [(score, snapshot.record(n)) for n, score in zip(matched.ids, matched.scores)]
    brought = set(matched.also)
    head = [*zip(matched.ids[:depth], matched.scores[:depth]), *((n, matched.also_score) for n in matched.also)]
    tail = [(n, score) for n, score in zip(matched.ids[depth:], matched.scores[depth:]) if n not in brought]
    ranked, rest = [], []
    for i, (n, score) in enumerate(head):
        f = snapshot.record(n)
        if not rest and not (i % 8 == 0 and budget.spent()):
            ranked.append((score * rank.prior(snapshot, f["doc_id"], f["kind"], named) * rank.fit(snapshot, parsed, matched.weights, n), f))
        else:
            rest.append((score, f))
    ranked.sort(key=lambda t: -t[0])
    return ranked + rest + [(score, snapshot.record(n)) for n, score in tail]


def _in_order(snapshot: Snapshot, concept: kbquery.Concept, best, budget: _Budget) -> list[int] | None:
    """A quoted phrase's records (best(n): the n best scored of those holding its words), kept only
    where its words stand together as typed: the index holds words, not their order, so the records
    holding all of them are read and checked, the best scored first: at most
    limits.max_phrase_checks for all the query's phrases together, within the time limit (a phrase
    not checked in a record does not count as found there). None: a phrase of one word, kept as found."""
    if not (concept.phrase and " " in concept.word):
        return None
    pattern = kbquery.in_order(tuple(concept.word.split(" ")))
    allowance = budget.phrase_checks
    checked = []
    for i, n in enumerate(best(allowance + 1)):
        if i == allowance or i % 64 == 0 and budget.spent():
            budget.notices.append(f"带引号的短语“{concept.word.replace(' ', '')}”只在得分最高的 {i} 条中核对了词序。")
            break
        if pattern.search(snapshot.record_text(n)[0].replace(" ", "")):
            checked.append(n)
        budget.phrase_checks -= 1
    return checked


def _understood(parsed: kbquery.ParsedQuery, engine: Index, most: int) -> tuple[kbquery.ParsedQuery, list[str], list[str]]:
    """The query as the index can answer it, the typed words no record holds, and the words left
    out of a long question (all but its `most` weightiest). A word no record holds is set aside and
    named to the user; when that leaves nothing, such words take the thesaurus synonyms that records
    hold (晚点 → 逾期): a general thesaurus knows no policy or law, so it only stands in for an empty page
    (measured: bench/eval/README.md). A word no record holds that is a typing slip (社宝) is searched
    as the word meant (社保) as well."""
    kept, absent = [], []
    for c in parsed.concepts:
        c = typos.corrected(c, engine) or c
        if engine.holds(c):
            kept.append(c)
        elif inner := _inner_words(c, engine):      # held: its inner words are
            kept.append(inner)
        else:
            absent.append(c)
    if not kept:
        for c in absent:
            weak = [] if c.phrase else [w for w in thesaurus.of(c.word) if engine.holds(kbquery.Concept(w))][:THESAURUS_MAX]
            if weak:
                kept.append(replace(c, weak=weak))
    missing = [c.word.replace(" ", "") for c in absent if c.required and all(k.word != c.word for k in kept)]
    left_out: list[str] = []
    if len(kept) > most:
        best = set(map(id, sorted(kept, key=lambda c: -engine.rough_weight(c))[:most]))
        left_out = [c.word.replace(" ", "") for c in kept if id(c) not in best]
        kept = [c for c in kept if id(c) in best]
    return replace(parsed, concepts=kept), missing, left_out


def _inner_words(concept: kbquery.Concept, engine: Index) -> kbquery.Concept | None:
    """A word no record holds, searched as the shorter dictionary words inside it that records do
    hold (喝醉酒 → 醉酒, 无缘无故 → 无故), weighed as a thesaurus synonym is; None when it has none."""
    if concept.phrase or concept.tags or len(concept.word) < 3:
        return None
    inner = [w for w in segment.search_words(concept.word) if 1 < len(w) < len(concept.word)
             and engine.holds(kbquery.Concept(w))]
    return replace(concept, weak=inner) if inner else None


def _similar_words(snapshot: Snapshot, words: list[str]) -> list[str]:
    """Index words sharing a first character with the words not found, the commonest first: what
    the library does say (打折 → 折扣)."""
    found: dict[str, int] = {}
    for ch in dict.fromkeys("".join(words)):
        if not ("\u4e00" <= ch <= "\u9fff"):
            continue
        for term, frequency in snapshot.engine().words_starting(ch).items():
            if len(term) > 1 and term not in found:
                found[term] = frequency
    return sorted(found, key=lambda w: -found[w])[:SUGGESTIONS]


def _nearest_area(text: str) -> str:
    """The support area whose name, everyday names or description share most characters with the
    query ("" when none shares any)."""
    chars = {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}
    best, best_score = "", 0
    for area in taxonomy().areas:
        score = len(chars & set(area.name + "".join(area.words) + area.description))
        if score > best_score:
            best, best_score = area.name, score
    return best
