"""Examples for the OpenAPI documentation of the core endpoints, taken from the demo data (docs/API.md,
"Demo data"). A list endpoint's example is one element: drf-spectacular wraps it in the paginated list."""

from drf_spectacular.utils import OpenApiExample

ORGANISATION = {"id": 3, "name": "Wetteren", "kind": "municipality", "nis_code": "42025",
                "enterprise_number": "0207.447.366"}
CIRCLE = {"id": 1, "name": "Scheldeland",
          "description": "Regionale ICT-kenniskring van de besturen langs de Schelde tussen Gent en Dendermonde.",
          "organisations": [1, 2, 3, 4, 5, 6]}
ME = {"username": "ict.wetteren", "memberships": [
    {"organisation": 3, "organisation_name": "Wetteren", "role": "ict"},
    {"organisation": 4, "organisation_name": "OCMW Wetteren", "role": "ict"},
]}

_INITIATIVE = {
    "id": 2, "kind": "joint_purchase", "title": "Samenaankoop laptops en schermen",
    "description": "Gezamenlijke aankoop van laptops met docking station en van schermen voor de besturen van de "
                   "kenniskring Scheldeland.",
    "state": "pooling", "circles": [1], "proposing_organisation": None, "lead_organisation": 1,
    "legal_basis": "central_purchasing_body", "demand_deadline": "2026-12-12T17:00:00+01:00",
    "decision_deadline": "2027-01-16T17:00:00+01:00", "planned_procedure_start": "2027-01-30",
    "framework_term_months": None, "renewals": 0, "reason": "",
    "created_at": "2026-11-21T21:33:05.786860+01:00", "updated_at": "2026-11-21T21:33:05.942979+01:00",
}
ITEM = {"id": 1, "lot": 1, "name": "Laptop 14 inch", "unit": "piece", "estimated_unit_price": "900.00",
        "vat_rate": "21.00", "cpv_code": "30213100-6",
        "specification": "14 inch, 16 GB RAM, 512 GB SSD, Windows 11 Pro, 4 jaar garantie op locatie.", "position": 1}
LOT = {"id": 1, "number": 1, "title": "Laptops en docking",
       "description": "Laptops voor administratieve medewerkers, met docking station.", "items": [ITEM]}
INITIATIVE_DETAIL = {
    **_INITIATIVE,
    "available_transitions": ["close_pooling", "cancel"],
    "pooled_value": "174360.00",
    "procedure_advice": {
        "procedure": "open", "publication": "belgian", "threshold": "216000.00",
        "reasons": ["The estimated value of 174 360,00 € is at least 140 000,00 €: a procedure with publication "
                    "is required; below the European threshold of 216 000,00 € the publication is Belgian."],
        "warnings": [],
    },
    "lots": [LOT],
    "participation_counts": {"draft": 2, "submitted": 2, "approved": 1, "declined": 0, "withdrawn": 0, "lapsed": 0},
}
INTEREST = {"id": 3, "initiative": 1, "organisation": 11, "organisation_name": "Berlare", "estimated_quantity": "0.30",
            "note": "Interesse, onder voorbehoud van budget in de meerjarenplanning.",
            "created_at": "2026-11-21T21:33:05.771031+01:00", "updated_at": "2026-11-21T21:33:05.771058+01:00"}
PARTICIPATION = {
    "id": 4, "initiative": 2, "organisation": 3, "organisation_name": "Wetteren", "state": "submitted",
    "available_transitions": ["approve", "decline", "withdraw"], "contact": 7, "deciding_body": "college",
    "decision_date": None, "decision_reference": "", "decision_reason": "", "withdraw_reason": "",
    "submitted_at": "2026-11-21T21:33:06.412000+01:00", "decided_at": None,
    "demand": [{"item": 1, "quantity": "40.00", "max_quantity": None},
               {"item": 4, "quantity": "12.00", "max_quantity": None}],
    "subtotal": "38520.00",
    "created_at": "2026-11-21T21:33:06.301000+01:00", "updated_at": "2026-11-21T21:33:06.412000+01:00",
}


def response(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


def request(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


ME_EXAMPLE = response("ICT staff of Wetteren and its OCMW", ME)
TOKEN_REQUEST = request("Credentials", {"username": "ict.wetteren", "password": "demo"})
TOKEN_EXAMPLE = response("A token", {"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"})
ORGANISATION_EXAMPLE = response("A municipality", ORGANISATION)
CIRCLE_EXAMPLE = response("A knowledge circle", CIRCLE)
INITIATIVE_EXAMPLE = response("An initiative pooling demand", _INITIATIVE)
INITIATIVE_DETAIL_EXAMPLE = response("An initiative pooling demand", INITIATIVE_DETAIL)
INITIATIVE_REQUEST = request("A joint purchase", {
    "kind": "joint_purchase", "title": "Samenaankoop laptops en schermen",
    "description": "Gezamenlijke aankoop van laptops en schermen.", "lead_organisation": 1,
    "legal_basis": "central_purchasing_body", "circles": [1], "demand_deadline": "2026-12-12T17:00:00+01:00",
    "decision_deadline": "2027-01-16T17:00:00+01:00", "planned_procedure_start": "2027-01-30",
})
FRAMEWORK_REQUEST = request("A framework contract", {
    "kind": "framework_contract", "title": "Raamcontract printers en multifunctionals", "lead_organisation": 17,
    "legal_basis": "central_purchasing_body", "circles": [2], "demand_deadline": "2026-12-05T17:00:00+01:00",
    "decision_deadline": "2027-01-09T17:00:00+01:00", "framework_term_months": 24, "renewals": 1,
})
IDEA_REQUEST = request("An idea", {
    "kind": "shared_hire", "title": "Gedeelde informatieveiligheidsconsulent",
    "description": "Samen een informatieveiligheidsconsulent aanwerven.", "circles": [1],
    "proposing_organisation": 13,
})
IDEA_EXAMPLE = response("The new idea", {**INITIATIVE_DETAIL, "id": 1, "kind": "shared_hire", "state": "idea",
                                         "title": "Gedeelde informatieveiligheidsconsulent", "lead_organisation": None,
                                         "proposing_organisation": 13, "legal_basis": "", "demand_deadline": None,
                                         "decision_deadline": None, "available_transitions": ["adopt", "shelve"],
                                         "pooled_value": "0.00", "lots": []})
INTEREST_REQUEST = request("Interest of Berlare", {"organisation": 11, "estimated_quantity": "0.30",
                                                  "note": "Interesse, onder voorbehoud van budget."})
INTEREST_EXAMPLE = response("Registered interest", INTEREST)
LOT_REQUEST = request("A lot", {"number": 2, "title": "Schermen", "description": "Schermen voor de werkplekken."})
LOT_EXAMPLE = response("The new lot", {"id": 2, "number": 2, "title": "Schermen",
                                       "description": "Schermen voor de werkplekken.", "items": []})
ITEM_REQUEST = request("An item", {"lot": 1, "name": "Laptop 14 inch", "unit": "piece",
                                   "estimated_unit_price": "900.00", "vat_rate": "21.00", "cpv_code": "30213100-6",
                                   "specification": "14 inch, 16 GB RAM, 512 GB SSD."})
ITEM_EXAMPLE = response("The new item", ITEM)
PARTICIPATION_EXAMPLE = response("A submitted participation", PARTICIPATION)
JOIN_REQUEST = request("Wetteren joins", {"organisation": 3})
JOIN_EXAMPLE = response("The new participation", {**PARTICIPATION, "state": "draft", "demand": [],
                                                  "subtotal": "0.00", "available_transitions": ["withdraw"],
                                                  "submitted_at": None})
DEMAND_REQUEST = request("Demand of Wetteren", {"lines": [{"item": 1, "quantity": "40"}, {"item": 4, "quantity": "12"}]})
DEMAND_EXAMPLE = response("The participation with its demand", {**PARTICIPATION, "state": "draft",
                                                                 "available_transitions": ["submit", "withdraw"],
                                                                 "submitted_at": None})

# Bodies of the transitions that take one (``procurement.actions``), by transition name.
TRANSITION_REQUESTS = {
    "adopt": request("Destelbergen leads", {
        "lead_organisation": 1, "legal_basis": "central_purchasing_body",
        "demand_deadline": "2026-12-12T17:00:00+01:00", "decision_deadline": "2027-01-16T17:00:00+01:00"}),
    "shelve": request("A reason", {"reason": "Te weinig interesse in de kenniskring."}),
    "cancel": request("A reason", {"reason": "Het budget werd geschrapt in de meerjarenplanning."}),
    "reopen_pooling": request("A later deadline", {"demand_deadline": "2027-01-08T17:00:00+01:00",
                                                   "decision_deadline": "2027-02-05T17:00:00+01:00"}),
    "withdraw": request("A reason", {"reason": "Het college kiest voor een eigen aankoop."}),
    "approve": request("The college's decision", {"decision_date": "2027-01-07", "decision_reference": "CBS/2027/017",
                                                  "deciding_body": "college"}),
    "decline": request("The college's refusal", {"decision_date": "2027-01-07", "decision_reference": "CBS/2027/018",
                                                 "reason": "Geen budget voorzien in 2027."}),
}
TRANSITION_RESPONSES = {
    "initiatives": response("The initiative after the transition", {**INITIATIVE_DETAIL, "state": "deciding",
                                                                     "available_transitions": ["reopen_pooling",
                                                                                               "confirm_participants",
                                                                                               "cancel"]}),
    "participations": response("The participation after the transition", {
        **PARTICIPATION, "state": "approved", "available_transitions": ["withdraw"], "deciding_body": "college",
        "decision_date": "2027-01-07", "decision_reference": "CBS/2027/017",
        "decided_at": "2027-01-07T14:02:11+01:00"}),
}
