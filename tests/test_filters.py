"""Filters declared once (kb/filters.py): the CLI, the API and the results page take the same ones,
and an unknown filter or value is a Chinese error everywhere."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kb.filters import FACETS, FILTERS, choices
from kb.search import SearchError, search
from tests.conftest import ROOT
from web.params import FACET_PARAM, FILTER_KEYS


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def _cli(index, *args):
    return subprocess.run([sys.executable, "-m", "kb", "search", *args, "--index", str(index)], cwd=ROOT,
                          capture_output=True, text=True)


def test_every_declared_filter_reaches_the_web_and_the_cli(client, policies_index):
    assert FILTER_KEYS == tuple(f.key for f in FILTERS)
    assert set(FACET_PARAM.values()) == {f.key for f in FACETS}
    for query in ({"coverage": "部分条款"}, {"type": "通知"}, {"level": "省"}, {"status": "已失效"},
                  {"date_from": "2020-03-01"}, {"date_to": "2020-02-20"}):
        key, value = next(iter(query.items()))
        api = client.get("/api/search", query_string={"q": "企业", "limit": 50, **query}).get_json()
        cli = json.loads(_cli(policies_index, "企业", _option(key), value, "--limit", "50", "--json").stdout)
        assert api == cli and api["filters"] == {key: [value]}
        assert api["hits"]


def test_a_document_filter_keeps_only_its_documents(library):
    snapshot = library.current()
    everything = search(library, "企业", limit=100)
    kept = search(library, "企业", filters={"type": ["通知"]}, limit=100)
    assert 0 < kept.total < everything.total
    assert all(snapshot.docs[h.doc_id]["type"] == "通知" for h in kept.hits)


@pytest.mark.parametrize("filters, message", [
    ({"county": ["x"]}, "未知的筛选条件“county”"),
    ({"level": ["县"]}, "未知的发文层级“县”，可选：国家、省、市、部门"),
    ({"coverage": ["大部分"]}, "未知的收录范围“大部分”"),
    ({"area": ["不存在的领域"]}, "未知的支持领域“不存在的领域”"),
    ({"date_from": ["2020-02-30"]}, "成文日期起“2020-02-30”无法识别，请写成 YYYY-MM-DD"),
    ({"date_to": ["2020/3/1"]}, "成文日期止“2020/3/1”无法识别，请写成 YYYY-MM-DD"),
])
def test_an_unknown_filter_or_value_is_a_chinese_error_everywhere(client, library, policies_index, filters, message):
    with pytest.raises(SearchError, match=message):
        search(library, "企业", filters=filters)
    key, values = next(iter(filters.items()))
    if key in FILTER_KEYS:
        api = client.get("/api/search", query_string={"q": "企业", key: values[0]})
        assert api.status_code == 400 and message in api.get_json()["error"]
        page = client.get("/search", query_string={"q": "企业", key: values[0]})
        assert page.status_code == 400 and message in page.get_data(as_text=True)
        cli = _cli(policies_index, "企业", _option(key), values[0])
        assert cli.returncode == 2 and message in cli.stderr and "Traceback" not in cli.stderr


def test_vocabulary_backed_filters_offer_their_values():
    for f in FILTERS:
        if f.vocabulary:
            assert choices(f), f.key


def test_a_facet_count_is_what_choosing_the_value_gives(library):
    result = search(library, "社保 减免", limit=100, facets=True)
    for facet in FACETS:
        for value, count in result.facets[facet.facet].items():
            chosen = search(library, "社保 减免", filters={facet.key: [value]}, limit=100)
            assert chosen.total == count, (facet.key, value)


def test_a_date_range_keeps_the_documents_written_within_it_both_days_included(library):
    snapshot = library.current()
    everything = search(library, "企业", limit=100)
    assert everything.total == len(everything.hits) < 100
    dates = sorted({h.date for h in everything.hits} - {""})
    first, last = dates[1], dates[-2]          # a range that leaves some out at each end
    within = search(library, "企业", filters={"date_from": [first], "date_to": [last]}, limit=100)
    want = {(h.doc_id, h.path) for h in everything.hits if first <= snapshot.docs[h.doc_id]["date"] <= last}
    assert 0 < len(want) < everything.total
    assert {(h.doc_id, h.path) for h in within.hits} == want and within.total == len(want)
    # one end alone leaves the other open
    since = search(library, "企业", filters={"date_from": [last]}, limit=100)
    assert {h.date for h in since.hits} == {d for d in dates if d >= last}
    until = search(library, "企业", filters={"date_to": [first]}, limit=100)
    assert {h.date for h in until.hits} == {d for d in dates if d <= first}
    # a document whose date the library does not record is in no range
    assert any(not h.date for h in everything.hits)


def test_a_date_range_end_takes_one_day(library):
    with pytest.raises(SearchError, match="成文日期起只能有一个日期"):
        search(library, "企业", filters={"date_from": ["2020-03-01", "2020-03-02"]})


def test_the_results_pages_date_form_has_the_range_pair_and_keeps_the_other_filters(client):
    from lxml import html as lxml_html

    page = client.get("/search", query_string={"q": "企业", "level": "国家", "date_from": "2020-03-01"})
    assert page.status_code == 200
    form = lxml_html.fromstring(page.get_data(as_text=True)).xpath("//form[.//input[@name='date_from']]")[0]
    assert form.xpath(".//input[@name='date_from']/@value") == ["2020-03-01"]
    assert form.xpath(".//input[@name='date_to']/@value") == [""]
    # the other filters ride along hidden; the range's own ends are its fields, not hidden copies
    assert {(i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")} == {("q", "企业"), ("level", "国家")}
    labels = {form.xpath(f".//label[@for='{i}']/text()")[0] for i in form.xpath(".//input[@type='date']/@id")}
    assert labels == {"从", "到", "只看这一天在执行期内的条款"}
    assert form.xpath(".//fieldset[.//input[@name='date_to']]/legend/text()") == ["成文日期"]


def test_the_date_range_chips_say_which_end_and_not_limiting_the_dates_clears_them_all(client):
    from lxml import html as lxml_html

    def page(**query):
        return lxml_html.fromstring(client.get("/search", query_string={"q": "企业", "level": "国家", **query}).get_data(as_text=True))

    dated = page(date_from="2020-03-01", date_to="2020-12-31", as_of="2020-03-15")
    chips = [" ".join(c.text_content().split()) for c in dated.xpath("//div[@class='active-filters']/a[@class='chip']")]
    assert chips == ["国家 ×", "成文日期 2020-03-01 起 ×", "成文日期 2020-12-31 止 ×"]
    removing_from = dated.xpath("//a[@aria-label='去掉筛选：成文日期 2020-03-01 起']/@href")[0]
    assert "date_from" not in removing_from and "date_to=2020-12-31" in removing_from and "as_of=2020-03-15" in removing_from
    undated = dated.xpath("//form[.//input[@name='date_from']]//a[text()='不限日期']/@href")[0]
    assert "level=" in undated and not any(k in undated for k in ("date_from", "date_to", "as_of"))
    # a range alone offers the link too; no date, no link
    assert page(date_to="2020-02-20").xpath("//a[text()='不限日期']/@href")[0].endswith("level=%E5%9B%BD%E5%AE%B6")
    assert not page().xpath("//a[text()='不限日期']")
