"""Which measures apply to an enterprise: its profile against the clauses' `conditions`.

A clause's conditions (policies/README.md, 适用条件) are judged one by one: met, not met, or open
(the profile does not say, or only the clause's words state it: conditions_text). A clause is not
applicable when one condition is not met; applicable otherwise, and then certain (确定可以享受) when
nothing is open, possible (可能可以享受) with the open ones named, fewest first. A clause without
conditions is undetermined: the data cannot tell, so it is neither matched nor dropped. Without a
date in the profile, the measure's period is an open condition (today is never assumed: these
measures are historical and the user chooses the date they care about); a measure whose end was
never published is in force on any date after its start, and the result says that once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from . import periods
from .citation import cite, url
from .model import Clause, Document
from .profile import REGIONS, Profile, normalise_region, parse_date, within
from .taxonomy import taxonomy

if TYPE_CHECKING:   # the checker imports this module, and the library imports the checker
    from .library import Snapshot

APPLICABLE, NOT_APPLICABLE, UNDETERMINED = "applicable", "not_applicable", "undetermined"
# an applicable measure is certain when every condition is met, possible while some are open
CERTAIN, POSSIBLE = "certain", "possible"
STATUS_LABELS = {APPLICABLE: "可以享受", NOT_APPLICABLE: "不适用", UNDETERMINED: "未能自动判断",
                 CERTAIN: "确定可以享受", POSSIBLE: "可能可以享受"}
MET, FAILED, OPEN = "met", "failed", "open"

LIST_CONDITIONS = ("size", "sector", "region", "exclude_region")
BOOL_CONDITIONS = {   # condition → what the enterprise must be
    "small_scale_taxpayer": "增值税小规模纳税人",
    "key_supply_enterprise": "疫情防控重点保障企业（列入名单）",
    "hardship": "受疫情影响生产经营困难的企业",
}
PERIOD_CONDITIONS = {"from", "until"}
CONDITIONS = (*LIST_CONDITIONS, *BOOL_CONDITIONS, "max_insured_staff", "max_layoff_rate", "from", "until")
COMPLETE_COVERAGES = ("官方全文", "要点摘要")   # the others leave clauses out (policies/README.md)
LEVEL_ORDER = ("国家", "省", "市", "部门")
BENEFIT_LABELS = {"rate": "比例", "amount": "金额", "period": "期限"}
UNDETERMINED_REASON = "条款没有标注机器可判断的适用条件，请阅读条款原文自行判断"


# ---------------------------------------------------------------- the conditions schema

def _items(value) -> list:
    return value if isinstance(value, list) else [value]


def condition_problems(conditions: dict) -> list[str]:
    """What is wrong with a clause's `conditions` mapping, one message per problem (for the checker)."""
    tax = taxonomy()
    choices = {"size": ("企业规模", tax.enterprise_types), "sector": ("行业", tax.sectors),
               "region": ("地区", tuple(REGIONS)), "exclude_region": ("地区", tuple(REGIONS))}
    problems = []
    for key, value in conditions.items():
        if key not in CONDITIONS:
            problems.append(f"未知的适用条件“{key}”，可用：{'、'.join(CONDITIONS)}")
        elif key in choices:
            what, allowed = choices[key]
            for v in _items(value):
                if not isinstance(v, str) or v not in allowed:
                    hint = f"（请写作“{normalise_region(v)}”）" if isinstance(v, str) and normalise_region(v) in allowed else ""
                    problems.append(f"适用条件 {key} 中有未知的{what}“{v}”{hint}，可选：{'、'.join(allowed)}")
        elif key in BOOL_CONDITIONS:
            if not isinstance(value, bool):
                problems.append(f"适用条件 {key} 应为 true 或 false，而不是“{value}”")
        elif key == "max_insured_staff":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"适用条件 max_insured_staff 应为不小于 0 的整数（人数），而不是“{value}”")
        elif key == "max_layoff_rate":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                problems.append(f"适用条件 max_layoff_rate 应为 0 到 1 之间的小数（如 0.2 表示 20%），而不是“{value}”")
        elif parse_date(value) is None:
            problems.append(f"适用条件 {key} 的日期“{value}”无法解析，请写成 YYYY-MM-DD")
    start, end = parse_date(conditions.get("from", "")), parse_date(conditions.get("until", ""))
    if start and end and end < start:
        problems.append(f"适用条件的截止日期 {end} 早于开始日期 {start}")
    return problems


# ---------------------------------------------------------------- judging one clause

@dataclass
class Judgement:
    status: str
    reasons: list[str] = field(default_factory=list)
    open_conditions: list[str] = field(default_factory=list)
    unstated: list[str] = field(default_factory=list)   # profile fields left open that an open condition hinges on
    open_ended: bool = False                            # judged in force although no end date is published
    period: str = ""                                    # as people write it (period_text)

    @property
    def certain(self) -> bool:
        """Applicable with every condition met: nothing left for the user to confirm."""
        return self.status == APPLICABLE and not self.open_conditions


def written_date(date: dt.date, ref: dt.date | None = None) -> str:
    """2020年3月15日, or 3月15日 beside a date of the same year (as people write a span)."""
    day = f"{date.month}月{date.day}日"
    return day if ref and ref.year == date.year else f"{date.year}年{day}"


def _percent(rate: float) -> str:
    return f"{rate * 100:g}%"


def _joined(names: list[str], last: str) -> str:
    """甲、乙和丙 (last="和") or 甲、乙或丙 (last="或")."""
    return names[0] if len(names) == 1 else f"{'、'.join(names[:-1])}{last}{names[-1]}"


def _sizes(sizes: list[str], last: str = "和") -> str:
    """中型、小型、微型企业和个体工商户: the enterprise sizes as people name them."""
    firms = [s for s in sizes if s != "个体工商户"]
    names = ([f"{'、'.join(firms)}企业"] if firms else []) + [s for s in sizes if s == "个体工商户"]
    return _joined(names, last)


def _place(region: str) -> str:
    """嘉峪关 → 嘉峪关市, 甘肃 → 甘肃省 (a region inside another is a city)."""
    if region not in REGIONS:
        return region
    return region + ("市" if REGIONS[region] else "省")


def _places(regions: list[str], last: str = "、") -> str:
    return _joined([_place(r) for r in regions], last)


def _judge_list(key: str, allowed: list[str], profile: Profile) -> tuple[str, str]:
    if key == "size":
        if profile.size is None:
            return OPEN, f"须为{_sizes(allowed, '或')}"
        if profile.size in allowed:
            return MET, f"{_sizes([profile.size])}在适用范围内（{_sizes(allowed)}）"
        return FAILED, f"只适用于{_sizes(allowed)}，本企业为{_sizes([profile.size])}"
    if key == "sector":
        if not profile.sector:
            return OPEN, f"须属于{_joined(allowed, '或')}行业"
        common = [s for s in profile.sector if s in allowed]
        if common:
            return MET, f"行业为{'、'.join(common)}，在适用行业之列（{'、'.join(allowed)}）"
        return FAILED, f"只适用于{_joined(allowed, '和')}行业，本企业属于{'、'.join(profile.sector)}"
    if profile.region is None:
        return OPEN, f"须位于{_places(allowed, '或')}" if key == "region" else f"须位于{_places(allowed)}以外"
    here = within(profile.region)
    hit = [r for r in allowed if r in here]
    inside = [r for r in allowed if profile.region in REGIONS.get(r, ())]   # a part of the profile's region
    vague = f"（您只填了{_place(profile.region)}，请确认）"
    if key == "region":
        if hit:
            return MET, f"位于{_place(profile.region)}，在适用地区（{_places(allowed)}）内"
        if inside:
            return OPEN, f"须位于{_places(inside, '或')}{vague}"
        return FAILED, f"只适用于{_places(allowed, '或')}的企业，本企业位于{_place(profile.region)}"
    if hit:
        return FAILED, f"不适用于{_places(hit)}的企业，本企业位于{_place(profile.region)}"
    if inside:
        return OPEN, f"须位于{_places(inside)}以外{vague}"
    return MET, f"位于{_place(profile.region)}，不在排除的地区（{_places(allowed)}）"


def _judge_bool(key: str, required: bool, profile: Profile) -> tuple[str, str]:
    what, stated = BOOL_CONDITIONS[key], getattr(profile, key)
    if stated is None:
        return OPEN, f"{'须为' if required else '须不是'}{what}"
    if stated == required:
        return MET, f"{'是' if stated else '不是'}{what}"
    return FAILED, f"只适用于{what}，本企业不是" if required else f"不适用于{what}，本企业是"


def _judge_number(key: str, limit, profile: Profile) -> tuple[str, str]:
    if key == "max_insured_staff":
        stated, shown = profile.insured_staff, f"{limit}人"
        what, value = "参保职工人数", f"{profile.insured_staff}人"
    else:
        stated, shown = profile.layoff_rate, _percent(limit)
        what, value = "裁员率", _percent(profile.layoff_rate) if profile.layoff_rate is not None else ""
    if stated is None:
        return OPEN, f"{what}须不超过{shown}"
    if stated <= limit:
        return MET, f"{what}{value}，不超过{shown}"
    return FAILED, f"只适用于{what}不超过{shown}的企业，本企业{what}为{value}"


def period_text(start: dt.date | None, end: dt.date | None, issued: dt.date | None) -> str:
    """A measure's period as people write it: 2020年3月1日至5月31日, 自2020年1月1日起，截止日期未公布."""
    if start is None and issued is None:
        return f"至{written_date(end)}止，起始日期未记录" if end else "执行期限本库未记录"
    since = f"自{written_date(start)}起" if start else f"自{written_date(issued)}发文起"
    if end is None:
        return f"{since}，截止日期未公布"
    if start:
        return f"{written_date(start)}至{written_date(end, start)}"
    return f"{since}至{written_date(end, issued)}"


def _judge_period(start: dt.date | None, end: dt.date | None, issued: dt.date | None,
                  date: dt.date | None) -> list[tuple[str, str]]:
    """Whether the profile's date falls in the measure's period. Without a recorded start, a measure
    is taken to run from its document's date (nothing is in force before it is issued); without a
    published end, it runs until it is ended, as any measure does (the result says so once)."""
    begin = start or issued
    span = period_text(start, end, issued)
    if date is None:
        if begin is None and end is None:
            return [(OPEN, "执行期限本库未记录，请确认享受时措施仍在执行")]
        return [(OPEN, f"须在执行期内：{span}")]
    day = written_date(date, begin or end)
    if begin is None and end is None:
        return [(OPEN, f"执行期限本库未记录，请确认{day}时措施正在执行")]
    if start and date < start:
        return [(FAILED, f"措施自{written_date(start)}起执行，{day}尚未开始")]
    if not start and issued and date < issued:
        return [(FAILED, f"文件{written_date(issued)}才发布，{day}时尚未出台")]
    if end and date > end:
        return [(FAILED, f"措施已于{written_date(end)}截止，{day}已过")]
    if begin is None:
        return [(MET, f"{day}未过截止日期（{written_date(end)}）"),
                (OPEN, f"起始日期本库未记录，请确认{day}时措施已经开始执行")]
    return [(MET, f"{day}在执行期内，{span}" if span.startswith("自") else f"{day}在执行期内（{span}）")]


# the profile field an open condition hinges on: saying it settles the condition
_FIELD_OF = {"size": "size", "sector": "sector", "region": "region", "exclude_region": "region",
             **{key: key for key in BOOL_CONDITIONS},
             "max_insured_staff": "insured_staff", "max_layoff_rate": "layoff_rate"}


def judge(conditions: dict | None, profile: Profile, effective_from: dt.date | None = None,
          effective_until: dt.date | None = None, conditions_text: list[str] | None = None,
          issued: dt.date | None = None) -> Judgement:
    """A clause's conditions (None when it has none) against a profile; the document's effective dates
    stand in for the clause's own from/until, and its date (issued) for an unrecorded start."""
    outcomes: list[tuple[str, str, str | None]] = []   # (met/failed/open, what, profile field left open)
    for key, value in (conditions or {}).items():
        if key in LIST_CONDITIONS:
            kind, text = _judge_list(key, [str(v) for v in _items(value)], profile)
        elif key in BOOL_CONDITIONS:
            kind, text = _judge_bool(key, bool(value), profile)
        elif key in ("max_insured_staff", "max_layoff_rate"):
            kind, text = _judge_number(key, value, profile)
        else:
            continue
        outcomes.append((kind, text, _FIELD_OF[key] if kind == OPEN else None))
    start = parse_date((conditions or {}).get("from", "")) or effective_from
    end = parse_date((conditions or {}).get("until", "")) or effective_until
    # a date settles the period only where one is recorded
    dated = "date" if profile.date is None and (start or end or issued) else None
    outcomes.extend((kind, text, dated if kind == OPEN else None)
                    for kind, text in _judge_period(start, end, issued, profile.date))
    outcomes.extend((OPEN, text, None) for text in conditions_text or [])
    span = period_text(start, end, issued)
    failed = [m for kind, m, _ in outcomes if kind == FAILED]
    open_conditions = [m for kind, m, _ in outcomes if kind == OPEN]
    unstated = list(dict.fromkeys(f for kind, _, f in outcomes if kind == OPEN and f))
    if failed:
        return Judgement(NOT_APPLICABLE, failed, open_conditions, unstated, period=span)
    open_ended = profile.date is not None and end is None and (start or issued) is not None
    if conditions is None:
        return Judgement(UNDETERMINED, [UNDETERMINED_REASON], open_conditions, unstated, open_ended, span)
    met = [m for kind, m, _ in outcomes if kind == MET]
    if not set(conditions) - PERIOD_CONDITIONS:
        met.insert(0, "对各类企业普遍适用")
    elif not met:
        met.append("没有不符合的条件，适用与否取决于下列待确认条件")
    return Judgement(APPLICABLE, met, open_conditions, unstated, open_ended, span)


# ---------------------------------------------------------------- matching the library

NO_TEXT = "仅目录信息"
ALWAYS_CAVEAT = "这些是2020年的阶段性措施，引用中注明了文件今天的效力状态；申请前请以主管部门的规定为准。"
OPEN_ENDED_CAVEAT = "截止日期未公布的措施按仍在执行判断；此后是否另行公告截止，请向主管部门确认。"


@dataclass
class MatchItem:
    doc_id: str
    title: str
    doc_no: str
    clause: str           # the label as written (empty for an unnumbered point)
    path: str
    heading: str
    citation: str
    url: str
    area: str             # the support area it is listed under (its first)
    areas: list[str]
    status: str           # the document's status today (they are historical measures)
    reasons: list[str]
    open_conditions: list[str]
    unstated: list[str]   # the profile fields that would settle some of the open conditions
    period: str           # the measure's period as people write it
    benefit: dict[str, str]
    deadline: str
    department: str
    region: str


@dataclass
class MatchResult:
    profile: Profile
    certain: list[MatchItem] = field(default_factory=list)
    possible: list[MatchItem] = field(default_factory=list)    # fewest open conditions first
    not_applicable: list[MatchItem] = field(default_factory=list)
    undetermined: list[MatchItem] = field(default_factory=list)
    incomplete: list[dict] = field(default_factory=list)   # documents whose clauses are not all recorded
    caveats: list[str] = field(default_factory=list)       # what holds for every item, said once

    @property
    def applicable(self) -> list[MatchItem]:
        """Certain, then possible: every measure not ruled out by a stated condition."""
        return self.certain + self.possible

    @property
    def without_text(self) -> list[dict]:
        """The documents of which no clause is held (嘉峪关's own 13条 and 48条), the city's first:
        none of their measures can be matched."""
        levels = {level: n for n, level in enumerate(reversed(LEVEL_ORDER))}
        return sorted((d for d in self.incomplete if d["coverage"] == NO_TEXT),
                      key=lambda d: (levels.get(d["level"], len(levels)), d["doc_id"]))

    @property
    def partly_held(self) -> list[dict]:
        return [d for d in self.incomplete if d["coverage"] != NO_TEXT]

    def grouped(self, status: str) -> list[tuple[str, list[MatchItem]]]:
        """(support area, items) in taxonomy order, for one of the groups (certain, not_applicable, …)."""
        groups: dict[str, list[MatchItem]] = {}
        for item in getattr(self, status):
            groups.setdefault(item.area, []).append(item)
        return list(groups.items())

    def by_open_count(self) -> list[tuple[int, list[MatchItem]]]:
        """The possible measures by how many conditions are left to confirm, fewest first."""
        groups: dict[int, list[MatchItem]] = {}
        for item in self.possible:
            groups.setdefault(len(item.open_conditions), []).append(item)
        return list(groups.items())

    def to_json(self) -> dict:
        return {
            "profile": self.profile.to_json(),
            "caveats": self.caveats,
            CERTAIN: [asdict(i) for i in self.certain],
            POSSIBLE: [asdict(i) for i in self.possible],
            APPLICABLE: [asdict(i) for i in self.applicable],   # both, as before the split
            NOT_APPLICABLE: [asdict(i) for i in self.not_applicable],
            UNDETERMINED: [asdict(i) for i in self.undetermined],
            "incomplete": self.incomplete,
        }


def _chain(doc: Document, clause: Clause) -> list[Clause]:
    """The clause and the units above it, innermost first."""
    chain = [clause]
    while chain[-1].parent and (parent := doc.clause(chain[-1].parent)):
        chain.append(parent)
    return chain


def _nearest(chain: list[Clause], key: str) -> str:
    return next((str(c.meta[key]) for c in chain if c.meta.get(key)), "")


def _conditions(chain: list[Clause]) -> dict | None:
    """Conditions of a unit and those above it (inner ones win); None when none are stated."""
    stated = [c.meta["conditions"] for c in reversed(chain) if isinstance(c.meta.get("conditions"), dict)]
    if not stated:
        return None
    merged: dict = {}
    for conditions in stated:
        merged.update(conditions)
    return merged


def _measures(doc: Document) -> list[Clause]:
    """The clauses to judge: every unit except a heading that only groups units with their own terms."""
    parents = {c.parent for c in doc.clauses}
    return [c for c in doc.clauses if c.path not in parents or "conditions" in c.meta]


def _item(doc: Document, clause: Clause, chain: list[Clause], judgement: Judgement) -> MatchItem:
    areas = clause.areas or doc.areas
    return MatchItem(
        doc_id=doc.id, title=doc.title, doc_no=doc.doc_no, clause=clause.label, path=clause.path,
        heading=clause.display_heading, citation=cite(doc.title, doc.doc_no, doc.status, clause.path, clause.heading),
        url=url(doc.id, clause.path), area=areas[0], areas=list(areas), status=doc.status,
        reasons=judgement.reasons, open_conditions=judgement.open_conditions, unstated=judgement.unstated,
        period=judgement.period,
        benefit={k: v for k in BENEFIT_LABELS if (v := _nearest(chain, k))},
        deadline=_nearest(chain, "deadline"), department=_nearest(chain, "department"),
        region=_nearest(chain, "region"),
    )


def _caveats(profile: Profile, open_ended: bool) -> list[str]:
    if profile.date is None:
        first = "没有选择日期：各措施是否在执行期内需要您确认，已列为待确认的条件。"
    else:
        first = f"按{written_date(profile.date)}时的执行期判断。"
    return [first, *([OPEN_ENDED_CAVEAT] if open_ended else []), ALWAYS_CAVEAT]


def match(snapshot: Snapshot, profile: Profile) -> MatchResult:
    """Every measure of the documents with support areas (laws have none), judged for one profile;
    every policy document not wholly held is named, with areas or not (嘉峪关's own 13条 and 48条,
    of which nothing is held, have none)."""
    result = MatchResult(profile)
    area_order = {name: n for n, name in enumerate(taxonomy().area_names)}
    ranked = []
    open_ended = False
    for doc_id, entry in snapshot.docs.items():
        if entry["type"] in taxonomy().law_types:
            continue
        doc = periods.derived(snapshot, snapshot.document(doc_id))    # periods as held extensions move them
        if doc.coverage not in COMPLETE_COVERAGES:
            result.incomplete.append({"doc_id": doc.id, "title": doc.title, "short_title": doc.short_title,
                                      "level": doc.level, "coverage": doc.coverage,
                                      "coverage_note": doc.coverage_note, "url": url(doc.id)})
        if not entry["areas"]:
            continue
        for n, clause in enumerate(_measures(doc)):
            chain = _chain(doc, clause)
            texts = list(dict.fromkeys(str(c.meta["conditions_text"]) for c in chain if c.meta.get("conditions_text")))
            judgement = judge(_conditions(chain), profile, doc.effective_from, doc.effective_until, texts, doc.date)
            open_ended |= judgement.open_ended and judgement.status != NOT_APPLICABLE
            item = _item(doc, clause, chain, judgement)
            level = LEVEL_ORDER.index(doc.level) if doc.level in LEVEL_ORDER else len(LEVEL_ORDER)
            group = (CERTAIN if judgement.certain else POSSIBLE) if judgement.status == APPLICABLE else judgement.status
            ranked.append(((area_order.get(item.area, len(area_order)), level, entry["date"], doc.id, n), group, item))
    for _, group, item in sorted(ranked, key=lambda r: r[0]):
        getattr(result, group).append(item)
    result.possible.sort(key=lambda i: len(i.open_conditions))   # stable: area order among equals
    result.incomplete.sort(key=lambda d: d["doc_id"])
    result.caveats = _caveats(profile, open_ended)
    return result
