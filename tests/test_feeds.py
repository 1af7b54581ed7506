"""Atom feeds of new and changed documents: valid Atom (every element RFC 4287 requires, read back with
an XML parser), entries from the builds' change record (kb/changes.py, written with each build) and the
documents' dates, the library's and each area's, linked from the pages."""
from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from lxml import html as lxml_html

from kb import changes
from kb.index import BuildError, build
from kb.layout import current_build
from kb.taxonomy import taxonomy

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://zc.example.gov.cn"
CHANGED, REMOVED = "jj-2020-23", "szh-2020-27"


def _time(text: str) -> dt.datetime:
    """An RFC 3339 date-time (Atom's Date construct): with its offset, or the test fails."""
    stamp = dt.datetime.fromisoformat(text)
    assert stamp.tzinfo is not None, text
    return stamp


def _one(parent, tag: str) -> ET.Element:
    found = parent.findall(A + tag)
    assert len(found) == 1, f"{tag}: {len(found)}"
    return found[0]


def parse_feed(response) -> tuple[ET.Element, list[dict]]:
    """The feed, checked against RFC 4287's requirements, and its entries as dicts."""
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.tag == A + "feed"
    for tag in ("id", "title", "updated"):          # 4.1.1: exactly one of each
        assert _one(feed, tag).text
    feed_time = _time(_one(feed, "updated").text)
    assert _one(_one(feed, "author"), "name").text   # an author for the feed, so none is needed per entry
    self_link = [link for link in feed.findall(A + "link") if link.get("rel") == "self"]
    assert len(self_link) == 1 and self_link[0].get("href") == _one(feed, "id").text
    entries = []
    for e in feed.findall(A + "entry"):
        for tag in ("id", "title", "updated"):      # 4.1.2
            assert _one(e, tag).text
        alternate = [link for link in e.findall(A + "link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1 and _one(e, "summary").get("type") == "text"
        updated = _time(_one(e, "updated").text)
        assert updated <= feed_time
        published = e.find(A + "published")
        entries.append({"id": _one(e, "id").text, "title": _one(e, "title").text, "updated": updated,
                        "published": _time(published.text) if published is not None else None,
                        "link": alternate[0].get("href"), "content": _one(e, "content").text,
                        "areas": [c.get("term") for c in e.findall(A + "category")]})
    assert len({e["id"] for e in entries}) == len(entries)
    assert [e["updated"] for e in entries] == sorted((e["updated"] for e in entries), reverse=True)
    return feed, entries


@pytest.fixture
def site(app_factory, policies_copy, tmp_path):
    """A private index of policies/ and the site over it, permalinks from BASE."""
    root = tmp_path / "index"
    build(policies_copy, root, progress=False)
    return policies_copy, root, app_factory({"BASE_URL": BASE}, index=root).test_client()


def _doc_id(entry: dict) -> str:
    return entry["id"].rsplit("/", 1)[1]


def test_the_library_feed_is_valid_atom_with_every_document(site, library):
    _, _, client = site
    feed, entries = parse_feed(client.get("/feed.atom", headers={"Host": "evil.example"}))
    assert _one(feed, "id").text == f"{BASE}/feed.atom"
    assert {_doc_id(e) for e in entries} == set(library.current().docs)
    assert all(e["id"] == e["link"] == f"{BASE}/doc/{_doc_id(e)}" for e in entries)
    first_build = changes.read(current_build(site[1]))
    assert len(first_build) == 1 and set(first_build[0]["added"]) == set(library.current().docs)
    assert all(e["content"].startswith("新增于 ") for e in entries)


def test_a_change_and_a_removal_are_recorded_by_the_build_that_made_them(site):
    policies, root, client = site
    changed = policies / f"{CHANGED}.md"
    changed.write_text(changed.read_text(encoding="utf-8").rstrip("\n") + "\n\n（本库补充说明。）\n", encoding="utf-8")
    (policies / f"{REMOVED}.md").unlink()
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    build(policies, root, progress=False)
    record = changes.read(current_build(root))
    assert [(s["added"], s["changed"], s["removed"]) for s in record[1:]] == [([], [CHANGED], [REMOVED])]
    _, entries = parse_feed(client.get("/feed.atom"))
    assert _doc_id(entries[0]) == CHANGED and entries[0]["updated"] >= before
    assert entries[0]["content"].startswith(f"更新于 {record[1]['built'][:10]}")
    assert REMOVED not in {_doc_id(e) for e in entries}
    # a full rebuild changes no document: nothing more is recorded
    build(policies, root, full=True, progress=False)
    assert changes.read(current_build(root)) == record


def test_a_refused_build_records_nothing(site):
    policies, root, _ = site
    record = changes.read(current_build(root))
    bad = policies / f"{CHANGED}.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("level: 国家", "level: 宇宙"), encoding="utf-8")
    with pytest.raises(BuildError):
        build(policies, root, progress=False)
    assert changes.read(current_build(root)) == record


def test_before_the_record_holds_a_document_it_is_dated_by_its_own_date(site, library):
    _, root, client = site
    (current_build(root) / changes.CHANGES).unlink()          # a build made before the record was kept
    _, entries = parse_feed(client.get("/feed.atom"))
    docs = library.current().docs
    china = dt.timezone(dt.timedelta(hours=8))
    for e in entries:
        d = docs[_doc_id(e)]
        if d["date"]:
            assert e["updated"] == e["published"] == dt.datetime.combine(dt.date.fromisoformat(d["date"]), dt.time(), china)
        else:
            assert e["published"] is None
        assert not e["content"].startswith(("新增", "更新"))
    dated = [e for e in entries if e["published"]]
    assert dated and _doc_id(dated[0]) == max((d for d in docs.values() if d["date"]), key=lambda d: d["date"])["id"]


def test_each_area_has_its_feed_of_its_documents(site, library):
    _, _, client = site
    docs = library.current().docs
    for area in taxonomy().areas:
        feed, entries = parse_feed(client.get(f"/area/{area.slug}.atom"))
        assert _one(feed, "id").text == f"{BASE}/area/{area.slug}.atom"
        expected = {i for i, d in docs.items() if area.name in d["areas"]}
        assert expected and {_doc_id(e) for e in entries} == expected
        assert all(area.name in e["areas"] for e in entries)
    missing = client.get("/area/no-such-area.atom")
    assert missing.status_code == 404 and "没有标识为“no-such-area”的支持领域" in missing.get_data(as_text=True)


def test_pages_link_the_feeds(site):
    _, _, client = site
    home = lxml_html.fromstring(client.get("/").get_data(as_text=True))
    assert home.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href') == ["/feed.atom"]
    area = lxml_html.fromstring(client.get("/area/job-retention").get_data(as_text=True))
    assert area.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href') == [
        "/feed.atom", "/area/job-retention.atom"]
    assert area.xpath('//a[@href="/area/job-retention.atom"]/text()') == ["订阅“援企稳岗”的新增和更新文件（Atom）"]
