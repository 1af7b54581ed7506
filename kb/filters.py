"""The search filters and facets, declared once: the CLI's options, the web's parameters, the
engine's masks, the facet counts and their titles all come from this list.

A filter either reads a clause's own tags (a bit set in the record arrays: support areas, kinds of
enterprise) or its document's value (level, issuers, status, coverage, type), or bounds a date of
its document (成文日期 from, to: a day, YYYY-MM-DD, the bound included). Values within one filter are
alternatives (或); different filters must all hold.
"""
from __future__ import annotations

from dataclasses import dataclass

from .taxonomy import taxonomy


@dataclass(frozen=True)
class Filter:
    key: str                  # the parameter: ?level=国家, --level 国家
    title: str                # what the page calls it
    field: str                # what it reads: a record bit set, or a catalog field of the document
    tagged: bool = False      # a clause's own tag (bit set), else its document's value
    untagged_match: bool = False   # a clause without any such tag passes (it names no restriction)
    facet: str = ""           # the name its counts have in a result's facets ("" when not counted)
    vocabulary: str = ""      # the taxonomy list its values come from ("" for open values)
    bound: str = ""           # "from" or "to": one end of a range over the document's date field (one day)


FILTERS = (
    Filter("area", "支持领域", "areas", tagged=True, facet="areas", vocabulary="area_names"),
    Filter("level", "发文层级", "level", facet="level", vocabulary="levels"),
    Filter("issuer", "发文机关", "issuers", facet="issuer"),
    # a clause naming no kind of enterprise applies to every kind (困难企业缓缴 for any size)
    Filter("enterprise", "企业类型", "enterprise", tagged=True, untagged_match=True, facet="enterprise",
           vocabulary="enterprise_types"),
    Filter("status", "效力状态", "status", facet="status", vocabulary="statuses"),
    Filter("coverage", "收录范围", "coverage", vocabulary="coverages"),
    Filter("type", "文档类型", "type", vocabulary="doc_types"),
    # which documents were written (or issued) then, unlike as_of: which measures were in force on a day
    Filter("date_from", "成文日期起", "date", bound="from"),
    Filter("date_to", "成文日期止", "date", bound="to"),
)
BY_KEY = {f.key: f for f in FILTERS}
FACETS = tuple(f for f in FILTERS if f.facet)


def choices(f: Filter) -> tuple[str, ...]:
    """The values a filter accepts (empty: any value)."""
    return tuple(getattr(taxonomy(), f.vocabulary)) if f.vocabulary else ()
