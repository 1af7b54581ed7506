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
from web import create_app
from web.params import FACET_PARAM, FILTER_KEYS


def _cli(index, *args):
    return subprocess.run([sys.executable, "-m", "kb", "search", *args, "--index", str(index)], cwd=ROOT,
                          capture_output=True, text=True)


def test_every_declared_filter_reaches_the_web_and_the_cli(policies_index):
    assert FILTER_KEYS == tuple(f.key for f in FILTERS)
    assert set(FACET_PARAM.values()) == {f.key for f in FACETS}
    client = create_app(policies_index).test_client()
    for query in ({"coverage": "部分条款"}, {"type": "通知"}, {"level": "省"}, {"status": "已失效"}):
        key, value = next(iter(query.items()))
        api = client.get("/api/search", query_string={"q": "企业", "limit": 50, **query}).get_json()
        cli = json.loads(_cli(policies_index, "企业", f"--{key}", value, "--limit", "50", "--json").stdout)
        assert api == cli and api["filters"] == {key: [value]}
        assert api["hits"]


def test_a_document_filter_keeps_only_its_documents(library):
    build = library.build()
    everything = search(library, "企业", limit=100)
    kept = search(library, "企业", filters={"type": ["通知"]}, limit=100)
    assert 0 < kept.total < everything.total
    assert all(build.docs[h.doc_id]["type"] == "通知" for h in kept.hits)


@pytest.mark.parametrize("filters, message", [
    ({"county": ["x"]}, "未知的筛选条件“county”"),
    ({"level": ["县"]}, "未知的发文层级“县”，可选：国家、省、市、部门"),
    ({"coverage": ["大部分"]}, "未知的收录范围“大部分”"),
    ({"area": ["不存在的领域"]}, "未知的支持领域“不存在的领域”"),
])
def test_an_unknown_filter_or_value_is_a_chinese_error_everywhere(library, policies_index, filters, message):
    with pytest.raises(SearchError, match=message):
        search(library, "企业", filters=filters)
    key, values = next(iter(filters.items()))
    client = create_app(policies_index).test_client()
    if key in FILTER_KEYS:
        api = client.get("/api/search", query_string={"q": "企业", key: values[0]})
        assert api.status_code == 400 and message in api.get_json()["error"]
        page = client.get("/search", query_string={"q": "企业", key: values[0]})
        assert page.status_code == 400 and message in page.get_data(as_text=True)
        cli = _cli(policies_index, "企业", f"--{key}", values[0])
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
