"""The findings of the hostile-client review (issue 16), each reproduced: no request produces a 500, every
``/api/`` answer is JSON in the API's error shape, uploads are bounded, the schema tells the truth, input is
strict. Every refusal changes nothing."""

import io
import re
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from procurement import services
from tests.conftest import domain_snapshot
from tests.web.conftest import joined  # noqa: F401 — the fixture (tests/web/conftest.py since issue 17)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

DEEP = "[" * 1000 + "]" * 1000


def client_for(user=None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def participation(joined):  # noqa: F811 — the imported fixture
    """Wetteren's draft with 10 laptops (the pages' tests' ``joined``)."""
    return joined


def api_paths(participation) -> list[str]:
    """Every route under /api/, its integer arguments filled in with the participation's or its
    initiative's id (other routes answer 404, which is what we check too), other arguments with a word."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    found = set()
    for route in walk(get_resolver().url_patterns, "/"):
        if not route.startswith("/api/"):
            continue
        route = route.lstrip("^").replace("\\Z", "").replace("$", "")
        route = re.sub(r"<int:[a-z_]*pk>|<int:participation_id>", str(participation.pk), route)
        route = re.sub(r"<int:[a-z_]+>", str(participation.initiative_id), route)
        route = re.sub(r"<(?:str|slug):[a-z_]+>", "submit", route)
        route = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "json", route)
        found.add(route.replace("/api/api/", "/api/"))
    return sorted(found)


def test_the_sweep_covers_the_api(participation):
    paths = api_paths(participation)
    assert len(paths) > 40
    assert f"/api/participations/{participation.pk}/demand/" in paths


@pytest.mark.parametrize("who", ["anonymous", "ict", "procurement"])
def test_no_request_to_any_api_route_is_a_500_and_every_answer_is_json(round_, participation, who):
    """OPTIONS and HEAD and GET everywhere; null, [], a string, 1 000-deep nesting and broken JSON as the body
    of every POST, PUT and PATCH; as an anonymous caller, an ICT officer and a procurement officer."""
    user = {"anonymous": None, "ict": round_.wetteren_people.ict, "procurement": round_.lead_people.procurement}[who]
    client = client_for(user)
    problems = []
    for path in api_paths(participation):
        calls = [("options", None), ("head", None), ("get", None)]
        calls += [(method, body) for method in ("post", "put", "patch") for body in ("null", "[]", '"x"', DEEP, "{")]
        for method, body in calls:
            if body is None:
                response = getattr(client, method)(path)
            else:
                response = getattr(client, method)(path, body, content_type="application/json")
            content_type = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {path} {body and body[:10]!r}: {response.status_code}")
            elif response.status_code >= 400 and method != "head" and not content_type.startswith("application/json"):
                problems.append(f"{method.upper()} {path}: {response.status_code} as {content_type}")
    assert problems == [], "\n".join(problems)


def test_nested_json_is_refused_before_decoding_even_without_signing_in():
    response = client_for().post("/api/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body nests deeper than 32 levels."}


def test_a_json_body_larger_than_the_limit_is_refused(round_, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = '{"username": "%s", "password": "x"}' % ("a" * 1000)
    response = client_for().post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body is larger than 1.000 bytes; send less at a time."}


def test_brackets_inside_strings_do_not_count_as_nesting(round_):
    body = '{"username": "%s", "password": "x"}' % ("[{" * 200)
    response = client_for().post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


@pytest.mark.parametrize("body", ["null", "[]", '"x"', "12"])
@pytest.mark.parametrize("path", ["/api/documents/", "/api/initiatives/{i}/documents/batches/"])
def test_a_body_that_is_not_an_object_is_refused(round_, path, body):
    before = domain_snapshot()
    response = client_for(round_.lead_people.procurement).post(
        path.format(i=round_.initiative.pk), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": 'The body must be a JSON object, like {"field": "value"}.'}
    assert domain_snapshot() == before


def test_options_on_the_demand_is_answered(participation):
    response = client_for(participation.organisation.memberships.get(role="ict").user).options(
        f"/api/participations/{participation.pk}/demand/")
    assert response.status_code == 200
    assert response.json()["name"] == "Demand"


@pytest.mark.parametrize("path", ["/api/nothing/", "/api/initiatives/abc/", "/api/participations/1/nope/"])
def test_an_unknown_api_address_is_a_json_404(round_, path):
    response = client_for(round_.lead_people.procurement).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is no such address in the API; see /api/docs/."}


def test_an_unknown_page_is_still_the_html_404(round_, client):
    client.force_login(round_.lead_people.procurement)
    response = client.get("/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_error_under_the_api_is_a_json_500(round_, monkeypatch):
    from procurement.api.views import auth

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(auth.MeView, "get", broken)
    response = client_for(round_.lead_people.procurement).get("/api/me/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; try again later or tell the service desk."}


# --- bounded uploads ---

SHEET = "xl/worksheets/sheet1.xml"


def template_of(participation) -> bytes:
    user = participation.organisation.memberships.get(role="ict").user
    response = client_for(user).get(f"/api/initiatives/{participation.initiative_id}/demand-template.xlsx",
                                    {"participation": participation.pk})
    assert response.status_code == 200
    return response.content


def with_sheet(content: bytes, change) -> bytes:
    """The workbook with its worksheet's XML changed by ``change(xml) -> xml``, every other part as it was."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member.filename, change(data) if member.filename == SHEET else data)
    return out.getvalue()


def upload_as_ict(participation, content: bytes):
    user = participation.organisation.memberships.get(role="ict").user
    return client_for(user).post(f"/api/participations/{participation.pk}/demand-upload/",
                                 {"file": SimpleUploadedFile("behoefte.xlsx", content)}, format="multipart")


def one_row_of(cells: int) -> bytes:
    return b"<row r=\"7\">" + b"<c><v>1</v></c>" * cells + b"</row>"


def test_a_row_of_3_2_million_cells_is_refused_quickly_and_changes_nothing(participation):
    content = with_sheet(template_of(participation),
                         lambda xml: re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>",
                                            b"<sheetData>" + one_row_of(3_200_000) + b"</sheetData>", xml, flags=re.S))
    assert len(content) < 300_000  # packed: about 100 KB; unpacked 48 MB, under the 50 MB archive limit
    before = domain_snapshot()
    started = time.monotonic()
    response = upload_as_ict(participation, content)
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    # Its cells carry no reference, so they count on from column A: the 53rd is the first refused.
    assert response.json()["file"] == [
        "The workbook has a value in column BA; a demand template uses the columns A to H, and nothing beyond "
        "column AZ is read."]
    assert elapsed < 5  # 40 s before; the scan stops at the limit (timings of record: bench/)
    assert domain_snapshot() == before


def unchanged(xml: bytes) -> bytes:
    return xml


def appended(rows: bytes):
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


TEMPLATE_TOO_BIG = "a demand template has far fewer. Download a fresh template and fill it in."


@pytest.mark.parametrize(("limit", "value", "change", "message"), [
    ("MAX_ROWS", 20, appended(b"".join(b'<row r="%d"/>' % n for n in range(7, 40))),
     f"The workbook holds more than 20 rows; {TEMPLATE_TOO_BIG}"),
    ("MAX_CELLS", 20, appended(b'<row r="7">' + b"<c/>" * 30 + b"</row>"),
     f"The workbook holds more than 20 cells; {TEMPLATE_TOO_BIG}"),
    ("MAX_SHARED_STRINGS", 3, unchanged, f"The workbook holds more than 3 texts; {TEMPLATE_TOO_BIG}"),
    ("PARSE_SECONDS", 0.0, unchanged, "The workbook takes longer than 0 seconds to read; a demand template reads "
                                      "in well under a second. Download a fresh template and fill it in."),
])
def test_each_limit_is_named_in_its_refusal(participation, monkeypatch, limit, value, change, message):
    from procurement.sheets import limits

    monkeypatch.setattr(limits, limit, value)
    before = domain_snapshot()
    response = upload_as_ict(participation, with_sheet(template_of(participation), change))
    assert response.status_code == 400
    assert response.json()["file"] == [message]
    assert domain_snapshot() == before


def test_a_value_far_to_the_right_is_refused(participation):
    content = with_sheet(template_of(participation), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="2000"><c r="XFD2000"><v>5</v></c></row></sheetData>'))
    response = upload_as_ict(participation, content)
    assert response.status_code == 400
    assert response.json()["file"] == [
        "The workbook has a value in column XFD; a demand template uses the columns A to H, and nothing beyond "
        "column AZ is read."]


def declared_dimension(xml: bytes, ref: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + ref + b'"/>', xml)


def without_row_of(xml: bytes, item_id: int) -> bytes:
    rows = re.findall(rb"<row .*?</row>", xml, flags=re.S)
    theirs = [row for row in rows if re.search(rb'<c r="B\d+"[^>]*><v>%d</v>' % item_id, row)]
    assert len(theirs) == 1
    return xml.replace(theirs[0], b"")


def test_a_quantity_outside_the_declared_dimension_is_read(round_, participation):
    """The sheet declares A1:G7; the monitor's row is typed below it by hand, as row 12."""
    monitor = round_.monitor
    content = with_sheet(template_of(participation), lambda xml: declared_dimension(
        without_row_of(xml, monitor.pk), b"A1:G7").replace(
        b"</sheetData>", b'<row r="12"><c r="B12"><v>%d</v></c><c r="G12"><v>7</v></c></row></sheetData>'
        % monitor.pk))
    response = upload_as_ict(participation, content)
    assert response.status_code == 200, response.content
    lines = {line.item_id: line.quantity for line in participation.lines.all()}
    assert lines == {round_.laptop.pk: Decimal("10.00"), monitor.pk: Decimal("7.00")}


def test_a_wrong_value_outside_the_declared_dimension_is_reported(participation):
    content = with_sheet(template_of(participation), lambda xml: declared_dimension(xml, b"B7:G7").replace(
        b"</sheetData>", b'<row r="2000"><c r="G2000"><v>3</v></c></row></sheetData>'))
    before = domain_snapshot()
    response = upload_as_ict(participation, content)
    assert response.status_code == 400
    assert response.json()["file"] == ["Sheet Demand, row 2000, column G: The sheet has content far below the "
                                       "items; remove it."]
    assert domain_snapshot() == before


# --- the schema's promises kept by the answers ---


@pytest.mark.parametrize(("query", "answer"), [
    ({"page_size": "__main__"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
    ({"page_size": "0"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
    ({"page_size": "501"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
    ({"page_size": "٥"}, {"page_size": ["Enter a whole number from 1 to 500."]}),
    ({"page": ""}, {"page": ["Enter a page number from 1 on."]}),
    ({"page": "x"}, {"page": ["Enter a page number from 1 on."]}),
    ({"kind": ""}, {"kind": ["Give a value, or leave kind out."]}),
    ({"state": " "}, {"state": ["Give a value, or leave state out."]}),
])
def test_wrong_list_parameters_are_refused(round_, query, answer):
    response = client_for(round_.lead_people.procurement).get("/api/initiatives/", query)
    assert response.status_code == 400
    assert response.json() == answer


def test_good_list_parameters_still_work(round_):
    response = client_for(round_.lead_people.procurement).get("/api/initiatives/", {"page_size": "1", "page": "1",
                                                                                    "kind": "joint_purchase"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_idea_shows_its_blank_legal_basis_and_the_schema_allows_it(round_):
    from procurement.models import Initiative

    Initiative.objects.filter(pk=round_.initiative.pk).update(legal_basis="")
    answer = client_for(round_.lead_people.procurement).get(f"/api/initiatives/{round_.initiative.pk}/").json()
    assert answer["legal_basis"] == ""


# --- strict input: ASCII digits, no control characters, bounded text ---


@pytest.mark.parametrize(("text", "belgian", "number"), [
    ("1.000", True, "1000"), ("1 000", True, "1000"), ("1\u00a0000", True, "1000"), ("1000,5", True, "1000.5"),
    ("1.880,00", True, "1880.00"), ("2.5", True, "2.5"), (" 40 ", True, "40"), ("2,5", False, "2.5"),
    ("1000.5", False, "1000.5"), ("-3", False, "-3"),
])
def test_the_number_parser_takes_the_separators_people_type(text, belgian, number):
    from core.parsing import parse_decimal

    assert parse_decimal(text, belgian=belgian) == Decimal(number)


@pytest.mark.parametrize("text", ["1_000", "٥", "۱۲", "１２", "1e3", "0x10", "1.00.0", "12\u202e", ""])
@pytest.mark.parametrize("belgian", [True, False])
def test_the_number_parser_refuses_everything_else(text, belgian):
    from core.parsing import NumberError, parse_decimal

    with pytest.raises(NumberError):
        parse_decimal(text, belgian=belgian)


A_NUMBER = {"lines": [{"quantity": ["Enter a number, like 12 or 2.5."]}]}


@pytest.mark.parametrize("quantity", ["1_000", "٤٠", "４０", "1e3"])
def test_lenient_quantities_are_refused_through_the_api(participation, quantity):
    before = domain_snapshot()
    ict = participation.organisation.memberships.get(role="ict").user
    response = client_for(ict).put(f"/api/participations/{participation.pk}/demand/",
                                   {"lines": [{"item": participation.lines.get().item_id, "quantity": quantity}]},
                                   format="json")
    assert response.status_code == 400
    assert response.json() == A_NUMBER
    assert domain_snapshot() == before


@pytest.mark.parametrize("item", ["٣", "３", "3_0"])
def test_an_item_id_in_other_digits_is_no_item(round_, participation, item):
    ict = participation.organisation.memberships.get(role="ict").user
    response = client_for(ict).put(f"/api/participations/{participation.pk}/demand/",
                                   {"lines": [{"item": item, "quantity": "1"}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": [{"item": [f"Item {item} is not part of this initiative."]}]}


@pytest.mark.parametrize(("price", "status"), [("١٠", 400), ("1_0", 400), ("10.50", 201)])
def test_a_price_in_other_digits_is_refused(round_, price, status):
    body = {"lot": round_.laptop.lot_id, "name": "Headset", "unit": "piece", "estimated_unit_price": price,
            "vat_rate": "21"}
    response = client_for(round_.lead_people.procurement).post(f"/api/initiatives/{round_.initiative.pk}/items/",
                                                               body, format="json")
    assert response.status_code == status, response.content
    if status == 400:
        assert response.json() == {"estimated_unit_price": ["A valid number is required."]}


def test_the_demand_page_reads_belgian_thousands(round_, participation, client):
    client.force_login(participation.organisation.memberships.get(role="ict").user)
    laptop = round_.laptop
    response = client.post(f"/participations/{participation.pk}/", {f"quantity_{laptop.pk}": "1.000", "action": "save"})
    assert response.status_code in (200, 302)
    assert participation.lines.get(item=laptop).quantity == Decimal("1000.00")


CONTROL = "Remove the control characters (line breaks, tabs or invisible direction marks) from this text."


@pytest.mark.parametrize(("path", "body", "answer"), [
    ("/api/ideas/", {"title": "Printers\u202e"}, {"title": [CONTROL]}),
    ("/api/ideas/", {"title": "Printers\nand more"}, {"title": [CONTROL]}),
    ("/api/ideas/", {"title": "Printers\x07"}, {"title": [CONTROL]}),
    ("/api/ideas/", {"description": "x" * 10_001}, {"description": ["Ensure this field has no more than 10000 characters."]}),
    ("/api/ideas/", {"description": "Zwart\x1b[31m"}, {"description": [
        "Remove the control characters (invisible characters or direction marks) from this text."]}),
])
def test_control_characters_and_long_text_are_refused(round_, path, body, answer):
    before = domain_snapshot()
    full = {"kind": "joint_purchase", "title": "Printers", "circles": [round_.circle.pk],
            "proposing_organisation": round_.wetteren.pk, **body}
    response = client_for(round_.wetteren_people.ict).post(path, full, format="json")
    assert response.status_code == 400
    assert response.json() == answer
    assert domain_snapshot() == before


def test_a_description_keeps_its_line_breaks(round_):
    full = {"kind": "joint_purchase", "title": "Printers", "circles": [round_.circle.pk],
            "proposing_organisation": round_.wetteren.pk, "description": "Eerst dit.\r\nDan dat.\tKlaar."}
    response = client_for(round_.wetteren_people.ict).post("/api/ideas/", full, format="json")
    assert response.status_code == 201


def test_a_decision_reference_with_a_control_character_is_refused(participation):
    services.participation_submit(participation=participation,
                                  actor=participation.organisation.memberships.get(role="ict").user)
    alderman = participation.organisation.memberships.get(role="alderman").user
    response = client_for(alderman).post(f"/api/participations/{participation.pk}/transitions/approve/",
                                         {"decision_date": "2026-01-10", "decision_reference": "CBS/1\u202e"},
                                         format="json")
    assert response.status_code == 400
    assert response.json() == {"decision_reference": [CONTROL]}


@pytest.mark.parametrize(("path", "body", "answer"), [
    ("/api/initiatives/{i}/documents/batches/", {"kind": "participation_decision", "language": [None, None]},
     {"language": ["Choose one of: nl, en."]}),
    ("/api/documents/", {"kind": ["participation_decision"], "subject_id": 1}, None),
])
def test_lists_where_the_documents_take_text_are_refused(round_, path, body, answer):
    """Found by Schemathesis: a list for the language was a 500."""
    response = client_for(round_.lead_people.procurement).post(path.format(i=round_.initiative.pk), body,
                                                               format="json")
    assert response.status_code == 400, response.content
    if answer is not None:
        assert response.json() == answer


# --- the login throttle counts atomically ---


def test_parallel_sign_in_attempts_cannot_slip_past_the_throttle(settings):
    """Forty attempts at the same moment for one username (a fresh cache): exactly LOGIN_THROTTLE_ATTEMPTS
    may check a password. Before, every one passed the check before any failure was counted."""
    import threading

    from django.core.cache import cache
    from django.test import RequestFactory

    from procurement.views.account import LoginThrottle

    settings.LOGIN_THROTTLE_ATTEMPTS = 5
    cache.clear()
    barrier = threading.Barrier(40)
    allowed = []

    def attempt(n: int) -> None:
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=f"10.0.0.{n}")
        throttle = LoginThrottle(request, "wetteren.ict")
        barrier.wait()
        if throttle.begin() == 0:
            allowed.append(n)  # a wrong password: the attempt stays counted

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 5
    assert LoginThrottle(RequestFactory().post("/"), "wetteren.ict").begin() > 0


def test_a_right_password_resets_the_username_but_not_the_address(settings):
    from django.core.cache import cache
    from django.test import RequestFactory

    from procurement.views.account import LoginThrottle

    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    cache.clear()
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.1.1")
    for _ in range(2):
        assert LoginThrottle(request, "a").begin() == 0  # two failures from this address
    right = LoginThrottle(request, "b")
    assert right.begin() == 0
    right.succeeded()
    assert LoginThrottle(request, "c").begin() == 0  # the third failure from the address
    assert LoginThrottle(request, "d").begin() > 0  # the fourth attempt from it is refused
