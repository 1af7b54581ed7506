"""Which measures apply to an enterprise: its profile against the clauses' `conditions`.

A clause's conditions (policies/README.md, 适用条件) are judged one by one: met, not met, or open
(the profile does not say). A clause is not applicable when one condition is not met, applicable
otherwise, with the open ones listed for the user to confirm. A clause without conditions is
undetermined: the data cannot tell, so it is neither matched nor dropped. Without a date in the
profile, the measure's period is an open condition (today is never assumed: these measures are
historical and the user chooses the date they care about).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .citation import cite, url
from .model import Clause, Document
from .profile import REGIONS, Profile, normalise_region, parse_date, within
from .taxonomy import taxonomy

if TYPE_CHECKING:   # the checker imports this module, and the library imports the checker
    from .library import Build

APPLICABLE, NOT_APPLICABLE, UNDETERMINED = "applicable", "not_applicable", "undetermined"
STATUS_LABELS = {APPLICABLE: "可以享受", NOT_APPLICABLE: "不适用", UNDETERMINED: "未能自动判断"}
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


def _percent(rate: float) -> str:
    return f"{rate * 100:g}%"


def _judge_list(key: str, allowed: list[str], profile: Profile) -> tuple[str, str]:
    shown = "、".join(allowed)
    if key == "size":
        if profile.size is None:
            return OPEN, f"企业规模须为：{shown}"
        if profile.size in allowed:
            return MET, f"企业规模为{profile.size}，在适用范围（{shown}）内"
        return FAILED, f"只适用于{shown}，本企业为{profile.size}"
    if key == "sector":
        if not profile.sector:
            return OPEN, f"所属行业须为：{shown}"
        common = [s for s in profile.sector if s in allowed]
        if common:
            return MET, f"所属行业{'、'.join(common)}在适用行业（{shown}）内"
        return FAILED, f"只适用于{shown}行业，本企业为{'、'.join(profile.sector)}"
    if profile.region is None:
        return OPEN, f"{'须位于' if key == 'region' else '须不位于'}：{shown}"
    here = within(profile.region)
    hit = [r for r in allowed if r in here]
    inside = [r for r in allowed if profile.region in REGIONS.get(r, ())]   # a part of the profile's region
    if key == "region":
        if hit:
            return MET, f"所在地区{profile.region}属于适用地区（{shown}）"
        if inside:
            return OPEN, f"须位于{'、'.join(inside)}（已知位于{profile.region}，请确认）"
        return FAILED, f"只适用于位于{shown}的企业，本企业位于{profile.region}"
    if hit:
        return FAILED, f"不适用于位于{'、'.join(hit)}的企业"
    if inside:
        return OPEN, f"须不位于{'、'.join(inside)}（已知位于{profile.region}，请确认）"
    return MET, f"所在地区{profile.region}不在{shown}，不属于排除范围"


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


def _judge_period(start: dt.date | None, end: dt.date | None, issued: dt.date | None,
                  date: dt.date | None) -> list[tuple[str, str]]:
    """Whether the profile's date falls in the measure's period. Without a recorded start, a measure
    is taken to run from its document's date (nothing is in force before it is issued)."""
    span = f"{start or (f'{issued}发布' if issued else '（起始日期未记录）')} 至 {end or '（截止日期未记录）'}"
    if date is None:
        if start is None and end is None and issued is None:
            return [(OPEN, "执行期限本库未记录，请确认享受时措施仍在执行")]
        return [(OPEN, f"须在执行期内：{span}（未填日期，请确认）")]
    if start and date < start:
        return [(FAILED, f"措施自{start}起执行，所选日期{date}尚未开始")]
    if not start and issued and date < issued:
        return [(FAILED, f"文件于{issued}发布，所选日期{date}时尚未出台")]
    if end and date > end:
        return [(FAILED, f"措施已于{end}截止，所选日期{date}已过")]
    out = []
    if start or end or issued:
        out.append((MET, f"{date}在执行期（{span}）内"))
    if end is None:
        out.append((OPEN, f"截止日期本库未记录，请确认{date}时措施仍在执行"))
    elif start is None and issued is None:
        out.append((OPEN, f"起始日期本库未记录，请确认{date}时措施已经开始执行"))
    return out


def judge(conditions: dict | None, profile: Profile, effective_from: dt.date | None = None,
          effective_until: dt.date | None = None, conditions_text: list[str] | None = None,
          issued: dt.date | None = None) -> Judgement:
    """A clause's conditions (None when it has none) against a profile; the document's effective dates
    stand in for the clause's own from/until, and its date (issued) for an unrecorded start."""
    outcomes: list[tuple[str, str]] = []
    for key, value in (conditions or {}).items():
        if key in LIST_CONDITIONS:
            outcomes.append(_judge_list(key, [str(v) for v in _items(value)], profile))
        elif key in BOOL_CONDITIONS:
            outcomes.append(_judge_bool(key, bool(value), profile))
        elif key in ("max_insured_staff", "max_layoff_rate"):
            outcomes.append(_judge_number(key, value, profile))
    start = parse_date((conditions or {}).get("from", "")) or effective_from
    end = parse_date((conditions or {}).get("until", "")) or effective_until
    outcomes.extend(_judge_period(start, end, issued, profile.date))
    outcomes.extend((OPEN, text) for text in conditions_text or [])
    failed = [m for kind, m in outcomes if kind == FAILED]
    open_conditions = [m for kind, m in outcomes if kind == OPEN]
    if failed:
        return Judgement(NOT_APPLICABLE, failed, open_conditions)
    if conditions is None:
        return Judgement(UNDETERMINED, [UNDETERMINED_REASON], open_conditions)
    met = [m for kind, m in outcomes if kind == MET]
    if not set(conditions) - PERIOD_CONDITIONS:
        met.insert(0, "对各类企业普遍适用")
    elif not met:
        met.append("没有不符合的条件，适用与否取决于下列待确认条件")
    return Judgement(APPLICABLE, met, open_conditions)


# ---------------------------------------------------------------- matching the library

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
    benefit: dict[str, str]
    deadline: str
    department: str
    region: str


@dataclass
class MatchResult:
    profile: Profile
    applicable: list[MatchItem] = field(default_factory=list)
    not_applicable: list[MatchItem] = field(default_factory=list)
    undetermined: list[MatchItem] = field(default_factory=list)
    incomplete: list[dict] = field(default_factory=list)   # documents whose clauses are not all recorded

    def grouped(self, status: str) -> list[tuple[str, list[MatchItem]]]:
        """(support area, items) in taxonomy order, for one of applicable/not_applicable/undetermined."""
        groups: dict[str, list[MatchItem]] = {}
        for item in getattr(self, status):
            groups.setdefault(item.area, []).append(item)
        return list(groups.items())

    def to_json(self) -> dict:
        return {
            "profile": self.profile.to_json(),
            APPLICABLE: [asdict(i) for i in self.applicable],
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
        heading=clause.display_heading, citation=cite(doc.title, doc.doc_no, doc.status, clause.path),
        url=url(doc.id, clause.path), area=areas[0], areas=list(areas), status=doc.status,
        reasons=judgement.reasons, open_conditions=judgement.open_conditions,
        benefit={k: v for k in BENEFIT_LABELS if (v := _nearest(chain, k))},
        deadline=_nearest(chain, "deadline"), department=_nearest(chain, "department"),
        region=_nearest(chain, "region"),
    )


def match(build: Build, profile: Profile) -> MatchResult:
    """Every measure of the documents with support areas (laws have none), judged for one profile."""
    result = MatchResult(profile)
    area_order = {name: n for n, name in enumerate(taxonomy().area_names)}
    ranked = []
    for doc_id, entry in build.docs.items():
        if not entry["areas"]:
            continue
        doc = build.document(doc_id)
        if doc.coverage not in COMPLETE_COVERAGES:
            result.incomplete.append({"doc_id": doc.id, "title": doc.title, "coverage": doc.coverage,
                                      "coverage_note": doc.coverage_note, "url": url(doc.id)})
        for n, clause in enumerate(_measures(doc)):
            chain = _chain(doc, clause)
            texts = list(dict.fromkeys(str(c.meta["conditions_text"]) for c in chain if c.meta.get("conditions_text")))
            judgement = judge(_conditions(chain), profile, doc.effective_from, doc.effective_until, texts, doc.date)
            item = _item(doc, clause, chain, judgement)
            level = LEVEL_ORDER.index(doc.level) if doc.level in LEVEL_ORDER else len(LEVEL_ORDER)
            ranked.append(((area_order.get(item.area, len(area_order)), level, entry["date"], doc.id, n),
                           judgement.status, item))
    for _, status, item in sorted(ranked, key=lambda r: r[0]):
        getattr(result, status).append(item)
    result.incomplete.sort(key=lambda d: d["doc_id"])
    return result
