"""Logging in with a token, and who the user is."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.schema import errors
from procurement.models import Membership
from procurement.views.account import LoginThrottle

from .. import examples
from ..serializers.organisations import MeSerializer, TokenSerializer


@extend_schema(
    tags=["auth"],
    summary="Obtain an API token",
    description="Send `{\"username\", \"password\"}`; use the answer as `Authorization: Token <token>`.",
    request=AuthTokenSerializer,
    responses={200: TokenSerializer, 400: errors(400)[400], 429: errors(429)[429]},
    examples=[examples.TOKEN_REQUEST, examples.TOKEN_EXAMPLE],
    auth=[],
)
class TokenView(ObtainAuthToken):
    """The same throttle on failed attempts as the pages' sign-in: otherwise this endpoint would be the way
    around it for whoever guesses passwords."""

    # ObtainAuthToken names DRF's parsers itself; the API's bounded JSON parser replaces its JSON one.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def post(self, request: Request, *args, **kwargs) -> Response:
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        throttle = LoginThrottle(request, str(username or ""))
        wait = throttle.begin()
        if wait:
            raise Throttled(wait=wait, detail=_("Too many failed sign-in attempts."))
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)  # the attempt stays counted
        throttle.succeeded()
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


@extend_schema(tags=["auth"], summary="The logged-in user and their roles", responses={200: MeSerializer, **errors()},
               examples=[examples.ME_EXAMPLE])
class MeView(APIView):
    def get(self, request: Request) -> Response:
        # Read with the organisation names at once: the answer costs the same queries whatever the roles.
        user = (
            get_user_model()
            .objects.prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("organisation")))
            .get(pk=request.user.pk)
        )
        return Response(MeSerializer(user, context={"request": request}).data)
