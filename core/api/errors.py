"""Map domain errors to the API's status codes and error shapes (API.md "Conventions")."""

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, InvalidInput


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        errors = dict(exc.errors or {})
        # A model's own `clean` or a constraint on several fields reports under Django's "__all__";
        # the API names such errors the way DRF's serializers do.
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status)
    return drf_exception_handler(exc, context)
