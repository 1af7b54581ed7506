"""Routes: traversal never reads outside the index and the site's own files; only GET and HEAD;
limits on page size, page number and query length answered with a message that says what to do.

File access is watched with a Python audit hook: every file a request opens is recorded, so the
traversal tests check what was read, not only what was answered.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kb.query import MAX_QUERY
from kb.search import MAX_LIMIT, MAX_PAGE
from tests.conftest import ROOT
from web.params import MAX_Q

DOC_ID = "cs-swzj-2020-8"
SITE_FILES = ROOT / "web"
CJK = re.compile(r"[\u4e00-\u9fff]")

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _opened.append(str(args[0] if not isinstance(args[0], bytes) else args[0].decode(errors="replace")))


sys.addaudithook(_audit)


@pytest.fixture(scope="module", autouse=True)
def _warm(client):
    """Templates and lazy imports loaded before anything is watched, whichever test comes first."""
    for warm in ("/", f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/一", "/search?q=税", "/area/finance-tax", "/nowhere",
                 "/api/search?q=税", "/static/app.js"):
        client.get(warm)


def _files_read(client, url: str):
    global _opened
    _opened = []
    try:
        response = client.get(url)
    finally:
        opened, _opened = _opened, None
    return response, [Path(p).resolve() for p in opened]


TRAVERSALS = [
    "/doc/../../../../etc/passwd", "/doc/..%2F..%2F..%2Fetc%2Fpasswd", "/doc/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/doc/%252e%252e%252fetc%252fpasswd", f"/doc/{DOC_ID}/../../../../etc/passwd",
    f"/doc/{DOC_ID}/..%2F..%2F..%2F..%2Fetc%2Fpasswd", f"/doc/{DOC_ID}/%2e%2e%2f%2e%2e%2fcatalog.json",
    f"/doc/{DOC_ID}/..%5c..%5c..%5cetc%5cpasswd", "/doc/..%00/etc/passwd", "/doc/%2fetc%2fpasswd",
    "/doc/catalog.json", "/doc/..", "/doc/.", "/doc/%2e", f"/doc/{DOC_ID}/%2e%2e", f"/doc/{DOC_ID}/.",
    "/doc/．．／．．／etc／passwd", "/api/doc/..%2F..%2Fcatalog.json", "/api/doc/%2e%2e%2f%2e%2e%2fmanifest.json",
    "/area/..%2F..%2Fetc%2Fpasswd", "/static/../../build_index.py", "/static/..%2f..%2fbuild_index.py",
    "/static/%2e%2e/%2e%2e/kb/index.py", "/static/..%5c..%5cbuild_index.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/app.js%00.py", "/static/../templates/base.html",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_traversal_reads_nothing_outside_the_index_and_the_site(client, policies_index, url):
    response, files = _files_read(client, url)
    assert response.status_code in (404, 400, 308), (url, response.status_code)
    body = response.get_data(as_text=True)
    assert "root:" not in body and "def build(" not in body and '"schema"' not in body and "{% block" not in body
    allowed = (policies_index.resolve(), (SITE_FILES / "templates").resolve(), (SITE_FILES / "static").resolve())
    outside = [f for f in files if not any(f.is_relative_to(a) for a in allowed)]
    assert not outside, (url, outside)


def test_the_watch_sees_the_reads_a_document_page_makes(client, policies_index):
    """The audit hook records document reads: a page not yet cached opens its JSON under the index."""
    snapshot = client.application.extensions["kb_library"].current()
    snapshot.document.cache_clear()
    response, files = _files_read(client, f"/doc/{DOC_ID}")
    assert response.status_code == 200
    assert any(f.is_relative_to(policies_index.resolve()) and f.name.startswith(DOC_ID) for f in files)


ROUTES = ["/", "/search?q=税", f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/一", "/area/finance-tax", "/match",
          "/api/search?q=税", f"/api/doc/{DOC_ID}", "/api/areas", "/api/match?region=嘉峪关", "/static/app.js",
          "/nowhere", "/api/nowhere"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL"])
@pytest.mark.parametrize("url", ROUTES)
def test_only_get_and_head_are_served(client, url, method):
    response = client.open(url, method=method, data=b"x=1")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"
    if url.startswith("/api/"):
        assert response.get_json()["error"] == "本站只提供查阅（GET、HEAD 请求）。"
    else:
        assert "只提供查阅" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ROUTES[:-2])
def test_head_answers_like_get_without_a_body(client, url):
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Content-Security-Policy"] == get.headers["Content-Security-Policy"]


@pytest.mark.parametrize("name,value,says", [
    ("limit", "0", f"每页条数应在 1 到 {MAX_LIMIT} 之间"), ("limit", str(MAX_LIMIT + 1), f"1 到 {MAX_LIMIT}"),
    ("limit", "-5", f"1 到 {MAX_LIMIT}"), ("limit", "10000000000000000000000", f"1 到 {MAX_LIMIT}"),
    ("limit", "十", "每页条数必须是整数"), ("limit", "1e2", "每页条数必须是整数"),
    ("page", "0", f"页码应在 1 到 {MAX_PAGE} 之间"), ("page", str(MAX_PAGE + 1), f"1 到 {MAX_PAGE}"),
    ("page", "abc", "页码必须是整数"), ("sort", "price", "排序方式只能是"), ("area", "火星", "未知的支持领域"),
])
def test_limits_are_a_400_that_says_what_is_allowed(client, name, value, says):
    api = client.get("/api/search", query_string={"q": "税", name: value})
    assert api.status_code == 400 and says in api.get_json()["error"]
    page = client.get("/search", query_string={"q": "税", name: value})
    assert page.status_code == 400 and says in page.get_data(as_text=True)


def test_the_largest_page_size_and_page_are_served(client):
    assert client.get(f"/api/search?q=税&limit={MAX_LIMIT}").status_code == 200
    last = client.get(f"/api/search?q=税&limit=10&page={MAX_PAGE}")
    assert last.status_code == 200 and last.get_json()["hits"] == []
    beyond = client.get(f"/search?q=税&page={MAX_PAGE}")
    assert beyond.status_code == 404 and "没有结果" in beyond.get_data(as_text=True)


def long_query(length: int) -> str:
    return ("企业社保费减免" * length)[:length]


@pytest.mark.parametrize("length", [MAX_QUERY + 1, MAX_Q])
def test_a_long_query_is_cut_and_the_user_told(client, length):
    data = client.get("/api/search", query_string={"q": long_query(length)}).get_json()
    assert data["truncated"] is True and data["total"] > 0
    page = client.get("/search", query_string={"q": long_query(length)})
    assert page.status_code == 200 and "查询太长，只搜索了前面的部分" in page.get_data(as_text=True)


@pytest.mark.parametrize("length", [MAX_Q + 1, 5000, 200_000])
def test_a_query_over_the_site_limit_is_refused_in_chinese(client, length):
    says = f"搜索词太长：最多 {MAX_Q} 个字，这次有 {length} 个字"
    api = client.get("/api/search", query_string={"q": long_query(length)})
    assert api.status_code == 414 and api.get_json()["status"] == 414 and api.get_json()["error"].startswith(says)
    page = client.get("/search", query_string={"q": long_query(length)})
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert says in page.get_data(as_text=True) and "Traceback" not in page.get_data(as_text=True)
