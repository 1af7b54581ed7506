"""Search quality, pinned as behaviour (the scores live in bench/eval): synonyms expand and say so,
question forms find what their keywords find, references open their clause, and what the catalog
knows (validity, newest version, the region served) orders answers that match equally."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb import asked, query
from kb.importer import import_sources
from kb.index import build
from kb.library import Library
from kb.search import search

ROOT = Path(__file__).resolve().parent.parent


def top(lib, q, n=10):
    return [(h.doc_id, h.path) for h in search(lib, q, limit=n).hits]


# ---------------------------------------------------------------- query understanding

def test_everyday_words_expand_to_the_documents_terms_and_say_so(library):
    result = search(library, "社保缓交")
    assert "社会保险费" in result.expanded and "缓缴" in result.expanded
    # the clause says 缓缴社会保险费; neither typed word is in it
    assert ("rsbf-2020-11", "三") in [(h.doc_id, h.path) for h in result.hits[:3]]


def test_the_cli_prints_the_expansions(policies_index):
    out = subprocess.run([sys.executable, "-m", "kb", "search", "公积金缓交", "--index", str(policies_index)],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "同时搜索了：" in out.stdout and "住房公积金" in out.stdout


def test_synonyms_are_matched_on_word_boundaries():
    # 免房租 is a synonym key, but 减免房租 is cut 减免 + 房租: the key read there starts at a word's
    # start (减免房租, or 减免 and 房租), never leaving 减 over
    words = [c.word for c in query.parse("小微企业能减免房租吗？").concepts]
    assert "减" not in words and "免房租" not in words and any("房租" in w for w in words)


def test_question_words_and_lone_characters_are_not_demanded():
    parsed = query.parse("请问拿失业金的条件有哪些？")
    assert parsed.dropped == ["请问", "的", "有哪些"]
    assert [c.word for c in parsed.concepts if c.required] == ["失业金", "条件"]
    assert [c.word for c in parsed.concepts if not c.required] == ["拿"]


@pytest.mark.parametrize("question, keywords", [
    ("受疫情影响的企业可以缓缴社保吗？", "缓缴社保"),
    ("小微企业能减免房租吗？", "小微企业 减免房租"),
    ("请问运输防疫物资的收入要交增值税吗", "运输防疫物资 增值税"),
    ("职工医保缴费能减半吗？", "职工医保 减半"),
])
def test_a_question_finds_what_its_keywords_find(library, question, keywords):
    assert top(library, keywords)[0] in top(library, question, 3)


def test_a_partial_match_still_answers_after_the_full_ones(library):
    # no clause says both 电费 and 优惠; the electricity measures still come back, not nothing
    result = search(library, "电费优惠")
    assert result.hits and result.hits[0].doc_id in {"fgw-dianfei-2020", "fgjg-2020-994"}


# ---------------------------------------------------------------- references

def test_a_document_number_with_a_clause_opens_that_clause(library):
    for q in ("人社部发[2020]11号第三条", "人社部发（2020）11号 第3条"):
        result = search(library, q)
        assert (result.hits[0].doc_id, result.hits[0].path) == ("rsbf-2020-11", "三")
        assert result.hits[0].match == "citation" and result.lookup == result.hits[0].url


@pytest.fixture(scope="module")
def laws(corpus, tmp_path_factory):
    """A small LawRefBook sample imported with the project's importer: one law, one law in two versions,
    and a regulation of 1987 that writes 帐簿 as older texts do."""
    src = [corpus / "社会法" / "劳动合同法(2012-12-28).md",
           corpus / "诉讼与非诉讼程序法" / "行政复议法(2017-09-01).md",
           corpus / "诉讼与非诉讼程序法" / "行政复议法(2023-09-01).md",
           corpus / "行政法规" / "广告管理条例(1987-10-26).md"]
    # the corpus fixture skips when there is no corpus; a corpus without these files is a broken corpus
    assert [p for p in src if not p.is_file()] == []
    out, root = tmp_path_factory.mktemp("laws"), tmp_path_factory.mktemp("laws-index")
    outcomes = import_sources([str(p) for p in src], out)
    assert all(o.status == "written" for o in outcomes), [(o.source, o.reason) for o in outcomes]
    build(out, root, progress=False)
    return Library(root)


@pytest.mark.parametrize("q", ["劳动合同法第82条", "劳动合同法第八十二条", "中华人民共和国劳动合同法 第 82 条"])
def test_a_law_citation_opens_its_clause(laws, q):
    result = search(laws, q)
    assert result.hits[0].path == "第八十二条" and result.hits[0].match == "citation"
    assert result.hits[0].title == "中华人民共和国劳动合同法" and result.lookup == result.hits[0].url


def test_a_citation_of_a_law_in_two_versions_opens_the_newest(laws):
    hit = search(laws, "行政复议法第二十条").hits[0]
    assert hit.date == "2023-09-01" and hit.status == "现行有效"


def test_the_newest_version_ranks_first_when_both_answer(laws):
    # both versions say 六十日内提出行政复议申请 (as 第九条 in 2017, 第二十条 in 2023)
    hits = search(laws, "六十日内提出行政复议申请").hits
    dates = [h.date for h in hits if h.title == "中华人民共和国行政复议法"]
    assert dates[:2] == ["2023-09-01", "2017-09-01"]


@pytest.mark.parametrize("q", ["广告 会计账簿", "广告 会计帐簿", "广告 會計帳簿"])
def test_an_account_book_is_found_however_its_account_character_is_written(laws, q):
    # the regulation writes 会计帐簿 where today's documents write 账簿: index and query both read 账
    hit = search(laws, q).hits[0]
    assert (hit.title, hit.path) == ("广告管理条例", "第十六条")
    assert "会计帐簿" in re.sub("</?mark>", "", hit.snippet) and "帐簿</mark>" in hit.snippet    # shown as written


# ---------------------------------------------------------------- what the catalog knows

def test_a_document_in_force_ranks_above_an_expired_one_with_the_same_text(policies_copy, tmp_path, monkeypatch):
    # the real document recorded as expired, and the same text under another id recorded as in force:
    # only the status differs (the questions recorded for clauses are kept by title, and the twin's
    # title is another: none are counted)
    monkeypatch.setattr(asked, "_table", lambda: {})
    original = re.sub(r"^status: .*$", "status: 已失效", (policies_copy / "cs-swzj-2020-8.md").read_text(encoding="utf-8"),
                      count=1, flags=re.M)
    assert "status: 已失效" in original
    (policies_copy / "cs-swzj-2020-8.md").write_text(original, encoding="utf-8")
    twin = original.replace("id: cs-swzj-2020-8", "id: cs-swzj-2020-8-twin").replace("status: 已失效", "status: 现行有效")
    twin = twin.replace("short_title: 财税公告2020年第8号", "short_title: 财税公告2020年第8号副本")
    twin = twin.replace("title: 关于支持新型冠状病毒", "title: 副本关于支持新型冠状病毒", 1)   # not a version of it
    (policies_copy / "cs-swzj-2020-8-twin.md").write_text(twin, encoding="utf-8")
    build(policies_copy, tmp_path / "index", progress=False)
    hits = top(Library(tmp_path / "index"), "增量留抵税额", 2)
    assert hits == [("cs-swzj-2020-8-twin", "二"), ("cs-swzj-2020-8", "二")]
