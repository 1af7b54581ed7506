"""Search: one function that the CLI, the web pages and the JSON API all call.

A query is first read for references (文号, document names, clause numbers) that open a clause
directly; the rest is searched clause by clause with every concept required (relaxed to any
concept when nothing has them all), then re-ranked with what the catalog knows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

import numpy as np

from . import query as kbquery
from . import snippet
from .citation import cite, url
from .library import Build, Library
from .refs import find_clause_ref, find_doc_numbers, same_number
from .taxonomy import taxonomy

MAX_LIMIT = 100
MAX_PAGE = 1000
RERANK_DEPTH = 60
LOCAL_LAW, HOME_REGION = "地方性法规", ("甘肃", "嘉峪关")   # the product serves 嘉峪关 enterprises
# interpretations and cases explain a rule: the rule's own clause first when both answer
EXPLAINING = {"司法解释": 0.9, "案例": 0.8}
COMMON_SHARE = 0.01       # of all records: a word this common is not searched alone
PROXIMITY = 0.3          # at most +30% for query words side by side
FILTERS = ("area", "level", "issuer", "enterprise", "status", "coverage", "type")
FACET_FIELDS = ("areas", "level", "issuer", "enterprise", "status")


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
    truncated: bool = False
    lookup: str = ""          # url of the clause or document a reference query names
    notices: list[str] = field(default_factory=list)   # what the user should know about the answer
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"

    def to_json(self) -> dict:
        return asdict(self)


def _hit(build: Build, doc_id: str, path: str, label: str, heading: str, text: str, areas: list[str],
         score: float, words: list[str], match: str) -> Hit:
    d = build.docs[doc_id]
    return Hit(doc_id=doc_id, title=d["title"], doc_no=d["doc_no"], date=d["date"],
               source=(d["sources"] or [""])[0], clause=label, path=path, heading=heading, areas=areas,
               score=round(score, 4), citation=cite(d["title"], d["doc_no"], d["status"], path),
               snippet=snippet.make(text, words), url=url(doc_id, path), status=d["status"],
               coverage=d["coverage"], level=d["level"], match=match)


def _text_hit(build: Build, score: float, f: dict, words: list[str]) -> Hit:
    return _hit(build, f["doc_id"], f["path"], f["label"], f["heading"], f["text"],
                [a for a in (f.get("areas") or "").split(",") if a], score, words,
                "document" if f["kind"] == "doc" else "text")


@lru_cache(maxsize=2)
def _numbered(build: Build) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """(year, number) → [(doc id, 文号 key)]: a typed 文号 is looked up, not compared with every document."""
    out: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for doc_id, d in build.docs.items():
        if d["doc_no_key"]:
            _, year, number = d["doc_no_key"].split("|")
            out[(int(year), int(number))].append((doc_id, d["doc_no_key"]))
    return out


def _referenced(build: Build, text: str) -> tuple[list[tuple[str, str]], str, set[str], list[str]]:
    """Clauses or documents a query names: ([(doc_id, path)], text left over, doc ids named, notices
    about named clauses the knowledge base does not hold)."""
    notices: list[str] = []
    named: list[str] = []
    rest = text
    for number in find_doc_numbers(text):
        ids = [i for i, key in _numbered(build).get((number.year, number.number), ()) if same_number(number, key)]
        if ids:
            named.extend(ids)
            rest = rest.replace(text[number.span[0]:number.span[1]], " ")
    for start, end, name in build.names_in(rest):
        position = rest.find(name)
        if position < 0:
            continue
        follows = rest[position + len(name):].strip()
        # a short name (such as 13条) names a document only when it stands alone or a clause number follows
        if len(name) >= 4 or not follows or follows.startswith("第"):
            named.extend(i for i in build.names[name] if i not in named)
            rest = rest[:position] + " " + rest[position + len(name):]
    targets: list[tuple[str, str]] = []
    clause_ref = find_clause_ref(rest) if named else None
    if clause_ref:
        rest = rest[:clause_ref.span[0]] + " " + rest[clause_ref.span[1]:]
        for doc_id in sorted(named, key=lambda i: (i in build.latest, build.docs[i]["date"]), reverse=True):
            doc = build.document(doc_id)
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
        targets = [(i, "") for i in sorted(named, key=lambda i: (i in build.latest, build.docs[i]["date"]), reverse=True)]
    return targets, rest, set(named), notices


def normalise_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    tax = taxonomy()
    for key, values in (filters or {}).items():
        if key not in FILTERS:
            raise SearchError(f"未知的筛选条件“{key}”")
        values = [v for v in values if v]
        if key == "area":
            areas = []
            for v in values:
                area = tax.area_by_name_or_slug(v)
                if area is None:
                    raise SearchError(f"未知的支持领域“{v}”，可选：{'、'.join(tax.area_names)}")
                areas.append(area.name)
            values = areas
        if values:
            out[key] = values
    return out


def search(library: Library, q: str, filters: dict[str, list[str]] | None = None, limit: int = 10,
           page: int = 1, sort: str = "relevance", facets: bool = False) -> SearchResult:
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"每页条数应在 1 到 {MAX_LIMIT} 之间")
    if not 1 <= page <= MAX_PAGE:
        raise SearchError(f"页码应在 1 到 {MAX_PAGE} 之间")
    if sort not in ("relevance", "date"):
        raise SearchError("排序方式只能是 relevance（相关度）或 date（日期）")
    filters = normalise_filters(filters)
    build = library.build()
    parsed = kbquery.parse(q)
    result = SearchResult(query=q or "", total=0, hits=[], page=page, limit=limit,
                          expanded=parsed.expansions, ignored=parsed.dropped, truncated=parsed.truncated,
                          filters=filters, sort=sort)
    targets, rest, named, result.notices = _referenced(build, parsed.text)
    if targets:
        parsed = kbquery.parse(rest)
    words = parsed.highlight_words()
    lookup_hits = []
    for doc_id, path in targets:
        doc = build.document(doc_id)
        clause = doc.clause(path) if path else None
        if clause:
            lookup_hits.append(_hit(build, doc_id, path, clause.label, clause.display_heading, clause.text,
                                    clause.areas, 0.0, words, "citation"))
        else:
            lookup_hits.append(_hit(build, doc_id, "", "", doc.title, doc.summary or doc.preamble or doc.coverage_note,
                                    build.docs[doc_id]["areas"], 0.0, words, "document"))
    if targets and not parsed.concepts and not result.notices:
        result.lookup = lookup_hits[0].url
    rows: list[tuple[float, dict]] = []      # text matches, made into hits only for the page shown
    if parsed.concepts:
        engine = build.engine()
        allowed = engine.allowed(filters)
        depth = max(RERANK_DEPTH, page * limit)
        by_date = engine.dates() if sort == "date" else None
        matched = _verified(build, parsed, engine.match(parsed, True, allowed))
        best = matched.top(depth, by_date)
        counted = matched
        if len(best) < depth and len(parsed.concepts) > 1:
            # too few clauses have every concept: those missing one follow, scored by what they have
            wider = _verified(build, parsed, engine.match(_distinctive(parsed, engine), False, allowed))
            result.relaxed = not len(best) and wider.count > 0
            have = set(best.tolist())
            extra = wider.top(depth, by_date)
            best = np.concatenate([best, [i for i in extra if i not in have]]).astype(np.int64)
            counted = wider
        result.total = max(counted.count, len(best))
        if facets:
            result.facets = engine.facets(counted.mask | matched.mask, FACET_FIELDS)
        scored = []
        for n in best.tolist():
            f = build.record(n)
            score = float(matched.score[n] if matched.mask[n] else counted.score[n])
            if sort == "relevance":
                score *= _prior(build, f["doc_id"], f["kind"], named) * _fit(build, parsed, n)
            scored.append((score, f))
        if sort == "relevance":
            scored.sort(key=lambda t: -t[0])
        seen = {(x.doc_id, x.path) for x in lookup_hits}
        rows = [(score, f) for score, f in scored if (f["doc_id"], f["path"]) not in seen]
    shown = len(lookup_hits) + len(rows)
    result.total = max(result.total, shown) if not rows else result.total + len(lookup_hits)
    start = (page - 1) * limit
    result.hits = [x if isinstance(x, Hit) else _text_hit(build, *x, words)
                   for x in [*lookup_hits, *rows][start:start + limit]]
    return result


def _verified(build: Build, parsed: kbquery.ParsedQuery, matched):
    """Quoted phrases kept only where their words stand together as typed: the index holds words,
    not their order, so the records holding all of a phrase's words are read and checked."""
    phrases = [kbquery.in_order(tuple(c.word.split(" "))) for c in parsed.concepts if c.phrase and " " in c.word]
    if matched is None or not phrases:
        return matched
    for n in np.flatnonzero(matched.mask).tolist():
        where = build.record_text(n)[0].replace(" ", "")
        if not all(p.search(where) for p in phrases):
            matched.mask[n] = False
    return matched


def _distinctive(parsed: kbquery.ParsedQuery, engine) -> kbquery.ParsedQuery:
    """The concepts worth looking for one by one: a word in a large share of all clauses (管理, 企业)
    would pull in most of the catalog, to be scored one by one, and rank none of it; _fit counts it."""
    common = engine.count * COMMON_SHARE
    counts = {c.word: engine.concept_frequency(c) for c in parsed.concepts}
    keep = [c for c in parsed.concepts if counts[c.word] <= common] or [min(parsed.concepts, key=lambda c: counts[c.word])]
    return replace(parsed, concepts=keep)


def _fit(build: Build, parsed: kbquery.ParsedQuery, docnum: int) -> float:
    """How fully and how closely a hit holds the query: the share of required concepts it has
    (squared, so a clause missing one ranks below those with all), and their nearness in the text."""
    required = [c for c in parsed.concepts if c.required] or parsed.concepts
    where, text = build.record_text(docnum)
    found = [form for c in required for form in [c.found_in(where)] if form]
    fit = (len(found) / len(required)) ** 2
    in_text = [form for form in found if form in text]
    if len(in_text) > 1:
        fit *= 1 + PROXIMITY * sum(map(len, in_text)) / _window(text, in_text)
    return fit


def _window(text: str, forms: list[str]) -> int:
    """Characters of the shortest stretch of text that holds every form (each at least once)."""
    spots = []
    for i, form in enumerate(forms):
        at = text.find(form)
        while at >= 0:
            spots.append((at, i, at + len(form)))
            at = text.find(form, at + 1)
    spots.sort()
    starts, ends = [-1] * len(forms), [0] * len(forms)
    best, missing = len(text), len(forms)
    for start, i, end in spots:
        missing -= starts[i] < 0
        starts[i], ends[i] = start, end
        if not missing:
            best = min(best, max(ends) - min(starts))
    return max(best, 1)


def _prior(build: Build, doc_id: str, kind: str, named: set[str]) -> float:
    """What the catalog knows about a hit, as a multiplier of its text score."""
    d = build.docs[doc_id]
    prior = 1.0
    if doc_id in named:
        prior *= 2.0
    if d["status"] == "现行有效":
        prior *= 1.15
    if doc_id in build.latest:
        prior *= 1.1
    if kind == "doc":
        prior *= 0.7        # the document as a whole: below its own clause that answers
    prior *= EXPLAINING.get(d["type"], 1.0)
    if d["type"] == LOCAL_LAW and not d["title"].startswith(HOME_REGION):
        prior *= 0.6        # another region's local law does not bind an enterprise here
    return prior
