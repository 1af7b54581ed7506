"""Generated queries and parameters through kb search, /api/search and the HTML routes.

Every input gets either an answer or a clear Chinese refusal: never an exception, never a 500,
never a half page. The default run tries a few hundred cases; KB_FUZZ_EXAMPLES raises the count
per test (bench/reliability/fuzz.py runs 10,000 and more in all).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import fields
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html as lxml_html

from kb.check import check_paths
from kb.query import MAX_QUERY, vocabulary
from kb.search import MAX_LIMIT, MAX_PAGE, Hit, SearchError, SearchResult, search
from kb.taxonomy import taxonomy
from tests.conftest import POLICIES, ROOT
from web.params import MAX_Q

EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

RESULT_KEYS = {f.name for f in fields(SearchResult)}
HIT_KEYS = {f.name for f in fields(Hit)}
CJK = re.compile(r"[\u4e00-\u9fff]")

DOCS, _ = check_paths([POLICIES])
TAX = taxonomy()
# words the real documents and vocabulary use, so that generated queries also find things
VOCABULARY = sorted({w for d in DOCS for w in (d.title, d.short_title, d.doc_no, *d.aliases) if w}
                    | {c.heading for d in DOCS for c in d.clauses if c.heading}
                    | {c.label for d in DOCS for c in d.clauses}
                    | set(vocabulary()[0]) | set(vocabulary()[1])
                    | {"第三条", "第（一）项", "第2目", "〔2020〕", "2020年第8号", "13条", "48条", "社保 减免"})
PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
            "<svg onload=alert(1)>", "' OR 1=1 --", "*", "?", "~2", "^3", "AND", "OR", "NOT", "title_t:税",
            "(", ")", "[", "]", "{", "}", '"', "“", "”", "〔", "〕", "\u200b", "%00", "../", "%2e%2e", "\\",
            "\t", "\n", "𠀀", "🙂", "ｅ", "\ufeff", "０", "&amp;", "{{7*7}}", "{% raw %}", "\u202e"]
AREA_VALUES = [a.name for a in TAX.areas] + [a.slug for a in TAX.areas]
FILTER_VALUES = {"area": AREA_VALUES, "level": list(TAX.levels), "status": list(TAX.statuses),
                 "enterprise": list(TAX.enterprise_types), "issuer": ["财政部", "国家税务总局", "甘肃省人民政府"]}

words = st.one_of(st.sampled_from(VOCABULARY), st.sampled_from(PAYLOADS), st.text(max_size=12))
short_queries = st.one_of(st.lists(words, max_size=8).map(" ".join), st.lists(words, max_size=8).map("".join),
                          st.text(max_size=60))
# about the characters searched (kb.query.MAX_QUERY) up to past what the site takes (web.params.MAX_Q);
# one in 40, as each costs seconds to search
queries = st.integers(0, 39).flatmap(
    lambda n: st.text(min_size=MAX_QUERY - 10, max_size=MAX_Q + 10) if n == 0 else short_queries)
numbers = st.one_of(st.integers(-3, MAX_LIMIT + 3), st.integers(MAX_PAGE - 2, MAX_PAGE + 2),
                    st.integers(-10**20, 10**20))
raw_numbers = st.one_of(numbers.map(str), st.sampled_from(["", " 7 ", "１０", "1e3", "0x10", "10.0", "1_0", "-0", "∞"]),
                        st.text(max_size=8))
filter_values = st.dictionaries(
    st.sampled_from(sorted(FILTER_VALUES)),
    st.lists(st.one_of(st.sampled_from(AREA_VALUES + sum(FILTER_VALUES.values(), [])), st.text(max_size=10)),
             min_size=1, max_size=3),
    max_size=3)
sorts = st.one_of(st.sampled_from(["relevance", "date"]), st.text(max_size=8))


def _valid_int(raw: str, low: int, high: int) -> bool:
    try:
        return low <= int(raw.strip()) <= high
    except ValueError:
        return False


# ---------------------------------------------------------------- kb.search.search in process

@FUZZ
@given(q=queries, filters=filter_values, limit=numbers, page=numbers, sort=sorts, facets=st.booleans())
def test_search_answers_or_refuses_clearly(library, q, filters, limit, page, sort, facets):
    try:
        result = search(library, q, filters, limit, page, sort, facets=facets)
    except SearchError as exc:
        assert CJK.search(str(exc)), str(exc)
        return
    assert 1 <= limit <= MAX_LIMIT and 1 <= page <= MAX_PAGE and sort in ("relevance", "date")
    data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert set(data) == RESULT_KEYS and all(set(h) == HIT_KEYS for h in data["hits"])
    assert len(result.hits) == max(0, min(limit, result.total - (page - 1) * limit))   # the page asked for
    snapshot = library.current()
    for hit in result.hits:
        assert hit.doc_id in snapshot.docs and hit.url.startswith(f"/doc/{hit.doc_id}")
        assert not hit.path or snapshot.document(hit.doc_id).clause(hit.path) is not None


# ---------------------------------------------------------------- /api/search and the results page

search_params = st.fixed_dictionaries(
    {"q": queries},
    optional={"limit": raw_numbers, "page": raw_numbers, "sort": sorts, "facets": st.sampled_from(["1", "0", "true", "x"]),
              "area": st.lists(st.one_of(st.sampled_from(AREA_VALUES), st.text(max_size=8)), max_size=3),
              "level": st.lists(st.sampled_from(FILTER_VALUES["level"]), max_size=2),
              "status": st.lists(st.one_of(st.sampled_from(FILTER_VALUES["status"]), st.text(max_size=4)), max_size=2),
              "enterprise": st.lists(st.sampled_from(FILTER_VALUES["enterprise"]), max_size=2),
              "issuer": st.lists(st.sampled_from(FILTER_VALUES["issuer"]), max_size=2),
              "unknown": st.text(max_size=8)})


def _pairs(params: dict) -> list[tuple[str, str]]:
    return [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]


def _expected_valid(params: dict) -> bool:
    """Independent of web/params.py: which parameter sets the documented limits accept."""
    limit, page = params.get("limit", "").strip(), params.get("page", "").strip()
    # a filter with a vocabulary takes only its values (an area also by its slug); issuers are open
    vocabularies = {"area": AREA_VALUES, "level": TAX.levels, "status": TAX.statuses, "enterprise": TAX.enterprise_types}
    return ((not limit or _valid_int(limit, 1, MAX_LIMIT)) and (not page or _valid_int(page, 1, MAX_PAGE))
            and params.get("sort", "relevance") in ("relevance", "date", "")
            and all(v in allowed for key, allowed in vocabularies.items() for v in params.get(key, []) if v))


@FUZZ
@given(params=search_params)
def test_api_search_is_json_with_documented_keys(client, library, params):
    response = client.get("/api/search", query_string=_pairs(params))
    assert response.mimetype == "application/json"
    assert response.headers["Content-Length"] == str(len(response.get_data()))
    data = json.loads(response.get_data(as_text=True))
    if len(params["q"]) > MAX_Q:
        assert response.status_code == 414 and set(data) == {"error", "status"} and CJK.search(data["error"])
        return
    if response.status_code == 400:
        assert set(data) == {"error", "status"} and CJK.search(data["error"])
        assert not _expected_valid(params)
        return
    assert response.status_code == 200, data
    assert _expected_valid(params)
    assert set(data) == RESULT_KEYS and all(set(h) == HIT_KEYS for h in data["hits"])
    # the same function the command line calls, with the parameters as documented
    filters = {k: params[k] for k in ("area", "level", "issuer", "enterprise", "status") if params.get(k)}
    expected = search(library, params["q"], filters, int(params.get("limit", "").strip() or 10),
                      int(params.get("page", "").strip() or 1), params.get("sort") or "relevance",
                      facets=params.get("facets") in ("1", "true"))
    assert data == json.loads(json.dumps(expected.to_json()))


def _complete_page(response) -> lxml_html.HtmlElement:
    body = response.get_data(as_text=True)
    assert body.lstrip().lower().startswith("<!doctype html>") and body.rstrip().endswith("</html>")
    tree = lxml_html.fromstring(body)
    assert len(tree.xpath("//main")) == 1 and tree.xpath("//h1")
    return tree


@FUZZ
@given(params=search_params)
def test_results_page_is_complete_or_a_helpful_error(client, params):
    response = client.get("/search", query_string=_pairs(params))
    if len(params["q"]) > MAX_Q:
        assert response.status_code == 414
    elif not params["q"].strip():
        # nothing to search: the search form (or an area's page), unless a parameter cannot be read at all
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        # a search: the same parameters the API refuses, and only those
        assert response.status_code in ((200, 302, 404) if _expected_valid(params) else (400,)), response.status_code
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/")
        return
    tree = _complete_page(response)
    if response.status_code in (400, 414):
        assert CJK.search(" ".join(tree.xpath("//p[@class='message']//text()")))


# ---------------------------------------------------------------- documents, clauses, areas

segments = st.one_of(st.sampled_from([d.id for d in DOCS]), st.sampled_from(VOCABULARY), st.sampled_from(PAYLOADS),
                     st.text(min_size=1, max_size=30))
DOC_IDS = [d.id for d in DOCS]
CLAUSES = [c.path for d in DOCS for c in d.clauses]


@FUZZ
@given(kind=st.sampled_from(["doc", "clause", "area", "api-doc"]), doc_id=st.one_of(st.sampled_from(DOC_IDS), segments),
       path=st.one_of(st.sampled_from(CLAUSES), segments), encode=st.booleans())
def test_document_clause_and_area_routes(client, kind, doc_id, path, encode):
    def part(text):
        return quote(text, safe="" if encode else "/")
    url = {"doc": f"/doc/{part(doc_id)}", "clause": f"/doc/{part(doc_id)}/{part(path)}",
           "area": f"/area/{part(doc_id)}", "api-doc": f"/api/doc/{part(doc_id)}"}[kind]
    response = client.get(url)
    assert response.status_code in (200, 301, 302, 308, 404), (url, response.status_code)
    if response.status_code in (301, 302, 308):
        return
    if kind == "api-doc":
        data = json.loads(response.get_data(as_text=True))
        assert set(data) >= ({"id", "title", "clauses", "url", "citation"} if response.status_code == 200
                             else {"error", "status"})
    else:
        _complete_page(response)


# ---------------------------------------------------------------- the command line

@settings(max_examples=6, deadline=None)
@given(q=queries, limit=st.integers(-2, MAX_LIMIT + 2), area=st.one_of(st.none(), st.sampled_from(AREA_VALUES),
                                                                    st.text(min_size=1, max_size=6)))
def test_cli_search_json_or_a_chinese_error(policies_index, q, limit, area):
    q = q.replace("\x00", "")                   # a NUL cannot be passed in an argv string at all
    argv = [sys.executable, "-m", "kb", "search", q, "--json", "--limit", str(limit), "--index", str(policies_index)]
    if area is not None:
        argv += ["--area", area.replace("\x00", "")]
    run = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in run.stderr
    if run.returncode == 0:
        assert set(json.loads(run.stdout)) == RESULT_KEYS
    else:
        assert run.returncode == 2 and CJK.search(run.stderr), run.stderr
