"""Broken documents: each one reported as path:line: message, the build refused, the served index unchanged.

The small cases are files in tests/fixtures/malformed/; binary junk, 10 MB of text and GB18030 bytes
are generated here. A UTF-8 BOM and CRLF line ends are what editors on Windows write: they are
accepted and read exactly as the same file without them (policies/README.md says so).
"""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.check import check_paths
from kb.docformat import MAX_FILE_BYTES, parse_file
from kb.index import BuildError, build, current_build
from kb.library import Library
from kb.search import search
from tests.conftest import POLICIES, ROOT

MALFORMED = ROOT / "tests" / "fixtures" / "malformed"
CORE = ROOT / "tests" / "fixtures" / "core"
REAL = POLICIES / "cs-swzj-2020-8.md"
QUERIES = ["银行贷款", "劳动合同", "第三条", "格式示例法 第四条"]

# file → (line, part of the message) of every problem the checker must name
EXPECTED = {
    "bad-yaml.md": [(9, "YAML 头信息无法解析")],
    "wrong-types.md": [(3, "字段“title”应为一段文字"), (8, "字段“sources”应为列表"), (9, "日期“2020-02-30”无法解析"),
                       (11, "失效日期 2020-02-01 早于生效日期 2020-03-01")],
    "unknown-area.md": [(8, "未知的支持领域“星际贸易”"), (14, "未知的企业类型“外星企业”")],
    "duplicate-labels.md": [(15, "条款编号“一”重复（第 11 行已出现）")],
    "mixed-numbering.md": [(15, "混用了两种编号体系")],
    "no-front-matter.md": [(1, "缺少 YAML 头信息")],
    "unclosed-front-matter.md": [(1, "YAML 头信息没有结束")],
    "bad-meta.md": [(14, "meta 元数据块无法解析"), (21, "代码块（```）没有结束")],
}


def _binary_junk(path: Path) -> None:
    path.write_bytes(random.Random(9).randbytes(64 * 1024))


NUL_AT = "疫情防控重点保障"


def _nul_bytes(path: Path) -> None:
    path.write_bytes(REAL.read_bytes().replace(NUL_AT.encode(), b"\x00\x01\x02", 1))


def _ten_megabytes(path: Path) -> None:
    text = REAL.read_text(encoding="utf-8").replace("cs-swzj-2020-8", "malformed-ten-mb")
    line = "疫情防控重点保障物资生产企业为扩大产能新购置的相关设备。\n"
    path.write_text(text + line * (10 * 2**20 // len(line.encode())), encoding="utf-8")


def _gb18030(path: Path) -> None:
    path.write_bytes(REAL.read_text(encoding="utf-8").replace("cs-swzj-2020-8", "malformed-gb").encode("gb18030"))


# generated file → (writer, line, part of the message)
GENERATED = {
    "binary-junk.md": (_binary_junk, None, "不是 UTF-8 编码"),
    "nul-bytes.md": (_nul_bytes, REAL.read_text(encoding="utf-8").split(NUL_AT)[0].count("\n") + 1, "二进制内容"),
    "ten-megabytes.md": (_ten_megabytes, 1, "文件过大"),
    "gb18030.md": (_gb18030, 3, "不是 UTF-8 编码"),
}


def _all_cases() -> list[str]:
    return sorted(EXPECTED) + sorted(GENERATED)


def _place(name: str, folder: Path) -> Path:
    target = folder / name
    if name in GENERATED:
        GENERATED[name][0](target)
    else:
        shutil.copy(MALFORMED / name, target)
    return target


def _expected(name: str, path: Path) -> list[tuple[int | None, str]]:
    if name in GENERATED:
        return [GENERATED[name][1:]]
    return EXPECTED[name]


def _answers(root: Path) -> str:
    lib = Library(root)
    return json.dumps([search(lib, q, limit=20).to_json() for q in QUERIES], ensure_ascii=False)


@pytest.fixture
def served(tmp_path):
    """A source folder of two valid documents, built and serving."""
    source = tmp_path / "policies"
    shutil.copytree(CORE, source)
    root = tmp_path / "index"
    build(source, root, progress=False)
    return source, root


def test_every_fixture_is_listed():
    assert sorted(p.name for p in MALFORMED.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", _all_cases())
def test_malformed_document_is_reported_and_the_build_refused(served, name):
    source, root = served
    serving, before = current_build(root), _answers(root)
    path = _place(name, source)
    with pytest.raises(BuildError) as err:
        build(source, root, progress=False)
    problems = [p for p in err.value.problems if p.path == str(path)]
    assert problems and len(problems) == len(err.value.problems), err.value.problems
    for line, message in _expected(name, path):
        assert any((line is None or p.line == line) and message in p.message for p in problems), problems
    assert all(re.fullmatch(rf"{re.escape(str(path))}:\d+: \S.*", str(p), re.S) for p in problems)
    assert current_build(root) == serving and _answers(root) == before


def test_binary_junk_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "junk.md"
    path.write_bytes("---\nid: x\n".encode() + b"title: \xff\xfe\n---\n")
    assert [(p.line, "UTF-8" in p.message) for p in parse_file(path).problems] == [(3, True)]


def test_the_size_limit_is_above_every_real_document(corpus):
    largest = max(p.stat().st_size for p in corpus.rglob("*.md"))
    assert largest * 4 < MAX_FILE_BYTES


def test_the_command_line_reports_every_file_and_keeps_serving(served):
    """All the broken files at once, through build_index.py and kb check, as a writer runs them."""
    source, root = served
    before = _answers(root)
    placed = {name: _place(name, source) for name in _all_cases()}
    run = subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root), "--quiet"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("构建未完成") and "原有索引保持不变" in lines[-1]
    assert all(re.fullmatch(r".+\.md:\d+: \S.*", line) for line in lines[:-1]), lines
    for name, path in placed.items():
        for line, message in _expected(name, path):
            prefix = f"{path}:{line}: " if line else f"{path}:"
            assert any(l.startswith(prefix) and message in l for l in lines), (name, line, message)
    assert _answers(root) == before

    check = subprocess.run([sys.executable, "-m", "kb", "check", str(source)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert check.returncode == 1 and sorted(check.stderr.splitlines()[:-1]) == sorted(lines[:-1])


# ---------------------------------------------------------------- BOM and CRLF: accepted, read the same

def _as_written_on_windows(text: str, bom: bool, crlf: bool) -> bytes:
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    return (b"\xef\xbb\xbf" if bom else b"") + data


def _document_json(path: Path) -> dict:
    docs, problems = check_paths([path])
    assert not problems, problems
    data = docs[0].to_json()
    data.pop("source_path")
    return data


@pytest.mark.parametrize("bom,crlf", [(True, False), (False, True), (True, True)])
def test_bom_and_crlf_read_as_the_same_document(tmp_path, bom, crlf):
    documents = sorted(p for p in POLICIES.glob("*.md") if p.name != "README.md")
    # the whole folder, as a file is checked beside the others it names (relations)
    for original in documents:
        (tmp_path / original.name).write_bytes(_as_written_on_windows(original.read_text(encoding="utf-8"), bom, crlf))
    for original in documents[:8]:
        assert _document_json(tmp_path / original.name) == _document_json(original), original.name


def test_a_problem_in_a_crlf_file_names_the_same_line(tmp_path):
    broken = (MALFORMED / "wrong-types.md").read_text(encoding="utf-8")
    plain, windows = tmp_path / "plain.md", tmp_path / "windows.md"
    plain.write_text(broken, encoding="utf-8")
    windows.write_bytes(_as_written_on_windows(broken, bom=True, crlf=True))
    lines = [[(p.line, p.message) for p in check_paths([f])[1]] for f in (plain, windows)]
    assert lines[0] == lines[1] and lines[0]


def test_a_policies_folder_saved_on_windows_builds_the_same_index(policies_copy, tmp_path, policies_index):
    for path in policies_copy.glob("*.md"):
        path.write_bytes(_as_written_on_windows(path.read_text(encoding="utf-8"), bom=True, crlf=True))
    root = tmp_path / "index"
    build(policies_copy, root, progress=False)
    queries = ["增值税", "社保 减免", "财税公告2020年第8号 第四条", "房租"]
    ours = [search(Library(root), q, limit=30).to_json() for q in queries]
    reference = [search(Library(policies_index), q, limit=30).to_json() for q in queries]
    assert ours == reference
