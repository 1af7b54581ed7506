import datetime as dt
from pathlib import Path

from kb.check import load
from kb.citation import cite

FIXTURES = Path(__file__).parent / "fixtures" / "core"


def test_policy_numbering_paths_and_meta():
    doc, problems = load(FIXTURES / "gbf-2020-6.md")
    assert problems == []
    assert [c.path for c in doc.clauses] == ["一", "一/（一）", "一/（二）"]
    item = doc.clause("一/（一）")
    assert item.label == "（一）" and item.heading == "推动企业复工复产"
    assert item.context == ["一 更好实施就业优先政策"]
    assert item.areas == ["援企稳岗", "政务服务"]
    assert item.meta["department"].startswith("发展改革委")
    # no areas of its own: inherited from the document
    assert doc.clause("一/（二）").areas == ["援企稳岗"]
    assert doc.clause("一/（二）").meta["partial"] is True


def test_law_clauses_structure_and_multi_paragraph_text():
    doc, problems = load(FIXTURES / "law-sample.md")
    assert problems == []
    assert [c.label for c in doc.clauses] == ["第一条", "第二条", "第三条", "第三条之一", "第四条"]
    second = doc.clause("第二条")
    assert "（一）合法" in second.text and "（二）公平" in second.text
    assert second.context == ["第一章 总则"]
    assert doc.clause("第四条").context == ["第二章 劳动合同的订立", "第二节 特别规定"]
    assert doc.preamble.startswith("本文件只用于测试")


def test_citation_styles():
    assert cite("国务院办公厅关于应对新冠肺炎疫情影响强化稳就业举措的实施意见", "国办发〔2020〕6号", "已失效",
                "一/（二）") == "《国务院办公厅关于应对新冠肺炎疫情影响强化稳就业举措的实施意见》（国办发〔2020〕6号）第一条第（二）项（已失效）"
    assert cite("中华人民共和国劳动合同法", "", "现行有效", "第八十二条") == "《中华人民共和国劳动合同法》第八十二条"
    assert cite("某通知", "", "现行有效", "三/（一）/2/（1）") == "《某通知》第三条第（一）项第2目第（1）点"
    assert cite("某通知", "", "现行有效", "要点2") == "《某通知》"


def test_points_are_numbered_in_order(tmp_path):
    f = tmp_path / "m.md"
    f.write_text("---\nid: meeting-x\ntitle: 国务院常务会议\ntype: 会议\nlevel: 国家\nstatus: 已失效\n"
                 "coverage: 要点摘要\nsources: [http://example.org]\nareas: [财税金融]\n---\n\n"
                 "## 要点：延期还本\n\n临时性延期偿还贷款本金。\n\n## 要点：再贷款\n\n增加再贷款额度。\n", encoding="utf-8")
    doc, problems = load(f)
    assert problems == []
    assert [(c.path, c.heading) for c in doc.clauses] == [("要点1", "延期还本"), ("要点2", "再贷款")]


def test_numbered_section_headings_in_a_law_group_its_clauses(tmp_path):
    # several judicial interpretations group their 第X条 clauses under "一、…" headings
    f = tmp_path / "interpretation.md"
    f.write_text("---\nid: mixed-law\ntitle: 关于审理某类案件的解释\ntype: 司法解释\nlevel: 国家\nstatus: 现行有效\n"
                 "coverage: 官方全文\nsources: [x]\n---\n\n## 一、一般规定\n\n第一条 甲。\n\n第二条 乙。\n\n"
                 "## 二、特别规定\n\n第三条 丙。\n", encoding="utf-8")
    doc, problems = load(f)
    assert problems == []
    assert [(c.path, c.context) for c in doc.clauses] == [
        ("第一条", ["一、一般规定"]), ("第二条", ["一、一般规定"]), ("第三条", ["二、特别规定"])]


def _dated(tmp_path, dates: str) -> Path:
    f = tmp_path / "dated.md"
    f.write_text("---\nid: dated\ntitle: 某通知\ntype: 通知\nlevel: 市\nstatus: 已失效\ncoverage: 官方全文\n"
                 f"sources: [x]\n{dates}---\n\n## 一、甲\n\n正文。\n", encoding="utf-8")
    return f


def test_dates_in_every_written_form_are_the_documents_dates(tmp_path):
    doc, problems = load(_dated(tmp_path, "date: 二〇二〇年三月十五日\neffective_from: 2020.3.16\n"
                                          "effective_until: 2020/6/30\n"))
    assert problems == []
    assert (doc.date, doc.effective_from, doc.effective_until) == (
        dt.date(2020, 3, 15), dt.date(2020, 3, 16), dt.date(2020, 6, 30))


def test_a_date_yaml_already_made_is_taken_as_its_day(tmp_path):
    doc, problems = load(_dated(tmp_path, "date: !!timestamp 2020-03-15\n"
                                          "effective_until: !!timestamp 2030-12-31 08:00:00\n"))
    assert problems == [] and (doc.date, doc.effective_until) == (dt.date(2020, 3, 15), dt.date(2030, 12, 31))



def test_front_matter_values_become_the_documents_by_their_declared_type(tmp_path):
    f = tmp_path / "typed.md"
    f.write_text("---\nid: typed\ntitle: '  某通知 '\nshort_title: 13\naliases: 若干措施\ntype: 通知\nlevel: 市\n"
                 "issuers: [甲局, 乙局]\nstatus: 已失效\ncoverage: 官方全文\nsources: [x]\n---\n\n## 一、甲\n\n正文。\n",
                 encoding="utf-8")
    doc, problems = load(f)
    assert problems == []
    assert (doc.title, doc.short_title, doc.aliases, doc.issuers) == ("某通知", "13", ["若干措施"], ["甲局", "乙局"])
    assert (doc.doc_no, doc.areas, doc.date, doc.summary) == ("", [], None, "")
    assert doc.clause("一").areas == []
