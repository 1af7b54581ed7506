"""A timeline of measures' periods, laid out for the server-rendered SVG of _timeline.html (no script):
one row per document and period (the clauses of a document sharing a period share a row), the
chosen date marked. Positions are percentages of the width, so the picture fits a phone as a
desktop and its text keeps its size. The same rows make the table that screen readers read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb import periods
from kb.citation import url
from kb.library import Snapshot
from kb.match import MatchResult

# characters of a row's label in the picture, wide and at phone width (the table holds it whole)
LABEL_CHARS, SHORT_LABEL_CHARS = 48, 22
ROW_HEIGHT, AXIS_HEIGHT = 44, 46      # pixels: a label line above a bar; a line of years above the months


@dataclass
class Row:
    name: str                     # the document as people call it
    what: str                     # its measures in the row: a heading (and how many more)
    url: str
    period: periods.Period
    state: periods.State | None   # on the chosen date
    x: float = 0.0                # where the bar starts and how wide it is, in % of the width
    width: float = 0.0
    open_end: bool = False        # no end published: the bar runs to the edge, fading

    @property
    def label(self) -> str:
        return _fit(self.name, self.what, LABEL_CHARS)

    @property
    def short_label(self) -> str:
        """At phone width the measure alone (its document is in the table and behind the link)."""
        return _cut(self.what, SHORT_LABEL_CHARS)

    @property
    def period_text(self) -> str:
        return periods.in_words(self.period.text())

    @property
    def state_text(self) -> str:
        return periods.in_words(self.state.label) if self.state else ""

    @property
    def css(self) -> str:
        if self.state is None:
            return "plain"
        return {True: "in-force", False: "lapsed"}.get(self.state.in_force, "unknown")


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _fit(name: str, what: str, most: int) -> str:
    """名称：措施 in at most `most` characters, each part keeping a share of them when cut."""
    if len(name) + 1 + len(what) <= most:
        return f"{name}：{what}"
    shown = _cut(what, max(most // 2, most - 1 - len(name)))
    return f"{_cut(name, most - 1 - len(shown))}：{shown}"


@dataclass
class Tick:
    x: float
    month: str                    # 3月
    year: str = ""                # 2020年, above January and the first month shown
    minor: bool = False           # left out at phone width: every other month from each year, and the one before a year


@dataclass
class Timeline:
    caption: str
    day: dt.date | None
    rows: list[Row]
    unknown: list[Row] = field(default_factory=list)     # no period recorded: in the table, not drawn
    ticks: list[Tick] = field(default_factory=list)
    day_x: float = 0.0

    axis_height: int = AXIS_HEIGHT
    row_height: int = ROW_HEIGHT

    @property
    def height(self) -> int:
        return AXIS_HEIGHT + ROW_HEIGHT * len(self.rows) + 8

    @property
    def states(self) -> set[str]:
        """The row kinds drawn (in-force, lapsed, unknown, plain): the key lists these only."""
        return {r.css for r in self.rows}

    def count(self, in_force: bool | None) -> int:
        return sum(1 for r in self.rows + self.unknown if r.state and r.state.in_force is in_force)

    @property
    def day_text(self) -> str:
        """The chosen date as the pages write dates (2020年3月15日)."""
        return periods.in_words(self.day.isoformat()) if self.day else ""

    @property
    def summary(self) -> str:
        """What the picture shows, in one sentence (its description for screen readers)."""
        total = len(self.rows) + len(self.unknown)
        if self.day is None:
            return f"共 {total} 项措施的执行期限。"
        return (f"共 {total} 项措施；{self.day_text}在执行期内的 {self.count(True)} 项，"
                f"不在执行期内的 {self.count(False)} 项，执行期限待确认的 {self.count(None)} 项。")


def _month(day: dt.date, ahead: int = 0) -> dt.date:
    months = day.year * 12 + day.month - 1 + ahead
    return dt.date(months // 12, months % 12 + 1, 1)


def _lay_out(timeline: Timeline) -> Timeline:
    """Positions on an axis from the month of the earliest start to the month after the latest end
    (or the chosen date, or an open end's start), whole months."""
    drawn = [r for r in timeline.rows if r.period.known]
    timeline.unknown += [r for r in timeline.rows if not r.period.known]
    timeline.rows = sorted(drawn, key=lambda r: (r.period.begin or r.period.end, r.period.end or dt.date.max, r.name))
    if not timeline.rows:
        return timeline
    days = [d for r in timeline.rows for d in (r.period.begin, r.period.end) if d] + ([timeline.day] if timeline.day else [])
    first, last = _month(min(days)), _month(max(days), 1)
    if any(r.period.end is None for r in timeline.rows):
        last = _month(last, 1)      # room for an open end to show as one
    span = (last - first).days

    def x(day: dt.date) -> float:
        return round(100 * (day - first).days / span, 2)

    for row in timeline.rows:
        start = row.period.begin or first
        row.open_end = row.period.end is None
        end = (row.period.end + dt.timedelta(days=1)) if row.period.end else last
        row.x, row.width = x(start), max(x(end) - x(start), 0.6)
    month, since_year = first, 0
    while month < last:
        major = month == first or month.month == 1
        since_year = 0 if major else since_year + 1
        timeline.ticks.append(Tick(x(month), f"{month.month}月", f"{month.year}年" if major else "", since_year % 2 == 1))
        month = _month(month, 1)
    for tick, following in zip(timeline.ticks, timeline.ticks[1:]):
        tick.minor = tick.minor or bool(following.year)
    if timeline.day:
        timeline.day_x = x(timeline.day)
    return timeline


def _rows(snapshot: Snapshot, measures: list[tuple[str, str, str]], day: dt.date | None) -> list[Row]:
    """One row per document and period over (doc id, clause path, heading) measures, in their order."""
    grouped: dict[tuple[str, periods.Period], list[tuple[str, str]]] = {}
    for doc_id, path, heading in measures:
        grouped.setdefault((doc_id, periods.period(snapshot, doc_id, path)), []).append((path, heading))
    rows = []
    for (doc_id, period), clauses in grouped.items():
        d = snapshot.docs[doc_id]
        path, heading = clauses[0]
        what = heading if len(clauses) == 1 else f"{heading} 等 {len(clauses)} 条"
        rows.append(Row(d["short_title"] or d["title"], what, url(doc_id, path if len(clauses) == 1 else ""), period,
                        period.state(day) if day else None))
    return rows


def for_area(snapshot: Snapshot, groups, day: dt.date | None) -> Timeline:
    """The measures of an area page (kb.browse.area_documents' groups)."""
    measures = [(g.doc["id"], c.path, c.heading) for g in groups for c in g.clauses]
    return _lay_out(Timeline("本领域各项措施的执行期", day, _rows(snapshot, measures, day)))


def for_match(snapshot: Snapshot, result: MatchResult) -> Timeline:
    """The measures a matched enterprise may enjoy, and those its date alone rules out (their one
    reason not met is the period): which covered the day chosen and which had lapsed."""
    day = result.profile.date
    lapsed = [i for i in result.not_applicable
              if day and len(i.reasons) == 1 and periods.state(snapshot, i.doc_id, i.path, day).in_force is False]
    measures = [(i.doc_id, i.path, i.heading) for i in result.applicable + lapsed]
    return _lay_out(Timeline("可以享受和因日期不适用的措施的执行期", day, _rows(snapshot, measures, day)))
