"""Create and edit an initiative with its lots and items in one form (procurement officers).

Each row becomes a service call (initiative_create / initiative_update, lot_add / lot_update /
lot_remove, item_add / item_update / item_remove), all inside one transaction: when any call refuses,
its message goes on its row and nothing of the whole form is kept."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError, InvalidInput
from core.pages import add_service_errors, attempt
from procurement import permissions, services
from procurement.forms import InitiativeForm, ItemFormSet, LotFormSet
from procurement.models import Initiative, InitiativeState, Item, Organisation, Role
from procurement.services.initiatives import EDITABLE_IN

from .base import visible_initiative

S = InitiativeState
LOT_FIELDS = ("number", "title", "description")
ITEM_FIELDS = ("name", "unit", "estimated_unit_price", "vat_rate", "cpv_code", "specification")


class _RollBack(Exception):
    """A row was refused: undo every call of this form."""


def _row_error(form, error: DomainError) -> None:
    if isinstance(error, InvalidInput):
        add_service_errors(form, error, fields={"lot": "lot_number"})
    else:
        form.add_error(None, error.message)


def _save_rows(initiative: Initiative, lots, items, user) -> bool:
    ok = True
    existing_lots = {lot.pk: lot for lot in initiative.lots.all()}
    existing_items = {item.pk: item for item in Item.objects.filter(
        lot__initiative=initiative).select_related("lot")}

    def known(form, rows):
        row_id = form.cleaned_data.get("id")
        if row_id and row_id not in rows:
            form.add_error(None, _("This row does not belong to this initiative."))
            return None
        return rows.get(row_id) if row_id else None

    # Removals first, so that a number freed by a removed lot can be reused.
    for form in items.forms:
        item = known(form, existing_items)
        if item is not None and items.can_delete and form.cleaned_data.get("DELETE") and not getattr(form, "locked", False):
            try:
                services.item_remove(item=item, actor=user)
            except DomainError as error:
                _row_error(form, error)
                ok = False
    for form in lots.forms:
        lot = known(form, existing_lots)
        if lot is not None and form.cleaned_data.get("DELETE") and not getattr(form, "locked", False):
            try:
                services.lot_remove(lot=lot, actor=user)
            except DomainError as error:
                _row_error(form, error)
                ok = False
            except ProtectedError:
                form.add_error(None, _("This lot has demand entered against it and cannot be removed."))
                ok = False
    for form in lots.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE") or getattr(form, "locked", False):
            continue
        lot = known(form, existing_lots)
        values = {name: form.cleaned_data.get(name) or "" for name in LOT_FIELDS}
        try:
            if lot is not None:
                changes = {k: v for k, v in values.items() if getattr(lot, k) != v}
                if changes:
                    services.lot_update(lot=lot, actor=user, **changes)
            elif not form.cleaned_data.get("id"):
                services.lot_add(initiative=initiative, actor=user, **values)
        except DomainError as error:
            _row_error(form, error)
            ok = False
    by_number = {lot.number: lot for lot in initiative.lots.all()}
    for form in items.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE") or getattr(form, "locked", False):
            continue
        item = known(form, existing_items)
        lot = by_number.get(form.cleaned_data.get("lot_number"))
        if lot is None:
            form.add_error("lot_number", _("There is no lot with this number."))
            ok = False
            continue
        values = {name: form.cleaned_data.get(name) for name in ITEM_FIELDS}
        values["cpv_code"] = values["cpv_code"] or ""
        values["specification"] = values["specification"] or ""
        try:
            if item is not None:
                # Only what changed; the lot by id (the audit entry stores the changes as JSON).
                changes = {k: v for k, v in values.items() if getattr(item, k) != v}
                if lot.pk != item.lot_id:
                    changes["lot_id"] = lot.pk
                if changes:
                    services.item_update(item=item, actor=user, **changes)
            elif not form.cleaned_data.get("id"):
                services.item_add(initiative=initiative, actor=user, lot=lot, **values)
        except DomainError as error:
            _row_error(form, error)
            ok = False
    return ok and not any(f.errors for f in [*lots.forms, *items.forms])


def _formsets(data, initiative: Initiative | None):
    frozen = initiative is not None and initiative.state != S.DRAFT
    lot_initial = item_initial = None
    if initiative is not None and data is None:
        lot_initial = [{"id": lot.pk, "number": lot.number, "title": lot.title, "description": lot.description}
                       for lot in initiative.lots.all()]
        item_initial = [
            {"id": item.pk, "lot_number": item.lot.number, "name": item.name, "unit": item.unit,
             "estimated_unit_price": item.estimated_unit_price, "vat_rate": str(item.vat_rate.normalize()),
             "cpv_code": item.cpv_code, "specification": item.specification}
            for item in Item.objects.filter(lot__initiative=initiative)
            .select_related("lot").order_by("lot__number", "position", "id")
        ]
    lots = LotFormSet(data, prefix="lots", initial=lot_initial, frozen=frozen)
    items = ItemFormSet(data, prefix="items", initial=item_initial, frozen=frozen)
    if frozen:  # rows that exist cannot be removed any more
        lots.can_delete = items.can_delete = False
    return lots, items


def _saved(request, form, save: Callable[[], Initiative]) -> tuple[Initiative | None, int]:
    """Run ``save`` (the initiative's fields, then its lots and items) in one transaction: ``(initiative, 200)``
    when all of it is saved; a refusal is shown and nothing is saved; rows that are not right (their errors are
    on the row forms) roll the initiative back too."""
    def everything() -> Initiative:
        with transaction.atomic():
            return save()

    try:
        return attempt(request, everything, form=form)
    except _RollBack:
        messages.error(request, _("Some lots or items are not right; nothing was saved."))
        return None, 400


@login_required
def initiative_create(request):
    user = request.user
    leads = Organisation.objects.filter(pk__in=permissions.organisation_ids(user, Role.PROCUREMENT)).order_by("name")
    if not leads.exists():
        raise PermissionDenied(_("Only procurement officers can create an initiative."))
    data = request.POST if request.method == "POST" else None
    form = InitiativeForm(data, lead_organisations=leads, initial={"lead_organisation": leads.first(), "renewals": 0})
    lots, items = _formsets(data, None)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid() and lots.is_valid() and items.is_valid():
            values = dict(form.cleaned_data)
            values["circles"] = list(values["circles"])
            values["renewals"] = values.get("renewals") or 0

            def create() -> Initiative:
                initiative = services.initiative_create(actor=user, **values)
                if not _save_rows(initiative, lots, items, user):
                    raise _RollBack
                return initiative

            initiative, status = _saved(request, form, create)
            if status == 200:
                messages.success(request, _("The initiative was created as a draft."))
                return redirect("initiative-detail", pk=initiative.pk)
    return render(request, "procurement/initiative_form.html", {
        "form": form, "lots": lots, "items": items, "initiative": None, "rows_editable": True,
    }, status=status)


@login_required
def initiative_edit(request, pk: int):
    user = request.user
    initiative = visible_initiative(user, pk)
    is_idea_editor = initiative.state == S.IDEA and permissions.may_shelve(user, initiative)
    if not (permissions.may_manage_initiative(user, initiative) or is_idea_editor):
        raise PermissionDenied(_("Only procurement officers of the lead organisation can change this initiative."))
    editable = EDITABLE_IN.get(initiative.state)
    if editable is None:
        messages.error(request, _("This initiative can no longer be changed (it is %(state)s).")
                       % {"state": initiative.get_state_display()})
        return redirect("initiative-detail", pk=initiative.pk)
    leads = Organisation.objects.filter(pk=initiative.lead_organisation_id)
    current = {name: getattr(initiative, name) for name in InitiativeForm.base_fields if name != "circles"}
    current["circles"] = list(initiative.circles.all())
    current["lead_organisation"] = initiative.lead_organisation
    data = request.POST if request.method == "POST" else None
    form = InitiativeForm(data, lead_organisations=leads, editable=set(editable), initial=current)
    rows_editable = initiative.state in (S.DRAFT, S.POOLING)
    lots, items = _formsets(data, initiative) if rows_editable else (None, None)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid() and (not rows_editable or (lots.is_valid() and items.is_valid())):
            changes = {name: form.cleaned_data.get(name) for name in editable
                       if name in form.cleaned_data and form.cleaned_data.get(name) != current.get(name)}
            if "renewals" in changes and changes["renewals"] is None:
                changes["renewals"] = 0

            def update() -> Initiative:
                if changes:
                    services.initiative_update(initiative=initiative, actor=user, **changes)
                if rows_editable and not _save_rows(initiative, lots, items, user):
                    raise _RollBack
                return initiative

            _result, status = _saved(request, form, update)
            if status == 200:
                messages.success(request, _("The changes are saved."))
                return redirect("initiative-detail", pk=initiative.pk)
    return render(request, "procurement/initiative_form.html", {
        "form": form, "lots": lots, "items": items, "initiative": initiative, "rows_editable": rows_editable,
    }, status=status)
