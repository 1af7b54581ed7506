"""The engine (kb/engine/) against Whoosh itself: the arrays it reads and the scores it computes must
be what Whoosh's own matchers and BM25F give on the same index."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
from whoosh import query as Q
from whoosh.scoring import BM25F

import kb.workers
from kb import segment
from kb.engine import scoring, writing
from kb.engine.codec import Codec
from kb.engine.postings import Postings
from kb.engine.scoring import TILED_BOOST
from kb.index import build, current_build
from kb.library import Library
from kb.query import FIELDS, parse
from kb.search import search
from tests.conftest import POLICIES


@pytest.fixture(scope="module")
def small_blocks(tmp_path_factory):
    """policies/ indexed with 8 postings per block, so that common words span many blocks."""
    root = tmp_path_factory.mktemp("small-blocks")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(writing, "Codec", lambda: Codec(blocklimit=8))
        build(POLICIES, root, progress=False)
    return Library(root)


def whoosh_postings(reader, field, term):
    m = reader.postings(field, term)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def test_postings_arrays_equal_whoosh_matchers_for_every_term(small_blocks):
    scorer = small_blocks.current().engine().scorer()
    reader = small_blocks.current().engine().reader()
    postings = Postings(reader, capacity=10**9)
    checked = multi_block = 0
    for field, _ in FIELDS:
        for term in reader.field_terms(field):
            ids, weights = postings.get(field, term, lambda field, ids, frequencies: frequencies)
            live = scorer.records.live[ids]
            want_ids, want_weights = whoosh_postings(reader, field, term)
            assert ids[live].tolist() == want_ids, (field, term)
            assert weights[live].tolist() == pytest.approx(want_weights), (field, term)
            checked += 1
            multi_block += len(ids) > 8
    assert checked > 1500 and multi_block > 100


def test_record_arrays_match_stored_fields_and_lengths(small_blocks):
    snapshot = small_blocks.current()
    r = snapshot.engine().scorer().records
    reader = snapshot.engine().reader()
    doc_ids = list(snapshot.docs)
    assert len(r) == reader.doc_count_all()
    for n in range(len(r)):
        f = reader.stored_fields(n)
        assert doc_ids[r.doc[n]] == f["doc_id"]
        assert r.clause[n] == (f["kind"] == "clause")
        assert sorted(a for a in r.area_names if r.bit_mask("areas", [a])[n]) == sorted(filter(None, f["areas"].split(",")))
        for field, _ in FIELDS:
            assert r.lengths[field][n] == (reader.doc_field_length(n, field) or 0)


@pytest.mark.parametrize("term", ["企业", "社会保险费", "贷款", "减免", "疫情"])
def test_single_word_scores_are_whoosh_bm25f(small_blocks, term):
    index = small_blocks.current().engine()
    scorer = index.scorer()
    searcher = index.ix.searcher(weighting=BM25F())
    for field, _ in FIELDS:
        want = {h.docnum: h.score for h in searcher.search(Q.Term(field, term), limit=None)}
        ids, scores = scorer._term(field, term)
        got = {int(i): float(s) for i, s in zip(ids, scores) if scorer.records.live[i]}
        assert got.keys() == want.keys()
        for n, s in want.items():
            assert got[n] == pytest.approx(s, rel=1e-5), (field, term, n)


@pytest.fixture(scope="module")
def churned(tmp_path_factory):
    """policies/ written by worker processes (a segment each), then changed twice by incremental
    builds: a document edited and one removed (their old records deleted, in the older segments),
    then another edited, each build adding a segment."""
    root = tmp_path_factory.mktemp("churned")
    policies = root / "policies"
    shutil.copytree(POLICIES, policies)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kb.workers, "MIN_ITEMS", 1)
        build(policies, root / "index", progress=False)
        doc = policies / "jj-2020-23.md"
        doc.write_text(doc.read_text(encoding="utf-8").replace("缓缴", "暂缓缴存"), encoding="utf-8")
        (policies / "rsbf-2020-11.md").unlink()
        build(policies, root / "index", progress=False)
        doc = policies / "gbf-2020-6.md"
        doc.write_text(doc.read_text(encoding="utf-8").replace("贷款", "借款", 1), encoding="utf-8")
        build(policies, root / "index", progress=False)
    return Library(root / "index")


def test_the_churned_index_has_several_segments_and_deleted_records(churned):
    index = churned.current().engine()
    records = index.scorer().records
    assert len(index.reader().leaf_readers()) >= 3
    assert 0 < records.live.sum() < len(records)


def whoosh_query(parsed, scorer) -> Q.Query:
    """The query as Whoosh's own objects: each concept an Or of its forms (a form's words all in one
    field, each field with its boost), the concepts And-ed, every weight carried on its terms. A
    one-word form also matches, where it is absent, the dictionary words tiling it (银行的贷款 for
    银行贷款) in the text, at TILED_BOOST."""
    concepts = []
    for c in parsed.concepts:
        factor = scorer.everyday_factor(c)
        forms = []
        for tokens, weight in c.forms():
            form = Q.Or([Q.And([Q.Term(field, t, boost=boost * weight * factor) for t in tokens]) for field, boost in FIELDS])
            tiles = segment.pieces(tokens[0])
            if len(tokens) == 1 and len(tiles) > 1 and min(map(len, tiles)) > 1:
                tiled = Q.And([Q.Term("text_t", t, boost=TILED_BOOST * factor) for t in tiles])
                form = Q.Or([form, Q.AndNot(tiled, form)])
            forms.append(form)
        concepts.append(Q.Or(forms))
    return Q.And(concepts)


# multi-word queries: typed words with their synonyms (房屋 租金, 用电 成本: forms of two words),
# words found through their tiles (住房公积金, 增值税), in fields of different boosts; none tagged
MULTI_WORD = ["社保 减免", "房租 减免", "社保 缓缴", "贷款 延期", "企业 贷款 利息", "失业 保险 返还",
              "职工 培训 补贴", "用电 成本 降低", "疫情 防控 物资", "住房公积金 缓缴", "增值税 小规模"]


@pytest.mark.parametrize("index_name", ["small_blocks", "churned"])
@pytest.mark.parametrize("q", MULTI_WORD)
def test_multi_word_scores_and_ranking_are_whoosh_bm25f(request, index_name, q):
    index = request.getfixturevalue(index_name).current().engine()
    scorer = index.scorer()
    parsed = parse(q)
    assert len(parsed.concepts) > 1 and all(c.required and not c.tags for c in parsed.concepts)
    want = {h.docnum: h.score for h in index.ix.searcher(weighting=BM25F()).search(whoosh_query(parsed, scorer), limit=None)}
    matched = scorer.match(parsed, scorer.allowed({}))
    full = matched.cover >= 1.0
    got = dict(zip(matched.ids[full].tolist(), matched.score[full].tolist()))
    assert want and got.keys() == want.keys(), q
    for n, score in want.items():
        assert got[n] == pytest.approx(score, rel=1e-5), (q, n)
    # the interface ranks them as Whoosh does: the best k, by score
    k = min(10, len(want))
    top = index.match(parsed, {}, k)
    assert top.total == len(want) and not top.relaxed
    assert top.scores == pytest.approx(sorted(want.values(), reverse=True)[:k], rel=1e-5)
    assert set(top.ids) <= want.keys()


def test_deleted_and_changed_documents_leave_no_live_records(policies_copy, tmp_path):
    root = tmp_path / "index"
    build(policies_copy, root, progress=False)
    (policies_copy / "rsbf-2020-11.md").unlink()
    doc = policies_copy / "jj-2020-23.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("缓缴", "暂缓缴存"), encoding="utf-8")
    build(policies_copy, root, progress=False)
    lib = Library(root)
    records = lib.current().engine().scorer().records
    assert records.live.sum() < len(records)      # the old records are still in the files
    assert "rsbf-2020-11" not in {h.doc_id for h in search(lib, "社保 减免", limit=50).hits}
    assert search(lib, "暂缓缴存", limit=5).hits[0].doc_id == "jj-2020-23"
    changed = [h for h in search(lib, "缓缴 住房公积金", limit=50).hits if h.doc_id == "jj-2020-23"]
    # the changed document is found by the word it kept; its old wording is nowhere in what is shown
    assert changed
    assert all("缓缴" not in h.snippet.replace("<mark>", "").replace("</mark>", "").replace("暂缓缴存", "")
               for h in changed)


def test_counts_and_facets_equal_a_count_over_the_matching_records(library):
    result = search(library, "企业", limit=100, facets=True)
    snapshot = library.current()
    scorer = snapshot.engine().scorer()
    matched = scorer.match(parse("企业"), scorer.allowed({}))
    reader = snapshot.engine().reader()
    rows = [reader.stored_fields(n) for n in matched.ids.tolist()]
    assert result.total == len(rows) > 20
    by_area: dict[str, int] = {}
    for f in rows:
        for a in filter(None, f["areas"].split(",")):
            by_area[a] = by_area.get(a, 0) + 1
    assert result.facets["areas"] == by_area
    levels: dict[str, int] = {}
    for f in rows:
        level = snapshot.docs[f["doc_id"]]["level"]
        levels[level] = levels.get(level, 0) + 1
    assert result.facets["level"] == levels


def test_filters_keep_only_records_with_the_value(library):
    hits = search(library, "企业", filters={"area": ["援企稳岗"], "level": ["国家"]}, limit=100).hits
    assert hits
    for h in hits:
        assert "援企稳岗" in h.areas and h.level == "国家"


def test_a_build_written_by_worker_processes_answers_as_one_written_alone(policies_copy, tmp_path):
    roots = {"alone": tmp_path / "alone", "workers": tmp_path / "workers"}

    def build_both():
        for name, threshold in (("alone", 10**9), ("workers", 1)):
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(kb.workers, "MIN_ITEMS", threshold)
                build(policies_copy, roots[name], progress=False)
        return Library(roots["alone"]), Library(roots["workers"])

    def same_answers(alone, workers):
        for q in ["社保 减免", "公积金 缓缴", "贷款 延期", "房租", "\"不合理审批\"", "增值税 小规模"]:
            a, w = search(alone, q, limit=20, facets=True), search(workers, q, limit=20, facets=True)
            assert [(h.doc_id, h.path, h.score) for h in w.hits] == [(h.doc_id, h.path, h.score) for h in a.hits], q
            assert (w.total, w.facets) == (a.total, a.facets), q

    alone, workers = build_both()
    assert len(workers.current().engine().reader().leaf_readers()) > 1
    same_answers(alone, workers)
    # then an ordinary incremental build on top of each: a changed and a removed document
    doc = policies_copy / "jj-2020-23.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("缓缴", "暂缓缴存"), encoding="utf-8")
    (policies_copy / "rsbf-2020-11.md").unlink()
    alone, workers = build_both()
    same_answers(alone, workers)
    assert search(workers, "暂缓缴存").hits[0].doc_id == "jj-2020-23"


def test_large_parts_are_written_as_separate_files_and_read_the_same(tmp_path):
    roots = {"alone": tmp_path / "alone", "separate": tmp_path / "separate"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kb.workers, "MIN_ITEMS", 10**9)
        build(POLICIES, roots["alone"], progress=False)
        mp.setattr(kb.workers, "MIN_ITEMS", 1)
        mp.setattr(writing, "SEPARATE_FILES", 1)
        build(POLICIES, roots["separate"], progress=False)
    built = current_build(roots["separate"])
    assert list(built.glob("*.pst")) and not list(built.glob("*.seg"))
    alone, separate = Library(roots["alone"]), Library(roots["separate"])
    for q in ["社保 减免", "公积金 缓缴", "房租"]:
        a, s = search(alone, q, limit=20, facets=True), search(separate, q, limit=20, facets=True)
        assert [(h.doc_id, h.path, h.score) for h in s.hits] == [(h.doc_id, h.path, h.score) for h in a.hits], q


def test_sorted_by_date_newest_first_and_by_score_within_a_date(library):
    hits = search(library, "企业", sort="date", limit=100).hits
    assert len(hits) > 20 and len({h.date for h in hits}) > 3
    keys = [(h.date, h.score) for h in hits]
    assert keys == sorted(keys, reverse=True)


# every path of the arithmetic: forms and tiles, subwords (保险费 of 社会保险费), area tags, an optional
# lone character, quoted phrases narrowed by refine
EVERY_PATH = [*MULTI_WORD, "社会保险费 减免", "小微企业 贷款", "稳岗 返还", "失业保险 稳岗返还", "法 企业 贷款",
              '企业 "贷款 利息"', '"社保 减免"']


@pytest.mark.parametrize("q", EVERY_PATH)
def test_few_records_sorted_and_many_spread_over_every_record_give_the_same_bits(churned, monkeypatch, q):
    """Records are summed over their sorted union when few and in arrays over every record when many
    (SPARSE_UNION): the same matches either way, scores and cover to the last bit, rankings, facets."""
    index = churned.current().engine()
    scorer = index.scorer()
    parsed = parse(q)

    def run(sparse_union):
        monkeypatch.setattr(scoring, "SPARSE_UNION", sparse_union)
        m = scorer.match(parsed, scorer.allowed({}))
        return ([m.ids.tolist(), m.score.tobytes(), m.cover.tobytes(), m.weights],
                [index.match(parsed, {}, 20, sort, facets=True, refine=lambda c, best: best(3))
                 for sort in ("relevance", "date")])

    few, many = run(0), run(10**9)
    assert few == many and few[0][0]


def test_the_best_few_among_equal_scores_are_the_first_records():
    # scores in tenths: many records tie. The best n are the best by score, then by record number,
    # for every n, so that a longer list begins with the shorter one
    key = np.round(np.random.default_rng(1).random(200), 1)
    order = np.lexsort((np.arange(200), -key))
    for n in (3, 10, 40):
        assert scoring.top(key, n).tolist() == order[:n].tolist()
    among = key < 0.9
    assert scoring.top(key, 10, among).tolist() == [i for i in order.tolist() if among[i]][:10]
