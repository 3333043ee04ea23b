"""chain_graph.creditcode: the unified social credit code of GB 32100-2015."""

from __future__ import annotations

import pytest

from chain_graph.creditcode import ALPHABET, LENGTH, WEIGHTS, check_digit, is_valid, problem

PUBLISHED = "91350100M000100Y43"  # the example code printed in GB 32100-2015


def test_published_example_is_valid():
    assert check_digit(PUBLISHED[:-1]) == "3"
    assert problem(PUBLISHED) is None and is_valid(PUBLISHED)


def test_check_digit_by_hand():
    # weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28 over '91620300000000001':
    # 9*1 + 1*3 + 6*9 + 2*27 + 3*26 + 1*28 = 226; 226 % 31 = 9; 31 - 9 = 22 -> ALPHABET[22] = 'N'
    assert check_digit("91620300000000001") == "N"
    assert is_valid("91620300000000001N")


def test_check_digit_zero_case():
    # a body whose weighted sum is a multiple of 31 has check character '0' (not ALPHABET[31])
    body = next(b for b in (f"9162030000000{n:04d}" for n in range(10000))
                if sum(ALPHABET.index(c) * w for c, w in zip(b, WEIGHTS)) % 31 == 0)
    assert check_digit(body) == "0"
    assert is_valid(body + "0") and not is_valid(body + "Y")


@pytest.mark.parametrize("body", ["91620300MA7123456", "12100000400000624", "31110000MD0123456"])
def test_computed_codes_are_valid(body):
    code = body + check_digit(body)
    assert len(code) == LENGTH and is_valid(code)


@pytest.mark.parametrize("wrong", [c for c in "0123456789ABCY" if c != "3"])
def test_wrong_check_digit(wrong):
    code = PUBLISHED[:-1] + wrong
    assert not is_valid(code)
    assert problem(code).text("en") == f"check digit is {wrong} but should be 3"
    assert problem(code).text("zh") == f"校验位是 {wrong}，应为 3"


def test_a_typo_in_the_body_is_caught():
    typo = PUBLISHED[:5] + "2" + PUBLISHED[6:]  # 0 -> 2 in the 6th place
    assert "check digit" in problem(typo).text("en")


@pytest.mark.parametrize("code", [PUBLISHED[:-1], PUBLISHED + "0", "", "9135"])
def test_wrong_length(code):
    assert problem(code).text("en") == f"has {len(code)} characters, a credit code has {LENGTH}"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V", "a", "-"])
def test_forbidden_characters(letter):
    code = PUBLISHED[:8] + letter + PUBLISHED[9:]
    why = problem(code)
    assert why is not None and letter in why.text("en") and "not allowed" in why.text("en")


def test_check_digit_needs_seventeen_allowed_characters():
    with pytest.raises(ValueError):
        check_digit(PUBLISHED)          # 18 characters
    with pytest.raises(ValueError):
        check_digit("91350100I000100Y4")  # 'I' is not in the alphabet
