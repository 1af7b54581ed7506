"""The command line: python -m kb search | check | stats … (thin over the library)."""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import re
import sys
from pathlib import Path

from .asked import ASKED_FILE
from .dates import EXPECTED, parse_iso
from .layout import IndexUnavailable
from .filters import FILTERS, choices
from .library import Library
from .limits import DEFAULT as LIMITS, Limits, Settings
from .match import BENEFIT_LABELS, STATUS_LABELS, match
from .profile import LABELS, Profile, ProfileError
from .search import SearchError, search
from .stats import stats

DEFAULT_INDEX = "index"
DEFAULT_POLICIES = "policies"


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _plain(snippet_html: str, tty: bool) -> str:
    marked = re.sub(r"<mark>(.*?)</mark>", "\033[1;33m\\1\033[0m" if tty else "【\\1】", snippet_html)
    return html.unescape(marked)


def cmd_search(args) -> int:
    filters = {f.key: getattr(args, f.key) or [] for f in FILTERS}
    limits = Limits.of({name: value for name, value in (("max_results", args.max_results),
                                                         ("time_limit", args.time_limit)) if value is not None})
    result = search(Library(args.index, Settings(limits=limits)), args.query, filters=filters, limit=args.limit,
                    as_of=args.as_of)
    if args.json:
        _print_json(result.to_json())
        return 0
    tty = sys.stdout.isatty()
    for notice in result.notices:
        print(notice)
    if result.missing:
        print("未找到：" + "、".join(result.missing))
    if result.expanded:
        print("同时搜索了：" + "、".join(result.expanded))
    if result.relaxed:
        print("没有同时包含全部词语的条款，以下按覆盖问题的程度排列。")
    if not result.hits:
        print("没有找到相关条款。可以试试：减少或换用词语，去掉筛选条件。")
        if result.suggestions:
            print("库中相近的词：" + "、".join(result.suggestions))
        if result.suggested_area:
            print(f"也可以按支持领域“{result.suggested_area}”浏览。")
        return 0
    print(f"共 {result.total} 条结果：\n")
    for n, hit in enumerate(result.hits, 1):
        badge = "（已失效）" if hit.status == "已失效" and "已失效" not in hit.citation else ""
        print(f"{n}. {hit.citation}{badge}")
        if hit.heading:
            print(f"   {hit.heading}")
        if hit.in_force_label:
            print(f"   {args.as_of.isoformat()}：{hit.in_force_label}")
        if hit.snippet:
            print(f"   {_plain(hit.snippet, tty)}")
        print(f"   {hit.url}\n")
    return 0


def positive(kind: type, what: str):
    """An argparse type for a limit: a number above 0 (and finite), else the Chinese `what`."""
    def parse(text: str):
        try:
            n = kind(text)
        except ValueError:
            n = 0
        if not (n > 0 and math.isfinite(n)):
            raise argparse.ArgumentTypeError(f"{what}：{text}")
        return n
    return parse


def iso_date(text: str) -> dt.date:
    """An argparse type for --as-of: YYYY-MM-DD, else a Chinese message."""
    day = parse_iso(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，请写成 {EXPECTED}")
    return day


def cmd_check(args) -> int:
    from . import askedcheck
    from .check import check_paths     # the checker (front matter, Markdown) is not loaded to search
    paths = args.paths or [DEFAULT_POLICIES, _shown(ASKED_FILE)]
    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        print(f"{p}:0: 文件或目录不存在", file=sys.stderr)
    present = [p for p in paths if Path(p).exists()]
    recorded = [p for p in present if Path(p).suffix in (".yaml", ".yml")]
    documents = [p for p in present if p not in recorded]
    docs, problems = check_paths(documents) if documents else ([], [])
    asked = []
    if recorded:
        # the questions' clauses are judged against the documents checked with them, else policies/
        against = docs if documents or not Path(DEFAULT_POLICIES).is_dir() else check_paths([DEFAULT_POLICIES])[0]
        asked = [(p, askedcheck.check(p, against)) for p in recorded]
        problems.extend(problem for _, checked in asked for problem in checked.problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems or missing:
        print(f"发现 {len(problems) + len(missing)} 个问题。", file=sys.stderr)
        return 1
    parts = [f"{len(docs)} 个文档，{sum(len(d.clauses) for d in docs)} 个条款"] if documents else []
    parts += [f"{p} 记下 {c.clauses} 个条款的 {c.questions} 个常见问法" for p, c in asked]
    print(f"检查通过：{'；'.join(parts)}。")
    return 0


def _shown(path: Path) -> str:
    """A path as a writer would type it: relative to the working folder when it lies inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_stats(args) -> int:
    data = stats(Library(args.index).current())
    if args.json:
        _print_json(data)
        return 0
    print(f"文档 {data['documents']} 个，条款 {data['clauses']} 个")
    for title, key in (("按收录范围", "by_coverage"), ("按发文层级", "by_level"), ("按支持领域（条款数）", "by_area")):
        print(f"{title}：" + "，".join(f"{k} {v}" for k, v in data[key].items()))
    return 0


def cmd_import(args) -> int:
    # imported here: python-docx and lxml would slow every other command's start
    from tqdm import tqdm

    from .importer import import_sources, report

    if args.source and len(args.sources) != 1:
        print("错误：--source 只能用于单个文件的导入", file=sys.stderr)
        return 2
    outcomes = import_sources(args.sources, args.out, source_url=args.source, force=args.force,
                              progress=lambda files: tqdm(files, desc="导入", unit="个", leave=False,
                                                          disable=len(files) < 50 or None))
    out, err = report.lines(outcomes, verbose=not args.quiet)
    for line in out:
        print(line)
    for line in err:
        print(line, file=sys.stderr)
    print(report.summary(outcomes, args.out))
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _read_profile(path: str) -> Profile:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProfileError(f"无法读取企业情况文件 {path}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"企业情况文件 {path} 不是 UTF-8 编码") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path}:{exc.lineno}: JSON 格式错误（第 {exc.colno} 列）") from None
    return Profile.from_json(data)


def _profile_line(profile: Profile) -> str:
    parts = []
    for key, value in profile.to_json().items():
        if value in (None, []):
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = "、".join(value)
        elif key == "layoff_rate":
            value = f"{value * 100:g}%"
        parts.append(f"{LABELS[key]}：{value}")
    return "，".join(parts) or "未填写（所有条件都需自行确认）"


def cmd_match(args) -> int:
    result = match(Library(args.index).current(), _read_profile(args.profile))
    if args.json:
        _print_json(result.to_json())
        return 0
    print(f"企业情况：{_profile_line(result.profile)}")
    for caveat in result.caveats:
        print(f"说明：{caveat}")
    for status in ("certain", "possible", "not_applicable", "undetermined"):
        items = getattr(result, status)
        print(f"\n== {STATUS_LABELS[status]}（{len(items)} 条）==")
        groups = [("", items)] if status == "possible" else result.grouped(status)    # possible: fewest open first
        for area, group in groups:
            if area:
                print(f"\n【{area}】")
            for item in group:
                print(f"· {item.citation}{'  ' + item.heading if item.heading else ''}")
                if status != "undetermined":
                    print(f"  {'原因' if status == 'not_applicable' else '理由'}：{'；'.join(item.reasons)}")
                if item.open_conditions and status != "not_applicable":
                    print(f"  待确认：{'；'.join(item.open_conditions)}")
                facts = [*(f"{BENEFIT_LABELS[k]}：{v}" for k, v in item.benefit.items()), item.deadline and f"截止：{item.deadline}",
                         item.department and f"负责部门：{item.department}"]
                if status in ("certain", "possible") and any(facts):
                    print(f"  {'；'.join(f for f in facts if f)}")
                print(f"  {item.url}")
    if result.incomplete:
        print("\n以下文件未收录全部条款，其中的措施可能没有列出：")
        for d in result.incomplete:
            print(f"· 《{d['title']}》（{d['coverage']}） {d['url']}")
    return 0


def cmd_new(args) -> int:
    from .importer.writer import write_atomic
    from .skeleton import skeleton

    text = skeleton(law=args.law)
    if not args.out:
        print(text, end="")
        return 0
    target = Path(args.out)
    if target.exists():
        print(f"错误：{target} 已存在，未覆盖", file=sys.stderr)
        return 1
    write_atomic(target, text)
    print(f"已写入 {target}：填好标记为“待填写”的字段后运行 python -m kb check {target}")
    return 0


def _cite_text(cl) -> str:
    out = [f"引用清单（{len(cl.items)} 条）", ""]
    for n, item in enumerate(cl.items, 1):
        out += [f"{n}. {item.heading}", f"   {item.citation}", *(f"   {line}" for line in item.remarks)]
        out += [f"   {line}" for line in item.text.splitlines() if line.strip()]
        out += [f"   {item.url}", ""]
    return "\n".join(out + ["答复用语（草稿）：", cl.reply, ""])


def cmd_cite(args) -> int:
    # imported here like the importer: only this command needs them
    from . import citedoc
    from .cite import CiteError, list_url, resolve

    if args.format == "docx" and not args.out:
        print("错误：--format docx 需要用 --out 指定要写入的 .docx 文件", file=sys.stderr)
        return 2
    try:
        cl = resolve(Library(args.index).current(), args.refs)
    except CiteError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for problem in cl.problems:
        print(f"未找到：{problem}", file=sys.stderr)
    if not cl.items:
        print("没有可以引用的条款。引用写作 文件编号/条款路径，例如 rsbf-2020-11/一；整份文件只写文件编号。",
              file=sys.stderr)
        return 1
    if args.format == "docx":
        data = citedoc.docx(cl, list_url=list_url(cl.refs))
    else:
        text = citedoc.markdown(cl, list_url=list_url(cl.refs)) if args.format == "md" else _cite_text(cl)
        data = text.encode("utf-8")
    if not args.out:
        sys.stdout.write(data.decode("utf-8"))
    else:
        try:
            Path(args.out).write_bytes(data)
        except OSError as exc:
            print(f"错误：无法写入 {args.out}：{exc.strerror}", file=sys.stderr)
            return 2
        print(f"已写入 {args.out}：{len(cl.items)} 条引用")
    return 1 if cl.problems else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kb", description="惠企政策知识库命令行")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("search", help="搜索条款")
    s.add_argument("query")
    for f in FILTERS:
        values = "、".join(choices(f))
        if f.bound:
            s.add_argument(f"--{f.key.replace('_', '-')}", dest=f.key, action="append", metavar="YYYY-MM-DD",
                           help=f"{f.title}（含当天）")
            continue
        s.add_argument(f"--{f.key}", action="append", metavar="值",
                       help=f"{f.title}{'（名称或英文标识）' if f.key == 'area' else ''}，可重复（多个值为“或”）"
                            + (f"；可选：{values}" if values else ""))
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--json", action="store_true")
    s.add_argument("--index", default=DEFAULT_INDEX)
    s.add_argument("--max-results", type=positive(int, "最多结果数应为正整数"), metavar="N",
                   help=f"最多给出的结果数（默认 {LIMITS.max_results}）；超出时提示")
    s.add_argument("--time-limit", type=positive(float, "检索时限应为大于 0 的秒数"), metavar="SECONDS",
                   help=f"检索时限，秒（默认 {LIMITS.time_limit:g}）；超时给出已找到的最佳结果并提示")
    s.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                   help="只列出这一天在执行期内的条款（执行期限未记录的照常列出并注明）")
    s.set_defaults(func=cmd_search)

    c = sub.add_parser("check", help="检查政策文件格式")
    c.add_argument("paths", nargs="*")
    c.set_defaults(func=cmd_check)

    t = sub.add_parser("stats", help="知识库收录情况")
    t.add_argument("--json", action="store_true")
    t.add_argument("--index", default=DEFAULT_INDEX)
    t.set_defaults(func=cmd_stats)

    m = sub.add_parser("match", help="我的企业能享受哪些政策：按企业情况匹配措施")
    m.add_argument("profile", metavar="PROFILE.json", help="企业情况（JSON 对象；- 表示从标准输入读取）")
    m.add_argument("--json", action="store_true")
    m.add_argument("--index", default=DEFAULT_INDEX)
    m.set_defaults(func=cmd_match)

    i = sub.add_parser("import", help="把官方文件（.txt、.docx、LawRefBook .md）转换为本库格式")
    i.add_argument("sources", nargs="+", metavar="SRC", help="文件或目录")
    i.add_argument("--out", required=True, help="输出目录，如 policies/")
    i.add_argument("--source", help="原文网址，写入 sources（只导入一个文件时）")
    i.add_argument("--force", action="store_true", help="覆盖输出目录中内容不同的同名文件")
    i.add_argument("--quiet", action="store_true", help="只报告失败和跳过的文件")
    i.set_defaults(func=cmd_import)

    n = sub.add_parser("new", help="写出一份空白文档骨架，每个头信息字段都附说明")
    n.add_argument("out", nargs="?", help="要写入的文件（省略则打印）")
    n.add_argument("--law", action="store_true", help="法规式（章、第X条），默认是政策文件式（一、（一））")
    n.set_defaults(func=cmd_new)

    r = sub.add_parser("cite", help="引用清单：列出条款的规范引用、效力和原文，写出答复用语草稿（文本、Markdown 或 .docx）")
    r.add_argument("refs", nargs="+", metavar="DOC/PATH",
                   help="文件编号/条款路径，如 rsbf-2020-11/一、gan-fa-2020-5/二/（一）；只写文件编号即引用整份文件")
    r.add_argument("--format", choices=("text", "md", "docx"), default="text")
    r.add_argument("--out", metavar="FILE", help="写入文件（省略则打印；docx 必须指定）")
    r.add_argument("--index", default=DEFAULT_INDEX)
    r.set_defaults(func=cmd_cite)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (SearchError, ProfileError, IndexUnavailable) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader (head, less) went away: nothing more to say
        sys.stderr.close()
        return 0
