"""Source kinds (kb/sources.py): told from the address's domain, official ones listed first."""
from __future__ import annotations

import pytest

from kb import sources
from kb.sources import FILE, NEWS, OFFICIAL, REPOST


@pytest.mark.parametrize("address, expected", [
    ("http://www.gov.cn/zhengce/content/2020-02/20/content_5481241.htm", OFFICIAL),
    ("http://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2020-02/21/content_5481514.htm", OFFICIAL),
    ("https://rsj.sh.gov.cn/tszlm_17313/20200220/t0035_1391425.html", OFFICIAL),
    ("HTTPS://WWW.GOV.CN/a.html", OFFICIAL),
    ("http://www.xinhuanet.com/politics/2020-02/20/c_1125601921.htm", NEWS),
    ("http://gansu.gscn.com.cn/system/2020/02/21/012327640.shtml", NEWS),
    ("https://www.bjnews.com.cn/detail/158218.html", NEWS),
    # a repost of a news agency's article is still a repost: the domain decides, not the path
    ("http://soairport.com/politics/2020-02/20/c_1125601921.htm", REPOST),
    ("https://www.3haojob.com/aa/16491381599144.html", REPOST),
    # a lookalike domain is not the government's
    ("http://fakegov.cn/a.html", REPOST),
    ("http://www.gov.cn.example.com/a.html", REPOST),
    ("policies/import/通知.docx", FILE),
    ("ftp://www.gov.cn/a.txt", FILE),
])
def test_kind_from_the_domain(address, expected):
    assert sources.kind(address) == expected


def test_official_first_then_news_then_reposts_each_in_written_order():
    written = ["http://a.example.com/1", "http://gansu.gscn.com.cn/2", "http://b.example.com/3",
               "http://www.gov.cn/4", "原件.docx", "http://cx.pingliang.gov.cn/5"]
    assert sources.ordered(written) == [
        ("http://www.gov.cn/4", OFFICIAL), ("http://cx.pingliang.gov.cn/5", OFFICIAL),
        ("http://gansu.gscn.com.cn/2", NEWS),
        ("http://a.example.com/1", REPOST), ("http://b.example.com/3", REPOST), ("原件.docx", FILE)]
    assert sources.has_official(written)
    assert not sources.has_official(written[:3])


def test_every_source_in_policies_has_a_kind_and_the_government_sites_are_official(library):
    b = library.current()
    seen = {s: sources.kind(s) for i in b.docs for s in b.document(i).sources}
    assert set(seen.values()) <= {OFFICIAL, NEWS, REPOST, FILE}
    official = {s for s, k in seen.items() if k == OFFICIAL}
    assert official == {s for s in seen if ".gov.cn/" in s}
    # the social-insurance notice is held from reposts only: no official text
    assert not sources.has_official(b.document("rsbf-2020-11").sources)
