"""Annexes as references and citations: 附件一 and 附件1 name one annex; it is cited by its name and
a query naming a document and its annex opens the annex."""
from __future__ import annotations

from pathlib import Path

from kb.citation import cite, clause_part
from kb.importer import import_sources
from kb.index import build
from kb.library import Library
from kb.refs import find_clause_ref
from kb.search import search

RULES = Path(__file__).parent / "fixtures" / "import" / "lawrefbook" / "司法解释" / "示例法院关于审理示例案件的规定(2021-06-01).md"


def test_an_annex_is_named_by_either_numeral():
    assert find_clause_ref("示例规定附件一").labels == ("附件一", "附件1")
    assert find_clause_ref("示例规定 附表2").labels == ("附表2", "附表二")
    assert find_clause_ref("示例规定附件一第七条").labels[0] == "第七条"     # an article of the annex's document
    assert find_clause_ref("示例规定 附件 怎么填") is None                  # a bare 附件 is a word


def test_an_annex_is_cited_by_its_name():
    assert clause_part("附件一") == "附件一" and clause_part("附") == "附"
    assert cite("示例规定", "法释〔2021〕1号", "已失效", "附表二") == "《示例规定》（法释〔2021〕1号）附表二（已失效）"


def test_a_query_naming_a_document_and_its_annex_opens_the_annex(tmp_path, policies_copy):
    [o] = import_sources([str(RULES)], policies_copy)
    index = tmp_path / "index"
    build(policies_copy, index, progress=False)
    library = Library(index)
    for q in ("示例法院关于审理示例案件若干问题的规定附件2", "示例法院关于审理示例案件若干问题的规定 附件二"):
        result = search(library, q)
        assert result.lookup == f"/doc/{o.path.stem}/%E9%99%84%E4%BB%B6%E4%BA%8C", q
        assert result.hits[0].citation == "《示例法院关于审理示例案件若干问题的规定》附件二"
