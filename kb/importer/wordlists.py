"""Word's automatic numbering (numPr): the label Word shows before a paragraph, which is not in its text.

Offices number 一、（一）1.（1） and 第X条 with list levels rather than typed characters. Each level
names a format (chineseCounting, decimal …) and a pattern (%1、, （%2）, 第%1条); the counters belong
to the abstract list, so list instances sharing one continue its numbering unless they restart
it (startOverride), and numbering a level restarts the levels below it.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..numbering import int_to_cn

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULL_WIDTH),
    "chineseCounting": int_to_cn,
    "chineseCountingThousand": int_to_cn,
    "japaneseCounting": int_to_cn,
    "taiwaneseCounting": int_to_cn,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "ideographTraditional": lambda n: _STEMS[n - 1] if n <= len(_STEMS) else str(n),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "none": lambda n: "",
}


@dataclass
class Level:
    start: int
    format: str
    text: str          # %1、 (the level's own counter and any above it)
    suffix: str        # what Word puts between the label and the text: a tab, a space or nothing


def _val(element, tag: str, default: str | None = None) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val"), default) if child is not None else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Numbering:
    """The numbering of one document; label() is called for its paragraphs in order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, Level]] = {}        # abstractNumId → ilvl → Level
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}   # numId → (abstractNumId, restarts)
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[tuple[str, int]] = set()
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:          # no numbering part: nothing is numbered automatically
            return
        for abstract in root.findall(qn("w:abstractNum")):
            self.levels[abstract.get(qn("w:abstractNumId"))] = {
                _int(lvl.get(qn("w:ilvl")), 0): Level(
                    start=_int(_val(lvl, "w:start"), 1), format=_val(lvl, "w:numFmt", "decimal"),
                    text=_val(lvl, "w:lvlText", ""), suffix=_val(lvl, "w:suff", "tab"))
                for lvl in abstract.findall(qn("w:lvl"))}
        for num in root.findall(qn("w:num")):
            restarts = {_int(o.get(qn("w:ilvl")), 0): _int(_val(o, "w:startOverride"), 1)
                        for o in num.findall(qn("w:lvlOverride")) if o.find(qn("w:startOverride")) is not None}
            self.lists[num.get(qn("w:numId"))] = (_val(num, "w:abstractNumId"), restarts)

    @staticmethod
    def _num_pr(paragraph) -> tuple[str, int] | None:
        """(numId, ilvl) set on the paragraph, else on its style or the styles it is based on."""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_ppr = style.element.find(qn("w:pPr"))
            num_pr = style_ppr.find(qn("w:numPr")) if style_ppr is not None else None
            style = style.base_style
        num_id = _val(num_pr, "w:numId")
        return (num_id, _int(_val(num_pr, "w:ilvl"), 0)) if num_id not in (None, "0") else None

    def label(self, paragraph) -> str:
        """The label Word shows before this paragraph, with the space after it ("" when unnumbered)."""
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.lists:
            return ""
        num_id, ilvl = found
        abstract, restarts = self.lists[num_id]
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract, {})
        if ilvl in restarts and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))
            counters[ilvl] = restarts[ilvl]
        else:
            counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.format == "bullet":
            return ""          # a bullet is no number: the paragraph is plain text
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                above = levels.get(k)
                n = counters.get(k, above.start if above else 1)
                text = text.replace(f"%{k + 1}", FORMATS.get(above.format if above else "decimal", str)(n))
        return text + ("" if level.suffix == "nothing" or not text else " ")
