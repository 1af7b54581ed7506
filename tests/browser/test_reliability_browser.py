"""Nothing injected runs, checked in Chromium: payloads in a document and in queries stay text.

A real document gets raw HTML, a javascript: link, <img onerror> and <svg onload> (each would set
window.__pwned), the site runs as `python -m web`, and Debian's Chromium (the session's browser
of conftest.py) opens every page that shows them. Before each page loads, a listener records
Content-Security-Policy violations: an empty list shows the markup never became live HTML
(CSP is the second wall, not the first).
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from kb.docformat import parse_file
from kb.index import build
from tests.browser.conftest import serving
from tests.conftest import ROOT

DOC_ID = "cs-swzj-2020-8"
PAYLOADS = ['<script>window.__pwned = "script"</script>', '[点我](javascript:window.__pwned="link")',
            '<a href="javascript:window.__pwned=\'a\'">链接</a>', '<img src=x onerror="window.__pwned=\'img\'">',
            '<svg onload="window.__pwned=\'svg\'"></svg>', '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>']
ATTACK = " ".join(PAYLOADS)
# scripts, frames, images and drawings on a page, each as [tag, class, src]
ELEMENTS = """() => [...document.querySelectorAll('script, iframe, svg, img')].map(e =>
    [e.tagName.toUpperCase(), e.getAttribute('class') || '', e.getAttribute('src') || ''])"""
# clause 一 of the real document as committed, after which the attack goes (whatever its wording is today),
# and its last phrase, a search for which shows the attack in the snippet
CLAUSE_ONE = next(c.text for c in parse_file(ROOT / "policies" / f"{DOC_ID}.md").clauses if c.path == "一")
CLAUSE_ONE_END = CLAUSE_ONE.rstrip("。").split("，")[-1]
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
"""


@pytest.fixture(scope="module")
def attacked_site(tmp_path_factory, policies_index):
    src = tmp_path_factory.mktemp("attacked")
    policies = src / "policies"
    subprocess.run(["cp", "-r", str(ROOT / "policies"), str(policies)], check=True)
    path = policies / f"{DOC_ID}.md"
    text = path.read_text(encoding="utf-8")
    assert CLAUSE_ONE in text
    text = text.replace(CLAUSE_ONE, f"{CLAUSE_ONE}\n\n{ATTACK}\n\n", 1)
    text = re.sub(r"^summary: (.*)$", lambda m: "summary: '" + f"{ATTACK} {m.group(1)}".replace("'", "''") + "'",
                  text, count=1, flags=re.M)
    text = text.replace("sources:\n", "sources:\n  - javascript:window.__pwned='source'\n", 1)
    path.write_text(text, encoding="utf-8")
    build(policies, src / "index", progress=False)
    with serving(src / "index") as base:
        yield base


@pytest.fixture
def page(browser, attacked_site, server):
    context = browser.new_context(base_url=attacked_site)
    context.add_init_script(WATCH)
    pg = context.new_page()
    pg.clean_site = server
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _own_elements(page) -> Counter:
    """What the site itself puts on this page (its scripts, a timeline's drawing): the same address
    served from the index without the attack."""
    clean = page.context.browser.new_page()
    try:
        clean.goto(urlunsplit(urlsplit(page.clean_site)[:2] + urlsplit(page.url)[2:]))
        return Counter(map(tuple, clean.evaluate(ELEMENTS)))
    finally:
        clean.close()


def _nothing_ran(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []
    assert page.dialogs == []
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')]
        .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML)""")
    assert handlers == []
    added = Counter(map(tuple, page.evaluate(ELEMENTS))) - _own_elements(page)
    assert list(added.elements()) == []
    # read from the attribute: an SVG drawing's <a> has no .protocol
    links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .map(a => new URL(a.getAttribute('href'), location.href).protocol)""")
    assert links and set(links) <= {"http:", "https:", "mailto:"}


PAGES = [f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/{quote('一')}", f"/search?q={quote(CLAUSE_ONE_END)}",
         "/area/finance-tax"]
# the payload's Markdown link [点我](javascript:…) becomes an <a> without its href where a document is
# rendered (its summary and its clause on the document page, the clause on the clause page); a snippet shows it as text
RENDERED_LINKS = {f"/doc/{DOC_ID}": 2, f"/doc/{DOC_ID}/{quote('一')}": 1}


@pytest.mark.parametrize("where", PAGES)
def test_document_payloads_stay_text(page, where):
    response = page.goto(where)
    assert response.status == 200
    if where.startswith("/doc/"):
        assert '<script>window.__pwned = "script"</script>' in page.locator("main").inner_text()
    rendered = page.locator("main a", has_text="点我")
    assert rendered.count() == RENDERED_LINKS.get(where, 0)
    assert [a.get_attribute("href") for a in rendered.all()] == [None] * rendered.count()
    shown = page.get_by_text("点我").all() + page.get_by_text("链接").all()
    assert shown, "the payload's link text is not on the page: clicking it would test nothing"
    for text in shown:
        text.click()                               # were it a live javascript: link, this would run it
    _nothing_ran(page)


def test_the_javascript_source_is_shown_as_text(page):
    page.goto(f"/doc/{DOC_ID}")
    assert "javascript:window.__pwned='source'" in page.locator("main").inner_text()
    _nothing_ran(page)


@pytest.mark.parametrize("payload", PAYLOADS + [ATTACK])
def test_query_payloads_stay_text(page, payload):
    page.goto("/")
    page.get_by_label("输入关键词、文号或条款号").fill(payload)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("#q-header").input_value() == payload
    _nothing_ran(page)
    page.goto(f"/api/search?q={quote(payload)}")          # JSON opened directly is not HTML
    assert page.evaluate("window.__pwned") is None and page.dialogs == []


def test_headers_and_framing_in_the_browser(page, attacked_site):
    response = page.goto(f"/doc/{DOC_ID}")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    # another site framing a clause page gets nothing: Chromium refuses to render it in the frame
    page.goto("about:blank")
    page.set_content(f'<iframe src="{attacked_site}/doc/{DOC_ID}"></iframe>')    # returns once the frame has loaded
    framed = page.frames[1]
    assert framed.url == "chrome-error://chromewebdata/" and "惠企政策知识库" not in framed.content()


def test_the_watch_sees_a_payload_that_is_live(page):
    """The same payloads on a page without escaping or CSP do run: the checks above can fail."""
    page.goto("about:blank")
    page.set_content(PAYLOADS[3] + PAYLOADS[4])
    page.wait_for_function("window.__pwned !== undefined")
    assert page.evaluate("window.__pwned") in ("img", "svg")
