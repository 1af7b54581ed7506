import pytest

from kb.numbering import cn_to_int, int_to_cn, parse_law_clause, parse_policy_label


@pytest.mark.parametrize("n", range(1, 1200))
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize("text,value", [("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                        ("八十二", 82), ("82", 82), ("两百", 200), ("两千零二十", 2020),
                                        ("一千一百九十九", 1199), ("甲", None)])
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["十十", "三十二十", "二二", "一百一", "两", "十两", "〇", "三点五", "1二"])
def test_malformed_numerals_are_not_numbers(text):
    assert cn_to_int(text) is None


def test_a_malformed_numeral_is_no_label():
    assert parse_law_clause("第十十条 用人单位") is None
    assert parse_policy_label("二二、加大财税支持") is None
    assert parse_policy_label("（三十二十）减免社保费") is None


@pytest.mark.parametrize("line,level,label,rest", [
    ("三、加大财税支持", 1, "三", "加大财税支持"),
    ("（二）减免社保费", 2, "（二）", "减免社保费"),
    ("(二) 减免社保费", 2, "（二）", "减免社保费"),
    ("2. 设备补助", 3, "2", "设备补助"),
    ("（3）其他", 4, "（3）", "其他"),
])
def test_policy_labels(line, level, label, rest):
    parsed = parse_policy_label(line)
    assert (parsed.level, parsed.label, parsed.rest) == (level, label, rest)


def test_law_clause_labels():
    assert parse_law_clause("第八十二条 用人单位").label == "第八十二条"
    assert parse_law_clause("第82条 用人单位").label == "第八十二条"
    sub = parse_law_clause("第三条之一 银行")
    assert (sub.number, sub.sub, sub.label) == (3, 1, "第三条之一")
    assert parse_law_clause("第八十二条规定的") is None   # a reference inside a sentence, not a clause
