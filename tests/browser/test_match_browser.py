"""我的企业能享受哪些政策 in Chromium: fill the form as a small catering business in 嘉峪关 would, submit,
read the results, open the collapsed 不适用 list, copy a citation; and the page at phone width."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from kb.match import match
from kb.profile import Profile
from tests.test_match import (CATERING, HOUSING_FUND, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND, LOSS_8_YEARS,
                              SOCIAL_INSURANCE, SOCIAL_INSURANCE_HUBEI, VAT_1_PERCENT, VAT_HUBEI, _find)

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def expected(library):
    return match(library.build(), Profile.from_json(json.loads(CATERING.read_text(encoding="utf-8"))))


def _fill_catering(page) -> None:
    """The profile of tests/fixtures/profiles/catering-jiayuguan-2020-03.json, typed in by hand."""
    page.goto("/")
    page.get_by_role("link", name="我的企业能享受哪些政策").click()
    expect(page).to_have_url(re.compile(r"/match$"))
    page.get_by_label("企业规模").select_option("小型")
    page.get_by_label("所在地区").select_option(label="甘肃省嘉峪关市")
    page.get_by_role("group", name="所属行业（可多选）").get_by_label("餐饮", exact=True).check()
    page.get_by_role("group", name="是否增值税小规模纳税人").get_by_label("是", exact=True).check()
    page.get_by_role("group", name="是否列入疫情防控重点保障企业名单").get_by_label("否", exact=True).check()
    page.get_by_role("group", name="是否受疫情影响、生产经营困难").get_by_label("是", exact=True).check()
    page.get_by_label("按哪一天的政策判断").fill("2020-03-15")
    page.get_by_role("button", name="查看能享受的政策").click()
    page.wait_for_load_state()


def _link(section, item):
    return section.locator(f'li.measure h4 a[href="{item.url}"]')


def _measure(section, item):
    return section.locator("li.measure").filter(has=section.page.locator(f'h4 a[href="{item.url}"]'))


def test_small_catering_business_outside_hubei(page, artifacts, expected):
    _fill_catering(page)
    expect(page).to_have_url(re.compile(r"/match\?.*date=2020-03-15.*#results$"))
    expect(page.locator("p.total")).to_contain_text(f"可以享受 {len(expected.applicable)} 条")

    applicable = page.locator("section#applicable")
    for measure in (SOCIAL_INSURANCE, VAT_1_PERCENT, LOSS_8_YEARS, HOUSING_FUND):
        item = _find(expected.applicable, *measure)[0]
        expect(_link(applicable, item)).to_be_visible()
        expect(_measure(applicable, item)).to_contain_text(item.reasons[0])
    vat = _find(expected.applicable, *VAT_1_PERCENT)[0]
    expect(_measure(applicable, vat).locator(".facts")).to_contain_text("优惠比例1%")

    not_applicable = page.locator("section#not-applicable")
    hubei_and_key_supply = [i for m in (VAT_HUBEI, SOCIAL_INSURANCE_HUBEI, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND)
                            for i in _find(expected.not_applicable, *m)]
    assert hubei_and_key_supply
    for item in hubei_and_key_supply:
        expect(_link(applicable, item)).to_have_count(0)
        expect(_link(not_applicable, item)).to_be_hidden()          # collapsed
    page.screenshot(path=artifacts / "match.png", full_page=True)

    not_applicable.get_by_text("展开查看不适用的措施和原因").click()
    for item in hubei_and_key_supply:
        expect(_link(not_applicable, item)).to_be_visible()
        expect(_measure(not_applicable, item)).to_contain_text(item.reasons[0])

    undetermined = page.locator("section#undetermined")
    expect(undetermined.locator("li.measure")).to_have_count(len(expected.undetermined))

    # the form still shows what was chosen, and a result's citation copies as on a clause page
    expect(page.get_by_label("企业规模")).to_have_value("小型")
    expect(page.get_by_label("按哪一天的政策判断")).to_have_value("2020-03-15")
    first = applicable.locator("li.measure").first
    first.get_by_role("button", name="复制引用").click()
    expect(first.locator(".copy-status")).to_have_text("已复制到剪贴板")
    assert page.evaluate("navigator.clipboard.readText()") == expected.applicable[0].citation


def test_result_link_opens_the_clause(page, expected):
    _fill_catering(page)
    item = _find(expected.applicable, *LOSS_8_YEARS)[0]
    _link(page.locator("section#applicable"), item).click()
    expect(page).to_have_url(re.compile(re.escape(item.url) + "$"))
    expect(page.locator(".citation-text")).to_have_text(item.citation)


def test_bad_input_keeps_the_form(context):
    page = context.new_page()    # not the `page` fixture: Chromium logs the 400 status as a console error
    response = page.goto("/match?size=小型&layoff_rate=很多")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("裁员率")
    expect(page.get_by_label("裁员率")).to_have_value("很多")
    expect(page.get_by_label("企业规模")).to_have_value("小型")


def test_phone_width_form_and_results(browser, server, artifacts):
    ctx = browser.new_context(base_url=server, viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto("/match")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=artifacts / "phone-match-form.png", full_page=True)
        _fill_catering(page)
        expect(page.locator("section#applicable li.measure").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("section.match-results").screenshot(path=artifacts / "phone-match-results.png")
    finally:
        ctx.close()
