"""Clause metadata that claims more than the clause: an enterprise tag narrower than the clause's
conditions, and a condition the clause's own words do not name.

Matching (kb.match) reads `conditions`; the 企业类型 filter of search reads `enterprise`. When a tag
leaves out a size the conditions admit, that enterprise never sees the measure; when a condition asks
for more than the text says, the matcher tells an enterprise 不适用 for a measure the source gives it
(the content audit of 2026-12 found both). Only what words can settle is judged: a region is not (a
provincial measure need not name its province), nor a period (often worked out from 不超过5个月).
"""
from __future__ import annotations

from .model import Clause

# how a clause's words name an enterprise size; a word may name several (小微 is 小型 and 微型)
SIZE_WORDS = {
    "大型": ("大型企业", "大企业"),
    "中型": ("中型", "中小"),
    "小型": ("小型", "小微", "中小", "小企业"),
    "微型": ("微型", "小微"),
    "个体工商户": ("个体工商户", "个体户"),
}
# words saying that every enterprise, whatever its size, is covered (individual businesses are not 企业)
EVERY_ENTERPRISE = ("所有企业", "各类企业", "全部企业")
ENTERPRISE_SIZES = ("大型", "中型", "小型", "微型")
# a yes/no condition → the words that name it, and what it asks for
FLAG_WORDS = {
    "small_scale_taxpayer": (("小规模纳税人",), "须为增值税小规模纳税人"),
    "key_supply_enterprise": (("重点保障", "名单"), "须为疫情防控重点保障企业"),
    "hardship": (("困难",), "须为生产经营困难的企业"),
}


def _listed(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _chain(clause: Clause, by_path: dict[str, Clause]) -> list[Clause]:
    """The clause and the units above it, outermost first (inner conditions win, as in matching)."""
    chain = [clause]
    while chain[0].parent and chain[0].parent in by_path:
        chain.insert(0, by_path[chain[0].parent])
    return chain


def _words(clause: Clause, clauses: list[Clause]) -> str:
    """What the clause and the units under it say: headings, text and conditions_text."""
    return "\n".join(f"{c.heading}\n{c.text}\n{c.meta.get('conditions_text') or ''}" for c in clauses
                     if c.path == clause.path or c.path.startswith(clause.path + "/"))


def _names_size(words: str, size: str) -> bool:
    return any(w in words for w in SIZE_WORDS.get(size, (size,)))


def _percent(rate: float) -> str:
    return f"{round(rate * 100, 6):g}%"


def _unnamed(conditions: dict, words: str) -> list[str]:
    """What each condition asks for that the words do not name."""
    out = []
    for size in _listed(conditions.get("size") or []):
        if not _names_size(words, size):
            out.append(f"size 的“{size}”")
    for sector in _listed(conditions.get("sector") or []):
        if sector not in words and sector[:2] not in words:
            out.append(f"sector 的“{sector}”")
    for key, (names, asks) in FLAG_WORDS.items():
        if conditions.get(key) is True and not any(n in words for n in names):
            out.append(f"{key}（{asks}）")
    staff = conditions.get("max_insured_staff")
    if _number(staff) and f"{staff:g}人" not in words:
        out.append(f"max_insured_staff（参保职工不超过{staff:g}人）")
    rate = conditions.get("max_layoff_rate")
    if _number(rate) and _percent(rate) not in words:
        out.append(f"max_layoff_rate（裁员率不超过{_percent(rate)}）")
    return out


def _problems(clause: Clause, merged: dict, clauses: list[Clause]) -> list[str]:
    out = []
    sizes = _listed(merged.get("size") or [])
    tags = _listed(clause.meta.get("enterprise") or [])
    if tags and (missing := [s for s in sizes if s not in tags]):
        out.append(f"企业类型 enterprise 没有列出适用条件 size 中的{'、'.join(missing)}，"
                   f"按企业类型筛选时这些企业找不到这一条（请补进 enterprise，或改正 size）")
    own = clause.meta.get("conditions")
    if isinstance(own, dict):
        words = _words(clause, clauses)
        for what in _unnamed(own, words):
            out.append(f"适用条件 {what}在条款标题、正文和 conditions_text 中都没有提到；"
                       f"条件不能比原文更严（原文另有要求时写进正文或 conditions_text）")
        own_sizes = _listed(own.get("size") or [])
        said = next((w for w in EVERY_ENTERPRISE if w in words), "")
        if own_sizes and said and (left_out := [s for s in ENTERPRISE_SIZES if s not in own_sizes]):
            out.append(f"正文说“{said}”都适用，适用条件 size 却没有{'、'.join(left_out)}，条件比原文窄"
                       f"（不分规模时去掉 size，分情况适用时写进 conditions_text）")
    return out


def check(parsed) -> None:
    """The clauses of a parsed file (kb.docformat.ParsedFile), each problem at the clause's meta block."""
    by_path = {c.path: c for c in parsed.clauses}
    for clause in parsed.clauses:
        merged: dict = {}
        for unit in _chain(clause, by_path):
            if isinstance(unit.meta.get("conditions"), dict):
                merged.update(unit.meta["conditions"])
        for message in _problems(clause, merged, parsed.clauses):
            parsed.problem(clause.meta.get("_line", clause.line), f"条款 {clause.path}：{message}")
