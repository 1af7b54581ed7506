"""A sample of the real LawRefBook corpus (../shared, skipped when absent): every file imports into a
document that passes the checker with the source's clauses and annexes, or is reported with a reason."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.check import check_paths
from kb.citation import cite
from kb.importer import import_sources
from kb.numbering import parse_law_clause

CN = "零〇一二两三四五六七八九十百千"
# Counted straight from the source text, independently of the project's parser: 第X条 paragraphs
# (after a blank line or a heading) and headings that start with a Chinese numeral and 、.
LAW_PARAGRAPH = re.compile(rf"(?:\A|\n\n|^#[^\n]*\n)第[{CN}\d]+条(?:之[{CN}]+)?[ \u3000]", re.M)
POLICY_HEADING = re.compile(rf"^#+\s+[{CN}]+、", re.M)
PICKED = ["民法典/合同编.md", "部门规章/人力资源社会保障部/关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md",
          # annexes: as paragraphs and headings, numbered 一 and 1, 附表 and 附; a list of annexes in the text
          # (附件：1.…), the annex repeated just above it, a form's own 附件 line inside an annex
          "宪法相关法/香港特别行政区基本法(1990-04-04).md", "经济法/环境保护税法(2018-10-26).md",
          "行政法规/电信条例(2016-02-06).md", "刑法/刑法.md",
          "司法解释/最高人民法院关于综合治理类司法建议工作若干问题的规定(2023-11-15).md",
          "行政法规/矿产资源法实施细则(1994-03-26).md",
          # parts numbered 一、 beside 第X条 clauses
          "司法解释/最高人民法院关于适用《行政诉讼法》的解释(2018-02-06).md",
          # a Markdown table
          "司法解释/最高人民法院、最高人民检察院关于执行《刑法》确定罪名的补充规定（二）(2003-08-15).md"]


def _sample(corpus: Path) -> list[Path]:
    files = sorted(corpus.rglob("*.md"))
    picked = [corpus / p for p in PICKED]
    # the corpus fixture skips when there is no corpus; one without these files is a broken corpus
    assert [p for p in picked if not p.is_file()] == []
    return files[::97] + picked + sorted((corpus / "案例").rglob("*.md"))[1:3]


@pytest.fixture(scope="module")
def imported(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("lawrefbook")
    files = _sample(corpus)
    return files, import_sources([str(f) for f in files], out), out


def test_every_sampled_file_is_imported_or_reported(imported):
    files, outcomes, _ = imported
    assert [o.source for o in outcomes] == [str(f) for f in files]
    for o in outcomes:
        assert o.status in ("written", "skipped", "failed")
        if o.status != "written":
            assert o.reason, o.source
    # the sample's only files that are not laws are LawRefBook's folder pages
    site_pages = [str(f) for f in files if f.name == "_index.md"]
    assert site_pages and [o.source for o in outcomes if o.status != "written"] == site_pages
    assert {(o.status, o.reason) for o in outcomes if o.status != "written"} == {
        ("failed", "LawRefBook 的站点页面（文件夹说明或格式模板），不是法规文件")}


def _source_text(source: str) -> str:
    text = Path(source).read_text(encoding="utf-8").split("<!-- INFO END -->")[-1]
    return re.sub(r"<!--.*?-->", "", text)


def _annex_line(label: str) -> re.Pattern:
    """A source line opening the annex so labelled: 附件一：…, ## 附件一, 附表二, 附："""
    return re.compile(rf"^(?:#+\s+)?{label}(?:[：: \u3000].*)?$", re.M)


def test_imported_files_pass_the_checker_with_the_source_clauses(imported):
    _, outcomes, out = imported
    docs, problems = check_paths([out])
    assert not problems
    by_source = {d.sources[0]: d for d in docs}
    for o in outcomes:
        if o.status != "written":
            continue
        source, doc = _source_text(o.source), by_source[o.source]
        # each annex opens at a line of the source naming it, in order; the text proper ends at the first
        ends, position = [], 0
        for annex in (c for c in doc.clauses if c.system == "annex"):
            line = _annex_line(annex.label).search(source, position)
            assert line, (o.source, annex.label)
            ends.append(line.start())
            position = line.end()
        text = source[:ends[0]] if ends else source
        written = [parse_law_clause(m.group(0).lstrip("\n#").split()[-1] + " …").label
                   for m in LAW_PARAGRAPH.finditer(text)]
        assert [c.label for c in doc.clauses if c.system == "law"] == written, o.source
        # headings numbered 一、 are clauses of a notice, parts of a law (which has 第X条 clauses)
        policy = 0 if written else len(POLICY_HEADING.findall(text))
        assert len(doc.clauses) == len(written) + policy + len(ends), o.source

def test_folder_type_version_date_and_status(imported, corpus):
    _, outcomes, out = imported
    docs = {d.sources[0]: d for d in check_paths([out])[0]}
    contract = docs[str(corpus / PICKED[0])]
    assert contract.title == "中华人民共和国民法典（合同编）" and contract.aliases == ["中华人民共和国民法典"]
    assert contract.coverage == "部分条款" and contract.clauses[0].label == "第四百六十三条"
    notice = docs[str(corpus / PICKED[1])]
    assert (notice.type, notice.level, notice.date.isoformat()) == ("部门规章", "部门", "2009-03-29")
    assert notice.issuers == ["人力资源社会保障部"]
    cases = [source for source in docs if "/案例/" in source]
    assert cases                             # the sample takes cases (_sample): their checks below run
    for source, doc in docs.items():
        assert doc.status in ("现行有效", "已修改", "尚未生效")
        if source in cases:
            assert doc.type == "案例" and not doc.clauses and doc.preamble
            assert doc.title == Path(source).stem


def test_folder_pages_are_skipped_not_imported(corpus, tmp_path):
    page = corpus / "刑法" / "_index.md"
    outcomes = import_sources([str(corpus / "刑法")], tmp_path)
    skipped = [o for o in outcomes if o.source == str(page)]
    assert skipped[0].status == "skipped" and "不是法规文件" in skipped[0].reason
    assert all(o.status == "written" for o in outcomes if o.source != str(page))


def _doc(imported, corpus, name):
    _, outcomes, out = imported
    docs = {d.sources[0]: d for d in check_paths([out])[0]}
    return docs[str(corpus / name)]


def _annexes(doc):
    return [(c.label, c.heading) for c in doc.clauses if c.system == "annex"]


def test_annexes_are_units_of_their_own_after_the_articles(imported, corpus):
    basic = _doc(imported, corpus, "宪法相关法/香港特别行政区基本法(1990-04-04).md")
    laws = [c for c in basic.clauses if c.system == "law"]
    assert (laws[0].label, laws[-1].label, len(laws)) == ("第一条", "第一百六十条", 160)
    assert _annexes(basic) == [("附件一", "香港特别行政区行政长官的产生办法"),
                               ("附件二", "香港特别行政区立法会的产生办法和表决程序"),
                               ("附件三", "在香港特别行政区实施的全国性法律")]
    first, second = basic.clause("附件一"), basic.clause("附件二")
    assert first.text.startswith("一、行政长官由一个具有广泛代表性的选举委员会") and first.context == []
    assert "## 一、立法会的产生办法" in second.text      # a heading inside an annex is its text
    assert "附件一" not in laws[-1].text
    assert cite(basic.title, basic.doc_no, basic.status, "附件一") == "《中华人民共和国香港特别行政区基本法》附件一"

    tax = _doc(imported, corpus, "经济法/环境保护税法(2018-10-26).md")
    assert _annexes(tax) == [("附表一", ""), ("附表二", "")]
    assert tax.clause("附表一").text == "环境保护税税目税额表"
    assert len([c for c in tax.clauses if c.system == "law"]) == 28

    telecom = _doc(imported, corpus, "行政法规/电信条例(2016-02-06).md")
    assert _annexes(telecom) == [("附", "")] and "一、基础电信业务" in telecom.clause("附").text
    assert cite(telecom.title, "", "", "附") == "《中华人民共和国电信条例》附"


def test_a_list_of_annexes_in_the_text_and_a_repeated_line_are_not_annexes(imported, corpus):
    advice = _doc(imported, corpus, "司法解释/最高人民法院关于综合治理类司法建议工作若干问题的规定(2023-11-15).md")
    assert _annexes(advice) == [("附件1", ""), ("附件2", ""), ("附件3", "")]
    assert "附件：1.人民法院司法建议书制作规范" in advice.clauses[-4].text     # the list stays in the last article
    assert "附件：（按顺序列明" in advice.clause("附件2").text                  # the form's own 附件 line
    mining = _doc(imported, corpus, "行政法规/矿产资源法实施细则(1994-03-26).md")
    assert _annexes(mining) == [("附件", "")]
    assert mining.clause("附件").text.startswith("矿产资源分类细目")


def test_parts_numbered_like_notices_group_the_articles_of_an_interpretation(imported, corpus):
    doc = _doc(imported, corpus, "司法解释/最高人民法院关于适用《行政诉讼法》的解释(2018-02-06).md")
    assert {c.system for c in doc.clauses} == {"law"}
    assert doc.clauses[0].label == "第一条" and doc.clauses[0].context == ["一、受案范围"]
    assert doc.clauses[-1].context == ["十三、附则"]


def test_a_markdown_table_is_kept_as_a_table(imported, corpus):
    name = "司法解释/最高人民法院、最高人民检察院关于执行《刑法》确定罪名的补充规定（二）(2003-08-15).md"
    doc = _doc(imported, corpus, name)
    table = [l for l in _source_text(str(corpus / name)).split("\n") if l.startswith("|")]
    assert len(table) == 7 and "\n".join(table) in doc.preamble
