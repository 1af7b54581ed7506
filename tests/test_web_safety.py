"""What a user must never see: running document text, a traceback (also for a torn document file), a
stale index after a rebuild."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from kb.docformat import parse_file
from kb.index import build
from kb.library import Library
from web.errors import DEFAULT_MESSAGES

ROOT = Path(__file__).resolve().parent.parent
DOC_ID = "cs-swzj-2020-8"
ATTACK = '<script>alert(1)</script> <img src=x onerror=alert(2)> [点我](javascript:alert(3))'
PAGES = ["/", "/search?q=增值税", f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/一", "/area/finance-tax", "/nowhere"]


def _clause_text(path: str) -> str:
    """A clause of the real document as committed: the tests change it whatever its wording is today."""
    return next(c.text for c in parse_file(ROOT / "policies" / f"{DOC_ID}.md").clauses if c.path == path)


CLAUSE_ONE = _clause_text("一")
# the end of clause 一, where the attack goes: a search for it shows the attack in the snippet
CLAUSE_ONE_END = CLAUSE_ONE.rstrip("。").split("，")[-1]


def _replace_in_copy(policies_copy, old: str, new: str) -> None:
    path = policies_copy / f"{DOC_ID}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def attacked_client(app_factory, policies_copy, tmp_path):
    """The real document with script, an onerror attribute and a javascript: link in clause 一."""
    _replace_in_copy(policies_copy, CLAUSE_ONE, f"{CLAUSE_ONE}{ATTACK}")
    build(policies_copy, tmp_path / "index", progress=False)
    return app_factory(index=tmp_path / "index").test_client()


@pytest.mark.parametrize("where", [f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/一", f"/search?q={CLAUSE_ONE_END}",
                                   "/area/finance-tax"])
def test_markup_in_a_document_is_shown_as_text(attacked_client, where):
    tree = lxml_html.fromstring(attacked_client.get(where).get_data(as_text=True))
    assert "<script>alert(1)</script>" in tree.xpath("//main")[0].text_content()
    assert tree.xpath("//script[not(@src)]") == []
    assert tree.xpath("//img | //*[@onerror]") == []
    assert tree.xpath('//a[starts-with(normalize-space(@href), "javascript")]') == []


def test_markup_in_a_query_is_shown_as_text(client):
    response = client.get("/search", query_string={"q": ATTACK})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in body and not re.search(r"<img[^>]*onerror", body)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;' in body


@pytest.mark.parametrize("where", PAGES + ["/api/search?q=税", "/api/areas", "/static/app.js"])
def test_security_headers_everywhere(client, where):
    response = client.get(where)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("where", PAGES)
def test_pages_have_no_inline_script_or_outside_assets(client, where):
    body = client.get(where).get_data(as_text=True)
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", body))
    assert " style=" not in body and "<style" not in body and " on" + "click=" not in body
    assert not re.search(r'<(?:link|script)[^>]+(?:href|src)="(?:https?:)?//', body)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(client, method):
    response = client.open("/", method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert "只提供查阅" in response.get_data(as_text=True)
    assert client.head("/").status_code == 200


def test_unexpected_error_is_a_chinese_500_without_traceback(app_factory, monkeypatch):
    app = app_factory()

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    # no setting makes the site fail unexpectedly (that is the point): the failure is put where a page calls kb
    monkeypatch.setattr("web.pages.stats", broken)
    monkeypatch.setattr("web.api.search", broken)
    for where, kind in (("/", "text/html"), ("/api/search?q=税", "application/json")):
        response = app.test_client().get(where)
        assert response.status_code == 500 and response.mimetype == kind
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and "secret internal detail" not in body
    page = app.test_client().get("/")
    assert "服务器出错了" in page.get_data(as_text=True) and _message(page) == DEFAULT_MESSAGES[500]
    assert app.test_client().get("/api/search?q=税").get_json() == {"error": DEFAULT_MESSAGES[500], "status": 500}


def _message(response) -> str:
    return lxml_html.fromstring(response.get_data(as_text=True)).xpath('//p[@class="message"]')[0].text_content()


def test_missing_index_is_a_503_page_that_says_to_build_it(app_factory, tmp_path):
    client = app_factory(index=tmp_path / "no-index").test_client()
    says = f"在 {tmp_path / 'no-index'} 没有找到索引，请先运行 python build_index.py"
    response = client.get("/")
    assert response.status_code == 503 and _message(response) == says
    api = client.get("/api/search?q=税")
    assert api.status_code == 503 and api.get_json() == {"error": says, "status": 503}


def test_rebuilt_index_is_served_without_restart(app_factory, policies_copy, tmp_path):
    index = tmp_path / "index"
    build(policies_copy, index, progress=False)
    client = app_factory(index=index).test_client()
    clause, four = f"/doc/{DOC_ID}/{quote('四')}", _clause_text("四")
    assert four[:30] in client.get(clause).get_data(as_text=True)
    _replace_in_copy(policies_copy, four, f"{four}（重建测试标记）")
    build(policies_copy, index, progress=False)
    assert "重建测试标记" in client.get(clause).get_data(as_text=True)
    marked = client.get("/api/search?q=重建测试标记").get_json()["hits"]
    assert [(h["doc_id"], h["clause"]) for h in marked][:1] == [(DOC_ID, "四")]


FORGED_HOST = {"Host": "evil.example"}
HOST_PAGES = PAGES + ["/search?q=财税公告2020年第8号第三条", f"/doc/{DOC_ID}//一", "/static//style.css",
                      "/match?region=嘉峪关", "/api/search?q=税", f"/api/doc/{DOC_ID}", "/api/areas",
                      "/api/match?region=嘉峪关", "/api/nowhere"]


@pytest.mark.parametrize("where", HOST_PAGES)
def test_a_forged_host_header_shows_nowhere(client, where):
    """Links, permalinks and redirects (the citation lookup, werkzeug's for doubled slashes) never echo it."""
    response = client.get(where, headers=FORGED_HOST)
    assert "evil.example" not in response.get_data(as_text=True)
    assert not [value for value in response.headers.values() if "evil.example" in value]


def _permalink(client, headers=None) -> str:
    tree = lxml_html.fromstring(client.get(f"/doc/{DOC_ID}/{quote('一')}", headers=headers).get_data(as_text=True))
    return tree.xpath('//p[@class="permalink-line"]/a/@href')[0]


def test_permalinks_are_written_from_the_base_url(app_factory, client):
    assert _permalink(client, FORGED_HOST) == f"http://127.0.0.1:5000/doc/{DOC_ID}/{quote('一')}"
    configured = app_factory({"BASE_URL": "https://zc.example.gov.cn/"}).test_client()
    assert _permalink(configured, FORGED_HOST) == f"https://zc.example.gov.cn/doc/{DOC_ID}/{quote('一')}"


@pytest.mark.parametrize("tear", ["truncated", "removed"])
def test_a_torn_document_file_is_a_chinese_503_not_a_500(app_factory, policies_copy, tmp_path, tear):
    index = tmp_path / "index"
    build(policies_copy, index, progress=False)
    path = index / "docs" / Library(index).current().docs[DOC_ID]["json"]
    if tear == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        path.unlink()
    says = (f"索引中的文件 {path} {'已损坏（多半是写入时断电或磁盘已满）' if tear == 'truncated' else '无法读取（文件或目录不存在）'}，"
            f"请重新构建索引：python build_index.py --index {index}")
    client = app_factory(index=index).test_client()
    for where in (f"/doc/{DOC_ID}", f"/doc/{DOC_ID}/{quote('四')}"):
        response = client.get(where)
        assert response.status_code == 503, where
        assert "知识库暂时不可用" in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
        assert _message(response) == says
    api = client.get(f"/api/doc/{DOC_ID}")
    assert api.status_code == 503 and api.get_json() == {"error": says, "status": 503}
    cli = subprocess.run([sys.executable, "-m", "kb", "search", "财税公告2020年第8号 第四条", "--index", str(index)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 2 and "Traceback" not in cli.stderr
    assert f"索引中的文件 {path}" in cli.stderr and "请重新构建索引" in cli.stderr
    assert "已损坏" in cli.stderr if tear == "truncated" else "文件或目录不存在" in cli.stderr
    # a page that does not open the document still answers
    assert client.get("/").status_code == 200
