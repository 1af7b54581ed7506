"""What was in force on a date: as_of in `kb search --as-of`, /api/search?as_of= and the results page;
a clause outside its period is left out, one of unknown period kept and marked; /match judges a
profile's date by the same periods (kb/periods.py)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from lxml import html as lxml_html

from kb import periods
from kb.match import match
from kb.profile import Profile
from kb.search import search
from tests.conftest import ROOT

ELECTRICITY, EXTENSION = "fgw-dianfei-2020", "fgjg-2020-994"
BILLING, TARIFF = (ELECTRICITY, "要点1"), (ELECTRICITY, "要点2")     # 95% billing (extended by 994号), two-part tariff
EXTENDED_BILLING = (EXTENSION, "要点1")
# a national employment opinion the sources give no date or term for (C14): its period is not recorded
EMPLOYMENT = "gbf-2020-6"
DAYS = [dt.date(2020, 1, 15), dt.date(2020, 2, 1), dt.date(2020, 3, 15), dt.date(2020, 6, 30), dt.date(2020, 7, 1),
        dt.date(2020, 9, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 1)]


def _found(result) -> set[tuple[str, str]]:
    return {(h.doc_id, h.path) for h in result.hits}


def _everything(library, q: str, day: dt.date | None):
    return search(library, q, limit=100, as_of=day)


def test_a_clause_outside_its_period_is_left_out_and_an_extended_one_kept(library):
    march, september = dt.date(2020, 3, 15), dt.date(2020, 9, 1)
    assert {BILLING, TARIFF, EXTENDED_BILLING} <= _found(_everything(library, "电费", None))
    in_march = _everything(library, "电费", march)
    assert {BILLING, TARIFF} <= _found(in_march) and EXTENDED_BILLING not in _found(in_march)
    in_september = _everything(library, "电费", september)
    assert {BILLING, EXTENDED_BILLING} <= _found(in_september) and TARIFF not in _found(in_september)
    billing = next(h for h in in_september.hits if (h.doc_id, h.path) == BILLING)
    assert (billing.in_force, billing.in_force_label) == (True, "在执行期内（经延长至 2020-12-31）")
    assert in_september.as_of == "2020-09-01"


def test_every_hit_is_in_force_or_of_unknown_period_and_says_which(library):
    for day in DAYS:
        result = _everything(library, "企业", day)
        assert result.hits
        for hit in result.hits:
            state = periods.state(library.current(), hit.doc_id, hit.path, day)
            assert state.in_force is not False, (day, hit.url)
            assert (hit.in_force, hit.in_force_label) == (state.in_force, state.label)
    undated = [h for h in _everything(library, "稳就业", dt.date(2020, 3, 15)).hits if h.doc_id == EMPLOYMENT]
    assert undated and all((h.in_force, h.in_force_label) == (None, "执行期限待确认") for h in undated)


def test_without_a_date_nothing_is_left_out_or_marked(library):
    result = _everything(library, "企业", None)
    assert result.as_of == "" and all((h.in_force, h.in_force_label) == (None, "") for h in result.hits)
    assert result.total > _everything(library, "企业", dt.date(2020, 1, 15)).total


def test_a_clause_named_in_the_query_opens_whatever_its_period_and_says_it_was_not_in_force(library):
    result = search(library, "发改价格〔2020〕994号", as_of=dt.date(2020, 3, 15))
    assert [(h.doc_id, h.in_force, h.in_force_label) for h in result.hits][:1] == [
        (EXTENSION, False, "尚未施行（自 2020-07-01 起执行）")]


def test_the_matcher_judges_a_date_by_the_same_periods(library):
    """With only a date in the profile every other condition is open, so a measure is 不适用 exactly
    when its period (as search reads it) excludes the date."""
    b = library.current()
    for day in DAYS:
        result = match(b, Profile(date=day))
        ruled_out = {(i.doc_id, i.path) for i in result.not_applicable}
        judged = ruled_out | {(i.doc_id, i.path) for i in result.applicable + result.undetermined}
        assert judged and ruled_out
        assert ruled_out == {k for k in judged if periods.state(b, *k, day).in_force is False}, day
    september = match(b, Profile(date=dt.date(2020, 9, 1)))
    billing = next(i for i in september.applicable if (i.doc_id, i.path) == BILLING)
    assert billing.period == "2020年2月1日至12月31日"


def test_cli_as_of(policies_index):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "kb", "search", "电费", "--index", str(policies_index), *args],
                              cwd=ROOT, capture_output=True, text=True)

    shown = run("--as-of", "2020-09-01", "--json")
    data = json.loads(shown.stdout)
    assert data["as_of"] == "2020-09-01"
    found = {(h["doc_id"], h["path"]): (h["in_force"], h["in_force_label"]) for h in data["hits"]}
    assert found[BILLING] == (True, "在执行期内（经延长至 2020-12-31）") and TARIFF not in found
    text = run("--as-of", "2020-09-01").stdout
    assert "2020-09-01：在执行期内（经延长至 2020-12-31）" in text
    bad = run("--as-of", "2020-9-1")
    assert bad.returncode == 2 and "日期“2020-9-1”无法识别，请写成 YYYY-MM-DD，例如 2020-03-15" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_api_as_of_is_what_the_cli_prints(client, policies_index):
    api = client.get("/api/search?q=电费&as_of=2020-09-01").get_json()
    cli = subprocess.run([sys.executable, "-m", "kb", "search", "电费", "--index", str(policies_index), "--as-of",
                          "2020-09-01", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert api == json.loads(cli.stdout)
    for bad in ("2020-02-30", "明天", "20200315"):
        response = client.get(f"/api/search?q=电费&as_of={bad}")
        assert response.status_code == 400
        assert response.get_json() == {"error": f"日期“{bad}”无法识别，请写成 YYYY-MM-DD，例如 2020-03-15", "status": 400}


def test_results_page_has_a_date_field_marks_each_hit_and_keeps_the_date_in_its_links(client):
    tree = lxml_html.fromstring(client.get("/search?q=电费&level=国家&as_of=2020-09-01").get_data(as_text=True))
    form = tree.xpath('//form[@class="dates"]')[0]
    field = form.xpath('.//input[@id="as-of"]')[0]
    assert (field.get("type"), field.get("name"), field.get("value")) == ("date", "as_of", "2020-09-01")
    assert form.xpath('.//label[@for="as-of"]')[0].text_content() == "只看这一天在执行期内的条款"
    assert {(i.get("name"), i.get("value")) for i in form.xpath('.//input[@type="hidden"]')} == {("q", "电费"), ("level", "国家")}
    hits = tree.xpath('//li[@class="hit"]')
    assert hits and all(h.xpath('.//p[contains(@class, "as-of-state")]') for h in hits)
    billing = next(h for h in hits if h.xpath(f'.//h2/a[@href="/doc/{ELECTRICITY}/%E8%A6%81%E7%82%B91"]'))
    assert billing.xpath('.//p[contains(@class, "as-of-state")]')[0].text_content() == "2020-09-01：在执行期内（经延长至 2020-12-31）"
    assert "yes" in billing.xpath('.//p[contains(@class, "as-of-state")]')[0].get("class")
    sort_link = tree.xpath('//p[@class="sort"]//a')[0].get("href")
    assert "as_of=2020-09-01" in sort_link
    undated = form.xpath('.//a[text()="不限日期"]')[0].get("href")
    assert "as_of" not in undated and "level=" in undated


def test_results_page_names_a_bad_date_in_chinese(client):
    response = client.get("/search?q=电费&as_of=2020-13-01")
    assert response.status_code == 400
    assert "日期“2020-13-01”无法识别，请写成 YYYY-MM-DD，例如 2020-03-15" in response.get_data(as_text=True)
