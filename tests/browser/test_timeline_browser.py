"""The timeline of measures' periods in Chromium, at desktop (1280 × 900) and phone (390 × 844) width:
on an area page and on the match results, the chosen date marked where it falls, each bar where its
period is, every label inside the picture, nothing wider than the screen; the table says the same.
Screenshots go to /tmp/timeline-shots/."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb import browse
from kb.match import match
from kb.profile import Profile
from tests.test_match import CATERING
from web import timeline

SHOTS = Path("/tmp/timeline-shots")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MARCH = dt.date(2020, 3, 15)


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture(params=list(VIEWPORTS))
def sized(request, browser, server):
    ctx = browser.new_context(base_url=server, viewport=VIEWPORTS[request.param], device_scale_factor=1,
                              is_mobile=request.param == "phone", locale="zh-CN")
    page = ctx.new_page()
    yield request.param, page
    ctx.close()


def _geometry(figure) -> dict:
    """Where the SVG drew each row's label and bar, the ticks and the date line, in page pixels."""
    return figure.evaluate("""f => {
        const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
        const rect = e => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
        const line = f.querySelector('.day line');
        return {svg: rect(svg),
                rows: [...svg.querySelectorAll('g.row')].map(g => ({css: g.getAttribute('class'),
                        label: rect([...g.querySelectorAll('.label')].find(t => getComputedStyle(t).display !== 'none')),
                        bar: rect(g.querySelector('.bar')), color: getComputedStyle(g.querySelector('.bar')).fill})),
                ticks: [...svg.querySelectorAll('.tick')].filter(t => getComputedStyle(t).display !== 'none').map(rect),
                years: [...svg.querySelectorAll('.year')].map(rect),
                day: line ? rect(line).left : null};
    }""")


def _check_picture(page, figure, expected: timeline.Timeline) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shape = _geometry(figure)
    svg = shape["svg"]
    assert svg["right"] <= width and len(shape["rows"]) == len(expected.rows) > 0
    for row, drawn in zip(expected.rows, shape["rows"]):
        assert drawn["css"] == f"row {row.css}"
        assert svg["left"] <= drawn["label"]["left"] and drawn["label"]["right"] <= svg["right"] + 1, row.label
        assert svg["left"] <= drawn["bar"]["left"] <= drawn["bar"]["right"] <= svg["right"] + 1
        assert drawn["label"]["bottom"] <= drawn["bar"]["top"] + 1          # the label above its bar, not on it
        if row.state and row.state.in_force is True:
            assert drawn["bar"]["left"] - 1 <= shape["day"] <= drawn["bar"]["right"] + 1, row.label
        elif row.state and row.state.in_force is False:
            assert not drawn["bar"]["left"] + 1 < shape["day"] < drawn["bar"]["right"] - 1, row.label
    # a bar's colour says its state: one colour per state, no two states alike
    colours = {}
    for drawn in shape["rows"]:
        colours.setdefault(drawn["css"], set()).add(drawn["color"])
    assert all(len(c) == 1 for c in colours.values()) and len(set.union(*colours.values())) == len(colours), colours
    for a, b in zip(shape["ticks"], shape["ticks"][1:]):
        assert a["right"] + 4 <= b["left"], "month labels run together"
    for label in shape["ticks"] + shape["years"]:
        assert svg["left"] <= label["left"] and label["right"] <= svg["right"] + 1, "an axis label leaves the picture"
    # the text equivalent: the picture's description, and a row per measure drawn or not, with its
    # period and state on the day
    expect(figure.locator("svg desc")).to_have_text(f"{expected.summary}详见图下的表格。")
    table = figure.locator(".timeline-text table tbody tr")
    expect(table).to_have_count(len(expected.rows) + len(expected.unknown))
    first = expected.rows[0]
    expect(table.first).to_contain_text(first.period_text)
    expect(table.first).to_contain_text(first.state_text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", figure.inner_text())      # dates as the pages write them


def test_area_page_timeline_marks_the_date(sized, shots, library):
    width, page = sized
    page.goto("/area/factor-costs")
    page.get_by_label("在时间轴上标出这一天").fill("2020-03-15")
    page.get_by_role("button", name="标出").click()
    # the form loads a new page: measured before its stylesheet has loaded, the phone's short labels
    # are not chosen yet (seen once under load)
    page.wait_for_url(re.compile(r"as_of=2020-03-15"))
    figure = page.locator("figure.timeline")
    expect(figure.get_by_role("group", name="本领域各项措施的执行期")).to_be_visible()
    expect(figure.locator("figcaption")).to_have_text("本领域各项措施的执行期（竖线为 2020年3月15日）")
    expect(figure.locator(".day text")).to_have_text("3月15日")
    b = library.current()
    expected = timeline.for_area(b, browse.area_documents(b, "要素成本"), MARCH)
    _check_picture(page, figure, expected)
    # the 95% billing ran in March; its extension (from July) had not begun
    rows = {(r.name, r.what): r for r in expected.rows}
    assert rows[("国家发展改革委阶段性降低企业用电成本措施", "电费按原到户电价95%结算")].css == "in-force"
    assert rows[("发改价格〔2020〕994号", "95%结算电费延长至2020年12月31日 等 2 条")].css == "lapsed"
    figure.screenshot(path=shots / f"area-factor-costs-{width}.png")
    page.screenshot(path=shots / f"area-factor-costs-{width}-page.png", full_page=True)
    figure.get_by_text("用文字查看").click()
    expect(figure.locator(".timeline-text table")).to_be_visible()


def test_match_results_timeline_shows_what_covered_the_date_and_what_had_lapsed(sized, shots, library):
    width, page = sized
    profile = Profile.from_json(json.loads(CATERING.read_text(encoding="utf-8")))
    result = match(library.current(), profile)
    page.goto("/match?" + "&".join(f"{k}={v}" for k, vs in _query(profile).items() for v in vs))
    figure = page.locator("section.match-results figure.timeline")
    expect(figure.get_by_role("group", name="可以享受和因日期不适用的措施的执行期")).to_be_visible()
    expected = timeline.for_match(library.current(), result)
    _check_picture(page, figure, expected)
    rows = {r.url: r.css for r in expected.rows}
    assert rows["/doc/fgw-dianfei-2020/%E8%A6%81%E7%82%B91"] == "in-force"      # the 95% billing, Feb–Jun
    assert rows["/doc/szh-2020-27/%E4%B8%80"] == "lapsed"                       # February's filing, over by 15 March
    assert rows["/doc/fgjg-2020-994"] == "lapsed"                              # the extension, from July
    figure.screenshot(path=shots / f"match-{width}.png")


def _query(profile: Profile) -> dict[str, list[str]]:
    out = {}
    for key, value in profile.to_json().items():
        if value is None or value == []:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out
