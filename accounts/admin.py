from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User
from accounts.services import account_erase


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "region", "partner_network", "is_active"]
    list_filter = ["role", "region", "partner_network", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôle et périmètre", {"fields": ["role", "region", "partner_network"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "role", "region", "partner_network", "password1", "password2"],
            },
        )
    ]

    # Deleting here erases like the retention job does (login records, the journal no longer naming an ambassador).
    def delete_model(self, request, obj):
        account_erase(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_erase(user=user)
