"""Relations between documents: the front-matter field (kb/schema.py), the checker's cross-file rules
(kb/relations.py through kb/check.py), both directions in the library, the periods and statuses an
extension derives (kb/periods.py), and the document pages and /api/doc that show them."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from kb import periods, relations
from kb.check import check_paths, validate
from kb.docformat import parse_text
from kb.index import build
from kb.schema import FRONT_MATTER, Relation
from tests.conftest import ROOT

FILE = ("---\nid: doc-a\ntitle: 某通知\ntype: 通知\nlevel: 市\nstatus: 已失效\ncoverage: 官方全文\n"
        "sources: [http://example.org]\n{extra}---\n\n## 一、甲\n\n正文。\n")
ELECTRICITY, EXTENSION = "fgw-dianfei-2020", "fgjg-2020-994"
RESUMPTION, PROVINCE = "jyg-fugong-tongzhi-2020", "gan-bgt-fugong-tongzhi-2020"
SOCIAL_INSURANCE = "rsbf-2020-11"
FIRST_POINT, SECOND_POINT = "要点1", "要点2"        # 95% billing; the two-part tariff (not extended)


def front_problems(extra: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in validate(parse_text("a.md", FILE.format(extra=extra)))]


# ---------------------------------------------------------------- the field

def test_each_written_form_becomes_a_relation():
    written = ("relations:\n  - 依据: gan-fa-2020-5\n  - 延续: fgw-dianfei-2020/要点1\n"
               "  - 被延长: 人社部发〔2020〕49号\n  - 替代: 《某旧通知》（甘政办发〔2019〕3号）\n  - 被废止: 《某新通知》\n")
    assert front_problems(written) == []
    values = FRONT_MATTER.values(parse_text("a.md", FILE.format(extra=written)).fields)
    assert values["relations"] == [
        Relation("依据", id="gan-fa-2020-5"),
        Relation("延长", id="fgw-dianfei-2020", path="要点1"),
        Relation("延长", incoming=True, doc_no="人社部发〔2020〕49号"),
        Relation("替代", title="某旧通知", doc_no="甘政办发〔2019〕3号"),
        Relation("废止", incoming=True, title="某新通知"),
    ]
    assert FRONT_MATTER.values(parse_text("a.md", FILE.format(extra="")).fields)["relations"] == []


def test_each_mistake_in_a_relation_is_named_at_the_fields_line():
    line = 9
    assert front_problems("relations: 依据 gan-fa-2020-5\n") == [
        (line, "字段“relations”应为列表，每项一行写作“- 类型: 对象”，如 - 依据: gan-fa-2020-5")]
    assert front_problems("relations:\n  - 参照: gan-fa-2020-5\n  - 被依据: 《某通知》\n  - gan-fa-2020-5\n") == [
        (line, "关系应写作“类型: 对象”，如 - 依据: gan-fa-2020-5，而不是“gan-fa-2020-5”"),
        (line, "未知的关系“参照”，可选：依据、延长、修改、废止、替代（延长也可写作延续）；对本文件起作用的文件未收录时写 "
               "被延长、被修改、被废止、被替代"),
        (line, "未知的关系“被依据”，可选：依据、延长、修改、废止、替代（延长也可写作延续）；对本文件起作用的文件未收录时写 "
               "被延长、被修改、被废止、被替代"),
    ]
    assert front_problems("relations:\n  - 延长: 那份通知\n  - 被延长: gan-fa-2020-5\n"
                          "  - 替代: 人社部发[2020]49号\n") == [
        (line, "“被延长”只用于本库未收录的文件（写它的《标题》（文号））；库内文件 gan-fa-2020-5 "
               "请在它自己的头信息中写“延长: 本文件的 id”"),
        (line, "关系“延长”的对象“那份通知”应为库内文件的 id（可加 /条款路径，如 fgw-dianfei-2020/要点1），"
               "或未收录文件的《标题》（文号）、文号"),
        (line, "文号“人社部发[2020]49号”不符合 GB/T 9704-2012：年份用六角括号〔〕括入，不用“[]”，"
               "应写作“人社部发〔2020〕49号”"),
    ]
    # judged once every item reads
    assert front_problems("relations:\n  - 依据: gan-fa-2020-5\n  - 替代: doc-a/一\n") == [
        (line, "关系“替代”指向本文件自身（doc-a）")]


# ---------------------------------------------------------------- across files

def _add_relations(path: Path, *items: str) -> int:
    """Write relation lines into a policy file's front matter; the line of `relations:`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("---", 1)
    lines[at:at] = ["relations:", *(f"  - {item}" for item in items)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def problems_of(*paths) -> list[tuple[str, int, str]]:
    return [(Path(p.path).name, p.line, p.message) for p in check_paths(list(paths))[1]]


def test_an_unknown_id_a_missing_clause_and_a_clause_without_its_own_end_are_named(policies_copy):
    line = _add_relations(policies_copy / "jyg-gxj-baozhua-2020.md", "依据: gan-fa-2020-55",
                          f"依据: {PROVINCE}/三", f"延长: {ELECTRICITY}/{SECOND_POINT}", f"延长: {ELECTRICITY}/{FIRST_POINT}")
    assert problems_of(policies_copy) == [
        ("jyg-gxj-baozhua-2020.md", line, "关系“依据”指向的文件 gan-fa-2020-55 不在本库中（未收录的文件请写《标题》（文号））"),
        ("jyg-gxj-baozhua-2020.md", line, f"关系“依据”指向的条款 {PROVINCE}/三 不存在："
                                          "《关于在新型冠状病毒疫情防疫期间企业统筹安排工作的通知》中没有条款“三”"),
        ("jyg-gxj-baozhua-2020.md", line, f"关系“延长”指向的条款 {ELECTRICITY}/{SECOND_POINT} 没有自己的截止日期"
                                          f"（conditions 中的 until），它的执行期限就是整份文件的：请只写文件 id {ELECTRICITY}"),
    ]


def test_a_cycle_is_named_in_every_file_on_it(policies_copy):
    electricity = _add_relations(policies_copy / f"{ELECTRICITY}.md", f"延长: {EXTENSION}")
    extension = policies_copy / f"{EXTENSION}.md"
    on_extension = extension.read_text(encoding="utf-8").split("\n").index("relations:") + 1
    assert problems_of(policies_copy) == [
        (f"{EXTENSION}.md", on_extension, f"关系“延长”成环：{EXTENSION} → {ELECTRICITY} → {EXTENSION}"
                                          "（一份文件不能经由其他文件延长自身）"),
        (f"{ELECTRICITY}.md", electricity, f"关系“延长”成环：{ELECTRICITY} → {EXTENSION} → {ELECTRICITY}"
                                           "（一份文件不能经由其他文件延长自身）"),
    ]


def test_one_file_checked_alone_finds_the_documents_beside_it_and_names_a_cycle_through_them(policies_copy):
    extension = policies_copy / f"{EXTENSION}.md"
    assert problems_of(extension) == []
    _add_relations(policies_copy / f"{ELECTRICITY}.md", f"延长: {EXTENSION}")
    assert [m for _, _, m in problems_of(extension)] == [
        f"关系“延长”成环：{EXTENSION} → {ELECTRICITY} → {EXTENSION}（一份文件不能经由其他文件延长自身）"]


def test_a_relation_to_a_file_with_problems_of_its_own_is_not_judged_until_it_is_valid(policies_copy):
    target = policies_copy / f"{ELECTRICITY}.md"
    target.write_text(target.read_text(encoding="utf-8").replace("level: 国家", "level: 宇宙"), encoding="utf-8")
    assert [(name, m.split("，")[0]) for name, _, m in problems_of(policies_copy)] == [
        (f"{ELECTRICITY}.md", "未知的发文层级“宇宙”")]
    assert [m.split("，")[0] for _, _, m in problems_of(policies_copy / f"{EXTENSION}.md")] == []


def test_an_incremental_build_judges_relations_to_unchanged_files(policies_copy, tmp_path):
    root = tmp_path / "index"
    build(policies_copy, root, progress=False)
    _add_relations(policies_copy / f"{ELECTRICITY}.md", f"延长: {EXTENSION}")
    with pytest.raises(Exception) as refused:
        build(policies_copy, root, progress=False)
    assert [(Path(p.path).name, p.message) for p in refused.value.problems] == [
        (f"{ELECTRICITY}.md", f"关系“延长”成环：{ELECTRICITY} → {EXTENSION} → {ELECTRICITY}（一份文件不能经由其他文件延长自身）")]


def test_the_cli_names_path_and_line(policies_copy):
    line = _add_relations(policies_copy / "jyg-gxj-baozhua-2020.md", "依据: gan-fa-2020-55")
    run = subprocess.run([sys.executable, "-m", "kb", "check", str(policies_copy)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0] == (f"{policies_copy / 'jyg-gxj-baozhua-2020.md'}:{line}: 关系“依据”指向的文件 "
                                          "gan-fa-2020-55 不在本库中（未收录的文件请写《标题》（文号））")


# ---------------------------------------------------------------- the library's relations

def test_the_facts_sheets_relations_are_held_and_read_both_ways(library):
    """A1/B2: the resumption notice rests on the provincial notice; C9: 994号 extends the 95% billing;
    C6: 人社部发〔2020〕49号 (not held) extends 人社部发〔2020〕11号."""
    b = library.current()
    province = b.docs[PROVINCE]["title"]
    resumption = b.docs[RESUMPTION]["title"]
    assert relations.links(b, RESUMPTION) == [relations.Link("依据", "out", PROVINCE, province, "")]
    assert relations.links(b, PROVINCE) == [relations.Link("依据", "in", RESUMPTION, resumption, "")]
    assert relations.links(b, EXTENSION) == [
        relations.Link("延长", "out", ELECTRICITY, b.docs[ELECTRICITY]["title"], "", FIRST_POINT)]
    assert relations.links(b, ELECTRICITY) == [
        relations.Link("延长", "in", EXTENSION, b.docs[EXTENSION]["title"], "发改价格〔2020〕994号", FIRST_POINT)]
    assert relations.links(b, SOCIAL_INSURANCE) == [relations.Link("延长", "in", "", "", "人社部发〔2020〕49号")]
    related = {d for d in b.docs if relations.links(b, d)}
    assert related == {RESUMPTION, PROVINCE, EXTENSION, ELECTRICITY, SOCIAL_INSURANCE}
    # what the sheet calls likely but does not state stays out: the 48条 implementing 甘发〔2020〕5号
    assert relations.links(b, "jyg-48tiao-2020") == [] and relations.links(b, "gan-fa-2020-5") == []


def test_a_held_extension_moves_the_extended_measures_end_and_nothing_else(library):
    b = library.current()
    electricity = b.document(ELECTRICITY)
    extended = periods.clause_period(b, electricity, electricity.clause(FIRST_POINT))
    assert extended == periods.Period(dt.date(2020, 2, 1), dt.date(2020, 12, 31), None, EXTENSION)
    tariff = periods.clause_period(b, electricity, electricity.clause(SECOND_POINT))
    assert tariff == periods.Period(dt.date(2020, 2, 1), dt.date(2020, 6, 30), None)
    assert periods.document_period(b, ELECTRICITY).end == dt.date(2020, 6, 30)
    assert periods.span(b, ELECTRICITY).end == dt.date(2020, 12, 31)
    derived = periods.derived(b, electricity)
    assert derived.clause(FIRST_POINT).meta["conditions"]["until"] == "2020-12-31"
    assert derived.clause(SECOND_POINT).meta == electricity.clause(SECOND_POINT).meta
    assert electricity.clause(FIRST_POINT).meta["conditions"]["until"] == "2020-06-30"    # as written
    # an extension not held changes nothing: its terms are not known
    social = b.document(SOCIAL_INSURANCE)
    assert periods.derived(b, social) is social


def test_the_status_follows_a_held_extension_with_its_reason(library):
    b = library.current()
    electricity = b.document(ELECTRICITY)
    via = f"经《{b.docs[EXTENSION]['title']}》延长"
    assert periods.validity(b, electricity, dt.date(2026, 1, 1)) == periods.Validity(
        "已失效", f"按执行期限 2020-12-31 推定已失效（{via}）", True)
    # on a day the extension still ran, the measure it extends was in force
    assert periods.validity(b, electricity, dt.date(2020, 9, 1)) == periods.Validity(
        "现行有效", f"{via}至 2020-12-31", True)
    social = b.document(SOCIAL_INSURANCE)
    assert periods.validity(b, social) == periods.Validity(social.status, social.status_note, False)


# ---------------------------------------------------------------- pages and /api/doc

def _shown(client, url: str) -> tuple[list[tuple[str, str | None]], dict[str, str]]:
    """(the relations section's (sentence, link) pairs, the provenance list as term → text) of a page."""
    tree = lxml_html.fromstring(client.get(url).get_data(as_text=True))
    items = [(" ".join(li.text_content().split()), (li.xpath(".//a/@href") or [None])[0])
             for li in tree.xpath('//section[@class="relations"]//li')]
    terms = dict(zip((" ".join(e.text_content().split()) for e in tree.xpath('//section[@class="provenance"]//dt')),
                     (" ".join(e.text_content().split()) for e in tree.xpath('//section[@class="provenance"]//dd'))))
    return items, terms


def test_both_documents_pages_show_the_extension(client, library):
    b = library.current()
    extension = f"《{b.docs[EXTENSION]['title']}》（发改价格〔2020〕994号）"
    extended, terms = _shown(client, f"/doc/{ELECTRICITY}")
    assert extended == [(f"“电费按原到户电价95%结算”被{extension}延长至 2020-12-31", f"/doc/{EXTENSION}")]
    assert terms["施行期间"] == "2020-02-01 至 2020-06-30"       # the two-part tariff was not extended
    assert terms["效力状态"] == (f"已失效：按执行期限 2020-12-31 推定已失效（经《{b.docs[EXTENSION]['title']}》延长）")
    extending, _ = _shown(client, f"/doc/{EXTENSION}")
    assert extending == [(f"延长《{b.docs[ELECTRICITY]['title']}》“电费按原到户电价95%结算”的执行期限至 2020-12-31",
                          f"/doc/{ELECTRICITY}/%E8%A6%81%E7%82%B91")]
    on_clause, terms = _shown(client, f"/doc/{ELECTRICITY}/{FIRST_POINT}")
    assert on_clause == extended and terms["执行期限"] == "2020-02-01 至 2020-12-31"
    tariff, terms = _shown(client, f"/doc/{ELECTRICITY}/{SECOND_POINT}")
    assert tariff == [] and terms["执行期限"] == "2020-02-01 至 2020-06-30"
    # the extending document's own clause of the same path is not the one extended
    assert _shown(client, f"/doc/{EXTENSION}/{FIRST_POINT}")[0] == []


def test_both_pages_show_what_the_resumption_notice_rests_on_and_an_extension_not_held(client, library):
    b = library.current()
    assert _shown(client, f"/doc/{RESUMPTION}")[0] == [(f"依据《{b.docs[PROVINCE]['title']}》", f"/doc/{PROVINCE}")]
    assert _shown(client, f"/doc/{PROVINCE}")[0] == [(f"《{b.docs[RESUMPTION]['title']}》以本文件为依据", f"/doc/{RESUMPTION}")]
    assert _shown(client, f"/doc/{SOCIAL_INSURANCE}")[0] == [("被人社部发〔2020〕49号延长（本库未收录该文件）", None)]
    assert _shown(client, "/doc/jyg-48tiao-2020")[0] == []


def test_api_doc_carries_the_relations_both_ways_with_the_derived_status(client, library):
    b = library.current()
    data = client.get(f"/api/doc/{ELECTRICITY}").get_json()
    assert data["relations"] == [{
        "type": "延长", "direction": "in", "id": EXTENSION, "title": b.docs[EXTENSION]["title"],
        "doc_no": "发改价格〔2020〕994号", "clause": FIRST_POINT, "url": f"/doc/{EXTENSION}",
        "text": f"“电费按原到户电价95%结算”被《{b.docs[EXTENSION]['title']}》（发改价格〔2020〕994号）延长至 2020-12-31"}]
    assert data["validity"] == {"status": "已失效", "derived": True,
                                "reason": f"按执行期限 2020-12-31 推定已失效（经《{b.docs[EXTENSION]['title']}》延长）"}
    assert data["period"] == {"from": "2020-02-01", "until": "2020-06-30", "extended_by": "", "text": "2020-02-01 至 2020-06-30"}
    assert [(r["type"], r["direction"], r["id"]) for r in client.get(f"/api/doc/{EXTENSION}").get_json()["relations"]] == [
        ("延长", "out", ELECTRICITY)]
    social = client.get(f"/api/doc/{SOCIAL_INSURANCE}").get_json()
    assert [(r["type"], r["direction"], r["id"], r["title"], r["doc_no"]) for r in social["relations"]] == [
        ("延长", "in", "", "", "人社部发〔2020〕49号")]
    assert social["validity"]["derived"] is False
