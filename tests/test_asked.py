"""The everyday questions recorded for clauses (kb/asked.yaml): what they change in the ranking, and that
the file names real clauses in the askers' own words."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from kb import asked, askedcheck
from kb.check import check_paths
from kb.importer import import_sources
from kb.library import Library
from kb.search import search
from tests.conftest import POLICIES, ROOT
from tests.test_check import write

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


def test_the_recorded_questions_name_real_clauses_of_policies_in_the_askers_own_words():
    checked = askedcheck.check(asked.ASKED_FILE, check_paths([POLICIES])[0])
    assert checked.problems == [] and checked.clauses > 900 and checked.questions > 7000


def test_every_law_with_recorded_questions_is_in_lawrefbook_with_the_clauses_named(corpus, tmp_path):
    """The laws are not in policies/: imported here, the file's titles and clauses are judged as the
    2020 measures' are."""
    entries = yaml.safe_load(asked.ASKED_FILE.read_text(encoding="utf-8"))
    policies = check_paths([POLICIES])[0]
    laws = {e["title"] for e in entries} - {d.title for d in policies}
    stems = {t.removeprefix("中华人民共和国") for t in laws}
    files = [f for f in corpus.rglob("*.md") if f.stem.split("(")[0] in stems or f.parent.name == "民法典"]
    import_sources([str(f) for f in files], tmp_path)
    imported = check_paths([tmp_path])[0]
    assert laws - {d.title for d in imported} == set()
    assert askedcheck.check(asked.ASKED_FILE, policies + imported).problems == []


def _checked(tmp_path, text: str) -> list[str]:
    f = tmp_path / "asked.yaml"
    f.write_text(text, encoding="utf-8")
    return [f"{p.line}: {p.message}" for p in askedcheck.check(f, check_paths([POLICIES])[0]).problems]


EXEMPTION, EXEMPTION_FILE = "关于阶段性减免企业社会保险费的通知", POLICIES / "rsbf-2020-11.md"


def test_each_fault_of_the_file_is_named_at_its_line(tmp_path):
    assert _checked(tmp_path, f"""\
- title: {EXEMPTION}
  clause: 九
  asked: [社保能免吗]
- title: {EXEMPTION}
  clause: 二
  asked:
  - 湖北的企业社保能免吗
  - 湖北的企业社保能免吗
  - ""
  - 湖北省可对各类参保单位（不含机关事业单位）免征吗
- title: {EXEMPTION}
  clause: 二
  asked: [湖北免几个月]
- title: 某法
  clause: 第一条
- title: 某法
  clause: 第二条
  asked: []
  answer: 不写答案
- 一句话
""") == [f"1: {EXEMPTION_FILE} 没有条款“九”",
         "8: 问题“湖北的企业社保能免吗”与第 7 行重复",
         "9: 问题应为非空文字",
         f"10: 问题“湖北省可对各类参保单位（不含机关事业单位）免征吗”照抄了 {EXEMPTION_FILE} 条款“二”的原文"
         "（连续 12 字相同），请用提问人自己的话",
         f"11: “{EXEMPTION}”的“二”已在第 4 行记录，同一条款只写一项（后一项会取代前一项）",
         "14: 缺少字段 asked",
         "16: 未知字段“answer”，只能写 title、clause、asked",
         "18: asked 应为至少一个问题的列表",
         "20: 每项应写 title、clause、asked 三个字段"]


def test_a_label_that_several_clauses_share_asks_for_the_path(tmp_path):
    doc = write(tmp_path, "doc.md", "## 一、甲\n\n### （一）子一\n\n正文。\n\n## 二、乙\n\n### （一）子二\n\n正文。\n")
    f = tmp_path / "asked.yaml"
    f.write_text("- title: 测试文件\n  clause: （一）\n  asked: [问一句]\n- title: 测试文件\n  clause: 二/（一）\n"
                 "  asked: [问一句]\n", encoding="utf-8")
    assert [str(p) for p in askedcheck.check(f, check_paths([doc])[0]).problems] == [
        f"{f}:1: {doc} 中条款“（一）”不止一处（一/（一）、二/（一）），请写条款路径"]


def test_a_file_that_is_not_yaml_is_named_at_its_line_and_the_cli_says_so_in_chinese(tmp_path):
    f = tmp_path / "asked.yaml"
    f.write_text("- title: 甲\n  clause: 一\n  asked: [问\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kb", "check", str(f)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[0].startswith(f"{f}:4: YAML 无法解析：")
    assert run.stderr.splitlines()[-1] == "发现 1 个问题。"


def test_kb_check_with_no_paths_checks_the_policies_and_their_recorded_questions():
    run = subprocess.run([sys.executable, "-m", "kb", "check"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"检查通过：\d+ 个文档，\d+ 个条款；kb/asked\.yaml 记下 \d+ 个条款的 \d+ 个常见问法。\n", run.stdout)


def test_a_file_not_in_utf8_is_named_at_the_line_of_its_first_bad_byte(tmp_path):
    f = tmp_path / "asked.yaml"
    f.write_bytes("- title: 甲\n  clause: 一\n  asked: [".encode() + "社保".encode("gbk") + b"]\n")
    assert [(p.line, p.message.split("（")[0]) for p in askedcheck.check(f, []).problems] == [(3, "文件不是 UTF-8 编码")]
