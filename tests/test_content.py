"""The knowledge base's content: the real documents in policies/ are valid, sourced, honest about
what they cover, carry machine-readable conditions, and answer the searches enterprises make."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb.check import check_paths, policy_files
from kb.match import match
from kb.profile import Profile
from kb.search import search
from kb.taxonomy import taxonomy

POLICIES = Path(__file__).resolve().parent.parent / "policies"
CONDITION_KEYS = {"size", "small_scale_taxpayer", "sector", "region", "exclude_region", "key_supply_enterprise",
                  "hardship", "max_insured_staff", "max_layoff_rate", "from", "until"}
# facts-2020.md section E: values no source confirmed, kept out of every file (coverage notes too)
UNCONFIRMED = ["发改价格〔2020〕258号", "人社部明电〔2020〕2号", "LPR减100", "LPR减250", "减100个基点", "减250个基点"]


@pytest.fixture(scope="module")
def checked():
    return check_paths([POLICIES])


@pytest.fixture(scope="module")
def docs(checked):
    return {d.id: d for d in checked[0]}


def test_checker_passes_on_every_file(checked):
    docs, problems = checked
    assert problems == []
    assert len(docs) == len(policy_files([POLICIES]))


def test_ids_are_unique_and_name_their_files(checked):
    ids = [d.id for d in checked[0]]
    assert len(ids) == len(set(ids))
    for d in checked[0]:
        assert Path(d.source_path).stem == d.id


def test_every_document_has_web_sources_and_a_coverage(docs):
    coverages = set(taxonomy().coverages)
    for d in docs.values():
        assert d.sources, d.id
        assert all(s.startswith(("http://", "https://")) for s in d.sources), d.id
        assert d.coverage in coverages, d.id
        if d.coverage != "官方全文":
            assert d.coverage_note, f"{d.id}: 未收录全文却没有说明缺了什么"


def test_every_clause_has_a_support_area(docs):
    for d in docs.values():
        for c in d.clauses:
            assert c.areas, f"{d.id} {c.path}"


@pytest.mark.parametrize("doc_id, short", [("jyg-48tiao-2020", "48条"), ("jyg-13tiao-2020", "13条")])
def test_package_documents_are_catalogue_only(docs, doc_id, short):
    d = docs[doc_id]
    assert d.short_title == short
    assert (d.type, d.level, d.coverage) == ("规范性文件", "市", "仅目录信息")
    assert d.clauses == []
    # the report names six areas for the whole package, not which belong to which document (A2, A3, D)
    assert d.areas == []
    assert "没有说明哪个方面属于哪份文件" in d.coverage_note
    # issuer, date and 文号 are unconfirmed: they stay out
    assert (d.issuers, d.date, d.doc_no) == ([], None, "")
    assert "整套政策" in d.coverage_note and "没有找到" in d.coverage_note


EXPECTED_END = {
    "cs-swzj-2020-13": dt.date(2020, 5, 31),
    "rsbf-2020-11": dt.date(2020, 12, 31),
    "ybf-2020-6": dt.date(2020, 6, 30),
    "jj-2020-23": dt.date(2020, 6, 30),
    "fgw-dianfei-2020": dt.date(2020, 6, 30),
    "fgjg-2020-994": dt.date(2020, 12, 31),
    "ybjf-2020-6": dt.date(2020, 6, 30),
}


# what the facts sheet (../shared/sources/facts-2020.md) says of a validity it does not give
UNVERIFIED_BECAUSE = {
    "cs-swzj-2020-8": "截止日期写明视疫情情况另行公告",      # C1.6
    "jyg-48tiao-2020": "有效期均未能核实",                     # A2
    "jyg-13tiao-2020": "有效期均未能核实",                     # A3
    "gan-bgt-fugong-tongzhi-2020": "有效期均未能核实",         # B2
    "jyg-fugong-tongzhi-2020": "不是本通知的失效日期",          # A1: the 10 February is a start date
    "szh-2020-27": "时限由各省税务局确定",                      # C5.3: the make-up period is not given
}


def test_expired_measures_carry_their_end_date(docs):
    for doc_id, end in EXPECTED_END.items():
        assert docs[doc_id].effective_until == end, doc_id


def test_a_document_is_expired_only_by_an_end_date_the_sources_give(docs):
    """已失效 where the sources give a term that is over, with that reason; 效力未核实 everywhere else."""
    for d in docs.values():
        if d.id in EXPECTED_END:
            assert d.status == "已失效", d.id
            assert d.effective_until < dt.date.today(), d.id
            assert d.status_note.startswith(f"按执行期限 {d.effective_until.isoformat()} 推定已失效："), d.id
        else:
            assert (d.status, d.effective_until) == ("效力未核实", None), d.id
            assert UNVERIFIED_BECAUSE.get(d.id, "未能核实") in d.status_note, d.id
    assert sum(d.status == "效力未核实" for d in docs.values()) == len(docs) - len(EXPECTED_END) == 17


def test_partial_clauses_say_they_are_incomplete(docs):
    partial = [(d, c) for d in docs.values() for c in d.clauses if c.meta.get("partial")]
    assert len(partial) >= 10
    for d, c in partial:
        assert d.coverage == "部分条款", d.id
        # said in the library's own voice, a 编者注, so no citation copies it as the document's words
        assert any("不完整" in r or "未能核实" in r for r in c.remarks), f"{d.id} {c.path}"
        assert "不完整" not in c.official_text and "未能核实" not in c.official_text, f"{d.id} {c.path}"


def test_meetings_hold_points_not_clauses(docs):
    meetings = [d for d in docs.values() if d.type == "会议"]
    assert {d.id for d in meetings} == {"gwy-cwhy-2020-02-11", "gwy-cwhy-2020-02-25"}
    for d in meetings:
        assert d.clauses and all(c.system == "point" for c in d.clauses)


def test_press_conference_content_is_marked(docs):
    d = docs["gan-fa-2020-5"]
    points = [c for c in d.clauses if c.system == "point"]
    # each point names the press conference it retells, as the document records it (its citation reads it)
    assert points and all(c.heading.startswith("2020年2月17日省政府新闻发布会公布：") for c in points)
    assert "2020年2月17日省政府新闻发布会" in d.coverage_note
    numbered = [c.path for c in d.clauses if c.system == "policy"]
    assert numbered == ["一", "二", "二/（一）", "二/（二）"]


def test_conditions_use_the_documented_vocabulary(docs):
    tax = taxonomy()
    seen = 0
    for d in docs.values():
        for c in d.clauses:
            cond = c.meta.get("conditions")
            if cond is None:
                continue
            seen += 1
            where = f"{d.id} {c.path}"
            assert set(cond) <= CONDITION_KEYS, where
            assert set(cond.get("size", [])) <= set(tax.enterprise_types), where
            assert set(cond.get("sector", [])) <= set(tax.sectors), where
            for key in ("small_scale_taxpayer", "key_supply_enterprise", "hardship"):
                assert cond.get(key, True) is True, where
            period = [dt.date.fromisoformat(str(cond[k])) for k in ("from", "until") if k in cond]
            assert period == sorted(period), where
    assert seen >= 20


def test_hubei_and_elsewhere_are_told_apart(docs):
    """A small business outside Hubei gets the 1% rate and the SME exemption, not the Hubei-only ones."""
    vat = {c.heading: c.meta["conditions"] for c in docs["cs-swzj-2020-13"].clauses}
    assert vat["湖北以外小规模纳税人征收率由3%降至1%"]["exclude_region"] == ["湖北"]
    assert vat["湖北省小规模纳税人免征增值税"]["region"] == ["湖北"]
    social = docs["rsbf-2020-11"]
    assert social.clause("一").meta["conditions"]["exclude_region"] == ["湖北"]
    assert "小型" in social.clause("一").meta["conditions"]["size"]
    assert social.clause("二").meta["conditions"]["region"] == ["湖北"]
    assert docs["cs-swzj-2020-8"].clause("四").meta["conditions"]["sector"] == ["交通运输", "餐饮", "住宿", "旅游"]


@pytest.mark.parametrize("query, doc_id, path", [
    ("社保 减免", "rsbf-2020-11", "一"),
    ("房租", "gwy-cwhy-2020-02-11", "要点2"),
    ("房租", "gan-fa-2020-5", "要点4"),
    ("免房租", "gwy-cwhy-2020-02-11", "要点2"),
    ("贷款 延期", "ybjf-2020-6", "一"),
    ("增值税 小规模", "cs-swzj-2020-13", "要点2"),
    ("公积金 缓缴", "jj-2020-23", "一"),
    ("返岗 隔离", "jyg-fugong-tongzhi-2020", "三"),
])
def test_everyday_searches_find_the_right_clause(library, query, doc_id, path):
    top = [(h.doc_id, h.path) for h in search(library, query, limit=3).hits]
    assert (doc_id, path) in top, top


# ---------------------------------------------------------------- metadata the sources support (audit 2026-12)

def test_section_e_values_and_claims_beyond_the_sources_stay_out():
    for path in sorted(POLICIES.glob("*.md")):
        if path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [v for v in UNCONFIRMED if v in text], path.name
        # no text was found (F, B2); that is not the same as a text never published
        assert "未公开" not in text, path.name
    # neither C10 nor C12 links the meeting to the CBIRC notice
    assert "银保监发" not in (POLICIES / "gwy-cwhy-2020-02-25.md").read_text(encoding="utf-8")


def test_the_small_scale_vat_cut_is_for_every_small_scale_taxpayer(library, docs):
    """C11.2-3: every small-scale VAT taxpayer, not 个体工商户 only (the title's word)."""
    for c in docs["cs-swzj-2020-13"].clauses:
        assert {"小型", "微型", "个体工商户"} <= set(c.meta["enterprise"]), c.path
        assert c.meta["conditions"]["small_scale_taxpayer"] is True
    small = search(library, "增值税 小规模", filters={"enterprise": ["小型"]}, limit=10)
    assert ("cs-swzj-2020-13", "要点2") in [(h.doc_id, h.path) for h in small.hits]


def test_a_large_hubei_firm_is_not_told_the_loan_deferral_is_not_for_it(library):
    """C10.1: all Hubei enterprises qualify, whatever their size."""
    profile = Profile(size="大型", region="湖北", hardship=True, date=dt.date(2020, 3, 15))
    result = match(library.current(), profile)
    ruled_out = {(i.doc_id, i.path) for i in result.not_applicable}
    assert ("gwy-cwhy-2020-02-25", "要点1") not in ruled_out
    assert ("gwy-cwhy-2020-02-25", "要点1") in {(i.doc_id, i.path) for i in result.possible}


def test_the_loss_carry_forward_names_the_main_revenue_test(docs):
    """C1.4: a hard-hit industry's firm qualifies by its 2020 main-business revenue of 50% or more."""
    clause = docs["cs-swzj-2020-8"].clause("四")
    assert "主营业务收入" in clause.meta["conditions_text"] and "50%以上" in clause.meta["conditions_text"]


def test_tags_are_no_narrower_than_the_sources(docs):
    # C4.1 names private and small firms as examples, not as a limit
    assert "enterprise" not in docs["gwy-cwhy-2020-02-11"].clause("要点1").meta
    # C2.1: makers, storers, ICT suppliers, transport and sale; no health-care providers
    assert "医疗卫生" not in docs["cj-2020-5"].clause("一/（一）").meta["sectors"]
    assert "3000亿元专项再贷款" not in docs["cj-2020-5"].aliases     # set up by the PBoC on 01-31, not this notice
    # C13.1 covers prevention, utilities, daily life and key firms: no one sector
    assert "sectors" not in docs["rsb-jiuye-tongzhi-2020"].clause("一").meta
    # C8.1 does not say where to apply, C13.3 not who held the press conference, C3.1 only "State Council"
    assert "管理中心" not in docs["jj-2020-23"].clause("一").meta["conditions_text"]
    assert docs["rsb-wengang-2020-02-11"].title == "放宽稳岗返还政策（2020年2月11日发布会）"
    assert "联防联控" not in docs["gxmd-2020-14"].coverage_note
    # A5's figures are the city's, not the plan's results
    assert "没有说是本方案的实施结果" in docs["jyg-gxj-baozhua-2020"].preamble
