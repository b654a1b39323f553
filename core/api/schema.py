"""Helpers for the OpenAPI documentation (drf-spectacular): the error answers every endpoint shares."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """``{"detail", "code"}``: 401, 403, 404 and 409 answers (and 400 answers that concern no one field)."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


_DESCRIPTIONS = {
    400: "Validation errors: `{\"field\": [\"message\"]}`; list input by position "
         "(`{\"lines\": [{\"quantity\": [\"…\"]}, {}]}`).",
    401: "Not authenticated.",
    403: "Authenticated but not allowed to do this.",
    404: "Does not exist or is not visible to this user.",
    409: "The current state or a deadline does not allow this; `detail` says why.",
    429: "Too many failed attempts; `Retry-After` says how many seconds to wait.",
}


_EXAMPLES = {
    400: {"title": ["This field is required."], "demand_deadline": ["The deadline must lie in the future."]},
    401: {"detail": "Authentication credentials were not provided."},
    403: {"detail": "You are not allowed to do this for Samenaankoop laptops en schermen."},
    404: {"detail": "No Initiative matches the given query."},
    409: {"detail": "The demand deadline of 12-12-2026 17:00 has passed.", "code": "demand_deadline_passed"},
    429: {"detail": "Too many failed sign-in attempts. Expected available in 900 seconds."},
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The documented error answers, each with an example; 401 is always among them (every endpoint but the
    token needs a login)."""
    wanted = sorted({401, *statuses})
    answers = {}
    for status in wanted:
        example = [OpenApiExample(f"{status}", value=_EXAMPLES[status], response_only=True, status_codes=[status])]
        if status == 400:
            answers[status] = OpenApiResponse(response=OpenApiTypes.OBJECT, description=_DESCRIPTIONS[400],
                                              examples=example)
        else:
            answers[status] = OpenApiResponse(response=ErrorSerializer, description=_DESCRIPTIONS[status],
                                              examples=example)
    return answers
