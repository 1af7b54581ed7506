"""Faults around a build: two at once, a full disk, a file-size limit, a read-only index folder.

Each fault ends with exit 1 and a Chinese message naming what to do, and the index that was serving
still answers the same. The disk and read-only cases mount a small tmpfs (root only; skipped
elsewhere). A build killed at each of its phases is tests/test_index.py; killing builds at random
moments, 20 times, is bench/reliability/kill_builds.py.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from kb import faults
from kb.index import current_build
from kb.library import Library
from kb.search import search

ROOT = Path(__file__).resolve().parent.parent
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


def test_a_build_started_while_another_holds_the_lock_waits_then_both_finish(tmp_path):
    """The first build is held while writing (kb/faults.py), so the second surely meets its lock."""
    source, root, hold = _source(tmp_path / "policies", 120), tmp_path / "index", tmp_path / "hold"
    hold.touch()
    argv = [sys.executable, "build_index.py", "--policies", str(source), "--index", str(root), "--full", "--quiet"]
    first = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "KB_BUILD_HOLD_AT": f"{faults.PARTIAL_MADE}:{hold}"})
    try:
        assert faults.held(hold, first) == [first.pid]
        second = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = second.stderr.readline()         # blocks until the second build says it is waiting
        assert "另一个构建正在写入" in waiting and "等待它结束" in waiting
        assert first.poll() is None and second.poll() is None
    finally:
        hold.unlink()
    outs = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert all("全量构建完成：122 个文档" in out for out, _ in outs)
    assert "等待" not in outs[0][1] and "等待" not in outs[1][1]      # the rest of the second's stderr
    _intact(root)
    assert len(list((root / "builds").iterdir())) == 2       # the second build's, and the first's it replaced
    assert search(Library(root), "二倍的工资", limit=100).total == 121   # the law and its 120 copies


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


def test_read_only_index_folder_is_a_clear_error_and_still_serves(app_factory, tmp_path):
    with _tmpfs(tmp_path / "disk", "8m") as disk:
        source, root, before = _served(tmp_path, disk)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        run = _build(source, root)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "构建失败：所在的文件系统是只读的" in run.stderr and "原有索引保持不变" in run.stderr
        assert _answers(root) == before
        _intact(root)
        client = app_factory(index=root).test_client()
        assert client.get("/api/search?q=银行贷款&limit=20").get_json() == json.loads(before)[0]
