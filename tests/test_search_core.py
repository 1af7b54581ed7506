"""The known traps of Whoosh + jieba, and the search CLI's contract."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb.index import build
from kb.library import Library
from kb.search import SearchError, search

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "core"
HIT_KEYS = {"doc_id", "title", "doc_no", "date", "source", "clause", "heading", "areas", "score", "citation",
            "snippet", "url"}


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("core-index")
    build(FIXTURES, root, progress=False)
    return root


@pytest.fixture(scope="module")
def lib(fixture_index):
    return Library(fixture_index)


def top(lib, q, **kw):
    return [(h.doc_id, h.path) for h in search(lib, q, **kw).hits]


def test_quoted_phrases_find_their_clause(lib):
    # stock ChineseAnalyzer stores character offsets of overlapping tokens: every phrase misses
    assert top(lib, '"不合理审批"')[0] == ("gbf-2020-6-fixture", "一/（一）")
    assert top(lib, '"银行的贷款"')[0] == ("law-format-fixture", "第三条之一")


def test_a_compound_word_matches_text_where_it_is_never_one_token(lib):
    # 银行贷款 must not become AND(银行, 贷款, 银行贷款): the text says 银行的贷款
    assert ("law-format-fixture", "第三条之一") in top(lib, "银行贷款")


def test_clause_numbers_in_arabic_or_chinese_open_the_clause(lib):
    for q in ("格式示例法第4条", "格式示例法第四条", "中华人民共和国格式示例法 第 4 条"):
        result = search(lib, q)
        assert result.hits[0].path == "第四条" and result.hits[0].match == "citation", q
        assert result.lookup == "/doc/law-format-fixture/%E7%AC%AC%E5%9B%9B%E6%9D%A1"
    assert top(lib, "格式示例法第3条之一")[0] == ("law-format-fixture", "第三条之一")


@pytest.mark.parametrize("q", ["国办发〔2020〕6号", "国办发[2020]6号", "国办发(2020)6号", "国办发［2020］6号",
                               "国办发（2020）6号", "国办发【2020】6号"])
def test_document_numbers_in_any_bracket_style(lib, q):
    result = search(lib, q)
    assert result.hits[0].doc_id == "gbf-2020-6-fixture" and result.lookup == "/doc/gbf-2020-6-fixture"


def test_document_number_with_clause_and_item(lib):
    assert top(lib, "国办发〔2020〕6号第一条第（二）项")[0] == ("gbf-2020-6-fixture", "一/（二）")


@pytest.mark.parametrize("q", ['"', '"未闭合', "AND", "OR NOT", "*", "-", "😀" * 10, "", "   ", "a" * 5000,
                               "第" * 3000, "〔2020〕", "()", "\x00", "<script>alert(1)</script>"])
def test_any_query_gives_results_or_nothing_never_an_error(lib, q):
    result = search(lib, q)
    assert len(result.hits) == min(result.total, 10)          # a first page of the default 10
    snapshot = lib.current()
    for hit in result.hits:
        assert "<script>" not in hit.snippet
        assert hit.doc_id in snapshot.docs and (not hit.path or snapshot.document(hit.doc_id).clause(hit.path))


def test_long_queries_are_cut_and_said_so(lib):
    assert search(lib, "贷款" * 3000).truncated


def test_filters_and_bad_requests(lib):
    # of the four records that say 就业, two are in 政务服务 (the clause and, through it, its document)
    assert top(lib, "就业", filters={"area": ["gov-services"]}) == [("gbf-2020-6-fixture", "一/（一）"),
                                                                  ("gbf-2020-6-fixture", "")]
    assert len(top(lib, "就业")) == 4
    with pytest.raises(SearchError, match="未知的支持领域"):
        search(lib, "贷款", filters={"area": ["nope"]})
    with pytest.raises(SearchError):
        search(lib, "贷款", limit=0)
    with pytest.raises(SearchError):
        search(lib, "贷款", page=10**9)


def test_expired_documents_say_so_in_the_citation(lib):
    hit = search(lib, '"不合理审批"').hits[0]
    assert hit.citation == "《国务院办公厅关于应对新冠肺炎疫情影响强化稳就业举措的实施意见》（国办发〔2020〕6号）第一条第（一）项（已失效）"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=ROOT, capture_output=True, text=True)


def test_ctrl_c_while_the_command_loads_leaves_quietly(fixture_index, interrupt_at):
    """As a command interrupted while it searches: status 130, no traceback, nothing printed."""
    run = subprocess.run([sys.executable, "-m", "kb", "search", "贷款", "--index", str(fixture_index)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env=interrupt_at("kb.search"))
    assert (run.returncode, run.stderr, run.stdout) == (130, "", "")


def test_cli_json_contract(fixture_index):
    out = run_cli("search", "银行贷款", "--json", "--index", str(fixture_index))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"query", "total", "hits"} <= set(data) and data["query"] == "银行贷款"
    assert data["hits"] and all(HIT_KEYS <= set(h) for h in data["hits"])
    hit = next(h for h in data["hits"] if h["clause"] == "第三条之一")
    assert hit["url"].startswith("/doc/law-format-fixture/") and "<mark>银行</mark>" in hit["snippet"]


def test_cli_readable_output_and_errors(fixture_index, tmp_path):
    out = run_cli("search", "银行贷款", "--index", str(fixture_index))
    assert out.returncode == 0 and "《中华人民共和国格式示例法》第三条之一" in out.stdout
    for args in (("search", '"', "--index", str(fixture_index)), ("search", "", "--index", str(fixture_index))):
        r = run_cli(*args)
        assert r.returncode == 0 and "Traceback" not in r.stderr
    missing = run_cli("search", "贷款", "--index", str(tmp_path / "none"))
    assert missing.returncode == 2 and "没有找到索引" in missing.stderr and "Traceback" not in missing.stderr
    bad = run_cli("search", "贷款", "--area", "nope", "--index", str(fixture_index))
    assert bad.returncode == 2 and "未知的支持领域" in bad.stderr


def test_a_clause_of_a_catalogue_only_document_says_it_is_not_held(library):
    result = search(library, "13条第五条")
    assert result.lookup == ""
    assert result.hits[0].doc_id == "jyg-13tiao-2020" and result.hits[0].match == "document"
    assert result.notices == ["《嘉峪关市应对新冠肺炎疫情支持企业发展若干政策措施》在本库中的收录范围为“仅目录信息”，"
                              "第五条的条文未能收录；以下是该文件的记录。"]


def test_the_depth_notice_speaks_only_of_results_beyond_reach(library):
    """Past max_results the answer says so; a query with fewer results than that has nothing
    beyond reach, and a page past its last one is only empty."""
    from kb.limits import Limits
    few = search(library, "社保 减免", page=3, limit=10, limits=Limits(max_results=20))
    assert few.total < 20 and not few.hits and not [n for n in few.notices if "只能翻看前" in n]
    many = search(library, "企业", page=3, limit=10, limits=Limits(max_results=20))
    assert many.total > 20 and not many.hits and [n for n in many.notices if "只能翻看前 20 条" in n]


@pytest.mark.parametrize("q", ["疫情", "复工复产", "小微企业社保能免吗", "疫情 企业 贷款"])
def test_pages_follow_one_order(library, q):
    """Page after page is one list: no clause twice, none skipped, the same total on every page, and
    the same as one long page. What is re-ranked, and whether clauses holding part of the query
    take part, must not depend on how many results a page asks for."""
    pages = [search(library, q, limit=10, page=p) for p in range(1, 6)]
    paged = [(h.doc_id, h.path) for r in pages for h in r.hits]
    assert len({r.total for r in pages}) == 1 and pages[0].total > 30
    assert paged == [(h.doc_id, h.path) for h in search(library, q, limit=50).hits]
    assert len(paged) == len(set(paged)) == min(50, pages[0].total)
