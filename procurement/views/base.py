"""What the pages share: finding the objects a user may see, and turning domain errors into pages."""

from django.shortcuts import get_object_or_404
from django.template import TemplateDoesNotExist
from django.template.loader import select_template

from procurement import permissions
from procurement.models import Initiative, Participation

# Fragments other apps may provide for the "Documents and overviews" block of the initiative page. A
# missing app or template simply shows nothing.
DOCUMENT_FRAGMENTS = (
    "documents/_initiative_documents.html",  # expects: initiative, request (not there yet)
    "sheets/_demand_sheet_links.html",  # expects: initiative, can_download
)
# On a participation's page, for ICT staff while the demand may change.
DEMAND_UPLOAD_FRAGMENT = "sheets/_demand_upload.html"  # expects: participation, next


def visible_initiative(user, pk: int) -> Initiative:
    return get_object_or_404(
        permissions.visible_initiatives(user).select_related("lead_organisation", "proposing_organisation"), pk=pk
    )


def visible_participation(user, pk: int) -> Participation:
    """A participation the user may see; anybody else's is a 404, never a 403."""
    return get_object_or_404(
        permissions.visible_participations(user).select_related(
            "initiative", "initiative__lead_organisation", "organisation", "contact", "decided_by"
        ),
        pk=pk,
    )


def template_exists(name: str) -> bool:
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return False
    return True


def document_fragments() -> list[str]:
    return [name for name in DOCUMENT_FRAGMENTS if template_exists(name)]
