"""Re-ranking: how well one matched clause answers the query, beyond its text score.

The engine scores words over all records at once (kb/engine/scoring.py); the best few are then re-ranked
here with what only their stored text and catalog entry tell: the share of the question a clause
holds, whether its heading or first sentence states it (a measure above a passing mention), how near
its words stand, whether people asking for it use the same words (kb/asked.py), and what kind of
document it comes from.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import asked as kbasked
from . import query as kbquery
from .engine import SUBWORD_COVER
from .segment import normalise

if TYPE_CHECKING:
    from .library import Snapshot

LOCAL_LAW, HOME_REGION = "地方性法规", ("甘肃", "嘉峪关")   # the product serves 嘉峪关 enterprises
# by kind of document: a law, or a policy document itself, states the rule or measure an everyday
# question asks about; regulations and rules detail it; interpretations and cases explain it, guides
# retell it (the rule's own clause first when all of them answer)
PRIMARY = 1.0
TYPE_WEIGHT = {"法律": PRIMARY, "通知": PRIMARY, "公告": PRIMARY, "意见": PRIMARY, "方案": PRIMARY, "会议": PRIMARY,
               "行政法规": 0.85, "规范性文件": 0.85, "司法解释": 0.7, "案例": 0.45, "其他": 0.55}
OTHER_TYPES = 0.77        # 部门规章, 地方性法规, 新闻发布
OTHER_REGION = 0.4       # another region's local law
PROXIMITY = 0.3          # at most +30% for query words side by side
LEAD_BONUS = 0.5         # at most +50% for the query's words in the heading or first sentence
LONG_TEXT = 1500         # characters: a record longer than a long clause (a whole unstructured text) holds many words by chance
ASKED_BONUS = 6.0        # at most ×7 (chosen on tune and dev) for a clause whose recorded everyday questions (kb/asked.yaml) are like the query


def fit(snapshot: Snapshot, parsed: kbquery.ParsedQuery, weights: dict[str, float], docnum: int) -> float:
    """How fully and how closely a hit holds the query: the weighted share of required concepts it
    or the everyday questions recorded for it hold (squared, so a clause missing one ranks below those
    with all), whether its heading or first sentence states them (a measure above a passing mention),
    their nearness in the text, and how like the query its recorded questions are."""
    required = parsed.required
    where, text = snapshot.record_text(docnum)
    f = snapshot.record(docnum)
    tags = {"areas": (f.get("areas") or "").split(","), "enterprise": (f.get("enterprise") or "").split(",")}
    found = {c.word: c.found_in(where) or (c.tags is not None and bool(set(c.tags[1]) & set(tags[c.tags[0]])))
             for c in required}
    asked = kbasked.of(snapshot.docs[f["doc_id"]]["title"], f["label"], f["path"])
    # a concept the clause's recorded questions hold counts as held: they say in the askers' words what it answers
    in_asked = {c.word for c in required if asked and c.found_in(asked.text)}
    total = sum(weights.get(c.word, 1.0) for c in required) or 1.0
    held = sum(weights.get(c.word, 1.0) * (1.0 if found[c.word] or c.word in in_asked else
                                           SUBWORD_COVER if (sub := c.subword()) and sub in where else 0.0)
               for c in required)
    fit = (held / total) ** 2
    lead = normalise(f["heading"]) + text.split("。", 1)[0]
    stated = [c for c in required if isinstance(found[c.word], str) and found[c.word] and c.found_in(lead)]
    fit *= 1 + LEAD_BONUS * sum(weights.get(c.word, 1.0) for c in stated) / total
    in_text = [form for form in found.values() if isinstance(form, str) and form and form in text]
    if len(in_text) > 1:
        fit *= 1 + PROXIMITY * sum(map(len, in_text)) / window(text, in_text)
    if len(text) > LONG_TEXT:
        fit *= (LONG_TEXT / len(text)) ** 0.5
    if asked:
        said = sum(weights.get(c.word, 1.0) for c in required if c.word in in_asked) / total
        fit *= 1 + ASKED_BONUS * kbasked.likeness(asked, kbasked.pairs(parsed.text), said)
    if parsed.asks and any(p.search(text) for p in parsed.asks):
        fit *= 1 + kbquery.ANSWER_BONUS
    return fit


def window(text: str, forms: list[str]) -> int:
    """Characters of the shortest stretch of text that holds every form (each at least once)."""
    spots = []
    for i, form in enumerate(forms):
        at = text.find(form)
        while at >= 0:
            spots.append((at, i, at + len(form)))
            at = text.find(form, at + 1)
    spots.sort()
    starts, ends = [-1] * len(forms), [0] * len(forms)
    best, missing = len(text), len(forms)
    for start, i, end in spots:
        missing -= starts[i] < 0
        starts[i], ends[i] = start, end
        if not missing:
            best = min(best, max(ends) - min(starts))
    return max(best, 1)


def doc_weight(d: dict, latest: bool) -> float:
    """What the catalog knows about a document, as a multiplier of its records' text scores: the
    engine chooses the records to re-rank with it (kb/engine), and re-ranking applies it again."""
    weight = 1.0
    if d["status"] == "现行有效":
        weight *= 1.15
    if latest:
        weight *= 1.1
    # 其他 is weighed as the guides it mostly holds; one the library files under a support area is a
    # measure known from a report, weighed as a retold measure is
    weight *= OTHER_TYPES if d["type"] == "其他" and d["areas"] else TYPE_WEIGHT.get(d["type"], OTHER_TYPES)
    if d["type"] == LOCAL_LAW and not d["title"].startswith(HOME_REGION):
        weight *= OTHER_REGION        # another region's local law does not bind an enterprise here
    return weight


def prior(snapshot: Snapshot, doc_id: str, kind: str, named: set[str]) -> float:
    """What the catalog and the query know about a hit, as a multiplier of its text score."""
    prior = snapshot.doc_weights[doc_id]
    if doc_id in named:
        prior *= 2.0
    if kind == "doc":
        prior *= 0.7        # the document as a whole: below its own clause that answers
    return prior
