"""A staff member's path through the real site in Chromium: three clauses into the 引用清单, reorder, copy the
reply, download the .docx, come back to the list; and the same adding without JavaScript."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import docx
from playwright.sync_api import expect

SHOTS = Path("/tmp/cite-shots")
FROM_RESULTS = "rsbf-2020-11/一"
FROM_CLAUSE = "cs-swzj-2020-8/三"
FROM_DOCUMENT = "gan-fa-2020-5/二/（一）"


def _search(page, text: str) -> None:
    page.goto("/")
    page.get_by_label("输入关键词、文号或条款号").fill(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _add(page, ref: str, count: int) -> None:
    control = page.locator(f'a.cite-add[data-ref="{ref}"]')
    control.click()
    expect(control).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".cite-status")).to_contain_text(f"清单共 {count} 条")


def _listed(page) -> list[str]:
    return page.locator("li.cite-item").evaluate_all("items => items.map(li => li.dataset.ref)")


def test_three_clauses_to_a_reply_and_a_docx(page, tmp_path):
    _search(page, "社保 减免")
    results = page.url
    _add(page, FROM_RESULTS, 1)
    expect(page).to_have_url(results)                # added where it was found, no page change

    _search(page, "财税公告2020年第8号第三条")      # a reference opens the clause page
    expect(page).to_have_url(re.compile(r"/doc/cs-swzj-2020-8/"))
    _add(page, FROM_CLAUSE, 2)

    page.goto("/doc/gan-fa-2020-5")
    _add(page, FROM_DOCUMENT, 3)

    page.locator("header.site nav").get_by_role("link", name="引用清单（3）").click()
    expect(page).to_have_url(re.compile(r"/cite\?c="))
    assert _listed(page) == [FROM_RESULTS, FROM_CLAUSE, FROM_DOCUMENT]

    # reorder without a reload: the marker set on this document survives
    page.evaluate("window.notReloaded = true")
    page.locator("li.cite-item").nth(2).get_by_role("link", name=re.compile("^上移")).click()
    expect(page.locator("li.cite-item").first).to_have_attribute("data-ref", FROM_RESULTS)
    expect(page.locator("li.cite-item").nth(1)).to_have_attribute("data-ref", FROM_DOCUMENT)
    assert _listed(page) == [FROM_RESULTS, FROM_DOCUMENT, FROM_CLAUSE]
    assert page.evaluate("window.notReloaded") is True
    assert parse_qs(urlsplit(page.url).query)["c"] == [FROM_RESULTS, FROM_DOCUMENT, FROM_CLAUSE]
    expect(page.locator("li.cite-item").nth(1).get_by_role("link", name=re.compile("^上移"))).to_be_focused()

    page.get_by_role("button", name="复制答复用语").click()
    expect(page.locator(".reply .copy-status")).to_have_text("已复制到剪贴板")
    api = page.request.get("/api/cite?" + urlsplit(page.url).query).json()
    assert api["reply"].count("根据") == 3
    assert page.evaluate("navigator.clipboard.readText()") == api["reply"]

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    assert download.value.suggested_filename == "引用清单.docx"
    target = tmp_path / "reply.docx"
    download.value.save_as(target)
    bold = [p.text for p in docx.Document(target).paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert bold == [item["citation"] for item in api["items"]]

    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "cite-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SHOTS / "cite-390.png", full_page=True)

    page.reload()
    assert _listed(page) == [FROM_RESULTS, FROM_DOCUMENT, FROM_CLAUSE]
    page.goto("/cite")                                  # no list in the address: the kept one comes back
    expect(page.locator("li.cite-item")).to_have_count(3)
    assert _listed(page) == [FROM_RESULTS, FROM_DOCUMENT, FROM_CLAUSE]

    page.locator("li.cite-item").first.get_by_role("link", name=re.compile("^移除")).click()
    expect(page.locator("li.cite-item")).to_have_count(2)
    page.goto("/doc/rsbf-2020-11/一")
    expect(page.locator(f'a.cite-add[data-ref="{FROM_RESULTS}"]')).to_have_attribute("aria-pressed", "false")
    expect(page.locator("header.site nav")).to_contain_text("引用清单（2）")


def test_print_layout_of_the_list(page):
    page.goto("/cite?c=rsbf-2020-11/一&c=jyg-48tiao-2020")
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator(".cite-tools")).to_be_hidden()
    expect(page.locator(".cite-controls").first).to_be_hidden()
    expect(page.locator("#reply-text")).to_be_visible()
    expect(page.locator("li.cite-item .citation-text")).to_have_count(2)


def test_adding_without_javascript(browser, server):
    ctx = browser.new_context(base_url=server, java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto("/search?q=社保 减免")
        page.locator(f'a.cite-add[data-ref="{FROM_RESULTS}"]').click()
        expect(page).to_have_url(re.compile(r"/cite\?c="))
        page.goto("/doc/gan-fa-2020-5")
        page.locator(f'a.cite-add[data-ref="{FROM_DOCUMENT}"]').click()
        assert _listed(page) == [FROM_RESULTS, FROM_DOCUMENT]
        page.locator("li.cite-item").nth(1).get_by_role("link", name=re.compile("^上移")).click()
        assert _listed(page) == [FROM_DOCUMENT, FROM_RESULTS]
        expect(page.get_by_role("button", name="复制答复用语")).to_be_hidden()
    finally:
        ctx.close()
