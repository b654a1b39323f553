"""THE one way to turn a template into a PDF: WeasyPrint behind a URL fetcher that serves only our files.

Text typed by users ends up in these documents (initiative descriptions, organisation names). Django's
autoescaping keeps it text; should markup ever get through, WeasyPrint may fetch only the project's own
static files (fonts, CSS, logo) through ``StaticOnlyFetcher``. ``file://``, ``http(s)://``, ``data:`` and
every other URL is refused and logged, so a document can never pull in a local file or an internal URL,
and a PDF never carries an attachment.

WeasyPrint (and with it pango) is imported lazily: the web process and every management command load
this module without needing the system libraries until a PDF is actually rendered.
"""

import logging
import mimetypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO on this logger: noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The pseudo-origin under which the templates name static files. ".invalid" never resolves (RFC 2606),
# and the fetcher never goes to the network anyway: it maps this prefix to files on disk.
PDF_ORIGIN = "https://static.samenaankoop.invalid"
PDF_STATIC_URL = f"{PDF_ORIGIN}/static/"
ALLOWED_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg"}
# PDF/A-3a: archivable and tagged (a structure tree with headings, paragraphs, lists and tables in reading
# order, the document language), the accessible level of PDF/A. WeasyPrint 70 writes the identification of
# one variant only, so the file says PDF/A-3a, not also PDF/UA-1, although it is tagged the same way.
PDF_VARIANT = "pdf/a-3a"


def static_roots() -> list[Path]:
    """The project's own static folders (``STATICFILES_DIRS`` and ``STATIC_ROOT``), resolved."""
    roots = []
    for entry in settings.STATICFILES_DIRS:
        path = entry[1] if isinstance(entry, (tuple, list)) else entry
        roots.append(Path(path).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def resolve_static(url: str) -> Path | None:
    """The file that ``url`` names under a static root, or None when the URL is not one of ours."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if f"{parts.scheme}://{parts.netloc}".lower() != PDF_ORIGIN or not parts.path.startswith("/static/"):
        return None
    relative = unquote(parts.path[len("/static/"):])
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
        return None
    if any(segment in ("", ".", "..") for segment in relative.split("/")):
        return None
    if Path(relative).suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    for root in static_roots():
        candidate = (root / relative).resolve()
        # resolve() follows symlinks: a link pointing out of the static folder is refused too.
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


class URLRefused(Exception):
    """The PDF tried to load something that is not one of the project's static files."""


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files; refuses (and logs) every other URL without opening it."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            path = resolve_static(url)
            if path is None:
                shown = url if len(url) <= 200 else url[:200] + "…"
                self.refused.append(shown)
                logger.warning("PDF rendering refused to fetch %r: only the project's static files are served", shown)
                raise URLRefused(f"refused: {shown}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher():
    return _fetcher_class()()


@dataclass
class RenderedPdf:
    content: bytes
    page_count: int
    refused: list[str] = field(default_factory=list)


def render_html(template: str, context: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {**context, "pdf_static": PDF_STATIC_URL, "language": language})


def render_pdf(template: str, context: dict[str, Any], *, language: str) -> RenderedPdf:
    """Render ``template`` with ``context`` to a tagged PDF/A-3a. Title, author, subject and language come from
    the template's ``<title>``, ``<meta name=author>``, ``<meta name=description>`` and ``<html lang>``."""
    return html_to_pdf(render_html(template, context, language=language))


def html_to_pdf(html: str) -> RenderedPdf:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = static_only_fetcher()
    document = HTML(string=html, base_url=PDF_ORIGIN + "/", url_fetcher=fetcher).render(
        font_config=FontConfiguration(), pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    # Our documents never carry attachments, whatever the markup says.
    document.metadata.attachments = []
    content = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return RenderedPdf(content=content, page_count=len(document.pages), refused=list(fetcher.refused))
