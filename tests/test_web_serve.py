"""`python -m web` as a user runs it: several worker processes on one port, a clean stop, clear errors."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from kb.index import build
from kb.library import Library
from kb.search import search
from tests.conftest import ROOT

DOC_ID = "cs-swzj-2020-8"
QUERY = "社保费 减免"
BASE_URL_FORMAT = "网站地址应为 http(s)://主机[:端口]，不带路径"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> set[int]:
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            found.update(int(c) for c in f.read().split())
    return found


def session(sid: int) -> set[int]:
    """The processes of a session, but zombies (dead, only not reaped yet by whoever adopted them)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            # the fields after the command name (which may hold spaces): state, ppid, pgrp, session
            state, _, _, in_session = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:4]
        except (OSError, ValueError):
            continue                # it has ended meanwhile
        if int(in_session) == sid and state != "Z":
            found.add(int(pid))
    return found


ESTABLISHED, LISTEN = "01", "0A"        # socket states as /proc/net/tcp writes them


def sockets(pid: int, port: int, state: str) -> int:
    """How many sockets of `port` in `state` the process holds open: connections it accepted
    (ESTABLISHED), the listening socket (LISTEN)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in list(f)[1:]:
                cols = line.split()
                if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == state and cols[9] in inodes:
                    count += 1
    return count


@contextmanager
def serving(index: Path, workers: int, *args: str):
    """The real server in its own session (as from a terminal), once all its workers answer;
    yields (process, port, start line)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "web", "--port", str(port), "--index", str(index),
                             "--workers", str(workers), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        start_line = proc.stdout.readline()
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                # the socket listens before any worker exists: wait for an answer and every worker
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/areas", timeout=2):
                    if len(children(proc.pid)) == workers:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "网站没有在 30 秒内启动"
            time.sleep(0.05)
        yield proc, port, start_line
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def answered_by(proc: subprocess.Popen, port: int, path: str) -> tuple[list[tuple[int, bytes]], set[int]]:
    """Answers to `path` over 16 concurrent connections, and the workers that hold those connections."""
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]

    def fetch(conn):
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()

    try:
        with ThreadPoolExecutor(len(conns)) as pool:
            answers = list(pool.map(fetch, conns))
        # the connections stay open (keep-alive), so each is still held by the worker that accepted it
        return answers, {pid for pid in children(proc.pid) if sockets(pid, port, ESTABLISHED)}
    finally:
        for conn in conns:
            conn.close()


@contextmanager
def alone(proc: subprocess.Popen, worker: int):
    """Only `worker` accepts connections meanwhile: its siblings, sharing the listening socket, are
    paused (SIGSTOP), so which worker answers does not depend on how the kernel hands connections out.
    A pause this short is far inside gunicorn's 30 s worker timeout."""
    others = children(proc.pid) - {worker}
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def answered_by_each(proc: subprocess.Popen, port: int, path: str) -> dict[int, list[tuple[int, bytes]]]:
    """Each worker's answers to `path` (16 concurrent connections to it alone)."""
    answers = {}
    for worker in sorted(children(proc.pid)):
        with alone(proc, worker):
            answers[worker], held_by = answered_by(proc, port, path)
        assert held_by == {worker}
    return answers


def test_two_workers_answer_the_same_json_as_the_library(policies_index):
    path = f"/api/search?q={quote(QUERY)}&limit=5"
    expected = search(Library(policies_index), QUERY, limit=5).to_json()
    with serving(policies_index, 2, "--threads", "2") as (proc, port, start_line):
        assert start_line.startswith(f"惠企政策知识库：http://127.0.0.1:{port}/")
        workers = children(proc.pid)
        assert len(workers) == 2
        answers = answered_by_each(proc, port, path)
    assert {worker: [(status, json.loads(body)) for status, body in got] for worker, got in answers.items()} \
        == {worker: [(200, expected)] * 16 for worker in workers}


def test_every_worker_follows_a_rebuild(policies_copy, tmp_path):
    index = tmp_path / "index"
    build(policies_copy, index, progress=False)
    with serving(index, 2) as (proc, port, _):
        workers = children(proc.pid)
        assert len(workers) == 2
        before = answered_by_each(proc, port, f"/api/doc/{DOC_ID}")
        (policies_copy / f"{DOC_ID}.md").unlink()
        build(policies_copy, index, progress=False)
        after = answered_by_each(proc, port, f"/api/doc/{DOC_ID}")
    assert {worker: {status for status, _ in got} for worker, got in before.items()} == dict.fromkeys(workers, {200})
    assert {worker: {status for status, _ in got} for worker, got in after.items()} == dict.fromkeys(workers, {404})


@pytest.mark.parametrize("stop", ["SIGTERM to the server", "Ctrl+C in its terminal"])
def test_a_stop_ends_every_process(policies_index, stop):
    with serving(policies_index, 2) as (proc, port, _):
        workers = children(proc.pid)
        assert len(workers) == 2
        if stop == "SIGTERM to the server":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)          # a terminal sends Ctrl+C to the whole group
        assert proc.wait(timeout=15) == 0
        assert "Traceback" not in proc.stderr.read()
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.mark.parametrize("option, shown", [((), "http://127.0.0.1:{port}"),
                                           (("--base-url", "https://zc.example.gov.cn/"), "https://zc.example.gov.cn")])
def test_permalinks_use_the_base_url_whatever_the_host_header(policies_index, option, shown):
    clause = f"/doc/{DOC_ID}/{quote('一')}"
    with serving(policies_index, 1, *option) as (_, port, _):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{clause}", headers={"Host": "evil.example"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode()
    assert "evil.example" not in page
    assert f'固定链接：<a href="{shown.format(port=port)}{clause}">' in page


def test_a_port_in_use_is_reported_in_chinese(policies_index):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "web", "--port", str(port), "--index", str(policies_index)],
                             cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert run.returncode == 1
    assert run.stderr.strip() == f"无法在 127.0.0.1:{port} 启动：端口已被占用"
    assert run.stdout == ""


@pytest.mark.parametrize("option, value, message", [("--port", "70000", "端口应为 1–65535 的整数"),
                                                    ("--workers", "0", "进程数应为 1–64 的整数"),
                                                    ("--threads", "两个", "线程数应为 1–256 的整数"),
                                                    ("--base-url", "zc.example.gov.cn", BASE_URL_FORMAT),
                                                    ("--base-url", "https://zc.example.gov.cn/kb", BASE_URL_FORMAT),
                                                    ("--base-url", "http://zc.example.gov.cn:八〇", BASE_URL_FORMAT)])
def test_a_bad_option_is_refused_before_anything_starts(option, value, message):
    run = subprocess.run([sys.executable, "-m", "web", option, value], cwd=ROOT, capture_output=True, text=True,
                         timeout=30)
    assert run.returncode == 2
    assert f"{message}：{value}" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("module, args", [("flask", ()),       # the site's framework, the first heavy load
                                          ("gunicorn.app.base", ()),      # the server, loaded by web/__main__.py
                                          # the preview's builder: the port bound, nothing forked yet
                                          ("kb.preview", ("--watch",))])
def test_ctrl_c_while_starting_is_one_chinese_line_and_leaves_nothing(tmp_path, interrupt_at, module, args):
    port, index = free_port(), tmp_path / "index"
    proc = subprocess.Popen([sys.executable, "-m", "web", "--port", str(port), "--index", str(index), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=interrupt_at(module))
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:         # not interrupted: serving
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert (proc.returncode, err) == (130, "已中断，网站没有启动。\n")
    assert out == ("" if not args else f"惠企政策知识库：http://127.0.0.1:{port}/ （索引 {index}，按 Ctrl+C 停止）\n")
    assert not session(proc.pid) and not index.exists()
    socket.create_server(("127.0.0.1", port)).close()       # the port is free again
