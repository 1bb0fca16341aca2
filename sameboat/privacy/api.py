"""The caller's privacy through the API: everything held about them, and their consents."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sameboat.networks.api import authenticate_header, current_user
from sameboat.privacy.models import Consent, ConsentSource, Purpose
from sameboat.privacy.services import consent_set, consent_states, member_data_export_for


class ExportView(APIView):
    """Everything Sameboat holds about the caller (the same as the privacy page's download)."""

    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)

    @extend_schema(summary="Everything held about the caller", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        response = Response(member_data_export_for(user=current_user(request)))
        response["Cache-Control"] = "no-store"
        return response


class ConsentStateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    wording = serializers.CharField()
    given = serializers.BooleanField()


class ConsentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["purpose", "given_at", "withdrawn_at", "text_version", "source"]


class ConsentsSerializer(serializers.Serializer):
    current = ConsentStateSerializer(many=True)
    history = ConsentRecordSerializer(many=True)


class ConsentChangeSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    given = serializers.BooleanField()


def _consents(user: Any) -> dict[str, Any]:
    states = consent_states(user=user)
    labels = dict(Purpose.choices)
    return {
        "current": [
            {"purpose": purpose, "wording": str(labels[purpose]), "given": given}
            for purpose, given in states.items()
        ],
        "history": Consent.objects.filter(user=user).order_by("-id")[:100],
    }


class ConsentsView(APIView):
    """What the caller agrees to now, and the history of their choices."""

    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)

    @extend_schema(summary="The caller's consents", responses=ConsentsSerializer)
    def get(self, request: Request) -> Response:
        return Response(ConsentsSerializer(_consents(current_user(request))).data)

    @extend_schema(
        summary="Give or withdraw one consent",
        request=ConsentChangeSerializer,
        responses=ConsentsSerializer,
    )
    def post(self, request: Request) -> Response:
        user = current_user(request)
        change = ConsentChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        consent_set(
            user=user,
            purpose=change.validated_data["purpose"],
            given=change.validated_data["given"],
            source=ConsentSource.API,
        )
        return Response(ConsentsSerializer(_consents(user)).data)
