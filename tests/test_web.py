"""The site through Flask's test client: every page and JSON route, good and bad parameters."""
from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from kb import browse
from kb.citation import cite, url
from kb.search import search
from kb.taxonomy import taxonomy
from tests.conftest import ROOT
from web.params import MAX_Q

DOC_ID = "cs-swzj-2020-8"


@pytest.fixture(scope="module")
def doc(library):
    return library.current().document(DOC_ID)


def page(response):
    return lxml_html.fromstring(response.get_data(as_text=True))


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


# ---------------------------------------------------------------- home

def test_home_shows_areas_with_clause_counts_levels_and_coverage(client, library):
    b = library.current()
    tree = page(client.get("/"))
    counts = browse.clause_counts(b)
    for area in taxonomy().areas:
        link = tree.xpath(f'//ul[@class="areas"]//a[@href="/area/{area.slug}"]')
        assert link and f"{counts[area.name]} 条" in link[0].text_content()
    listed = {a.get("href") for a in tree.xpath('//section[@id="documents"]//ul[@class="docs"]//a')}
    assert listed == {url(i) for i in b.docs}
    coverage = dict(zip(texts(tree, '//table[@class="figures"]/tbody/tr/th'),
                        texts(tree, '//table[@class="figures"]/tbody/tr/td[@class="num"]')))
    assert coverage == {c: str(sum(1 for d in b.docs.values() if d["coverage"] == c)) for c in taxonomy().coverages}
    assert tree.xpath('//form[@role="search"]//label[@for="q"]')


def test_clause_counts_count_clauses_only(library):
    b = library.current()
    for area, count in browse.clause_counts(b).items():
        expected = sum(1 for i in b.docs for c in b.document(i).clauses if area in c.areas)
        assert count == expected, area


# ---------------------------------------------------------------- results

def test_results_show_marked_snippets_and_keep_the_query(client, library):
    response = client.get("/search?q=增值税")
    assert response.status_code == 200
    tree = page(response)
    expected = search(library, "增值税", limit=10)
    assert [a.get("href") for a in tree.xpath('//ol[@class="hits"]/li/h2/a')] == [h.url for h in expected.hits]
    assert tree.xpath('//p[@class="snippet"]/mark')
    assert all(m.text_content() == "增值税" for m in tree.xpath('//p[@class="snippet"]/mark'))
    # the search box keeps the query, and so does the date form's hidden field
    assert tree.xpath('//input[@name="q"]/@value') == ["增值税", "增值税"]
    assert tree.xpath('//input[@id="q-header"]/@value') == ["增值税"]
    assert f"共 {expected.total} 条" in response.get_data(as_text=True)
    first = tree.xpath('//ol[@class="hits"]/li')[0]
    assert expected.hits[0].status in first.text_content()
    assert expected.hits[0].coverage in first.text_content()


def test_facet_links_filter_combine_and_remove(client, library):
    tree = page(client.get("/search?q=社保 减免"))
    facet = tree.xpath('//nav[@class="facets"]//a[contains(., "援企稳岗")]')[0]
    count = int(facet.xpath('.//span[@class="count"]')[0].text)
    # the link brings the reader back to the filter panel, where they were
    assert urlsplit(facet.get("href")).fragment == "filters"
    filtered = client.get(facet.get("href"))
    assert parse_qs(urlsplit(facet.get("href")).query)["area"] == ["援企稳岗"]
    expected = search(library, "社保 减免", {"area": ["援企稳岗"]})
    assert expected.total == count
    tree = page(filtered)
    assert f"共 {count} 条" in filtered.get_data(as_text=True)
    chip = tree.xpath('//div[@class="active-filters"]/a')
    assert len(chip) == 1 and "援企稳岗" in chip[0].text_content()
    # a second facet combines with the first
    status = tree.xpath('//nav[@class="facets"]//section[h3="效力状态"]//a')[0]
    both = parse_qs(urlsplit(status.get("href")).query)
    assert both["area"] == ["援企稳岗"] and len(both["status"]) == 1
    assert len(page(client.get(status.get("href"))).xpath('//div[@class="active-filters"]/a')) == 2
    # the chip removes its filter and keeps the query
    removed = parse_qs(urlsplit(chip[0].get("href")).query)
    assert removed == {"q": ["社保 减免"]}


def test_sort_by_date_and_pagination(client, library):
    by_date = search(library, "疫情", limit=3, sort="date")
    tree = page(client.get("/search?q=疫情&sort=date&limit=3"))
    assert [a.get("href") for a in tree.xpath('//ol[@class="hits"]/li/h2/a')] == [h.url for h in by_date.hits]
    assert by_date.total > 6                 # a second page, and a third
    dates = [h.date for h in search(library, "疫情", limit=100, sort="date").hits]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
    next_link = tree.xpath('//nav[@class="pager"]//a[@rel="next"]')[0].get("href")
    assert parse_qs(urlsplit(next_link).query) == {"q": ["疫情"], "sort": ["date"], "limit": ["3"], "page": ["2"]}
    second = page(client.get(next_link))
    expected = search(library, "疫情", limit=3, page=2, sort="date")
    assert [a.get("href") for a in second.xpath('//ol[@class="hits"]/li/h2/a')] == [h.url for h in expected.hits]
    assert not {h.url for h in expected.hits} & {h.url for h in by_date.hits}
    assert second.xpath('//nav[@class="pager"]//span[@aria-current="page"]')[0].text == "2"


def test_no_results_says_so_and_suggests(client):
    response = client.get("/search?q=量子纠缠超导&area=finance-tax")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "没有找到" in text and "减少词语" in text
    clear = page(response).xpath('//a[contains(., "去掉所有筛选条件")]')[0].get("href")
    assert parse_qs(urlsplit(clear).query) == {"q": ["量子纠缠超导"]}


@pytest.mark.parametrize("query, path", [("财税公告2020年第8号 第三条", "三"), ("财政部 税务总局公告2020年第8号", "")])
def test_reference_query_opens_clause_or_document(client, library, query, path):
    assert search(library, query).lookup == url(DOC_ID, path)
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 302
    assert response.headers["Location"] == url(DOC_ID, path)


def test_empty_query_prompts_and_single_area_browses(client):
    response = client.get("/search?q=")
    assert response.status_code == 200 and "请在上方搜索框输入" in response.get_data(as_text=True)
    response = client.get("/search?q=&area=job-retention")
    assert response.status_code == 302 and response.headers["Location"].endswith("/area/job-retention")


@pytest.mark.parametrize("query, message", [
    ("q=税&area=不存在的领域", "未知的支持领域"),
    ("q=税&page=-1", "页码"),
    ("q=税&page=0", "页码"),
    ("q=税&page=1000000000", "页码"),
    ("q=税&page=abc", "页码必须是整数"),
    ("q=税&limit=0", "每页条数"),
    ("q=税&limit=100000", "每页条数"),
    ("q=税&sort=random", "排序方式"),
])
def test_bad_parameters_are_a_helpful_400(client, query, message):
    for path in ("/search?", "/api/search?"):
        response = client.get(path + query)
        assert response.status_code == 400, path + query
        if path.startswith("/api"):
            assert message in response.get_json()["error"]
        else:
            assert message in response.get_data(as_text=True)
            assert "回到首页" in response.get_data(as_text=True)


def test_page_past_the_end_is_404_with_a_way_back(client, library):
    total = search(library, "增值税").total
    response = client.get(f"/search?q=增值税&page={total + 1}&limit=1")
    assert response.status_code == 404
    assert "看最后一页" in response.get_data(as_text=True)


def test_a_query_up_to_the_limit_is_cut_and_a_longer_one_refused_in_chinese(client):
    at_limit = ("企业" * MAX_Q)[:MAX_Q]
    response = client.get("/search", query_string={"q": at_limit})
    assert response.status_code == 200 and "查询太长，只搜索了前面的部分" in response.get_data(as_text=True)
    assert client.get("/api/search", query_string={"q": at_limit}).get_json()["truncated"] is True
    pasted = "企业" * 2500
    response = client.get("/search", query_string={"q": pasted})
    assert response.status_code == 414
    assert f"搜索词太长：最多 {MAX_Q} 个字，这次有 {len(pasted)} 个字" in response.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": pasted})
    assert api.status_code == 414 and api.get_json()["error"].startswith(f"搜索词太长：最多 {MAX_Q} 个字")


# ---------------------------------------------------------------- document and clause

def test_document_page_anchors_every_clause_with_toc_and_provenance(client, doc):
    response = client.get(f"/doc/{DOC_ID}")
    assert response.status_code == 200
    tree = page(response)
    anchors = tree.xpath('//section[contains(@class, "clause")]/@id')
    assert anchors == [f"clause-{c.path}" for c in doc.clauses]
    assert tree.xpath('//nav[@class="toc"]//a/@href') == [f"#clause-{c.path}" for c in doc.clauses]
    permalinks = tree.xpath('//section[contains(@class, "clause")]//a[@class="permalink"]/@href')
    assert permalinks == [url(DOC_ID, c.path) for c in doc.clauses]
    provenance = " ".join(tree.xpath('//section[@class="provenance"]')[0].text_content().split())
    assert doc.coverage_note in provenance
    assert taxonomy().coverages[doc.coverage] in provenance
    assert tree.xpath('//section[@class="provenance"]//ul[@class="sources"]//a/@href') == doc.sources
    body = tree.xpath('//section[@class="body"]')[0].text_content()
    assert all(c.text[:30] in body for c in doc.clauses)
    assert tree.xpath('//h1')[0].text_content() == doc.title


def test_clause_page_has_citation_context_validity_and_source(client, doc):
    clause = doc.clauses[3]
    response = client.get(url(DOC_ID, clause.path))
    assert response.status_code == 200
    tree = page(response)
    assert tree.xpath('//p[@class="citation-text"]')[0].text == cite(doc.title, doc.doc_no, doc.status, clause.path)
    assert tree.xpath('//button[@data-copy="citation"]')
    assert clause.heading in tree.xpath("//h1")[0].text_content()
    assert tree.xpath('//nav[@class="breadcrumb"]//a/@href')[0] == url(DOC_ID)
    assert tree.xpath('//main//span[contains(@class, "badge")]')[0].text == doc.status
    assert tree.xpath('//ul[@class="sources"]//a/@href') == doc.sources
    assert tree.xpath('//a[@rel="prev"]/@href') == [url(DOC_ID, doc.clauses[2].path)]
    assert tree.xpath('//a[@rel="next"]/@href') == [url(DOC_ID, doc.clauses[4].path)]
    assert tree.xpath('//p[@class="permalink-line"]/a/@href')[0].endswith(url(DOC_ID, clause.path))


def test_only_the_clauses_of_an_expired_document_warn_against_citing_them(client, library):
    b = library.current()
    docs = [b.document(i) for i in sorted(b.docs) if b.document(i).clauses]
    assert {d.expired for d in docs} == {True, False}
    for d in docs:
        tree = page(client.get(url(d.id, d.clauses[0].path)))
        assert tree.xpath('//main//span[contains(@class, "badge")]')[0].text == d.status, d.id
        warning = ["本条所在文件已失效，仅供查考，不宜作为现行依据引用。"] if d.expired else []
        assert texts(tree, '//p[@role="note"]') == warning, d.id


def test_nested_clause_shows_its_context(client, library):
    b = library.current()
    nested = [(i, c) for i in sorted(b.docs) for c in b.document(i).clauses if "/" in c.path]
    assert nested                            # policies/ has items under numbered clauses
    for doc_id, clause in nested:
        tree = page(client.get(url(doc_id, clause.path)))
        crumbs = texts(tree, '//nav[@class="breadcrumb"]//li')
        assert clause.context and crumbs[1:] == clause.context, (doc_id, clause.path)


@pytest.mark.parametrize("path", ["/doc/no-such-doc", f"/doc/{DOC_ID}/九十九", "/doc/no-such-doc/一",
                                  "/area/no-such-area", "/nowhere"])
def test_unknown_things_are_a_helpful_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "回到首页" in text and "支持领域" in text


# ---------------------------------------------------------------- areas

def test_area_page_lists_every_clause_of_the_area_grouped_by_document(client, library):
    b = library.current()
    for area in taxonomy().areas:
        tree = page(client.get(f"/area/{area.slug}"))
        groups = browse.area_documents(b, area.name)
        assert texts(tree, '//section[@class="area-doc"]/h2') == [g.doc["title"] for g in groups]
        links = tree.xpath('//section[@class="area-doc"]//ul[@class="clauses"]/li/a/@href')
        expected = [url(i, c.path) for i in b.docs for c in b.document(i).clauses if area.name in c.areas]
        assert sorted(links) == sorted(expected)


# ---------------------------------------------------------------- JSON

@pytest.mark.parametrize("args", [["增值税"], ["增值税", "--area", "疫情防控保障", "--limit", "2"], ["财税公告2020年第8号 第三条"]])
def test_api_search_is_the_cli_json(client, policies_index, args):
    cli = subprocess.run([sys.executable, "-m", "kb", "search", *args, "--json", "--index", str(policies_index)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    query = {"q": args[0]}
    if "--area" in args:
        query.update(area=args[args.index("--area") + 1], limit=args[args.index("--limit") + 1])
    response = client.get("/api/search", query_string=query)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(cli.stdout)


def test_api_search_facets_on_request(client):
    assert client.get("/api/search?q=增值税").get_json()["facets"] == {}
    assert client.get("/api/search?q=增值税&facets=1").get_json()["facets"]["areas"]


def test_api_doc(client, doc, library):
    data = client.get(f"/api/doc/{DOC_ID}").get_json()
    assert data["title"] == doc.title and data["status"] == doc.status
    assert len(data["clauses"]) == library.current().docs[DOC_ID]["clauses"]
    assert [c["url"] for c in data["clauses"]] == [url(DOC_ID, c.path) for c in doc.clauses]
    assert data["clauses"][0]["citation"] == cite(doc.title, doc.doc_no, doc.status, doc.clauses[0].path)
    assert "source_path" not in data
    response = client.get("/api/doc/no-such-doc")
    assert response.status_code == 404 and "no-such-doc" in response.get_json()["error"]


def test_api_areas(client, library):
    data = client.get("/api/areas").get_json()
    counts = browse.clause_counts(library.current())
    assert [(a["name"], a["slug"], a["clauses"]) for a in data] == [(a.name, a.slug, counts[a.name]) for a in taxonomy().areas]


def test_api_errors_are_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["status"] == 404
    response = client.post("/api/search?q=税")
    assert response.status_code == 405 and response.get_json()["error"]


# ---------------------------------------------------------------- issue 15: what users see

def test_results_come_before_the_filters_and_the_heading_names_query_and_count(client, library):
    tree = page(client.get("/search?q=社保 减免"))
    expected = search(library, "社保 减免", limit=10)
    assert texts(tree, "//h1") == [f"“社保 减免”的搜索结果：共 {expected.total} 条"]
    layout = tree.xpath('//div[@class="results-layout"]')[0]
    assert [c.get("id") for c in layout] == ["results", "filters"]
    # folded until asked for (app.js opens it beside the results on a wide screen), and said how to use
    panel = tree.xpath('//details[@id="filters"]')[0]
    assert panel.get("open") is None
    assert "同一项中选几个为“或”" in panel.text_content()
    assert tree.xpath('//p[@class="to-filters"]/a/@href') == ["#filters"]
    # chips, not the ☐/☑ of a checkbox they are not
    assert "☐" not in panel.text_content() and "☑" not in panel.text_content()


def test_a_chosen_filter_opens_the_panel_and_a_value_every_result_has_is_said_once(client, library):
    tree = page(client.get("/search?q=增值税&area=疫情防控保障"))
    result = search(library, "增值税", {"area": ["疫情防控保障"]}, facets=True)
    panel = tree.xpath('//details[@id="filters"]')[0]
    assert panel.get("open") is not None
    offered = {a.get("data-facet") for a in panel.xpath('.//a[contains(@class, "facet")]')}
    every = {(field, v) for field, values in result.facets.items() for v, n in values.items() if n == result.total}
    assert every                               # the query's results share their level, issuers, status…
    shared = " ".join(texts(panel, './/p[@class="shared"]'))
    for field, value in every:
        key = "area" if field == "areas" else field
        # offered only when chosen, so that it can be taken off; else said once
        chosen = value in result.filters.get(key, [])
        assert (f"{key}={value}" in offered) == chosen and (value in shared) != chosen, (field, value)
    assert offered == {"area=疫情防控保障"}
    assert tree.xpath('//a[@data-facet="area=疫情防控保障"]/@aria-current') == ["true"]


def test_the_enterprise_facet_says_that_untagged_clauses_apply_to_every_kind(client):
    tree = page(client.get("/search?q=社保 减免"))
    note = texts(tree, '//nav[@class="facets"]//section[h3="企业类型"]/p[@class="facet-note"]')
    assert note == ["数字只计写明了该类的条款；未写明企业类型的条款对各类都适用，选哪一类都会列出。"]
    assert not tree.xpath('//nav[@class="facets"]//section[h3="支持领域"]/p[@class="facet-note"]')


def test_print_header_names_the_site_the_address_and_the_day(client):
    import datetime as dt
    tree = page(client.get("/search?q=%E7%A4%BE%E4%BF%9D+%E5%87%8F%E5%85%8D"))
    head = texts(tree, '//p[@class="print-head"]')
    # the configured address (never the request's Host), readable
    base = client.application.config["BASE_URL"]
    assert head == [f"惠企政策知识库 · {base}/search?q=社保+减免 · 打印于 {dt.date.today().isoformat()}"]
    assert tree.xpath('//button[@class="print"]')[0].get("hidden") is not None     # shown by app.js


@pytest.mark.parametrize("doc_id, written, path", [
    ("rsbf-2020-11", "第一条", "一"), ("rsbf-2020-11", "一、", "一"), ("rsbf-2020-11", "1", "一"),
    ("rsbf-2020-11", "第1条", "一"), ("rsbf-2020-11", "要点一", "要点1"),
    ("gan-fa-2020-5", "第二条第（一）项", "二/（一）"), ("gan-fa-2020-5", "二、/(二)", "二/（二）"),
    ("gan-fa-2020-5", "第二条/第（一）项", "二/（一）"), ("gxmd-2020-14", "第一条/2", "一/2"),
])
def test_a_clause_written_as_citations_and_texts_number_it_redirects_to_its_permalink(client, doc_id, written, path):
    response = client.get(f"/doc/{doc_id}/{written}")
    assert response.status_code == 301
    assert response.headers["Location"] == url(doc_id, path)
    assert client.get(response.headers["Location"]).status_code == 200
    dated = client.get(f"/doc/{doc_id}/{written}?as_of=2020-03-15")
    assert dated.headers["Location"] == url(doc_id, path) + "?as_of=2020-03-15"


def test_a_law_clause_is_found_by_its_number_in_any_writing():
    from kb.check import load
    from web.docview import canonical_path
    law, problems = load(ROOT / "tests" / "fixtures" / "core" / "law-sample.md")
    assert not problems and [c.path for c in law.clauses][:4] == ["第一条", "第二条", "第三条", "第三条之一"]
    assert [canonical_path(law, p) for p in ("三", "3", "第3条", "第3条之1", "第三条之一")] == \
        ["第三条", "第三条", "第三条", "第三条之一", "第三条之一"]


@pytest.mark.parametrize("written", ["第九条", "第一条之一", "要点九", "第二条第（九）项", "/".join("一" * 9)])
def test_an_alias_of_no_clause_is_still_a_404(client, written):
    response = client.get(f"/doc/rsbf-2020-11/{written}")
    assert response.status_code == 404 and "没有条款" in response.get_data(as_text=True)


def test_the_extension_point_is_cited_as_the_document_that_made_it(client, library):
    doc = library.current().document("rsbf-2020-11")
    point = doc.clause("要点1")
    assert point.heading.startswith("人社部发〔2020〕49号")
    assert cite(doc.title, doc.doc_no, doc.status, point.path, point.heading) == "人社部发〔2020〕49号（已失效）"
    tree = page(client.get(url(doc.id, point.path)))
    assert texts(tree, '//p[@class="citation-text"]') == ["人社部发〔2020〕49号（已失效）"]
    # a point of the document's own measures is still cited by its document, a clause by its number
    assert cite(doc.title, doc.doc_no, doc.status, "一", doc.clause("一").heading) == f"《{doc.title}》（{doc.doc_no}）第一条（已失效）"
    power = library.current().document("fgw-dianfei-2020")
    own = power.clause("要点1")
    assert cite(power.title, power.doc_no, power.status, own.path, own.heading) == cite(power.title, power.doc_no, power.status)


def test_what_the_library_wrote_is_marked_apart_from_the_documents_words(client, library):
    b = library.current()
    doc = b.document("rsbf-2020-11")
    tree = page(client.get(url(doc.id)))
    # no official text is held: the body is not called 正文, and says what it is before any of it
    body = tree.xpath('//section[@class="body"]')[0]
    assert texts(body, "./h2") == ["部分条款（本库整理）"]
    assert texts(body, './p[@class="editorial-note"]') == ["编者注 以下为本库摘要，非官方原文，引用前请核对原文。"]
    # each heading the library wrote is marked, after the document's own number
    headings = body.xpath('.//section[contains(@class, "clause")]/*[starts-with(@id, "clause-")]')
    assert len(headings) == len(doc.clauses)
    for h, c in zip(headings, doc.clauses):
        assert h.xpath('./span[@class="editorial"]')[0].text == c.heading
        assert h.xpath('./span[@class="editor-tag"]')[0].text == "编者拟"
    assert texts(tree, '//section[@class="summary"]/h2') == ["本库概述"]
    assert "非官方原文" in texts(tree, '//section[@class="summary"]/p[@class="editorial-note"]')[0]
    meeting = page(client.get(url("gwy-cwhy-2020-02-11")))
    assert texts(meeting, '//section[@class="body"]/h2') == ["报道中的要点（本库整理）"]
    clause = page(client.get(url(doc.id, "一")))
    assert texts(clause, '//h1/span[@class="editorial"]') == [doc.clause("一").heading]
    assert texts(clause, '//p[@class="editorial-note"]') == ["编者注 以下为本库摘要，非官方原文，引用前请核对原文。"]
    assert "核对条号和措辞" in texts(clause, '//p[@class="citation-hint"]')[0]
    # every document held is held in the library's words, so no page calls its text 正文
    for i in sorted(b.docs):
        shown = texts(page(client.get(url(i))), '//section[@class="body"]/h2')
        assert shown != ["正文"], i


def test_official_text_is_headed_and_titled_as_the_documents_own():
    from kb.check import load
    from web import docview
    law, _ = load(ROOT / "tests" / "fixtures" / "core" / "law-sample.md")
    assert law.coverage == "官方全文"
    assert not docview.editorial(law) and docview.body_heading(law) == "正文"


def test_sources_say_their_kind_official_first_and_when_no_official_text_is_held(client, library):
    from kb import sources
    b = library.current()
    for doc_id in ("rsbf-2020-11", "gan-fa-2020-5", "jj-2020-23"):
        doc = b.document(doc_id)
        for where in (url(doc_id), url(doc_id, doc.clauses[0].path)):
            tree = page(client.get(where))
            items = tree.xpath('//section[@class="provenance"]//ul[@class="sources"]/li')
            assert [(i.xpath(".//a/@href")[0], i.xpath('./span[contains(@class, "source-kind")]')[0].text)
                    for i in items] == sources.ordered(doc.sources), where
            missing = texts(tree, '//section[@class="provenance"]//p[@class="no-official"]')
            assert bool(missing) == (not sources.has_official(doc.sources)), where
            assert all(m.startswith("未找到官方原文") for m in missing)
    # gan-fa-2020-5 names a news site before its government one: the government's comes first
    assert sources.ordered(b.document("gan-fa-2020-5").sources)[0][1] == "官方"
    assert b.document("gan-fa-2020-5").sources[0] != sources.ordered(b.document("gan-fa-2020-5").sources)[0][0]


def test_a_documents_hits_on_a_page_are_told_as_one_documents(client, library):
    hits = search(library, "社保 减免", limit=10).hits
    tree = page(client.get("/search?q=社保 减免"))
    items = tree.xpath('//ol[@class="hits"]/li')
    # the ranking's order is kept (the API and the CLI give the same)
    assert [i.xpath("./h2/a/@href")[0] for i in items] == [h.url for h in hits]
    firsts = {}
    for n, (item, hit) in enumerate(zip(items, hits), 1):
        assert item.get("id") == f"hit-{n}"
        if hit.doc_id not in firsts:
            firsts[hit.doc_id] = n
            later = [m for m, h in enumerate(hits, 1) if h.doc_id == hit.doc_id and m > n]
            note = texts(item, './p[@class="same-doc"]')
            assert note == ([f"同一文件还有 {len(later)} 条：" + "、".join(texts(item, './p[@class="same-doc"]/a'))]
                            if later else [])
            assert item.xpath('./p[@class="same-doc"]/a/@href') == [f"#hit-{m}" for m in later]
            assert item.get("data-same-doc") is None
            assert item.xpath('./p[@class="meta"]/a/@href')[0] == url(hit.doc_id)
        else:
            # told as the document's, without its name and badges again; set in when it follows its like
            assert texts(item, './p[contains(@class, "same-doc-of")]/a') == [f"见上方第 {firsts[hit.doc_id]} 个结果"]
            assert not item.xpath('./p[@class="meta"]') and not item.xpath('.//span[contains(@class, "badge")]')
            follows = hits[n - 2].doc_id == hit.doc_id
            assert item.get("data-same-doc") == ("follows" if follows else "later")
    assert len(firsts) < len(hits)                 # 人社部发〔2020〕11号 has most of the page


def test_a_document_page_says_at_its_citation_that_no_official_text_is_held(client, library):
    for doc_id in ("rsbf-2020-11", "jyg-48tiao-2020"):
        doc = library.current().document(doc_id)
        hint = texts(page(client.get(url(doc_id))), '//header[@class="doc-head"]/p[@class="citation-hint"]')
        assert hint == [f"本库没有这份文件的官方原文（收录范围：{doc.coverage}），本页文字由本库整理；引用前请对照官方原文核对。"]


def test_the_home_page_opens_with_the_citys_own_documents(client, library):
    page = client.get("/").get_data(as_text=True)
    city = [d for d in library.current().docs.values() if d["level"] == "市"]
    assert city and page.index('id="city"') < page.index('id="areas"')
    held = [d for d in city if d["clauses"]]
    assert f"本库收录嘉峪关市的文件 {len(city)} 件：{len(held)} 件收录了条款" in page
    assert all(f'/doc/{d["id"]}"' in page for d in city)
    # the documents by level list the city first as well
    assert page.index("<h3>市</h3>") < page.index("<h3>国家</h3>")
