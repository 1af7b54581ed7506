"""The knowledge base's content: the real documents in policies/ are valid, sourced, honest about
what they cover, carry machine-readable conditions, and answer the searches enterprises make."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb.check import check_paths, policy_files
from kb.search import search
from kb.taxonomy import taxonomy

POLICIES = Path(__file__).resolve().parent.parent / "policies"
CONDITION_KEYS = {"size", "small_scale_taxpayer", "sector", "region", "exclude_region", "key_supply_enterprise",
                  "hardship", "max_insured_staff", "max_layoff_rate", "from", "until"}
PACKAGE_AREAS = {"财税金融", "援企稳岗", "要素成本", "政务服务", "包抓机制", "疫情防控保障"}


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
    assert set(d.areas) == PACKAGE_AREAS
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
        assert "不完整" in c.text or "未能核实" in c.text, f"{d.id} {c.path}"


def test_meetings_hold_points_not_clauses(docs):
    meetings = [d for d in docs.values() if d.type == "会议"]
    assert {d.id for d in meetings} == {"gwy-cwhy-2020-02-11", "gwy-cwhy-2020-02-25"}
    for d in meetings:
        assert d.clauses and all(c.system == "point" for c in d.clauses)


def test_press_conference_content_is_marked(docs):
    d = docs["gan-fa-2020-5"]
    points = [c for c in d.clauses if c.system == "point"]
    assert points and all(c.heading.startswith("发布会公布：") for c in points)
    assert "发布会" in d.coverage_note
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
