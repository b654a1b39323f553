"""Tendering (API.md "Tendering"): suppliers, the tender of an initiative, bids, the ranking, transitions.

Every change is a service call (``tendering.services.tenders`` and ``.bids``); a body is only checked for its shape here
(the service checks who and which state before the rest of the input). A tender that the user may not see
is a 404: the lead organisation's members and the approved participants' members read it, only the lead's
procurement officers act on it. Bids and scores stay confidential to the lead until the evaluation.
"""


import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import URLPattern
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import (
    LineField,
    MoneyField,
    OptionalEmailField,
    QuantityField,
    StrictDecimalField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    TextField,
)
from core.api.schema import errors
from core.api.transitions import transition_urls as core_transition_urls
from core.errors import NotAllowed
from procurement import permissions
from procurement.models import BidPeriodReduction, Lot
from tendering import actions, rules, services
from tendering import selectors as tendering
from tendering.models import MAX_STANDSTILL_DAYS, Bid, Procedure, Supplier, Tender

TAG = "tendering"

# --- answers ---


class SupplierSerializer(serializers.ModelSerializer):
    email = OptionalEmailField(read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "enterprise_number", "email", "address", "created_at"]
        read_only_fields = fields


class AwardCriterionSerializer(serializers.Serializer):
    id = StrictIntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    weight = StrictIntegerField(min_value=1, max_value=100, help_text="A whole number; the weights sum to 100.")
    is_price = serializers.BooleanField(default=False, help_text="Exactly one criterion is the price.")


class AwardAnswerSerializer(serializers.Serializer):
    lot = StrictIntegerField(source="lot_id")
    lot_number = StrictIntegerField(source="lot.number")
    bid = StrictIntegerField(source="bid_id", allow_null=True)
    supplier = StrictIntegerField(source="bid.supplier_id", allow_null=True, default=None)
    bidder = serializers.CharField(source="bid.bidder", allow_null=True, default=None)
    total = MoneyField(allow_null=True)
    unsuccessful = serializers.BooleanField()
    reason = serializers.CharField()


class LotBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = ["id", "number", "title"]
        read_only_fields = fields


class TenderSerializer(serializers.ModelSerializer):
    available_transitions = serializers.SerializerMethodField()
    estimated_value = MoneyField(read_only=True)
    award_criteria = AwardCriterionSerializer(source="criteria", many=True, read_only=True)
    awards = AwardAnswerSerializer(many=True, read_only=True)
    lots = LotBriefSerializer(source="initiative.lots", many=True, read_only=True)
    kind = serializers.CharField(source="initiative.kind", read_only=True)
    # A plain string: the same choices as ``procedure`` (one enum in the schema, ProcedureEnum).
    advised_procedure = serializers.CharField(read_only=True, help_text="The procedure advice when the tender was "
                                                                        "created.")

    class Meta:
        model = Tender
        fields = [
            "id", "initiative", "kind", "state", "available_transitions", "procedure", "advised_procedure",
            "publication", "publication_reference", "estimated_value", "bid_deadline", "bid_period_reduction",
            "bid_period_reduction_reason", "procedure_reason", "published_at",
            "bids_closed_at", "evaluated_at", "standstill_days", "awarded_at", "standstill_ends", "concluded_at",
            "contract_start", "reason", "award_criteria", "lots", "awards", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, tender: Tender) -> list[str]:
        return actions.TENDER.available_names(tender, actor=self.context["request"].user)


def tender_queryset(queryset):
    return queryset.select_related("initiative", "initiative__lead_organisation").prefetch_related(
        "criteria", "initiative__lots", "awards__lot", "awards__bid__supplier"
    )


class BidPriceSerializer(serializers.Serializer):
    item = StrictIntegerField(source="item_id")
    unit_price = MoneyField()
    quantity = QuantityField(max_digits=14, help_text="The pooled quantity the bid was priced for.")
    amount = MoneyField()


class BidScoreSerializer(serializers.Serializer):
    criterion = StrictIntegerField(source="criterion_id")
    score = StrictDecimalField(max_digits=5, decimal_places=2)


class BidSerializer(serializers.ModelSerializer):
    bidder = serializers.CharField(read_only=True)
    total = MoneyField(read_only=True)
    unit_prices = BidPriceSerializer(source="prices", many=True, read_only=True)
    quality_scores = BidScoreSerializer(source="scores", many=True, read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "tender", "lot", "supplier", "candidate", "bidder", "regular", "irregular_reason", "total",
                  "received_at", "unit_prices", "quality_scores", "price_score", "quality_score", "score", "rank"]
        read_only_fields = fields


class RankedBidSerializer(serializers.Serializer):
    bid = StrictIntegerField()
    supplier = StrictIntegerField(allow_null=True)
    bidder = serializers.CharField()
    total = MoneyField()
    regular = serializers.BooleanField()
    irregular_reason = serializers.CharField()
    price_score = StrictDecimalField(max_digits=6, decimal_places=2, allow_null=True)
    quality_score = StrictDecimalField(max_digits=6, decimal_places=2, allow_null=True)
    score = StrictDecimalField(max_digits=6, decimal_places=2, allow_null=True)
    scores = serializers.DictField(child=StrictDecimalField(max_digits=6, decimal_places=2),
                                   help_text="Per award criterion id (the price included).")
    rank = StrictIntegerField(allow_null=True, help_text="Empty for an irregular bid: it is not ranked.")


class LotRankingSerializer(serializers.Serializer):
    lot = StrictIntegerField()
    number = StrictIntegerField()
    title = serializers.CharField()
    bids = RankedBidSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    rounding = serializers.CharField()
    lots = LotRankingSerializer(many=True)


# --- bodies ---


class SupplierInputSerializer(serializers.Serializer):
    name = LineField(max_length=200)
    enterprise_number = LineField(max_length=30, help_text="KBO number, e.g. 0207.447.366.")
    email = OptionalEmailField(required=False, max_length=254)  # the service stores "" when it is left out
    address = TextField(required=False, allow_blank=True, default="", max_length=300)


class TenderInputSerializer(serializers.Serializer):
    procedure = serializers.ChoiceField(
        choices=Procedure.choices, required=False, allow_null=True, default=None,
        help_text="Defaults to the procedure advice; a stricter one is accepted, a less strict one refused.",
    )
    bid_deadline = serializers.DateTimeField()
    standstill_days = StrictIntegerField(required=False, allow_null=True, default=None, min_value=0,
                                               max_value=MAX_STANDSTILL_DAYS, help_text="15 by default.")
    award_criteria = AwardCriterionSerializer(many=True)
    bid_period_reduction = serializers.ChoiceField(
        choices=BidPeriodReduction.choices, required=False, default=BidPeriodReduction.NONE,
        help_text="A shorter minimum time limit for bids that the law allows (with `bid_period_reduction_reason`). "
                  "The bid deadline must leave at least the minimum for the procedure and publication (400 naming "
                  "the minimum and its source otherwise).")
    bid_period_reduction_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                                        max_length=4000)
    procedure_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000,
        help_text="Required for `competitive_negotiation` and `competitive_dialogue`: the case of art. 38 §1 and why.")


class TenderUpdateSerializer(serializers.Serializer):
    bid_deadline = serializers.DateTimeField(required=False, default=None)
    standstill_days = StrictIntegerField(required=False, default=None, min_value=0,
                                               max_value=MAX_STANDSTILL_DAYS)
    award_criteria = AwardCriterionSerializer(many=True, required=False, default=None)


class UnitPriceInputSerializer(serializers.Serializer):
    item = StrictIntegerField()
    unit_price = StrictDecimalField(max_digits=12, decimal_places=2, min_value=0)


class QualityScoreInputSerializer(serializers.Serializer):
    criterion = StrictIntegerField()
    score = StrictDecimalField(max_digits=5, decimal_places=2, min_value=0)


class BidInputSerializer(serializers.Serializer):
    supplier = StrictPrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False, allow_null=True,
                                                  default=None)
    candidate = LineField(required=False, allow_blank=True, default="", max_length=200,
                                      help_text="Shared hire only: the candidate's name instead of a supplier.")
    lot = StrictPrimaryKeyRelatedField(queryset=Lot.objects.all())
    unit_prices = UnitPriceInputSerializer(many=True, allow_empty=False)
    quality_scores = QualityScoreInputSerializer(many=True, required=False, default=list)
    regular = serializers.BooleanField(default=True)
    irregular_reason = TextField(required=False, allow_blank=True, default="", max_length=2000)


class BidAssessSerializer(serializers.Serializer):
    regular = serializers.BooleanField(required=False, default=None, allow_null=True)
    irregular_reason = TextField(required=False, allow_blank=True, default=None, allow_null=True, max_length=2000)
    quality_scores = QualityScoreInputSerializer(many=True, required=False, default=None, allow_null=True)


# --- views ---


def visible_tender(request: Request, pk: int) -> Tender:
    return get_object_or_404(tender_queryset(rules.visible_tenders(request.user)), pk=pk)


def tender_answer(request: Request, pk: int) -> dict:
    return TenderSerializer(visible_tender(request, pk), context={"request": request}).data


class SupplierFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Part of the name or enterprise number")

    class Meta:
        model = Supplier
        fields = ["search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(enterprise_number__icontains=value))


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The shared supplier register",
                      responses={200: SupplierSerializer(many=True), **errors(400)}),
    post=extend_schema(tags=[TAG], summary="Register a supplier",
                       description="Any procurement officer; the enterprise number is checked (mod 97) and stored "
                                   "as 0xxx.xxx.xxx; one supplier per number.",
                       request=SupplierInputSerializer, responses={201: SupplierSerializer, **errors(400, 403)}),
)
class SupplierListView(generics.ListAPIView):
    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter

    def post(self, request: Request) -> Response:
        body = SupplierInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        supplier = services.supplier_register(actor=request.user, **body.validated_data)
        return Response(SupplierSerializer(supplier).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The tender of an initiative",
                      responses={200: TenderSerializer, **errors(404)}),
    post=extend_schema(
        tags=[TAG], summary="Start the tender of an initiative that is ready (the initiative moves to tendering)",
        description="Only procurement officers of the lead organisation. The procedure defaults to the advice for "
                    "the pooled value; a less strict one is refused naming the threshold and the value. A price "
                    "criterion is required and the whole-number weights sum to 100. A shared hire is a "
                    "recruitment: no procedure to choose.",
        request=TenderInputSerializer, responses={201: TenderSerializer, **errors(400, 403, 404, 409)},
    ),
)
class InitiativeTenderView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        tender = get_object_or_404(rules.visible_tenders(request.user), initiative_id=pk)
        return Response(tender_answer(request, tender.pk))

    def post(self, request: Request, pk: int) -> Response:
        initiative = get_object_or_404(permissions.visible_initiatives(request.user), pk=pk)
        body = TenderInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        tender = services.tender_create(initiative=initiative, actor=request.user, **body.validated_data)
        return Response(tender_answer(request, tender.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="One tender: state, transitions, procedure, dates, criteria, awards",
                      description="`standstill_ends` and the other moments are shown in Europe/Brussels.",
                      responses={200: TenderSerializer, **errors(404)}),
    patch=extend_schema(tags=[TAG], summary="Change the set-up of a draft tender (a published one: a later bid "
                                            "deadline only)",
                        request=TenderUpdateSerializer, responses={200: TenderSerializer, **errors(400, 403, 404, 409)}),
)
class TenderDetailView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(tender_answer(request, pk))

    def patch(self, request: Request, pk: int) -> Response:
        tender = visible_tender(request, pk)
        body = TenderUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.tender_update(tender=tender, actor=request.user, **body.validated_data)
        return Response(tender_answer(request, pk))


def _require_bids_visible(request: Request, tender: Tender) -> None:
    if not rules.may_see_bids(request.user, tender):
        raise NotAllowed(_("Bids and scores are confidential until the tender has been evaluated."))


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="The bids of a tender",
                      description="The lead's procurement officers; participants once the tender is evaluated.",
                      responses={200: BidSerializer(many=True), **errors(403, 404)}),
    post=extend_schema(
        tags=[TAG], summary="Record a bid for one lot (between publication and the bid deadline)",
        description="A unit price for every item of the lot; total = Σ unit price × pooled quantity, each line "
                    "rounded to the cent. Errors in the lines come by position: "
                    "`{\"unit_prices\": [{}, {\"item\": [\"…\"]}]}`. An irregular bid needs `irregular_reason`.",
        request=BidInputSerializer, responses={201: BidSerializer, **errors(400, 403, 404, 409)},
    ),
)
class BidListView(generics.ListAPIView):
    serializer_class = BidSerializer

    def tender(self) -> Tender:
        if not hasattr(self, "_tender"):
            self._tender = visible_tender(self.request, self.kwargs["pk"])
        return self._tender

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Bid.objects.none()
        tender = self.tender()
        _require_bids_visible(self.request, tender)
        return tender.bids.select_related("supplier", "lot").prefetch_related("prices", "scores")

    def post(self, request: Request, pk: int) -> Response:
        tender = self.tender()
        body = BidInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = services.bid_submit(tender=tender, actor=request.user, **body.validated_data)
        return Response(BidSerializer(bid).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(tags=[TAG], summary="One bid", responses={200: BidSerializer, **errors(403, 404)}),
    patch=extend_schema(
        tags=[TAG], summary="Assess a bid: regularity and quality scores (until the evaluation)",
        description="Given quality scores replace the bid's scores; each from 0 to its criterion's weight.",
        request=BidAssessSerializer, responses={200: BidSerializer, **errors(400, 403, 404, 409)},
    ),
)
class BidDetailView(APIView):
    def bid(self, request: Request, pk: int) -> Bid:
        bid = get_object_or_404(Bid.objects.filter(tender__in=rules.visible_tenders(request.user))
                                .select_related("tender__initiative", "supplier"), pk=pk)
        _require_bids_visible(request, bid.tender)
        return bid

    def get(self, request: Request, pk: int) -> Response:
        return Response(BidSerializer(self.bid(request, pk)).data)

    def patch(self, request: Request, pk: int) -> Response:
        bid = self.bid(request, pk)
        body = BidAssessSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = services.bid_assess(bid=bid, actor=request.user, **body.validated_data)
        return Response(BidSerializer(Bid.objects.prefetch_related("prices", "scores").get(pk=bid.pk)).data)


@extend_schema(
    tags=[TAG], summary="The ranking per lot",
    description="Price score = weight × lowest regular total ÷ this bid's total; quality scores as entered; "
                "scores rounded to two decimals, half up. Irregular bids are listed without a rank. Equal scores: "
                "the lower total first, then the earlier bid.",
    responses={200: RankingSerializer, **errors(403, 404)},
)
class RankingView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        tender = visible_tender(request, pk)
        _require_bids_visible(request, tender)
        lots = []
        for lot_ranking in tendering.ranking(tender):
            lots.append({
                "lot": lot_ranking.lot.pk, "number": lot_ranking.lot.number, "title": lot_ranking.lot.title,
                "bids": [{
                    "bid": bid.pk, "supplier": bid.supplier_id, "bidder": bid.bidder, "total": bid.total,
                    "regular": bid.regular, "irregular_reason": bid.irregular_reason,
                    "price_score": scored.price_score, "quality_score": scored.quality_score, "score": scored.score,
                    "scores": {str(k): v for k, v in scored.scores.items()}, "rank": scored.rank,
                } for bid, scored in lot_ranking.rows],
            })
        answer = {"rounding": "Scores are rounded to two decimals, half up.", "lots": lots}
        return Response(RankingSerializer(answer).data)


# --- transitions: one path per action of the tender's table (``tendering.actions``) ---


def transition_urls() -> list[URLPattern]:
    return core_transition_urls(prefix="tenders", table=actions.TENDER, fetch=visible_tender, answer=tender_answer,
                                serializer=TenderSerializer, tag=TAG, operation="tender", url_name="api-tender")
