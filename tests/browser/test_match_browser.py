"""我的企业能享受哪些政策 in Chromium: fill the form as a small catering business in 嘉峪关 would, submit,
read the two groups, open the folded 不适用 and 未能自动判断 lists, copy a citation; at phone (390 × 844)
and desktop (1280 × 900) width the 确定可以享受 group and the notice on the text-less 13条/48条 are on the
first screen or a jump link away; a bad value takes the focus to its message under the field.
Screenshots of the results at both widths go to /tmp/match-shots/."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb.match import match
from kb.profile import Profile
from tests.test_match import (CATERING, HOUSING_FUND, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND, LOSS_8_YEARS,
                              SOCIAL_INSURANCE, SOCIAL_INSURANCE_HUBEI, VAT_1_PERCENT, VAT_HUBEI, _find)

SHOTS = Path("/tmp/match-shots")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _profile(key_supply: bool | None) -> Profile:
    return replace(Profile.from_json(json.loads(CATERING.read_text(encoding="utf-8"))), key_supply_enterprise=key_supply)


@pytest.fixture(scope="module")
def expected(library):
    return match(library.current(), _profile(False))


@pytest.fixture(scope="module")
def unsure(library):
    """The issue's case: the same business, unsure whether it is on the 重点保障企业 list."""
    return match(library.current(), _profile(None))


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _fill_catering(page, key_supply: str = "否") -> None:
    """The profile of tests/fixtures/profiles/catering-jiayuguan-2020-03.json, typed in by hand."""
    page.goto("/")
    page.get_by_role("link", name="我的企业能享受哪些政策").click()
    expect(page).to_have_url(re.compile(r"/match$"))
    page.get_by_label("企业规模").select_option("小型")
    page.get_by_label("所在地区").select_option(label="甘肃省嘉峪关市")
    page.get_by_role("group", name="所属行业（可多选）").get_by_label("餐饮", exact=True).check()
    page.get_by_role("group", name="是否增值税小规模纳税人").get_by_label("是", exact=True).check()
    page.get_by_role("group", name="是否列入疫情防控重点保障企业名单").get_by_label(key_supply, exact=True).check()
    page.get_by_role("group", name="是否受疫情影响、生产经营困难").get_by_label("是", exact=True).check()
    page.get_by_label("按哪一天的政策判断").fill("2020-03-15")
    page.get_by_role("button", name="查看能享受的政策").click()
    page.wait_for_load_state()


def _link(section, item):
    return section.locator(f'li.measure h4 a[href="{item.url}"]')


def _measure(section, item):
    return section.locator("li.measure").filter(has=section.page.locator(f'h4 a[href="{item.url}"]'))


def _on_first_screen(page, locator) -> bool:
    """The element's top is inside the viewport as it is now scrolled."""
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_small_catering_business_outside_hubei(page, artifacts, expected):
    _fill_catering(page)
    expect(page).to_have_url(re.compile(r"/match\?.*date=2020-03-15.*#results$"))
    jump = page.get_by_role("navigation", name="匹配结果各组")
    expect(jump.get_by_role("link", name=f"确定可以享受 {len(expected.certain)} 条")).to_be_visible()
    expect(jump.get_by_role("link", name=f"可能可以享受 {len(expected.possible)} 条")).to_be_visible()

    certain, possible = page.locator("section#certain"), page.locator("section#possible")
    vat = _find(expected.certain, *VAT_1_PERCENT)[0]
    expect(_link(certain, vat)).to_be_visible()
    expect(_measure(certain, vat)).to_contain_text(vat.reasons[-1])
    for measure in (SOCIAL_INSURANCE, HOUSING_FUND, LOSS_8_YEARS):    # their clauses state conditions to confirm
        item = _find(expected.possible, *measure)[0]
        expect(_measure(possible, item).locator("ul.open")).to_have_text(item.open_conditions)
    expect(_measure(certain, vat).locator(".facts")).to_contain_text("优惠比例1%")

    not_applicable = page.locator("section#not-applicable")
    hubei_and_key_supply = [i for m in (VAT_HUBEI, SOCIAL_INSURANCE_HUBEI, KEY_SUPPLY_DEDUCTION, KEY_SUPPLY_REFUND)
                            for i in _find(expected.not_applicable, *m)]
    assert hubei_and_key_supply
    for item in hubei_and_key_supply:
        expect(_link(certain, item)).to_have_count(0)
        expect(_link(possible, item)).to_have_count(0)
        expect(_link(not_applicable, item)).to_be_hidden()          # folded
    page.screenshot(path=artifacts / "match.png", full_page=True)

    not_applicable.get_by_text("展开查看不适用的措施和原因").click()
    for item in hubei_and_key_supply:
        expect(_link(not_applicable, item)).to_be_visible()
        expect(_measure(not_applicable, item)).to_contain_text(item.reasons[0])

    undetermined = page.locator("section#undetermined")
    expect(undetermined.locator("li.measure")).to_have_count(len(expected.undetermined))
    expect(undetermined.locator("li.measure").first).to_be_hidden()     # folded too
    undetermined.get_by_text("展开查看这些措施").click()
    expect(undetermined.locator("li.measure").first).to_be_visible()

    # the form still shows what was chosen, and a result's citation copies as on a clause page
    expect(page.get_by_label("企业规模")).to_have_value("小型")
    expect(page.get_by_label("按哪一天的政策判断")).to_have_value("2020-03-15")
    first = certain.locator("li.measure").first
    first.get_by_role("button", name="复制引用").click()
    expect(first.locator(".copy-status")).to_have_text("已复制到剪贴板")
    assert page.evaluate("navigator.clipboard.readText()") == expected.certain[0].citation


def test_an_open_condition_links_to_the_field_that_settles_it(page, unsure):
    _fill_catering(page, key_supply="不确定")
    item = _find(unsure.possible, *KEY_SUPPLY_DEDUCTION)[0]
    shown = _measure(page.locator("section#possible"), item)
    expect(shown.locator("ul.open")).to_have_text(["须为疫情防控重点保障企业（列入名单）"])
    shown.get_by_role("link", name="是否疫情防控重点保障企业").click()
    group = page.get_by_role("group", name="是否列入疫情防控重点保障企业名单")
    expect(group).to_be_in_viewport()
    group.get_by_label("是", exact=True).check()
    page.get_by_role("button", name="查看能享受的政策").click()
    expect(_link(page.locator("section#certain"), item)).to_be_visible()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_certain_group_and_the_13_48_notice_come_first(browser, server, shots, unsure, width):
    viewport = VIEWPORTS[width]
    ctx = browser.new_context(base_url=server, viewport=viewport, device_scale_factor=1,
                              is_mobile=width == "phone", locale="zh-CN")
    try:
        page = ctx.new_page()
        _fill_catering(page, key_supply="不确定")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        notice = page.locator("#without-text")
        expect(notice).to_contain_text("13条")
        expect(notice).to_contain_text("48条")
        assert _on_first_screen(page, notice), notice.bounding_box()
        page.screenshot(path=shots / f"match-results-{width}-first-screen.png")
        page.locator("section.match-results").screenshot(path=shots / f"match-results-{width}.png")

        heading = page.get_by_role("heading", name=f"确定可以享受（{len(unsure.certain)} 条）")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.get_by_role("navigation", name="匹配结果各组").get_by_role(
            "link", name=f"确定可以享受 {len(unsure.certain)} 条").click()
        expect(heading).to_be_in_viewport()
        vat = _find(unsure.certain, *VAT_1_PERCENT)[0]
        expect(_link(page.locator("section#certain"), vat)).to_be_visible()
        for name in ("可能可以享受", "不适用", "未能自动判断"):
            page.get_by_role("navigation", name="匹配结果各组").get_by_role("link", name=re.compile(name)).click()
            expect(page.get_by_role("heading", name=re.compile(f"^{name}（"))).to_be_in_viewport()
    finally:
        ctx.close()


def test_result_link_opens_the_clause(page, expected):
    _fill_catering(page)
    item = _find(expected.certain, *VAT_1_PERCENT)[0]
    _link(page.locator("section#certain"), item).click()
    expect(page).to_have_url(re.compile(re.escape(item.url) + "$"))
    expect(page.locator(".citation-text")).to_have_text(item.citation)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_bad_input_marks_the_field_and_takes_the_focus_to_its_message(browser, server, shots, width):
    viewport = VIEWPORTS[width]
    # not the `page` fixture: Chromium logs the 400 status as a console error
    ctx = browser.new_context(base_url=server, viewport=viewport, locale="zh-CN")
    try:
        page = ctx.new_page()
        response = page.goto("/match?size=小型&layoff_rate=很多&date=2020-03-15#results")
        assert response.status == 400
        message = page.locator("#layoff_rate-error")
        expect(message).to_have_attribute("role", "alert")
        expect(message).to_contain_text("裁员率")
        expect(message).to_be_focused()
        expect(message).to_be_in_viewport()
        field = page.get_by_label("裁员率")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("裁员率应为 0 到 1 之间的小数"))
        expect(field).to_have_value("很多")
        expect(page.get_by_label("企业规模")).to_have_value("小型")
        # the message is right under its field
        assert message.bounding_box()["y"] > field.bounding_box()["y"] + field.bounding_box()["height"] - 1
        page.screenshot(path=shots / f"match-error-{width}.png")
        page.keyboard.press("Tab")                          # from the message, on through the form
        expect(page.get_by_label("按哪一天的政策判断")).to_be_focused()
    finally:
        ctx.close()
