"""The page side of the demand template: the upload form posts here (see ``sheets/_demand_upload.html``).

Success and every error (by sheet, row and column) are shown as messages on the page the form came from;
an htmx request gets the upload fragment back with the errors listed in it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, InvalidInput
from procurement import permissions

from . import template as demand_template


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/"
    return target


@login_required
@require_POST
def demand_upload(request: HttpRequest, pk: int) -> HttpResponse:
    participation = permissions.visible_participations(request.user).select_related(
        "initiative", "organisation").filter(pk=pk).first()
    if participation is None:
        raise Http404(_("There is no participation %(id)s that you can see.") % {"id": pk})
    errors: list[str] = []
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput({"file": [_("Choose the filled-in template (an .xlsx file).")]})
        demand_template.upload_demand(participation=participation, actor=request.user, upload=upload)
    except InvalidInput as error:
        errors = [str(m) for m in (error.errors or {}).get("file", [])] or [error.message]
    except DomainError as error:
        errors = [error.message]
    if request.htmx:
        return render(request, "sheets/_demand_upload.html", {
            "participation": participation, "upload_errors": errors, "uploaded": not errors, "next": _next(request),
        })
    if errors:
        messages.error(request, _("The upload changed nothing:"))
        for message in errors:
            messages.error(request, message)
    else:
        messages.success(request, _("The demand from the uploaded template has been saved."))
    return redirect(_next(request))
