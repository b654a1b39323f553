"""What every app's pages share: a refused service call turned into a page.

A service refuses with a domain error (``core.errors``). On a page an input error goes onto the form, next to
the fields it names; any other refusal is shown at the top of the page, and the page answers with the status
code the API would (404 raises, as for any object the user may not see).
"""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404

from core.errors import DomainError, InvalidInput, NotAllowed, NotFound, TransitionRefused

T = TypeVar("T")


def status_for(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, TransitionRefused):
        return 409
    return 400


def report(request, error: DomainError) -> int:
    """Show a refused request's message at the top of the page; return the status code to answer with."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    messages.error(request, error.message or str(error))
    return status_for(error)


def add_service_errors(form: forms.BaseForm, error: InvalidInput, *, fields: dict[str, str] | None = None) -> None:
    """Put the service's field errors on the form; unknown fields become form-wide errors."""
    fields = fields or {}
    for name, field_messages in (error.errors or {}).items():
        target = fields.get(name, name)
        if not isinstance(field_messages, list):
            field_messages = [str(field_messages)]
        for message in field_messages:
            if not isinstance(message, str):
                continue
            if target in form.fields and target not in getattr(form, "_disabled_names", ()):
                form.add_error(target, message)
            else:
                form.add_error(None, message)
    if not form.errors and error.message:
        form.add_error(None, error.message)


def attempt(request, call: Callable[[], T], *, form: forms.BaseForm | None = None,
            fields: dict[str, str] | None = None) -> tuple[T | None, int]:
    """Run a service call for a page: ``(result, 200)``, or ``(None, status)`` after the refusal was put on
    ``form`` (input errors) and at the top of the page. The one place a page handles a refusal."""
    try:
        return call(), 200
    except InvalidInput as error:
        if form is not None:
            add_service_errors(form, error, fields=fields)
        return None, report(request, error)
    except DomainError as error:
        return None, report(request, error)

