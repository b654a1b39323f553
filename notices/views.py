"""The eForms part of the tender page: ask for a notice, download it, record its publication reference.

The tender page includes ``notices/_tender_notices.html`` through the ``tender_notices`` tag; these views only
take the forms' POSTs (and the XML download) and go back to the tender page. While a notice is being validated
the fragment reloads itself (htmx) from ``notice_fragment``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, InvalidInput, NotAllowed, NotFound
from core.pages import report

from . import services
from .api import xml_response
from .models import NoticeStatus
from .templatetags.notices import fragment_context


class PublicationForm(forms.Form):
    publication_reference = forms.CharField(label=gettext_lazy("publication reference"), max_length=100)


def _tender(request, pk: int):
    try:
        return services.visible_tender(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _notice(request, pk: int):
    try:
        return services.visible_notice(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error


@login_required
@require_POST
def notice_create(request, pk: int):
    tender = _tender(request, pk)
    kind = request.POST.get("kind")
    post = request.POST
    buyers = [{"organisation": int(key[6:]), "telephone": value, "email": post.get(f"email-{key[6:]}", "")}
              for key, value in post.items() if key.startswith("phone-") and key[6:].isdigit() and value.strip()]
    suppliers = []
    for key in post:
        if key.startswith("size-") and key[5:].isdigit():
            entry = {"supplier": int(key[5:]), "size": post[key], "nuts": post.get(f"nuts-{key[5:]}", "")}
            if entry["size"] or entry["nuts"]:
                suppliers.append(entry)
    try:
        services.notice_request(tender=tender, kind=kind, actor=request.user, buyers=buyers or None,
                                suppliers=suppliers or None)
    except InvalidInput as error:
        messages.error(request, _("Check the contact data and the suppliers' data: %(errors)s")
                       % {"errors": error.message})
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The notice is made; its validation against the eForms rules is running."))
    return redirect("tender-detail", pk=tender.pk)


@login_required
@require_GET
def notice_download(request, pk: int):
    notice = _notice(request, pk)
    if notice.status != NoticeStatus.VALID:
        messages.error(request, _("This notice is %(status)s; only a notice that passed every rule can be "
                                  "downloaded.") % {"status": notice.get_status_display()})
        return redirect("tender-detail", pk=notice.tender_id)
    return xml_response(notice)


@login_required
@require_POST
def notice_publication(request, pk: int):
    notice = _notice(request, pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reference e-Notification gave the notice."))
        return redirect("tender-detail", pk=notice.tender_id)
    try:
        services.notice_record_publication(notice=notice, actor=request.user,
                                           publication_reference=form.cleaned_data["publication_reference"])
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The publication reference is recorded."))
    return redirect("tender-detail", pk=notice.tender_id)


@login_required
@require_GET
def notice_fragment(request, pk: int):
    """The eForms card alone, for the page to reload while a validation runs."""
    tender = _tender(request, pk)
    return render(request, "notices/_tender_notices.html", fragment_context(request, tender))
