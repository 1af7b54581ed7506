"""Build or update the search index: python build_index.py [--policies DIR] [--index DIR] [--full]."""
from __future__ import annotations

import argparse
import sys

INTERRUPTED = "构建已中断，原有索引保持不变。"

try:
    from kb.index import BuildError, build
    from kb.oserrors import reason
except KeyboardInterrupt:       # Ctrl+C while the code loads: one line, not Python's traceback
    print(INTERRUPTED, file=sys.stderr)
    sys.exit(130)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="构建或增量更新检索索引")
    p.add_argument("--policies", default="policies", help="政策文件目录（默认 policies/）")
    p.add_argument("--index", default="index", help="索引目录（默认 index/）")
    p.add_argument("--full", action="store_true", help="全量重建，而不是只更新改动的文件")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = p.parse_args(argv)
    try:
        summary = build(args.policies, args.index, full=args.full, progress=False if args.quiet else None)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"构建未完成：发现 {len(exc.problems)} 个问题，原有索引保持不变。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"构建失败：{reason(exc)}（{exc.filename or args.index}），原有索引保持不变。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    print(summary.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
