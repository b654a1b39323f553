"""One reading of typed numbers (core.parsing): what the pages show reads back, plain API strings read, and
anything that is not plainly a number is refused with the formats to use."""

from decimal import Decimal

import pytest

from core.parsing import NumberError, parse_decimal, parse_int

BELGIAN = {
    "200.000": "200000", "1.000": "1000", "1 000": "1000", "1\u00a0000": "1000", "1\u202f000,5": "1000.5",
    "1000,5": "1000.5", "2,5": "2.5", "1.880,00": "1880.00", "1,880.00": "1880.00", "2.5": "2.5",
    "0.012": "0.012", "12 €": "12", "€ 12,50": "12.50", "-3": "-3", "+4": "4", ",5": "0.5",
    "1.234.567,8": "1234567.8", "1 234,5": "1234.5", "10.01": "10.01", "0,0085": "0.0085", "3.": "3", " 7 ": "7",
}
NOT_NUMBERS = ["abc", "1_000", "\u0661\u0662", "\uff11\uff12", "1e3", "1,2,3", "1.00.0", "12.34.5", "1 00", "inf",
               "nan", "", ".", "1 2", "--1", "1.2,3.4", "0x10"]


@pytest.mark.parametrize(("typed", "number"), BELGIAN.items())
def test_the_pages_read_belgian_and_plain_numbers(typed, number):
    assert parse_decimal(typed, belgian=True) == Decimal(number)


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_what_is_not_plainly_a_number_is_refused_with_the_formats(typed):
    with pytest.raises(NumberError) as refused:
        parse_decimal(typed, belgian=True)
    assert refused.value.message in ("Enter a number, like 12 or 2,5.", "Enter a finite number.")


@pytest.mark.parametrize(("typed", "number"), [("12.00", "12.00"), ("2,5", "2.5"), ("-1", "-1"), (".5", "0.5"),
                                               (7, "7"), (Decimal("1.50"), "1.50"), (0.25, "0.25")])
def test_the_api_reads_plain_numbers(typed, number):
    assert parse_decimal(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["1.000,5", "1 000", "1_000", "1e3", "\u0665", "abc", "", "12 €", True, None,
                                   float("inf"), "NaN"])
def test_the_api_refuses_grouped_foreign_or_odd_numbers(typed):
    with pytest.raises(NumberError):
        parse_decimal(typed)


@pytest.mark.parametrize(("value", "expected"), [(12, 12), ("12", 12), (" 12 ", 12), ("1_2", None),
                                                 ("\u0661", None), ("12.0", None), (True, None), (None, None)])
def test_ids_are_ascii_digits(value, expected):
    assert parse_int(value) == expected
