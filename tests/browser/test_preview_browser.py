"""python -m web --watch in Chromium, as a policy writer uses it: a clause page open, the file edited
and the page showing the change, the file broken and every problem listed on the page as the checker
words it (path:line: message) while the last good text stays, the file fixed and the banner gone.
A screenshot of the banner goes to /tmp/preview-shots/."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_preview import CLAUSE, DOC, WAIT, break_clause, expected_problems, previewing, serving

SHOTS = Path("/tmp/preview-shots")
OLD = "机关事业单位不在减免之列"
NEW = "机关事业单位不在减免之列（预览中改写的一句）"


@pytest.fixture
def preview(tmp_path, policies_copy):
    """The preview's address once it serves; whatever the test does, every process of the preview's
    session (the watcher, the server in its own group, their workers) is killed afterwards."""
    with previewing(policies_copy, tmp_path) as (proc, port, messages):
        serving(proc, port, messages)
        yield f"http://127.0.0.1:{port}"


def reload_until(page, check, what: str) -> None:
    """Reload until check() holds: the writer pressing F5 after a save."""
    deadline = time.monotonic() + WAIT
    while True:
        page.reload()
        if check():
            return
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(100)


def test_save_see_break_see_the_problems_fix_see_them_go(browser, preview, policies_copy):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(base_url=preview, locale="zh-CN", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page = ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    main = page.locator("main")
    banner = page.get_by_role("alert").filter(has_text="预览：政策文件有")
    path = policies_copy / f"{DOC}.md"
    try:
        page.goto(CLAUSE)
        assert OLD in main.inner_text() and NEW not in main.inner_text() and banner.count() == 0

        text = path.read_text(encoding="utf-8")
        assert text.count(OLD) == 1
        path.write_text(text.replace(OLD, NEW), encoding="utf-8")
        reload_until(page, lambda: NEW in main.inner_text(), "改动没有出现在条款页上")
        assert banner.count() == 0

        break_clause(policies_copy)
        expected = expected_problems(path)
        reload_until(page, lambda: banner.count() == 1, "文件有问题，页面上没有出现提示")
        assert banner.locator("li").all_inner_texts() == expected
        assert all(line.startswith(f"{path}:") for line in expected)
        assert NEW in main.inner_text()            # the last good build keeps serving
        page.screenshot(path=str(SHOTS / "banner.png"))

        path.write_text(text.replace(OLD, NEW), encoding="utf-8")
        reload_until(page, lambda: banner.count() == 0, "文件改正后提示没有消失")
        assert NEW in main.inner_text()
        assert not errors, f"页面脚本错误或 CSP 拦截：{errors}"
    finally:
        ctx.close()
