"""Helpers for the OpenAPI documentation (drf-spectacular): the error answers every endpoint shares."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
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
    415: "The body is not JSON (or, for uploads, multipart form data).",
    429: "Too many failed attempts; `Retry-After` says how many seconds to wait.",
}


_EXAMPLES = {
    400: {"title": ["This field is required."], "demand_deadline": ["The deadline must lie in the future."]},
    401: {"detail": "Authentication credentials were not provided."},
    403: {"detail": "You are not allowed to do this for Samenaankoop laptops en schermen."},
    404: {"detail": "No Initiative matches the given query."},
    409: {"detail": "The demand deadline of 12-12-2026 17:00 has passed.", "code": "demand_deadline_passed"},
    415: {"detail": 'Unsupported media type "text/plain" in request.'},
    429: {"detail": "Too many failed sign-in attempts. Expected available in 900 seconds."},
}


def errors(*statuses: int, login: bool = True) -> dict[int, OpenApiResponse]:
    """The documented error answers, each with an example; 401 is among them unless ``login=False`` (every
    endpoint but the token and open data needs a login)."""
    wanted = sorted({401, *statuses} if login else set(statuses))
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


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with every error answer an operation can give documented (issue 16): what a
    view declares itself, and what the API's common machinery answers anywhere —

    - 400 where there is a body or a query parameter (validation, a malformed or oversized JSON body, a page
      size or filter value that is wrong);
    - 401 and 403 where a login is needed (no or a wrong token; a permission, or CSRF for a session);
    - 404 where the path or the body names an object, and on paginated lists (a page that does not exist);
    - 415 where there is a body (another content type than the operation reads).
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        security = operation.get("security") or []
        wanted = set()
        has_body = "requestBody" in operation
        if has_body or any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
            wanted.add(400)
        if security and {} not in security:
            wanted |= {401, 403}
        if "{" in self.path or self._is_list_view() or has_body:
            wanted.add(404)
        if has_body:
            wanted.add(415)
        for status, answer in errors(*wanted, login=False).items():
            responses.setdefault(str(status), self._get_response_for_code(answer, str(status)))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

