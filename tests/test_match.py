"""Profile matching: the pure judgement on hand-made conditions, the profile reader, the checker's
rules for `conditions`, and matching over the real documents of policies/ (CLI included)."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.check import validate
from kb.docformat import parse_text
from kb.index import build
from kb.library import Library
from kb.match import (APPLICABLE, NOT_APPLICABLE, OPEN_ENDED_CAVEAT, UNDETERMINED, condition_problems, judge, match,
                      period_text)
from kb.profile import FIELDS, OTHER_REGION, REGIONS, Profile, ProfileError
from kb.taxonomy import taxonomy
from tests.conftest import POLICIES, ROOT

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
CATERING = PROFILES / "catering-jiayuguan-2020-03.json"
MANUFACTURER = PROFILES / "manufacturer-wuhan-2020-04.json"
D = dt.date.fromisoformat


def profile_of(path: Path) -> Profile:
    return Profile.from_json(json.loads(path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- judge: hand-made conditions

def test_clause_without_conditions_is_undetermined_not_dropped_or_matched():
    j = judge(None, Profile(size="小型"), conditions_text=["须向主管部门申请"])
    assert j.status == UNDETERMINED
    assert "须向主管部门申请" in j.open_conditions


def test_empty_conditions_apply_to_everyone():
    j = judge({}, Profile())
    assert j.status == APPLICABLE
    assert j.reasons[0] == "对各类企业普遍适用"


def test_each_condition_met_failed_or_open():
    conditions = {"size": ["中型", "小型", "微型"], "sector": ["餐饮", "住宿"], "small_scale_taxpayer": True}
    met = judge(conditions, Profile(size="小型", sector=("餐饮",), small_scale_taxpayer=True))
    assert met.status == APPLICABLE
    assert any("小型" in r for r in met.reasons) and any("餐饮" in r for r in met.reasons)

    failed = judge(conditions, Profile(size="大型", sector=("餐饮",), small_scale_taxpayer=True))
    assert failed.status == NOT_APPLICABLE
    assert failed.reasons == ["只适用于中型、小型、微型企业，本企业为大型企业"]

    unstated = judge(conditions, Profile(size="小型"))
    assert unstated.status == APPLICABLE
    assert unstated.open_conditions[:2] == ["须属于餐饮或住宿行业", "须为增值税小规模纳税人"]
    # the form fields that would settle them; not the date, as no period is recorded here
    assert unstated.unstated == ["sector", "small_scale_taxpayer"]
    assert not unstated.certain
    assert judge(conditions, Profile(size="小型"), effective_from=D("2020-02-01")).unstated == [
        "sector", "small_scale_taxpayer", "date"]

    met_words = judge({"size": ["中型", "小型", "微型", "个体工商户"], "sector": ["交通运输", "餐饮"],
                       "region": ["甘肃"], "exclude_region": ["湖北"]}, Profile(size="小型", sector=("餐饮",), region="嘉峪关"))
    assert met_words.reasons == ["小型企业在适用范围内（中型、小型、微型企业和个体工商户）",
                                 "行业为餐饮，在适用行业之列（交通运输、餐饮）",
                                 "位于嘉峪关市，在适用地区（甘肃省）内",
                                 "位于嘉峪关市，不在排除的地区（湖北省）"]


def test_one_failure_is_enough_and_only_failures_are_the_reasons():
    j = judge({"size": ["小型"], "region": ["湖北"]}, Profile(size="小型", region="嘉峪关"))
    assert j.status == NOT_APPLICABLE
    assert j.reasons == ["只适用于湖北省的企业，本企业位于嘉峪关市"]


def test_all_open_is_still_applicable_with_a_reason_saying_so():
    j = judge({"max_insured_staff": 30, "max_layoff_rate": 0.2}, Profile())
    assert j.status == APPLICABLE
    assert j.reasons and "待确认" in j.reasons[0]
    assert "参保职工人数须不超过30人" in j.open_conditions
    assert "裁员率须不超过20%" in j.open_conditions


@pytest.mark.parametrize("region, conditions, status", [
    ("嘉峪关", {"region": ["甘肃"]}, APPLICABLE),              # a city is in its province
    ("武汉", {"region": ["湖北"]}, APPLICABLE),
    ("武汉", {"exclude_region": ["湖北"]}, NOT_APPLICABLE),
    ("嘉峪关", {"exclude_region": ["湖北"]}, APPLICABLE),
    (OTHER_REGION, {"region": ["湖北"]}, NOT_APPLICABLE),
    (OTHER_REGION, {"exclude_region": ["湖北"]}, APPLICABLE),
    ("湖北", {"region": ["嘉峪关"]}, NOT_APPLICABLE),
])
def test_regions_contain_their_cities(region, conditions, status):
    assert judge(conditions, Profile(region=region)).status == status


def test_a_province_does_not_settle_a_city_condition():
    j = judge({"region": ["嘉峪关"]}, Profile(region="甘肃"))
    assert j.status == APPLICABLE
    assert "须位于嘉峪关市（您只填了甘肃省，请确认）" in j.open_conditions and j.unstated == ["region"]
    j = judge({"exclude_region": ["武汉"]}, Profile(region="湖北"))
    assert "须位于武汉市以外（您只填了湖北省，请确认）" in j.open_conditions


def test_boolean_conditions_both_ways():
    assert judge({"key_supply_enterprise": True}, Profile(key_supply_enterprise=False)).status == NOT_APPLICABLE
    assert judge({"key_supply_enterprise": False}, Profile(key_supply_enterprise=True)).status == NOT_APPLICABLE
    assert judge({"key_supply_enterprise": False}, Profile(key_supply_enterprise=False)).status == APPLICABLE
    assert judge({"hardship": True}, Profile()).open_conditions == [
        "须为受疫情影响生产经营困难的企业", "执行期限本库未记录，请确认享受时措施仍在执行"]


def test_limits_are_inclusive():
    assert judge({"max_insured_staff": 30}, Profile(insured_staff=30)).status == APPLICABLE
    assert judge({"max_insured_staff": 30}, Profile(insured_staff=31)).reasons == [
        "只适用于参保职工人数不超过30人的企业，本企业参保职工人数为31人"]
    assert judge({"max_layoff_rate": 0.2}, Profile(layoff_rate=0.2)).status == APPLICABLE
    assert judge({"max_layoff_rate": 0.2}, Profile(layoff_rate=0.25)).status == NOT_APPLICABLE


def test_dates_pick_the_measures_in_force():
    conditions = {"from": "2020-03-01", "until": "2020-05-31"}
    assert judge(conditions, Profile(date=D("2020-03-01"))).status == APPLICABLE
    assert judge(conditions, Profile(date=D("2020-05-31"))).status == APPLICABLE
    early = judge(conditions, Profile(date=D("2020-02-29")))
    assert early.status == NOT_APPLICABLE and early.reasons == ["措施自2020年3月1日起执行，2月29日尚未开始"]
    late = judge(conditions, Profile(date=D("2020-06-01")))
    assert late.status == NOT_APPLICABLE and late.reasons == ["措施已于2020年5月31日截止，6月1日已过"]
    inside = judge(conditions, Profile(date=D("2020-03-15")))
    assert inside.certain and inside.reasons == ["对各类企业普遍适用", "3月15日在执行期内（2020年3月1日至5月31日）"]


def test_document_dates_stand_in_for_the_clause_period():
    # the clause's own until wins over the document's
    assert judge({"until": "2020-06-30"}, Profile(date=D("2020-07-01")),
                 effective_from=D("2020-02-01"), effective_until=D("2020-12-31")).status == NOT_APPLICABLE
    assert judge({}, Profile(date=D("2020-07-01")), effective_from=D("2020-02-01"),
                 effective_until=D("2020-12-31")).status == APPLICABLE
    # nothing is in force before its document was issued
    before = judge({}, Profile(date=D("2020-02-10")), issued=D("2020-02-21"))
    assert before.status == NOT_APPLICABLE and before.reasons == ["文件2020年2月21日才发布，2月10日时尚未出台"]


def test_a_measure_without_a_published_end_is_in_force_and_says_so():
    """As any measure, it runs until ended: met, in words people use, flagged for the caveat said once."""
    j = judge({}, Profile(date=D("2020-03-15")), effective_from=D("2020-01-01"))
    assert j.certain and j.open_ended
    assert j.reasons == ["对各类企业普遍适用", "3月15日在执行期内，自2020年1月1日起，截止日期未公布"]
    issued = judge({}, Profile(date=D("2020-03-15")), issued=D("2020-02-07"))
    assert issued.reasons[1] == "3月15日在执行期内，自2020年2月7日发文起，截止日期未公布"
    assert not judge({}, Profile(date=D("2020-03-15")), effective_from=D("2020-01-01"),
                     effective_until=D("2020-06-30")).open_ended
    # no start at all is still left to confirm: nothing says the measure had begun
    no_start = judge({}, Profile(date=D("2020-03-15")), effective_until=D("2020-06-30"))
    assert no_start.open_conditions == ["起始日期本库未记录，请确认3月15日时措施已经开始执行"]
    assert no_start.unstated == []          # not something the user can settle


@pytest.mark.parametrize("start, end, issued, text", [
    ("2020-03-01", "2020-05-31", None, "2020年3月1日至5月31日"),
    ("2020-12-01", "2021-03-31", None, "2020年12月1日至2021年3月31日"),
    ("2020-01-01", None, None, "自2020年1月1日起，截止日期未公布"),
    (None, None, "2020-02-07", "自2020年2月7日发文起，截止日期未公布"),
    (None, "2020-06-30", "2020-02-21", "自2020年2月21日发文起至6月30日"),
    (None, "2020-06-30", None, "至2020年6月30日止，起始日期未记录"),
    (None, None, None, "执行期限本库未记录"),
])
def test_periods_read_as_people_write_them(start, end, issued, text):
    def day(value):
        return D(value) if value else None
    assert period_text(day(start), day(end), day(issued)) == text


def test_without_a_date_the_period_is_open_never_today():
    j = judge({"from": "2020-03-01", "until": "2020-05-31"}, Profile())
    assert j.status == APPLICABLE and not j.certain     # today (years later) would have ruled it out
    assert j.open_conditions == ["须在执行期内：2020年3月1日至5月31日"]
    assert j.unstated == ["date"]


def test_a_date_rules_out_a_clause_even_without_conditions():
    j = judge(None, Profile(date=D("2020-08-01")), effective_until=D("2020-06-30"))
    assert j.status == NOT_APPLICABLE


_profiles = st.builds(
    Profile,
    size=st.none() | st.sampled_from(taxonomy().enterprise_types),
    small_scale_taxpayer=st.none() | st.booleans(),
    sector=st.lists(st.sampled_from(taxonomy().sectors), max_size=2, unique=True).map(tuple),
    region=st.none() | st.sampled_from([*REGIONS, OTHER_REGION]),
    key_supply_enterprise=st.none() | st.booleans(),
    hardship=st.none() | st.booleans(),
    insured_staff=st.none() | st.integers(0, 500),
    layoff_rate=st.none() | st.floats(0, 1),
    date=st.none() | st.dates(D("2020-01-01"), D("2020-12-31")),
)
_conditions = st.fixed_dictionaries({}, optional={
    "size": st.lists(st.sampled_from(taxonomy().enterprise_types), min_size=1, max_size=3, unique=True),
    "sector": st.lists(st.sampled_from(taxonomy().sectors), min_size=1, max_size=3, unique=True),
    "region": st.lists(st.sampled_from(list(REGIONS)), min_size=1, max_size=2, unique=True),
    "exclude_region": st.lists(st.sampled_from(list(REGIONS)), min_size=1, max_size=2, unique=True),
    "small_scale_taxpayer": st.booleans(), "key_supply_enterprise": st.booleans(), "hardship": st.booleans(),
    "max_insured_staff": st.integers(0, 300), "max_layoff_rate": st.floats(0, 1),
    "from": st.sampled_from(["2020-02-01", "2020-03-01"]), "until": st.sampled_from(["2020-05-31", "2020-06-30"]),
})


@given(_profiles, _conditions, st.sampled_from(FIELDS))
def test_saying_less_never_turns_a_failure_into_a_match_or_back(profile, conditions, forgotten):
    """Leaving a key out of a profile can only turn a met or failed condition into an open one."""
    full = judge(conditions, profile)
    vaguer = judge(conditions, replace(profile, **{forgotten: getattr(Profile(), forgotten)}))
    if full.status == APPLICABLE:
        assert vaguer.status == APPLICABLE
    if vaguer.status == NOT_APPLICABLE:
        assert full.status == NOT_APPLICABLE
    if vaguer.certain:                  # nothing the forgotten key decides is left open, so it was certain before
        assert full.certain
    assert set(vaguer.unstated) <= set(full.unstated) | {forgotten}
    assert condition_problems(conditions) == []


# ---------------------------------------------------------------- the profile reader

def test_profile_from_json_reads_every_key():
    p = profile_of(CATERING)
    assert (p.size, p.small_scale_taxpayer, p.sector, p.region, p.date) == (
        "小型", True, ("餐饮",), "嘉峪关", D("2020-03-15"))


@pytest.mark.parametrize("data, message", [
    ({"sise": "小型"}, "未知的字段“sise”"),
    ({"size": "小微"}, "未知的企业规模“小微”"),
    ({"sector": "餐饮业"}, "未知的行业“餐饮业”"),
    ({"region": "北京"}, "未知的所在地区“北京”"),
    ({"hardship": "maybe"}, "应填“是”或“否”"),
    ({"insured_staff": -3}, "不小于 0 的整数"),
    ({"insured_staff": 12.5}, "不小于 0 的整数"),
    ({"layoff_rate": 20}, "裁员率应在 0 到 1 之间"),
    ({"date": "2020/03/15"}, "请写成 YYYY-MM-DD"),
    (["小型"], "JSON 对象"),
])
def test_profile_errors_are_chinese_value_errors(data, message):
    with pytest.raises(ValueError, match=message) as info:
        Profile.from_json(data)
    assert isinstance(info.value, ProfileError)
    # the field a form marks: the one key given when it is that key's value that is wrong
    assert info.value.field == (next(iter(data)) if isinstance(data, dict) and "未知的字段" not in message else None)


def test_profile_from_query_string_values():
    p = Profile.from_query({"size": "微型", "small_scale_taxpayer": "是", "hardship": "", "sector": ["餐饮", "住宿"],
                            "region": "湖北省", "insured_staff": "25", "layoff_rate": "5%", "date": "2020-03-02",
                            "page": "2"})
    assert p == Profile(size="微型", small_scale_taxpayer=True, sector=("餐饮", "住宿"), region="湖北",
                        insured_staff=25, layoff_rate=0.05, date=D("2020-03-02"))
    assert Profile.from_query({"sector": "餐饮,住宿", "key_supply_enterprise": "false"}) == Profile(
        sector=("餐饮", "住宿"), key_supply_enterprise=False)
    assert Profile.from_query({k: "" for k in FIELDS}) == Profile()
    with pytest.raises(ProfileError, match="只能填一个值") as info:
        Profile.from_query({"size": ["小型", "中型"]})
    assert info.value.field == "size"
    with pytest.raises(ProfileError, match="裁员率") as info:
        Profile.from_query({"layoff_rate": "很多"})
    assert info.value.field == "layoff_rate"


def test_profile_round_trips_through_json():
    p = profile_of(MANUFACTURER)
    assert Profile.from_json(p.to_json()) == p


# ---------------------------------------------------------------- the checker

def _meta_doc(conditions_yaml: str, text: str = "正文。") -> str:
    return ("---\nid: t-doc\ntitle: 测试\ntype: 通知\nlevel: 国家\nstatus: 现行有效\ncoverage: 官方全文\n"
            "sources: [x]\n---\n\n## 一、措施\n\n```meta\nconditions:\n" + conditions_yaml + "```\n\n" + text + "\n")


@pytest.mark.parametrize("conditions_yaml, message", [
    ("  region: [湖北省]\n", "未知的地区“湖北省”（请写作“湖北”）"),
    ("  size: [小微]\n", "未知的企业规模“小微”"),
    ("  sector: 餐饮业\n", "未知的行业“餐饮业”"),
    ("  hardship: 是\n", "hardship 应为 true 或 false"),
    ("  max_insured_staff: 三十\n", "max_insured_staff 应为不小于 0 的整数"),
    ("  max_layoff_rate: 20\n", "max_layoff_rate 应为 0 到 1 之间的小数"),
    ("  from: 2020-02-30\n", "from 的日期“2020-02-30”无法解析"),
    ("  until: 20200630\n", "until 的日期“20200630”无法解析"),
    ("  from: 2020-06-01\n  until: 2020-03-01\n", "截止日期 2020-03-01 早于开始日期 2020-06-01"),
    ("  size_max: 100\n", "未知的适用条件“size_max”"),
])
def test_checker_names_file_and_line_of_bad_conditions(conditions_yaml, message):
    problems = validate(parse_text("policies/t.md", _meta_doc(conditions_yaml)))
    # the schema's own message, once, at the meta block's line (kb.metacheck may add that the text does not name it)
    named = [p for p in problems if message in p.message]
    assert len(named) == 1 and str(named[0]).startswith("policies/t.md:13: 条款 一：")


def test_checker_accepts_every_documented_condition():
    good = ("  size: [中型, 小型]\n  small_scale_taxpayer: true\n  sector: [餐饮]\n  region: [甘肃]\n"
            "  exclude_region: [湖北]\n  key_supply_enterprise: false\n  hardship: true\n"
            "  max_insured_staff: 30\n  max_layoff_rate: 0.2\n  from: 2020-02-01\n  until: 2020-06-30\n")
    # the text names what the conditions ask, as kb.metacheck requires
    text = "参保职工30人及以下、裁员率不超过20%的中小企业中，餐饮行业的小规模纳税人，生产经营困难的，可以申请。"
    assert validate(parse_text("policies/t.md", _meta_doc(good, text))) == []


# ---------------------------------------------------------------- matching the real documents

def _find(items, doc_no: str, word: str):
    """The items of a document (by its 文号) whose heading names the measure."""
    return [i for i in items if i.doc_no == doc_no and word in i.heading]


SOCIAL_INSURANCE = ("人社部发〔2020〕11号", "湖北以外")
VAT_1_PERCENT = ("财政部 税务总局公告2020年第13号", "1%")
VAT_HUBEI = ("财政部 税务总局公告2020年第13号", "湖北省")
LOSS_8_YEARS = ("财政部 税务总局公告2020年第8号", "8年")
HOUSING_FUND = ("建金〔2020〕23号", "缓缴住房公积金")
KEY_SUPPLY_DEDUCTION = ("财政部 税务总局公告2020年第8号", "一次性扣除")
KEY_SUPPLY_REFUND = ("财政部 税务总局公告2020年第8号", "留抵")
SOCIAL_INSURANCE_HUBEI = ("人社部发〔2020〕11号", "湖北各类参保单位")


@pytest.fixture(scope="module")
def catering(library):
    return match(library.current(), profile_of(CATERING))


@pytest.fixture(scope="module")
def manufacturer(library):
    return match(library.current(), profile_of(MANUFACTURER))


@pytest.mark.parametrize("measure", [SOCIAL_INSURANCE, VAT_1_PERCENT, LOSS_8_YEARS, HOUSING_FUND])
def test_small_catering_business_outside_hubei_gets(catering, measure):
    found = _find(catering.applicable, *measure)
    assert len(found) == 1, f"{measure} 不在可以享受之列"
    assert found[0].reasons and found[0].citation.startswith("《")


@pytest.mark.parametrize("measure, why", [(VAT_HUBEI, "湖北"), (SOCIAL_INSURANCE_HUBEI, "湖北"),
                                          (KEY_SUPPLY_DEDUCTION, "重点保障企业"), (KEY_SUPPLY_REFUND, "重点保障企业")])
def test_small_catering_business_outside_hubei_does_not_get(catering, measure, why):
    found = _find(catering.not_applicable, *measure)
    assert found, f"{measure} 不在不适用之列"
    assert all(any(why in r for r in i.reasons) for i in found)


def _conditions_text(library, item) -> str:
    return library.current().document(item.doc_id).clause(item.path).meta["conditions_text"]


def test_the_items_carry_what_the_user_needs(catering, library):
    vat = _find(catering.applicable, *VAT_1_PERCENT)[0]
    assert vat.benefit["rate"] == "1%"
    assert vat.url.startswith(f"/doc/{vat.doc_id}/")
    assert "2020年第13号" in vat.citation
    fund = _find(catering.applicable, *HOUSING_FUND)[0]
    assert fund.deadline == "2020-06-30"
    assert fund.open_conditions == [_conditions_text(library, fund)]   # its conditions_text is left to confirm


def test_hubei_manufacturer_gets_the_hubei_and_key_supply_measures(manufacturer):
    assert _find(manufacturer.applicable, *SOCIAL_INSURANCE_HUBEI)
    assert _find(manufacturer.applicable, *KEY_SUPPLY_DEDUCTION) and _find(manufacturer.applicable, *KEY_SUPPLY_REFUND)
    assert _find(manufacturer.not_applicable, *SOCIAL_INSURANCE)
    assert _find(manufacturer.not_applicable, *VAT_1_PERCENT)     # neither small-scale nor outside Hubei
    assert _find(manufacturer.not_applicable, *LOSS_8_YEARS)


# ---------------------------------------------------------------- certain and possible

@pytest.fixture(scope="module")
def catering_unsure(library):
    """The issue's small catering business in 嘉峪关, unsure whether it is on the 重点保障企业 list."""
    return match(library.current(), replace(profile_of(CATERING), key_supply_enterprise=None))


def test_only_measures_with_every_condition_met_are_certain(catering_unsure):
    assert catering_unsure.certain and catering_unsure.possible
    assert all(not i.open_conditions for i in catering_unsure.certain)
    assert all(i.open_conditions for i in catering_unsure.possible)
    assert catering_unsure.applicable == catering_unsure.certain + catering_unsure.possible
    vat = _find(catering_unsure.certain, *VAT_1_PERCENT)
    assert len(vat) == 1 and catering_unsure.applicable.index(vat[0]) < len(catering_unsure.certain)


@pytest.mark.parametrize("measure", [KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND])
def test_a_condition_left_open_makes_a_measure_possible_and_is_named(catering_unsure, measure):
    found = _find(catering_unsure.possible, *measure)
    assert len(found) == 1 and not _find(catering_unsure.certain, *measure)
    assert found[0].open_conditions == ["须为疫情防控重点保障企业（列入名单）"]
    assert found[0].unstated == ["key_supply_enterprise"]


def test_saying_yes_makes_the_open_measure_certain(library):
    sure = match(library.current(), replace(profile_of(CATERING), key_supply_enterprise=True))
    assert _find(sure.certain, *KEY_SUPPLY_DEDUCTION) and _find(sure.certain, *KEY_SUPPLY_REFUND)


def test_conditions_only_the_clause_text_states_keep_a_measure_possible(catering_unsure, library):
    fund = _find(catering_unsure.possible, *HOUSING_FUND)[0]
    assert fund.open_conditions == [_conditions_text(library, fund)]
    assert fund.unstated == []          # nothing on the form settles it


def test_possible_measures_fewest_open_conditions_first(catering_unsure, manufacturer):
    for result in (catering_unsure, manufacturer):
        counts = [len(i.open_conditions) for i in result.possible]
        assert counts == sorted(counts)
        assert [(n, len(items)) for n, items in result.by_open_count()] == [
            (n, counts.count(n)) for n in dict.fromkeys(counts)]
    # last: the stable-job subsidy, whose staff count, layoff rate and 失业保险 are all left to confirm
    last = catering_unsure.possible[-1]
    assert (last.doc_id, len(last.open_conditions)) == ("rsb-wengang-2020-02-11", 3)
    assert last.unstated == ["insured_staff", "layoff_rate"]


def test_without_a_date_nothing_is_certain_and_the_date_is_named(library):
    undated = match(library.current(), replace(profile_of(CATERING), date=None))
    assert undated.certain == [] and undated.possible
    assert all("date" in i.unstated for i in undated.possible)
    assert undated.caveats[0] == "没有选择日期：各措施是否在执行期内需要您确认，已列为待确认的条件。"


def test_reasons_are_written_as_people_write_them(catering_unsure):
    everything = catering_unsure.applicable + catering_unsure.not_applicable + catering_unsure.undetermined
    for item in everything:
        for text in item.reasons + item.open_conditions + [item.period]:
            assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
            assert "未记录）" not in text and "（（" not in text, text
    vat = _find(catering_unsure.certain, *VAT_1_PERCENT)[0]
    assert vat.reasons == ["是增值税小规模纳税人", "位于嘉峪关市，不在排除的地区（湖北省）",
                           "3月15日在执行期内（2020年3月1日至5月31日）"]
    loss = _find(catering_unsure.applicable, *LOSS_8_YEARS)[0]
    assert loss.reasons[-1] == "3月15日在执行期内，自2020年1月1日起，截止日期未公布"
    assert loss.period == "自2020年1月1日起，截止日期未公布"


def test_the_caveat_every_measure_shares_is_said_once(catering_unsure):
    assert catering_unsure.caveats == [
        "按2020年3月15日时的执行期判断。", OPEN_ENDED_CAVEAT,
        "这些是2020年的阶段性措施，引用中注明了文件今天的效力状态；申请前请以主管部门的规定为准。"]
    everything = catering_unsure.applicable + catering_unsure.undetermined
    open_ended = [i for i in everything if "截止日期未公布" in i.period]
    assert len(open_ended) > 10           # on the measures it concerns, not a word about it
    assert not [c for i in open_ended for c in i.open_conditions if "截止" in c or "执行" in c]


def test_json_has_both_groups_and_the_old_applicable_key(catering_unsure):
    data = catering_unsure.to_json()
    assert [i["url"] for i in data["certain"]] == [i.url for i in catering_unsure.certain]
    assert [i["url"] for i in data["possible"]] == [i.url for i in catering_unsure.possible]
    assert data["applicable"] == data["certain"] + data["possible"]
    assert data["caveats"] == catering_unsure.caveats
    assert all(set(i) >= {"open_conditions", "unstated", "period", "reasons"} for i in data["possible"])


def test_documents_without_any_text_come_first_the_citys_own_first(catering):
    ids = [d["doc_id"] for d in catering.without_text]
    assert ids[:2] == ["jyg-13tiao-2020", "jyg-48tiao-2020"]
    assert [d["short_title"] for d in catering.without_text[:2]] == ["13条", "48条"]
    assert all(d["coverage"] == "仅目录信息" for d in catering.without_text)
    assert sorted(ids + [d["doc_id"] for d in catering.partly_held]) == [d["doc_id"] for d in catering.incomplete]


def test_later_date_drops_measures_that_had_ended(library):
    summer = match(library.current(), Profile.from_json({**json.loads(CATERING.read_text()), "date": "2020-07-15"}))
    assert [i.reasons for i in _find(summer.not_applicable, *VAT_1_PERCENT)] == [["措施已于2020年5月31日截止，7月15日已过"]]


def test_every_measure_is_listed_once_and_nothing_is_dropped(library, catering):
    snapshot = library.current()
    listed = [(i.doc_id, i.path) for i in catering.applicable + catering.not_applicable + catering.undetermined]
    assert len(listed) == len(set(listed))
    for doc_id, entry in snapshot.docs.items():
        doc = snapshot.document(doc_id)
        parents = {c.parent for c in doc.clauses}
        leaves = {(doc_id, c.path) for c in doc.clauses if c.path not in parents}
        if entry["areas"]:
            assert leaves <= set(listed), doc_id
        else:
            assert not any(d == doc_id for d, _ in listed)


def test_clauses_without_conditions_are_undetermined(library, catering):
    snapshot = library.current()
    assert catering.undetermined
    for item in catering.undetermined:
        clause = snapshot.document(item.doc_id).clause(item.path)
        assert "conditions" not in clause.meta


def test_groups_follow_the_support_areas(catering):
    order = list(taxonomy().area_names)
    for status in (APPLICABLE, NOT_APPLICABLE, UNDETERMINED):
        areas = [area for area, _ in catering.grouped(status)]
        assert areas == sorted(areas, key=order.index)
        assert all(item.area == area for area, items in catering.grouped(status) for item in items)


def test_documents_missing_clauses_are_named(catering, library):
    """Every policy document not wholly held, with support areas or not (the 13条 and 48条 have none)."""
    partial = {d for d, e in library.current().docs.items()
               if e["type"] not in taxonomy().law_types and e["coverage"] in ("部分条款", "仅目录信息")}
    assert {d["doc_id"] for d in catering.incomplete} == partial


def test_laws_are_never_matched(tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    shutil.copy(ROOT / "tests" / "fixtures" / "core" / "law-sample.md", policies)
    build(policies, tmp_path / "index", progress=False)
    b = Library(tmp_path / "index").current()
    law_ids = {d for d, e in b.docs.items() if e["type"] in taxonomy().law_types}
    assert law_ids
    result = match(b, Profile())
    assert not {i.doc_id for i in result.applicable + result.not_applicable + result.undetermined} & law_ids
    assert not {d["doc_id"] for d in result.incomplete} & law_ids


# ---------------------------------------------------------------- the command line

def _kb(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=60)


def test_cli_json_is_the_library_result(library, policies_index, catering):
    out = _kb("match", str(CATERING), "--json", "--index", str(policies_index))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == json.loads(json.dumps(catering.to_json(), ensure_ascii=False))
    for key in ("certain", "possible", "applicable", "not_applicable", "undetermined"):
        for item in data[key]:
            assert {"doc_id", "title", "doc_no", "clause", "citation", "reasons", "open_conditions", "unstated",
                    "period"} <= set(item)


def test_cli_text_groups_by_area(policies_index):
    out = _kb("match", "-", "--index", str(policies_index), stdin=CATERING.read_text(encoding="utf-8"))
    assert out.returncode == 0, out.stderr
    assert "== 确定可以享受" in out.stdout and "== 可能可以享受" in out.stdout and "【援企稳岗】" in out.stdout
    assert "理由：" in out.stdout and "待确认：" in out.stdout and "说明：" in out.stdout


@pytest.mark.parametrize("content, message", [
    ('{"size": "小型",\n "region": 嘉峪关}', ":2: JSON 格式错误"),
    ('{"size": "巨型"}', "未知的企业规模“巨型”"),
])
def test_cli_bad_profile_is_a_clear_message(tmp_path, policies_index, content, message):
    profile = tmp_path / "p.json"
    profile.write_text(content, encoding="utf-8")
    out = _kb("match", str(profile), "--index", str(policies_index))
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_cli_missing_profile_file(policies_index, tmp_path):
    out = _kb("match", str(tmp_path / "none.json"), "--index", str(policies_index))
    assert out.returncode == 2 and "无法读取企业情况文件" in out.stderr and "Traceback" not in out.stderr
