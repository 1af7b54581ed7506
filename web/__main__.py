"""python -m web [--host H] [--port P] [--base-url URL] [--index DIR] [--threads N] [--workers N]
[--max-results N] [--time-limit SECONDS] [--watch [--policies DIR]]: serve the site; with --watch,
also rebuild the index on every save under the policies folder (web/preview.py).

gunicorn runs N worker processes (gthread) on one listening socket, so searches use every core
instead of queuing behind one interpreter's GIL.
"""
from __future__ import annotations

import sys


def interrupted() -> int:
    """Ctrl+C before the server, or the preview, has set its own handler for it (while the code loads,
    before it serves; nothing is running yet): one line instead of Python's traceback."""
    print("已中断，网站没有启动。", file=sys.stderr)
    return 130


try:
    import argparse
    import errno
    import os
    import socket
    from pathlib import Path
    from urllib.parse import urlsplit

    from gunicorn.app.base import BaseApplication

    from kb.cli import positive
    from kb.limits import DEFAULT as LIMITS
    from kb.search import MAX_LIMIT, MAX_PAGE

    from . import preview
    from .app import create_app
    from .params import MAX_Q
    from .worker import Worker
except KeyboardInterrupt:
    sys.exit(interrupted())

# The request line holds q at its longest percent-encoded (a Chinese character is 9 bytes: %E4%BC%81),
# plus the path, the other parameters (filter values are Chinese too: every area, level, status and
# enterprise type ticked take 714 bytes, leaving room for a dozen issuers), method and protocol.
# gunicorn reads at most 8190 bytes whatever it is set to; a longer line gets web.worker's Chinese 414.
REQUEST_LINE = 9 * MAX_Q + 2700


class Site(BaseApplication):
    def __init__(self, index: str, listen_fd: int, workers: int, threads: int, base_url: str, limits: dict,
                 watching: bool):
        self.index = index
        self.config = {"BASE_URL": base_url, "SEARCH_LIMITS": limits, "PREVIEW": watching}
        self.settings = {
            "bind": [f"fd://{listen_fd}"],
            "worker_class": Worker,
            "workers": workers,
            "threads": threads,
            "limit_request_line": REQUEST_LINE,
            # gunicorn's own lines are in English and for developers; a user sees only our start line
            "loglevel": "warning",
            # several servers (tests, benches) run side by side: no shared control socket in $HOME
            "control_socket_disable": True,
            # a stop must not hang on a stuck request for gunicorn's default 30 s
            "graceful_timeout": 5,
        }
        super().__init__(prog="python -m web")

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        # called in each worker after fork: every process opens its own Library and searchers
        return create_app(self.index, self.config)


def listen(host: str, port: int) -> socket.socket:
    """Bind here rather than in gunicorn, whose bind retries for 5 s and reports in English."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=2048)


def reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "端口已被占用"
    if isinstance(exc, socket.gaierror):
        return f"无法解析主机名（{exc.strerror}）"
    # create_server appends an English note to strerror; the system's own text is enough
    return os.strerror(exc.errno) if exc.errno else str(exc)


def bounded(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            n = low - 1
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"{what}：{text}")
        return n
    return parse


def base_url(text: str) -> str:
    """http(s)://host[:port]: permalinks are this address followed by the site's own paths."""
    try:
        parts = urlsplit(text.strip())
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
                 and parts.username is None and not parts.path.strip("/") and not parts.query and not parts.fragment)
    except ValueError:      # a malformed [IPv6] host, or a port that is not a number in range
        valid = False
    if not valid:
        raise argparse.ArgumentTypeError(f"网站地址应为 http(s)://主机[:端口]，不带路径：{text}")
    return f"{parts.scheme}://{parts.netloc}"


def bound_address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m web", description="惠企政策知识库网站")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=bounded(1, 65535, "端口应为 1–65535 的整数"), default=5000)
    p.add_argument("--base-url", type=base_url, help="别人访问本站的地址，固定链接由它写出（默认为监听地址，"
                   "如 http://127.0.0.1:5000；在反向代理之后或对外提供时请设置）")
    p.add_argument("--index", default="index", help="索引目录（默认 index/）")
    p.add_argument("--threads", type=bounded(1, 256, "线程数应为 1–256 的整数"), default=4, help="每个进程的线程数（默认 4）")
    p.add_argument("--workers", type=bounded(1, 64, "进程数应为 1–64 的整数"), default=len(os.sched_getaffinity(0)),
                   help="进程数（默认为 CPU 核数）")
    # the two limits an operator weighs (how deep people may page, how long one search may take);
    # the others are for create_app(config) callers and keep kb.limits' defaults here
    deepest = MAX_PAGE * MAX_LIMIT
    p.add_argument("--max-results", type=bounded(1, deepest, f"最多可翻看的结果数应为 1–{deepest} 的整数"), metavar="N",
                   help=f"翻页最多能看到的结果数（默认 {LIMITS.max_results}）；更深的页只提示加筛选条件")
    p.add_argument("--time-limit", type=positive(float, "检索时限应为大于 0 的秒数"), metavar="SECONDS",
                   help=f"每次检索的时限，秒（默认 {LIMITS.time_limit:g}）；超时返回已找到的最佳结果并提示")
    p.add_argument("--watch", action="store_true", help="预览：监视政策文件目录，保存后自动检查并增量更新索引，"
                   "有问题时每个页面顶部列出")
    p.add_argument("--policies", help="--watch 监视的政策文件目录（默认 policies/）")
    args = p.parse_args(argv)
    if args.policies is not None and not args.watch:
        p.error("--policies 只与 --watch 一起使用")
    policies = args.policies or "policies"
    if args.watch and not Path(policies).is_dir():
        print(f"找不到政策文件目录：{policies}（--policies 应为存放政策文件的目录）", file=sys.stderr)
        return 1
    limits = {name: value for name, value in (("max_results", args.max_results), ("time_limit", args.time_limit))
              if value is not None}
    try:
        sock = listen(args.host, args.port)
    except OSError as exc:
        print(f"无法在 {args.host}:{args.port} 启动：{reason(exc)}", file=sys.stderr)
        return 1
    print(f"惠企政策知识库：{bound_address(args.host, args.port)}/ （索引 {args.index}，按 Ctrl+C 停止）", flush=True)

    def serve():
        # gunicorn takes the descriptor over (and closes it): the socket object must no longer own it
        Site(args.index, sock.detach(), args.workers, args.threads, args.base_url or bound_address(args.host, args.port),
             limits, args.watch).run()

    if args.watch:
        return preview.run(Path(policies), Path(args.index), serve, handed_over=sock.close)
    serve()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(interrupted())
