"""Faults around a build: two at once, a full disk, a file-size limit, a read-only index folder.

Each ends with exit 1 and a Chinese message naming what to do, and the index that was serving
still answers the same. The disk and read-only cases mount a small tmpfs (root only; skipped
elsewhere). Killing builds at random points, 20 times, is bench/reliability/kill_builds.py.
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from kb.index import current_build
from kb.library import Library
from kb.search import search
from tests.conftest import ROOT
from web import create_app

CORE = ROOT / "tests" / "fixtures" / "core"
LAW = CORE / "law-sample.md"
QUERIES = ["银行贷款", "劳动合同", "格式示例法 第四条"]


def _answers(root: Path) -> str:
    lib = Library(root)
    return json.dumps([search(lib, q, limit=20).to_json() for q in QUERIES], ensure_ascii=False)


def _intact(root: Path) -> None:
    """The served build opens, and Whoosh holds one record per document and clause of its catalog."""
    build_dir = current_build(root)
    catalog = json.loads((build_dir / "catalog.json").read_text(encoding="utf-8"))
    with whoosh_index.open_dir(str(build_dir)).searcher() as s:
        assert s.doc_count() == len(catalog["docs"]) + catalog["clauses"]
    assert not [p for p in (root / "builds").iterdir() if p.name.endswith(".partial")]


def _source(folder: Path, copies: int) -> Path:
    shutil.copytree(CORE, folder)
    template = LAW.read_text(encoding="utf-8")
    for i in range(copies):
        (folder / f"copy-{i}.md").write_text(template.replace("law-format-fixture", f"law-copy-{i}"), encoding="utf-8")
    return folder


def _build(source: Path, root: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root),
                           "--quiet", *extra], cwd=ROOT, capture_output=True, text=True, timeout=300, **kwargs)


def test_two_builds_started_at_once_both_finish_one_after_the_other(tmp_path):
    source, root = _source(tmp_path / "policies", 120), tmp_path / "index"
    argv = [sys.executable, "build_index.py", "--policies", str(source), "--index", str(root), "--full", "--quiet"]
    procs = [subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("全量构建完成：122 个文档" in out for out, _ in outs)
    assert sum("等待它结束" in err for _, err in outs) <= 1          # never both waiting on each other
    _intact(root)
    assert len(list((root / "builds").iterdir())) <= 2
    assert search(Library(root), "格式示例法 第四条", limit=100).total >= 121   # the law and its 120 copies


@contextmanager
def _tmpfs(where: Path, size: str):
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode:
        pytest.skip("不能挂载 tmpfs（需要 root）：磁盘已满的情形无法在此模拟")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def _served(tmp_path: Path, where: Path) -> tuple[Path, Path, str]:
    """Core fixtures built into where/index; the source is then grown so that the next build writes a lot."""
    source, root = _source(tmp_path / "policies", 0), where / "index"
    assert _build(source, root).returncode == 0
    before = _answers(root)
    _source(tmp_path / "more", 200)
    for f in (tmp_path / "more").glob("copy-*.md"):
        shutil.move(f, source / f.name)
    return source, root, before


def test_disk_full_is_a_clear_error_and_the_old_index_serves(tmp_path):
    with _tmpfs(tmp_path / "disk", "1m") as disk:
        source, root, before = _served(tmp_path, disk)
        run = _build(source, root, "--full")
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "构建失败：磁盘空间已满" in run.stderr and "原有索引保持不变" in run.stderr
        assert _answers(root) == before
        _intact(root)


def test_file_size_limit_is_a_clear_error_and_the_old_index_serves(tmp_path):
    """The same fault without root: RLIMIT_FSIZE makes writes past 64 kB fail (EFBIG) in the build only."""
    source, root, before = _served(tmp_path, tmp_path)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    run = _build(source, root, "--full", preexec_fn=limit)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "构建失败：文件超过了系统允许的大小" in run.stderr and "原有索引保持不变" in run.stderr
    assert _answers(root) == before
    _intact(root)


def test_read_only_index_folder_is_a_clear_error_and_still_serves(tmp_path):
    with _tmpfs(tmp_path / "disk", "8m") as disk:
        source, root, before = _served(tmp_path, disk)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        run = _build(source, root)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "构建失败：所在的文件系统是只读的" in run.stderr and "原有索引保持不变" in run.stderr
        assert _answers(root) == before
        _intact(root)
        client = create_app(root).test_client()
        assert client.get("/api/search?q=银行贷款&limit=20").get_json() == json.loads(before)[0]
