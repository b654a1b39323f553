"""Examples for the OpenAPI documentation of the open data endpoints (shortened real exports)."""

from drf_spectacular.utils import OpenApiExample

from .ocds import EXTENSIONS

RELEASE = {
    "ocid": "ocds-samen01-2",
    "id": "ocds-samen01-2-0003",
    "date": "2027-03-15T10:12:40+01:00",
    "tag": ["tender"],
    "initiationType": "tender",
    "language": "nl",
    "parties": [
        {"id": "BE-BCE_KBO-0207450633", "name": "Destelbergen",
         "identifier": {"scheme": "BE-BCE_KBO", "id": "0207450633", "legalName": "Destelbergen"},
         "address": {"streetAddress": "Dendermondesteenweg 430", "postalCode": "9070", "locality": "Destelbergen",
                     "countryName": "België"},
         "roles": ["procuringEntity", "buyer"]},
        {"id": "BE-BCE_KBO-0207447366", "name": "Wetteren",
         "identifier": {"scheme": "BE-BCE_KBO", "id": "0207447366", "legalName": "Wetteren"},
         "roles": ["buyer"]},
    ],
    "planning": {
        "rationale": "samenaankoop (art. 48 Wet overheidsopdrachten 17 juni 2016)",
        "budget": {"id": "pooled-value", "description": "Geraamde waarde excl. btw van de gebundelde behoefte.",
                   "amount": {"amount": 71490.0, "currency": "EUR"}},
        "milestones": [
            {"id": "demand-deadline", "title": "Deadline behoefte", "type": "engagement",
             "dueDate": "2027-01-29T17:00:00+01:00", "status": "met"},
        ],
    },
    "tender": {
        "id": "ocds-samen01-2",
        "title": "Samenaankoop laptops en schermen",
        "status": "active",
        "procuringEntity": {"id": "BE-BCE_KBO-0207450633", "name": "Destelbergen"},
        "value": {"amount": 71490.0, "currency": "EUR"},
        "procurementMethod": "limited",
        "procurementMethodDetails": "onderhandelingsprocedure zonder voorafgaande bekendmaking (art. 42 §1, 1°, a)",
        "mainProcurementCategory": "goods",
        "items": [
            {"id": "item-7", "description": "Laptop 14 inch", "classification": {"scheme": "CPV", "id": "30213100"},
             "quantity": 65, "unit": {"scheme": "UNCEFACT", "id": "H87", "name": "stuk",
                                      "value": {"amount": 900.0, "currency": "EUR"}},
             "relatedLot": "lot-3"},
        ],
        "lots": [{"id": "lot-3", "title": "Laptops en docking", "status": "active",
                  "value": {"amount": 67500.0, "currency": "EUR"}}],
        "techniques": {"hasFrameworkAgreement": False},
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": "Prijs 60, Kwaliteit 30, Service 10",
        "tenderPeriod": {"startDate": "2027-03-15T10:12:40+01:00", "endDate": "2027-04-15T12:00:00+02:00"},
    },
}

PACKAGE = {
    "uri": "https://samenaankoop.example.be/api/initiatives/2/ocds/",
    "version": "1.1",
    "extensions": EXTENSIONS,
    "publishedDate": "2027-03-15T10:12:40+01:00",
    "publisher": {"name": "Samenaankoop", "uri": "https://samenaankoop.example.be"},
    "releases": [RELEASE],
}

PACKAGE_EXAMPLE = OpenApiExample("A release package", value=PACKAGE, response_only=True)
PAGED_EXAMPLE = OpenApiExample(
    "The first page of the latest releases",
    value={**PACKAGE, "uri": "https://samenaankoop.example.be/api/ocds/releases/?page=1",
           "links": {"next": "https://samenaankoop.example.be/api/ocds/releases/?page=2"}},
    response_only=True,
)
CALENDAR_FEED_EXAMPLE = OpenApiExample(
    "A calendar address",
    value={"url": "https://samenaankoop.example.be/calendar/Zk3v0Qe2l6mYb4xY6o3nq8M1rWcX0aJpTQm5hE7uBsI.ics",
           "webcal_url": "webcal://samenaankoop.example.be/calendar/Zk3v0Qe2l6mYb4xY6o3nq8M1rWcX0aJpTQm5hE7uBsI.ics",
           "created_at": "2027-03-01T09:30:00+01:00"},
    response_only=True,
)
