"""编者注 inside a clause's text, in Debian's Chromium at 390 × 844 and 1280 × 900: set apart from the
document's words (its own box or tint, a label that reads 编者注), within the screen, no axe-core violation,
and 复制引用 copying the citation without it. Screenshots in /tmp/h3-shots/."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_ui_browser import AXE, BEHIND, WIDTHS, _contrast
SHOTS = Path("/tmp/h3-shots")
CLAUSE = "/doc/rsbf-2020-11/一"          # a 编者注： paragraph after the document's words
SPAN_CLAUSE = "/doc/fgw-dianfei-2020/要点2"   # a 【编者注：…】 inside a sentence
STYLE = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.borderTopStyle, s.color]; }"


@WIDTHS
def test_a_remark_paragraph_is_set_apart_with_a_readable_label(at, viewport):
    pg = at(viewport, CLAUSE)
    official = pg.locator(".clause-text > p:not(.remark)").first
    remark = pg.locator(".clause-text > p.remark")
    label = remark.locator(".remark-label")
    # the badge shows 编者注; its colon is for copied text and screen readers
    assert remark.is_visible() and label.is_visible() and label.evaluate("el => el.firstChild.textContent") == "编者注"
    assert remark.inner_text().startswith("编者注") and "按5个月算" in remark.inner_text()
    # its own box and tint, where the document's paragraph has neither
    official_bg, official_border, _ = official.evaluate(STYLE)
    remark_bg, remark_border, remark_ink = remark.evaluate(STYLE)
    assert remark_bg != official_bg and remark_border == "solid" and official_border == "none"
    assert _contrast(remark_ink, remark_bg) >= 4.5
    label_bg, _, label_ink = label.evaluate(STYLE)
    assert _contrast(label_ink, label_bg) >= 4.5
    # below the document's words, not over them, and within the screen's width
    above, box = official.bounding_box(), remark.bounding_box()
    assert box["y"] >= above["y"] + above["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"clause-remark-{viewport['width']}.png"), full_page=True)
    remark.scroll_into_view_if_needed()
    pg.locator(".clause-text").screenshot(path=str(SHOTS / f"clause-remark-{viewport['width']}-text.png"))


@WIDTHS
def test_a_remark_inside_a_sentence_is_tinted_and_labelled(at, viewport):
    pg = at(viewport, SPAN_CLAUSE)
    span = pg.locator(".clause-text span.remark")
    assert span.is_visible() and span.locator(".remark-label").evaluate("el => el.firstChild.textContent") == "编者注"
    assert span.evaluate("el => el.textContent") == "编者注：据国家电网通知，为发改办价格〔2020〕110号"
    text_bg = span.evaluate(BEHIND)
    span_bg, _, span_ink = span.evaluate(STYLE)
    assert span_bg != text_bg and _contrast(span_ink, span_bg) >= 4.5
    SHOTS.mkdir(exist_ok=True)
    pg.locator(".clause-text").screenshot(path=str(SHOTS / f"clause-span-remark-{viewport['width']}.png"))


@WIDTHS
@pytest.mark.parametrize("path", [CLAUSE, SPAN_CLAUSE, "/doc/gan-fa-2020-5"])
def test_pages_with_remarks_have_no_axe_violations(at, viewport, path):
    pg = at(viewport, path)
    pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = pg.evaluate("""async () => (await axe.run(document)).violations.map(
        v => `${v.id}（${v.impact}）：${v.help} → ${v.nodes.map(n => n.target.join(' ')).join('；')}`)""")
    assert violations == [], f"{path}: {violations}"


def test_copy_citation_copies_the_citation_without_the_remark(page):
    page.goto(CLAUSE)
    page.get_by_role("button", name="复制引用").click()
    page.wait_for_function("document.querySelector('.citation .copy-status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation").inner_text().strip()
    assert copied.startswith("《关于阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号）第一条") and "按5个月" not in copied


@WIDTHS
def test_a_press_conference_point_is_cited_as_the_conference(at, viewport):
    pg = at(viewport, "/doc/gan-fa-2020-5/要点5")
    citation = pg.locator("#citation")
    assert citation.is_visible() and citation.inner_text().startswith("2020年2月17日省政府新闻发布会公布的《")
    assert "（本库摘要）" in citation.inner_text()
    assert "发布会上的介绍" in pg.locator(".cite .citation-hint").inner_text()
    assert pg.locator(".clause-text span.remark").is_visible()
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"press-point-{viewport['width']}.png"), full_page=True)
