"""What a citation names when a unit is not a document's own words: a press conference, a news report or a
meeting (kb.citation.retold), the same on results, clause pages, /cite, /match and /api/doc; the reply
draft, which says 规定 only of a document; and /api/doc, which gives a clause's official text and the
library's remarks apart from the text as written."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import html as lxml_html

from kb import citedoc
from kb.cite import PLACEHOLDER, REPLY_NOTE, reply_lines, resolve
from kb.citation import CONFERENCE, MEETING, REPORT, Source, cite, retold
from kb.match import match
from kb.profile import Profile
from kb.search import search

CJ = "《关于打赢疫情防控阻击战强化疫情防控重点保障企业资金支持的紧急通知》（财金〔2020〕5号）"
HUBEI_QUOTA = f"新华社2020年4月23日报道的{CJ}要点（本库摘要）（效力未核实）"
LANZHOU = "人民银行兰州中心支行金融支持疫情防控和企业复工复产措施（新华社2020年2月23日报道）"
MEETING_0211 = "国务院常务会议（2020年2月11日）"
GAN_FA = "《关于坚决打赢新冠肺炎疫情防控阻击战促进经济持续健康发展的若干意见》（甘发〔2020〕5号）"
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@pytest.fixture(scope="module")
def snapshot(library):
    return library.current()


def cited(snapshot, doc_id: str, path: str = "") -> str:
    doc = snapshot.document(doc_id)
    return cite(doc.title, doc.doc_no, doc.status, path, doc.clause(path).heading if path else "")


# ---------------------------------------------------------------- what a unit retells

@pytest.mark.parametrize("title, path, heading, source", [
    ("某意见", "要点1", "2020年2月17日省政府新闻发布会公布：用电支持",
     Source(CONFERENCE, "2020年2月17日省政府新闻发布会", "2020年2月17日省政府新闻发布会公布")),
    ("某通知", "要点2", "新华社2020年4月23日报道：湖北增加额度",
     Source(REPORT, "新华社2020年4月23日报道", "新华社2020年4月23日报道")),
    ("放宽某政策（2020年2月11日发布会）", "要点1", "某措施", Source(CONFERENCE, "2020年2月11日发布会")),
    ("某措施（新华社2020年2月23日报道）", "", "", Source(REPORT, "新华社2020年2月23日报道")),
    ("国务院常务会议（2020年2月11日）", "要点3", "某部署", Source(MEETING, "2020年2月11日国务院常务会议")),
    ("国务院常务会议（2020年2月11日）", "", "", Source(MEETING, "2020年2月11日国务院常务会议")),
])
def test_the_source_is_read_from_the_heading_or_the_title(title, path, heading, source):
    assert retold(title, "", path, heading) == source


@pytest.mark.parametrize("title, doc_no, path, heading", [
    ("关于召开全省工作会议的通知", "", "", ""),                        # a notice about a meeting is a document
    ("某会议纪要", "", "要点1", "某部署"),                              # so are minutes, which have a title
    ("某通知", "", "一", "新华社报道：不是要点"),                        # a numbered clause is the document's
    ("某通知", "人社部发〔2020〕11号", "要点1", "人社部发〔2020〕49号延长减免期限"),   # cited by 49号, not retold
])
def test_a_documents_own_words_retell_nothing(title, doc_no, path, heading):
    assert retold(title, doc_no, path, heading) is None


def test_a_point_retelling_a_news_report_is_cited_as_the_report(snapshot):
    assert cited(snapshot, "cj-2020-5", "要点4") == HUBEI_QUOTA
    # the point's neighbours keep theirs: the press conference's, the document's
    assert cited(snapshot, "cj-2020-5", "要点3").startswith(f"人民银行2020年3月15日发布会通报的{CJ}要点（本库摘要）")
    assert cited(snapshot, "cj-2020-5", "要点1") == f"{CJ}（效力未核实）"


def test_a_report_held_as_a_document_is_cited_as_the_report_without_book_title_marks(snapshot):
    assert cited(snapshot, "rmyh-lanzhou-2020") == f"{LANZHOU}（效力未核实）"
    assert cited(snapshot, "rmyh-lanzhou-2020", "要点4") == f"{LANZHOU}要点四（本库摘要）（效力未核实）"


def test_a_meetings_points_read_as_the_meetings(snapshot):
    assert cited(snapshot, "gwy-cwhy-2020-02-11") == f"{MEETING_0211}（效力未核实）"
    assert cited(snapshot, "gwy-cwhy-2020-02-11", "要点1") == f"{MEETING_0211}要点一（本库摘要）（效力未核实）"
    assert cited(snapshot, "gwy-cwhy-2020-02-25", "要点6") == "国务院常务会议（2020年2月25日）要点六（本库摘要）（效力未核实）"


def test_every_source_named_is_one_its_document_records(snapshot):
    """A citation names a report, conference or meeting only with a date the document itself gives (its
    text, preamble, coverage note or date): nothing is made up for the citation."""
    named = 0
    for doc_id in snapshot.docs:
        doc = snapshot.document(doc_id)
        recorded = " ".join([doc.coverage_note, doc.preamble, doc.date.isoformat() if doc.date else "",
                             *(c.text for c in doc.clauses)])
        for path in ["", *(c.path for c in doc.clauses)]:
            source = retold(doc.title, doc.doc_no, path, doc.clause(path).heading if path else "")
            for date in DATE.findall(source.name if source else ""):
                y, m, d = map(int, re.findall(r"\d+", date))
                assert date in recorded or dt.date(y, m, d).isoformat() in recorded, (doc_id, path, date)
                named += 1
    assert named > 20


def test_every_point_that_opens_with_a_report_is_cited_as_one(snapshot):
    """A point whose text says it is from a news report (据新华社…报道，) names the report in its heading."""
    opening = re.compile(r"^据[^，。]*报道，")
    found = 0
    for doc_id in snapshot.docs:
        doc = snapshot.document(doc_id)
        for c in doc.clauses:
            if c.path.startswith("要点") and opening.match(c.official_text):
                source = retold(doc.title, doc.doc_no, c.path, c.heading)
                assert source and source.kind == REPORT, (doc_id, c.path)
                found += 1
    assert found >= 1


def test_the_lanzhou_measures_are_typed_as_what_the_library_holds(snapshot):
    """B3 of the facts sheet: a Xinhua report of the branch's requirements, not a press release; the
    descriptive title names the report its coverage note records."""
    doc = snapshot.document("rmyh-lanzhou-2020")
    assert doc.type == "其他"
    assert "新华社2020年2月23日兰州报道" in doc.coverage_note and doc.title.endswith("（新华社2020年2月23日报道）")


# ---------------------------------------------------------------- the citation list and its reply draft

def test_the_list_says_why_each_source_is_cited_so(snapshot):
    report, meeting, held, conference = resolve(snapshot, [
        "cj-2020-5/要点4", "gwy-cwhy-2020-02-11/要点2", "rmyh-lanzhou-2020/要点1", "gan-fa-2020-5/要点3"]).items
    assert report.note.startswith("这是本库根据新华社2020年4月23日报道整理的要点") and "引用报道" in report.note
    assert meeting.note.startswith("这是本库根据报道整理的2020年2月11日国务院常务会议要点") and "引用会议" in meeting.note
    assert held.note.startswith("这是本库根据新华社2020年2月23日报道整理的要点")
    assert "2020年2月17日省政府新闻发布会上的介绍" in conference.note and "引用发布会" in conference.note
    assert all("正式文件核对" in i.note for i in (report, meeting, held, conference))


def test_the_reply_says_regulation_only_of_a_document(snapshot):
    cl = resolve(snapshot, ["rsbf-2020-11/一", "gan-fa-2020-5/要点3", "cj-2020-5/要点4", "gwy-cwhy-2020-02-11/要点1",
                         "rsb-wengang-2020-02-11/要点1", "gwy-cwhy-2020-02-11"])
    assert reply_lines(cl.items) == [
        "根据《关于阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号）第一条（已失效）的规定，……；",
        f"据2020年2月17日省政府新闻发布会介绍（见2020年2月17日省政府新闻发布会公布的{GAN_FA}要点（本库摘要）（效力未核实）），……；",
        f"据新华社2020年4月23日报道（见{HUBEI_QUOTA}），……；",
        f"2020年2月11日国务院常务会议提出（见{MEETING_0211}要点一（本库摘要）（效力未核实）），……；",
        "据2020年2月11日发布会介绍（见放宽稳岗返还政策（2020年2月11日发布会）要点一（本库摘要）（效力未核实）），……；",
        f"2020年2月11日国务院常务会议提出（见{MEETING_0211}（效力未核实）），……。",
    ]
    assert "会议提出" in REPLY_NOTE and "据……报道" in REPLY_NOTE


def test_two_points_of_one_source_and_citation_are_one_line(snapshot):
    cl = resolve(snapshot, ["gan-fa-2020-5/要点3", "gan-fa-2020-5/要点5"])
    assert len(cl.reply.splitlines()) == 1 and cl.reply.startswith("据2020年2月17日省政府新闻发布会介绍（见")


def test_the_downloads_carry_the_same_reply(snapshot):
    cl = resolve(snapshot, ["gwy-cwhy-2020-02-11/要点1"])
    assert f"2020年2月11日国务院常务会议提出（见{MEETING_0211}要点一（本库摘要）（效力未核实）），{PLACEHOLDER}。" in (
        citedoc.markdown(cl).splitlines())


# ---------------------------------------------------------------- the same citation everywhere

def page(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True))


def test_search_results_cite_a_meeting_and_a_report_as_their_pages_do(client, library):
    hits = search(library, "减免国有房产租金 降低贷款利率").hits
    hit = next(h for h in hits if (h.doc_id, h.path) == ("gwy-cwhy-2020-02-11", "要点2"))
    assert hit.citation == f"{MEETING_0211}要点二（本库摘要）（效力未核实）"
    hits = search(library, "湖北 200亿元 专项再贷款").hits
    hit = next(h for h in hits if (h.doc_id, h.path) == ("cj-2020-5", "要点4"))
    assert hit.citation == HUBEI_QUOTA
    for url, citation in (("/doc/gwy-cwhy-2020-02-11/要点2", f"{MEETING_0211}要点二（本库摘要）（效力未核实）"),
                          ("/doc/cj-2020-5/要点4", HUBEI_QUOTA)):
        assert page(client.get(url)).xpath('string(//p[@id="citation"])') == citation


def hint(response) -> str:
    return page(response).xpath('string(//section[@class="cite"]//p[@class="citation-hint"])')


def test_a_clause_page_says_what_its_citation_points_to_in_the_lists_words(client, snapshot):
    """The hint under a clause page's citation names what the unit retells, as the citation list does: a
    meeting's or a report's point is not called a press conference's."""
    refs = ["gwy-cwhy-2020-02-11/要点1", "cj-2020-5/要点4", "rmyh-lanzhou-2020/要点1", "gan-fa-2020-5/要点3"]
    for item in resolve(snapshot, refs).items:
        shown = hint(client.get(item.url))
        assert shown == item.note, item.ref
    meeting, report = (hint(client.get(f"/doc/{r}")) for r in refs[:2])
    assert "2020年2月11日国务院常务会议要点" in meeting and "发布会" not in meeting
    assert "新华社2020年4月23日报道" in report and "发布会" not in report


def test_a_clause_page_of_a_documents_own_points_says_the_citation_names_the_document(client, snapshot):
    """A unit the library worded that retells nothing still cites an official document, to be checked."""
    shown = hint(client.get("/doc/rsbf-2020-11/要点1"))
    assert shown.startswith("这条引用指向官方文件") and "另一份文件的措施" in shown and "发布会" not in shown
    assert hint(client.get("/doc/rsbf-2020-11/一")).startswith("这条引用指向官方文件")


def test_a_report_held_as_a_document_is_headed_as_reported_whatever_its_type(client, snapshot):
    """The body heading follows what the document retells (kb.citation.retold), not its type: the Lanzhou
    measures, typed 其他, are what a report said, like the meetings and conferences held."""
    assert snapshot.document("rmyh-lanzhou-2020").type == "其他"
    for doc_id in ("rmyh-lanzhou-2020", "gwy-cwhy-2020-02-11", "rsb-wengang-2020-02-11"):
        headings = page(client.get(f"/doc/{doc_id}")).xpath('//section[@class="body"]/h2/text()')
        assert headings == ["报道中的要点（本库整理）"], doc_id
    own = page(client.get("/doc/rsbf-2020-11")).xpath('//section[@class="body"]/h2/text()')
    assert own and own != ["报道中的要点（本库整理）"]


def test_the_match_cites_a_meetings_point_as_the_meetings(client, snapshot):
    profile = Profile(size="大型", region="湖北", hardship=True, date=dt.date(2020, 3, 15))
    item = next(i for i in match(snapshot, profile).possible if (i.doc_id, i.path) == ("gwy-cwhy-2020-02-25", "要点1"))
    assert item.citation == "国务院常务会议（2020年2月25日）要点一（本库摘要）（效力未核实）"
    data = client.get("/api/match", query_string=dict(profile.to_json(), date="2020-03-15")).get_json()
    assert item.citation in [i["citation"] for i in data["possible"]]


def test_the_cite_page_and_api_give_the_reply_in_the_sources_words(client):
    refs = {"c": ["gwy-cwhy-2020-02-11/要点1", "cj-2020-5/要点4"]}
    reply = page(client.get("/cite", query_string=refs)).xpath('string(//div[@id="reply-text"])')
    assert reply.splitlines() == [f"2020年2月11日国务院常务会议提出（见{MEETING_0211}要点一（本库摘要）（效力未核实）），……；",
                                  f"据新华社2020年4月23日报道（见{HUBEI_QUOTA}），……。"]
    assert "规定" not in reply
    assert client.get("/api/cite", query_string=refs).get_json()["reply"] == reply


# ---------------------------------------------------------------- /api/doc

def test_api_doc_gives_the_official_text_and_the_remarks_apart(client, snapshot):
    data = client.get("/api/doc/rsbf-2020-11").get_json()
    one = next(c for c in data["clauses"] if c["path"] == "一")
    clause = snapshot.document("rsbf-2020-11").clause("一")
    assert one["text"] == clause.text and "编者注：按5个月算" in one["text"]       # as written, as before
    assert one["official_text"] == clause.official_text and "编者注" not in one["official_text"]
    assert one["remarks"] == ["按5个月算，中小微企业的免征可以执行到2020年6月。"]
    unmarked = next(c for c in data["clauses"] if c["path"] == "二")
    assert unmarked["remarks"] == [] and unmarked["official_text"] == unmarked["text"]


def test_api_doc_gives_a_remark_inside_a_sentence_and_in_the_preamble_apart(client):
    point = next(c for c in client.get("/api/doc/fgw-dianfei-2020").get_json()["clauses"] if c["path"] == "要点2")
    assert "【编者注：" in point["text"] and point["remarks"] == ["据国家电网通知，为发改办价格〔2020〕110号"]
    assert point["official_text"] == "2月7日出台的支持性两部制电价政策执行期限延至2020年6月30日。"
    data = client.get("/api/doc/rmyh-lanzhou-2020").get_json()
    assert "【编者注：" in data["preamble"]
    assert data["official_preamble"] == "据新华社2020年2月23日兰州报道，人民银行兰州中心支行对全省金融机构提出以下要求。"
    [remark] = data["preamble_remarks"]
    assert remark.startswith("实施情况，据每日甘肃网2020年4月2日报道：")
    assert data["clauses"][3]["citation"] == f"{LANZHOU}要点四（本库摘要）（效力未核实）"
