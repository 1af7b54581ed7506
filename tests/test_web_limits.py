"""One limit on the length of q: the search forms' maxlength, the site's own check, and the request line
the real server reads; whatever is over it is answered in Chinese, never with gunicorn's English page."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from gunicorn.http.message import MAX_REQUEST_LINE
from lxml import html as lxml_html

from kb.query import MAX_QUERY
from kb.taxonomy import taxonomy
from tests.test_web_serve import serving
from web.__main__ import REQUEST_LINE
from web.params import MAX_Q

CJK = re.compile(r"[\u4e00-\u9fff]")
GUNICORN_ENGLISH = ("Bad Request", "URI Too Long", "Request Line", "Request Header")
TRUNCATED = "查询太长，只搜索了前面的部分"
# every filter value a results page can tick, but issuers: the longest query string the site links to
EVERY_FILTER = ([("area", a.name) for a in taxonomy().areas] + [("level", v) for v in taxonomy().levels]
                + [("status", v) for v in taxonomy().statuses] + [("enterprise", v) for v in taxonomy().enterprise_types]
                + [("sort", "date"), ("limit", "50"), ("page", "100")])


def chinese_query(length: int) -> str:
    """Characters of three UTF-8 bytes, each percent-encoded as nine, like any Chinese text a browser sends."""
    return ("企业社保费减免" * length)[:length]


@pytest.fixture(scope="module")
def server(policies_index):
    with serving(policies_index, 1) as (_, port, _):
        yield port


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, content type and text of an answer from the real server, errors included."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get_content_type(), exc.read().decode()


def message(page: str) -> str:
    return " ".join(lxml_html.fromstring(page).xpath("//main//p[contains(@class, 'message')]//text()"))


@pytest.mark.parametrize("where", ["/", "/search?q=税", "/area/finance-tax", "/doc/cs-swzj-2020-8", "/nowhere"])
def test_every_search_box_allows_the_declared_length(client, where):
    tree = lxml_html.fromstring(client.get(where).get_data(as_text=True))
    assert tree.xpath('//input[@name="q"]/@maxlength') and set(tree.xpath('//input[@name="q"]/@maxlength')) == {str(MAX_Q)}


def test_a_query_at_the_limit_is_searched_and_one_past_it_refused_in_chinese(client):
    assert MAX_Q > MAX_QUERY        # else the notice that only the beginning was searched could never show
    page = client.get("/search", query_string={"q": chinese_query(MAX_Q)})
    assert page.status_code == 200 and TRUNCATED in page.get_data(as_text=True)
    page = client.get("/search", query_string={"q": chinese_query(MAX_Q + 1)})
    assert page.status_code == 414
    assert message(page.get_data(as_text=True)).startswith(f"搜索词太长：最多 {MAX_Q} 个字，这次有 {MAX_Q + 1} 个字")
    api = client.get("/api/search", query_string={"q": chinese_query(MAX_Q + 1)})
    assert api.status_code == 414 and api.get_json()["error"].startswith(f"搜索词太长：最多 {MAX_Q} 个字")


def test_the_request_line_limit_is_one_gunicorn_keeps():
    # gunicorn silently lowers a larger limit to its own maximum, below what the site's limit needs
    assert 9 * MAX_Q < REQUEST_LINE <= MAX_REQUEST_LINE


@pytest.mark.parametrize("where", ["/search", "/api/search"])
def test_a_pasted_paragraph_is_searched_through_the_real_server(server, where):
    status, kind, text = fetch(server, f"{where}?{urlencode({'q': chinese_query(450)})}")
    assert status == 200
    assert TRUNCATED in text if kind == "text/html" else '"truncated":true' in text


@pytest.mark.parametrize("where", ["/search", "/api/search"])
def test_a_query_past_any_request_line_is_answered_in_chinese(server, where):
    """6,000 characters are 54,000 bytes of request line: gunicorn refuses it before the site sees it."""
    status, kind, text = fetch(server, f"{where}?{urlencode({'q': chinese_query(6000)})}")
    assert status == 414 and kind == "text/html"
    assert not any(words in text for words in GUNICORN_ENGLISH)
    assert message(text) == f"请求的地址太长，本站无法处理。搜索词最多 {MAX_Q} 个字，请删减后再搜索。"
    assert lxml_html.fromstring(text).xpath("//title")[0].text_content() == "请求的地址太长 · 惠企政策知识库"


def test_the_site_answers_the_longest_search_before_gunicorn_would(server):
    """A q at the limit with every filter ticked reaches the site; one character more gets the site's own
    answer (JSON, which the server's refusal, not knowing the path, cannot give)."""
    longest = urlencode([("q", chinese_query(MAX_Q))] + EVERY_FILTER)
    status, kind, text = fetch(server, f"/api/search?{longest}")
    assert status == 200 and kind == "application/json" and '"truncated":true' in text
    status, kind, text = fetch(server, f"/api/search?{urlencode([('q', chinese_query(MAX_Q + 1))] + EVERY_FILTER)}")
    assert status == 414 and kind == "application/json"
    assert f"最多 {MAX_Q} 个字，这次有 {MAX_Q + 1} 个字" in text


def test_headers_too_large_are_answered_in_chinese(server):
    status, kind, text = fetch(server, "/", {"Cookie": "x=" + "a" * 9000})
    assert status == 431 and kind == "text/html"
    assert not any(words in text for words in GUNICORN_ENGLISH) and "请清除本站的 Cookie" in message(text)
