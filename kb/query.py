"""Query understanding: from what a person types to the concepts searched for.

Traditional characters are read as the simplified ones the documents use. Quoted text is a phrase;
everyday words expand to the documents' terms (synonyms.yaml); words that name a support area or a
kind of enterprise (援企稳岗, 小微企业) also match the clauses tagged with it (taxonomy.yaml); question
words and filler are dropped; each remaining word is one concept that a result should contain (in
its title, heading or text), matched as the word itself or as the dictionary words that tile it
(银行贷款 → 银行 + 贷款). Which concepts the index lacks is for the search to find out (kb/search.py): this
module knows only the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import cn2an
import opencc
import yaml
from . import segment, wordfreq
from .taxonomy import SAFE_LOADER, taxonomy

SYNONYM_FILE = Path(__file__).with_name("synonyms.yaml")
MAX_QUERY = 200          # characters searched; longer input is cut (and the user told)
MAX_RUN = 4              # words a synonym or filler phrase may span
FIELDS = (("title_t", 1.5), ("heading_t", 2.0), ("text_t", 1.0))    # searched, with their weight
OPTIONAL_BOOST = 0.3     # a lone character is rare as a token: its weight would outvote the real words
PHRASE_GAP = 2           # characters that may stand between the words of a quoted phrase (的, 和)
QUOTES = re.compile(r"[\"“”「」『』]")
SYNONYM_WEIGHT = 0.8     # a synonym's weight against the typed word's: what the user wrote counts most
THESAURUS_WEIGHT = 0.5   # a general thesaurus's synonym (kb/thesaurus.py) knows no policy or law
MONTH = re.compile(r"(\d{1,2})月份")     # 2月份 is written 2月 in the documents
ANSWER_BONUS = 0.3       # at most +30% for a clause stating the kind of figure asked for (几天 → 15天)
CN_DIGITS = "零〇一二两三四五六七八九十百千"
# numbers as people say them, as the documents write them: 百分之五十 → 50%, 两成 → 20%, 二月 → 2月,
# 四十八条 → 48条 (not after 第: 第四十八条 is a clause number, read by kb/refs.py)
SPOKEN_NUMBERS = (
    (re.compile(f"百分之([{CN_DIGITS}点]+)"), lambda n: f"{n}%"),
    (re.compile(f"([{CN_DIGITS}]{{1,3}})成(?![本立为员果功不就绩])"), lambda n: f"{n * 10:g}%" if n < 10 else None),
    (re.compile(f"(?<![第{CN_DIGITS}])([一二三四五六七八九十]{{1,3}})(?=月)"), lambda n: f"{n:g}" if 1 <= n <= 12 else None),
    (re.compile(f"(?<![第{CN_DIGITS}])([{CN_DIGITS}]{{2,6}})(?=条|亿|万|元|天|日|年|个月|小时|倍)"), lambda n: f"{n:g}"),
)
# what a question asks for, as the figure that answers it (几天 → a number of days in the clause).
# Read from the typed text before it is cut into words: the dictionary cuts 多少天 as 多少 + 天 and runs
# 做几个钟 together, and such words would otherwise be searched for as content.
_N = "[一二三四五六七八九十百千两]+"
_DAYS, _YEARS, _MONTHS = rf"\d+\s*[天日]|{_N}[天日]", rf"\d+\s*年|{_N}年", rf"\d+\s*个月|{_N}个月"
_HOURS = rf"\d+\s*(?:小时|个小时)|{_N}(?:小时|个小时)"
_SPAN = rf"\d+\s*(?:天|日|个月|年|小时)|{_N}(?:天|日|个月|年|小时)"
_PERCENT = r"\d+(?:\.\d+)?\s*%|百分之"
ASKS = {
    "几天": _DAYS, "多少天": _DAYS, "几日": _DAYS, "多少日": _DAYS,
    "几年": _YEARS, "多少年": _YEARS, "几个月": _MONTHS, "多少个月": _MONTHS,
    "多久": _SPAN, "多长时间": _SPAN, "多长": _SPAN, "多少时间": _SPAN,
    "几个小时": _HOURS, "几小时": _HOURS, "多少小时": _HOURS, "多少个小时": _HOURS, "几个钟": _HOURS, "几个钟头": _HOURS,
    "几倍": rf"\d+\s*倍|{_N}倍", "多少倍": rf"\d+\s*倍|{_N}倍",
    "多少钱": rf"\d+\s*(?:元|万元)|{_N}(?:元|万元)", "几块钱": rf"\d+\s*元|{_N}元",
    "几号": r"\d+\s*[日号]", "哪天": r"\d+\s*[日号]", "哪一天": r"\d+\s*[日号]",
    "几成": _PERCENT, "几折": _PERCENT, "打几折": _PERCENT, "几个点": _PERCENT, "百分之几": _PERCENT, "多少个点": _PERCENT,
    "几级": rf"{_N}级|\d+\s*级", "几岁": rf"\d+\s*周?岁|{_N}周?岁", "多大": rf"\d+\s*周?岁|{_N}周?岁",
    "多少": r"\d", "几个": r"\d",
}
ASK_WORDS = re.compile("|".join(sorted(map(re.escape, ASKS), key=len, reverse=True)))


@cache
def vocabulary() -> tuple[dict[str, list[str]], frozenset[str]]:
    data = yaml.load(SYNONYM_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    synonyms = {segment.normalise(k): [segment.normalise(v) for v in vs if v != k]
                for k, vs in (data.get("synonyms") or {}).items()}
    return synonyms, frozenset(segment.normalise(w) for w in data.get("filler") or [])


@cache
def metadata_words() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Words naming a support area or kinds of enterprise → (record field, its values)."""
    tax = taxonomy()
    out = {segment.normalise(w): ("areas", (a.name,)) for a in tax.areas for w in (a.name, *a.words)}
    out.update({segment.normalise(w): ("enterprise", kinds) for w, kinds in tax.enterprise_words.items()})
    return out


@lru_cache(maxsize=1024)
def in_order(words: tuple[str, ...]) -> re.Pattern:
    """The words in order, close together: how a quoted phrase reads in the text, since the index
    drops function words (银行的贷款 holds the phrase 银行 贷款)."""
    return re.compile(f".{{0,{PHRASE_GAP}}}".join(map(re.escape, words)))


@dataclass
class Concept:
    word: str
    alternatives: list[str] = field(default_factory=list)   # synonyms searched as well
    phrase: bool = False
    required: bool = True
    tags: tuple[str, tuple[str, ...]] | None = None    # (record field, values) the word names: ("areas", ("援企稳岗",))
    weak: list[str] = field(default_factory=list)      # thesaurus synonyms, weighed below the others

    def found_in(self, text: str) -> str:
        """The form of this concept that normalised text contains ("" when none): the word, a synonym,
        or the dictionary words that tile it, all present (银行贷款 in 银行的贷款; 解除劳动合同 in
        解除或者终止劳动合同)."""
        for w in self.words:
            w = w.replace(" ", "")
            if w in text:
                return w
            tiles = segment.pieces(w)
            if len(tiles) > 1 and all(t in text for t in tiles):
                return tiles[0]
        return ""

    @property
    def words(self) -> list[str]:
        return [self.word, *self.alternatives, *self.weak]

    def subword(self) -> str:
        """The longest dictionary word of two characters or more inside the typed word, when the typed
        word is made of several (加班 of 加班费): "" for a phrase, a tag word or a word of one piece."""
        if self.phrase or self.tags or " " in self.word:
            return ""
        tiles = [t for t in segment.pieces(self.word) if len(t) > 1]
        if len(segment.pieces(self.word)) < 2 or not tiles:
            return ""
        return max(tiles, key=len)

    def forms(self) -> list[tuple[list[str], float]]:
        """The index tokens of each form with its weight: a phrase's words as typed, each word or
        synonym segmented."""
        if self.phrase:
            return [(self.word.split(" "), 1.0)]
        weighted = [(self.word, 1.0), *((w, SYNONYM_WEIGHT) for w in self.alternatives),
                    *((w, THESAURUS_WEIGHT) for w in self.weak)]
        return [(tokens, weight) for w, weight in weighted for tokens in [segment.words(w)] if tokens]


@dataclass
class ParsedQuery:
    raw: str
    text: str
    concepts: list[Concept]
    dropped: list[str]
    truncated: bool
    asks: list[re.Pattern] = field(default_factory=list)    # the figures a question asks for (几天 → days)

    @property
    def expansions(self) -> list[str]:
        return list(dict.fromkeys(a for c in self.concepts for a in (*c.alternatives, *c.weak)))

    @property
    def required(self) -> list[Concept]:
        """The concepts a result should hold: the lone characters only when nothing else was typed."""
        return [c for c in self.concepts if c.required] or self.concepts

    def highlight_words(self) -> list[str]:
        words = []
        for c in self.concepts:
            for w in c.words:
                words.append(w)
                words.extend(p for p in segment.pieces(w) if len(p) > 1)
        return words


def _runs(words: list[str], i: int, table) -> int:
    """Length of the longest run of words from i that the table holds, 0 when none does."""
    for n in range(min(MAX_RUN, len(words) - i), 0, -1):
        if "".join(words[i:i + n]) in table:
            return n
    return 0


def parse(raw: str) -> ParsedQuery:
    raw = raw or ""
    text = " ".join(raw.split())
    truncated = len(text) > MAX_QUERY
    # traditional characters become simplified after the width forms are read, and 帳 then reads as 账
    text = MONTH.sub(r"\1月", spoken_numbers(segment.accounts(_simplified().convert(segment.normalise(text[:MAX_QUERY])))))
    synonyms, filler = vocabulary()
    concepts: list[Concept] = []
    dropped: list[str] = []
    asked: list[str] = []

    def add(concept: Concept) -> None:
        if all(c.word != concept.word for c in concepts):
            concepts.append(concept)

    parts = QUOTES.split(text)
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and i < len(parts) - 1        # an unbalanced last quote is plain text
        if quoted:
            words = segment.words(part)
            if words:
                add(Concept(" ".join(words), phrase=True))
            continue
        # a space the user typed parts words: synonyms and filler are matched within each stretch
        asked.extend(ASK_WORDS.findall(part))
        for stretch in ASK_WORDS.sub(" ", part).split():
            _read(segment.cut(stretch), synonyms, filler, add, dropped)
    dropped = [*asked, *dropped]
    asks = [_ask(ASKS[w]) for w in dict.fromkeys(asked)]
    for c in concepts:
        # policies write 60日, laws 六十日: a count is searched in both
        if not c.phrase and c.word.isascii() and c.word.isdigit() and 10 <= int(c.word) < 1000:
            c.alternatives.append(cn2an.an2cn(c.word))
    return ParsedQuery(raw, text, concepts, dropped, truncated, asks)


@cache
def _simplified() -> opencc.OpenCC:
    """Traditional characters as the documents write them (社會保險 → 社会保险): people in Hong Kong,
    Taiwan or with a traditional input method ask too. Simplified text passes unchanged."""
    return opencc.OpenCC("t2s")


@cache
def _ask(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def spoken_numbers(text: str) -> str:
    """Chinese numerals that count something written as digits, as the documents write them."""
    for pattern, write in SPOKEN_NUMBERS:
        def digits(m: re.Match) -> str:
            try:
                n = cn2an.cn2an(m.group(1).replace("〇", "零"), "smart")
            except (ValueError, KeyError):
                return m.group(0)
            out = write(n)
            return m.group(0) if out is None else out
        text = pattern.sub(digits, text)
    return text


def _read(words: list[str], synonyms: dict[str, list[str]], filler: frozenset[str], add, dropped: list[str]) -> None:
    """Concepts from the words of one stretch of typed text. Synonyms and filler are matched on word
    boundaries, so the synonym 免房租 is not read into 减免房租."""
    words = [w for w in _decimals(words) if w.strip() and any(ch.isalnum() for ch in w)]
    at = 0
    while at < len(words):
        n = max(_runs(words, at, synonyms), _runs(words, at, tags := metadata_words()))
        if n:
            key = "".join(words[at:at + n])
            add(Concept(key, list(synonyms.get(key, ())), tags=tags.get(key)))
            at += n
            continue
        if MONTH_WORD.fullmatch(words[at] + "".join(words[at + 1:at + 2])):
            # a month (2月) dates an answer, it rarely decides one: counted when present
            add(Concept(words[at] + words[at + 1], required=False))
            at += 2
            continue
        n = _runs(words, at, filler) or (1 if words[at] in segment.STOP_WORDS else 0)
        if n:
            dropped.append("".join(words[at:at + n]))
            at += n
            continue
        # characters the dictionary does not know as words run together (竞业限制 → 竞 业 限制): one word;
        # a character that is a word by itself stands alone (钱只够 is 钱 + 只 + 够)
        end = at + 1
        while _piece(words[at]) and end < len(words) and _piece(words[end]) and not _runs(words, end, synonyms) \
                and not _runs(words, end, filler) and words[end] not in segment.STOP_WORDS:
            end += 1
        word = "".join(words[at:end])
        # a lone character (领, 交, 天, 不) is too vague to demand, but still counts when present
        add(Concept(word, required=not _lone(word)))
        at = end


MONTH_WORD = re.compile(r"\d{1,2}月")


def _decimals(words: list[str]) -> list[str]:
    """The dictionary cuts 1.5 as 1 + . + 5: one number again, or its digits would run together as 15."""
    out: list[str] = []
    for w in words:
        if w.isdigit() and len(out) > 1 and out[-1] == "." and out[-2].isdigit():
            out[-2:] = [out[-2] + "." + w]
        else:
            out.append(w)
    return out


def _piece(word: str) -> bool:
    """A lone character that is no word by itself: a piece of a word the dictionary lacks."""
    return _lone(word) and not wordfreq.word_alone(word)


def _lone(word: str) -> bool:
    return len(word) == 1 and ("\u4e00" <= word <= "\u9fff" or word.isdigit())
