"""Chinese word segmentation: jieba's algorithm and dictionary plus the project dictionary.

The engine is rjieba (the Rust port of jieba), which gives jieba's tokens exactly with HMM off
(tests/test_segment.py proves it on a corpus sample) at a fraction of the cost. HMM stays off so
that the tokens of a text never depend on its neighbours' guesses: index and query agree.

Index words: jieba's search mode, that is each word of the accurate mode and the shorter dictionary
words inside a long one, so 银行贷款 in the text is found by 贷款. Queries look for accurate-mode
words.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import rjieba

USER_DICT = Path(__file__).with_name("userdict.txt")

# Standalone function words that carry no meaning for search.
STOP_WORDS = frozenset("的 了 和 与 及 或 等 在 是 对 为 将 由 其 之 把 被 以 于 并 而 也 都 就 这 那 该 各 所".split())

_init_lock = threading.Lock()
_initialised = False


def dictionary_words(path: Path = USER_DICT) -> list[tuple[str, int | None]]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or line.startswith("#"):
            continue
        words.append((parts[0], int(parts[1]) if len(parts) > 1 else None))
    return words


def initialise() -> None:
    """Load the project dictionary once per process."""
    global _initialised
    if _initialised:
        return
    with _init_lock:
        if not _initialised:
            for word, freq in dictionary_words():
                rjieba.add_word(word, freq, None)
            _initialised = True


# What NFKC makes of the full-width forms and the ideographic space: the only characters in most
# Chinese text that it changes, so mapping them first usually leaves nothing for NFKC to do
_FULL_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})


# 帐 for an account (帐簿, 查帐, 帐户): long written so, in older laws too, and still typed so (traditional
# 帳 becomes 帐), where the documents now write 账. A tent or a curtain (帐篷, 蚊帐) keeps its 帐.
ACCOUNT = re.compile(r"(?<![蚊营纱床])帐(?![篷幕子])")


def normalise(text: str) -> str:
    """Full-width forms to half-width, letters to lower case (Unicode NFKC), 帐 of an account as 账:
    what index and query both see."""
    return accounts(forms(text))


def forms(text: str) -> str:
    """Full-width forms to half-width, letters to lower case (Unicode NFKC)."""
    text = text.translate(_FULL_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def accounts(text: str) -> str:
    """帐 of an account as 账, one character for one (a text's character map is kept)."""
    return ACCOUNT.sub("账", text) if "帐" in text else text


@lru_cache(maxsize=1 << 18)     # words repeat: a corpus has far fewer distinct words than tokens
def indexable(word: str) -> bool:
    """A word worth a place in the index: not blank, not a function word, holding a letter or digit."""
    return bool(word.strip()) and word not in STOP_WORDS and (word.isalnum() or len(word) > 1 and any(c.isalnum() for c in word))


def cut(text: str) -> list[str]:
    """Accurate-mode words of normalised text, without HMM (the engine's only cutting entry)."""
    initialise()
    return rjieba.cut(normalise(text), False)


def words(text: str) -> list[str]:
    """The accurate-mode words of a text worth looking for (what a query searches)."""
    return [w for w in cut(text) if indexable(w)]


def search_words(text: str) -> list[str]:
    """jieba's search-mode words of a text: each word and the shorter dictionary words inside it."""
    initialise()
    return rjieba.cut_for_search(normalise(text), False)


def presegment(text: str) -> str:
    """What the index holds of a text, space-separated: jieba's search-mode words, that is each
    accurate-mode word and the shorter dictionary words inside it (银行贷款 is found by 贷款)."""
    return " ".join(w for w in search_words(text) if indexable(w))


@lru_cache(maxsize=4096)
def pieces(word: str) -> tuple[str, ...]:
    """Dictionary words (or single characters) that tile a word: 银行贷款 → 银行, 贷款."""
    initialise()
    if len(word) <= 2:
        return tuple(word) if len(word) == 2 and not rjieba.has_word(word) else (word,)
    subs = sorted(((s, e, w) for w, s, e in rjieba.tokenize(word, "search", False) if e - s < len(word)),
                  key=lambda t: (t[0], -(t[1] - t[0])))
    tiles, pos = [], 0
    for s, e, w in subs:
        if s == pos:
            tiles.append(w)
            pos = e
    tiles.extend(word[pos:])
    return tuple(tiles) if len(tiles) > 1 else tuple(word)
