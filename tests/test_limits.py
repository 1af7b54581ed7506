"""The search limits as an operator sets them: create_app(config)'s SEARCH_LIMITS, `python -m web
--max-results/--time-limit` and `python -m kb search --max-results/--time-limit` change what a search
does, and a bad setting is refused in Chinese before anything is served."""
from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from kb import cli
from tests.test_web_serve import serving
from web.__main__ import main as web_main

CJK = re.compile(r"[\u4e00-\u9fff]")
Q = "企业"                      # 85 clauses of policies/ hold it: more than three pages of ten
DEPTH = "只能翻看前 20 条结果"
TIMED_OUT = "检索用时超过"


@pytest.fixture(scope="module")
def shallow(app_factory):
    return app_factory({"SEARCH_LIMITS": {"max_results": 20}}).test_client()


def pager(page: str) -> set[int]:
    """The page numbers the pager links to or marks as current."""
    tree = lxml_html.fromstring(page)
    linked = {int(parse_qs(urlsplit(href).query).get("page", ["1"])[0]) for href in tree.xpath("//nav[@class='pager']//a/@href")}
    return linked | {int(n) for n in tree.xpath("//nav[@class='pager']//span[@aria-current='page']/text()")}


def notes(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).xpath("//main//p[contains(@class, 'note')]//text()"))


def test_without_the_setting_the_query_pages_past_twenty(client):
    """What the settings below change: by default page 3 of this query has hits and the pager goes on."""
    third = client.get("/search", query_string={"q": Q, "page": 3})
    assert third.status_code == 200
    assert max(pager(third.get_data(as_text=True))) > 3
    data = client.get("/api/search", query_string={"q": Q, "page": 3}).get_json()
    assert len(data["hits"]) == 10 and data["notices"] == []


def test_max_results_stops_the_pager_and_says_so_past_it(shallow):
    second = shallow.get("/search", query_string={"q": Q, "page": 2})
    assert second.status_code == 200
    text = second.get_data(as_text=True)
    assert pager(text) == {1, 2} and "第 2/2 页" in text
    assert DEPTH not in notes(text)

    third = shallow.get("/search", query_string={"q": Q, "page": 3})
    assert third.status_code == 404
    text = third.get_data(as_text=True)
    assert DEPTH in notes(text)
    tree = lxml_html.fromstring(text)
    assert not tree.xpath("//ol[@class='hits']/li")
    # the way back offered is the last page the setting lets anyone reach, and no link goes deeper
    last = tree.xpath("//main//p[contains(@class, 'message')]//a/@href")
    assert [parse_qs(urlsplit(href).query)["page"] for href in last] == [["2"]]
    assert not [href for href in tree.xpath("//a/@href") if int(parse_qs(urlsplit(href).query).get("page", ["1"])[0]) > 2]


def test_max_results_in_the_api(shallow):
    data = shallow.get("/api/search", query_string={"q": Q, "page": 3}).get_json()
    assert data["hits"] == [] and data["total"] == 85
    assert any(DEPTH in n for n in data["notices"])
    # a page that straddles the limit is cut at it
    data = shallow.get("/api/search", query_string={"q": Q, "limit": 15, "page": 2}).get_json()
    assert len(data["hits"]) == 5 and any(DEPTH in n for n in data["notices"])


def test_an_exhausted_time_limit_still_answers_with_hits_and_says_so(app_factory):
    client = app_factory({"SEARCH_LIMITS": {"time_limit": 1e-9}}).test_client()
    data = client.get("/api/search", query_string={"q": "企业 社保"}).get_json()
    assert len(data["hits"]) == 10 and any(TIMED_OUT in n for n in data["notices"])
    page = client.get("/search", query_string={"q": "企业 社保"})
    assert page.status_code == 200 and TIMED_OUT in notes(page.get_data(as_text=True))
    assert len(lxml_html.fromstring(page.get_data(as_text=True)).xpath("//ol[@class='hits']/li")) == 10


@pytest.mark.parametrize("settings,says", [
    ({"max_results": 0}, "max_results 应为正数"),
    ({"time_limit": -1.0}, "time_limit 应为正数"),
    ({"max_result": 20}, "未知的检索限制：max_result"),
    ({"max_results": 20.5}, "max_results 应为整数"),
    ({"max_results": "20"}, "max_results 应为整数"),
    ({"max_results": True}, "max_results 应为整数"),
    ({"time_limit": "1"}, "time_limit 应为秒数"),
    ({"time_limit": float("nan")}, "time_limit 应为正数"),
    (20, "SEARCH_LIMITS 应为"),
])
def test_a_bad_setting_is_refused_in_chinese_at_start(app_factory, settings, says):
    with pytest.raises(ValueError) as refused:
        app_factory({"SEARCH_LIMITS": settings})
    assert says in str(refused.value) and "SEARCH_LIMITS" in str(refused.value)


def test_a_whole_number_is_a_time_limit(app_factory):
    client = app_factory({"SEARCH_LIMITS": {"time_limit": 5, "max_limit": 20}}).test_client()
    assert client.get("/api/search", query_string={"q": Q, "limit": 20}).status_code == 200
    refused = client.get("/api/search", query_string={"q": Q, "limit": 21})
    assert refused.status_code == 400 and "1 到 20" in refused.get_json()["error"]


def cli_json(capsys, *args: str) -> dict:
    assert cli.main(["search", Q, "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_max_results(capsys, policies_index):
    plain = cli_json(capsys, "--index", str(policies_index), "--limit", "10")
    assert len(plain["hits"]) == 10 and plain["notices"] == []
    capped = cli_json(capsys, "--index", str(policies_index), "--limit", "10", "--max-results", "4")
    assert [h["url"] for h in capped["hits"]] == [h["url"] for h in plain["hits"][:4]]
    assert any("只能翻看前 4 条结果" in n for n in capped["notices"])


def test_cli_time_limit(capsys, policies_index):
    data = cli_json(capsys, "--index", str(policies_index), "--time-limit", "1e-9")
    assert len(data["hits"]) == 10 and any(TIMED_OUT in n for n in data["notices"])
    assert cli.main(["search", Q, "--index", str(policies_index), "--time-limit", "1e-9"]) == 0
    assert TIMED_OUT in capsys.readouterr().out


@pytest.mark.parametrize("flag,value", [("--max-results", "0"), ("--max-results", "2.5"), ("--time-limit", "0"),
                                        ("--time-limit", "abc"), ("--time-limit", "inf")])
def test_bad_flags_are_refused_in_chinese(capsys, policies_index, flag, value):
    for main, args in ((cli.main, ["search", Q, "--index", str(policies_index)]), (web_main, ["--index", str(policies_index)])):
        with pytest.raises(SystemExit) as stopped:
            main([*args, flag, value])
        err = capsys.readouterr().err
        assert stopped.value.code == 2 and CJK.search(err.splitlines()[-1]) and value in err


def test_the_real_server_takes_both_flags(policies_index):
    with serving(policies_index, 1, "--max-results", "20", "--time-limit", "1e-9") as (_, port, _):
        url = f"http://127.0.0.1:{port}/api/search?q=%E4%BC%81%E4%B8%9A&page=3"
        with urllib.request.urlopen(url, timeout=60) as response:
            data = json.load(response)
    assert data["hits"] == [] and data["total"] == 85
    assert any(DEPTH in n for n in data["notices"]) and any(TIMED_OUT in n for n in data["notices"])


def test_quoted_phrases_share_one_budget_of_records_read(library, monkeypatch):
    """max_phrase_checks bounds a query's phrase checks all together, however many phrases it quotes."""
    from kb import asked
    from kb.limits import Limits
    from kb.search import search

    snapshot = library.current()
    reads = []
    original = snapshot.record_text
    monkeypatch.setattr(snapshot, "record_text", lambda n: reads.append(n) or original(n))
    phrases = '"企业 社会保险" "住房 公积金" "延期 缴纳"'
    search(library, phrases, limits=Limits(max_phrase_checks=10_000))
    unbounded = len(reads)
    assert unbounded > 6
    reads.clear()
    monkeypatch.setattr(asked, "NEAREST", 0)       # no clause brought in by its recorded questions (read too)
    result = search(library, phrases, limits=Limits(max_phrase_checks=6, rerank_depth=1))
    assert len(reads) <= 6 + 1          # six phrase checks, and the one record re-ranked
    assert any("核对了词序" in n for n in result.notices)


def test_a_library_searches_with_the_limits_it_was_opened_with(policies_index):
    from kb.library import Library
    from kb.limits import Limits, Settings
    from kb.search import SearchError, search

    narrow = Library(policies_index, Settings(limits=Limits(max_limit=5, max_results=10)))
    with pytest.raises(SearchError, match="1 到 5"):
        search(narrow, Q, limit=6)
    assert DEPTH.replace("20", "10") in " ".join(search(narrow, Q, limit=5, page=3).notices)
    # limits given to one search stand for the library's
    assert len(search(narrow, Q, limit=20, limits=Limits()).hits) == 20


def test_the_caches_keep_no_more_than_the_settings_allow(policies_index):
    from kb.library import Library
    from kb.limits import Settings
    from kb.search import search

    small, default = Library(policies_index, Settings(postings_cache=500, record_cache=7)), Library(policies_index)
    for q in ("企业 贷款", "社保 减免", "住房公积金 缓缴", "房租", "稳岗 补贴", "增值税"):
        search(small, q, limit=10)
        search(default, q, limit=10)
    assert default.current().engine().scorer().postings.size > 500
    snapshot = small.current()
    postings = snapshot.engine().scorer().postings
    assert 0 < postings.size and (postings.size <= 500 or len(postings.cache) == 1)
    assert snapshot.record.cache_info().maxsize == 7 and snapshot.record.cache_info().currsize == 7
    assert snapshot.record_text.cache_info().currsize <= 7


@pytest.mark.parametrize("name", ["postings_cache", "record_cache"])
def test_a_cache_of_no_size_is_refused_in_chinese(name):
    from kb.limits import Settings

    with pytest.raises(ValueError, match=f"缓存大小 {name} 应为正数"):
        Settings(**{name: 0})
