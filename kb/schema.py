"""The front matter of a policy file, declared once: each field's key, type, whether it is required,
its vocabulary (a list in kb/taxonomy.yaml) and, in Chinese, its name and what a writer puts there.

Everything that knows the fields reads FRONT_MATTER: the checker's rules (kb/check.py), the
Document's attributes (kb/model.py) and how a file becomes one (kb/docformat.py), the catalog
(kb/index.py), the importer's field order (kb/importer/writer.py), `kb new` and the field table of
policies/README.md (kb/skeleton.py). A new field is one more entry below. The shape follows
MkDocs's config_options: a field class judges one value and says what it becomes; the schema
walks them all, so every problem is found and named by its key's line.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator

from . import dates, docno
from .taxonomy import taxonomy

PLACEHOLDER = "待填写"   # what the importer and `kb new` write where a person must fill in a value
_ID = r"[a-z0-9][a-z0-9-]{1,80}"
ID_PATTERN = re.compile(rf"^{_ID}$")


def listed(value) -> list[str]:
    """A list as writers write one: [a, b], or a single value on its own."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _missing(value) -> bool:
    return value is None or value == "" or value == []


class Field:
    """One front-matter key. `problems` judges a value as written (never a missing one), `value`
    is what the Document holds (also for a missing one), `to_json` what the catalog and the
    stored document files hold."""
    kind = ""              # what the README table calls the type
    annotation: object = str

    def __init__(self, key: str, label: str, help: str, *, required: bool = False, vocabulary: str = "",
                 pattern: re.Pattern | None = None, pattern_rule: str = "",
                 rule: Callable[[str], Iterable[str]] | None = None, example=None, catalog: bool = True):
        self.key = key
        self.label = label              # its Chinese name, in messages: 未知的发文层级“县”
        self.help = help
        self.required = required
        self.vocabulary = vocabulary    # the name of its list in kb/taxonomy.yaml (an attribute of Taxonomy)
        self.pattern = pattern          # what a value (each item of a list) must match …
        self.pattern_rule = pattern_rule    # … and the message when it does not, {value} the value
        self.rule = rule                # a rule of its own: a value (an item) → what is wrong with it
        self.example = example          # what `kb new` shows, commented out, for an optional field
        # in the index's catalog, which lists, filters and facets read without opening a document file
        self.catalog = catalog

    def choices(self) -> tuple[str, ...]:
        return tuple(getattr(taxonomy(), self.vocabulary)) if self.vocabulary else ()

    def vocabulary_text(self) -> str:
        """The allowed values, with what each means where the taxonomy says (收录范围)."""
        values = getattr(taxonomy(), self.vocabulary) if self.vocabulary else ()
        if isinstance(values, dict):
            return "；".join(f"{name}＝{meaning}" for name, meaning in values.items())
        return "、".join(values)

    def _item_problems(self, value) -> Iterator[str]:
        """What the pattern, the rule and the vocabulary say of one value (of one item of a list)."""
        if isinstance(value, str) and self.pattern and not self.pattern.match(value):
            yield self.pattern_rule.format(value=value)
        if isinstance(value, str) and self.rule:
            yield from self.rule(value)
        allowed = self.choices()
        if allowed and str(value) not in allowed:
            yield f"未知的{self.label}“{value}”，可选：{'、'.join(allowed)}"

    def problems(self, value) -> Iterator[str]:
        raise NotImplementedError

    def problems_with(self, values: dict, schema: "Schema") -> Iterator[str]:
        """Problems with this field's value beside the others' (`values`: the fields without problems)."""
        return iter(())

    def value(self, value):
        raise NotImplementedError

    def default(self):
        return self.value(None)

    def to_json(self, value):
        return value

    def from_json(self, value):
        return value


class Text(Field):
    kind = "文字"

    def problems(self, value) -> Iterator[str]:
        if not isinstance(value, (str, int)):
            yield f"字段“{self.key}”应为一段文字"
        elif isinstance(value, str) and PLACEHOLDER in value:
            yield f"字段“{self.key}”尚未填写（导入时未能识别，请按原文补全）"
        yield from self._item_problems(value)

    def value(self, value) -> str:
        return "" if value is None or value == "" else str(value).strip()


class TextList(Field):
    kind = "列表"
    annotation = list[str]

    def __init__(self, *args, one_per_line: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.one_per_line = one_per_line     # the importer writes it one item a line (long URLs)

    def problems(self, value) -> Iterator[str]:
        if not isinstance(value, (str, list)):
            yield f"字段“{self.key}”应为列表，例如 [值1, 值2]"
            return
        for item in value if isinstance(value, list) else [value]:
            yield from self._item_problems(item)

    def value(self, value) -> list[str]:
        return listed(value)


class Date(Field):
    kind = "日期"
    annotation = dt.date | None

    def __init__(self, *args, end_of_term: bool = False, not_before: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.end_of_term = end_of_term      # may lie years ahead: policies set terms (有效期至2027年12月31日)
        self.not_before = not_before        # the key of a date this one cannot precede

    def problems(self, value) -> Iterator[str]:
        day = dates.parse(value)
        if day is None:
            yield f"日期“{value}”无法解析，请写成 {dates.EXPECTED}"
        elif reason := dates.implausible(day, end_of_term=self.end_of_term):
            yield reason

    def problems_with(self, values: dict, schema: "Schema") -> Iterator[str]:
        earliest = values.get(self.not_before)
        if earliest and values[self.key] < earliest:
            yield f"{self.label} {values[self.key]} 早于{schema[self.not_before].label} {earliest}"

    def value(self, value) -> dt.date | None:
        return None if value is None or value == "" else dates.parse(value)

    def to_json(self, value) -> str:
        return value.isoformat() if value else ""

    def from_json(self, value) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None


# what one document does to another; the others are written 被… where the document acting is not held
RELATION_TYPES = ("依据", "延长", "修改", "废止", "替代")
RELATION_SYNONYMS = {"延续": "延长"}
PASSIVE = "被"
RELATION_TARGET = re.compile(rf"^(?P<id>{_ID})(?:/(?P<path>\S.*))?$")
TITLED_TARGET = re.compile(r"^《(?P<title>[^《》]+)》\s*(?:[（(](?P<in_brackets>[^（）()]+)[）)]|(?P<bare>[^（）()]*))$")
_TARGET_RULE = ("关系“{type}”的对象“{value}”应为库内文件的 id（可加 /条款路径，如 fgw-dianfei-2020/要点1），"
                "或未收录文件的《标题》（文号）、文号")


@dataclasses.dataclass(frozen=True)
class Relation:
    """One relation as a document's front matter writes it: `- 延长: fgw-dianfei-2020/要点1`."""
    type: str                 # one of RELATION_TYPES
    incoming: bool = False    # written 被延长: the other document, not held, acts on this one
    id: str = ""              # the other document, when held …
    path: str = ""            # … and the clause of it the relation concerns (延长 one measure of several)
    title: str = ""           # the other document, when not held: its title and 文号 (either may be unknown)
    doc_no: str = ""

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _relation_type(written) -> tuple[str, bool] | None:
    """(type, incoming) of a written key (延长, 延续, 被延长), None for any other. There is no 被依据:
    that a document not held rests on this one says nothing about this one."""
    text = str(written).strip()
    incoming = text.startswith(PASSIVE)
    name = text[len(PASSIVE):] if incoming else text
    name = RELATION_SYNONYMS.get(name, name)
    if name not in RELATION_TYPES or (incoming and name == "依据"):
        return None
    return name, incoming


def read_relation(item) -> Relation | str:
    """A written relation item as a Relation, or what is wrong with it."""
    if not isinstance(item, dict) or len(item) != 1:
        return f"关系应写作“类型: 对象”，如 - 依据: gan-fa-2020-5，而不是“{item}”"
    (key, value), = item.items()
    kind = _relation_type(key)
    if kind is None:
        passive = "、".join(PASSIVE + t for t in RELATION_TYPES if t != "依据")
        return (f"未知的关系“{key}”，可选：{'、'.join(RELATION_TYPES)}（延长也可写作延续）；"
                f"对本文件起作用的文件未收录时写 {passive}")
    name, incoming = kind
    if not isinstance(value, str) or not value.strip():
        return f"关系“{key}”的对象应为一段文字：文件的 id，或《标题》（文号）"
    value = value.strip()
    if m := RELATION_TARGET.match(value):
        if incoming:
            return (f"“{key}”只用于本库未收录的文件（写它的《标题》（文号））；库内文件 {m['id']} "
                    f"请在它自己的头信息中写“{name}: 本文件的 id”")
        return Relation(name, id=m["id"], path=m["path"] or "")
    if m := TITLED_TARGET.match(value):
        return Relation(name, incoming, title=m["title"].strip(), doc_no=(m["in_brackets"] or m["bare"] or "").strip())
    if "号" in value and "《" not in value:
        return Relation(name, incoming, doc_no=value)
    return _TARGET_RULE.format(type=key, value=value)


class Relations(Field):
    """Relations to other documents (kb/relations.py reads them across the library): a list of
    `类型: 对象` items."""
    kind = "关系列表"
    annotation = list[Relation]

    def problems(self, value) -> Iterator[str]:
        if not isinstance(value, list):
            yield f"字段“{self.key}”应为列表，每项一行写作“- 类型: 对象”，如 - 依据: gan-fa-2020-5"
            return
        for item in value:
            relation = read_relation(item)
            if isinstance(relation, str):
                yield relation
            else:
                yield from docno.problems(relation.doc_no)

    def problems_with(self, values: dict, schema: "Schema") -> Iterator[str]:
        for relation in values[self.key]:
            if relation.id and relation.id == values.get("id"):
                yield f"关系“{relation.type}”指向本文件自身（{relation.id}）"

    def value(self, value) -> list[Relation]:
        return [read_relation(item) for item in value or []]

    def to_json(self, value) -> list[dict]:
        return [r.to_json() for r in value]

    def from_json(self, value) -> list[Relation]:
        return [Relation(**r) for r in value]


class Schema:
    """The fields in the order a writer reads them (the importer writes them so, `kb new` lists them so)."""

    def __init__(self, *fields: Field):
        self.fields = fields
        self._by_key = {f.key: f for f in fields}

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, key: str) -> Field:
        return self._by_key[key]

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    def problems(self, written: dict, line_of: Callable[[str], int]) -> Iterator[tuple[int, str]]:
        """Every problem of a front matter as (line, message); line_of(key) is the line of a key
        (1 for a key that is not there)."""
        for key in written:
            if key not in self:
                yield line_of(key), f"未知字段“{key}”（可用字段见 policies/README.md）"
        values = {}
        for f in self.fields:
            value = written.get(f.key)
            if _missing(value):
                if f.required:
                    yield line_of(f.key), f"缺少必填字段“{f.key}”"
                continue
            found = [(line_of(f.key), message) for message in f.problems(value)]
            yield from found
            if not found:
                values[f.key] = f.value(value)
        for f in self.fields:
            if f.key in values:
                yield from ((line_of(f.key), message) for message in f.problems_with(values, self))

    def values(self, written: dict) -> dict:
        """What a Document holds for a front matter that has no problems."""
        return {f.key: f.value(written.get(f.key)) for f in self.fields}

    def add_fields(self, cls):
        """One attribute per field on a class about to become a dataclass (kw_only: required fields
        have no default), before its own."""
        for f in self.fields:
            if not f.required:
                default = f.default()
                setattr(cls, f.key, dataclasses.field(default_factory=list) if isinstance(default, list)
                        else dataclasses.field(default=default))
        cls.__annotations__ = {**{f.key: f.annotation for f in self.fields}, **cls.__dict__.get("__annotations__", {})}
        return cls


_ID_RULE = "id“{value}”只能由小写字母、数字和连字符组成（用于网址和引用）"

FRONT_MATTER = Schema(
    Text("id", "标识", "用于网址和引用，只用小写字母、数字、连字符，如 gan-fa-2020-5；发布后不要再改",
         required=True, pattern=ID_PATTERN, pattern_rule=_ID_RULE),
    Text("title", "标题", "文件全称，照原文，不带书名号", required=True),
    Text("short_title", "简称", "如 13条、48条；搜索“13条第五条”即靠它找到文件", example="13条"),
    TextList("aliases", "别名", "其他常用名称", example=["55条", "若干意见"]),
    Text("type", "文档类型", "文件的种类", required=True, vocabulary="doc_types"),
    Text("level", "发文层级", "发文机关的层级", required=True, vocabulary="levels"),
    TextList("issuers", "发文机关", "照原文；不能确认时不写", example=["嘉峪关市人民政府办公室"]),
    Text("doc_no", "文号", "如 甘发〔2020〕5号、财政部 税务总局公告2020年第8号，括号、年份和序号按 GB/T 9704-2012 书写；"
         "没有文号时不写", rule=docno.problems, example="嘉政办发〔2020〕12号"),
    Date("date", "成文日期", "成文或发布日期"),
    Date("effective_from", "生效日期", "“自印发之日起施行”即成文日期"),
    Date("effective_until", "失效日期", "“有效期至……”；不能早于生效日期", end_of_term=True,
         not_before="effective_from"),
    Text("status", "效力状态", "文件现在的效力", required=True, vocabulary="statuses"),
    # read with the status where a reader weighs it (the citation list's validity line); lists and filters do without it
    Text("status_note", "效力依据", "效力状态从何而来，如 按执行期限 2020-12-31 推定已失效；效力未核实时写明来源缺了什么",
         example="按执行期限 2020-12-31 推定已失效", catalog=False),
    # in the catalog: both directions and the periods they derive are worked out for every document
    Relations("relations", "文件关系", "依据、延长（延续）、修改、废止、替代另一份文件，每项一行写“- 类型: 对象”；对象是库内文件的 id"
              "（可加 /条款路径），未收录的写《标题》（文号）；对本文件起作用的文件未收录时写“被延长”等",
              example="[{依据: gan-fa-2020-5}]"),
    Text("coverage", "收录范围", "本文件收录了官方文本的多少", required=True, vocabulary="coverages"),
    Text("coverage_note", "收录说明", "说明缺了什么、从哪里来，网站会显示给读者", example="……"),
    TextList("areas", "支持领域", "整个文件涉及的支持领域；条款没写领域时沿用它", vocabulary="area_names"),
    TextList("sources", "来源", "来源网址或原文件路径，如 [http://www.jyg.gov.cn/…]", required=True,
             one_per_line=True),
    # shown on the document's own page only: the catalog, which every search loads, does without it
    Text("summary", "概述", "用自己的话写的一两句概述", example="……", catalog=False),
)
