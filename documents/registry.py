"""The document kinds, registered by the domain apps (``<app>/documents.py``).

``documents`` knows nothing of initiatives or participations: a kind tells it which model its subject is,
who may see that subject, and how to build the rendering context. The context must be JSON-like (strings,
numbers, lists, dicts): it is hashed into the content version and stored with the Document, so that a
retried task renders exactly what was asked for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class DocumentKind:
    """``build_context(subject, language)`` returns the template context; it must hold ``meta`` with
    ``title``, ``author`` (the lead organisation), ``subject`` and ``filename`` (without extension)."""

    name: str
    model: str  # "app_label.ModelName" of the subject
    template: str  # templates/pdf/<language>/<template>.html
    visible: Callable[[Any], models.QuerySet]  # user -> subjects this user may see (others are 404)
    may_view: Callable[[Any, models.Model], bool]  # user, subject -> may see and request this document (403)
    build_context: Callable[[models.Model, str], dict[str, Any]]
    organisation: Callable[[models.Model], models.Model | None] = lambda subject: None  # for the audit log
    editable_copy: bool = False  # also offered as DOCX (documents/docx_export.py), e.g. a decision draft


@dataclass(frozen=True)
class BatchKind:
    """A batch: every subject of ``subjects(parent)`` rendered as ``document_kind``, zipped together."""

    name: str
    parent: str  # the URL segment that names the parent, e.g. "initiatives"
    visible_parents: Callable[[Any], models.QuerySet]
    may_request: Callable[[Any, models.Model], bool]
    subjects: Callable[[models.Model], models.QuerySet]  # counted when the batch is asked for, then walked by a task
    document_kind: str
    zip_name: Callable[[models.Model], str]


_kinds: dict[str, DocumentKind] = {}
_batches: dict[str, BatchKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.name] = kind
    return kind


def register_batch(batch: BatchKind) -> BatchKind:
    _batches[batch.name] = batch
    return batch


def get(name: str) -> DocumentKind | None:
    return _kinds.get(name) if isinstance(name, str) else None  # not a str: from a JSON body, no kind


def get_batch(name: str) -> BatchKind | None:
    return _batches.get(name) if isinstance(name, str) else None


def kinds() -> list[str]:
    return sorted(_kinds)


def batch_kinds(parent: str | None = None) -> list[str]:
    return sorted(name for name, b in _batches.items() if parent is None or b.parent == parent)
