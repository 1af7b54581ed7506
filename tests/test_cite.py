"""The citation list (引用清单): the reply draft, the .docx and Markdown, /cite and /api/cite, `kb cite`, bad input."""
from __future__ import annotations

import dataclasses
import io
from urllib.parse import parse_qs, quote, urlsplit

import docx
import pytest
from lxml import html as lxml_html

from kb import cli, citedoc
from kb.cite import MAX_ITEMS, PLACEHOLDER, CiteError, list_url, resolve, warning
from kb.citation import cite
from kb.search import search

# three documents, a sub-unit, a clause whose items the citation covers, an unnumbered point
REFS = ["rsbf-2020-11/一", "gan-fa-2020-5/二/（一）", "cs-swzj-2020-8/三"]
REPLY = (
    "根据《关于阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号）第一条（已失效）的规定，……；\n"
    "根据《关于坚决打赢新冠肺炎疫情防控阻击战促进经济持续健康发展的若干意见》（甘发〔2020〕5号）第二条第（一）项（效力未核实）的规定，……；\n"
    "根据《关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告》（财政部 税务总局公告2020年第8号）第三条（效力未核实）的规定，……。"
)
CATALOGUE_ONLY = ["jyg-48tiao-2020", "jyg-13tiao-2020"]
# the address the site is reached at, from which the downloads write their links
SITE = "https://zc.example.gov.cn"


@pytest.fixture(scope="module")
def snapshot(library):
    return library.current()


def official(snapshot, reference: str) -> str:
    doc_id, _, path = reference.partition("/")
    d = snapshot.document(doc_id)
    return cite(d.title, d.doc_no, d.status, path)


def tree_of(response):
    return lxml_html.fromstring(response.get_data(as_text=True))


def query(*refs: str) -> str:
    return "&".join(f"c={quote(r)}" for r in refs)


# ---------------------------------------------------------------- the list and the reply text

def test_reply_is_in_the_form_staff_write_with_the_official_citations_in_order(snapshot):
    cl = resolve(snapshot, REFS)
    assert cl.reply == REPLY
    assert [i.citation for i in cl.items] == [official(snapshot, r) for r in REFS]
    first, second, third = REPLY.splitlines()
    assert resolve(snapshot, REFS[::-1]).reply.splitlines() == [third[:-1] + "；", second, first[:-1] + "。"]


def test_a_citation_named_twice_is_written_once(snapshot):
    # two unnumbered points of one notice are both cited by the notice
    cl = resolve(snapshot, ["cj-2020-5/要点1", "rsbf-2020-11/一", "cj-2020-5/要点2"])
    assert len(cl.items) == 3
    assert cl.items[0].citation == cl.items[2].citation == official(snapshot, "cj-2020-5")
    assert cl.reply.splitlines() == [f"根据{official(snapshot, 'cj-2020-5')}的规定，{PLACEHOLDER}；",
                                     f"根据{official(snapshot, 'rsbf-2020-11/一')}的规定，{PLACEHOLDER}。"]
    assert "官方条号未能核实" in cl.items[0].note


def test_a_clause_brings_the_units_under_it(snapshot):
    item = resolve(snapshot, ["gan-fa-2020-5/二"]).items[0]
    doc = snapshot.document("gan-fa-2020-5")
    assert item.heading == "第二条 全力做好疫情防控保障"
    # then the library's remarks in them, apart (tests/test_editorial.py)
    assert [p.heading for p in item.parts][:2] == ["第（一）项 加大防疫物资生产", "第（二）项 大力支持防疫防护生产体系建设"]
    assert [p.text for p in item.parts][:2] == [doc.clause("二/（一）").official_text, doc.clause("二/（二）").official_text]


def test_repeats_and_stray_slashes_are_one_item(snapshot):
    cl = resolve(snapshot, ["rsbf-2020-11/一", " rsbf-2020-11//一/ ", "", "rsbf-2020-11/一"])
    assert cl.refs == ["rsbf-2020-11/一"] and cl.problems == []


def test_the_validity_warning_comes_from_one_function(snapshot):
    doc = snapshot.document("rsbf-2020-11")
    assert doc.status == "已失效"
    item = resolve(snapshot, ["rsbf-2020-11/一"]).items[0]
    assert item.warning == warning(doc) and "已失效" in item.warning
    assert item.validity == f"效力状态：已失效（{doc.status_note}）。{warning(doc)}"
    assert doc.status_note.startswith("按执行期限 2020-12-31 推定已失效")
    assert warning(dataclasses.replace(doc, status="现行有效")) == ""
    assert warning(dataclasses.replace(doc, status="尚未生效")) != warning(doc) != ""


def test_a_document_whose_validity_is_not_verified_says_so_in_citation_warning_and_reply(snapshot):
    doc = snapshot.document("cs-swzj-2020-8")
    assert doc.status == "效力未核实"
    item = resolve(snapshot, ["cs-swzj-2020-8/四"]).items[0]
    assert item.citation == "《关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告》（财政部 税务总局公告2020年第8号）第四条（效力未核实）"
    assert item.warning == warning(doc) == "所在文件的效力未能核实（来源没有写明是否仍然有效），引用前请向发文机关或官方渠道确认。"
    assert item.validity == f"效力状态：效力未核实（{doc.status_note}）。{item.warning}"
    assert "另行公告" in doc.status_note
    whole = resolve(snapshot, ["jyg-48tiao-2020"])
    assert whole.reply == "根据《关于坚决打赢新冠肺炎疫情防控阻击战促进经济持续健康发展的实施意见》（效力未核实）的规定，……。"


# ---------------------------------------------------------------- bad input

def test_unknown_document_and_clause_are_named_and_the_rest_kept(snapshot):
    cl = resolve(snapshot, ["no-such-doc/一", REFS[0], "rsbf-2020-11/十九", REFS[2]])
    assert cl.refs == [REFS[0], REFS[2]]
    assert cl.problems == ["知识库中没有编号为“no-such-doc”的文件，引用“no-such-doc/一”已略去。",
                           "《关于阶段性减免企业社会保险费的通知》中没有条款“十九”，已略去。"]


def test_more_than_the_cap_is_refused(snapshot):
    doc = snapshot.document("gan-fa-2020-5")
    assert resolve(snapshot, [f"x{i}" for i in range(MAX_ITEMS)]).problems     # 50 is read (and named)
    with pytest.raises(CiteError, match=f"最多 {MAX_ITEMS} 条，这份有 {MAX_ITEMS + 1} 条"):
        resolve(snapshot, [f"{doc.id}/{c.path}" for c in doc.clauses] + [f"x{i}" for i in range(MAX_ITEMS + 1 - len(doc.clauses))])


@pytest.mark.parametrize("doc_id", CATALOGUE_ONLY)
def test_a_catalogue_only_document_is_cited_as_a_document_with_its_coverage(snapshot, doc_id):
    doc = snapshot.document(doc_id)
    assert doc.coverage == "仅目录信息" and not doc.clauses
    cl = resolve(snapshot, [doc_id])
    item = cl.items[0]
    assert item.clause is None and item.citation == cite(doc.title, doc.doc_no, doc.status)
    assert item.coverage.startswith("仅目录信息（未取得条款文本")
    assert any(doc.coverage_note in line for line in item.remarks)
    assert cl.reply == f"根据{item.citation}的规定，{PLACEHOLDER}。"
    refused = resolve(snapshot, [f"{doc_id}/一"])
    assert refused.items == []
    assert refused.problems == [f"本库没有收录《{doc.title}》的条款文本（收录范围：仅目录信息），引用“{doc_id}/一”"
                                f"已略去；可以引用整份文件（{doc_id}）。"]


# ---------------------------------------------------------------- .docx and Markdown

def _docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def test_docx_holds_reply_headings_citations_texts_and_sources_in_order(snapshot):
    cl = resolve(snapshot, REFS + ["jyg-48tiao-2020", "nowhere/一"])
    d = _docx(citedoc.docx(cl, SITE, list_url(cl.refs)))
    paragraphs = [p.text for p in d.paragraphs]
    bold = [p.text for p in d.paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert bold == [i.citation for i in cl.items]
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 2"] == [
        f"{n}. {i.heading}" for n, i in enumerate(cl.items, 1)]
    lines = cl.reply.splitlines()
    start = paragraphs.index(lines[0])
    assert paragraphs[start:start + len(lines)] == lines
    for item in cl.items:
        for part in item.parts:
            assert part.text in paragraphs
        assert f"本库链接：{SITE}{item.url}" in paragraphs
    assert cl.problems[0] in paragraphs
    assert f"{SITE}/cite?c=rsbf-2020-11/" in paragraphs[1]
    table = d.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == list(citedoc.SOURCE_COLUMNS)
    assert [r[0] for r in rows[1:]] == [doc.title + (f"（{doc.doc_no}）" if doc.doc_no else "") for doc, _ in cl.groups()]
    assert [r[3].split("\n") for r in rows[1:]] == [doc.sources for doc, _ in cl.groups()]
    assert [r[4] for r in rows[1:]] == ["1", "2", "3", "4"]


def test_markdown_holds_the_same_in_the_same_order(snapshot):
    cl = resolve(snapshot, REFS + ["cj-2020-5/要点1"])
    text = citedoc.markdown(cl)
    positions = [text.index(f"**{i.citation}**") for i in cl.items]
    assert positions == sorted(positions)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [f"### {n}. {i.heading}" for n, i in enumerate(cl.items, 1)]
    assert "\n\n".join(cl.reply.splitlines()) in text
    assert all(f"> {line}  " in text for i in cl.items for line in i.remarks)
    table = text.split("## 来源\n\n", 1)[1].splitlines()
    assert table[0] == "| 文件 | 效力状态 | 收录范围 | 来源 | 条目 |"
    assert len(table) == 2 + len(cl.groups())
    assert table[2].startswith("| 关于阶段性减免企业社会保险费的通知（人社部发〔2020〕11号） | 已失效 | 部分条款 | https://")


# ---------------------------------------------------------------- the web

def test_api_gives_the_items_and_the_reply(client, snapshot):
    data = client.get("/api/cite?" + query(*REFS, "nowhere/一")).get_json()
    assert data["reply"] == REPLY == resolve(snapshot, REFS).reply
    assert data["count"] == 3 and [i["ref"] for i in data["items"]] == REFS
    first = data["items"][0]
    assert first["citation"] == official(snapshot, REFS[0])
    assert first["status"] == "已失效" and first["warning"] == warning(snapshot.document("rsbf-2020-11"))
    assert first["text"].startswith(snapshot.document("rsbf-2020-11").clause("一").official_text + "\n\n编者注（")
    assert first["sources"] == snapshot.document("rsbf-2020-11").sources
    assert first["url"] == "/doc/rsbf-2020-11/%E4%B8%80"
    assert data["problems"] == ["知识库中没有编号为“nowhere”的文件，引用“nowhere/一”已略去。"]


def test_api_refuses_a_list_over_the_cap_in_chinese(client):
    response = client.get("/api/cite?" + query(*(f"d{i}/一" for i in range(MAX_ITEMS + 1))))
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"引用清单最多 {MAX_ITEMS} 条")


def test_page_shows_the_list_in_order_with_warnings_coverage_and_sources(client, snapshot):
    response = client.get("/cite?" + query(REFS[2], "nowhere/一", REFS[0], "jyg-13tiao-2020"))
    assert response.status_code == 200
    tree = tree_of(response)
    items = tree.xpath('//li[@class="cite-item"]')
    assert [li.get("data-ref") for li in items] == [REFS[2], REFS[0], "jyg-13tiao-2020"]
    assert [li.xpath('.//p[@class="citation-text"]')[0].text for li in items] == [
        official(snapshot, r) for r in (REFS[2], REFS[0], "jyg-13tiao-2020")]
    assert [li.xpath('.//p[@class="warning"]')[0].text for li in items] == [
        warning(snapshot.document(r.partition("/")[0])) for r in (REFS[2], REFS[0], "jyg-13tiao-2020")]
    assert "仅目录信息" in items[2].xpath('.//p[@class="coverage-note"]')[0].text_content()
    assert snapshot.document("rsbf-2020-11").sources[0] in items[1].text_content()
    assert "“nowhere”" in tree.xpath('//div[@class="message error"]')[0].text_content()
    reply = tree.xpath('//div[@id="reply-text"]')[0].text_content()
    assert reply == resolve(snapshot, [REFS[2], REFS[0], "jyg-13tiao-2020"]).reply
    downloads = tree.xpath('//nav[@class="cite-tools"]//a/@href')
    assert f"/cite.docx?{list_url([REFS[2], REFS[0], 'jyg-13tiao-2020']).partition('?')[2]}" in downloads


def test_page_edits_are_links_without_javascript(client):
    tree = tree_of(client.get("/cite?" + query(*REFS)))
    second = tree.xpath('//li[@class="cite-item"]')[1]
    up = second.xpath('.//a[@data-cite-nav="up"]')[0].get("href")
    assert parse_qs(urlsplit(up).query)["c"] == [REFS[1], REFS[0], REFS[2]]
    removed = second.xpath('.//a[@data-cite-nav="remove"]')[0].get("href")
    assert [li.get("data-ref") for li in tree_of(client.get(removed)).xpath('//li[@class="cite-item"]')] == [
        REFS[0], REFS[2]]
    first = tree.xpath('//li[@class="cite-item"]')[0]
    assert not first.xpath('.//a[@data-cite-nav="up"]') and first.xpath('.//a[@data-cite-nav="down"]')
    cleared = client.get(tree.xpath('//a[@data-cite-nav="clear"]')[0].get("href"))
    assert cleared.status_code == 200 and "清单是空的" in cleared.get_data(as_text=True)


def test_grouped_by_document_keeps_the_numbers_of_the_list(client):
    refs = ["rsbf-2020-11/一", "cs-swzj-2020-8/三", "rsbf-2020-11/三"]
    tree = tree_of(client.get("/cite?" + query(*refs) + "&group=doc"))
    groups = tree.xpath('//section[@class="cite-doc"]')
    assert [g.xpath("./h3")[0].text for g in groups] == ["关于阶段性减免企业社会保险费的通知",
                                                         "关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告"]
    assert [(li.get("data-ref"), li.get("value")) for li in groups[0].xpath('.//li[@class="cite-item"]')] == [
        ("rsbf-2020-11/一", "1"), ("rsbf-2020-11/三", "3")]


def test_adding_without_javascript_continues_the_last_list(app_factory, snapshot):
    client = app_factory().test_client()
    first = client.get("/cite?add=" + quote(REFS[0]))
    assert first.status_code == 303 and parse_qs(urlsplit(first.headers["Location"]).query)["c"] == [REFS[0]]
    client.get(first.headers["Location"])        # shown: the list the browser now keeps
    second = client.get("/cite?add=" + quote(REFS[1]))
    assert parse_qs(urlsplit(second.headers["Location"]).query)["c"] == REFS[:2]
    client.get(second.headers["Location"])
    again = client.get("/cite")
    assert parse_qs(urlsplit(again.headers["Location"]).query)["c"] == REFS[:2]
    refs = [f"{i}/{c.path}" for i in sorted(snapshot.docs) for c in snapshot.document(i).clauses][:MAX_ITEMS + 1]
    assert len(refs) == MAX_ITEMS + 1
    full = app_factory().test_client()
    assert len(tree_of(full.get("/cite?" + query(*refs[:-1]))).xpath('//li[@class="cite-item"]')) == MAX_ITEMS
    refused = full.get("/cite?add=" + quote(refs[-1]))
    assert refused.status_code == 400 and f"最多 {MAX_ITEMS} 条" in refused.get_data(as_text=True)


def test_add_controls_on_results_clause_and_document_pages(client, library):
    hits = search(library, "社保 减免", limit=10).hits
    tree = tree_of(client.get("/search?q=社保 减免"))
    controls = tree.xpath('//ol[@class="hits"]/li//a[@class="cite-add"]')
    assert [a.get("data-ref") for a in controls] == [h.doc_id + (f"/{h.path}" if h.path else "") for h in hits]
    assert all(a.get("href") == "/cite?add=" + quote(a.get("data-ref"), safe="/") for a in controls)
    clause = tree_of(client.get("/doc/rsbf-2020-11/一")).xpath('//a[@class="cite-add"]/@data-ref')
    assert clause == ["rsbf-2020-11/一"]
    doc = library.current().document("rsbf-2020-11")
    on_doc = tree_of(client.get("/doc/rsbf-2020-11")).xpath('//a[@class="cite-add"]/@data-ref')
    assert on_doc == ["rsbf-2020-11"] + [f"rsbf-2020-11/{c.path}" for c in doc.clauses]
    catalogue = tree_of(client.get("/doc/jyg-48tiao-2020")).xpath('//a[@class="cite-add"]/@data-ref')
    assert catalogue == ["jyg-48tiao-2020"]


def test_downloads_are_the_writers_output(app_factory, snapshot):
    cl = resolve(snapshot, REFS)
    client = app_factory({"BASE_URL": SITE}).test_client()
    response = client.get("/cite.docx?" + query(*REFS))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in response.headers["Content-Disposition"]
    paragraphs = [p.text for p in _docx(response.data).paragraphs]
    assert [p for p in paragraphs if p in {i.citation for i in cl.items}] == [i.citation for i in cl.items]
    md = client.get("/cite.md?" + query(*REFS))
    assert md.mimetype == "text/markdown"
    assert md.get_data(as_text=True) == citedoc.markdown(cl, SITE, list_url(cl.refs))
    empty = client.get("/cite.docx?c=nowhere")
    assert empty.status_code == 400 and "“nowhere”" in empty.get_data(as_text=True)


def test_cite_page_has_no_inline_script_or_style(client):
    body = client.get("/cite?" + query(*REFS)).get_data(as_text=True)
    assert " style=" not in body and "<style" not in body and "<script>" not in body
    assert 'src="/static/cite.js"' in body


# ---------------------------------------------------------------- the command line

def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["cite", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_has_the_items_and_the_same_reply(capsys, policies_index, snapshot):
    code, out, err = run(capsys, *REFS, "--index", str(policies_index))
    assert code == 0 and err == ""
    assert out.rstrip("\n").endswith("答复用语（草稿）：\n" + REPLY)
    assert [line.strip() for line in out.splitlines() if line.strip().startswith("《")] == [
        official(snapshot, r) for r in REFS]


def test_cli_writes_markdown_and_docx(capsys, policies_index, snapshot, tmp_path):
    cl = resolve(snapshot, REFS)
    code, out, _ = run(capsys, *REFS, "--format", "md", "--index", str(policies_index))
    assert code == 0 and out == citedoc.markdown(cl, list_url=list_url(cl.refs))
    target = tmp_path / "答复.docx"
    code, out, _ = run(capsys, *REFS, "--format", "docx", "--out", str(target), "--index", str(policies_index))
    assert code == 0 and out == f"已写入 {target}：3 条引用\n"
    bold = [p.text for p in docx.Document(target).paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert bold == [i.citation for i in cl.items]


def test_cli_bad_input(capsys, policies_index, snapshot, tmp_path):
    index = ["--index", str(policies_index)]
    cite_of_first = official(snapshot, REFS[0])
    code, out, err = run(capsys, "nowhere/一", REFS[0], *index)
    assert code == 1 and f"   {cite_of_first}\n" in out and "未找到：知识库中没有编号为“nowhere”的文件" in err
    code, out, err = run(capsys, "nowhere/一", *index)
    assert code == 1 and out == "" and "没有可以引用的条款" in err
    code, out, err = run(capsys, *(f"d{i}" for i in range(MAX_ITEMS + 1)), *index)
    assert code == 2 and out == "" and f"最多 {MAX_ITEMS} 条" in err
    code, _, err = run(capsys, REFS[0], "--format", "docx", *index)
    assert code == 2 and "需要用 --out" in err
    code, _, err = run(capsys, REFS[0], "--out", str(tmp_path / "no" / "such" / "dir.txt"), *index)
    assert code == 2 and "无法写入" in err
    code, out, _ = run(capsys, "jyg-48tiao-2020", *index)
    assert code == 0 and "收录范围：仅目录信息" in out and "只能引用整份文件" in out
