"""The HTML pages: home, results, document, clause permalink, browse by area."""
from __future__ import annotations

import datetime as dt
import math
from urllib.parse import unquote, urlencode

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from kb import browse, periods, relations, sources as kb_sources
from kb.citation import clause_part, url as clause_url
from kb.filters import BY_KEY, FACETS
from kb.search import MAX_PAGE, SearchResult, normalise_filters, search
from kb.stats import stats
from kb.taxonomy import taxonomy

from . import docview, served, timeline
from .errors import PageError
from .params import FACET_PARAM, FILTER_KEYS, MAX_Q, as_of, search_args
from .render import is_web_link, to_html

bp = Blueprint("pages", __name__)

FACET_TITLES = {f.facet: f.title for f in FACETS}
DEFAULT_LIMIT = 10
CITY_LEVEL = "市"
LEVELS_FIRST = (CITY_LEVEL, "省", "部门", "国家")     # the home page lists the city's documents first


@bp.record_once
def _template_globals(state):
    # globals rather than a context processor: imported macros see globals only
    state.app.jinja_env.globals.update(taxonomy=taxonomy(), is_web_link=is_web_link, clause_url=clause_url,
                                       clause_part=clause_part, max_q=MAX_Q,
                                       match_timeline=lambda result: timeline.for_match(served.snapshot(), result))


# the sources macro (every page that lists a document's sources) labels and orders them
bp.add_app_template_global(kb_sources.ordered, "sources_in_order")
bp.add_app_template_global(kb_sources.has_official, "has_official_source")


@bp.app_template_global()
def filter_chip(key: str, value: str) -> str:
    """What a chosen filter's chip says: its value, or for an end of the date range its title around the
    day (成文日期起 → 成文日期 2020-03-01 起), since a bare day names neither the date nor the end."""
    f = BY_KEY[key]
    return f"{f.title[:-1]} {value} {f.title[-1]}" if f.bound else value


@bp.app_context_processor
def _print_head():
    # the print header says where and when a page was printed: the configured address, never the Host header
    address = current_app.config["BASE_URL"] + unquote(request.full_path.rstrip("?"))
    return dict(page_address=address, printed_on=dt.date.today().isoformat())


@bp.get("/")
def home():
    b = served.snapshot()
    figures = stats(b)
    # the city's own layer first: the product serves 嘉峪关 enterprises
    levels = sorted(taxonomy().levels, key=lambda level: LEVELS_FIRST.index(level) if level in LEVELS_FIRST else 99)
    by_level = {level: sorted((d for d in b.docs.values() if d["level"] == level),
                              key=lambda d: d["date"], reverse=True) for level in levels}
    return render_template("home.html", figures=figures, clause_counts=browse.clause_counts(b),
                           by_level={k: v for k, v in by_level.items() if v}, city=by_level.get(CITY_LEVEL, []))


def search_url(result: SearchResult, toggle: tuple[str, str] | None = None, page: int = 1,
               sort: str | None = None, clear: bool = False, dated: bool = True) -> str:
    """The results URL for this search with one filter value toggled (or all cleared), another page or
    sort, or without its dates (dated=False: neither as_of nor the 成文日期 range)."""
    filters = {} if clear else {k: list(v) for k, v in result.filters.items() if dated or not BY_KEY[k].bound}
    if toggle:
        key, value = toggle
        values = filters.setdefault(key, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
    pairs = [("q", result.query)]
    pairs += [(key, v) for key in FILTER_KEYS for v in filters.get(key, [])]
    if (sort or result.sort) != "relevance":
        pairs.append(("sort", sort or result.sort))
    if result.limit != DEFAULT_LIMIT:
        pairs.append(("limit", result.limit))
    if result.as_of and dated and not clear:
        pairs.append(("as_of", result.as_of))
    if page > 1:
        pairs.append(("page", page))
    return url_for("pages.search_page") + "?" + urlencode(pairs)


@bp.get("/search")
def search_page():
    args = search_args(request.args, DEFAULT_LIMIT)
    filters = normalise_filters(args["filters"])
    if not args["q"].strip():
        areas = filters.get("area", [])
        if list(filters) == ["area"] and len(areas) == 1:
            return redirect(url_for("pages.area", slug=taxonomy().area_by_name_or_slug(areas[0]).slug))
        return render_template("search.html", result=None, q="")
    limits = served.limits()
    result = search(served.library(), args["q"], filters, args["limit"], args["page"], args["sort"], facets=True,
                    limits=limits, as_of=args["as_of"])
    if result.lookup and result.page == 1:
        return redirect(result.lookup)
    # no page past what limits.max_results lets a search reach: kb.search answers those with a notice only
    pages = min(math.ceil(min(result.total, limits.max_results) / result.limit), MAX_PAGE)
    facets, shared = facet_panel(result)
    status = 404 if result.total and result.page > pages else 200
    return render_template("search.html", result=result, q=result.query, pages=pages, facets=facets, shared=shared,
                           chosen=sum(len(v) for v in result.filters.values()), search_url=search_url,
                           dated=bool(result.as_of) or any(BY_KEY[k].bound for k in result.filters),
                           same_document=same_document(result.hits)), status


def same_document(hits: list) -> list[tuple[int | None, list[int]]]:
    """For each hit of a page, (the position of its document's first hit on the page, or None when it is that
    one, the positions of the document's other hits when it is). The page keeps the ranking's order, which
    /api/search and kb search share, and tells a document's first hit of the others (同一文件还有 N 条)."""
    first: dict[str, int] = {}
    others: dict[str, list[int]] = {}
    for i, hit in enumerate(hits):
        if hit.doc_id in first:
            others[hit.doc_id].append(i)
        else:
            first[hit.doc_id], others[hit.doc_id] = i, []
    return [(None, others[h.doc_id]) if first[h.doc_id] == i else (first[h.doc_id], []) for i, h in enumerate(hits)]


# what the filter panel says under a facet whose untagged clauses pass its filter
UNTAGGED_NOTE = "数字只计写明了该类的条款；未写明{title}的条款对各类都适用，选哪一类都会列出。"


def facet_panel(result: SearchResult) -> tuple[list[tuple], list[str]]:
    """The facets as the filter panel offers them, (field, title, param, [(value, count)], note) with the most
    results first, and what every result shares. A value every result has narrows nothing: it is said once
    (发文层级 国家) instead of offered, unless it is chosen and so can be taken off."""
    offered, shared = [], []
    for field, values in result.facets.items():
        param, title = FACET_PARAM[field], FACET_TITLES[field]
        chosen = result.filters.get(param, [])
        common = sorted(v for v, n in values.items() if n == result.total and v not in chosen)
        rest = sorted(((v, n) for v, n in values.items() if v not in common), key=lambda kv: (-kv[1], kv[0]))
        if common:
            shared.append(f"{title} {'、'.join(common)}")
        if rest:
            note = UNTAGGED_NOTE.format(title=title) if BY_KEY[param].untagged_match else ""
            offered.append((field, title, param, rest, note))
    return offered, shared


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    b = served.snapshot()
    doc = served.document(b, doc_id)
    return render_template("document.html", doc=doc, entry=b.docs[doc_id], blocks=docview.blocks(doc),
                           editorial=docview.editorial(doc), editorial_text=docview.EDITORIAL_NOTE,
                           body_heading=docview.body_heading(doc),
                           citation=docview.citation(doc), coverage_text=taxonomy().coverages.get(doc.coverage, ""),
                           preamble=to_html(doc.preamble), summary=to_html(doc.summary),
                           relations=relations.described(b, doc_id), validity=periods.validity(b, doc),
                           period=periods.document_period(b, doc_id))


@bp.get("/doc/<doc_id>/<path:clause_path>")
def clause(doc_id: str, clause_path: str):
    b = served.snapshot()
    doc = served.document(b, doc_id)
    path = clause_path.strip("/")
    if doc.clause(path) is None:
        # a citation's 第一条, or 一、 as the text numbers it, names clause 一: send the reader to its permalink
        alias = docview.canonical_path(doc, path)
        if alias is not None:
            query = request.query_string.decode()
            return redirect(clause_url(doc.id, alias) + (f"?{query}" if query else ""), 301)
    found = served.clause(doc, path)
    position = doc.clauses.index(found)
    # from the configured address, never the request's Host header, which any client can forge
    permalink = current_app.config["BASE_URL"] + clause_url(doc.id, found.path)
    children = [c for c in doc.clauses if c.parent == found.path]
    return render_template(
        "clause.html", doc=doc, clause=found, html=to_html(found.text), children=children,
        relations=[(link, text) for link, text in relations.described(b, doc_id)
                   if link.direction == relations.IN and link.clause == found.path],
        validity=periods.validity(b, doc), period=periods.period(b, doc.id, found.path),
        citation=docview.citation(doc, found.path), citation_hint=docview.citation_hint(doc, found),
        title=docview.title(found), parts=docview.title_parts(found),
        editorial=docview.editorial(doc), editorial_text=docview.EDITORIAL_NOTE,
        permalink=permalink, permalink_text=unquote(permalink),
        previous=doc.clauses[position - 1] if position else None,
        next=doc.clauses[position + 1] if position + 1 < len(doc.clauses) else None,
        anchor=docview.anchor(found.path), coverage_text=taxonomy().coverages.get(doc.coverage, ""))


@bp.get("/area/<slug>")
def area(slug: str):
    found = taxonomy().area_by_slug(slug)
    if found is None:
        raise PageError(404, f"没有标识为“{slug[:40]}”的支持领域。可选的领域见下方。")
    day = as_of(request.args)
    b = served.snapshot()
    groups = browse.area_documents(b, found.name)
    return render_template("area.html", area=found, groups=groups, total=sum(len(g.clauses) for g in groups),
                           timeline=timeline.for_area(b, groups, day), as_of=day.isoformat() if day else "")
