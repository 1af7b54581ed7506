"""The build: incremental updates, atomic swap, failed and killed builds, one writer at a time,
document files that a crash tore."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import kb.workers
from kb import faults
from kb.check import check_paths
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
    assert uids(root, '"二倍的工资"') == [("law-format-fixture", "第四条")]     # the old wording is gone

    extra.unlink()
    removed = build(source, root, progress=False)
    assert removed.removed == ["law-extra"] and removed.documents == 2
    assert "law-extra" not in Library(root).current().docs
    assert uids(root, '"二倍的工资"') == [("law-format-fixture", "第四条")]
    assert {d for d, _ in uids(root, "用人单位")} == {"law-format-fixture"}    # law-extra said it too


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
    # the build refuses with what kb check says of the folder: the broken file's missing fields, then its empty clause
    assert [str(p) for p in err.value.problems] == [str(p) for p in check_paths([source])[1]]
    assert [(Path(p.path).name, p.line, p.message) for p in err.value.problems] == \
        [("broken.md", 1, f"缺少必填字段“{field}”") for field in ("coverage", "level", "sources", "status", "type")] \
        + [("broken.md", 6, "条款“一”没有正文")]
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


def _no_process_left(path: Path) -> None:
    """No process (a build's worker) names path: a worker dies with its build, an instant later."""
    deadline = time.monotonic() + 30
    while _processes_naming(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_naming(path)


def _run_build(source: Path, root: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


FAULT_QUERIES = ["银行贷款", "二倍的工资", "不合理审批", '"银行的贷款"']


def _answers(root: Path) -> str:
    lib = Library(root)
    return json.dumps([search(lib, q, limit=20).to_json() for q in FAULT_QUERIES], ensure_ascii=False)


def _readers_see(root: Path) -> dict:
    """What readers get, independent of how the build laid out its segments: every document of the
    catalog opened, and every clause each query finds (each finds fewer than a page of 100, and ties
    between the identical copies may come in any order)."""
    lib = Library(root)
    b = lib.current()
    found = {}
    for q in FAULT_QUERIES:
        result = search(lib, q, limit=100)
        assert result.total == len(result.hits) < 100, q
        found[q] = sorted((h.doc_id, h.path) for h in result.hits)
    return {"documents": {doc_id: b.document(doc_id).title for doc_id in b.docs}, "found": found}


def _whole(root: Path) -> None:
    """The served build holds one Whoosh record per document and clause of its catalog."""
    served = current_build(root)
    catalog = json.loads((served / "catalog.json").read_text(encoding="utf-8"))
    with whoosh_index.open_dir(str(served)).searcher() as s:
        assert s.doc_count() == len(catalog["docs"]) + catalog["clauses"]


def _partials(root: Path) -> list[str]:
    return [p.name for p in (root / "builds").iterdir() if p.name.endswith(".partial")]


@pytest.fixture(scope="module")
def grown_answers(tmp_path_factory):
    """Per number of copies: what readers see of the core fixtures plus that many copies, built alone."""
    answers = {}

    def of(copies: int) -> dict:
        if copies not in answers:
            folder = tmp_path_factory.mktemp("grown")
            source = folder / "policies"
            shutil.copytree(FIXTURES, source)
            _many(source, copies)
            build(source, folder / "index", progress=False)
            answers[copies] = _readers_see(folder / "index")
        return answers[copies]
    return of


PARALLEL = kb.workers.MIN_ITEMS + 6        # enough new documents for the build to start worker processes
SERIAL = 10


@pytest.mark.parametrize("phase, copies", [
    (faults.PARTIAL_MADE, PARALLEL), (faults.MID_SEGMENT, SERIAL), (faults.MID_WORKER_SEGMENT, PARALLEL),
    (faults.CATALOG_WRITTEN, PARALLEL), (faults.SWAPPED, PARALLEL)])
def test_a_build_killed_at_each_phase_leaves_a_whole_index_serving(tmp_path, grown_answers, phase, copies):
    if phase == faults.MID_WORKER_SEGMENT and len(os.sched_getaffinity(0)) < 2:
        pytest.skip("只有一个 CPU 核：构建不启动工作进程")
    source = tmp_path / "policies"
    shutil.copytree(FIXTURES, source)
    root = tmp_path / "index"
    build(source, root, progress=False)
    old_build, old_answers = current_build(root), _answers(root)
    _many(source, copies)

    killed = _run_build(source, root, {"KB_BUILD_KILL_AT": phase})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _no_process_left(root)
    _whole(root)
    if phase == faults.SWAPPED:
        assert current_build(root) != old_build and old_build.is_dir()      # killed before pruning
        assert _readers_see(root) == grown_answers(copies)
    else:
        assert _partials(root)                                               # killed while writing
        assert current_build(root) == old_build and _answers(root) == old_answers

    after = _run_build(source, root)
    assert after.returncode == 0, after.stderr
    _whole(root)
    assert not _partials(root) and len(list((root / "builds").iterdir())) <= 2
    assert _readers_see(root) == grown_answers(copies)
    catalog = json.loads((current_build(root) / "catalog.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in (root / "docs").iterdir()) == sorted(e["json"] for e in catalog["docs"].values())


def test_worker_processes_die_with_their_build(tmp_path):
    """Workers held mid-segment cannot finish on their own: only dying with the build ends them."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("只有一个 CPU 核：构建不启动工作进程")
    source = tmp_path / "policies"
    shutil.copytree(FIXTURES, source)
    _many(source, PARALLEL)
    root, hold = tmp_path / "index", tmp_path / "hold"
    hold.touch()
    proc = subprocess.Popen([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root),
                             "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "KB_BUILD_HOLD_AT": f"{faults.MID_WORKER_SEGMENT}:{hold}"})
    try:
        workers = faults.held(hold, proc)
        assert proc.pid not in workers and set(workers) <= set(_processes_naming(root))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _no_process_left(root)
    finally:
        hold.unlink()          # were a worker left, it would finish instead of waiting for ever
    after = _run_build(source, root)
    assert after.returncode == 0 and not _partials(root), after.stderr


def test_a_second_build_waits_for_the_first(source, tmp_path):
    root = tmp_path / "index"
    with build_lock(root):
        proc = subprocess.Popen([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root),
                                 "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        waiting = proc.stderr.readline()       # blocks until the build says it is waiting
        assert "等待它结束" in waiting and proc.poll() is None
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "完成" in out


TEARS = {"half written": lambda data: data[:len(data) // 2], "empty": lambda data: b"",
         "zero-filled": lambda data: bytes(len(data))}


def document_file(root: Path, doc_id: str) -> Path:
    return root / "docs" / Library(root).current().docs[doc_id]["json"]


@pytest.mark.parametrize("tear", TEARS)
@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_torn_document_file_is_refused_then_rewritten_by_the_next_build(source, tmp_path, tear, full):
    root = tmp_path / "index"
    build(source, root, progress=False)
    path = document_file(root, "law-format-fixture")
    whole = path.read_bytes()
    path.write_bytes(TEARS[tear](whole))          # in place, as a power cut leaves a file written without fsync
    with pytest.raises(IndexUnavailable, match="已损坏.*请重新构建索引"):
        Library(root).current().document("law-format-fixture")

    summary = build(source, root, full=full, progress=False)
    assert (summary.repaired, summary.changed) == ([] if full else ["law-format-fixture"], [])
    assert ("修复损坏的文档文件 1" in summary.text()) == (not full)
    assert document_file(root, "law-format-fixture") == path and path.read_bytes() == whole
    assert Library(root).current().document("law-format-fixture").clause("第四条").text.endswith("二倍的工资。")
    assert build(source, root, progress=False).text().startswith("索引已是最新")


def test_a_missing_document_file_is_written_again(source, tmp_path):
    root = tmp_path / "index"
    build(source, root, progress=False)
    path = document_file(root, "gbf-2020-6-fixture")
    path.unlink()
    assert build(source, root, progress=False).repaired == ["gbf-2020-6-fixture"]
    assert uids(root, '"不合理审批"')[0] == ("gbf-2020-6-fixture", "一/（一）")
    assert Library(root).current().document("gbf-2020-6-fixture").clause("一/（一）").heading == "推动企业复工复产"


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


def test_ctrl_c_while_the_builder_loads_is_one_chinese_line_and_builds_nothing(source, tmp_path, interrupt_at):
    root = tmp_path / "index"
    run = subprocess.run([sys.executable, "build_index.py", "--policies", str(source), "--index", str(root)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env=interrupt_at("kb.index"))
    assert (run.returncode, run.stderr, run.stdout) == (130, "构建已中断，原有索引保持不变。\n", "")
    assert not root.exists()
