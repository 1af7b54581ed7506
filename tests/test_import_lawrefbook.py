"""A sample of the real LawRefBook corpus (../shared, skipped when absent): every file imports into a
document that passes the checker with the source's clauses, or is reported with a reason."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.check import check_paths
from kb.importer import import_sources
from kb.numbering import parse_law_clause

CN = "零〇一二两三四五六七八九十百千"
# Counted straight from the source text, independently of the project's parser: 第X条 paragraphs
# (after a blank line or a heading) and headings that start with a Chinese numeral and 、.
LAW_PARAGRAPH = re.compile(rf"(?:\A|\n\n|^#[^\n]*\n)第[{CN}\d]+条(?:之[{CN}]+)?[ \u3000]", re.M)
POLICY_HEADING = re.compile(rf"^#+\s+[{CN}]+、", re.M)
PICKED = ["民法典/合同编.md", "部门规章/人力资源社会保障部/关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md"]


def _sample(corpus: Path) -> list[Path]:
    files = sorted(corpus.rglob("*.md"))
    return files[::97] + [corpus / p for p in PICKED if (corpus / p).exists()] + \
        sorted((corpus / "案例").rglob("*.md"))[1:3]


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
    assert sum(o.status == "written" for o in outcomes) >= 0.9 * len(files)


def test_imported_files_pass_the_checker_with_the_source_clauses(imported):
    _, outcomes, out = imported
    docs, problems = check_paths([out])
    assert not problems
    by_source = {d.sources[0]: d for d in docs}
    for o in outcomes:
        if o.status != "written":
            continue
        source = Path(o.source).read_text(encoding="utf-8").split("<!-- INFO END -->")[-1]
        source = re.sub(r"<!--.*?-->", "", source)
        doc = by_source[o.source]
        expected = len(LAW_PARAGRAPH.findall(source)) + len(POLICY_HEADING.findall(source))
        assert len(doc.clauses) == expected, o.source
        written = [parse_law_clause(m.group(0).lstrip("\n#").split()[-1] + " …").label
                   for m in LAW_PARAGRAPH.finditer(source)]
        assert [c.label for c in doc.clauses if c.system == "law"] == written, o.source

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
