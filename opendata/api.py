"""The "Open data and calendar" endpoints (docs/API.md).

The OCDS data is open data: no login (credentials sent along are ignored), and cacheable (ETag,
Last-Modified, ``Cache-Control: public``; ``caching.py``). Everyone reads every published contracting process
(past `draft`): the exports contain what a publication notice would, never bids before the evaluation, demand
per organisation or a candidate's name.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.api.schema import errors
from core.parsing import parse_int
from procurement.models import Initiative

from . import caching, examples, feeds, ocds, releases
from .views import feed_urls

TAG = "open data"
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
SCHEMA_URL = "https://standard.open-contracting.org/1.1/en/schema/release/"


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    uri = serializers.URLField(required=False)


class LinksSerializer(serializers.Serializer):
    next = serializers.URLField(required=False, help_text="The next page, absent on the last.")
    prev = serializers.URLField(required=False, help_text="The previous page, absent on the first.")


class ReleasePackageSerializer(serializers.Serializer):
    """An OCDS 1.1.5 release package (documentation only: the view writes the package as built)."""

    uri = serializers.URLField(help_text="The address of this package.")
    version = serializers.CharField(help_text='The OCDS version: "1.1".')
    extensions = serializers.ListField(child=serializers.URLField(),
                                       help_text="The lots and techniques extensions (their extension.json).")
    publishedDate = serializers.DateTimeField(help_text="The date of the newest release in the package.")
    publisher = PublisherSerializer()
    license = serializers.URLField(required=False, help_text="The data's licence, when one is configured.")
    releases = serializers.ListField(
        child=serializers.DictField(),
        help_text=f"OCDS releases, valid against the release schema ({SCHEMA_URL}) with the lots and "
                  "techniques extensions applied.",
    )
    links = LinksSerializer(required=False, help_text="Paging (/api/ocds/releases/ only).")


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The secret address of the feed (text/calendar; no login).")
    webcal_url = serializers.CharField(help_text="The same address for calendar applications (webcal://).")
    created_at = serializers.DateTimeField()


@extend_schema(
    tags=[TAG], summary="One initiative as an OCDS release package (its release history)",
    description="Every release recorded for the initiative's contracting process (one per state change that "
                "changed what is published) and, for a framework contract, those of its call-offs (each a "
                "contracting process of its own, linked with `relatedProcesses`), oldest first. Ideas and "
                "drafts are not published: 404. Open data: no login; cacheable (`ETag`, `Last-Modified`, "
                "`If-None-Match` / `If-Modified-Since` answer 304).",
    responses={200: OpenApiResponse(ReleasePackageSerializer, examples=[examples.PACKAGE_EXAMPLE]),
               304: OpenApiResponse(description="Not modified: the client's copy is current."),
               **errors(404, login=False)},
    auth=[],
)
class OpenDataView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class InitiativeOcdsView(OpenDataView):
    def get(self, request: Request, pk: int) -> Response:
        initiative = Initiative.objects.filter(pk=pk).first()
        if initiative is None or not ocds.is_published(initiative):
            raise NotFound(_("No published initiative %(pk)s.") % {"pk": pk})
        if not releases.history(initiative).exists():
            releases.record_initiative(initiative.pk)  # published before releases were recorded
        rows = list(releases.history(initiative).values_list("data", "digest", "date"))
        if not rows:
            raise NotFound(_("No published initiative %(pk)s.") % {"pk": pk})
        uri = request.build_absolute_uri()
        etag, last_modified = caching.validators([uri, *(row[1] for row in rows)], (row[2] for row in rows))
        unchanged = caching.not_modified(request, etag, last_modified)
        if unchanged is not None:
            return unchanged
        return caching.cacheable(Response(ocds.package([row[0] for row in rows], uri=uri)), etag, last_modified)


@extend_schema(
    tags=[TAG], summary="The latest release of every published contracting process",
    description="One OCDS release package with the newest release of every initiative past `draft` and of "
                "every framework call-off, ordered by initiative (a framework's call-offs right after it). "
                f"Paged: `?page=` (from 1) and `?page_size=` (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}); "
                "`links.next` and `links.prev` in the package and the `Link` header (rel next/prev) give the "
                "neighbouring pages. A page past the last is a 404. With nothing published yet the package "
                "has an empty `releases` list.",
    parameters=[
        OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number, from 1."),
        OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                         description=f"Releases per page, at most {MAX_PAGE_SIZE}."),
    ],
    responses={200: OpenApiResponse(ReleasePackageSerializer, examples=[examples.PAGED_EXAMPLE]),
               304: OpenApiResponse(description="Not modified: the client's copy is current."),
               **errors(400, 404, login=False)},
    auth=[],
)
class ReleasePackageView(OpenDataView):
    def get(self, request: Request) -> Response:
        size = _page_size(request)
        releases.ensure_recorded()
        paginator = Paginator(releases.latest(), size)
        try:
            raw_page = request.query_params.get("page")
            if raw_page is not None and not parse_int(raw_page):
                raise ValidationError({"page": [_("Enter a page number from 1 on.")]})
            page = paginator.page(parse_int(raw_page) if raw_page is not None else 1)
        except (EmptyPage, PageNotAnInteger):
            raise NotFound(_("Invalid page."))
        url = request.build_absolute_uri()
        shown = list(page.object_list)
        etag, last_modified = caching.validators([url, *(r.digest for r in shown)], (r.date for r in shown))
        unchanged = caching.not_modified(request, etag, last_modified)
        if unchanged is not None:
            return unchanged
        links = {}
        if page.has_next():
            links["next"] = replace_query_param(url, "page", page.next_page_number())
        if page.has_previous():
            previous = page.previous_page_number()
            links["prev"] = remove_query_param(url, "page") if previous == 1 else replace_query_param(url, "page", previous)
        response = Response(ocds.package([r.data for r in shown], uri=url, links=links))
        if links:
            response["Link"] = ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items())
        return caching.cacheable(response, etag, last_modified)


def _page_size(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return PAGE_SIZE
    size = parse_int(raw) or 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Give a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    return size


class CalendarFeedView(APIView):
    """The signed-in user's own calendar address: read, create or renew, revoke."""

    def answer(self, request: Request, feed) -> dict:
        return {**feed_urls(request, feed), "created_at": feed.created_at}

    @extend_schema(
        tags=[TAG], summary="The secret address of my deadline calendar",
        description="The iCalendar feed of the deadlines that concern the user (demand, decision and bid "
                    "deadlines, ends of standstill periods), at an address that needs no login: anyone who "
                    "knows it reads the feed. 404 when the user has no active address.",
        responses={200: OpenApiResponse(CalendarFeedSerializer, examples=[examples.CALENDAR_FEED_EXAMPLE]),
                   **errors(404)},
    )
    def get(self, request: Request) -> Response:
        feed = feeds.active_feed(request.user)
        if feed is None:
            raise NotFound(_("You have no calendar address; create one with POST."))
        return Response(self.answer(request, feed))

    @extend_schema(
        tags=[TAG], summary="Create or renew my calendar address",
        description="A new secret address; the previous one, if any, stops working at once (404). No body.",
        request=None,
        responses={201: OpenApiResponse(CalendarFeedSerializer, examples=[examples.CALENDAR_FEED_EXAMPLE]),
                   **errors()},
    )
    def post(self, request: Request) -> Response:
        feed = feeds.feed_issue(actor=request.user)
        return Response(self.answer(request, feed), status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG], summary="Revoke my calendar address",
        description="The address stops working at once (404); 404 when there is none.",
        request=None, responses={204: OpenApiResponse(description="Revoked."), **errors(404)},
    )
    def delete(self, request: Request) -> Response:
        if not feeds.feed_revoke(actor=request.user):
            raise NotFound(_("You have no calendar address."))
        return Response(status=status.HTTP_204_NO_CONTENT)
