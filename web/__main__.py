"""python -m web [--host H] [--port P] [--index DIR]: serve the site with waitress."""
from __future__ import annotations

import argparse
import sys

import waitress

from . import create_app


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m web", description="惠企政策知识库网站")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--index", default="index", help="索引目录（默认 index/）")
    p.add_argument("--threads", type=int, default=4)
    args = p.parse_args(argv)
    print(f"惠企政策知识库：http://{args.host}:{args.port}/ （索引 {args.index}，按 Ctrl+C 停止）", flush=True)
    try:
        waitress.serve(create_app(args.index), host=args.host, port=args.port, threads=args.threads,
                       ident="policy-kb")
    except OSError as exc:
        print(f"无法在 {args.host}:{args.port} 启动：{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
