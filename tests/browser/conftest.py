"""The real site in a subprocess (python -m web) driven by Debian's Chromium through Playwright.

Chromium comes from apt (installed here when missing and we are root); a browser is never downloaded.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def _apt_install(package: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
            return False
    return True


def _has_chinese_font() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True) if shutil.which("fc-list") else None
    return bool(found and found.stdout.strip())


def _ensure_chromium() -> None:
    if not Path(CHROMIUM).exists() and not _apt_install("chromium"):
        pytest.skip("没有 /usr/bin/chromium，且无法用 apt-get 安装（需要 root）")
    # without a CJK font the screenshots show boxes instead of Chinese; the tests themselves do not need it
    if not _has_chinese_font():
        _apt_install("fonts-wqy-microhei")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"网站进程提前退出：{proc.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"网站没有在 {seconds} 秒内启动：{url}")


@contextmanager
def serving(index):
    """The real server (python -m web) on a free port over an index; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "web", "--port", str(port), "--index", str(index)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(policies_index):
    with serving(policies_index) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    _ensure_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    assert not errors, f"页面脚本错误或 CSP 拦截：{errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def at(browser, server):
    """A new page at a viewport; the CSP is bypassed here only, so that the test can inject axe-core."""
    contexts = []

    def open_page(viewport: dict, path: str):
        ctx = browser.new_context(base_url=server, locale="zh-CN", viewport=viewport, bypass_csp=True)
        contexts.append(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(path)
        pg.errors = errors
        return pg

    yield open_page
    for ctx in contexts:
        ctx.close()
