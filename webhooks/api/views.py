"""``/api/v1/webhooks/``: a partner's (or an admin's) subscriptions and their deliveries."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action

from core.api.pagination import HistoryPagination
from webhooks.api.serializers import DeliverySerializer, SubscriptionSerializer
from webhooks.models import Subscription
from webhooks.rules import may_subscribe
from webhooks.services import subscription_resume

MAY_NOT_SUBSCRIBE = (
    "Only administrators and partner networks' staff may subscribe to webhooks: ask an "
    "administrator to add you to your network as a partner."
)


class MaySubscribe(permissions.IsAuthenticated):
    message = MAY_NOT_SUBSCRIBE

    def has_permission(self, request, view):
        # Anyone signed in may list their subscriptions (none, unless they may subscribe).
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or may_subscribe(request.user)


class SubscriptionViewSet(viewsets.ModelViewSet):
    """Your webhook subscriptions (an administrator sees all)."""

    serializer_class = SubscriptionSerializer
    permission_classes = [MaySubscribe]
    pagination_class = HistoryPagination
    filter_backends = []

    def get_queryset(self):
        queryset = Subscription.objects.select_related("owner").order_by("pk")
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return queryset.none()
        if self.request.user.is_superuser:
            return queryset
        return queryset.filter(owner=self.request.user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @transaction.atomic
    def perform_update(self, serializer):
        was_active = serializer.instance.is_active
        subscription = serializer.save()
        if subscription.is_active and not was_active:
            subscription_resume(subscription)

    @extend_schema(
        summary="Deliveries of a subscription",
        description="The delivery log, newest first: each change sent (or waiting), its "
        "attempts, the receiver's answer and the last error.",
        responses=DeliverySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, *args, **kwargs):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.order_by("-created", "-pk"))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)
