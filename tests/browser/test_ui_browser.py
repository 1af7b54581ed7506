"""What users see, in Debian's Chromium at a phone's 390 × 844 and a desktop's 1280 × 900: the first result of
a search on the first screen and a few Tab stops from the search box, the filter panel folded on a phone and
keeping focus where the reader was, axe-core's rules on every kind of page, a focus ring and field borders
that stand out, and screenshots of results, a clause and a document at both widths (/tmp/ui-shots/).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
AXE = ROOT / "tests" / "fixtures" / "axe-core" / "axe.min.js"
SHOTS = Path("/tmp/ui-shots")
QUERY = "社保 减免"
MAX_TABS = 5
MATCH_FORM = "/match"
MATCH_RESULTS = "/match?size=小型&region=嘉峪关&sector=餐饮&small_scale_taxpayer=yes&date=2020-03-15"


def test_first_result_is_on_a_phones_first_screen(at):
    pg = at(PHONE, f"/search?q={QUERY}")
    first = pg.locator("ol.hits > li").first.locator("h2 a")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    # the filters come after the results, folded
    assert pg.evaluate("document.getElementById('filters').open") is False
    expect(pg.locator("#filters .facets")).to_be_hidden()


@WIDTHS
def test_tab_from_the_search_box_reaches_the_first_result_within_five_stops(at, viewport):
    pg = at(viewport, f"/search?q={QUERY}")
    pg.locator("#q-header").focus()
    first = pg.locator("ol.hits > li").first.locator("h2 a")
    for stops in range(1, MAX_TABS + 1):
        pg.keyboard.press("Tab")
        if first.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail(f"{MAX_TABS} 次 Tab 之后焦点在：{pg.evaluate('document.activeElement.outerHTML.slice(0, 120)')}")


def test_the_filter_panel_unfolds_on_a_phone_and_keeps_focus_on_the_chip_followed(at):
    pg = at(PHONE, f"/search?q={QUERY}")
    pg.locator(".to-filters a").click()
    chip = pg.locator("#filters a.facet", has_text="援企稳岗")
    expect(chip).to_be_visible()
    chip.click()
    expect(pg).to_have_url(re.compile(r"area=%E6%8F%B4%E4%BC%81%E7%A8%B3%E5%B2%97#filters$"))
    again = pg.locator("#filters a.facet", has_text="援企稳岗")
    expect(again).to_be_focused()
    expect(again).to_have_attribute("aria-current", "true")
    # the next Tab stays in the panel
    pg.keyboard.press("Tab")
    assert pg.evaluate("!!document.activeElement.closest('#filters')")
    expect(pg.locator(".active-filters .chip")).to_have_count(1)
    assert pg.errors == []


def test_the_panel_is_open_beside_the_results_on_a_wide_screen(at):
    pg = at(DESKTOP, f"/search?q={QUERY}")
    panel, results = pg.locator("#filters"), pg.locator("#results")
    expect(panel.locator(".facets")).to_be_visible()
    assert panel.bounding_box()["x"] > results.bounding_box()["x"] + results.bounding_box()["width"] - 1
    # the 筛选 jump is there for the keyboard only
    link = pg.locator(".to-filters a")
    assert link.bounding_box()["width"] <= 1
    link.focus()
    assert link.bounding_box()["width"] > 1


AXE_PAGES = {
    "home": "/", "results": f"/search?q={QUERY}", "clause": "/doc/rsbf-2020-11/一", "document": "/doc/rsbf-2020-11",
    "area": "/area/job-retention", "match-form": MATCH_FORM, "match-results": MATCH_RESULTS,
}


@WIDTHS
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(at, viewport, name):
    pg = at(viewport, AXE_PAGES[name])
    pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = pg.evaluate("""async () => (await axe.run(document)).violations.map(
        v => `${v.id}（${v.impact}）：${v.help} → ${v.nodes.map(n => n.target.join(' ')).join('；')}`)""")
    assert violations == [], f"{name}: {violations}"


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = (_luminance(tuple(int(x) for x in re.findall(r"\d+", c)[:3])) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


# the colour behind an element: the first ancestor's (its parent's first) background that is not transparent
BEHIND = """el => { for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor; if (!c.endsWith(', 0)') && c !== 'transparent') return c; }
  return 'rgb(255, 255, 255)'; }"""


@pytest.mark.parametrize("path, selector", [
    (f"/search?q={QUERY}", "#q-header"), (f"/search?q={QUERY}", "ol.hits > li h2 a"),
    (f"/search?q={QUERY}", "#as-of"), ("/", "#q"), (MATCH_FORM, "#size"),
])
def test_focus_ring_stands_out_three_to_one_from_what_is_around_it(at, path, selector):
    pg = at(DESKTOP, path)
    target = pg.locator(selector).first
    target.focus()
    if selector.startswith("#as-of"):
        pg.evaluate("document.getElementById('filters').open = true")
    pg.keyboard.press("Shift+Tab")
    pg.keyboard.press("Tab")                     # focus from the keyboard, so :focus-visible applies
    style = target.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, style
    assert _contrast(style[2], target.evaluate(BEHIND)) >= 3, (style, target.evaluate(BEHIND))


@pytest.mark.parametrize("path, selector", [
    (f"/search?q={QUERY}", "#q-header"), ("/", "#q"), (f"/search?q={QUERY}", "#as-of"), ("/area/job-retention", "#q-area"),
    (MATCH_FORM, "#size"), (MATCH_FORM, "#date"),
])
def test_field_borders_stand_out_three_to_one(at, path, selector):
    pg = at(DESKTOP, path)
    pg.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    field = pg.locator(selector).first
    border, fill = field.evaluate("e => [getComputedStyle(e).borderTopColor, getComputedStyle(e).backgroundColor]")
    behind = field.evaluate(BEHIND)
    # the field's edge is seen where its border, or else its own fill, differs from what is around it
    assert max(_contrast(border, behind), _contrast(fill, behind)) >= 3, (selector, border, fill, behind)
    if _contrast(fill, behind) < 3:
        assert _contrast(border, fill) >= 3, (selector, border, fill)


SHOT_PAGES = {"results": f"/search?q={QUERY}", "clause": "/doc/rsbf-2020-11/一", "document": "/doc/rsbf-2020-11",
              "point": "/doc/rsbf-2020-11/要点1"}


@WIDTHS
@pytest.mark.parametrize("name", list(SHOT_PAGES))
def test_screenshots(at, viewport, name):
    pg = at(viewport, SHOT_PAGES[name])
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
    pg.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}-first-screen.png"))
    # nothing runs off the side at either width
    assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert pg.errors == []
