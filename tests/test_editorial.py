"""The library's words apart from the documents': remarks inside a text (编者注) and points that retell a
press conference, through the parser, the checker, citations, the citation list, search and the pages."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from kb import citedoc
from kb.check import check_paths, load
from kb.cite import REMARKS_HEADING, resolve
from kb.citation import cite
from kb.search import search
from tests.conftest import ROOT

HEAD = ("---\nid: doc-a\ntitle: 测试通知\ntype: 通知\nlevel: 市\nstatus: 现行有效\ncoverage: 官方全文\n"
        "sources: [http://example.org]\nareas: [财税金融]\n---\n\n")
BODY_LINE = HEAD.count("\n") + 1      # the line the body starts on
FIVE_MONTHS = "按5个月算，中小微企业的免征可以执行到2020年6月。"


def write(tmp_path, body: str, name: str = "a.md") -> Path:
    f = tmp_path / name
    f.write_text(HEAD + body, encoding="utf-8")
    return f


def problems_of(path: Path) -> list[tuple[str, int, str]]:
    return [(Path(p.path).name, p.line, p.message) for p in check_paths([path])[1]]


@pytest.fixture(scope="module")
def snapshot(library):
    return library.current()


# ---------------------------------------------------------------- parser and model

def test_both_forms_are_parsed_kept_in_the_text_and_taken_out_of_the_official_text(tmp_path):
    body = ("## 一、减免\n\n中小微企业免征，最多5个月。\n\n编者注：按5个月算，\n可执行到6月。\n\n"
            "政策【编者注：据某通知，为某办〔2020〕1号】延期。\n\n## 二、其他\n\n正文。\n")
    doc, problems = load(write(tmp_path, body))
    assert problems == []
    one = doc.clause("一")
    assert "编者注：按5个月算" in one.text and "【编者注：据某通知" in one.text     # as written: search reads it
    assert one.official_text == "中小微企业免征，最多5个月。\n\n政策延期。"
    assert one.remarks == ["按5个月算，\n可执行到6月。", "据某通知，为某办〔2020〕1号"]
    assert doc.clause("二").remarks == [] and doc.clause("二").official_text == "正文。"


def test_a_paragraph_only_mentioning_the_word_is_the_documents(tmp_path):
    doc, problems = load(write(tmp_path, "## 一、说明\n\n本通知所称编者注：不是标记。\n"))
    assert problems == [] and doc.clause("一").remarks == []


# ---------------------------------------------------------------- checker

@pytest.mark.parametrize("line, message", [
    ("编者注:按5个月算。", "“编者注”后须紧跟全角冒号“：”（写作 编者注：……）"),
    ("编者注：", "编者注是空的：请在“编者注：”之后接着写说明文字"),
    ("政策【编者注：据某通知延期。", "【编者注：……没有结束：须在同一行内以“】”结束"),
    ("政策【编者注：】延期。", "【编者注：】是空的：请在冒号后写说明文字，或删去这个括号"),
    ("政策【编者注:据某通知】延期。", "“【编者注”后须紧跟全角冒号“：”（写作 【编者注：……】）"),
    ("政策【编者注：据【某】通知】延期。", "【编者注：……】里不能再有“【”或“】”（编者注不能套编者注）"),
])
def test_a_malformed_remark_is_named_at_its_line(tmp_path, line, message):
    f = write(tmp_path, f"## 一、减免\n\n正文。\n\n{line}\n")
    assert problems_of(f) == [("a.md", BODY_LINE + 4, message)]


def test_a_remark_paragraph_must_stand_apart_and_headings_hold_none(tmp_path):
    f = write(tmp_path, "## 一、减免\n\n正文第一行，\n编者注：接在原文后面。\n\n## 二、其他【编者注：标题】\n\n正文。\n")
    assert problems_of(f) == [
        ("a.md", BODY_LINE + 3, "“编者注：”开头的段落须单独成段：请在它上面空一行"),
        ("a.md", BODY_LINE + 5, "标题里不能写编者注：编者注写在正文中，单独成段（编者注：……）或写在句中（【编者注：……】）"),
    ]


def test_a_clause_of_remarks_only_has_no_text_unless_partial(tmp_path):
    f = write(tmp_path, "## 一、减免\n\n编者注：来源在此处中断。\n")
    assert problems_of(f) == [("a.md", BODY_LINE, "条款“一”没有正文：只有编者注，编者注不算正文"
                                                 "（来源在此处缺失时，在 meta 中写 partial: true）")]
    f = write(tmp_path, "## 一、减免\n\n```meta\npartial: true\n```\n\n编者注：来源在此处中断。\n")
    assert problems_of(f) == []


def test_kb_check_prints_file_line_and_the_chinese_message(tmp_path):
    f = write(tmp_path, "## 一、减免\n\n政策【编者注：据某通知延期。\n")
    run = subprocess.run([sys.executable, "-m", "kb", "check", str(f)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert f"{f}:{BODY_LINE + 2}: 【编者注：……没有结束：须在同一行内以“】”结束" in run.stdout + run.stderr


def test_the_librarys_remarks_are_marked_in_the_real_documents(snapshot):
    """The remarks found in policies/ (computations, notes on sources, 不完整) are marked, the text kept."""
    one = snapshot.document("rsbf-2020-11").clause("一")
    assert one.remarks == [FIVE_MONTHS]
    assert one.official_text.endswith("机关事业单位不在减免之列。")
    point = snapshot.document("fgw-dianfei-2020").clause("要点2")
    assert point.remarks == ["据国家电网通知，为发改办价格〔2020〕110号"]
    assert point.official_text == "2月7日出台的支持性两部制电价政策执行期限延至2020年6月30日。"
    for doc_id in snapshot.docs:
        for clause in snapshot.document(doc_id).clauses:
            for words in ("按5个月算", "来源在此处中断", "本库不作补写", "未能核实"):
                assert words not in clause.official_text, (doc_id, clause.path, words)


# ---------------------------------------------------------------- citations and the citation list

def test_the_citation_list_quotes_the_text_without_its_remarks_and_gives_them_apart(snapshot):
    [item] = resolve(snapshot, ["rsbf-2020-11/一"]).items
    assert FIVE_MONTHS not in item.parts[0].text and "编者注" not in item.parts[0].text
    assert item.parts[-1].heading == REMARKS_HEADING and item.parts[-1].text == FIVE_MONTHS
    data = item.to_json()
    assert data["text"].index("机关事业单位不在减免之列。") < data["text"].index(REMARKS_HEADING) < data["text"].index(FIVE_MONTHS)


def test_a_remark_of_a_unit_under_the_cited_clause_names_its_unit(snapshot):
    [item] = resolve(snapshot, ["gan-fa-2020-5/二"]).items
    assert item.parts[-1].heading == REMARKS_HEADING
    assert item.parts[-1].text == "第（二）项：本项不完整：来源在此处中断，其后内容未能核实。"
    assert all("编者注" not in p.text and "来源在此处中断" not in p.text for p in item.parts[:-1])


def test_the_downloads_set_the_remark_under_its_heading(snapshot):
    cl = resolve(snapshot, ["rsbf-2020-11/一"])
    md = citedoc.markdown(cl)
    assert md.index("机关事业单位不在减免之列。") < md.index(f"**{REMARKS_HEADING}**") < md.index(FIVE_MONTHS)


def test_a_point_retelling_a_press_conference_is_cited_as_the_conference(snapshot):
    gan = snapshot.document("gan-fa-2020-5")
    assert cite(gan.title, gan.doc_no, gan.status, "要点3", gan.clause("要点3").heading) == (
        "2020年2月17日省政府新闻发布会公布的《关于坚决打赢新冠肺炎疫情防控阻击战促进经济持续健康发展的若干意见》"
        "（甘发〔2020〕5号）要点（本库摘要）（效力未核实）")
    # the document's own numbered clause is still the document's
    assert cite(gan.title, gan.doc_no, gan.status, "二/（一）") == (
        "《关于坚决打赢新冠肺炎疫情防控阻击战促进经济持续健康发展的若干意见》（甘发〔2020〕5号）第二条第（一）项（效力未核实）")
    cj = snapshot.document("cj-2020-5")
    assert cite(cj.title, cj.doc_no, cj.status, "要点3", cj.clause("要点3").heading).startswith(
        "人民银行2020年3月15日发布会通报的《关于打赢疫情防控阻击战强化疫情防控重点保障企业资金支持的紧急通知》")
    # a point of the document's own measure is cited by the document, the 49号 point by 49号, as before
    assert cite(cj.title, cj.doc_no, cj.status, "要点1", cj.clause("要点1").heading) == (
        "《关于打赢疫情防控阻击战强化疫情防控重点保障企业资金支持的紧急通知》（财金〔2020〕5号）（效力未核实）")
    rsbf = snapshot.document("rsbf-2020-11")
    assert cite(rsbf.title, rsbf.doc_no, rsbf.status, "要点1", rsbf.clause("要点1").heading) == "人社部发〔2020〕49号（已失效）"


def test_a_press_conference_held_as_a_document_is_cited_without_book_title_marks(snapshot):
    [point, whole] = resolve(snapshot, ["rsb-wengang-2020-02-11/要点1", "gwy-chuifenghui-2020-03-25"]).items
    assert point.citation == "放宽稳岗返还政策（2020年2月11日发布会）要点一（本库摘要）（效力未核实）"
    assert "2020年2月11日发布会上的介绍" in point.note and "不是官方文件的原文" in point.note
    assert whole.citation == "提高中小微企业稳岗返还标准（国务院政策例行吹风会2020年3月25日）（效力未核实）"


def test_search_finds_a_remarks_words_and_its_snippet_keeps_the_mark(library):
    hits = search(library, "两部制电价 国家电网通知").hits
    assert (hits[0].doc_id, hits[0].path) == ("fgw-dianfei-2020", "要点2")
    assert "【编者注：据国家电网通知" in hits[0].snippet.replace("<mark>", "").replace("</mark>", "")


def test_search_results_cite_a_press_conference_point_as_the_clause_page_does(library, snapshot):
    hits = search(library, "吸纳就业企业 扶贫车间 运费补贴").hits
    hit = next(h for h in hits if (h.doc_id, h.path) == ("gan-fa-2020-5", "要点5"))
    assert hit.citation.startswith("2020年2月17日省政府新闻发布会公布的《") and "（本库摘要）" in hit.citation


# ---------------------------------------------------------------- pages

def tree(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True))


def test_the_clause_page_sets_the_remark_apart_with_its_label_and_cites_without_it(client):
    page = tree(client.get("/doc/rsbf-2020-11/一"))
    [remark] = page.xpath('//div[contains(@class, "clause-text")]//p[@class="remark"]')
    assert remark.xpath('./span[@class="remark-label"]/text()') == ["编者注"]
    assert remark.text_content() == "编者注：" + FIVE_MONTHS
    others = page.xpath('//div[contains(@class, "clause-text")]//p[not(@class)]')
    assert others and all("按5个月算" not in p.text_content() for p in others)
    assert page.xpath('//p[@class="remarks-note"]')
    assert "按5个月" not in page.xpath('string(//p[@id="citation"])')


def test_the_document_page_marks_a_remark_inside_a_sentence(client):
    page = tree(client.get("/doc/fgw-dianfei-2020"))
    [span] = page.xpath('//section[@id="clause-要点2"]//span[@class="remark"]')
    assert span.text_content() == "编者注：据国家电网通知，为发改办价格〔2020〕110号"
    paragraph = span.getparent()
    assert paragraph.text == "2月7日出台的支持性两部制电价政策" and span.tail == "执行期限延至2020年6月30日。"


def test_a_press_conference_point_page_says_what_the_citation_points_to(client):
    page = tree(client.get("/doc/gan-fa-2020-5/要点3"))
    assert page.xpath('string(//p[@id="citation"])').startswith("2020年2月17日省政府新闻发布会公布的《")
    hint = page.xpath('string(//section[@class="cite"]//p[@class="citation-hint"])')
    assert "发布会上的介绍" in hint and "不是官方文件" in hint


def test_remark_markup_in_a_text_cannot_forge_html(client, snapshot):
    from web.render import to_html
    assert to_html('<p class="remark">假的</p>【编者注：<script>x</script>】') == (
        '<p>&lt;p class="remark"&gt;假的&lt;/p&gt;<span class="remark"><span class="remark-label">编者注'
        '<span class="visually-hidden">：</span></span>&lt;script&gt;x&lt;/script&gt;</span></p>')


def test_a_remark_in_the_preamble_is_marked_and_explained(client):
    page = tree(client.get("/doc/rmyh-lanzhou-2020"))
    [span] = page.xpath('//div[@class="preamble"]//span[@class="remark"]')
    assert span.text_content().startswith("编者注：实施情况，据每日甘肃网2020年4月2日报道：")
    assert page.xpath('//section[@class="body"]/p[@class="remarks-note"]')
    assert not tree(client.get("/doc/ybf-2020-6")).xpath('//p[@class="remarks-note"]')
