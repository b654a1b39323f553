"""NIS codes and KBO enterprise numbers: what is accepted, what is refused, and how it is stored."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from procurement.models import Organisation, OrganisationKind
from procurement.validators import (
    normalise_enterprise_number,
    validate_cpv_code,
    validate_enterprise_number,
    validate_nis_code,
)
from tests import factories as f

# The project's own copy of ../shared/reference/municipalities.csv (a fresh clone has no ../shared).
MUNICIPALITIES = Path(__file__).resolve().parents[2] / "procurement" / "data" / "municipalities.csv"


def reference_rows() -> list[dict[str, str]]:
    with MUNICIPALITIES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_reference_file_has_the_sixteen_municipalities_and_their_ocmws():
    rows = reference_rows()
    assert len(rows) == 32
    assert {r["kind"] for r in rows} == {"municipality", "ocmw"}


@pytest.mark.parametrize("row", reference_rows(), ids=lambda r: r["name"])
def test_every_reference_number_is_valid_and_already_normalised(row):
    validate_nis_code(row["nis_code"])
    validate_enterprise_number(row["enterprise_number"])
    assert normalise_enterprise_number(row["enterprise_number"]) == row["enterprise_number"]


# --- NIS codes ---

@pytest.mark.parametrize("code", ["42025", "44087", "11002", "93090", "10000"])
def test_nis_code_valid(code):
    validate_nis_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "", None, "4202", "420250", "02025", "00000", "4202a", "42 025", "42.025", " 42025", "42025 ",
        "42025\n",  # "$" would let a trailing newline through
        "4٢٠٢٥",  # digits of another script are not NIS digits
        "４２０２５",  # full-width digits
    ],
)
def test_nis_code_invalid(code):
    with pytest.raises(ValidationError) as error:
        validate_nis_code(code)
    assert error.value.code == "invalid_nis_code"
    assert "5 digits" in error.value.messages[0]


# --- enterprise numbers ---

@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0207.447.366", "0207.447.366"),
        ("0207447366", "0207.447.366"),
        ("0207 447 366", "0207.447.366"),
        ("BE0207447366", "0207.447.366"),
        ("BE 0207.447.366", "0207.447.366"),
        ("be 0207 447 366", "0207.447.366"),
        ("BE-0207-447-366", "0207.447.366"),
        ("  0207.447.366\t", "0207.447.366"),
        ("207447366", "0207.447.366"),  # the old nine-digit form
        ("207.447.366", "0207.447.366"),
        ("BE207447366", "0207.447.366"),
        ("0212.246.292", "0212.246.292"),
        ("1000.000.021", "1000.000.021"),  # the new 1xxx range
        ("1000.002.197", "1000.002.197"),  # 10000021 % 97 == 0: the check digits are 97, not 00
    ],
)
def test_enterprise_number_formats_are_normalised(typed, stored):
    assert normalise_enterprise_number(typed) == stored
    validate_enterprise_number(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "0207.447.367", "0207.447.365", "0207.447.300", "0207.447.399",  # wrong check digits
        "0207.474.366",  # two digits swapped
        "207447367",  # nine-digit form, wrong check digits
        "BE0212246293",
    ],
)
def test_enterprise_number_wrong_check_digits(typed):
    with pytest.raises(ValidationError) as error:
        normalise_enterprise_number(typed)
    assert error.value.code == "invalid_enterprise_number_check"
    assert "check digits" in error.value.messages[0]
    assert "KBO" in error.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "", None, "0207.447.36", "020744736", "02074473661", "20744736", "2207.447.366",  # wrong length or first digit
        "0207.44A.366", "O207.447.366", "BE", "NL0207447366", "0207,447,366",  # letters, other separators
        "0207.447.36٦",  # a digit of another script
        "0207.447.36²",  # a superscript digit (str.isdigit says yes, int() says no)
        "BEBE0207447366",
    ],
)
def test_enterprise_number_wrong_format(typed):
    with pytest.raises(ValidationError) as error:
        normalise_enterprise_number(typed)
    assert error.value.code == "invalid_enterprise_number_format"
    assert "10 digits" in error.value.messages[0]


def test_the_message_for_wrong_check_digits_names_the_number_as_normalised():
    with pytest.raises(ValidationError) as error:
        normalise_enterprise_number("BE 0207447367")
    assert "0207.447.367" in error.value.messages[0]


# --- on the model: stored normalised, validated by full_clean ---

@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["BE 0207 447 366", "0207447366", "207447366", "be0207.447.366"])
def test_organisation_stores_the_enterprise_number_normalised(typed):
    organisation = Organisation(name="Wetteren", kind=OrganisationKind.MUNICIPALITY, nis_code="42025",
                                enterprise_number=typed)
    organisation.full_clean()  # a valid number typed the long way is not refused for its length
    organisation.save()
    assert Organisation.objects.get(pk=organisation.pk).enterprise_number == "0207.447.366"


@pytest.mark.django_db
def test_organisation_save_normalises_even_without_full_clean():
    organisation = f.OrganisationFactory(enterprise_number="BE0207447366")
    organisation.refresh_from_db()
    assert organisation.enterprise_number == "0207.447.366"


@pytest.mark.django_db
def test_the_same_number_typed_differently_is_the_same_organisation():
    f.OrganisationFactory(name="Wetteren", enterprise_number="0207.447.366")
    duplicate = Organisation(name="Gemeente Wetteren", kind=OrganisationKind.MUNICIPALITY, nis_code="42025",
                             enterprise_number="BE 0207447366")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "enterprise_number" in error.value.message_dict
    with pytest.raises(IntegrityError):
        duplicate.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [("0207.447.367", "check digits"), ("0207.44A.366", "10 digits"), ("BE 0207 447 36", "10 digits")],
)
def test_organisation_full_clean_reports_a_wrong_number_once_under_its_field(typed, message):
    organisation = Organisation(name="X", kind=OrganisationKind.OTHER, enterprise_number=typed)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    messages = error.value.message_dict["enterprise_number"]
    assert len(messages) == 1
    assert message in messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("nis", "ok"), [("42025", True), ("02025", False), ("4202", False), ("4202x", False)])
def test_organisation_full_clean_checks_the_nis_code(nis, ok):
    organisation = Organisation(name="X", kind=OrganisationKind.MUNICIPALITY, nis_code=nis,
                                enterprise_number="0207.447.366")
    if ok:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            organisation.full_clean()
        assert "nis_code" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [OrganisationKind.MUNICIPALITY, OrganisationKind.OCMW])
def test_municipality_and_ocmw_need_a_nis_code(kind):
    organisation = Organisation(name="X", kind=kind, nis_code="", enterprise_number="0207.447.366")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["nis_code"] == ["A municipality or OCMW needs its NIS code."]


@pytest.mark.django_db
def test_a_police_zone_needs_no_nis_code():
    Organisation(name="PZ Schelde-Rupel", kind=OrganisationKind.POLICE_ZONE, nis_code="",
                 enterprise_number="0207.447.366").full_clean()


@pytest.mark.parametrize(("code", "ok"), [("30213100-6", True), ("", True), ("30213100", False),
                                          ("30213100-66", False), ("3021310A-6", False), ("30213100-6\n", False)])
def test_cpv_code(code, ok):
    if ok:
        validate_cpv_code(code)
    else:
        with pytest.raises(ValidationError):
            validate_cpv_code(code)
