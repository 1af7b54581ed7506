"""The everyday questions recorded for clauses (kb/asked.yaml): what they change in the ranking, and that
the file names real clauses in the askers' own words."""
from __future__ import annotations

import pytest
import yaml

from kb import asked
from kb.check import check_paths
from kb.library import Library
from kb.search import search
from tests.conftest import POLICIES

QUESTION = "报税晚了几天会不会罚钱"
ANSWER = ("szh-2020-27", "二")        # the notice extending February 2020's filing deadline: its 二
TITLE = "关于进一步延长2020年2月份纳税申报期限有关事项的通知"


def _recorded(*questions: str) -> asked.Asked:
    return asked.Asked(" ".join(questions), tuple(map(asked.pairs, questions)))


@pytest.fixture
def recorded_as(policies_index, monkeypatch):
    """A library over policies/ whose clauses have only the recorded questions given (title, clause) → Asked."""
    def open_with(table: dict) -> Library:
        monkeypatch.setattr(asked, "_table", lambda: table)
        asked._by_pair.cache_clear()
        return Library(policies_index)      # opened anew: its snapshot reads them afresh
    yield open_with
    asked._by_pair.cache_clear()


def _rank(library, q: str, answer=ANSWER) -> int | None:
    found = [(h.doc_id, h.path) for h in search(library, q, limit=10).hits]
    return found.index(answer) + 1 if answer in found else None


def test_a_clause_people_ask_for_in_these_words_ranks_first(recorded_as):
    unrecorded = _rank(recorded_as({}), QUESTION)
    assert unrecorded != 1 and _rank(recorded_as({(TITLE, "二"): _recorded(QUESTION)}), QUESTION) == 1
    # a question recorded for another clause gives this one nothing
    assert _rank(recorded_as({(TITLE, "一"): _recorded(QUESTION)}), QUESTION) != 1


def test_a_question_is_like_the_nearest_recorded_one_even_in_other_words():
    recorded = _recorded("小微企业社保能免吗", "缓缴公积金要去哪里申请")
    same = asked.likeness(recorded, asked.pairs("小微企业社保能免吗？"), 1.0)
    near = asked.likeness(recorded, asked.pairs("小公司社保能不交吗"), 0.0)
    far = asked.likeness(recorded, asked.pairs("电费能打折吗"), 0.0)
    assert same == 1.0 and far < near < 0.5


def test_a_clause_whose_recorded_question_is_near_is_found_though_its_text_shares_no_word(recorded_as):
    q, answer = "存房子的钱单位能停一停吗", ("jj-2020-23", "一")       # the housing fund deferral
    title = "关于妥善应对新冠肺炎疫情实施住房公积金阶段性支持政策的通知"
    assert _rank(recorded_as({}), q, answer) is None
    assert _rank(recorded_as({(title, "一"): _recorded("单位存房子的钱能停一停吗")}), q, answer) is not None
    # a recorded question unlike the query brings nothing
    assert _rank(recorded_as({(title, "一"): _recorded("公积金贷款利率多少")}), q, answer) is None


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return yaml.safe_load(asked.ASKED_FILE.read_text(encoding="utf-8"))


def test_every_entry_is_a_clause_with_questions(entries):
    assert entries and len({(e["title"], e["clause"]) for e in entries}) == len(entries)
    for e in entries:
        assert set(e) == {"title", "clause", "asked"} and e["asked"] and all(isinstance(q, str) and q.strip() for q in e["asked"])


def test_the_questions_for_policies_name_their_clauses_and_do_not_repeat_them(entries):
    docs = {d.title: d for d in check_paths(sorted(POLICIES.glob("*.md")))[0]}
    own = [e for e in entries if e["title"] in docs]
    assert own      # the 2020 measures have recorded questions
    for e in own:
        clause = docs[e["title"]].clause(e["clause"])
        assert clause is not None, f"{e['title']} 没有条款 {e['clause']}"
        # the askers' words: no question repeats twelve characters of its clause
        text = clause.heading + clause.text
        for q in e["asked"]:
            assert not any(q[i:i + 12] in text for i in range(len(q) - 11)), q

