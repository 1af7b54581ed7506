"""The importer on fixtures written for it: .txt (UTF-8, GB18030), .docx built here, a LawRefBook-style
file, broken files, and the writer's whole workflow (import, fill, check, build, search)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from kb.check import check_paths, PLACEHOLDER
from kb.citation import cite
from kb.cli import main as kb
from kb.docformat import parse_file
from kb.importer import import_sources
from kb.importer.docx import markdown_table
from kb.importer.lawrefbook import source_labels
from kb.index import build
from kb.library import Library
from kb.search import search

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NOTICE = FIXTURES / "caishui-2020-8.txt"
NOTICE_GB = FIXTURES / "caishui-2020-8-gb18030.txt"
LAW = FIXTURES / "lawrefbook" / "刑法" / "刑法（节选）(2020-12-26).md"
RULES = FIXTURES / "lawrefbook" / "司法解释" / "示例法院关于审理示例案件的规定(2021-06-01).md"


def _one(outcomes):
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def _front(path: Path) -> dict:
    return parse_file(path).fields


def test_plain_text_notice_is_read_as_an_official_document(tmp_path):
    o = _one(import_sources([str(NOTICE)], tmp_path))
    assert o.status == "written" and o.unknown == ["status"]
    f = _front(o.path)
    assert f["title"] == "财政部 税务总局关于支持新型冠状病毒感染的肺炎疫情防控有关税收政策的公告"
    assert f["doc_no"] == "财政部 税务总局公告2020年第8号"
    assert f["issuers"] == ["财政部", "税务总局"]
    assert (f["date"], f["effective_from"]) == ("2020-02-06", "2020-01-01")
    assert (f["type"], f["level"], f["coverage"]) == ("公告", "国家", "官方全文")
    assert f["sources"] == [str(NOTICE)]
    parsed = parse_file(o.path)
    assert [c.path for c in parsed.clauses] == ["一", "二", "三", "四", "五", "六"]
    two = parsed.clauses[1]
    assert two.text.startswith("疫情防控重点保障物资生产企业可以按月") and "增量留抵税额，是指" in two.text
    assert two.text.count("\n") >= 2
    assert "财政部" not in parsed.clauses[-1].text    # the signature is front matter, not clause text


def test_checker_names_what_the_importer_left_to_fill(tmp_path):
    o = _one(import_sources([str(NOTICE)], tmp_path))
    _, problems = check_paths([o.path])
    status_line = next(i for i, l in enumerate(o.path.read_text(encoding="utf-8").split("\n"), 1)
                       if l.startswith("status:"))
    assert [(p.line, p.message.split("，可选")[0]) for p in problems] == [
        (status_line, "字段“status”尚未填写（导入时未能识别，请按原文补全）"), (status_line, f"未知的效力状态“{PLACEHOLDER}”")]
    o.path.write_text(o.path.read_text(encoding="utf-8").replace(f"status: {PLACEHOLDER}", "status: 已失效"),
                      encoding="utf-8")
    docs, problems = check_paths([o.path])
    assert not problems and len(docs[0].clauses) == 6


def test_gb18030_text_reads_the_same_as_utf8(tmp_path):
    utf8 = _one(import_sources([str(NOTICE)], tmp_path / "a"))
    gb = _one(import_sources([str(NOTICE_GB)], tmp_path / "b"))
    assert NOTICE_GB.read_bytes() != NOTICE.read_bytes()      # really another encoding
    strip = lambda p: p.read_text(encoding="utf-8").replace(str(NOTICE_GB), str(NOTICE))
    assert strip(gb.path) == utf8.path.read_text(encoding="utf-8")


def _word(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(path)
    return path


def test_docx_policy_hierarchy_of_four_levels(tmp_path):
    src = _word(tmp_path / "通知.docx", [
        "示例市人民政府办公室", "关于印发示例措施的通知", "示政办发〔2020〕12号",
        "各县区人民政府，市政府各部门：", "现将示例措施印发给你们，请认真贯彻执行。",
        "一、加大财税支持", "（一）减免房租。对承租国有经营用房的企业免收房租。",
        "1.第一目的正文。", "（1）第一点的正文。", "（2）第二点的正文。", "2.第二目的正文。",
        "（二）延期缴纳税款", "依法办理延期缴纳。", "二、附则",
        "本措施自印发之日起施行，有效期至2020年6月30日。",
        "示例市人民政府办公室", "2020年2月14日",
    ])
    o = _one(import_sources([str(src)], tmp_path / "out"))
    f = _front(o.path)
    assert f["title"] == "示例市人民政府办公室关于印发示例措施的通知"
    assert f["doc_no"] == "示政办发〔2020〕12号" and f["issuers"] == ["示例市人民政府办公室"]
    assert (f["date"], f["effective_from"], f["effective_until"]) == ("2020-02-14", "2020-02-14", "2020-06-30")
    assert (f["type"], f["level"], f["status"]) == ("通知", "市", "已失效")
    parsed = parse_file(o.path)
    assert [c.path for c in parsed.clauses] == ["一", "一/（一）", "一/（一）/1", "一/（一）/1/（1）",
                                               "一/（一）/1/（2）", "一/（一）/2", "一/（二）", "二"]
    assert parsed.clauses[1].heading == "减免房租" and parsed.clauses[1].text.startswith("对承租")
    assert parsed.preamble.startswith("各县区人民政府")
    assert not check_paths([o.path])[1]


def test_docx_law_with_chapters_sub_clauses_and_clauses_over_paragraphs(tmp_path):
    src = _word(tmp_path / "办法.docx", [
        "示例市优化营商环境办法", "第一章　总则", "第一条　为了优化营商环境，制定本办法。",
        "第二条本办法适用于本市行政区域。", "第一节 一般规定", "第三条 有下列情形之一的，依照本办法处理：",
        "（一）第一种情形；", "（二）第二种情形。", "前款规定的情形，由市人民政府认定。",
        "第三条之一 新增的条款。", "第二章 附则", "第四条 本办法自2021年3月1日起施行。",
    ])
    o = _one(import_sources([str(src)], tmp_path / "out"))
    parsed = parse_file(o.path)
    assert [c.label for c in parsed.clauses] == ["第一条", "第二条", "第三条", "第三条之一", "第四条"]
    third = parsed.clauses[2]
    assert third.text.count("\n") >= 2 and third.text.endswith("由市人民政府认定。")
    assert third.context == ["第一章 总则", "第一节 一般规定"]
    assert _front(o.path)["effective_from"] == "2021-03-01"


DATED_IN_CHINESE = ["示例市人民政府关于支持企业复工复产的通知", "示政发〔2020〕3号", "各县区人民政府：",
                    "一、减免房租。对承租国有经营用房的企业免收房租。",
                    "本通知自二〇二〇年三月十五日起施行，有效期至二〇二〇年六月三十日。",
                    "示例市人民政府", "二〇二〇年三月十五日"]


def _txt(path: Path, paragraphs: list[str]) -> Path:
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_txt, _word], ids=["txt", "docx"])
def test_a_date_in_chinese_numerals_is_read_digit_by_digit(tmp_path, make):
    src = make(tmp_path / f"通知.{'txt' if make is _txt else 'docx'}", DATED_IN_CHINESE)
    o = _one(import_sources([str(src)], tmp_path / "out"))
    f = _front(o.path)
    assert (f["date"], f["effective_from"], f["effective_until"]) == ("2020-03-15", "2020-03-15", "2020-06-30")
    assert o.problems == []


def test_a_day_that_does_not_exist_or_a_malformed_numeral_is_left_to_fill_not_guessed(tmp_path):
    paragraphs = DATED_IN_CHINESE[:-1] + ["二〇二〇年十三月三十二日"]
    paragraphs[4] = "本通知自二〇二〇年三月十十日起施行。"      # 十十 is no numeral (adding its parts would give 20)
    o = _one(import_sources([str(_txt(tmp_path / "通知.txt", paragraphs))], tmp_path / "out"))
    f = _front(o.path)
    assert f["date"] == PLACEHOLDER and "effective_from" not in f and "date" in o.unknown


def test_lawrefbook_file_name_with_a_day_that_does_not_exist_falls_back_to_the_header(tmp_path):
    folder = tmp_path / "法律" / "刑法"
    folder.mkdir(parents=True)
    bad = folder / LAW.name.replace("2020-12-26", "2020-02-30")
    bad.write_bytes(LAW.read_bytes())
    o = _one(import_sources([str(bad)], tmp_path / "out"))
    assert o.status == "written" and _front(o.path)["date"] == "1997-03-14"


def test_lawrefbook_file_round_trips(tmp_path):
    o = _one(import_sources([str(LAW)], tmp_path))
    docs, problems = check_paths([o.path])
    assert not problems
    doc = docs[0]
    assert [c.label for c in doc.clauses] == source_labels(LAW.read_text(encoding="utf-8").split("\n"))
    assert [c.label for c in doc.clauses] == ["第一百三十三条", "第一百三十三条之一", "第一百三十四条"]
    assert (doc.type, doc.level, doc.date.isoformat(), doc.coverage) == ("法律", "国家", "2020-12-26", "部分条款")
    assert doc.issuers == ["全国人民代表大会"]
    drunk = doc.clauses[1]
    assert "醉酒驾驶机动车" in drunk.text and drunk.text.endswith("按处罚较重的规定处理。")
    assert "FORCE BREAK" not in o.path.read_text(encoding="utf-8")
    assert drunk.context == ["第二编 分则", "第二章 危害公共安全罪"]


def test_lawrefbook_parts_and_annexes_round_trip(tmp_path):
    o = _one(import_sources([str(RULES)], tmp_path))
    docs, problems = check_paths([o.path])
    assert not problems
    doc = docs[0]
    labels = ["第一条", "第二条", "第三条", "第四条", "附件一", "附件二"]
    assert [c.label for c in doc.clauses] == source_labels(RULES.read_text(encoding="utf-8").split("\n")) == labels
    assert [c.context for c in doc.clauses[:4]] == [["一、受理"], ["一、受理"], ["二、审理"], ["附 则"]]
    assert doc.clauses[3].text.endswith("附件：1.示例文书格式\n\n2.示例费用表")    # the list stays in the text
    form, fees = doc.clause("附件一"), doc.clause("附件二")
    assert (form.system, form.heading, form.context) == ("annex", "示例文书格式", [])
    assert "第一条 文书样式中的条文不是本规定的条文。" in form.text
    assert fees.heading == "" and fees.text.endswith("| 项目 | 金额（元） |\n|---|---|\n| 受理费 | 50 |")
    assert cite(doc.title, doc.doc_no, doc.status, "附件一") == "《示例法院关于审理示例案件若干问题的规定》附件一"


def test_annexes_in_the_format(tmp_path):
    path = tmp_path / "notice.md"
    path.write_text(
        "---\nid: annex-notice\ntitle: 示例通知\ntype: 通知\nlevel: 市\nstatus: 现行有效\ncoverage: 官方全文\n"
        "sources: [示例]\n---\n\n## 一、总体要求\n\n示例正文。\n\n## 附 则\n\n附则不是附件。\n\n"
        "## 附件1：示例表\n\n```meta\nareas: [援企稳岗]\n```\n\n一、表中第一项。\n\n## 二、表中的标题\n\n"
        "## 附件2\n\n## 附：说明\n\n说明文字。\n", encoding="utf-8")
    docs, problems = check_paths([path])
    assert not problems
    doc = docs[0]
    assert [(c.path, c.system, c.heading) for c in doc.clauses] == [
        ("一", "policy", "总体要求"), ("附件1", "annex", "示例表"), ("附件2", "annex", ""), ("附", "annex", "说明")]
    first = doc.clause("附件1")
    assert first.text == "一、表中第一项。\n\n## 二、表中的标题" and first.areas == ["援企稳岗"]
    assert doc.clause("一").text == "示例正文。"         # 附 则 is a heading of the text, not an annex
    path.write_text(path.read_text(encoding="utf-8").replace("## 附件2", "## 附件1"), encoding="utf-8")
    assert [p.message for p in check_paths([path])[1]] == ["条款编号“附件1”重复（第 19 行已出现）"]


@pytest.mark.parametrize("name, data, reason", [
    ("空白.txt", b"   \n\n", "空"),
    ("乱码.txt", bytes(range(256)) * 8, "二进制"),
    ("坏的.docx", b"PK\x03\x04 not really a zip", "Word"),
    ("旧格式.doc", b"\xd0\xcf\x11\xe0", ".docx"),
    ("扫描件.pdf", b"%PDF-1.4", "PDF"),
    ("本库格式.md", "---\nid: x\n---\n\n# 标题\n".encode(), "无需导入"),
])
def test_broken_files_are_named_with_a_reason_and_the_rest_goes_on(tmp_path, capsys, name, data, reason):
    bad = tmp_path / name
    bad.write_bytes(data)
    out = tmp_path / "out"
    assert kb(["import", str(bad), str(NOTICE), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: 无法导入" in err and reason in err
    assert [p.name for p in out.iterdir()] == [f"{_front(next(out.iterdir()))['id']}.md"]


def test_word_file_without_text(tmp_path):
    empty = tmp_path / "图片.docx"
    docx.Document().save(empty)
    o = _one(import_sources([str(empty)], tmp_path / "out"))
    assert o.status == "failed" and "没有文字" in o.reason
    assert zipfile.is_zipfile(empty)


def test_reimport_never_overwrites_a_writers_changes(tmp_path, capsys):
    o = _one(import_sources([str(NOTICE)], tmp_path))
    assert _one(import_sources([str(NOTICE)], tmp_path)).status == "unchanged"
    filled = o.path.read_text(encoding="utf-8").replace(f"status: {PLACEHOLDER}", "status: 已失效")
    o.path.write_text(filled, encoding="utf-8")
    again = _one(import_sources([str(NOTICE)], tmp_path))
    assert again.status == "failed" and "--force" in again.reason
    assert o.path.read_text(encoding="utf-8") == filled
    assert _one(import_sources([str(NOTICE)], tmp_path, force=True)).status == "written"
    assert not list(tmp_path.glob(".*"))     # no temporary files left behind


def test_source_url_is_recorded(tmp_path):
    url = "http://www.chinatax.gov.cn/chinatax/n810341/n810755/c5143311/content.html"
    o = _one(import_sources([str(NOTICE)], tmp_path, source_url=url))
    assert _front(o.path)["sources"] == [url]


def test_new_skeleton_explains_every_field_and_the_checker_names_the_blanks(tmp_path, capsys):
    from kb.check import KNOWN_FIELDS, REQUIRED
    target = tmp_path / "new.md"
    assert kb(["new", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    for key in KNOWN_FIELDS:
        line = next(l for l in text.split("\n") if l.lstrip("# ").startswith(f"{key}:"))
        assert "#" in line.lstrip("# "), f"{key} has no explanation"
    _, problems = check_paths([target])
    named = {key for key in REQUIRED for p in problems if f"“{key}”" in p.message}
    assert named == set(REQUIRED)
    assert kb(["new", str(target)]) == 1      # never overwrites


def test_writer_workflow_import_fill_build_and_the_running_library_sees_it(tmp_path, policies_copy):
    index = tmp_path / "index"
    build(policies_copy, index, progress=False)
    library = Library(index)           # the running site's library, opened before the import
    assert not any("示例" in h.title for h in search(library, "示例措施房租").hits)
    src = _word(tmp_path / "通知.docx", [
        "示例市人民政府办公室关于印发示例措施的通知", "示政办发〔2020〕12号",
        "一、减免示例措施房租。对承租国有经营用房的企业免收房租。", "示例市人民政府办公室", "2020年2月14日"])
    assert kb(["import", str(src), "--out", str(policies_copy)]) == 0
    path = next(policies_copy.glob("doc-2020-12-*.md"))
    text = path.read_text(encoding="utf-8").replace(f"status: {PLACEHOLDER}", "status: 现行有效")
    path.write_text(text, encoding="utf-8")
    assert kb(["check", str(policies_copy)]) == 0
    summary = build(policies_copy, index, progress=False)
    assert summary.added == [path.stem] and not summary.full
    hit = search(library, "示例措施房租").hits[0]
    assert hit.doc_id == path.stem and hit.citation.startswith("《示例市人民政府办公室关于印发示例措施的通知》（示政办发〔2020〕12号）第一条")


# ---------------------------------------------------------------- Word documents as offices write them

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
POLICY_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]


def _list(document, levels, restart: int | None = None) -> int:
    """A numbering definition (Word's automatic list) added to the document, or a new instance of an
    existing one restarting at 1 (Word's 重新开始编号); its numId."""
    numbering = document.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    num_id = max(int(n.get(qn("w:numId"))) for n in nums) + 1
    if restart is None:
        abstracts = numbering.findall(qn("w:abstractNum"))
        abstract_id = max(int(a.get(qn("w:abstractNumId"))) for a in abstracts) + 1
        lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/><w:suff w:val="{"nothing" if text.endswith("、") else "space"}"/></w:lvl>'
                       for i, (fmt, text) in enumerate(levels))
        abstracts[-1].addnext(parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'))
        override = ""
    else:
        abstract_id = next(n for n in nums if n.get(qn("w:numId")) == str(restart)).find(qn("w:abstractNumId")).get(qn("w:val"))
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))
    return num_id


def _numbered(document, text: str, num_id: int, level: int = 0):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return table


def _office_notice(path: Path) -> Path:
    """A joint notice as an office writes it in Word: every unit numbered by a list, a table in the
    text, the list of annexes, the two offices' signature and the date, then two annexes."""
    d = docx.Document()
    units = _list(d, POLICY_LEVELS)
    for text in ("示例市财政局 示例市税务局关于减免示例房租的通知", "示财发〔2020〕7号", "各县区财政局、税务局："):
        d.add_paragraph(text)
    _numbered(d, "减免房租", units)
    _numbered(d, "免收国有房屋租金", units, 1)
    _numbered(d, "对承租国有经营用房的企业免收三个月房租。", units, 2)
    _numbered(d, "减免期间自2020年2月起计算。", units, 3)
    _numbered(d, "减免标准如下表。", units, 1)
    _table(d, [["房屋类型", "减免月数"], ["商铺", "3"], ["办公用房", "2|3"]])
    _numbered(d, "附则", units)
    d.add_paragraph("本通知自二〇二〇年三月十五日起施行。")
    d.add_paragraph("附件：1.示例房租减免申请表")
    d.add_paragraph("2.示例减免企业名单")
    for text in ("示例市财政局", "示例市税务局", "二〇二〇年三月十五日", "附件1", "示例房租减免申请表"):
        d.add_paragraph(text)
    _table(d, [["企业名称", "统一社会信用代码"], ["", ""]])
    annex_items = _list(d, POLICY_LEVELS, restart=units)
    d.add_paragraph("附件2")
    _numbered(d, "第一批企业名单", annex_items)
    _numbered(d, "第二批企业名单", annex_items)
    d.save(path)
    return path


def test_word_automatic_numbering_tables_signature_and_annexes(tmp_path):
    o = _one(import_sources([str(_office_notice(tmp_path / "通知.docx"))], tmp_path / "out"))
    assert o.status == "written", o.reason
    f = _front(o.path)
    assert f["title"] == "示例市财政局 示例市税务局关于减免示例房租的通知" and f["doc_no"] == "示财发〔2020〕7号"
    assert f["issuers"] == ["示例市财政局", "示例市税务局"]
    assert (f["date"], f["effective_from"]) == ("2020-03-15", "2020-03-15")
    parsed = parse_file(o.path)
    assert [c.path for c in parsed.clauses] == ["一", "一/（一）", "一/（一）/1", "一/（一）/1/（1）", "一/（二）", "二",
                                               "附件1", "附件2"]
    assert parsed.clauses[1].heading == "免收国有房屋租金"
    standard = parsed.clauses[4]
    assert standard.text == "减免标准如下表。\n\n| 房屋类型 | 减免月数 |\n|---|---|\n| 商铺 | 3 |\n| 办公用房 | 2\\|3 |"
    last = parsed.clauses[5]
    assert last.text == "本通知自二〇二〇年三月十五日起施行。\n\n附件：1.示例房租减免申请表\n2.示例减免企业名单"
    form, names = parsed.clauses[6], parsed.clauses[7]
    assert form.system == names.system == "annex" and form.heading == ""
    assert form.text == "示例房租减免申请表\n\n| 企业名称 | 统一社会信用代码 |\n|---|---|\n| | |"
    # the annex restarts the list: its items are numbered 一、二、 again, and are its text, not units
    assert names.text == "一、第一批企业名单\n\n二、第二批企业名单"
    assert o.unknown == ["status"]
    o.path.write_text(o.path.read_text(encoding="utf-8").replace(f"status: {PLACEHOLDER}", "status: 现行有效"),
                      encoding="utf-8")
    docs, problems = check_paths([o.path])
    assert not problems and docs[0].clause("附件2").system == "annex"


def test_word_numbered_articles_and_the_list_styles_of_the_default_template(tmp_path):
    d = docx.Document()
    articles = _list(d, [("chineseCounting", "第%1条")])
    d.add_paragraph("示例市企业服务办法")
    d.add_paragraph("第一章 总则")
    _numbered(d, "为了服务企业，制定本办法。", articles)
    _numbered(d, "本办法适用于本市。", articles)
    d.add_paragraph("第二章 附则")
    _numbered(d, "本办法自2021年3月1日起施行。", articles)
    d.save(tmp_path / "办法.docx")
    o = _one(import_sources([str(tmp_path / "办法.docx")], tmp_path / "out"))
    parsed = parse_file(o.path)
    assert [(c.label, c.text, c.context) for c in parsed.clauses] == [
        ("第一条", "为了服务企业，制定本办法。", ["第一章 总则"]), ("第二条", "本办法适用于本市。", ["第一章 总则"]),
        ("第三条", "本办法自2021年3月1日起施行。", ["第二章 附则"])]

    d = docx.Document()
    d.add_paragraph("示例市人民政府关于示例措施的通知")
    for text in ("第一项措施。", "", "第二项措施。"):
        d.add_paragraph(text, style="List Number")      # an empty numbered paragraph still takes a number
    d.save(tmp_path / "措施.docx")
    o = _one(import_sources([str(tmp_path / "措施.docx")], tmp_path / "out2"))
    assert [(c.path, c.text) for c in parse_file(o.path).clauses] == [("1", "第一项措施。"), ("3", "第二项措施。")]
    assert any("“1”之后应为“2”" in p.message for p in o.problems)     # as Word shows it: 2. on an empty line


def test_a_merged_cell_is_written_once_where_it_starts():
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "减免标准"
    table.cell(0, 2).text = "备注"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "商铺"
    table.cell(1, 1).text, table.cell(2, 1).text, table.cell(1, 2).text = "3个月", "2个月", "按月|按季"
    assert markdown_table(table) == ("| 减免标准 |  | 备注 |\n|---|---|---|\n| 商铺 | 3个月 | 按月\\|按季 |\n|  | 2个月 |  |")
