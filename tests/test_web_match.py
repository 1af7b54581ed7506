"""我的企业能享受哪些政策 through Flask's test client: the form, its results against kb.match, /api/match
against `kb match --json`, and bad parameters."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from kb.match import BENEFIT_LABELS, UNDETERMINED_REASON, match
from kb.profile import FIELDS, Profile
from tests.conftest import ROOT
from tests.test_match import (CATERING, HOUSING_FUND, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND, LOSS_8_YEARS,
                              MANUFACTURER, SOCIAL_INSURANCE, SOCIAL_INSURANCE_HUBEI, VAT_1_PERCENT, VAT_HUBEI, _find)
from web.match import ANCHORS, _written

SECTIONS = {"certain": "certain", "possible": "possible", "not_applicable": "not-applicable", "undetermined": "undetermined"}


def profile_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def query_of(data: dict) -> list[tuple[str, str]]:
    """A JSON profile as the form would send it."""
    pairs = []
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, ("true" if v else "false") if isinstance(v, bool) else str(v)))
    return pairs


def tree_of(response):
    return lxml_html.fromstring(response.get_data(as_text=True))


def section(tree, status: str):
    return tree.xpath(f'//section[@id="{SECTIONS[status]}"]')[0]


def links(element) -> list[str]:
    return element.xpath('.//li[@class="measure"]/h4/a/@href')


def item_in(tree, status: str, url: str):
    return section(tree, status).xpath(f'.//li[@class="measure"][h4/a/@href="{url}"]')[0]


def text(element) -> str:
    return " ".join(element.text_content().split())


def facts(element) -> dict[str, str]:
    """A measure's 理由/待确认/优惠/截止/负责部门 list as label → text."""
    return {text(dt): text(dd) for dt, dd in zip(element.xpath(".//dt"), element.xpath(".//dd"))}


@pytest.fixture(scope="module")
def catering(library):
    return match(library.current(), Profile.from_json(profile_json(CATERING)))


@pytest.fixture(scope="module")
def catering_page(client):
    response = client.get("/match", query_string=query_of(profile_json(CATERING)))
    assert response.status_code == 200
    return tree_of(response)


# ---------------------------------------------------------------- the form

def test_nav_links_to_the_page(client):
    tree = tree_of(client.get("/"))
    assert tree.xpath('//nav[@aria-label="主导航"]//a[.="我的企业能享受哪些政策"]/@href') == ["/match"]


def test_empty_form_is_labelled_and_has_no_result_and_no_date(client):
    response = client.get("/match")
    assert response.status_code == 200
    tree = tree_of(response)
    form = tree.xpath('//form[@class="profile"]')[0]
    assert form.get("method") == "get" and form.get("action") == "/match#results"   # lands on the results
    assert {c.get("name") for c in form.xpath(".//input | .//select")} == set(FIELDS)
    for control in form.xpath('.//input[@type!="radio" and @type!="checkbox"] | .//select'):
        assert form.xpath(f'.//label[@for="{control.get("id")}"]'), control.get("name")
    for control in form.xpath('.//input[@type="radio" or @type="checkbox"]'):
        assert control.getparent().tag == "label" and text(control.getparent())
        assert control.xpath("ancestor::fieldset[1]/legend")
    assert all(text(legend) for legend in form.xpath(".//legend"))
    assert form.xpath('.//input[@name="date"]/@value') == [""]      # never today
    assert form.xpath('.//input[@type="radio" and @value="" and @checked]')   # 不确定 until the user says
    assert not tree.xpath('//section[@class="match-results"]')


def test_page_has_no_inline_script_or_style(client):
    response = client.get("/match", query_string=query_of(profile_json(CATERING)))
    tree = tree_of(response)
    assert all(s.get("src") for s in tree.xpath("//script"))
    assert not tree.xpath("//style | //*[@style] | //*[@*[starts-with(name(), 'on')]]")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_form_shows_the_profile_as_read(client):
    tree = tree_of(client.get("/match", query_string=[
        ("size", "微型"), ("region", "湖北省"), ("sector", "餐饮"), ("sector", "住宿"), ("hardship", "否"),
        ("layoff_rate", "0.05"), ("insured_staff", "12"), ("date", "2020-03-02")]))
    form = tree.xpath('//form[@class="profile"]')[0]
    assert form.xpath('.//select[@name="size"]/option[@selected]/@value') == ["微型"]
    assert form.xpath('.//select[@name="region"]/option[@selected]/@value') == ["湖北"]
    assert form.xpath('.//input[@name="sector" and @checked]/@value') == ["餐饮", "住宿"]
    assert form.xpath('.//input[@name="hardship" and @checked]/@value') == ["false"]
    assert form.xpath('.//input[@name="small_scale_taxpayer" and @checked]/@value') == [""]
    assert form.xpath('.//input[@name="layoff_rate"]/@value') == ["5%"]
    assert form.xpath('.//input[@name="insured_staff"]/@value') == ["12"]
    assert form.xpath('.//input[@name="date"]/@value') == ["2020-03-02"]


# ---------------------------------------------------------------- the results

def _unsure(data: dict) -> dict:
    """The issue's case: the same business, unsure whether it is on the 重点保障企业 list."""
    return {**data, "key_supply_enterprise": ""}


PROFILES = {"catering": lambda: profile_json(CATERING), "catering-unsure": lambda: _unsure(profile_json(CATERING)),
            "manufacturer": lambda: profile_json(MANUFACTURER), "empty": lambda: {key: "" for key in FIELDS}}


@pytest.mark.parametrize("name", PROFILES)
def test_every_measure_is_shown_in_its_group_with_jump_links(client, library, name):
    data = PROFILES[name]()
    result = match(library.current(), Profile.from_json(data))
    tree = tree_of(client.get("/match", query_string=query_of(data)))
    jump = tree.xpath('//nav[@aria-label="匹配结果各组"]//a')
    assert [text(a) for a in jump] == [
        f"确定可以享受 {len(result.certain)} 条", f"可能可以享受 {len(result.possible)} 条",
        f"不适用 {len(result.not_applicable)} 条", f"未能自动判断 {len(result.undetermined)} 条", "修改企业情况"]
    for a in jump:
        assert tree.xpath(f'//*[@id="{a.get("href")[1:]}"]'), a.get("href")
    for status in ("certain", "not_applicable", "undetermined"):
        found = section(tree, status)
        assert links(found) == [i.url for i in getattr(result, status)]
        assert [text(h) for h in found.xpath(".//h3")] == [area for area, _ in result.grouped(status)]
        for area, items in result.grouped(status):
            under = found.xpath(f'.//h3[.="{area}"]/following-sibling::*[1]')[0]
            assert links(under) == [i.url for i in items]
    possible = section(tree, "possible")
    assert links(possible) == [i.url for i in result.possible]
    assert [text(h) for h in possible.xpath(".//h3")] == [
        f"还需确认 {n} 项（{len(items)} 条）" for n, items in result.by_open_count()]
    assert tree.xpath('//section[@id="incomplete"]//a/@href') == [d["url"] for d in result.partly_held]


@pytest.fixture(scope="module")
def unsure(library):
    return match(library.current(), Profile.from_json(_unsure(profile_json(CATERING))))


@pytest.fixture(scope="module")
def unsure_page(client):
    return tree_of(client.get("/match", query_string=query_of(_unsure(profile_json(CATERING)))))


def test_the_certain_group_comes_first_with_the_one_sure_tax_cut(unsure, unsure_page):
    groups = [s.get("id") for s in unsure_page.xpath('//section[@class="match-results"]/section')]
    assert groups == ["certain", "possible", "not-applicable", "undetermined", "incomplete"]
    vat = _find(unsure.certain, *VAT_1_PERCENT)[0]
    assert vat.url in links(section(unsure_page, "certain"))
    for measure in (KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND):
        item = _find(unsure.possible, *measure)[0]
        assert item.url not in links(section(unsure_page, "certain"))
        shown = item_in(unsure_page, "possible", item.url)
        assert [text(li) for li in shown.xpath('.//ul[@class="open"]/li')] == ["须为疫情防控重点保障企业（列入名单）"]
        # the field that would settle it, linked to where it is on the form
        settle = shown.xpath('.//p[@class="settle"]/a')
        assert [(a.get("href"), text(a)) for a in settle] == [("#key_supply_enterprise-group", "是否疫情防控重点保障企业")]
        assert unsure_page.xpath('//form[@id="profile"]//fieldset[@id="key_supply_enterprise-group"]')


def test_possible_items_name_each_open_condition_and_what_is_met(unsure, unsure_page):
    for item in unsure.possible:
        shown = item_in(unsure_page, "possible", item.url)
        assert [text(li) for li in shown.xpath('.//ul[@class="open"]/li')] == item.open_conditions
        assert [text(li) for li in shown.xpath('.//dt[.="已满足"]/following-sibling::dd[1]//li')] == item.reasons
        assert text(shown.xpath('.//p[@class="citation-text"]')[0]) == item.citation


def test_the_text_less_documents_are_named_at_the_top(unsure_page):
    notice = unsure_page.xpath('//div[@id="without-text"]')[0]
    certain = section(unsure_page, "certain")
    assert notice.getparent() is certain.getparent() and notice.getparent().index(notice) < notice.getparent().index(certain)
    names = [text(a) for a in notice.xpath(".//li/a")]
    assert names[0].startswith("“13条”《") and names[1].startswith("“48条”《")
    assert notice.xpath(".//li/a/@href")[:2] == ["/doc/jyg-13tiao-2020", "/doc/jyg-48tiao-2020"]
    assert notice.xpath('.//a[@href="#incomplete"]')


def test_shared_caveats_are_said_once(unsure, unsure_page):
    assert [text(li) for li in unsure_page.xpath('//ul[@class="caveats"]/li')] == unsure.caveats
    page = text(unsure_page.xpath('//section[@class="match-results"]')[0])
    assert page.count("截止日期未公布的措施按仍在执行判断") == 1
    assert page.count(UNDETERMINED_REASON) == 1


@pytest.mark.parametrize("measure", [SOCIAL_INSURANCE, VAT_1_PERCENT, LOSS_8_YEARS, HOUSING_FUND])
def test_catering_page_lists_the_measures_it_gets_with_reasons(catering, catering_page, measure):
    item = _find(catering.applicable, *measure)[0]
    status = "certain" if item in catering.certain else "possible"
    shown = item_in(catering_page, status, item.url)
    assert text(shown.xpath('.//p[@class="citation-text"]')[0]) == item.citation
    label = "适用理由" if status == "certain" else "已满足"
    assert [text(li) for li in shown.xpath(f'.//dt[.="{label}"]/following-sibling::dd[1]//li')] == item.reasons
    assert [text(li) for li in shown.xpath('.//ul[@class="open"]/li')] == item.open_conditions


def test_reasons_on_the_page_read_as_people_write_them(catering, catering_page):
    vat = item_in(catering_page, "certain", _find(catering.certain, *VAT_1_PERCENT)[0].url)
    assert "3月15日在执行期内（2020年3月1日至5月31日）" in text(vat)
    loss = _find(catering.applicable, *LOSS_8_YEARS)[0]
    shown = item_in(catering_page, "certain" if loss in catering.certain else "possible", loss.url)
    assert "3月15日在执行期内，自2020年1月1日起，截止日期未公布" in text(shown)
    results = text(catering_page.xpath('//section[@class="match-results"]')[0])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", results)


@pytest.mark.parametrize("profile", [CATERING, MANUFACTURER], ids=["catering", "manufacturer"])
def test_benefit_deadline_and_department_are_shown(client, library, profile):
    data = profile_json(profile)
    result = match(library.current(), Profile.from_json(data))
    tree = tree_of(client.get("/match", query_string=query_of(data)))
    for item in result.applicable:
        expected = {f"优惠{BENEFIT_LABELS[k]}": v for k, v in item.benefit.items()}
        expected.update({"截止": _written(item.deadline), "负责部门": item.department})
        shown = facts(item_in(tree, "certain" if item in result.certain else "possible", item.url))
        assert {k: shown.get(k, "") for k in expected} == expected
    # the data gives the catering business benefits and deadlines, the Hubei manufacturer a department
    assert any(i.department for i in result.applicable) if profile == MANUFACTURER else (
        any(i.benefit for i in result.applicable) and any(i.deadline for i in result.applicable))


def test_deadlines_are_written_dates():
    assert _written("2020-06-30") == "2020年6月30日"
    assert _written("6月30日前到期的贷款") == "6月30日前到期的贷款"


@pytest.mark.parametrize("measure", [VAT_HUBEI, SOCIAL_INSURANCE_HUBEI, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND])
def test_catering_page_puts_hubei_and_key_supply_measures_under_not_applicable_with_reasons(
        catering, catering_page, measure):
    items = _find(catering.not_applicable, *measure)
    assert items
    applicable = set(links(section(catering_page, "certain")) + links(section(catering_page, "possible")))
    for item in items:
        assert item.url not in applicable
        shown = item_in(catering_page, "not_applicable", item.url)
        assert shown.xpath("ancestor::details/summary")       # collapsed until the user opens it
        assert text(shown.xpath('.//p[@class="reason"]')[0]) == "不适用原因：" + "；".join(item.reasons)


def test_undetermined_are_folded_with_what_to_check(catering, catering_page):
    found = section(catering_page, "undetermined")
    assert text(found.xpath("h2")[0]) == f"未能自动判断（{len(catering.undetermined)} 条）"
    assert UNDETERMINED_REASON in text(found)
    assert catering.undetermined
    for item in catering.undetermined:
        shown = item_in(catering_page, "undetermined", item.url)
        assert shown.xpath("ancestor::details/summary")
        assert item.citation in text(shown)
        assert all(c in text(shown) for c in item.open_conditions)


def test_without_a_date_nothing_is_certain_and_the_periods_are_left_to_confirm(client):
    tree = tree_of(client.get("/match?size=小型&region=嘉峪关&date="))
    assert text(tree.xpath('//ul[@class="caveats"]/li')[0]).startswith("没有选择日期")
    assert not links(section(tree, "certain"))
    assert section(tree, "certain").xpath('.//a[@href="#date"]')
    assert any(text(li).startswith("须在执行期内：") for li in section(tree, "possible").xpath('.//ul[@class="open"]/li'))


def test_hubei_manufacturer_page(client, library):
    result = match(library.current(), Profile.from_json(profile_json(MANUFACTURER)))
    tree = tree_of(client.get("/match", query_string=query_of(profile_json(MANUFACTURER))))
    applicable = set(links(section(tree, "certain")) + links(section(tree, "possible")))
    for measure in (SOCIAL_INSURANCE_HUBEI, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND):
        assert {i.url for i in _find(result.applicable, *measure)} <= applicable
    assert not {i.url for i in _find(result.not_applicable, *SOCIAL_INSURANCE)} & applicable


# ---------------------------------------------------------------- /api/match

@pytest.mark.parametrize("profile", [CATERING, MANUFACTURER])
def test_api_is_what_kb_match_json_prints(client, policies_index, profile):
    out = subprocess.run([sys.executable, "-m", "kb", "match", str(profile), "--json", "--index", str(policies_index)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    response = client.get("/api/match", query_string=query_of(profile_json(profile)))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == json.loads(out.stdout)


def test_api_has_the_two_groups_and_each_items_open_conditions(client, unsure):
    data = client.get("/api/match", query_string=query_of(_unsure(profile_json(CATERING)))).get_json()
    assert [i["url"] for i in data["certain"]] == [i.url for i in unsure.certain]
    assert [(i["url"], i["open_conditions"], i["unstated"]) for i in data["possible"]] == [
        (i.url, i.open_conditions, i.unstated) for i in unsure.possible]
    assert data["applicable"] == data["certain"] + data["possible"]     # the key clients already read
    assert data["caveats"] == unsure.caveats


def test_api_without_parameters_is_the_empty_profile(client, library):
    expected = json.loads(json.dumps(match(library.current(), Profile()).to_json(), ensure_ascii=False))
    assert client.get("/api/match").get_json() == expected


# ---------------------------------------------------------------- bad input

BAD = [   # (query, message, the field it marks)
    ("size=小微", "未知的企业规模“小微”", "size"),
    ("sector=餐饮业", "未知的行业“餐饮业”", "sector"),
    ("region=北京", "未知的所在地区“北京”", "region"),
    ("hardship=maybe", "应填“是”或“否”", "hardship"),
    ("insured_staff=-3", "不小于 0 的整数", "insured_staff"),
    ("insured_staff=1e9x", "不小于 0 的整数", "insured_staff"),
    ("layoff_rate=很多", "裁员率应为 0 到 1 之间的小数", "layoff_rate"),
    ("layoff_rate=150%", "裁员率应在 0 到 1 之间", "layoff_rate"),
    ("date=2020/03/15", "请写成 YYYY-MM-DD", "date"),
    ("date=2020-02-30", "请写成 YYYY-MM-DD", "date"),
    ("size=小型&size=中型", "企业规模只能填一个值", "size"),
    ("sise=小型", "未知的参数“sise”", None),
]


def _bad_page(client, query):
    response = client.get(f"/match?{query}&sector=住宿")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    return tree_of(response)


@pytest.mark.parametrize("query, message, field", BAD)
def test_bad_parameters_show_the_form_again_with_the_message(client, query, message, field):
    tree = _bad_page(client, query)
    errors = tree.xpath('//p[@role="alert"]')
    assert len(errors) == 1 and message in text(errors[0])
    error = errors[0]
    assert error.get("tabindex") == "-1" and error.get("autofocus") is not None   # the focus goes to the message
    form = tree.xpath('//form[@class="profile"]')[0]
    assert "住宿" in form.xpath('.//input[@name="sector" and @checked]/@value')   # what was typed is kept
    assert not tree.xpath('//section[@class="match-results"]')
    assert len(tree.xpath("//*[@autofocus]")) == 1
    if field is None:     # no one field is wrong: the message is above the form, which it describes
        assert form.get("aria-describedby") == error.get("id")
        assert not form.xpath('.//*[@aria-invalid]')
    else:
        assert form.get("aria-describedby") is None


@pytest.mark.parametrize("query, message, field", [b for b in BAD if b[2]])
def test_a_bad_value_marks_its_field_with_the_message_under_it(client, query, message, field):
    tree = _bad_page(client, query)
    error = tree.xpath('//p[@role="alert"]')[0]
    assert error.get("id") == f"{field}-error" and error.get("class") == "field-error"
    controls = tree.xpath(f'//form[@class="profile"]//*[@name="{field}"]')
    assert controls
    for control in controls:
        assert control.get("aria-invalid") == "true"
        assert f"{field}-error" in control.get("aria-describedby").split()
    # only that field is marked, and its message is right under it: in the field's own box, after its controls
    assert {c.get("name") for c in tree.xpath('//*[@aria-invalid="true"]')} == {field}
    box = error.getparent()
    assert box.get("class") in ("field", "choice", "sectors") and box.get("id", "") in ("", ANCHORS[field])
    assert all(box.index(c if c.getparent() is box else c.getparent()) < box.index(error) for c in controls)


def test_a_field_keeps_its_hint_beside_the_error(client):
    control = _bad_page(client, "layoff_rate=很多").xpath('//input[@name="layoff_rate"]')[0]
    assert control.get("aria-describedby").split() == ["layoff-help", "layoff_rate-error"]


@pytest.mark.parametrize("query, message, field", BAD)
def test_bad_parameters_are_a_json_400(client, query, message, field):
    response = client.get(f"/api/match?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"] and response.get_json()["status"] == 400


def test_api_match_is_not_taken_for_an_unknown_api(client):
    assert client.get("/api/match?size=小型").status_code == 200
    assert "/api/match" in client.get("/api/matches").get_json()["error"]
