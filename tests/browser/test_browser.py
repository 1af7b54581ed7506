"""A user's path through the real site in Chromium: search, narrow by area, open a clause, copy, go back."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from kb.citation import cite
from web.pages import DEFAULT_LIMIT

DOC_ID = "cs-swzj-2020-8"
PHONE = {"width": 375, "height": 740}


def _search(page, text: str) -> None:
    page.goto("/")
    page.get_by_label("输入关键词、文号或条款号").fill(text)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def _clause_path(url: str) -> str:
    return unquote(urlsplit(url).path).split(f"/doc/{DOC_ID}/", 1)[1]


def test_search_facet_clause_copy_and_back(page, artifacts, library):
    _search(page, "增值税")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.locator("ol.hits > li").first).to_be_visible()
    expect(page.locator(".snippet mark").first).to_have_text("增值税")
    page.screenshot(path=artifacts / "results.png", full_page=True)

    facet = page.locator(".facets section", has_text="支持领域").locator("a.facet", has_text="疫情防控保障")
    expected = int(facet.locator(".count").inner_text())
    facet.click()
    expect(page).to_have_url(re.compile(r"area="))
    expect(page.locator(".active-filters .chip")).to_contain_text("疫情防控保障")
    expect(page.locator("p.total")).to_contain_text(f"共 {expected} 条")
    expect(page.locator("ol.hits > li")).to_have_count(min(expected, DEFAULT_LIMIT))
    for hit in page.locator("ol.hits > li").all():
        expect(hit.locator(".tag", has_text="疫情防控保障")).to_have_count(1)
    page.screenshot(path=artifacts / "results-area.png", full_page=True)
    results_url = page.url

    page.locator("ol.hits > li h2 a").first.click()
    expect(page).to_have_url(re.compile(rf"/doc/{DOC_ID}/"))
    doc = library.current().document(DOC_ID)
    clause = doc.clause(_clause_path(page.url))
    assert clause is not None and "疫情防控保障" in clause.areas
    expect(page.locator("h1")).to_contain_text(clause.heading)
    expect(page.locator("main .badge").first).to_have_text(doc.status)

    page.get_by_role("button", name="复制引用").click()
    expect(page.locator(".cite .copy-status")).to_have_text("已复制到剪贴板")
    assert page.evaluate("navigator.clipboard.readText()") == cite(doc.title, doc.doc_no, doc.status, clause.path)
    page.screenshot(path=artifacts / "clause.png", full_page=True)

    page.go_back()
    expect(page).to_have_url(results_url)
    expect(page.locator("#q-header")).to_have_value("增值税")
    expect(page.locator(".active-filters .chip")).to_have_count(1)


def test_reference_query_opens_the_clause(page):
    _search(page, "财税公告2020年第8号 第四条")
    expect(page).to_have_url(re.compile(rf"/doc/{DOC_ID}/"))
    assert _clause_path(page.url) == "四"
    expect(page.locator(".citation-text")).to_contain_text("第四条")


def test_area_page_lists_clauses_and_links_to_them(page, library):
    page.goto("/")
    page.get_by_role("link", name=re.compile("^财税金融")).click()
    expect(page).to_have_url(re.compile(r"/area/finance-tax$"))
    expected = sum(1 for c in library.current().document(DOC_ID).clauses if "财税金融" in c.areas)
    section = page.locator("section.area-doc", has_text=library.current().docs[DOC_ID]["title"])
    expect(section.locator("ul.clauses > li")).to_have_count(expected)


def test_keyboard_skip_link_reaches_main(page):
    page.goto("/doc/" + DOC_ID)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("跳到主要内容")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_script_in_query_is_text(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    _search(page, attack)
    expect(page.locator("#q-header")).to_have_value(attack)
    assert page.locator("main img").count() == 0
    assert dialogs == []


@pytest.mark.parametrize("where", ["/", "/search?q=增值税", f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/一"])
def test_phone_width_has_no_sideways_scroll(browser, server, artifacts, where):
    ctx = browser.new_context(base_url=server, viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto(where)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        name = {"/": "home", "/search?q=增值税": "results", f"/doc/{DOC_ID}": "document"}.get(where, "clause")
        page.screenshot(path=artifacts / f"phone-{name}.png", full_page=True)
    finally:
        ctx.close()


def test_print_layout_hides_navigation(page):
    page.goto(f"/doc/{DOC_ID}/一")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("button.copy")).to_be_hidden()
    expect(page.locator(".citation-text")).to_be_visible()
