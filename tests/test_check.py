"""Every checker message, with the line it names."""
import subprocess
import sys
from pathlib import Path

import pytest

from kb.check import check_paths

ROOT = Path(__file__).resolve().parent.parent
HEAD = ("---\nid: {id}\ntitle: 测试文件\ntype: 通知\nlevel: 市\nstatus: 已失效\ncoverage: {coverage}\n"
        "sources: [http://example.org]\nareas: [财税金融]\n{extra}---\n\n")


def write(tmp_path, name, body="", id="doc-a", coverage="官方全文", extra=""):
    f = tmp_path / name
    f.write_text(HEAD.format(id=id, coverage=coverage, extra=extra) + body, encoding="utf-8")
    return f


def problems_of(*paths):
    return [(Path(p.path).name, p.line, p.message) for p in check_paths(list(paths))[1]]


def test_valid_file_has_no_problems(tmp_path):
    f = write(tmp_path, "a.md", "## 一、总则\n\n正文。\n\n## 二、措施\n\n正文。\n")
    assert problems_of(f) == []


def test_missing_front_matter(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("# 标题\n\n## 一、总则\n", encoding="utf-8")
    [(name, line, message)] = problems_of(f)
    assert (name, line) == ("a.md", 1) and "缺少 YAML 头信息" in message


def test_broken_yaml_names_its_line(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\nid: doc-a\ntitle: [未闭合\nlevel: 市\n---\n", encoding="utf-8")
    [(_, line, message)] = problems_of(f)
    assert line == 4 and "YAML 头信息无法解析" in message


def test_unknown_area_enterprise_and_level_with_lines(tmp_path):
    body = "## 一、措施\n\n```meta\nareas: [税收优惠]\nenterprise: [超大型]\n```\n\n正文。\n"
    f = write(tmp_path, "a.md", body, extra="")
    f.write_text(f.read_text(encoding="utf-8").replace("level: 市", "level: 县"), encoding="utf-8")
    meta_line = 14
    assert [(name, line, m.split("，可选")[0]) for name, line, m in problems_of(f)] == [
        ("a.md", 5, "未知的发文层级“县”"), ("a.md", meta_line, "条款 一：未知的企业类型“超大型”"),
        ("a.md", meta_line, "条款 一：未知的支持领域“税收优惠”")]


def test_duplicate_ids_across_files(tmp_path):
    a = write(tmp_path, "a.md", "## 一、措施\n\n正文。\n", id="same-id")
    b = write(tmp_path, "b.md", "## 一、措施\n\n正文。\n", id="same-id")
    assert problems_of(a, b) == [("a.md", 2, f"id“same-id”与 {b} 重复，id 必须唯一"),
                                 ("b.md", 2, f"id“same-id”与 {a} 重复，id 必须唯一")]


def test_duplicate_backwards_and_skipped_numbers(tmp_path):
    body = ("## 一、甲\n\n正文。\n\n## 二、乙\n\n正文。\n\n## 二、丙\n\n正文。\n\n"
            "## 五、丁\n\n正文。\n\n## 三、戊\n\n正文。\n")
    f = write(tmp_path, "a.md", body)
    assert [(line, m.split("（只收录部分条款时")[0]) for _, line, m in problems_of(f)] == [
        (20, "条款编号“二”重复（第 16 行已出现）"), (20, "编号倒退或重复：“二”出现在“二”之后"),
        (24, "编号跳号：“二”之后应为“三”，却是“五”"), (28, "编号倒退或重复：“三”出现在“五”之后")]


def test_skips_allowed_when_coverage_is_partial(tmp_path):
    f = write(tmp_path, "a.md", "## 一、甲\n\n正文。\n\n## 三、丙\n\n正文。\n", coverage="部分条款")
    assert problems_of(f) == []


def test_law_numbering_is_continuous_across_chapters(tmp_path):
    body = "## 第一章 总则\n\n第一条 甲。\n\n## 第二章 分则\n\n第三条 乙。\n"
    f = write(tmp_path, "a.md", body, extra="")
    assert problems_of(f) == [("a.md", 18, "编号跳号：“第一条”之后应为“第二条”，却是“第三条”"
                                           "（只收录部分条款时，请把 coverage 写为“部分条款”）")]


def test_dates_that_do_not_parse_and_until_before_from(tmp_path):
    extra = "date: 2020-02-30\neffective_from: 2020-03-01\neffective_until: 2020-01-31\n"
    f = write(tmp_path, "a.md", "## 一、甲\n\n正文。\n", extra=extra)
    assert problems_of(f) == [("a.md", 10, "日期“2020-02-30”无法解析，请写成 YYYY-MM-DD，例如 2020-03-15"),
                              ("a.md", 12, "失效日期 2020-01-31 早于生效日期 2020-03-01")]


@pytest.mark.parametrize("value, message", [
    ("20200315", "日期“20200315”无法解析，请写成 YYYY-MM-DD，例如 2020-03-15"),
    ("二〇二〇年十三月一日", "日期“二〇二〇年十三月一日”无法解析，请写成 YYYY-MM-DD，例如 2020-03-15"),
    ("2020年3月三十二日", "日期“2020年3月三十二日”无法解析，请写成 YYYY-MM-DD，例如 2020-03-15"),
    ("3030-03-15", "日期 3030-03-15 晚于一年后的今天"),
    ("1900-01-01", "日期 1900-01-01 早于 1949-10-01"),
], ids=["no-separators", "month-13", "day-32", "year-3030", "year-1900"])
def test_dates_that_cannot_be_right_name_their_line(tmp_path, value, message):
    f = write(tmp_path, "a.md", "## 一、甲\n\n正文。\n", extra=f"date: {value}\n")
    [(name, line, found)] = problems_of(f)
    assert (name, line) == ("a.md", 10) and found.startswith(message)


def test_cli_names_path_and_line_of_each_implausible_date(tmp_path):
    files = [write(tmp_path, f"{name}.md", "## 一、甲\n\n正文。\n", id=name, extra=f"date: {value}\n")
             for name, value in (("packed", "20200315"), ("far", "3030-03-15"), ("early", "1900-01-01"))]
    run = subprocess.run([sys.executable, "-m", "kb", "check", *map(str, files)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    *lines, summary = run.stderr.splitlines()
    assert summary == "发现 3 个问题。" and len(lines) == len(files)
    for line, f, message in zip(lines, files, ("日期“20200315”无法解析", "日期 3030-03-15 晚于", "日期 1900-01-01 早于")):
        assert line.startswith(f"{f}:10: {message}"), (f, lines)


def test_empty_clause(tmp_path):
    f = write(tmp_path, "a.md", "## 一、甲\n\n## 二、乙\n\n正文。\n")
    assert [(line, m) for _, line, m in problems_of(f)] == [(12, "条款“一”没有正文")]


def test_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    f = tmp_path / "gbk.md"
    f.write_bytes(HEAD.format(id="doc-a", coverage="官方全文", extra="").encode() + "## 一、减免房租\n".encode("gb18030"))
    [(_, line, message)] = problems_of(f)
    assert line == 12 and "不是 UTF-8" in message


def test_many_problems_in_one_file_are_all_reported(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\nid: Bad_ID\ntitle: 测试\ntype: 通知书\nlevel: 县\nstatus: 有效\ncoverage: 全部\n"
                 "areas: [其他]\n---\n\n## 一、甲\n", encoding="utf-8")
    assert [(line, m.split("，可选")[0]) for _, line, m in problems_of(f)] == [
        (1, "缺少必填字段“sources”"), (2, "id“Bad_ID”只能由小写字母、数字和连字符组成（用于网址和引用）"),
        (4, "未知的文档类型“通知书”"), (5, "未知的发文层级“县”"), (6, "未知的效力状态“有效”"),
        (7, "未知的收录范围“全部”"), (8, "未知的支持领域“其他”"), (11, "条款“一”没有正文")]


def test_cli_exit_codes_and_format(tmp_path):
    good = write(tmp_path, "good.md", "## 一、甲\n\n正文。\n", id="good")
    bad = write(tmp_path, "bad.md", "## 一、甲\n", id="bad")
    ok = subprocess.run([sys.executable, "-m", "kb", "check", str(good)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "检查通过" in ok.stdout
    failed = subprocess.run([sys.executable, "-m", "kb", "check", str(good), str(bad)], cwd=ROOT,
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert f"{bad}:12: 条款“一”没有正文" in failed.stderr.splitlines()
    assert "Traceback" not in failed.stderr


def test_project_policies_pass_the_checker():
    docs, problems = check_paths([ROOT / "policies"])
    assert problems == [] and docs


def test_many_files_checked_in_worker_processes_report_as_one_process_does(tmp_path, monkeypatch):
    import kb.workers
    real = (Path(__file__).resolve().parent.parent / "policies" / "rsbf-2020-11.md").read_text(encoding="utf-8")
    n = kb.workers.MIN_ITEMS + 6
    for i in range(n):
        (tmp_path / f"copy-{i:03}.md").write_text(real.replace("id: rsbf-2020-11", f"id: copy-{i:03}", 1), encoding="utf-8")
    (tmp_path / "copy-007.md").write_text(real.replace("level: 国家", "level: 宇宙"), encoding="utf-8")
    together = check_paths([tmp_path])
    monkeypatch.setattr(kb.workers, "MIN_ITEMS", 10**9)
    alone = check_paths([tmp_path])
    assert together[1] == alone[1]
    level_line = real.splitlines().index("level: 国家") + 1
    assert [(Path(p.path).name, p.line, p.message) for p in together[1]] == [
        ("copy-007.md", level_line, "未知的发文层级“宇宙”，可选：国家、省、市、部门")]
    assert [d.id for d in together[0]] == [d.id for d in alone[0]] and len(together[0]) == n - 1


def test_each_front_matter_rule_names_its_line(tmp_path):
    extra = "short_title: [一, 二]\naliases: {甲: 1}\ndoc_no: 待填写\ncolour: 红\neffective_until: 2020-03-01\n"
    f = write(tmp_path, "a.md", "## 一、甲\n\n正文。\n", extra=extra)
    assert problems_of(f) == [
        ("a.md", 10, "字段“short_title”应为一段文字"),
        ("a.md", 11, "字段“aliases”应为列表，例如 [值1, 值2]"),
        ("a.md", 12, "字段“doc_no”尚未填写（导入时未能识别，请按原文补全）"),
        ("a.md", 13, "未知字段“colour”（可用字段见 policies/README.md）"),
    ]


def test_a_required_field_left_empty_is_named_at_its_line_and_one_not_written_at_the_first(tmp_path):
    f = write(tmp_path, "a.md", "## 一、甲\n\n正文。\n")
    f.write_text(f.read_text(encoding="utf-8").replace("title: 测试文件", "title: ''").replace(
        "sources: [http://example.org]\n", ""), encoding="utf-8")
    assert problems_of(f) == [("a.md", 1, "缺少必填字段“sources”"), ("a.md", 3, "缺少必填字段“title”")]


# ---------------------------------------------------------------- metadata that claims more than the clause (kb/metacheck.py)

NARROWER = "按企业类型筛选时这些企业找不到这一条（请补进 enterprise，或改正 size）"
UNNAMED = "在条款标题、正文和 conditions_text 中都没有提到；条件不能比原文更严（原文另有要求时写进正文或 conditions_text）"


def meta_lines(f) -> list[int]:
    return [n for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if line == "```meta"]


def test_an_enterprise_tag_narrower_than_the_size_condition_is_named_also_when_the_size_is_inherited(tmp_path):
    body = ("## 一、小微企业措施\n\n```meta\nenterprise: [小型]\nconditions:\n  size: [小型, 微型]\n```\n\n小微企业可以申请。\n\n"
            "## 二、中小企业措施\n\n```meta\nconditions:\n  size: [中型, 小型]\n```\n\n中小企业可以申请。\n\n"
            "### （一）其中一项\n\n```meta\nenterprise: [中型]\n```\n\n中小企业的一项。\n\n"
            "## 三、所有规模\n\n```meta\nenterprise: [大型, 中型, 小型, 微型]\nconditions:\n  size: [中型, 小型]\n```\n\n"
            "中小企业可以申请。\n")
    f = write(tmp_path, "a.md", body)
    first, _, inner, _ = meta_lines(f)
    assert problems_of(f) == [
        ("a.md", first, f"条款 一：企业类型 enterprise 没有列出适用条件 size 中的微型，{NARROWER}"),
        ("a.md", inner, f"条款 二/（一）：企业类型 enterprise 没有列出适用条件 size 中的小型，{NARROWER}"),
    ]


def test_a_condition_the_clause_does_not_name_is_named_with_what_it_asks(tmp_path):
    body = ("## 一、什么都没说的措施\n\n```meta\nconditions:\n  size: [个体工商户]\n  sector: [餐饮]\n  hardship: true\n"
            "  key_supply_enterprise: true\n  small_scale_taxpayer: true\n  max_insured_staff: 30\n  max_layoff_rate: 0.2\n```\n\n"
            "企业可以申请补贴。\n\n"
            "## 二、都说到的措施\n\n```meta\nconditions:\n  size: [小型, 微型, 个体工商户]\n  sector: [物流配送]\n  hardship: true\n"
            "  max_insured_staff: 30\n  max_layoff_rate: 0.2\nconditions_text: 须为增值税小规模纳税人\n```\n\n"
            "参保职工30人以下、裁员率不超过20%的小微企业和个体工商户，从事物流的，经营困难时可以申请。\n\n"
            "## 三、下级说明条件\n\n```meta\nconditions:\n  key_supply_enterprise: true\n```\n\n### （一）名单\n\n列入重点保障名单的企业。\n")
    f = write(tmp_path, "a.md", body)
    # one line, so in the checker's order of messages
    assert problems_of(f) == sorted(("a.md", meta_lines(f)[0], f"条款 一：适用条件 {what}{UNNAMED}") for what in (
        "size 的“个体工商户”", "sector 的“餐饮”", "small_scale_taxpayer（须为增值税小规模纳税人）",
        "key_supply_enterprise（须为疫情防控重点保障企业）", "hardship（须为生产经营困难的企业）",
        "max_insured_staff（参保职工不超过30人）", "max_layoff_rate（裁员率不超过20%）"))


def test_a_size_condition_beside_text_for_every_enterprise_is_named(tmp_path):
    # the meta block gwy-cwhy-2020-02-25 要点1 had before the content audit of 2026-12
    body = ("## 要点：中小微企业和个体工商户贷款临时延期还本付息\n\n```meta\nenterprise: [中型, 小型, 微型, 个体工商户]\n"
            "conditions:\n  size: [中型, 小型, 微型, 个体工商户]\n  hardship: true\n  until: 2020-06-30\n"
            "conditions_text: 湖北所有企业均可适用；须由企业提出申请\n```\n\n"
            "对流动性遇到暂时困难的中小微企业（含个体工商户），银行可给予贷款本金临时性延期偿还。湖北省所有企业都纳入适用范围。\n")
    f = write(tmp_path, "a.md", body)
    assert problems_of(f) == [("a.md", meta_lines(f)[0], "条款 要点1：正文说“所有企业”都适用，适用条件 size 却没有大型，"
                                                         "条件比原文窄（不分规模时去掉 size，分情况适用时写进 conditions_text）")]


def test_the_cli_names_path_and_line_of_a_condition_the_text_does_not_name(tmp_path):
    # jj-2020-23 一 before the audit: hardship asked of enterprises the text calls only 受疫情影响
    body = ("## 一、受疫情影响企业可缓缴住房公积金\n\n```meta\nconditions:\n  hardship: true\n  until: 2020-06-30\n```\n\n"
            "受新冠肺炎疫情影响的企业，可以申请在2020年6月30日前缓缴住房公积金。\n")
    f = write(tmp_path, "a.md", body)
    out = subprocess.run([sys.executable, "-m", "kb", "check", str(f)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == f"{f}:{meta_lines(f)[0]}: 条款 一：适用条件 hardship（须为生产经营困难的企业）{UNNAMED}"
