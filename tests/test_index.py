"""The build: incremental updates, atomic swap, failed and killed builds, one writer at a time."""
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.index import BuildError, build, build_lock, current_build
from kb.layout import IndexUnavailable
from kb.library import Library
from kb.search import search

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "core"


@pytest.fixture
def source(tmp_path):
    dest = tmp_path / "policies"
    shutil.copytree(FIXTURES, dest)
    return dest


def uids(root, q):
    return [(h.doc_id, h.path) for h in search(Library(root), q, limit=50).hits]


def test_incremental_add_change_delete(source, tmp_path):
    root = tmp_path / "index"
    first = build(source, root, progress=False)
    assert first.full and sorted(first.added) == ["gbf-2020-6-fixture", "law-format-fixture"]

    again = build(source, root, progress=False)
    assert (again.added, again.changed, again.removed) == ([], [], [])
    assert again.build == first.build                      # nothing changed: no new build

    extra = source / "extra.md"
    extra.write_text((FIXTURES / "law-sample.md").read_text(encoding="utf-8")
                     .replace("law-format-fixture", "law-extra").replace("格式示例法", "另一示例法"), encoding="utf-8")
    added = build(source, root, progress=False)
    assert added.added == ["law-extra"] and not added.full
    assert ("law-extra", "第四条") in uids(root, "另一示例法 二倍的工资")

    text = extra.read_text(encoding="utf-8").replace("二倍的工资", "三倍的报酬")
    extra.write_text(text, encoding="utf-8")
    changed = build(source, root, progress=False)
    assert changed.changed == ["law-extra"]
    assert ("law-extra", "第四条") in uids(root, "三倍的报酬")
    assert ("law-extra", "第四条") not in uids(root, '"二倍的工资"')

    extra.unlink()
    removed = build(source, root, progress=False)
    assert removed.removed == ["law-extra"] and removed.documents == 2
    assert not any(d == "law-extra" for d, _ in uids(root, "三倍的报酬"))


def test_previous_build_is_untouched_by_an_incremental_update(source, tmp_path):
    root = tmp_path / "index"
    build(source, root, progress=False)
    old = current_build(root)
    before = uids(root, "银行贷款")
    (source / "gbf-2020-6.md").write_text((source / "gbf-2020-6.md").read_text(encoding="utf-8")
                                          .replace("取消不合理审批", "取消不合理审批和银行贷款限制"), encoding="utf-8")
    build(source, root, progress=False)
    assert current_build(root) != old
    assert before and uids(root, "银行贷款") != before
    # the old build's files are hard links shared with the new one: they must not have changed
    old_root = tmp_path / "old-root"
    old_root.mkdir()
    os.symlink(old, old_root / "current")
    assert uids(old_root, "银行贷款") == before


def test_invalid_document_fails_and_old_index_keeps_serving(source, tmp_path):
    root = tmp_path / "index"
    build(source, root, progress=False)
    serving, before = current_build(root), uids(root, "银行贷款")
    (source / "broken.md").write_text("---\nid: broken\ntitle: 坏文件\n---\n\n## 一、甲\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(source, root, progress=False)
    assert any(p.path.endswith("broken.md") and p.line == 1 and "缺少必填字段" in p.message for p in err.value.problems)
    assert current_build(root) == serving and uids(root, "银行贷款") == before

    cli = subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root)],
                         cwd=ROOT, capture_output=True, text=True)
    assert cli.returncode == 1
    assert f"{source / 'broken.md'}:6: 条款“一”没有正文" in cli.stderr
    assert "原有索引保持不变" in cli.stderr and "Traceback" not in cli.stderr


def _many(source, n):
    template = (FIXTURES / "law-sample.md").read_text(encoding="utf-8")
    for i in range(n):
        (source / f"copy-{i}.md").write_text(template.replace("law-format-fixture", f"law-copy-{i}"), encoding="utf-8")


def _processes_naming(path: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(path).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_killed_builds_leave_the_previous_index_serving(source, tmp_path):
    root = tmp_path / "index"
    build(source, root, progress=False)
    before = uids(root, "银行贷款")
    _many(source, 400)
    rng = random.Random(7)
    for attempt in range(4):
        proc = subprocess.Popen([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root),
                                 "--full", "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode == 0:
            continue                           # it finished first: that is fine too
        assert uids(root, "银行贷款") == before, f"attempt {attempt}"
        # its worker processes die with it: an orphan would hold the build lock for ever
        deadline = time.monotonic() + 5
        while _processes_naming(root) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _processes_naming(root), f"attempt {attempt}"
    after = subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root), "--quiet"],
                           cwd=ROOT, capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    assert len(uids(root, "银行贷款")) > len(before)
    assert len(list((root / "builds").iterdir())) <= 2     # partial builds of killed runs are cleared


def test_a_second_build_waits_for_the_first(source, tmp_path):
    root = tmp_path / "index"
    with build_lock(root):
        proc = subprocess.Popen([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root),
                                 "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = proc.stderr.readline()       # blocks until the build says it is waiting
        assert "等待它结束" in waiting and proc.poll() is None
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "完成" in out


def test_an_index_of_an_older_version_is_named_and_rebuilt_not_misread(policies_copy, tmp_path):
    root = tmp_path / "index"
    build(policies_copy, root, progress=False)
    catalog = current_build(root) / "catalog.json"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"schema":', '"schema":-1,"was":', 1), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="旧版本.*重新构建"):
        search(Library(root), "社保")
    cli = subprocess.run([sys.executable, "-m", "kb", "search", "社保", "--index", str(root)], cwd=ROOT,
                         capture_output=True, text=True)
    assert cli.returncode != 0 and "旧版本" in cli.stderr and "Traceback" not in cli.stderr
    summary = build(policies_copy, root, progress=False)
    assert summary.full
    assert search(Library(root), "社保 减免").hits[0].doc_id == "rsbf-2020-11"
