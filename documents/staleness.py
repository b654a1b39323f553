"""Is a document still what its subject would give today?

Every Document records the content version it was made from (a hash of the rendering context and the
templates, ``services.content_version``). Its subject has changed since — demand entered, a participant
approved, a bid scored, a template reworded — exactly when building the context today gives another
version. Pages and the API then mark the document out of date ("verouderd") and offer to make it again;
asking again gives a new Document, the old one stays as it was (it may have been sent or signed).
"""

from django.utils import translation

from . import registry, services
from .models import Document


def current_version(document: Document) -> str | None:
    """The content version the document's subject gives now; None when the subject or kind is gone."""
    kind = registry.get(document.kind)
    subject = document.subject if kind is not None else None
    if subject is None:
        return None
    with translation.override(document.language):
        context = services.normalise(kind.build_context(subject, document.language))
    return services.content_version(kind, context, document.language)


def is_out_of_date(document: Document | None) -> bool:
    if document is None:
        return False
    return current_version(document) != document.content_version
