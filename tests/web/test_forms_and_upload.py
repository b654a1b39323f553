"""Page forms: one number reading for every field, every error at once with a summary that links to the fields,
and the Excel upload that no longer loses data (the grid shows the uploaded numbers; an old grid cannot write
the old numbers back)."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from core.parsing import NumberError, parse_decimal


@pytest.mark.parametrize(("typed", "number"), [
    ("200.000", Decimal("200000")), ("1.000", Decimal("1000")), ("1 000", Decimal("1000")),
    ("1\u00a0000", Decimal("1000")), ("1000,5", Decimal("1000.5")), ("1.880,00", Decimal("1880.00")),
    ("1,880.00", Decimal("1880.00")), ("2.5", Decimal("2.5")), ("0.012", Decimal("0.012")), ("12 €", Decimal("12")),
    ("1.000.000", Decimal("1000000")), ("-3", Decimal("-3")),
])
def test_one_reading_of_belgian_and_plain_numbers(typed, number):
    assert parse_decimal(typed, belgian=True) == number


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Enter a number, like 12 or 2,5."), ("1,2,3", "Enter a number, like 12 or 2,5."),
    ("1.00.0", "Enter a number, like 12 or 2,5."), ("12,5.000", "Enter a number, like 12 or 2,5."),
    ("NaN", "Enter a finite number."), ("Infinity", "Enter a finite number."),
])
def test_what_is_not_a_number_is_refused_with_the_formats(typed, message):
    with pytest.raises(NumberError) as caught:
        parse_decimal(typed, belgian=True)
    assert str(caught.value.message) == message


def grid_url(p):
    return reverse("participation-detail", args=[p.pk])


def test_the_grid_accepts_the_format_it_shows(client, round_, joined):
    client.force_login(round_.wetteren_people.ict)
    response = client.post(grid_url(joined), {f"quantity_{round_.laptop.pk}": "1.200",
                                              f"quantity_{round_.dock.pk}": "1 000,5", "action": "save"})
    assert response.status_code == 302
    assert dict(joined.lines.values_list("item_id", "quantity")) == {
        round_.laptop.pk: Decimal("1200.00"), round_.dock.pk: Decimal("1000.50")}


def test_every_error_at_once_with_a_summary_linking_to_the_fields(client, round_, joined):
    client.force_login(round_.wetteren_people.ict)
    before = AuditEntry.objects.count()
    response = client.post(grid_url(joined), {f"quantity_{round_.laptop.pk}": "abc",
                                              f"quantity_{round_.dock.pk}": "-3", "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert "There are 2 problems" in summary
    assert (f'<a href="#id_quantity_{round_.laptop.pk}">Quantity of Laptop 14 inch: Enter a number, like 12 or 2,5.'
            '</a>') in summary
    assert f'<a href="#id_quantity_{round_.dock.pk}">Quantity of Docking station USB-C: Enter zero or more.</a>' in summary
    assert joined.lines.get().quantity == Decimal("10.00") and AuditEntry.objects.count() == before


def _template(client, user, p) -> bytes:
    client.force_login(user)
    response = client.get(f"/api/initiatives/{p.initiative_id}/demand-template.xlsx", {"participation": p.pk})
    assert response.status_code == 200
    return response.content


def _filled(content: bytes, quantities: dict) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=7):
        if row[1].value in quantities:
            row[6].value = quantities[row[1].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_after_an_upload_the_grid_shows_the_uploaded_numbers_and_an_old_grid_cannot_write_back(client, round_, joined):
    ict = round_.wetteren_people.ict
    client.force_login(ict)
    page = client.get(grid_url(joined)).content.decode()
    assert "<div hx-disable>" in page  # the upload is a plain post that comes back to this page
    version = re.search(r'name="demand_version" value="([0-9a-f]+)"', page).group(1)

    content = _filled(_template(client, ict, joined), {round_.laptop.pk: 77, round_.monitor.pk: 5})
    upload = SimpleUploadedFile("behoefte.xlsx", content)
    response = client.post(reverse("sheets:demand-upload", args=[joined.pk]), {"file": upload, "next": grid_url(joined)})
    assert response.status_code == 302 and response["Location"] == grid_url(joined)
    page = client.get(grid_url(joined)).content.decode()
    assert f'name="quantity_{round_.laptop.pk}" value="77"' in page
    assert f'name="quantity_{round_.monitor.pk}" value="5"' in page

    # The grid that was open before the upload still holds 10 laptops: saving it is refused, nothing changes.
    before = AuditEntry.objects.count()
    response = client.post(grid_url(joined), {"demand_version": version, f"quantity_{round_.laptop.pk}": "10",
                                              "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "The demand was changed since this page was opened" in html
    assert f'name="quantity_{round_.laptop.pk}" value="77"' in html  # the saved numbers, to work on
    assert dict(joined.lines.values_list("item_id", "quantity")) == {
        round_.laptop.pk: Decimal("77.00"), round_.monitor.pk: Decimal("5.00")}
    assert AuditEntry.objects.count() == before

    fresh = re.search(r'name="demand_version" value="([0-9a-f]+)"', html).group(1)
    response = client.post(grid_url(joined), {"demand_version": fresh, f"quantity_{round_.laptop.pk}": "70",
                                              f"quantity_{round_.monitor.pk}": "5", "action": "save"})
    assert response.status_code == 302
    assert joined.lines.get(item=round_.laptop).quantity == Decimal("70.00")


def test_check_your_answers_before_submitting_the_demand(client, round_, joined):
    from procurement.models import ParticipationState

    client.force_login(round_.wetteren_people.ict)
    assert 'value="review"' in client.get(grid_url(joined)).content.decode()
    response = client.post(grid_url(joined), {f"quantity_{round_.laptop.pk}": "12", f"quantity_{round_.monitor.pk}": "3",
                                              "action": "review"})
    check = reverse("participation-submit", args=[joined.pk])
    assert response.status_code == 302 and response["Location"] == check
    joined.refresh_from_db()
    assert joined.state == ParticipationState.DRAFT  # saved as a draft, not submitted yet
    html = client.get(check).content.decode()
    assert "Check the demand before you submit it" in html
    assert "10.800,00 €" in html and "630,00 €" in html and "11.430,00 €" in html  # 12 × 900, 3 × 210
    assert "Docking station" not in html  # only what is asked
    assert client.post(check).status_code == 302
    joined.refresh_from_db()
    assert joined.state == ParticipationState.SUBMITTED


def test_the_check_page_refuses_an_empty_demand_and_changes_nothing(client, round_, joined):
    from procurement.models import ParticipationState

    client.force_login(round_.wetteren_people.ict)
    client.post(grid_url(joined), {f"quantity_{round_.laptop.pk}": "0", "action": "review"})
    check = reverse("participation-submit", args=[joined.pk])
    before = AuditEntry.objects.count()
    response = client.post(check)
    assert response.status_code == 409 and "Enter a quantity above zero" in response.content.decode()
    assert 'type="submit" class="button"' not in response.content.decode()
    joined.refresh_from_db()
    assert joined.state == ParticipationState.DRAFT and AuditEntry.objects.count() == before
    client.force_login(round_.laarne_people.ict)
    assert client.get(check).status_code == 404  # another organisation's participation
