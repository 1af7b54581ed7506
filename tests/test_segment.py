"""The segmentation engine (rjieba) gives jieba's own tokens, project dictionary included."""
import logging
from collections import Counter
import unicodedata
from pathlib import Path

import jieba
import pytest

from kb import segment

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reference_jieba():
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word, freq in segment.dictionary_words():
        tokenizer.add_word(word, freq)
    return tokenizer


def _paragraphs(paths, limit_chars):
    for path in paths:
        text = path.read_text(encoding="utf-8")[:limit_chars]
        yield from (p for p in text.split("\n") if p.strip())


def _assert_same(tokenizer, paragraphs):
    compared = 0
    for para in paragraphs:
        norm = segment.normalise(para)
        assert segment.cut(para) == list(tokenizer.cut(norm, HMM=False)), para[:60]
        # what the index holds: jieba's search-mode words, among them every word a query looks for
        indexed = segment.presegment(para).split()
        searched = [w for w in tokenizer.cut_for_search(norm, HMM=False) if segment.indexable(w)]
        assert indexed == searched, para[:60]
        assert Counter(segment.words(para)) <= Counter(indexed), para[:60]
        compared += 1
    assert compared > 0


def test_identical_tokens_on_project_documents(reference_jieba):
    _assert_same(reference_jieba, _paragraphs(sorted((ROOT / "policies").glob("*.md")), 100_000))


def test_identical_tokens_on_a_corpus_sample(reference_jieba, corpus):
    files = sorted(corpus.rglob("*.md"))
    sample = files[:: max(1, len(files) // 60)]
    _assert_same(reference_jieba, _paragraphs(sample, 20_000))


def test_project_dictionary_keeps_policy_terms_whole():
    for term in ("援企稳岗", "稳岗返还", "社会保险费", "规上工业企业", "中小微企业", "个体工商户", "留抵退税", "复工复产"):
        assert segment.cut(f"关于{term}的规定") == ["关于", term, "的", "规定"]


def test_long_words_also_index_their_parts():
    assert segment.words("中小微企业社会保险费") == ["中小微企业", "社会保险费"]
    indexed = segment.presegment("中小微企业社会保险费").split()
    assert indexed[:3] == ["中小", "企业", "中小微企业"]
    assert indexed[-1] == "社会保险费" and {"社会", "保险费"} <= set(indexed[3:])


def test_full_width_and_case_are_normalised():
    assert segment.cut("ＬＰＲ２０２０") == segment.cut("lpr2020")


@pytest.mark.parametrize("text", [
    "ＡＢＣ１２３，（一）　全角", "e\u0301 and ｅ\u0301", "①②⑴ ﬁ ㎡ ㈱", "第（三）项：２０２０年", "Ｉｎｃ．\u3000与",
    *[p.read_text(encoding="utf-8") for p in sorted(Path(__file__).resolve().parent.parent.joinpath("policies").glob("*.md"))],
])
def test_normalise_is_exactly_nfkc_and_lower_case(text):
    assert segment.normalise(text) == unicodedata.normalize("NFKC", text).lower()
