"""The front matter declared once (kb/schema.py): a field declared there is checked, held by the
Document, written by the importer and `kb new`, and listed in policies/README.md."""
import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

from kb.check import load, validate
from kb.docformat import parse_text
from kb.importer.writer import Draft, render
from kb.index import catalog_entry
from kb.model import Document
from kb.schema import FRONT_MATTER, ID_PATTERN, Date, Schema, TextList
from kb.skeleton import README, TABLE_END, TABLE_START, field_table, readme_with_table, skeleton
from kb.taxonomy import taxonomy

ROOT = Path(__file__).resolve().parent.parent
TAX_NOTICE = ROOT / "policies" / "cs-swzj-2020-8.md"     # dated, in force from a day, no end of term
FILE = ("---\nid: doc-a\ntitle: 某通知\ntype: 通知\nlevel: 市\nstatus: 已失效\ncoverage: 官方全文\n"
        "sources: [http://example.org]\ndate: 2020-03-15\n{extra}---\n\n## 一、甲\n\n正文。\n")
# a copy of the schema with two fields more, as a new field is declared: one from a taxonomy list,
# one date that cannot precede another
EXTENDED = Schema(*FRONT_MATTER,
                  TextList("sectors", "行业", "整个文件涉及的行业", vocabulary="sectors"),
                  Date("published", "公开日期", "在政府网站上公开的日期", not_before="date"))


def problems(extra: str, schema: Schema = FRONT_MATTER) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in validate(parse_text("a.md", FILE.format(extra=extra)), schema)]


def test_the_committed_readme_table_is_the_schemas():
    text = README.read_text(encoding="utf-8")
    assert readme_with_table(text) == text, "policies/README.md 的字段表不是最新的：请运行 python -m kb.skeleton"


def test_a_field_declared_on_a_copy_of_the_schema_is_checked_by_that_declaration():
    written = "sectors: [餐饮, 住宿]\npublished: 2020-03-16\n"
    assert problems(written) == [(10, "未知字段“sectors”（可用字段见 policies/README.md）"),
                                 (11, "未知字段“published”（可用字段见 policies/README.md）")]
    assert problems(written, EXTENDED) == []
    assert problems("sectors: [餐饮, 宇宙]\npublished: 2020-03-14\n", EXTENDED) == [
        (10, f"未知的行业“宇宙”，可选：{'、'.join(taxonomy().sectors)}"),
        (11, "公开日期 2020-03-14 早于成文日期 2020-03-15"),
    ]
    assert problems("sectors: 餐饮\npublished: 20200316\n", EXTENDED) == [
        (11, "日期“20200316”无法解析，请写成 YYYY-MM-DD，例如 2020-03-15")]
    assert problems("sectors: {餐饮: 1}\n", EXTENDED) == [(10, "字段“sectors”应为列表，例如 [值1, 值2]")]


def test_a_required_field_declared_on_a_copy_is_asked_for():
    required = Schema(*FRONT_MATTER, Date("published", "公开日期", "在政府网站上公开的日期", required=True))
    assert problems("", required) == [(1, "缺少必填字段“published”")]
    assert problems("published: ''\n", required) == [(10, "缺少必填字段“published”")]


def test_a_list_field_declared_with_a_pattern_judges_each_item():
    see_also = Schema(*FRONT_MATTER, TextList("see_also", "参见", "相关文件的 id", pattern=ID_PATTERN,
                                              pattern_rule="参见的“{value}”不是文件的 id（小写字母、数字和连字符）"))
    assert problems("see_also: [gan-fa-2020-5, cs-swzj-2020-8]\n", see_also) == []
    assert problems("see_also: [gan-fa-2020-5, 甘发〔2020〕5号]\n", see_also) == [
        (10, "参见的“甘发〔2020〕5号”不是文件的 id（小写字母、数字和连字符）")]

def test_a_field_declared_on_a_copy_is_in_the_readme_table_and_the_skeleton():
    row = f"| `sectors` | 行业 | 否 | 列表（词表） | 整个文件涉及的行业；取值：{'、'.join(taxonomy().sectors)} |"
    assert row in field_table(EXTENDED).split("\n")
    assert "`sectors`" not in field_table()
    readme = README.read_text(encoding="utf-8")
    table = readme_with_table(readme, EXTENDED).split(TABLE_START)[1].split(TABLE_END)[0]
    assert row in table and "| `published` | 公开日期 | 否 | 日期 | 在政府网站上公开的日期 |" in table
    lines = skeleton(schema=EXTENDED).split("\n")
    sectors = next(line for line in lines if line.startswith("# sectors:"))
    assert sectors.startswith(f"# sectors: [{taxonomy().sectors[0]}]") and "# 行业（可选）：整个文件涉及的行业" in sectors


def test_a_field_declared_on_a_copy_becomes_an_attribute_of_the_model():
    @dataclasses.dataclass(kw_only=True)
    @EXTENDED.add_fields
    class Extended:
        preamble: str = ""

    written = parse_text("a.md", FILE.format(extra="sectors: 餐饮\npublished: 2020年3月16日\n")).fields
    doc = Extended(**EXTENDED.values(written))
    assert (doc.sectors, doc.published, doc.title, doc.preamble) == (["餐饮"], dt.date(2020, 3, 16), "某通知", "")
    assert Extended(**EXTENDED.values(parse_text("a.md", FILE.format(extra="")).fields)).sectors == []


def test_the_document_holds_each_declared_field_then_its_body():
    assert [f.name for f in dataclasses.fields(Document)] == [*FRONT_MATTER.keys, "preamble", "clauses", "source_path"]
    doc, found = load(TAX_NOTICE)
    assert found == [] and Document.from_json(doc.to_json()) == doc
    assert (doc.to_json()["date"], doc.to_json()["effective_until"]) == ("2020-02-06", "")


def test_the_catalog_entry_holds_the_fields_the_schema_puts_there():
    doc, _ = load(TAX_NOTICE)
    entry = catalog_entry(doc, "cs-swzj-2020-8.md", "x.json")
    in_catalog = {f.key for f in FRONT_MATTER if f.catalog}
    assert set(entry) == in_catalog | {"json", "doc_no_key", "clauses", "file"} and "summary" not in in_catalog
    assert (entry["date"], entry["effective_from"], entry["issuers"]) == ("2020-02-06", "2020-01-01", ["财政部", "国家税务总局"])
    assert entry["clauses"] == len(doc.clauses) > 0


def test_the_importer_writes_the_fields_in_the_schemas_order():
    fields = {"summary": "概述。", "sources": ["http://a.example", "http://b.example"], "coverage": "官方全文",
              "status": "已失效", "date": dt.date(2020, 3, 15), "level": "市", "type": "通知", "title": "某通知",
              "id": "doc-a"}
    text = render(Draft(fields=fields, body=["## 一、甲", "", "正文。"]))
    keys = [line.split(":")[0] for line in text.split("---")[1].strip().split("\n") if not line.startswith("  ")]
    assert keys == [k for k in FRONT_MATTER.keys if k in fields]
    assert "sources:\n  - http://a.example\n  - http://b.example\n" in text
    parsed = parse_text("doc-a.md", text)
    assert validate(parsed) == [] and FRONT_MATTER.values(parsed.fields)["date"] == dt.date(2020, 3, 15)


def test_the_readme_command_rewrites_a_stale_table_and_names_a_missing_marker(tmp_path):
    stale = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    stale.write_text(readme_with_table(text, EXTENDED), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kb.skeleton", str(stale)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and stale.read_text(encoding="utf-8") == text and "已更新" in run.stdout
    bare = tmp_path / "bare.md"
    bare.write_text("# 说明\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kb.skeleton", str(bare)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1 and "缺少字段表的标记" in run.stderr and "Traceback" not in run.stderr
    assert bare.read_text(encoding="utf-8") == "# 说明\n"
