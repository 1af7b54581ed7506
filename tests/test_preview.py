"""Live preview (python -m web --watch): one rebuild per burst of saves, the problems on every page of
every worker while the last good build keeps serving, and a preview that starts and stops cleanly."""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from watchdog.events import (DirCreatedEvent, DirModifiedEvent, DirMovedEvent, FileClosedEvent,
                             FileClosedNoWriteEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                             FileMovedEvent, FileOpenedEvent)

from kb import faults, preview, previewstate
from kb.check import check_paths
from kb.index import build, build_lock
from kb.layout import BUILDS, CURRENT, DOCS
from tests.conftest import ROOT
from tests.test_index import PARALLEL, _many as many_documents
from tests.test_web_serve import LISTEN, answered_by_each, children, free_port, session, sockets
from web import preview as web_preview
from web.__main__ import main

DOC = "rsbf-2020-11"
CLAUSE = f"/doc/{DOC}/一"
BANNER = "预览：政策文件有"
WAIT = 30       # seconds; generous, for a machine shared by several test runs


# ---------------------------------------------------------------- the rebuild loop, on a script of saves

class Saves:
    """A writer's saves at given times, as follow() sees them: a fake clock and a `changes` that
    returns each save when the clock reaches it. `version` is what a build would read now."""

    def __init__(self, times: list[float]):
        self.now = 0.0
        self.pending = sorted(times)
        self.version = 0

    def clock(self) -> float:
        return self.now

    def __call__(self, timeout: float | None) -> bool | None:
        if self.pending and (timeout is None or self.pending[0] <= self.now + timeout):
            self.now = max(self.now, self.pending.pop(0))
            self.version += 1
            return True
        if timeout is None:
            return None         # nothing will change any more: the script is over
        self.now += timeout
        return False


def run_loop(saves: Saves, during_build: list[list[float]] | None = None, build_seconds: float = 0.0):
    """Run follow() over the script; returns (clock time, version) of each build. During the n-th build
    the writer saves again at the times in during_build[n], relative to the build's start. The times
    are binary fractions, exact in floating point."""
    builds = []
    extra = list(during_build or [])

    def rebuild():
        start = saves.now
        builds.append((start, saves.version))
        if extra:
            saves.pending = sorted(saves.pending + [start + t for t in extra.pop(0)])
        saves.now += build_seconds

    preview.follow(saves, rebuild, clock=saves.clock, quiet=0.25, longest=1.0)
    return builds


def test_a_burst_of_saves_is_one_build_of_the_last_state():
    # an editor's temporary file written, then renamed over the document
    assert run_loop(Saves([0.0, 1 / 1024, 2 / 1024])) == [(2 / 1024 + 0.25, 3)]
    # a git checkout of another branch, fifty files
    assert run_loop(Saves([i / 256 for i in range(50)])) == [(49 / 256 + 0.25, 50)]


def test_saves_apart_are_built_each():
    assert run_loop(Saves([0.0, 5.0])) == [(0.25, 1), (5.25, 2)]


def test_saves_during_a_build_make_exactly_one_more_build_of_what_they_left():
    builds = run_loop(Saves([0.0]), during_build=[[0.125, 0.25, 0.375]], build_seconds=0.5)
    # seen once the build is over (at 0.75), then built after a quiet period
    assert builds == [(0.25, 1), (1.0, 4)]


def test_saves_that_keep_coming_are_built_at_least_every_longest():
    builds = run_loop(Saves([i / 8 for i in range(25)]))           # a save every 1/8 s for 3 s
    assert builds == [(1.0, 9), (2.125, 18), (3.25, 25)]


def test_nothing_saved_nothing_built():
    assert run_loop(Saves([])) == []


# ---------------------------------------------------------------- which events are saves

@pytest.mark.parametrize("event, notice", [
    (FileModifiedEvent("p/a.md"), True),
    (FileCreatedEvent("p/a.md"), True),
    (FileDeletedEvent("p/a.md"), True),
    (FileMovedEvent("p/.a.md.tmp", "p/a.md"), True),     # an editor's atomic save
    (FileMovedEvent("p/a.md", "p/a.md~"), True),         # the document is gone
    (DirMovedEvent("p/sub", "p/other"), True),
    (DirCreatedEvent("p/sub"), True),
    (FileCreatedEvent("p/.a.md.swp"), False),
    (FileModifiedEvent("p/notes.txt"), False),
    (DirModifiedEvent("p"), False),                       # any file made in it, such as a swap file
    (FileOpenedEvent("p/a.md"), False),                   # the build itself reading the documents
    (FileClosedNoWriteEvent("p/a.md"), False),
    (FileClosedEvent("p/a.md"), False),                   # its write was reported as modified
])
def test_only_changes_to_documents_are_saves(event, notice):
    seen = []
    preview._Notices(seen.append).dispatch(event)
    assert seen == ([True] if notice else [])


def test_watch_notices_an_atomic_save(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("old", encoding="utf-8")
    with preview.Watch(tmp_path) as watch:
        tmp = tmp_path / ".a.md.tmp"
        tmp.write_text("new", encoding="utf-8")
        os.replace(tmp, doc)
        assert watch(WAIT) is True
        watch.stop()
        while (seen := watch(WAIT)) is not None:
            assert seen is True
    assert doc.read_text(encoding="utf-8") == "new"


# ---------------------------------------------------------------- a rebuild and the banner

def break_clause(policies: Path) -> Path:
    """Give clause 一 of DOC a support area that does not exist; returns the file."""
    path = policies / f"{DOC}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("areas: [援企稳岗]\nenterprise", "areas: [不存在的领域]\nenterprise", 1), encoding="utf-8")
    return path


def expected_problems(path: Path) -> list[str]:
    """What the checker itself says of the file."""
    problems = check_paths([path])[1]
    assert problems
    return [str(p) for p in problems]


def test_a_broken_file_is_listed_on_every_page_while_the_last_good_build_serves(app_factory, policies_copy, tmp_path):
    root = tmp_path / "index"
    assert preview.rebuild(policies_copy, root) == []
    good = os.readlink(root / CURRENT)
    client = app_factory({"PREVIEW": True}, index=root).test_client()
    assert BANNER not in client.get("/").get_data(as_text=True)
    served = client.get(f"/api/doc/{DOC}").get_json()

    path = break_clause(policies_copy)
    found = preview.rebuild(policies_copy, root)
    assert found == expected_problems(path) and all(p.startswith(f"{path}:") for p in found)
    assert os.readlink(root / CURRENT) == good
    for url, status in (("/", 200), (CLAUSE, 200), ("/search?q=社保", 200), ("/no-such-page", 404)):
        response = client.get(url)
        assert response.status_code == status
        page = response.get_data(as_text=True)
        assert BANNER in page and all(p in page for p in found), url
    assert client.get(f"/api/doc/{DOC}").get_json() == served

    # a site served without --watch, such as make run after a preview killed outright, shows none
    assert previewstate.problems(root) == found
    assert BANNER not in app_factory(index=root).test_client().get(CLAUSE).get_data(as_text=True)

    shutil.copy(ROOT / "policies" / f"{DOC}.md", path)
    assert preview.rebuild(policies_copy, root) == [] and previewstate.problems(root) == []
    assert BANNER not in client.get(CLAUSE).get_data(as_text=True)


def test_a_rebuild_waits_for_another_writer(policies_copy, tmp_path):
    root = tmp_path / "index"
    preview.rebuild(policies_copy, root)
    before = os.readlink(root / CURRENT)
    (policies_copy / f"{DOC}.md").write_text(
        (policies_copy / f"{DOC}.md").read_text(encoding="utf-8").replace("机关事业单位不在减免之列", "机关事业单位不减免"),
        encoding="utf-8")
    waiting = threading.Event()

    class Out:
        def write(self, text):
            if "另一个构建正在写入" in text:
                waiting.set()

        def flush(self):
            pass

    with build_lock(root):
        writer = threading.Thread(target=preview.rebuild, args=(policies_copy, root, Out()))
        writer.start()
        assert waiting.wait(WAIT)
        assert writer.is_alive() and os.readlink(root / CURRENT) == before
    writer.join(WAIT)
    assert not writer.is_alive() and os.readlink(root / CURRENT) != before


# ---------------------------------------------------------------- python -m web --watch

def test_a_missing_policies_folder_is_said_in_chinese(tmp_path):
    missing = tmp_path / "没有这个目录"
    done = subprocess.run([sys.executable, "-m", "web", "--watch", "--policies", str(missing), "--port", str(free_port()),
                           "--index", str(tmp_path / "index")], cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"找不到政策文件目录：{missing}（--policies 应为存放政策文件的目录）\n"


def test_policies_without_watch_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--policies", "policies"])
    assert stop.value.code == 2
    assert "--policies 只与 --watch 一起使用" in capsys.readouterr().err


def fetch(url: str) -> str:
    with urllib.request.urlopen(quote(url, safe=":/?=&"), timeout=WAIT) as response:
        return response.read().decode()


def until(condition, what: str):
    deadline = time.monotonic() + WAIT
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
    return value


_prctl = ctypes.CDLL(None).prctl


def _dies_with_the_test():
    # a test run killed outright (a runner's time limit) takes its preview with it, as a stop would
    _prctl(web_preview.PR_SET_PDEATHSIG, signal.SIGTERM)


def start(policies: Path, index: Path, port: int, **env: str) -> tuple[subprocess.Popen, Path]:
    """python -m web --watch in a session of its own (as from a terminal), started with env added;
    the process and the file its messages go to, beside the index."""
    # a file, not a pipe: a pipe nobody reads would stop the preview once full of the server's warnings
    messages = index.with_name(f"{index.name}-messages.txt")
    with open(messages, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "web", "--watch", "--policies", str(policies), "--index", str(index),
                                 "--port", str(port), "--workers", "2"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, **env),
                                start_new_session=True, preexec_fn=_dies_with_the_test)
    return proc, messages


def end_session(proc: subprocess.Popen) -> None:
    """Kill every process of the preview's session, whatever state it is in."""
    for pid in session(proc.pid):
        os.kill(pid, signal.SIGKILL)
    proc.wait()
    until(lambda: not session(proc.pid), "预览的进程没有全部结束")


@contextmanager
def previewing(policies: Path, tmp_path: Path, **env: str):
    """The preview started; yields (process, port, the file its messages go to). However the test
    ends, every process of the session is killed before the next test: a failed run leaves no server."""
    port = free_port()
    proc, messages = start(policies, tmp_path / "index", port, **env)
    try:
        yield proc, port, messages
    finally:
        end_session(proc)


def serving(proc: subprocess.Popen, port: int, messages: Path) -> None:
    def up():
        assert proc.poll() is None, messages.read_text(encoding="utf-8")
        try:
            return "人社部发〔2020〕11号" in fetch(f"http://127.0.0.1:{port}{CLAUSE}")
        except OSError:
            return False

    until(up, "预览没有启动")


def ended(proc: subprocess.Popen, messages: Path) -> str:
    """Once a stopped preview has no process left, what it said; no traceback among it."""
    until(lambda: not session(proc.pid), "预览的进程没有全部结束")
    said = messages.read_text(encoding="utf-8")
    assert "Traceback" not in said
    return said


def test_every_worker_shows_the_banner_and_a_stop_ends_every_process(policies_copy, tmp_path):
    with previewing(policies_copy, tmp_path) as (proc, port, messages):
        serving(proc, port, messages)
        (arbiter,) = until(lambda: children(proc.pid), "没有网站进程")
        until(lambda: len(children(arbiter)) == 2, "网站的两个进程没有都启动")
        path = break_clause(policies_copy)
        until(lambda: BANNER in fetch(f"http://127.0.0.1:{port}/"), "没有出现问题提示")
        for answers in answered_by_each(SimpleNamespace(pid=arbiter), port, "/").values():
            for status, body in answers:
                assert status == 200 and all(p in body.decode() for p in expected_problems(path))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(WAIT) == 0
        assert "强制结束" not in ended(proc, messages)
        assert not (tmp_path / "index" / previewstate.STATE).exists()


def sigterm(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)


def ctrl_c(proc: subprocess.Popen) -> None:
    # as a terminal does: to every process of the foreground group, the watcher's
    os.killpg(proc.pid, signal.SIGINT)


@pytest.mark.parametrize("stop", [sigterm, ctrl_c])
@pytest.mark.parametrize("parallel", [False, True], ids=["in-the-watcher", "in-worker-processes"])
def test_a_stop_during_a_rebuild_ends_it_and_every_process(policies_copy, tmp_path, stop, parallel):
    # the first build waits at a phase for as long as `hold` exists: the stop comes during it, with
    # the server still starting or already up. With enough documents the build's worker processes
    # are the ones waiting, in the middle of their parts; SIGTERM reaches the watcher alone.
    if parallel:
        if len(os.sched_getaffinity(0)) < 2:
            pytest.skip("只有一个 CPU 核：构建不启动工作进程")
        many_documents(policies_copy, PARALLEL)
    phase = faults.MID_WORKER_SEGMENT if parallel else faults.PARTIAL_MADE
    hold = tmp_path / "hold"
    hold.touch()
    with previewing(policies_copy, tmp_path, KB_BUILD_HOLD_AT=f"{phase}:{hold}") as (proc, port, messages):
        waiting = faults.held(hold, proc, WAIT)
        # the server, in a process group of its own, is the one process that holds the port: not the
        # watcher (a connection made after the server stops is refused), nor the build's workers
        (server,) = {pid for pid in children(proc.pid) if os.getpgid(pid) == pid}
        workers = children(proc.pid) - {server}
        if parallel:
            assert workers and set(waiting) <= workers
        else:
            assert waiting == [proc.pid] and not workers
        assert sockets(server, port, LISTEN) == 1
        assert [pid for pid in {proc.pid, *workers} if sockets(pid, port, LISTEN)] == []
        stop(proc)
        assert proc.wait(WAIT) == 0
        ended(proc, messages)
        # interrupted, not finished (the workers are still held: they were stopped, not waited for):
        # nothing half-built is left, nor a document file, nor a state file
        index = tmp_path / "index"
        assert hold.exists() and not (index / CURRENT).exists()
        assert list((index / BUILDS).iterdir()) == [] and list((index / DOCS).iterdir()) == []
        assert not (index / previewstate.STATE).exists()


def test_a_server_that_does_not_stop_is_killed_with_its_workers(policies_copy, tmp_path):
    with previewing(policies_copy, tmp_path) as (proc, port, messages):
        serving(proc, port, messages)
        (arbiter,) = until(lambda: children(proc.pid), "没有网站进程")
        workers = until(lambda: len(children(arbiter)) == 2 and children(arbiter), "网站的两个进程没有都启动")
        # paused, the server cannot act on the stop, nor can its workers notice their parent gone
        for pid in (arbiter, *workers):
            os.kill(pid, signal.SIGSTOP)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(WAIT) == 128 + signal.SIGKILL
        said = ended(proc, messages)
        assert f"预览：网站进程 {web_preview.STOP_SECONDS} 秒内没有停止，已强制结束。" in said


def test_a_killed_preview_stops_its_server(policies_copy, tmp_path):
    with previewing(policies_copy, tmp_path) as (proc, port, messages):
        serving(proc, port, messages)
        proc.kill()
        proc.wait()

        def refused():
            try:
                fetch(f"http://127.0.0.1:{port}/")
            except OSError:
                return True
            return False

        until(refused, "预览被杀后网站仍在运行")
        until(lambda: not session(proc.pid), "预览被杀后网站的进程没有全部结束")
