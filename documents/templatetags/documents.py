"""``{% load documents %}``: the generate/download buttons for the pages.

``{% document_button "participation_decision" participation %}`` shows the newest document of that kind
about the subject (status, download link) and a button that asks for a fresh one; the status updates
without a reload (htmx polling). ``{% document_batch "participation_decision" initiative %}`` does the
same for a batch, with a progress bar and the ZIP download when done. Both render nothing for a user who
may not have these documents.
"""

from django import template

from documents import registry, staleness
from documents.views import latest_batch, latest_document

register = template.Library()


@register.inclusion_tag("documents/_document_button.html", takes_context=True)
def document_button(context, kind: str, subject, label: str = "", language: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None)
    spec = registry.get(kind)
    allowed = bool(user and user.is_authenticated and spec and subject is not None and spec.may_view(user, subject))
    document = latest_document(user, kind, subject) if allowed else None
    return {
        "allowed": allowed, "kind": kind, "subject": subject, "label": label, "language": language,
        "document": document, "out_of_date": staleness.is_out_of_date(document),
        "next": request.get_full_path() if request else "/", "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("documents/_batch_button.html", takes_context=True)
def document_batch(context, kind: str, parent, label: str = "", language: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None)
    spec = registry.get_batch(kind)
    allowed = bool(user and user.is_authenticated and spec and parent is not None and spec.may_request(user, parent))
    batch = latest_batch(kind, parent) if allowed else None
    return {
        "allowed": allowed, "kind": kind, "parent": parent, "label": label, "language": language,
        "batch": batch, "progress": batch.progress() if batch else None,
        "parent_segment": spec.parent if spec else "",
        "next": request.get_full_path() if request else "/", "csrf_token": context.get("csrf_token"),
    }
