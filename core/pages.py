"""What every app's pages share: a refused service call turned into a page.

A service refuses with a domain error (``core.errors``). On a page an input error goes onto the form, next to
the fields it names; any other refusal is shown at the top of the page, and the page answers with the status
code the API would (404 raises, as for any object the user may not see).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from core.actions import ActionTable
from core.errors import DomainError, InvalidInput, NotFound
from core.services import refusal

T = TypeVar("T")


def report(request, error: DomainError) -> int:
    """Show a refused request's message at the top of the page; return the status code to answer with."""
    if isinstance(error, NotFound):
        raise Http404(error.message)
    messages.error(request, error.message or str(error))
    return error.status  # the same code the API answers with (core.api.errors)


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
    rows = getattr(form, "add_line_errors", None)
    if rows is not None:  # a form with a row per item puts the errors by position (``{"lines": [{}, {…}]}``)
        rows(error)
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



def _service_input(form: forms.BaseForm | None) -> dict[str, Any]:
    """What a valid form gives the service: its own ``service_input()`` where it shapes the input (rows of
    lines), else the fields that were filled in."""
    if form is None:
        return {}
    if hasattr(form, "service_input"):
        return form.service_input()
    return {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}


def action_page(request, *, table: ActionTable, name: str, obj: Any, template: str, context: dict[str, Any],
                success_url: str, form_kwargs: dict[str, Any] | None = None,
                form_initial: dict[str, Any] | None = None) -> HttpResponse:
    """The confirmation page of one action of ``table`` on ``obj`` (``core.actions``): GET asks the action's
    question (and says at once why it is not possible now), POST carries it out through its service and goes
    back to ``success_url`` with the action's done message. An unknown name is a 404.

    The template gets ``action``, ``form`` (or None) and ``back`` besides ``context``."""
    action = table.get(name)
    if action is None:
        raise Http404
    form_kwargs = form_kwargs or {}
    status = 200
    if request.method == "POST":
        form = action.form(request.POST, **form_kwargs) if action.form else None
        if form is None or form.is_valid():
            data = _service_input(form)
            _result, status = attempt(request, lambda: table.call(action, obj, actor=request.user, **data), form=form)
            if status == 200:
                if action.done:
                    messages.success(request, action.done)
                return redirect(success_url)
        else:
            status = 400
    else:
        form = action.form(initial=form_initial, **form_kwargs) if action.form else None
        error = refusal(obj, name, actor=request.user)
        if error is not None:
            messages.error(request, error.message)
            status = error.status
    return render(request, template, {**context, "action": action, "form": form, "back": context.get("back", success_url)},
                  status=status)
