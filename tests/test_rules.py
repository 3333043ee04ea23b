"""Each small rule has one home (chain_graph/rules.py, creditcode.ALPHABET) and every user of it agrees:
the import refuses exactly what the export would neutralise, capital is written and read in the
same currencies, lists split the same way everywhere."""

from __future__ import annotations

import itertools

import pytest

from chain_graph import creditcode, rules, synth
from chain_graph.i18n import wan_yuan, yi_sum
from chain_graph.model import Firm, Project
from chain_graph.output.export import sanitize_cell
from chain_graph.settings import AnalysisSettings
from loaders import cleaning
from loaders.columns import TAG_ALIASES
from loaders.import_rows import Rejection, check_cells, read_firm
from loaders.tables import Row

CODE = "91620300" + "0" * 9
CODE += creditcode.check_digit(CODE)
STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]  # half- and full-width
BLANKS = ["", " ", "   ", "\u3000", "\t", " \t"]
VALUES = [blank + start + "SUM(A1)" for blank, start in itertools.product(BLANKS, STARTS)]


def imported_firm(column: str, value: str) -> dict[str, str] | list[Rejection]:
    values = {"id": CODE, "name": "金川镍钴有限公司", column: value}
    result = read_firm(Row(2, values), {c: c for c in values}, "firms.csv", "import:firms.csv")
    return result if isinstance(result, list) else result[0].cells


@pytest.mark.parametrize("column", ["name", "province", "city", "district", "tags"])
def test_the_import_refuses_what_the_export_would_quote(column):
    """Every formula start, after blanks, half- and full-width: either the row is refused at that
    column, or what it stores (text is normalised: blanks trimmed, full-width made half-width)
    leaves the export unchanged; what still starts a formula once trimmed is always refused."""
    refused = 0
    for value in VALUES:
        result = imported_firm(column, value)
        if isinstance(result, list):
            assert [r.column for r in result] == [column] and result[0].reason.key == "import.formula", value
            refused += 1
        else:
            assert sanitize_cell(result[column]) == result[column], value
            assert not rules.formula_start(value.strip(" \t\r\u3000")), f"{value!r} stored, the export quotes it"
    assert refused == len(BLANKS) * 8  # = + - @ in both widths; a leading tab or CR is trimmed away


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "＠x", "－x"], ids=repr)
@pytest.mark.parametrize("column", ["name", "builder"])
def test_project_text_cells_follow_the_same_rule(column, value):
    cells = {"id": "P1", "name": "项目", "status": "under_construction", column: value}
    found = check_cells(2, "projects", "ledger.csv", cells, set(), {})
    assert [r.column for r in found] == [column] and found[0].reason.key == "import.formula"
    assert sanitize_cell(value) != value


@pytest.mark.parametrize("value", ["镍-钴", "a=b", "金川集团", "3C认证", ""])
def test_harmless_text_passes_both(value):
    assert rules.formula_start(value) is None and sanitize_cell(value) == value
    if value:
        assert imported_firm("name", value)["name"] == value


@pytest.mark.parametrize("value, start", [("=1", "="), ("  +1", "+"), ("\t1", "\t"), ("\r\n", "\r"),
                                           ("＝1", "="), ("\u3000@x", "@"), ("－5", "-")])
def test_formula_start_names_the_character(value, start):
    assert rules.formula_start(value) == start


@pytest.mark.parametrize("code", rules.CURRENCIES)
def test_capital_is_written_and_read_in_the_same_currencies(code):
    text = wan_yuan(1234, code)
    assert cleaning.parse_capital(text) == (1234, code)
    firm = Firm(id=CODE, name="甲", registered_capital=1234, capital_currency=code)
    assert rules.to_cny(firm.registered_capital, code) == pytest.approx(1234 * rules.CURRENCIES[code][1])


def test_currency_words_read_back():
    assert cleaning.parse_capital("1000万港币") == (1000, "HKD")
    assert cleaning.parse_capital("1000万元人民币") == (1000, "CNY")
    assert rules.currency_word("GBP") == "GBP" and rules.to_cny(None, "USD") is None


def test_one_list_rule_for_files_models_and_the_import():
    text = "链主；500强,上市，专精特新|高新技术企业、隐形冠军"
    assert rules.split_list(text) == ["链主", "500强", "上市", "专精特新", "高新技术企业", "隐形冠军"]
    assert Firm(id=CODE, name="甲", tags=text).tags == rules.split_list(text)
    assert Project(id="P", name="乙", status="在建", link_ids="a、b;c").link_ids == ["a", "b", "c"]
    assert rules.split_list("高新技术企业 专精特新", blanks=True) == ["高新技术企业", "专精特新"]
    assert imported_firm("tags", "高新企业 专精特新小巨人")["tags"] == rules.LIST_JOIN.join(["高新技术企业", "专精特新"])


def test_the_known_tags_have_one_home():
    assert tuple(AnalysisSettings().tag_values) == rules.TAGS
    assert tuple(synth.TAG_RATES) == rules.TAGS
    assert set(TAG_ALIASES.values()) <= set(rules.TAGS)


def test_synthetic_credit_codes_use_the_one_alphabet():
    import random

    code = synth.credit_code(random.Random(3))
    assert creditcode.is_valid(code) and set(code) <= set(creditcode.ALPHABET)


def test_a_total_sums_the_known_amounts_and_counts_the_unknown():
    known_sum = rules.known_sum
    assert known_sum([2.5, None, 10, None]) == (12.5, 2)
    assert known_sum([None, None]) == (None, 2) and known_sum([]) == (None, 0)
    assert known_sum([0.0, None]) == (0.0, 1)  # a stated 0 is known
    assert yi_sum(*known_sum([None] * 14)) == "未知（14个项目无金额）"
    assert yi_sum(*known_sum([12.5, None, None, None])) == "12.50 亿元（另3个项目无金额）"
    assert yi_sum(*known_sum([12.5])) == "12.50 亿元" and yi_sum(None, 0) == "无数据"
