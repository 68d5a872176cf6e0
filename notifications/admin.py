from django.contrib import admin
from django.http import HttpRequest

from ogp_portal.admin import SafeLookupsMixin

from .models import Follow, Notification, OptOut


@admin.register(Notification)
class NotificationAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """What was told to whom, and when it was sent: a record, read only."""

    list_display = ["kind", "key", "user", "address", "frequency", "created_at", "sent_at"]
    list_filter = ["kind", "frequency"]
    search_fields = ["key", "address", "user__username", "subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "target_type",
        "target_id",
        "language",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = ["target_type", "language"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a follow starts with its owner's confirmation, never by hand


@admin.register(OptOut)
class OptOutAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    search_fields = ["email"]
