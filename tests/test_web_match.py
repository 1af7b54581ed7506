"""我的企业能享受哪些政策 through Flask's test client: the form, its results against kb.match, /api/match
against `kb match --json`, and bad parameters."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from kb.match import BENEFIT_LABELS, match
from kb.profile import FIELDS, Profile
from tests.conftest import ROOT
from tests.test_match import (CATERING, HOUSING_FUND, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND, LOSS_8_YEARS,
                              MANUFACTURER, SOCIAL_INSURANCE, SOCIAL_INSURANCE_HUBEI, VAT_1_PERCENT, VAT_HUBEI, _find)
from web import create_app

SECTIONS = {"applicable": "applicable", "not_applicable": "not-applicable", "undetermined": "undetermined"}


@pytest.fixture(scope="module")
def client(policies_index):
    return create_app(policies_index).test_client()


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
    return match(library.build(), Profile.from_json(profile_json(CATERING)))


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

@pytest.mark.parametrize("profile", [CATERING, MANUFACTURER, None], ids=["catering", "manufacturer", "empty"])
def test_every_measure_is_shown_in_its_status_and_area(client, library, profile):
    data = profile_json(profile) if profile else {key: "" for key in FIELDS}
    result = match(library.build(), Profile.from_json(data))
    tree = tree_of(client.get("/match", query_string=query_of(data)))
    counts = text(tree.xpath('//p[@class="total"]')[0])
    assert counts == (f"可以享受 {len(result.applicable)} 条，不适用 {len(result.not_applicable)} 条，"
                      f"未能自动判断 {len(result.undetermined)} 条。")
    for status in SECTIONS:
        found = section(tree, status)
        assert links(found) == [i.url for i in getattr(result, status)]
        assert [text(h) for h in found.xpath(".//h3")] == [area for area, _ in result.grouped(status)]
        for area, items in result.grouped(status):
            under = found.xpath(f'.//h3[.="{area}"]/following-sibling::*[1]')[0]
            assert links(under) == [i.url for i in items]
    assert tree.xpath('//section[@id="incomplete"]//a/@href') == [d["url"] for d in result.incomplete]


@pytest.mark.parametrize("measure", [SOCIAL_INSURANCE, VAT_1_PERCENT, LOSS_8_YEARS, HOUSING_FUND])
def test_catering_page_lists_the_measures_it_gets_with_reasons(catering, catering_page, measure):
    item = _find(catering.applicable, *measure)[0]
    shown = item_in(catering_page, "applicable", item.url)
    assert text(shown.xpath('.//p[@class="citation-text"]')[0]) == item.citation
    assert [text(li) for li in shown.xpath('.//dt[.="适用理由"]/following-sibling::dd[1]//li')] == item.reasons
    assert [text(li) for li in shown.xpath('.//ul[@class="open"]/li')] == item.open_conditions


@pytest.mark.parametrize("profile", [CATERING, MANUFACTURER], ids=["catering", "manufacturer"])
def test_benefit_deadline_and_department_are_shown(client, library, profile):
    data = profile_json(profile)
    result = match(library.build(), Profile.from_json(data))
    tree = tree_of(client.get("/match", query_string=query_of(data)))
    for item in result.applicable:
        expected = {f"优惠{BENEFIT_LABELS[k]}": v for k, v in item.benefit.items()}
        expected.update({"截止": item.deadline, "负责部门": item.department})
        shown = facts(item_in(tree, "applicable", item.url))
        assert {k: shown.get(k, "") for k in expected} == expected
    # the data gives the catering business benefits and deadlines, the Hubei manufacturer a department
    assert any(i.department for i in result.applicable) if profile == MANUFACTURER else (
        any(i.benefit for i in result.applicable) and any(i.deadline for i in result.applicable))


@pytest.mark.parametrize("measure", [VAT_HUBEI, SOCIAL_INSURANCE_HUBEI, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND])
def test_catering_page_puts_hubei_and_key_supply_measures_under_not_applicable_with_reasons(
        catering, catering_page, measure):
    items = _find(catering.not_applicable, *measure)
    assert items
    applicable = set(links(section(catering_page, "applicable")))
    for item in items:
        assert item.url not in applicable
        shown = item_in(catering_page, "not_applicable", item.url)
        assert shown.xpath("ancestor::details/summary")       # collapsed until the user opens it
        assert text(shown.xpath('.//p[@class="reason"]')[0]) == "不适用原因：" + "；".join(item.reasons)


def test_undetermined_are_listed_with_what_to_check(catering, catering_page):
    found = section(catering_page, "undetermined")
    assert "未能自动判断" in text(found.xpath("h2")[0])
    assert "条款没有标注机器可判断的适用条件" in text(found)
    assert catering.undetermined
    for item in catering.undetermined:
        shown = text(item_in(catering_page, "undetermined", item.url))
        assert item.citation in shown
        assert all(c in shown for c in item.open_conditions)


def test_without_a_date_the_periods_are_left_to_confirm(client):
    tree = tree_of(client.get("/match?size=小型&region=嘉峪关&date="))
    assert "没有选择日期" in text(tree.xpath('//section[@class="match-results"]/p[@class="note"]')[0])
    assert any("未填日期，请确认" in text(li) for li in section(tree, "applicable").xpath('.//ul[@class="open"]/li'))


def test_hubei_manufacturer_page(client, library):
    result = match(library.build(), Profile.from_json(profile_json(MANUFACTURER)))
    tree = tree_of(client.get("/match", query_string=query_of(profile_json(MANUFACTURER))))
    applicable = set(links(section(tree, "applicable")))
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


def test_api_without_parameters_is_the_empty_profile(client, library):
    expected = json.loads(json.dumps(match(library.build(), Profile()).to_json(), ensure_ascii=False))
    assert client.get("/api/match").get_json() == expected


# ---------------------------------------------------------------- bad input

BAD = [
    ("size=小微", "未知的企业规模“小微”"),
    ("sector=餐饮业", "未知的行业“餐饮业”"),
    ("region=北京", "未知的所在地区“北京”"),
    ("hardship=maybe", "应填“是”或“否”"),
    ("insured_staff=-3", "不小于 0 的整数"),
    ("insured_staff=1e9x", "不小于 0 的整数"),
    ("layoff_rate=很多", "裁员率应为 0 到 1 之间的小数"),
    ("layoff_rate=150%", "裁员率应在 0 到 1 之间"),
    ("date=2020/03/15", "请写成 YYYY-MM-DD"),
    ("date=2020-02-30", "请写成 YYYY-MM-DD"),
    ("size=小型&size=中型", "企业规模只能填一个值"),
    ("sise=小型", "未知的参数“sise”"),
]


@pytest.mark.parametrize("query, message", BAD)
def test_bad_parameters_show_the_form_again_with_the_message(client, query, message):
    response = client.get(f"/match?{query}&sector=住宿")
    assert response.status_code == 400
    tree = tree_of(response)
    error = tree.xpath('//p[@role="alert"]')[0]
    assert message in text(error)
    form = tree.xpath('//form[@class="profile"]')[0]
    assert form.get("aria-describedby") == error.get("id")
    assert "住宿" in form.xpath('.//input[@name="sector" and @checked]/@value')   # what was typed is kept
    assert not tree.xpath('//section[@class="match-results"]')
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("query, message", BAD)
def test_bad_parameters_are_a_json_400(client, query, message):
    response = client.get(f"/api/match?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"] and response.get_json()["status"] == 400


def test_api_match_is_not_taken_for_an_unknown_api(client):
    assert client.get("/api/match?size=小型").status_code == 200
    assert "/api/match" in client.get("/api/matches").get_json()["error"]
