"""Input checks shared by the services: one message per field, nothing saved when any is wrong."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin

from core.errors import InvalidInput


def full_clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's field validators and ``clean``; raise InvalidInput naming every wrong field.

    Protected FSM fields are left out: ``clean_fields`` assigns every field it checks, which a protected
    ``FSMField`` refuses ("Direct state modification is not allowed"); the state is set by code anyway."""
    protected = [f.name for f in instance._meta.concrete_fields if isinstance(f, FSMFieldMixin) and f.protected]
    try:
        instance.full_clean(exclude=[*exclude, *protected], validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        raise InvalidInput(error.message_dict) from error


def require(errors: dict[str, list[str]], field: str, value, message: str | None = None) -> None:
    if value in (None, "", [], ()):
        errors.setdefault(field, []).append(message or _("This field is required."))


def future(errors: dict[str, list[str]], field: str, value: datetime | None) -> None:
    if value is not None and value <= timezone.now():
        errors.setdefault(field, []).append(_("Choose a moment in the future."))


def deadlines(
    errors: dict[str, list[str]], demand_deadline, decision_deadline, *, changed: set[str] | None = None
) -> None:
    """Both deadlines given, in order, and each one that is being set lies in the future. ``changed`` names
    the deadlines being set (default: both); one that stays as it was may already lie in the past."""
    changed = {"demand_deadline", "decision_deadline"} if changed is None else changed
    require(errors, "demand_deadline", demand_deadline)
    require(errors, "decision_deadline", decision_deadline)
    if "demand_deadline" in changed:
        future(errors, "demand_deadline", demand_deadline)
    if "decision_deadline" in changed:
        future(errors, "decision_deadline", decision_deadline)
    if demand_deadline and decision_deadline and decision_deadline <= demand_deadline:
        errors.setdefault("decision_deadline", []).append(
            _("The decision deadline must come after the demand deadline.")
        )


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)
